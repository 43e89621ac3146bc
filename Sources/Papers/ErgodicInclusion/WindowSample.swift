import Foundation
import Kernels
import Linalg
import Verification

/// The measurement of one realization at one parameter point (the paper's numerical
/// protocol, Sec. II): the K eigenpairs nearest a target energy (the spectral centre
/// (E_min + E_max)/2 unless stated), their mean adjacent-gap ratio and, when vectors are
/// computed, per-site sums of the magnetizations m_i = ⟨n|S^z_i|n⟩ over the K eigenstates —
/// enough for mean purities γ̄_i = ½ + 2⟨m_i²⟩ (Eq. (5)), their variances and the Pearson
/// correlation C(r) of Eq. (7) pooled over realizations, without storing eigenvectors.
public struct WindowSample: Codable, Sendable, Equatable {
    /// ⟨r̃⟩ over the K − 2 gap ratios of the window's levels.
    public var meanGapRatio: Double
    /// K, the number of eigenstates in the window.
    public var states: Int
    /// Σ_n m_i, Σ_n m_i², Σ_n m_i⁴ per site i (empty for a values-only sample).
    public var sumM: [Double]
    public var sumM2: [Double]
    public var sumM4: [Double]
    /// Σ_n γ_0 γ_r and Σ_n γ_{L−1} γ_{L−1−r} for r = 0 … L−1 (the purity products with the
    /// two sites next to the bubble, or the two chain ends without it).
    public var sumGammaEnd0: [Double]
    public var sumGammaEnd1: [Double]

    public init(meanGapRatio: Double, states: Int, sumM: [Double] = [], sumM2: [Double] = [], sumM4: [Double] = [],
                sumGammaEnd0: [Double] = [], sumGammaEnd1: [Double] = []) {
        self.meanGapRatio = meanGapRatio; self.states = states; self.sumM = sumM; self.sumM2 = sumM2
        self.sumM4 = sumM4; self.sumGammaEnd0 = sumGammaEnd0; self.sumGammaEnd1 = sumGammaEnd1
    }

    /// The sample of K eigenstates with magnetizations m[n][i] and window levels `levels`.
    public init(levels: [Double], magnetizations m: [[Double]]) {
        let l = m.first?.count ?? 0
        var s1 = [Double](repeating: 0, count: l), s2 = s1, s4 = s1, c0 = s1, c1 = s1
        for row in m {
            let g0 = purity(magnetization: row[0]), g1 = purity(magnetization: row[l - 1])
            for i in 0..<l {
                let x = row[i], x2 = x * x
                s1[i] += x; s2[i] += x2; s4[i] += x2 * x2
                c0[i] += g0 * purity(magnetization: row[i])
                c1[i] += g1 * purity(magnetization: row[l - 1 - i])
            }
        }
        self.init(meanGapRatio: Kernels.meanGapRatio(sortedLevels: levels), states: m.count, sumM: s1, sumM2: s2, sumM4: s4,
                  sumGammaEnd0: c0, sumGammaEnd1: c1)
    }

    /// Σ_n γ_i = K/2 + 2Σ m_i².
    public func sumGamma(_ i: Int) -> Double { 0.5 * Double(states) + 2 * sumM2[i] }
    /// Σ_n γ_i² = K/4 + 2Σ m_i² + 4Σ m_i⁴.
    public func sumGammaSquared(_ i: Int) -> Double { 0.25 * Double(states) + 2 * sumM2[i] + 4 * sumM4[i] }
    /// γ̄_i over this sample's eigenstates.
    public func meanPurity(_ i: Int) -> Double { sumGamma(i) / Double(states) }

