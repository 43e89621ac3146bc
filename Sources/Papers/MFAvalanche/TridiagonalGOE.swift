import Foundation
import Kernels
import Linalg

/// Gamma and chi variates on the package's Philox streams.
extension RandomStream {
    /// Gamma(shape a, scale 1) for every a > 0: `gamma(shape:)` of Kernels (Marsaglia & Tsang,
    /// ACM TOMS 26, 363 (2000), a ≥ 1) and, for a < 1, their boost Gamma(a + 1)·U^{1/a}
    /// (the same draws, in the same order, as this folder's former own sampler).
    public mutating func gammaAnyShape(_ a: Double) -> Double {
        precondition(a > 0, "gamma shape must be positive")
        if a >= 1 { return gamma(shape: a) }
        let g = gamma(shape: a + 1)
        let u = 1.0 - uniform()            // (0, 1]
        return g * Foundation.pow(u, 1 / a)
    }

    /// χ_k: the square root of a χ² variate with k degrees of freedom (2·Gamma(k/2)).
    public mutating func chi(degreesOfFreedom k: Int) -> Double {
        precondition(k >= 1)
        return (2 * gammaAnyShape(0.5 * Double(k))).squareRoot()
    }
}

/// GOE eigenvalues in O(n²) from the Dumitriu–Edelman tridiagonal model (J. Math. Phys.
/// 43, 5830 (2002)), β = 1: the symmetric tridiagonal matrix with diagonal N(0, 1) and
/// off-diagonal χ_{n−1}/√2, χ_{n−2}/√2, …, χ_1/√2 has exactly the eigenvalue law of the
/// package's GOE (`RandomMatrix.goe`: off-diagonal variance ½, diagonal variance 1,
/// density ∝ exp(−tr H²/2), semicircle radius √(2n)). Only values are computed (dstevr).
public enum TridiagonalGOE {
    /// The eigenvalues (ascending) of one n×n GOE draw.
    public static func eigenvalues(_ n: Int, _ rng: inout RandomStream) throws -> [Double] {
        precondition(n >= 1)
        var d = [Double](repeating: 0, count: n)
        for i in 0..<n { d[i] = rng.normalZiggurat() }
        var e = [Double](repeating: 0, count: max(0, n - 1))
        let s = 0.5.squareRoot()
        for i in 0..<(n - 1) { e[i] = s * rng.chi(degreesOfFreedom: n - 1 - i) }
        return try tridiagonalEigen(diagonal: d, offDiagonal: e, vectors: false).values
    }

    /// The integrated density of states 𝒩(E) for this normalization (radius R = √(2n)),
    /// y = E/R clamped to [−1, 1]:
    ///
    ///     𝒩(E) = n (½ + (y√(1 − y²) + arcsin y)/π) − arcsin(y)/(2π),
    ///
    /// the semicircle plus the GOE's O(1/n) bulk correction to the density,
    /// −1/(2π√(4 − x²)) per unit x = 2y in units where the semicircle is √(4 − x²)/(2π)
    /// (the β-ensemble correction (1/β − ½)(…) at β = 1; it lowers the centre density by a
    /// factor 1 − 1/(4n)). Unfolding e_i = 𝒩(λ_i) gives levels of unit mean spacing in the bulk.
    public static func integratedDensity(_ energy: Double, dimension n: Int) -> Double {
        let r = (2 * Double(n)).squareRoot()
        let y = min(1, max(-1, energy / r))
        return Double(n) * (0.5 + (y * (1 - y * y).squareRoot() + asin(y)) / Double.pi) - asin(y) / (2 * Double.pi)
    }

    /// Semicircle density ρ(E) = (1/π)√(2n − E²) for this normalization.
    public static func density(_ energy: Double, dimension n: Int) -> Double {
        max(0, 2 * Double(n) - energy * energy).squareRoot() / Double.pi
    }
}
