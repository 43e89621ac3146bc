import Foundation
import Kernels
import Linalg
import Verification

/// One parameter point of a gap-ratio scan of a `BubbleChainDraw`: the chain of the draw's
/// first `sites` unit fields, with the draw's bubble (Eqs. (1)–(4)) or bare (Eq. (2)), at
/// disorder W, bandwidth β and coupling g (β and g unused without the bubble).
public struct GapRatioPoint: Codable, Sendable, Equatable {
    public var sites: Int
    public var withBubble: Bool
    public var disorder: Double
    public var beta: Double
    public var coupling: Double

    public init(sites: Int, withBubble: Bool, disorder: Double, beta: Double = 0, coupling: Double = 0) {
        self.sites = sites; self.withBubble = withBubble; self.disorder = disorder; self.beta = beta; self.coupling = coupling
    }

    /// The model of this point for a draw (the draw's first `sites` fields and its bubble).
    public func model(_ d: BubbleChainDraw) -> BubbleChain {
        precondition(sites >= 2 && sites <= d.sites, "a point of \(sites) sites needs a draw of at least that many fields")
        let prefix = BubbleChainDraw(unitFields: Array(d.unitFields.prefix(sites)), unitGOE: d.unitGOE, bubble: d.bubble)
        let m = BubbleChain(prefix, disorder: disorder, beta: beta, coupling: coupling)
        return withBubble ? m : m.bare
    }
}

/// The paper's level statistic (Sec. II, "Numerical protocol") for one disorder draw at
/// several parameter points — common random numbers: the same fields u_i and GOE matrices
/// G_l at every W, β, g and (as prefixes of one field sequence) every chain length, so that
/// differences between points have far smaller errors than the points.
///
/// Per point: the eigenvalues of the sector Hamiltonian (dense values-only dsyevr up to
/// dimension 4096, shift-invert above: `EigensolverPolicy`, as `WindowSample.measure(_:count:vectors: false)`;
/// points differing only in W share one term list and add W·Σ_i u_i S^z_i to the diagonal),
/// the window of the K levels nearest the spectral centre (E_min + E_max)/2, and ⟨r̃⟩ over
/// its K − 2 gap ratios, for each K of `counts` (the paper uses "50…100" eigenstates). Each K is capped at `maximumFraction` of
/// the sector dimension (`windowSize`), so that tiny sectors still measure the bulk.
public struct GapRatioScan: Codable, Sendable, Equatable {
    /// ratios[e][p]: ⟨r̃⟩ at point p with the e-th window size of `counts`.
    public var ratios: [[Double]]

    public init(ratios: [[Double]]) { self.ratios = ratios }

    /// K levels, capped at ⌊f·d⌋ and at least 3 (one gap ratio).
    public static func windowSize(count k: Int, dimension d: Int, maximumFraction f: Double) -> Int {
        max(3, min(k, d, Int(Double(d) * f)))
    }

    public static func measure(_ draw: BubbleChainDraw, points: [GapRatioPoint], counts: [Int],
                               maximumFraction: Double, policy: EigensolverPolicy = .automatic) throws -> GapRatioScan {
        precondition(!counts.isEmpty && maximumFraction > 0 && maximumFraction <= 1)
        var out = [[Double]](repeating: [Double](repeating: .nan, count: points.count), count: counts.count)
        // Points that differ only in W share one term list: H(W) = H(0) + W·Σ_i u_i S^z_i (Eq. (2)'s
        // field term is the only W dependence), added to the matrix's diagonal.
        var groups = [(key: GapRatioPoint, members: [Int])]()
        for (i, p) in points.enumerated() {
            var key = p
            key.disorder = 0
            if let g = groups.firstIndex(where: { $0.key == key }) { groups[g].members.append(i) } else { groups.append((key, [i])) }
        }
        for (key, members) in groups {
            let h = try key.model(draw).hamiltonian()
            let nb = h.blockDimension, dim = h.dimension
            let u = Array(draw.unitFields.prefix(key.sites))
            var field = [Double](repeating: 0, count: dim)
            for (k, s) in h.basis.states.enumerated() {
                var f = 0.0
                for i in 0..<key.sites { f += u[i] * (((s >> UInt64(i)) & 1) == 1 ? 0.5 : -0.5) }
                for a in 0..<nb { field[k * nb + a] = f }
            }
            // The largest window of `counts`; the smaller ones are its sub-windows (the K nearest
            // levels are nested in K). Dense: all levels (values-only dsyevr); shift-invert: the
            // largest window only.
            let kMax = counts.map { windowSize(count: $0, dimension: dim, maximumFraction: maximumFraction) }.max()!
            for i in members {
                let w = points[i].disorder
                let p = try h.diagonalize(.nearestValues(count: kMax, to: .centre), policy: policy,
                                          diagonalShift: field.map { w * $0 })
                let levels = p.allValues ?? p.values
                guard let centre = p.targetEnergy else { throw ClaimError.nonConvergence("no spectral centre") }
                for (q, k) in counts.enumerated() {
                    let win = SpectrumWindow.nearest(count: windowSize(count: k, dimension: dim, maximumFraction: maximumFraction),
                                                     to: centre, in: levels)
                    out[q][i] = Kernels.meanGapRatio(sortedLevels: Array(levels[win]))
                }
            }
        }
        return GapRatioScan(ratios: out)
    }
}

/// Mean curves of per-realization values (realization-major: values[k][p]) over a subset of
/// realizations (with repetitions, for a bootstrap).
func meanCurve(_ values: [[Double]], _ subset: [Int]? = nil) -> [Double] {
    let idx = subset ?? Array(values.indices)
    var m = [Double](repeating: 0, count: values[idx[0]].count)
    for k in idx { for p in m.indices { m[p] += values[k][p] } }
    return m.map { $0 / Double(idx.count) }
}
