import Foundation
import Kernels
import Verification

/// Sufficient statistics of one disorder realization's single-site purities P_i(n) = ⟨n|σ^z_i|n⟩²
/// (γ_i = ½(1 + P_i), Eq. (5)) over all eigenstates n of the sector, from which the purity
/// correlation C(r) of Eq. (7) between far sites is estimated exactly over any set of
/// realizations (so shards merge bitwise). C(r) is a Pearson coefficient and invariant under
/// γ = ½(1 + P), so P is used throughout.
///
/// "Far" pairs: interior sites i < j in 1 … L−2 (two bonds each) with j − i ≥ `minimumDistance`.
/// At second order in J/W the purity of site i depends on h_{i−1}, h_i, h_{i+1} and on
/// η_{i−2} … η_{i+2} (the J_z shifts of the two resonance conditions), so for j − i ≥ 5 the two
/// purities share neither fields nor configuration variables: what remains is the correlation
/// the S^z = 0 constraint puts between distant η (SM Sec. E, Eq. (23)).
public struct PurityMoments: Codable, Sendable, Equatable {
    /// Eigenstates (or configurations) D of the realization.
    public var states: Int
    /// Σ_n P_i(n), per site.
    public var sums: [Double]
    /// Σ_n P_i(n)², per site.
    public var squares: [Double]
    /// Σ over the far pairs (i, j) of Σ_n P_i(n) P_j(n).
    public var farProducts: Double
    /// Mean over the far pairs of this realization's covariance over eigenstates,
    /// (1/D) Σ_n P_iP_j − (1/D²)(Σ_n P_i)(Σ_n P_j).
    public var farWithinCovariance: Double

    /// From the purities of every state (`purities[n][i]`).
    public init(purities: [[Double]], farPairs: [(Int, Int)]) {
        let l = purities.first?.count ?? 0
        var s = [Double](repeating: 0, count: l), q = [Double](repeating: 0, count: l)
        var products = [Double](repeating: 0, count: farPairs.count)
        for p in purities {
            for i in 0..<l { s[i] += p[i]; q[i] += p[i] * p[i] }
            for (k, (i, j)) in farPairs.enumerated() { products[k] += p[i] * p[j] }
        }
        let d = Double(purities.count)
        states = purities.count
        sums = s; squares = q
        farProducts = products.reduce(0, +)
        farWithinCovariance = farPairs.isEmpty ? 0
            : zip(farPairs, products).map { pair, x in x / d - s[pair.0] * s[pair.1] / (d * d) }.reduce(0, +) / Double(farPairs.count)
    }

    /// The far pairs of an L-site open chain (see the type's doc comment).
    public static func farPairs(sites l: Int, minimumDistance r: Int) -> [(Int, Int)] {
        guard l >= 4 else { return [] }
        return (1..<(l - 1)).flatMap { i in ((i + r)..<max(i + r, l - 1)).map { (i, $0) } }
    }
}

/// Estimates of the far-pair purity correlation over a list of realizations of one (L, W).
public struct ResidualCorrelationEstimate: Sendable, Equatable {
    /// Eq. (7) with the covariance taken within each realization (over its eigenstates) and
    /// averaged over realizations, normalized by the ensemble variance: the same quantity as
    /// `pooled` whenever the between-realization part vanishes (independent fields at the two
    /// sites), with far smaller noise.
    public var pearson: Double
    /// Eq. (7) literally: covariance and variances over the pooled (realization, eigenstate) ensemble.
    public var pooledPearson: Double
    /// The covariance of Eq. (22) (within realizations, averaged over far pairs).
    public var covariance: Double
    /// The ensemble variance of P_i, averaged over the interior sites.
    public var variance: Double

