import Testing
@testable import MBLSync

// Kernel and model tests of this paper go here (tagged .kernel).
