import Testing
@testable import OpenSync

// Kernel and model tests of this paper go here (tagged .kernel).
