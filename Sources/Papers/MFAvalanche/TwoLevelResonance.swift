import Foundation

/// The two-level resonance of Appendix A1: a state |E_a⟩ whose first-order correction has
/// norm g (Eq. 5/A7) hybridizes with its partner as in (A8)–(A9), with weights
///
///     P(g) = 1 − Q(g) = ½ (1 − 1/√(1 + 4g²))                                   (A10)
///
/// on the partner and Q(g) on itself. Everything the Appendix derives from one resonance is
/// a function of P alone: the spin's entanglement entropy S(g) (A11), its contribution
/// (P − Q)² to the time-averaged autocorrelator (A14), and the kernel K(g, g′) of (A24)–(A26).
///
/// All functions are written so that they keep full relative precision in both limits
/// (g → 0, where P ≈ g², and g → ∞, where ½ − P ≈ 1/(4g)). Entropies are in nats
/// (maximum log 2), the paper's convention.
public enum TwoLevelResonance {
    /// P(g) of (A10), evaluated as 2g²/(r(1 + r)) with r = √(1 + 4g²) (no cancellation).
    @inline(__always)
    public static func partnerWeight(_ g: Double) -> Double {
        let r = (1 + 4 * g * g).squareRoot()
        return 2 * g * g / (r * (1 + r))
    }

    /// ½ − P(g) = 1/(2√(1 + 4g²)) (the "distance from maximal mixing").
    @inline(__always)
    public static func halfMinusPartnerWeight(_ g: Double) -> Double {
        0.5 / (1 + 4 * g * g).squareRoot()
    }

    /// S(g) = −P log P − Q log Q (A11), nats.
    public static func entropy(_ g: Double) -> Double {
        binaryEntropy(partnerWeight(g))
    }

    /// −p log p − (1 − p) log(1 − p), nats, for p ∈ [0, 1].
    public static func binaryEntropy(_ p: Double) -> Double {
        if p <= 0 || p >= 1 { return 0 }
        return -p * log(p) - (1 - p) * log1p(-p)
    }

    /// (P − Q)² = 1/(1 + 4g²): the resonance's contribution to C̄^zz (A14).
    @inline(__always)
    public static func autocorrelatorWeight(_ g: Double) -> Double { 1 / (1 + 4 * g * g) }

    /// The inverse of S(g) on S ∈ [0, log 2): the g whose resonance has entropy S.
    /// P is found by bisection on the binary entropy (monotone on [0, ½]), then
    /// g = ½ √(1/(1 − 2P)² − 1).
    public static func norm(forEntropy s: Double) -> Double {
        precondition(s >= 0 && s < log(2.0), "entropy \(s) outside [0, log 2)")
        if s == 0 { return 0 }
        // Bisection on P ∈ (0, ½): robust, 60 halvings reach double precision.
        var lo = 0.0, hi = 0.5
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if binaryEntropy(mid) < s { lo = mid } else { hi = mid }
            if hi - lo <= 1e-17 * max(hi, 1e-300) { break }
        }
        let p = 0.5 * (lo + hi)
        let d = 1 - 2 * p            // = 1/√(1 + 4g²)
        return 0.5 * ((1 - d) * (1 + d)).squareRoot() / d
    }

    /// dS/dg at g (for the change of variables in the entropy distribution (A12)).
    /// dS/dP = log(Q/P), dP/dg = 2g/(1 + 4g²)^{3/2}.
    public static func entropyDerivative(_ g: Double) -> Double {
        let p = partnerWeight(g)
        if p <= 0 { return 0 }
        let r2 = 1 + 4 * g * g
        return (log1p(-p) - log(p)) * 2 * g / (r2 * r2.squareRoot())
    }

    /// The kernel K = K^(e) + K^(o) of (A24)–(A26) as a function of the two resonance
    /// weights, written through w = P Q′ + Q P′ ∈ [0, ½]:
    ///
    ///     K^(e) = √(P P′ + Q Q′) = √(1 − w),   K^(o) = √(P Q′ + Q P′) = √w.
    ///
    /// `kernelMinusOne` returns K − 1 = √w − w/(1 + √(1 − w)) (exact, no cancellation for
    /// small w: the small-g side of η).
    @inline(__always)
    public static func kernelMinusOne(_ p: Double, _ pp: Double) -> Double {
        let w = p * (1 - pp) + (1 - p) * pp
        return w.squareRoot() - w / (1 + (1 - w).squareRoot())
    }

    /// 1 − K/√2 as a function of δ = ½ − P and δ′ = ½ − P′: with u = 4δδ′,
    /// K/√2 = (√(1 + u) + √(1 − u))/2 and
    ///
    ///     1 − K/√2 = u² / ((√(1+u) + √(1−u)) (1 + √(1+u)) (1 + √(1−u)))
    ///
    /// (exact, no cancellation for small u: the large-g side of η, log 2 − η = O(g⁻⁴)).
    @inline(__always)
    public static func oneMinusScaledKernel(_ delta: Double, _ deltaPrime: Double) -> Double {
        let u = 4 * delta * deltaPrime
        let a = (1 + u).squareRoot(), b = (1 - u).squareRoot()
        return u * u / ((a + b) * (1 + a) * (1 + b))
    }
}
