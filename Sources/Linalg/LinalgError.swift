/// Errors from the dense linear-algebra layer. Every LAPACK `info != 0` becomes
/// `.lapack(routine:info:)`, naming the routine.
public enum LinalgError: Error, Equatable, CustomStringConvertible, Sendable {
    /// LAPACK returned `info != 0`: negative = argument |info| was illegal,
    /// positive = the algorithm failed (e.g. no convergence, singular pivot).
    case lapack(routine: String, info: Int32)
    /// Operand shapes do not match.
    case dimensionMismatch(String)
    /// An input contains NaN or Inf.
    case nonFinite(String)
    /// The requested index window is empty or outside the spectrum.
    case invalidRange(String)

    public var description: String {
        switch self {
        case let .lapack(routine, info):
            if info < 0 { return "LAPACK \(routine): argument \(-info) had an illegal value (info = \(info))" }
            return "LAPACK \(routine) failed (info = \(info): no convergence or singular matrix)"
        case let .dimensionMismatch(s): return "dimension mismatch: \(s)"
        case let .nonFinite(s): return "non-finite input: \(s)"
        case let .invalidRange(s): return "invalid range: \(s)"
        }
    }
}

@inline(__always)
func check(_ info: Int32, _ routine: String) throws {
    if info != 0 { throw LinalgError.lapack(routine: routine, info: info) }
}
