import Testing
@testable import KASGlass

// Kernel and model tests of this paper go here (tagged .kernel).
