import CGSL

/// A GSL routine returned an error status (GSL's abort-on-error handler is switched off;
/// every status is checked and thrown instead).
public struct GSLError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The GSL routine that failed.
    public let routine: String
    /// The GSL status code (GSL_EMAXITER, GSL_EROUND, ...).
    public let status: Int
    public var description: String {
        let reason = gsl_strerror(Int32(status)).map { String(cString: $0) } ?? "unknown"
        return "GSL \(routine) failed: \(reason) (status \(status))"
    }
}

/// GSL run-time facts.
public enum GSL {
    /// The GSL library version, e.g. "2.7.1".
    public static var version: String { GSL_VERSION }

    /// Turn GSL's default abort-on-error handler off (idempotent, thread-safe).
    static let handlerOff: Void = { _ = gsl_set_error_handler_off() }()
    @inline(__always) static func setUp() { _ = handlerOff }
}

@inline(__always) func check(_ status: Int32, _ routine: String) throws {
    if Int(status) != Int(GSL_SUCCESS) { throw GSLError(routine: routine, status: Int(status)) }
}

/// A value with GSL's absolute error estimate.
public struct Estimate: Sendable, Equatable {
    public let value: Double
    public let error: Double
}

/// Boxes a Swift closure for GSL's `gsl_function` (function pointer + void* params).
final class FunctionBox {
    let f: (Double) -> Double
    init(_ f: @escaping (Double) -> Double) { self.f = f }
}

func withGSLFunction<R>(_ f: @escaping (Double) -> Double, _ body: (UnsafeMutablePointer<gsl_function>) throws -> R) rethrows -> R {
    GSL.setUp()
    let box = FunctionBox(f)
    return try withExtendedLifetime(box) {
        var fn = gsl_function(function: { x, p in
            Unmanaged<FunctionBox>.fromOpaque(p!).takeUnretainedValue().f(x)
        }, params: Unmanaged.passUnretained(box).toOpaque())
        return try body(&fn)
    }
}
