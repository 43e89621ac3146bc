import Foundation
import Kernels
import Linalg

/// Samples of x = g_1a/g₁ in the random-matrix model of Appendix A1, in the limit the
/// Appendix's p̃ (A3) refers to: a GOE grain of large dimension, one spin whose splitting
/// is far above the level spacing (2hρ_g ≫ 1) and far below the bandwidth, and a coupling
/// V₁ that flips the spin, whose matrix elements between the two spin sectors are i.i.d.
/// Gaussian (the Appendix's ETH assumption, real for a real H).
///
/// Construction, per GOE spectrum (one `realization` of the stream):
/// 1. λ₁ < … < λ_D: GOE eigenvalues (`TridiagonalGOE`, O(D²)), unfolded to unit mean
///    spacing by the integrated density e_i = 𝒩(λ_i) (semicircle plus its GOE 1/D
///    correction). Unit spacing means ρ = 1 for the sector the state couples to.
/// 2. An up-sector state a (grain level e_a, energy e_a + h) couples to the down-sector
///    levels e_b − h: in unfolded units its detunings are Δ_b = e_a + K − e_b, with the
///    shift K = 2hρ_g (`shift`, ≫ 1 so that a and its resonance partners are uncorrelated
///    levels of the same spectrum, as for the grain of Eq. (1)). A down-sector state has
///    Δ_b = e_a − K − e_b. The window's states alternate between the two sectors (even
///    positions up, odd down), as the states at maximum entropy do.
/// 3. g_a² = Σ_{|Δ_b|<W} w_b²/Δ_b² + 2/W with w_b ~ N(0, 1) i.i.d. (ziggurat draws): the
///    explicit sum runs over the levels within `halfWidth` W spacings; beyond, the sum is
///    replaced by its mean at unit density, ∫_{|Δ|>W} dΔ/Δ² = 2/W (its fluctuation has
///    standard deviation ≈ √(2/W³), negligible).
/// 4. x_a = g_a/g₁ with g₁ = ρ·E|w| = √(2/π) (Eq. 3 with ρ = 1; the same-sector matrix
///    elements vanish, which (A5) counts in its average, and ρ is the many-body density,
///    twice the per-sector one, so the two factors of 2 cancel: g₁ = ρ_sector·E|V_odd|).
///
/// The `windowStates` states a at the centre of the spectrum are used (their partners
/// must stay in the bulk: checked at construction).
public struct ResonanceNormSampler: Sendable, Codable, Equatable {
    public let dimension: Int
    public let windowStates: Int
    public let shift: Double
    public let halfWidth: Double
    /// Independent draws of the matrix elements w_b per spectrum (the levels are reused:
    /// diagonalization dominates the cost; samples of one spectrum are correlated, which the
    /// table's batch jackknife accounts for).
    public let couplingDraws: Int

    public enum ConfigurationError: Error, CustomStringConvertible {
        case partnersOutsideBulk(String)
        public var description: String {
            switch self { case let .partnersOutsideBulk(s): return "resonance-norm sampler: \(s)" }
        }
    }

    public init(dimension: Int = 1024, windowStates: Int = 512, shift: Double = 32, halfWidth: Double = 64,
                couplingDraws: Int = 4) throws {
        self.dimension = dimension
        self.windowStates = windowStates
        self.shift = shift
        self.halfWidth = halfWidth
        self.couplingDraws = couplingDraws
        let lo = Double(dimension / 2 - windowStates / 2) - shift - halfWidth
        let hi = Double(dimension / 2 + windowStates / 2) + shift + halfWidth
        guard windowStates >= 1, halfWidth >= 8, shift >= 0, couplingDraws >= 1,
              lo >= Double(dimension) / 8, hi <= 7 * Double(dimension) / 8 else {
            throw ConfigurationError.partnersOutsideBulk(
                "D = \(dimension), window \(windowStates), K = \(shift), W = \(halfWidth): partners span unfolded [\(lo), \(hi)], outside the central 3/4")
        }
    }

    /// g₁ in unfolded units: ρ E|w| = √(2/π).
    public static let reducedCoupling = (2 / Double.pi).squareRoot()

    /// The x_a of one GOE spectrum: `couplingDraws` × `windowStates` values (draw-major,
    /// level order within a draw).
    public func sample(_ rng: inout RandomStream) throws -> [Double] {
        let lambda = try TridiagonalGOE.eigenvalues(dimension, &rng)
        let e = lambda.map { TridiagonalGOE.integratedDensity($0, dimension: dimension) }
        let first = dimension / 2 - windowStates / 2
        var out = [Double](repeating: 0, count: windowStates * couplingDraws)
        let far = 2 / halfWidth
        for q in 0..<(windowStates * couplingDraws) {
            let k = q % windowStates
            let a = first + k
            let centre = e[a] + (k % 2 == 0 ? shift : -shift)     // Δ_b = centre − e_b
            // First level with e_b > centre − W.
            var lo = 0, hi = dimension
            let lower = centre - halfWidth
            while lo < hi { let mid = (lo + hi) >> 1; if e[mid] > lower { hi = mid } else { lo = mid + 1 } }
            var g2 = far
            var b = lo
            while b < dimension {
                let delta = centre - e[b]
                if delta <= -halfWidth { break }
                let w = rng.normalZiggurat()
                g2 += w * w / (delta * delta)
                b += 1
            }
            out[q] = g2.squareRoot() / Self.reducedCoupling
        }
        return out
    }

    /// Mean unfolded spacing of the levels the samples use (a diagnostic: 1 up to the
    /// semicircle's finite-D corrections).
    public func meanSpacing(_ rng: inout RandomStream) throws -> Double {
        let lambda = try TridiagonalGOE.eigenvalues(dimension, &rng)
        let e = lambda.map { TridiagonalGOE.integratedDensity($0, dimension: dimension) }
        let lo = Int(Double(dimension / 2 - windowStates / 2) - shift - halfWidth)
        let hi = Int(Double(dimension / 2 + windowStates / 2) + shift + halfWidth)
        return (e[hi] - e[lo]) / Double(hi - lo)
    }
}
