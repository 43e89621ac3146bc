import Foundation
import Kernels

/// The avalanche picture of SM Sec. D: a bubble of dimension n_GOE that has absorbed all
/// l-bits within distance ℓ on both sides (the chain is closed through the bubble) has the
/// thermal dimension d_therm = n_GOE·4^ℓ; it absorbs the next pair when
///
///   matrix element / level spacing ~ e^{−ℓ/ξ} d_therm^{1/2} = e^{−ℓ/ξ} (n_GOE 4^ℓ)^{1/2}   (Eq. (8))
///
/// is at least of order 1. The avalanche stops at ℓ_c where the ratio equals the threshold
/// c (c = 1 in the printed closed form, which carries no constant).
public enum AvalancheTheory {
    /// ξ⋆ = 1/log 2, the printed critical localization length.
    public static let criticalLength = 1 / Foundation.log(2.0)

    /// ln of the ratio of Eq. (8) at distance ℓ, written as printed: −ℓ/ξ + ½ ln(n·4^ℓ)
    /// (evaluated in logarithms: 4^ℓ overflows for ℓ ≳ 512).
    public static func logResonanceRatio(distance l: Double, xi: Double, bubble n: Double) -> Double {
        -l / xi + 0.5 * (Foundation.log(n) + l * Foundation.log(4.0))
    }

    /// ℓ ≥ 0 where the ratio of Eq. (8) equals `threshold`, found by bracketing and bisection
    /// of the printed condition (no closed form used), with an error bound: the bisection
    /// interval plus the rounding of the condition at the root divided by its slope. nil when
    /// the ratio never falls to the threshold (ξ ≥ ξ⋆: the avalanche never stops) or when
    /// it is below the threshold already at ℓ = 0.
    public static func solveResonance(xi: Double, bubble n: Double, threshold c: Double = 1)
        -> (length: Double, error: Double)? {
        let lnc = Foundation.log(c)
        func f(_ l: Double) -> Double { logResonanceRatio(distance: l, xi: xi, bubble: n) - lnc }
        guard f(0) >= 0 else { return nil }
        var hi = 1.0
        while f(hi) >= 0 {
            hi *= 2
            if hi > 1e300 || !hi.isFinite { return nil }
        }
        var lo = 0.0
        for _ in 0..<2000 {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi { break }
            if f(mid) >= 0 { lo = mid } else { hi = mid }
        }
        let root = 0.5 * (lo + hi)
        // Rounding of f near the root: a few ulps of its largest term; slope |f'| = 1/ξ − ln 2.
        let slope = abs(1 / xi - Foundation.log(2.0))
        let terms = abs(root / xi) + abs(0.5 * Foundation.log(n)) + abs(root * Foundation.log(2.0)) + abs(lnc)
        let rounding = 4 * Double.ulpOfOne * terms / max(slope, .leastNormalMagnitude)
        return (root, (hi - lo) + rounding)
    }

    /// The printed closed form ℓ_c = (1/ξ − 1/ξ⋆)^{−1/2} log n_GOE (SM Sec. D), with
    /// u = 1/ξ − 1/ξ⋆ passed directly (no cancellation near ξ⋆).
    public static func printedLength(inverseGap u: Double, bubble n: Double) -> Double {
        Foundation.pow(u, -0.5) * Foundation.log(n)
    }

    /// The closed form of the root of Eq. (8) = c: ℓ_c = (½ log n_GOE − log c)/(1/ξ − 1/ξ⋆)
    /// (this project's algebra; c = 1 gives ½ (1/ξ − 1/ξ⋆)^{−1} log n_GOE).
    public static func closedFormLength(inverseGap u: Double, bubble n: Double, threshold c: Double = 1) -> Double {
        (0.5 * Foundation.log(n) - Foundation.log(c)) / u
    }

    /// The printed thermal dimension d_therm = n_GOE^{1/(1 − ξ/ξ⋆)} (main text and SM Sec. D),
    /// returned as its exponent 1/(1 − ξ/ξ⋆) of n_GOE.
    public static func printedThermalExponent(xi: Double) -> Double { 1 / (1 - xi / criticalLength) }

    /// log_n(n·4^ℓ) = 1 + ℓ log 4/log n: the exponent of n_GOE in d_therm = n_GOE·4^ℓ.
    public static func thermalExponent(length l: Double, bubble n: Double) -> Double {
        1 + l * Foundation.log(4.0) / Foundation.log(n)
    }

    /// ξ for a given u = 1/ξ − 1/ξ⋆.
    public static func xi(inverseGap u: Double) -> Double { 1 / (Foundation.log(2.0) + u) }

    /// The avalanche of SM Sec. D run site by site: the number ℓ of l-bit pairs absorbed
    /// before the ratio of Eq. (8) first falls below `threshold`, i.e. the smallest integer
    /// ℓ ≥ 0 with e^{−ℓ/ξ}(n·4^ℓ)^{1/2} < c (the condition evaluated as printed, in ξ). nil when
    /// it never falls below (ξ ≥ ξ⋆) within `limit` steps.
    public static func discreteLength(xi: Double, bubble n: Double, threshold c: Double = 1, limit: Int = 100_000_000) -> Int? {
        let lnc = Foundation.log(c)
        var l = 0
        while logResonanceRatio(distance: Double(l), xi: xi, bubble: n) >= lnc {
            l += 1
            if l > limit { return nil }
        }
        return l
    }

    /// The divergence exponent of a length ℓ(u) as u = 1/ξ − 1/ξ⋆ → 0: the least-squares slope
    /// of ln ℓ against ln u over `points` log-spaced u in `window`. nil when ℓ ≤ 0 somewhere.
    public static func divergenceExponent(window: ClosedRange<Double>, points: Int,
                                          length: (Double) -> Double?) -> Double? {
        precondition(window.lowerBound > 0 && points >= 3, "a positive u window and ≥ 3 points")
        let a = Foundation.log(window.lowerBound), b = Foundation.log(window.upperBound)
        var x = [Double](), y = [Double]()
        for k in 0..<points {
            let lu = a + (b - a) * Double(k) / Double(points - 1)
            guard let l = length(Foundation.exp(lu)), l > 0, l.isFinite else { return nil }
            x.append(lu); y.append(Foundation.log(l))
        }
        return (try? linearFit(x: x, y: y))?.slope
    }
}
