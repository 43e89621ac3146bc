import Foundation
import Linalg

/// Fits of the two limits of η(g) (A27) printed in Sec. IV: η ~ −8g log g (g → 0) and
/// η = log 2 + O(g⁻⁴) (g → ∞). The forms follow the expansions of (A27) (see
/// docs/design/mf-avalanche-claims.md §1):
///
///     Y := e^{η/2} − 1 = E[K − 1] = (a/2) g L + A₁ g + O(g² L^k),   L = log(1/g),
///     η = a g L + b₁ g − (a²/4) g L² + a b₁/2 · g L + O(g²),        b₁ = 2A₁,
///     log 2 − η = C g^{−p} (1 − r g⁻² + O(g⁻⁴)),                  C = m₂²/64, p = 4,
///
/// with a = 8 the printed coefficient (η ~ −a g log g) and m_k = E[X^{−k}]. Every form
/// returns the leading coefficient a (small g) or the exponent p (large g).
public enum EtaLimitFits {
    /// Small-g forms. The first two are implied by the expansion; the last three are the
    /// generic finite-size forms in the "size" L = log(1/g) (1/L, 1/L², and 1/L with the
    /// implied g L term).
    public enum SmallForm: String, CaseIterable, Codable, Sendable {
        /// Y/g = (a/2) L + A₁ + c g (the kernel excess; exact to O(g L^k)).
        case kernelExcess = "Y/g = (a/2)L + A₁ + c·g"
        /// η/g = a L + b₁ + c g L² + d g L (η itself, with its implied O(g L²) terms).
        case etaImplied = "η/g = aL + b₁ + c·gL² + d·gL"
        /// η/(g L) = a + b/L (generic 1/L).
        case inverseLog = "η/(gL) = a + b/L"
        /// η/(g L) = a + b/L + c/L² (generic 1/L²).
        case inverseLogSquared = "η/(gL) = a + b/L + c/L²"
        /// η/(g L) = a + b/L + c g L (1/L with the implied gL term).
        case inverseLogAndG = "η/(gL) = a + b/L + c·gL"
    }

    /// Large-g forms for the deficit D = log 2 − η.
    public enum LargeForm: String, CaseIterable, Codable, Sendable {
        /// log D = log C − p log g.
        case pureLaw = "log D = log C − p log g"
        /// log D = log C − p log g + c g⁻² (the implied correction).
        case implied = "log D = log C − p log g + c·g⁻²"
        /// log D = log C − p log g + c g⁻¹ (a generic 1/g correction).
        case generic = "log D = log C − p log g + c·g⁻¹"
        /// log D = log C − p log g + c g⁻² + d g⁻⁴ (two implied corrections).
        case impliedTwo = "log D = log C − p log g + c·g⁻² + d·g⁻⁴"
    }

    public struct FitError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The leading small-g coefficient a (η ~ −a g log g) and the other fitted coefficients
    /// (for `kernelExcess`, coefficients[1] is A₁ so that b₁ = 2A₁).
    public static func smallG(g: [Double], eta: [Double], kernelExcess y: [Double], form: SmallForm) throws
        -> (a: Double, coefficients: [Double]) {
        guard g.count == eta.count, g.count == y.count, g.allSatisfy({ $0 > 0 && $0 < 1 }) else {
            throw FitError(description: "small-g fit: need matching g ∈ (0, 1), η and Y")
        }
        var rows = [[Double]](), rhs = [Double]()
        for i in g.indices {
            let x = g[i], l = log(1 / x)
            switch form {
            case .kernelExcess: rows.append([l, 1, x]); rhs.append(y[i] / x)
            case .etaImplied: rows.append([l, 1, x * l * l, x * l]); rhs.append(eta[i] / x)
            case .inverseLog: rows.append([1, 1 / l]); rhs.append(eta[i] / (x * l))
            case .inverseLogSquared: rows.append([1, 1 / l, 1 / (l * l)]); rhs.append(eta[i] / (x * l))
            case .inverseLogAndG: rows.append([1, 1 / l, x * l]); rhs.append(eta[i] / (x * l))
            }
        }
        let c = try solve(rows, rhs, what: "small-g \(form)")
        return (form == .kernelExcess ? 2 * c[0] : c[0], c)
    }

    /// The large-g exponent p (log 2 − η ~ C g^{−p}) and C.
    public static func largeG(g: [Double], deficit: [Double], form: LargeForm) throws -> (p: Double, c: Double) {
        guard g.count == deficit.count, g.allSatisfy({ $0 > 0 }), deficit.allSatisfy({ $0 > 0 }) else {
            throw FitError(description: "large-g fit: need matching g > 0 and log 2 − η > 0")
        }
        var rows = [[Double]](), rhs = [Double]()
        for i in g.indices {
            let x = g[i], lg = log(x)
            switch form {
            case .pureLaw: rows.append([1, -lg])
            case .implied: rows.append([1, -lg, 1 / (x * x)])
            case .generic: rows.append([1, -lg, 1 / x])
            case .impliedTwo: rows.append([1, -lg, 1 / (x * x), 1 / (x * x * x * x)])
            }
            rhs.append(log(deficit[i]))
        }
        let c = try solve(rows, rhs, what: "large-g \(form)")
        return (c[1], exp(c[0]))
    }

    /// C of log 2 − η = C g⁻⁴ (1 + c₂ g⁻² + c₄ g⁻⁴) with the exponent fixed at 4.
    public static func largeGCoefficient(g: [Double], deficit: [Double]) throws -> Double {
        let rows = g.map { x in [1, 1 / (x * x), 1 / (x * x * x * x)] }
        let rhs = zip(g, deficit).map { log($1 * $0 * $0 * $0 * $0) }
        return exp(try solve(rows, rhs, what: "large-g coefficient")[0])
    }

    /// Least squares with columns scaled to unit norm (the columns span many decades).
    static func solve(_ rows: [[Double]], _ rhs: [Double], what: String) throws -> [Double] {
        let m = rows.count, n = rows.first?.count ?? 0
        guard m > n, n > 0 else { throw FitError(description: "\(what): \(m) points for \(n) parameters") }
        var scale = [Double](repeating: 0, count: n)
        for r in rows { for j in 0..<n { scale[j] += r[j] * r[j] } }
        scale = scale.map { $0 > 0 ? 1 / $0.squareRoot() : 1 }
        let a = Matrix(rows: m, columns: n) { i, j in rows[i][j] * scale[j] }
        let ls = try leastSquares(a, rhs)
        guard ls.rank == n else { throw FitError(description: "\(what): rank-deficient design (rank \(ls.rank) < \(n))") }
        return zip(ls.solution, scale).map { $0 * $1 }
    }
}
