import Foundation
import Kernels
import Special

/// The entropic enhancement η(g) of Eq. (A27),
///
///     η(g) = 2 log ∬ dg dg′ p_{g_1a}(g) p_{g_1a}(g′) K(g, g′),
///     K = K^(e) + K^(o) = √(PP′ + QQ′) + √(PQ′ + QP′) = √(1 − w) + √w,  w = PQ′ + QP′,
///
/// with p_{g_1a}(g) = p̃(g/g₁)/g₁ (A3) and P = P(g) of (A10). The double integral is the
/// product of the one-dimensional `ResonanceQuadratureRule` with itself (symmetric: i ≤ j).
/// Two exact rewritings keep full precision at both ends:
///
///     small g:  η = 2 log1p(E[K − 1]),          E[K − 1] ≈ 4g log(1/g)
///     large g:  η = log 2 + 2 log1p(−E[1 − K/√2]),   E[1 − K/√2] = O(g⁻⁴)
///
/// The weights are normalized by their sum (the distribution's mass, reported), so η(0) = 0
/// and η(∞) = log 2 exactly. The quadrature error is |η_n − η_{n/2}| (rule of order n
/// against half the order).
public struct EntropicEnhancement: Sendable {
    public let distribution: any ResonanceNormDistribution
    public let order: Int

    public init(_ distribution: any ResonanceNormDistribution, order: Int = 8) {
        precondition(order >= 2 && order % 2 == 0, "order must be even (error from the half-order rule)")
        self.distribution = distribution
        self.order = order
    }

    /// One evaluation of (A27).
    public struct Evaluation: Sendable {
        public let g: Double
        /// η(g).
        public let eta: Double
        /// log 2 − η(g), accurate at large g.
        public let deficit: Double
        /// E[K − 1] = e^{η/2} − 1: the quantity whose small-g expansion is 4g log(1/g) + A₁g + O(g²).
        public let kernelExcess: Double
        /// |η_n − η_{n/2}|.
        public let quadratureError: Double
        /// |deficit_n − deficit_{n/2}|.
        public let deficitQuadratureError: Double
        /// Σ w_i of the rule (the distribution's mass to quadrature accuracy).
        public let mass: Double
    }

    /// η(g) with its quadrature error. g = 0 gives 0.
    public func evaluate(_ g: Double) throws -> Evaluation {
        precondition(g >= 0 && g.isFinite, "η needs a finite g ≥ 0")
        if g == 0 {
            return Evaluation(g: 0, eta: 0, deficit: log(2.0), kernelExcess: 0, quadratureError: 0,
                              deficitQuadratureError: 0, mass: distribution.totalMass)
        }
        let hi = try sums(g, order)
        let lo = try sums(g, order / 2)
        return Evaluation(g: g, eta: hi.eta, deficit: hi.deficit, kernelExcess: hi.excess,
                          quadratureError: abs(hi.eta - lo.eta), deficitQuadratureError: abs(hi.deficit - lo.deficit),
                          mass: hi.mass)
    }

    /// η(g) only.
    public func callAsFunction(_ g: Double) throws -> Double { try evaluate(g).eta }

    private func sums(_ g: Double, _ n: Int) throws -> (eta: Double, deficit: Double, excess: Double, mass: Double) {
        let rule = try ResonanceQuadratureRule(distribution, scale: g, order: n)
        let m = rule.mass
        let count = rule.nodes.count
        var w = rule.weights
        for i in 0..<count { w[i] /= m }
        var p = [Double](repeating: 0, count: count), d = p
        for i in 0..<count {
            let y = g * rule.nodes[i]
            p[i] = TwoLevelResonance.partnerWeight(y)
            d[i] = TwoLevelResonance.halfMinusPartnerWeight(y)
        }
        // E[K − 1] always; E[1 − K/√2] only where it is the better-conditioned form.
        let excess = symmetricDoubleSum(w, p, TwoLevelResonance.kernelMinusOne)
        if excess < 0.2 {
            let eta = 2 * log1p(excess)
            return (eta, log(2.0) - eta, excess, m)
        }
        let defect = symmetricDoubleSum(w, d, TwoLevelResonance.oneMinusScaledKernel)
        let deficit = -2 * log1p(-defect)
        let eta = log(2.0) - deficit
        return (eta, deficit, excess, m)
    }

    /// Σ_ij w_i w_j k(a_i, a_j) for symmetric k, summed over i ≤ j in row order.
    @inline(__always)
    private func symmetricDoubleSum(_ w: [Double], _ a: [Double], _ k: (Double, Double) -> Double) -> Double {
        let n = w.count
        var total = 0.0
        w.withUnsafeBufferPointer { ww in
            a.withUnsafeBufferPointer { aa in
                for i in 0..<n {
                    let ai = aa[i]
                    var row = 0.5 * ww[i] * k(ai, ai)
                    var j = i + 1
                    while j < n { row += ww[j] * k(ai, aa[j]); j += 1 }
                    total += 2 * ww[i] * row
                }
            }
        }
        return total
    }
}