    /// Diagonalize `model` and measure the `count` eigenpairs nearest `target` (the spectral
    /// centre by default); `vectors: false` measures the gap ratio only (values-only LAPACK).
    /// The solver is `policy`'s (`EigensolverPolicy`: dense LAPACK up to dimension 4096, sparse
    /// shift-invert above, where the centre comes from the spectral bounds and the window's
    /// levels are the shift-invert Ritz values).
    public static func measure(_ model: BubbleChain, count: Int, target: SpectralTarget = .centre,
                               vectors: Bool = true, policy: EigensolverPolicy = .automatic) throws -> WindowSample {
        let h = try model.hamiltonian()
        if !vectors {
            let p = try h.diagonalize(.nearestValues(count: count, to: target), policy: policy)
            return WindowSample(meanGapRatio: Kernels.meanGapRatio(sortedLevels: p.windowLevels), states: p.window.count)
        }
        let p = try h.diagonalize(.nearest(count: count, to: target), policy: policy)
        guard let v = p.vectors else { throw ClaimError.nonConvergence("the window diagonalization returned no eigenvectors") }
        let m = siteMagnetizations(vectors: v, basis: h.basis, blockDimension: h.blockDimension)
        return WindowSample(levels: p.windowLevels, magnetizations: m)
    }
}

/// Pooled purity statistics of many `WindowSample`s (all eigenstates of all realizations as
/// one sample, the paper's averages "over disorder realizations and eigenstates"), with
/// standard errors from the spread of per-realization means (eigenstates of one realization
/// are not independent).
public struct PooledPurity: Sendable {
    public let sites: Int
    public let realizations: Int
    /// γ̄_i and its standard error (over per-realization means).
    public let mean: [Double]
    public let error: [Double]
    /// Per-realization mean purities (realization-major), for bootstrap and paired errors.
    public let perRealization: [[Double]]

    public init(_ samples: [WindowSample]) {
        precondition(!samples.isEmpty && !samples[0].sumM2.isEmpty, "pooled purity needs samples with vectors")
        let l = samples[0].sumM2.count
        sites = l; realizations = samples.count
        perRealization = samples.map { s in (0..<l).map { s.meanPurity($0) } }
        // Equal weights per realization (every sample has the same K within a claim's set).
        var m = [Double](repeating: 0, count: l), e = m
        for i in 0..<l {
            let s = SampleSummary(perRealization.map { $0[i] })
            m[i] = s.mean; e[i] = s.standardError
        }
        mean = m; error = e
    }

    /// γ̄ at distance d from the bubble: the mean of sites d and L−1−d (equivalent by the
    /// mirror symmetry of the ensemble), per realization.
    public func perRealizationAtDistance(_ d: Int) -> [Double] {
        perRealization.map { d == sites - 1 - d ? $0[d] : 0.5 * ($0[d] + $0[sites - 1 - d]) }
    }

    /// Site-averaged purity per realization.
    public var perRealizationSiteAverage: [Double] { perRealization.map { $0.reduce(0, +) / Double(sites) } }
}

/// The Pearson correlation C(r) of Eq. (7) between the purity next to the bubble (site 0;
/// pooled with its mirror image L−1) and the purity at distance r, over all eigenstates of
/// `samples` (indices `subset`, with repetitions for a bootstrap).
public func purityCorrelation(_ samples: [WindowSample], subset: [Int]? = nil) -> [Double] {
    let idx = subset ?? Array(samples.indices)
    let l = samples[idx[0]].sumM2.count
    let half = l / 2
    var out = [Double]()
    for r in 0...half {
        // Pool the two ends: pairs (0, r) and (L−1, L−1−r).
        var n = 0.0, sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0
        for k in idx {
            let s = samples[k]
            let kk = Double(s.states)
            for (a, b, ab) in [(0, r, s.sumGammaEnd0[r]), (l - 1, l - 1 - r, s.sumGammaEnd1[r])] {
                n += kk
                sa += s.sumGamma(a); sb += s.sumGamma(b)
                saa += s.sumGammaSquared(a); sbb += s.sumGammaSquared(b)
                sab += ab
            }
        }
        let ma = sa / n, mb = sb / n
        let cov = sab / n - ma * mb
        let va = saa / n - ma * ma, vb = sbb / n - mb * mb
        out.append(cov / (va * vb).squareRoot())
    }
    return out
}
