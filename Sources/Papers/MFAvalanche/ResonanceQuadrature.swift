import Foundation
import Special

/// A quadrature rule for expectations over p_{g_1a}(g) = p̃(g/g₁)/g₁:
///
///     E[φ(g₁X)] ≈ Σ_i w_i φ(g₁ x_i),   Σ_i w_i = ∫ p̃ (the distribution's mass).
///
/// Composite Gauss–Legendre (nodes and weights from GSL's gsl_integration_glfixed):
/// - body: `order` points on every interval between the distribution's breakpoints in
///   u = log x (for the sampled table these are its bins, on which the density is a
///   polynomial in u);
/// - tail, in t = 1/x ∈ [0, 1/x_t]: the integrands of the Appendix change where
///   g₁x ~ 1, i.e. t ~ g₁. If g₁ < 1/x_t the interval is cut geometrically (ratio e^{¼})
///   from t = 10⁻⁴g₁ up to 1/x_t, plus one interval [0, 10⁻⁴g₁] where the integrand is
///   linear in t to O(10⁻⁴); otherwise four equal intervals.
///
/// The rule is exact for the distribution's representation (up to GL's order) and resolves
/// every g₁ from 10⁻³⁰⁰ to 10³⁰⁰ with a few thousand nodes (the nodes g₁x stay finite up
/// to g₁ ≈ 10³⁰⁴; the Appendix integrands of `TwoLevelResonance` square g₁x and overflow
/// from g₁ ≈ 3·10¹⁴⁹: `SingleSpinForms` uses the large-g expansions above 10¹⁰⁰). Its error is estimated by
/// comparison with the rule of half the order (`EntropicEnhancement`).
public struct ResonanceQuadratureRule: Sendable {
    /// x_i (scaled variable).
    public let nodes: [Double]
    public let weights: [Double]

    public init(_ d: any ResonanceNormDistribution, scale g1: Double, order: Int = 8) throws {
        precondition(g1 > 0 && g1.isFinite, "scale must be positive")
        guard 1e-4 * g1 > 0, 1e-4 * g1 >= Double.leastNormalMagnitude else { throw ScaleOutOfRange(scale: g1) }
        let gl = try Self.legendre(order)
        var x = [Double](), w = [Double]()
        x.reserveCapacity(order * (d.bodyBreakpoints.count + 120))
        w.reserveCapacity(x.capacity)
        // Body, in u = log x.
        let b = d.bodyBreakpoints
        for k in 0..<(b.count - 1) {
            let a = b[k], c = b[k + 1], half = 0.5 * (c - a), mid = 0.5 * (a + c)
            for i in 0..<order {
                let u = mid + half * gl.nodes[i]
                let p = d.densityInLogX(u)
                if p == 0 { continue }
                x.append(exp(u)); w.append(half * gl.weights[i] * p)
            }
        }
        // Tail, in t = 1/x.
        let tt = 1 / d.tailStart
        var cuts: [Double]
        if g1 < tt {
            let t0 = 1e-4 * g1
            let n = max(1, Int((log(tt / t0) / 0.25).rounded(.up)))
            cuts = [0] + (0...n).map { t0 * exp(Double($0) * log(tt / t0) / Double(n)) }
            cuts[cuts.count - 1] = tt
        } else {
            cuts = (0...4).map { tt * Double($0) / 4 }
        }
        for k in 0..<(cuts.count - 1) {
            let a = cuts[k], c = cuts[k + 1], half = 0.5 * (c - a), mid = 0.5 * (a + c)
            for i in 0..<order {
                let t = mid + half * gl.nodes[i]
                let p = d.tailDensityInInverse(t)
                if p == 0 || t <= 0 { continue }
                x.append(1 / t); w.append(half * gl.weights[i] * p)
            }
        }
        nodes = x
        weights = w
    }

    /// Σ w_i (≈ the distribution's mass).
    public var mass: Double { weights.reduce(0, +) }

    /// Σ w_i φ(g₁ x_i) / Σ w_i: the expectation under the normalized distribution.
    public func expectation(scale g1: Double, _ phi: (Double) -> Double) -> Double {
        var s = 0.0, m = 0.0
        for i in nodes.indices { s += weights[i] * phi(g1 * nodes[i]); m += weights[i] }
        return s / m
    }

