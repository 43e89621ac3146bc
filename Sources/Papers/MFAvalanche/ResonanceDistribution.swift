import Foundation

/// A distribution p̃(x) of the scaled perturbative norm x = g_1a/g₁ (Eq. A3: p_{g_1a}(g) =
/// p̃(g/g₁)/g₁), described in the two coordinates the quadratures use:
///
/// - the *body* x ∈ [x_lo, x_t], through the density in u = log x, x·p̃(x), on
///   `bodyBreakpoints` (ascending values of u; the density is smooth between them);
/// - the *tail* x > x_t, through the density in t = 1/x, p̃(1/t)/t² on t ∈ (0, 1/x_t]:
///   the tail p̃ ~ 2/x² (Eqs. 6, A4) is the constant 2 in this variable.
///
/// Below x_lo the density must be zero to double precision (p̃ falls off like e^{−a/x²}).
public protocol ResonanceNormDistribution: Sendable {
    /// A short description (for reports).
    var name: String { get }
    /// u = log x breakpoints of the body, ascending; the first is log x_lo, the last log x_t.
    var bodyBreakpoints: [Double] { get }
    /// x·p̃(x) at u = log x, for u in the body.
    func densityInLogX(_ u: Double) -> Double
    /// p̃(1/t)/t² for t ∈ [0, 1/x_t] (t = 0 is the limit x → ∞).
    func tailDensityInInverse(_ t: Double) -> Double
    /// ∫₀^x p̃ (for a normalized distribution, the CDF).
    func cumulative(_ x: Double) -> Double
    /// ∫₀^∞ p̃ (1 for a normalized density).
    var totalMass: Double { get }
}

extension ResonanceNormDistribution {
    /// x_t, where the tail coordinate takes over.
    public var tailStart: Double { exp(bodyBreakpoints[bodyBreakpoints.count - 1]) }

    /// p̃(x).
    public func density(_ x: Double) -> Double {
        if x <= 0 { return 0 }
        let u = log(x)
        if u < bodyBreakpoints[0] { return 0 }
        if x <= tailStart { return densityInLogX(u) / x }
        let t = 1 / x
        return tailDensityInInverse(t) * t * t
    }
}

/// (A3) as printed: p̃(x) = (2/x²) e^{−π³/(4x²)} (1 + c₁/x + c₂/x²), c₁ = 5.3, c₂ = 11.2,
/// the O(x⁻³) terms dropped. `normalized: false` is the formula as printed; `true`
/// divides by its total mass so that it can serve as a (wrong-shape) control density.
///
/// Total mass, in closed form (s = 1/x, a = π³/4):
///     ∫₀^∞ p̃ = √(π/a) + c₁/a + c₂ √π/(2a^{3/2}) = 2/π + 4c₁/π³ + 4c₂/π⁴ ≈ 1.780
/// — the printed form is not a normalized density.
public struct PrintedA3Distribution: ResonanceNormDistribution {
    public static let exponent = Double.pi * Double.pi * Double.pi / 4
    public let c1: Double
    public let c2: Double
    public let normalized: Bool
    public let bodyBreakpoints: [Double]

    public init(c1: Double = 5.3, c2: Double = 11.2, normalized: Bool = false, tailStart: Double = 100) {
        self.c1 = c1
        self.c2 = c2
        self.normalized = normalized
        bodyBreakpoints = uniformBreakpoints(from: log(0.1), to: log(tailStart), step: 0.05)
    }

    public var name: String { normalized ? "(A3) as printed, normalized" : "(A3) as printed" }

    /// The closed-form total mass of the printed (unnormalized) form.
    public var printedMass: Double {
        let a = Self.exponent
        return (Double.pi / a).squareRoot() + c1 / a + c2 * Double.pi.squareRoot() / (2 * pow(a, 1.5))
    }

    public var totalMass: Double { normalized ? 1 : printedMass }

    private var scale: Double { normalized ? 1 / printedMass : 1 }

    /// In t = 1/x: 2 e^{−a t²}(1 + c₁ t + c₂ t²).
    public func tailDensityInInverse(_ t: Double) -> Double {
        scale * 2 * exp(-Self.exponent * t * t) * (1 + c1 * t + c2 * t * t)
    }

    public func densityInLogX(_ u: Double) -> Double {
        let t = exp(-u)
        return tailDensityInInverse(t) * t     // x p̃(x) = p̃(1/t)/t² · t
    }

    /// ∫₀^x p̃ = ∫_{1/x}^∞ 2e^{−as²}(1 + c₁s + c₂s²) ds, in closed form.
    public func cumulative(_ x: Double) -> Double {
        if x <= 0 { return 0 }
        let a = Self.exponent, y = 1 / x, sa = a.squareRoot()
        let e = exp(-a * y * y), ec = erfc(sa * y)
        let i0 = Double.pi.squareRoot() / (2 * sa) * ec
        let i1 = e / (2 * a)
        let i2 = y * e / (2 * a) + Double.pi.squareRoot() / (4 * a * sa) * ec
        return scale * 2 * (i0 + c1 * i1 + c2 * i2)
    }
}

/// The same construction with *uncorrelated* (Poisson) levels instead of GOE ones: then
/// g_a² = Σ_b v_b²/(E_a − E_b)² is exactly a one-sided Lévy (stable-½) variable and
///
///     p̃(x) = (2/x²) e^{−π/x²},   CDF erfc(√π/x),   X = √(2π)/|Z|, Z ~ N(0, 1),
///
/// normalized, with the same tail 2/x² and the weaker small-x suppression e^{−π/x²}
/// (against e^{−π³/(4x²)} for a rigid spectrum). An exactly solvable stand-in for tests
/// and the nearest plausible wrong p̃ for controls.
public struct PoissonLevelDistribution: ResonanceNormDistribution {
    public let bodyBreakpoints: [Double]
    public init(tailStart: Double = 100) {
        bodyBreakpoints = uniformBreakpoints(from: log(0.06), to: log(tailStart), step: 0.05)
    }
    public var name: String { "Poisson levels, 2/x² e^{−π/x²}" }
    public var totalMass: Double { 1 }
    public func tailDensityInInverse(_ t: Double) -> Double { 2 * exp(-Double.pi * t * t) }
    public func densityInLogX(_ u: Double) -> Double {
        let t = exp(-u)
        return 2 * t * exp(-Double.pi * t * t)
    }
    public func cumulative(_ x: Double) -> Double { x <= 0 ? 0 : erfc(Double.pi.squareRoot() / x) }
    /// Negative moments E[X^{−2k}] = E[t^{2k}] for t half-normal with variance 1/(2π):
    /// E[X⁻²] = 1/(2π), E[X⁻⁴] = 3/(4π²).
    public static let inverseSquareMoment = 1 / (2 * Double.pi)
    public static let inverseFourthMoment = 3 / (4 * Double.pi * Double.pi)
}

/// Breakpoints a, a + h, …, b (the last step shortened to land on b exactly).
func uniformBreakpoints(from a: Double, to b: Double, step h: Double) -> [Double] {
    precondition(b > a && h > 0)
    let n = Int(((b - a) / h).rounded(.up))
    return (0...n).map { k in k == n ? b : a + Double(k) * (b - a) / Double(n) }
}