    /// Aggregates `samples` (all but index `excluding`, for the delete-one jackknife).
    public init(_ samples: [PurityMoments], farPairs: [(Int, Int)], excluding skip: Int? = nil) {
        let l = samples.first?.sums.count ?? 0
        var n = 0.0, s = [Double](repeating: 0, count: l), q = [Double](repeating: 0, count: l)
        var products = 0.0, within = 0.0, count = 0.0
        for (k, m) in samples.enumerated() where k != skip {
            n += Double(m.states)
            for i in 0..<l { s[i] += m.sums[i]; q[i] += m.squares[i] }
            products += m.farProducts
            within += m.farWithinCovariance
            count += 1
        }
        let interior = l >= 3 ? Array(1..<(l - 1)) : []
        let variance = interior.map { q[$0] / n - (s[$0] / n) * (s[$0] / n) }.reduce(0, +) / Double(max(interior.count, 1))
        let pairs = Double(max(farPairs.count, 1))
        let pooledCov = products / n / pairs - farPairs.map { (s[$0.0] / n) * (s[$0.1] / n) }.reduce(0, +) / pairs
        self.covariance = within / count
        self.variance = variance
        self.pearson = covariance / variance
        self.pooledPearson = pooledCov / variance
    }
}

/// The locator ensemble of SM Sec. E in the main text's units (Eq. (2), J = 1): every
/// configuration η of the sector is an eigenstate, and each domain wall on bond (b, b+1)
/// lowers the purity of both its sites by the two-level result
/// 1 − P = J²/(ε_b² + J²), ε_b = (h_b − h_{b+1}) + (Δ/2)(η_{b−1} − η_{b+2}) (η = 0 outside the
/// chain), the energy difference of the two configurations the wall's hop connects, with
/// hopping J/2 between them. For |ε_b| ≫ J this is Eq. (21)'s second order (in the
/// supplement's units: 1 − P = (2J_sup/ε_sup)² per wall, with this project's corrected factor,
/// see perturbative-purity); near resonance it stays in [0, 1], so the disorder averages the
/// paper replaces "by some typical value" are finite: E[1 − P | wall] → πJ/(2W), E[(1 − P)² | wall]
/// → πJ/(4W) as W → ∞. Two walls at one site add (P clamped at 0; probability O(J²/W²)).
public enum LocatorEnsemble {
    /// P_i for the configuration `state` (bit k set ⇔ η_k = +1) of an L-site chain.
    public static func purities(state: UInt64, fields h: [Double], anisotropy delta: Double, hopping j: Double = 1) -> [Double] {
        let l = h.count
        @inline(__always) func eta(_ k: Int) -> Double { k < 0 || k >= l ? 0 : ((state >> UInt64(k)) & 1 == 1 ? 1 : -1) }
        var loss = [Double](repeating: 0, count: l)
        for b in 0..<(l - 1) where eta(b) != eta(b + 1) {
            let e = (h[b] - h[b + 1]) + 0.5 * delta * (eta(b - 1) - eta(b + 2))
            let u = j * j / (e * e + j * j)
            loss[b] += u; loss[b + 1] += u
        }
        return loss.map { max(0, 1 - $0) }
    }
}

/// One disorder realization for the residual purity correlation: the bare chain of Eq. (2)
/// (J = 1, anisotropy Δ, h_i ∈ [−W, W], open, sector ⌈L/2⌉ up spins), all eigenstates by ED,
/// and the locator ensemble on the same fields.
public struct ResidualCorrelationSample: Codable, Sendable, Equatable {
    public var ed: PurityMoments
    public var locator: PurityMoments

    public static func measure(sites l: Int, disorder w: Double, anisotropy delta: Double, minimumDistance r: Int,
                               _ rng: inout RandomStream) throws -> ResidualCorrelationSample {
        let fields = (0..<l).map { _ in w * (2 * rng.uniform() - 1) }
        let ham = try BubbleChain(fields: fields, anisotropy: delta).hamiltonian()
        let p = try ham.diagonalize(.all)
        guard let v = p.vectors else { throw ClaimError.nonConvergence("no eigenvectors") }
        let pairs = PurityMoments.farPairs(sites: l, minimumDistance: r)
        let ed = siteMagnetizations(vectors: v, basis: ham.basis, blockDimension: 1).map { m in m.map { 4 * $0 * $0 } }
        let loc = ham.basis.states.map { LocatorEnsemble.purities(state: $0, fields: fields, anisotropy: delta) }
        return ResidualCorrelationSample(ed: PurityMoments(purities: ed, farPairs: pairs),
                                         locator: PurityMoments(purities: loc, farPairs: pairs))
    }
}