    /// Gauss–Legendre nodes/weights on [−1, 1], cached per order.
    static func legendre(_ n: Int) throws -> (nodes: [Double], weights: [Double]) {
        if let c = legendreCache.get(n) { return c }
        let r = try Quadrature.gaussLegendre(points: n, from: -1, to: 1)
        legendreCache.set(n, r)
        return r
    }
    private static let legendreCache = LegendreCache()
}

final class LegendreCache: @unchecked Sendable {
    private var table: [Int: (nodes: [Double], weights: [Double])] = [:]
    private let lock = NSLock()
    func get(_ n: Int) -> (nodes: [Double], weights: [Double])? { lock.lock(); defer { lock.unlock() }; return table[n] }
    func set(_ n: Int, _ v: (nodes: [Double], weights: [Double])) { lock.lock(); table[n] = v; lock.unlock() }
}

/// The rule's tail cut 10⁻⁴g₁ would be subnormal: use the exact small-g asymptotes instead.
public struct ScaleOutOfRange: Error, CustomStringConvertible {
    public let scale: Double
    public var description: String { "resonance quadrature: scale \(scale) too small (tail cut underflows); use the small-g asymptote" }
}

/// A quadrature result with its error estimate (|rule of order n − rule of order n/2|).
public struct QuadratureValue: Sendable, Equatable {
    public let value: Double
    public let error: Double
    public init(value: Double, error: Double) { self.value = value; self.error = error }
}

/// Single-spin infinite-time properties of Appendix A1 for a spin whose perturbative norms
/// follow p_{g_na}(g) = p̃(g/g_n)/g_n: the mean entanglement entropy (A13), the
/// time-averaged autocorrelator (A14), and the distribution of entropies (A12).
public struct SingleSpinForms: Sendable {
    public let distribution: any ResonanceNormDistribution
    public let order: Int

    public init(_ distribution: any ResonanceNormDistribution, order: Int = 8) {
        self.distribution = distribution
        self.order = order
    }

    /// Below this g the forms return their exact leading terms (A g π, with the tail amplitude
    /// A = p̃(1/t)/t² at t = 0): the corrections are O(g log g) relative, below 10⁻¹⁴⁰, and the
    /// quadrature's tail cut 10⁻⁴g would underflow.
    public static let asymptoticBelow = 1e-150

    /// At and above this g (and at g = +∞) the forms return their exact large-g expansions.
    /// With ½ − P = 1/(2√(1 + 4g²)) (A10), S(g) = log 2 − 1/(2(1 + 4g²)) + O(g⁻⁴) and
    /// (P − Q)² = 1/(1 + 4g²), so
    ///
    ///     [S] = log 2 − m₂/(8g²) + O(g⁻⁴),   C̄^zz = m₂/(4g²) + O(g⁻⁴),   m₂ = E[X⁻²]
    ///
    /// (m₂ = 0.097 for the sampled p̃; every negative moment is finite by the small-x
    /// suppression of p̃). The neglected terms are below 10⁻⁴⁰⁰ relative here, and the
    /// quadrature cannot go much higher: its outermost tail node is x ≈ 2·10⁴ (table, x_t = 100),
    /// where 4(gx)² overflows for g ≳ 3·10¹⁴⁹; P of (A10) then evaluates to 0, and to
    /// ∞/∞ = NaN from g ≈ 5·10¹⁴⁹.
    /// The mean-field solution reports g_n = +∞ where log g_n exceeds log(Double.greatestFiniteMagnitude)
    /// (`MeanFieldSolution.logCouplings`: a bubble enhanced by e^{η_tot/2} > e^{709}, i.e. η_tot ≳ 2048 log 2);
    /// these expansions are exact there (to the last bit: [S] = log 2, C̄^zz = 0).
    public static let asymptoticAbove = 1e100

    /// m₂ = E[X⁻²] of the normalized p̃ (the coefficient of the large-g expansions above),
    /// by the same quadrature at scale 1.
    func inverseSquareMoment() throws -> Double {
        try ResonanceQuadratureRule(distribution, scale: 1, order: order).expectation(scale: 1) { 1 / ($0 * $0) }
    }

