import Foundation
import Kernels
import Linalg
import Numerics
import Verification

/// Claims of open-sync: Zhao, Moore, Thingna, Wächtler, "Quantum synchronization of
/// perturbed oscillating coherences" (../shared/papers/open-sync.txt).
///
/// Models and typed measurements live in Models.swift and Measurements.swift, the
/// characterization functions χ, χ₂ below; generic kernels (spin operators, Lindblad
/// superoperators, Husimi phase distributions, the App. F random-Liouvillian ensemble) are
/// in Kernels.
public enum OpenSync {
    public static let claims: [Claim] = [
        chiUniform, chiConfigurations, spin1ZeroModes, husimiEq8, syncConfigurations,
        randomPerturbations, spinHalfPair, twoSpin1Oscillators,
    ]

    /// χ of Eq. (9) / (C1): χ = l², l = (3/4π) min_{j∈{0,1,2}} Σ_i argdist(φ_i, φ̄_j),
    /// φ̄_j = (2πj + Σ_k φ_k)/3. (Eq. (9) squares inside the min, (C1) outside: identical,
    /// since l ≥ 0.)
    public static func chi(_ p1: Double, _ p2: Double, _ p3: Double) -> Double {
        let l = chiLength(p1, p2, p3)
        return l * l
    }

    /// l = √χ of Eq. (C1).
    public static func chiLength(_ p1: Double, _ p2: Double, _ p3: Double) -> Double {
        let s = p1 + p2 + p3
        var best = Double.infinity
        for j in 0..<3 {
            let pb = (2 * Double.pi * Double(j) + s) / 3
            best = min(best, angularDistance(p1, pb) + angularDistance(p2, pb) + angularDistance(p3, pb))
        }
        return 3 / (4 * Double.pi) * best
    }

    /// Readings of "the average angle" in Eq. (9) other than the printed min over the three
    /// φ̄_j: the candidate wrong answers of open-sync.chi-uniform. All keep the normalization
    /// 3/(4π) and the square.
    enum ChiReading: String, CaseIterable, Sendable {
        /// No minimum over j, φ̄ = (φ′₁ + φ′₂)/3 with the relative angles taken in (−π, π]:
        /// Eq. (C3)'s j = 0 (right on T¹, T⁴) used on the whole torus.
        case principalMeanNoMin = "φ̄ = (φ′₁ + φ′₂)/3 with φ′ ∈ (−π, π], no min over j"
        /// No minimum over j with angles in [0, 2π) (the former control).
        case zeroTwoPiNoMin = "φ̄ = (φ₁ + φ₂ + φ₃)/3 with φ ∈ [0, 2π), no min over j"
        /// The circular mean arg Σ e^{iφ_k} as the centre.
        case circularMean = "circular mean arg Σ e^{iφ_k} as the average angle"
        /// The circular median (the centre minimizing Σ argdist, always one of the φ_k).
        case circularMedian = "circular median (minimizer of Σ argdist over the circle) as the average angle"

        /// χ of the relative angles (φ′₁, φ′₂, 0) under this reading.
        func chi(_ a: Double, _ b: Double) -> Double {
            let twoPi = 2 * Double.pi
            func principal(_ x: Double) -> Double {
                var r = x.truncatingRemainder(dividingBy: twoPi)
                if r > .pi { r -= twoPi } else if r <= -.pi { r += twoPi }
                return r
            }
            func zeroTwoPi(_ x: Double) -> Double {
                let r = x.truncatingRemainder(dividingBy: twoPi)
                return r < 0 ? r + twoPi : r
            }
            let centre: Double
            switch self {
            case .principalMeanNoMin: centre = (principal(a) + principal(b)) / 3
            case .zeroTwoPiNoMin: centre = (zeroTwoPi(a) + zeroTwoPi(b)) / 3
            case .circularMean: centre = Foundation.atan2(sin(a) + sin(b), cos(a) + cos(b) + 1)
            case .circularMedian:
                let sums = [a, b, 0].map { c in angularDistance(a, c) + angularDistance(b, c) + angularDistance(0, c) }
                let l = 3 / (4 * Double.pi) * sums.min()!
                return l * l
            }
            let l = 3 / (4 * Double.pi) * (angularDistance(a, centre) + angularDistance(b, centre) + angularDistance(0, centre))
            return l * l
        }
    }

    /// χ with the average angle φ̄_j selected by another rule than the smallest Σ argdist:
    /// the least-squares (Fréchet) rule (smallest Σ argdist²) and the φ̄_j nearest the
    /// circular mean. Both coincide with Eq. (9) (tested on the tabulation grid).
    static func chiOtherSelections(_ a: Double, _ b: Double) -> (leastSquares: Double, nearestCircularMean: Double) {
        let s = a + b
        let centres = (0..<3).map { (2 * Double.pi * Double($0) + s) / 3 }
        let sums = centres.map { angularDistance(a, $0) + angularDistance(b, $0) + angularDistance(0, $0) }
        let squares = centres.map { c in [a, b, 0].map { angularDistance($0, c) * angularDistance($0, c) }.reduce(0, +) }
        let cm = Foundation.atan2(sin(a) + sin(b), cos(a) + cos(b) + 1)
        let jLS = squares.indices.min { squares[$0] < squares[$1] }!
        let jCM = centres.indices.min { angularDistance(centres[$0], cm) < angularDistance(centres[$1], cm) }!
        let l = { (j: Int) in 3 / (4 * Double.pi) * sums[j] }
        return (l(jLS) * l(jLS), l(jCM) * l(jCM))
    }

    /// χ₂ of Eq. (D6): argdist(φ′, 0)/π.
    public static func chi2(_ p: Double) -> Double { angularDistance(p, 0) / Double.pi }

    /// The intervals I₁, I₂, I₃ around the χ peaks 0, 1/4, 1 (text before Fig. 3).
    static let intervals: [ClosedRange<Double>] = [0...(2.0 / 16), (3.0 / 16)...(5.0 / 16), (14.0 / 16)...1]

    /// The law of a statistic f(φ′₁, φ′₂) for uniform relative angles, tabulated on the
    /// midpoints of an n × n grid of the torus (deterministic; CDF error O(1/n)).
    static func torusLaw(grid n: Int, midpoints: Bool = true, _ f: (Double, Double) -> Double) -> EmpiricalCDF {
        let h = 2 * Double.pi / Double(n)
        let off = midpoints ? 0.5 : 0
        var v = [Double]()
        v.reserveCapacity(n * n)
        for i in 0..<n { for j in 0..<n { v.append(f((Double(i) + off) * h, (Double(j) + off) * h)) } }
        return EmpiricalCDF(v)
    }

    static func fmt(_ x: Double, _ digits: Int = 4) -> String { formatNumber(x, digits: digits) }
}