    /// [S] = ∫ dg S(g) p_{g_na}(g) (A13), nats, with the quadrature error estimated by the
    /// half-order rule. g ≥ 0, +∞ allowed (see `asymptoticAbove`).
    public func meanEntropy(reducedCoupling g: Double) throws -> QuadratureValue {
        precondition(g >= 0, "[S] needs a reduced coupling g ≥ 0, got \(g)")
        if g == 0 { return QuadratureValue(value: 0, error: 0) }
        // ∫ S(y)/y² dy = π.
        if g < Self.asymptoticBelow { return QuadratureValue(value: distribution.tailDensityInInverse(0) * Double.pi * g / distribution.totalMass, error: 0) }
        // log 2 − m₂/(8g²), written so that g² cannot overflow.
        if g >= Self.asymptoticAbove { return QuadratureValue(value: log(2.0) - (try inverseSquareMoment()) / 8 / g / g, error: 0) }
        let a = try ResonanceQuadratureRule(distribution, scale: g, order: order)
            .expectation(scale: g, TwoLevelResonance.entropy)
        let b = try ResonanceQuadratureRule(distribution, scale: g, order: order / 2)
            .expectation(scale: g, TwoLevelResonance.entropy)
        return QuadratureValue(value: a, error: abs(a - b))
    }

    /// C̄^zz = ∫ dg p_{g_na}(g) (P − Q)² (A14).
    public func autocorrelator(reducedCoupling g: Double) throws -> QuadratureValue {
        precondition(g >= 0, "C̄^zz needs a reduced coupling g ≥ 0, got \(g)")
        if g == 0 { return QuadratureValue(value: 1, error: 0) }
        if g < Self.asymptoticBelow { return QuadratureValue(value: 1 - (try autocorrelatorDeficit(reducedCoupling: g)).value, error: 0) }
        // m₂/(4g²) (see `asymptoticAbove`).
        if g >= Self.asymptoticAbove { return QuadratureValue(value: try inverseSquareMoment() / 4 / g / g, error: 0) }
        let a = try ResonanceQuadratureRule(distribution, scale: g, order: order)
            .expectation(scale: g, TwoLevelResonance.autocorrelatorWeight)
        let b = try ResonanceQuadratureRule(distribution, scale: g, order: order / 2)
            .expectation(scale: g, TwoLevelResonance.autocorrelatorWeight)
        return QuadratureValue(value: a, error: abs(a - b))
    }

    /// 1 − C̄^zz, accurate also when it is tiny: ∫ p 4g²/(1 + 4g²).
    public func autocorrelatorDeficit(reducedCoupling g: Double) throws -> QuadratureValue {
        precondition(g >= 0, "1 − C̄^zz needs a reduced coupling g ≥ 0, got \(g)")
        if g == 0 { return QuadratureValue(value: 0, error: 0) }
        // ∫ 4/(1 + 4y²) dy = π.
        if g < Self.asymptoticBelow { return QuadratureValue(value: distribution.tailDensityInInverse(0) * Double.pi * g / distribution.totalMass, error: 0) }
        if g >= Self.asymptoticAbove { return QuadratureValue(value: 1 - (try autocorrelator(reducedCoupling: g)).value, error: 0) }
        let f: (Double) -> Double = { y in 4 * y * y / (1 + 4 * y * y) }
        let a = try ResonanceQuadratureRule(distribution, scale: g, order: order).expectation(scale: g, f)
        let b = try ResonanceQuadratureRule(distribution, scale: g, order: order / 2).expectation(scale: g, f)
        return QuadratureValue(value: a, error: abs(a - b))
    }

    /// The probability that the entropy lies in [s₁, s₂) (A12): S(g) is increasing, so it is
    /// F(g(s₂)/g_n) − F(g(s₁)/g_n) with F the CDF of p̃ (s₂ = log 2 means g = ∞).
    public func entropyProbability(reducedCoupling g: Double, from s1: Double, to s2: Double) -> Double {
        precondition(s1 >= 0 && s2 > s1 && s2 <= log(2.0) + 1e-15)
        let m = distribution.totalMass
        func cdf(_ s: Double) -> Double {
            if s >= log(2.0) { return 1 }
            if s <= 0 { return 0 }
            return distribution.cumulative(TwoLevelResonance.norm(forEntropy: s) / g) / m
        }
        return cdf(s2) - cdf(s1)
    }

    /// The density p_{S_na}(S) of (A12) at S ∈ (0, log 2): p_{g_na}(g(S)) / S′(g(S)).
    public func entropyDensity(reducedCoupling g: Double, entropy s: Double) -> Double {
        precondition(s > 0 && s < log(2.0))
        let gs = TwoLevelResonance.norm(forEntropy: s)
        return distribution.density(gs / g) / g / distribution.totalMass / TwoLevelResonance.entropyDerivative(gs)
    }
}
