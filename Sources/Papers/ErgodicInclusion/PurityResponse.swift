import Foundation
import Kernels
import Linalg
import Verification

/// One grid point of a purity-response measurement: disorder W, bubble size n_GOE and the
/// bandwidth β of Eq. (4) used for it.
public struct PurityCell: Codable, Sendable, Equatable, Hashable {
    public var disorder: Double
    public var bubble: Int
    public var beta: Double
    public init(disorder: Double, bubble: Int, beta: Double) {
        self.disorder = disorder; self.bubble = bubble; self.beta = beta
    }
}

/// The response of the chain's purities to the bubble (Figs. 3, 5, 8, 9; Eqs. (5)–(7)) for
/// ONE disorder draw evaluated on a whole grid of cells (common random numbers): the unit
/// fields u_i are drawn once, then three unit GOE matrices per distinct bubble size (sizes
/// ascending, in that order), so every cell with the same n_GOE sees the same bubble and
/// every cell sees the same fields at its own W. For each distinct W the bare chain of the
/// same L fields (no bubble: an open chain, its ends being the sites the bubble would touch)
/// is measured too, so bubble − bare differences are paired per draw; and the bare chain of
/// L + 2 sites (the comparison of Figs. 3, 5 and 9, whose sector dimension C(L+2, (L+2)/2) is
/// close to n_GOE·C(L, L/2) for n_GOE = 4): the same L fields followed by two more, drawn
/// after the GOE matrices.
///
/// Each entry is a `WindowSample` with vectors: the K eigenpairs nearest the spectral centre
/// (E_min + E_max)/2, K capped at a third of the sector dimension (the bare L = 8 chain has
/// only 70 states).
public struct PurityResponseSample: Codable, Sendable, Equatable {
    /// The distinct disorders, ascending; `bare[j]` is the bare chain at `disorders[j]`.
    public var disorders: [Double]
    public var bare: [WindowSample]
    /// The cells as requested; `bubble[c]` is the chain with the bubble at `cells[c]`.
    public var cells: [PurityCell]
    public var bubble: [WindowSample]
    /// `longBare[j]`: the bare chain of L + 2 sites at `disorders[j]`.
    public var longBare: [WindowSample]

    public func longBare(at w: Double) -> WindowSample {
        guard let j = disorders.firstIndex(where: { abs($0 - w) < 1e-12 }) else { preconditionFailure("no bare sample at W = \(w)") }
        return longBare[j]
    }

    public func bare(at w: Double) -> WindowSample {
        guard let j = disorders.firstIndex(where: { abs($0 - w) < 1e-12 }) else { preconditionFailure("no bare sample at W = \(w)") }
        return bare[j]
    }

    public func bubble(at w: Double, size n: Int) -> WindowSample {
        guard let c = cells.firstIndex(where: { abs($0.disorder - w) < 1e-12 && $0.bubble == n }) else {
            preconditionFailure("no bubble sample at W = \(w), n_GOE = \(n)")
        }
        return bubble[c]
    }

    /// K actually used for a model of this sector dimension.
    public static func windowCount(_ k: Int, dimension d: Double) -> Int { max(3, min(k, Int(d) / 3)) }

    /// Draw one realization (fields, then the bubbles' GOE matrices) and measure every cell.
    public static func measure(sites l: Int, cells: [PurityCell], coupling g: Double, states k: Int,
                               _ rng: inout RandomStream) throws -> PurityResponseSample {
        precondition(l >= 4 && !cells.isEmpty && cells.allSatisfy { $0.bubble > 0 })
        let u = (0..<l).map { _ in 2 * rng.uniform() - 1 }
        var goe = [Int: [[Double]]]()
        for n in Set(cells.map(\.bubble)).sorted() {
            goe[n] = (0..<3).map { _ in RandomMatrix.goe(n, &rng).storage }
        }
        let uLong = u + (0..<2).map { _ in 2 * rng.uniform() - 1 }
        let ws = Array(Set(cells.map(\.disorder))).sorted()
        let kBare = windowCount(k, dimension: BubbleChain.dimension(sites: l, bubble: 0))
        let bare = try ws.map { w in
            try WindowSample.measure(BubbleChain(fields: u.map { w * $0 }), count: kBare)
        }
        let bubble = try cells.map { c -> WindowSample in
            let d = BubbleChainDraw(unitFields: u, unitGOE: goe[c.bubble]!, bubble: c.bubble)
            let model = BubbleChain(d, disorder: c.disorder, beta: c.beta, coupling: g)
            return try WindowSample.measure(model, count: windowCount(k, dimension: BubbleChain.dimension(sites: l, bubble: c.bubble)))
        }
        let kLong = windowCount(k, dimension: BubbleChain.dimension(sites: l + 2, bubble: 0))
        let long = try ws.map { w in
            try WindowSample.measure(BubbleChain(fields: uLong.map { w * $0 }), count: kLong)
        }
        return PurityResponseSample(disorders: ws, bare: bare, cells: cells, bubble: bubble, longBare: long)
    }
}

/// Mirror-pooled purity profiles per realization and their paired differences.
public enum PurityProfile {
    /// Distances d = 0 … ⌈L/2⌉ − 1 from the bubble (site d and its mirror L − 1 − d).
    public static func distances(sites l: Int) -> [Int] { Array(0..<((l + 1) / 2)) }

    /// γ̄ at distance d per realization (mean over the window's eigenstates; sites d and
    /// L − 1 − d averaged).
    public static func profile(_ s: WindowSample) -> [Double] {
        let l = s.sumM2.count
        return distances(sites: l).map { d in
            d == l - 1 - d ? s.meanPurity(d) : 0.5 * (s.meanPurity(d) + s.meanPurity(l - 1 - d))
        }
    }

    /// Site-averaged γ̄ of one sample.
    public static func siteAverage(_ s: WindowSample) -> Double {
        let l = s.sumM2.count
        return (0..<l).reduce(0.0) { $0 + s.meanPurity($1) } / Double(l)
    }

    /// Mean and standard error over realizations, per column.
    public static func summarize(_ rows: [[Double]]) -> (mean: [Double], error: [Double]) {
        let m = rows[0].count
        let s = (0..<m).map { j in SampleSummary(rows.map { $0[j] }) }
        return (s.map(\.mean), s.map(\.standardError))
    }
}

/// The fit δ₀ + A e^{−d/ξ} of SM Fig. 9 (upper panel) to a profile y_d with errors σ_d:
/// for each ξ on a log grid the model is linear in (δ₀, A) and solved by weighted least
/// squares; the ξ of least χ² wins.
public struct OffsetExponentialFit: Sendable, Equatable {
    public var offset: Double
    public var amplitude: Double
    public var length: Double
    public var chiSquared: Double

    /// ξ grid: 60 log-spaced values from 0.1 to 30 (beyond ~30 the exponential is a straight
    /// line over ≤ 10 distances and trades off exactly with δ₀).
    public static let lengthGrid: [Double] = (0..<60).map { 0.1 * Foundation.pow(300.0, Double($0) / 59) }

    public static func fit(x: [Double], y: [Double], sigma: [Double]) -> OffsetExponentialFit {
        precondition(x.count == y.count && y.count == sigma.count && x.count >= 3)
        var best = OffsetExponentialFit(offset: .nan, amplitude: .nan, length: .nan, chiSquared: .infinity)
        for xi in lengthGrid {
            // Normal equations for y ≈ δ₀ + A f, f = e^{−x/ξ}.
            var s = 0.0, sf = 0.0, sff = 0.0, sy = 0.0, sfy = 0.0
            for q in x.indices {
                let w = 1 / (sigma[q] * sigma[q]), f = Foundation.exp(-x[q] / xi)
                s += w; sf += w * f; sff += w * f * f; sy += w * y[q]; sfy += w * f * y[q]
            }
            let det = s * sff - sf * sf
            guard det > 1e-14 * s * sff else { continue }
            let a = (s * sfy - sf * sy) / det, d0 = (sy - sf * a) / s
            var chi = 0.0
            for q in x.indices { let r = (y[q] - d0 - a * Foundation.exp(-x[q] / xi)) / sigma[q]; chi += r * r }
            if chi < best.chiSquared { best = OffsetExponentialFit(offset: d0, amplitude: a, length: xi, chiSquared: chi) }
        }
        return best
    }
}

extension ErgodicInclusion {
    /// A one-sided statement "Δ > 0" against the control "Δ = 0" (no effect): the measured
    /// column is min(Δ, 0), so the check passes when Δ ≥ −2σ and fails when Δ < −2σ; the
    /// control (Δ = 0, two-sided) is rejected only when Δ > 2σ, so a confirmation needs a
    /// resolved positive Δ. Power 2σ.
    static func positiveEffect(_ id: String, statement: String, role: CheckRole = .confirmation, value d: Double, error s: Double,
                               systematic: Double? = nil, tolerance: String, control: String,
                               estimates: [Estimate] = [], scale: ScaleEvidence? = nil, inconclusiveReason: String? = nil,
                               correctedForm: String? = nil) -> StatementCheck {
        let tot = (s * s + (systematic ?? 0) * (systematic ?? 0)).squareRoot()
        // Estimates enter the same one-sided comparison: min(value, 0), with the headline's σ
        // where an estimate has none of its own.
        let ests = estimates.map { e in
            Estimate("\(e.name) (Δ = \(formatNumber(e.value, digits: 4)))", min(e.value, 0), uncertainty: e.uncertainty ?? tot)
        }
        return StatementCheck(id, statement: statement + " (measured column: min(Δ, 0); Δ = \(formatNumber(d, digits: 4)) ± \(formatNumber(tot, digits: 2)))",
                              role: role, comparison: .zScore,
                              check: Check(predicted: 0, measured: min(d, 0), uncertainty: s, systematic: systematic),
                              tolerance: Tolerance(2, tolerance),
                              control: Control(control, Check(predicted: 0, measured: d, uncertainty: s, systematic: systematic)),
                              resolvingPower: 2 * tot, estimates: ests, scale: scale, correctedForm: correctedForm,
                              inconclusiveReason: inconclusiveReason)
    }

    /// Common parameter validation of the purity-response claims.
    /// The plan of the purity-response claims: `realizations` draws of one chain of `sites` sites.
    static func purityResponsePlan(_ ctx: ClaimContext) throws -> [RealizationSet] {
        [RealizationSet(label: "L\(try ctx.int("sites"))", count: try ctx.int("realizations"), settings: ["L": .int(try ctx.int("sites"))])]
    }

    /// One draw measured at every disorder of the tier for the single bubble size `bubble`
    /// (β from `paperBandwidth`, g = `headlineCoupling`).
    static func singleBubbleResponse(_ ctx: ClaimContext, _ set: RealizationSet, _ rng: inout RandomStream) throws -> PurityResponseSample {
        let n = try ctx.int("bubble")
        let cells = try ctx.doubles("disorders").map { PurityCell(disorder: $0, bubble: n, beta: paperBandwidth(bubble: n)!) }
        return try PurityResponseSample.measure(sites: set.int("L"), cells: cells, coupling: headlineCoupling, states: ctx.int("states"), &rng)
    }

    static func validatePurityResponse(_ p: [String: JSONValue], bubbles: [Int]) throws {
        guard let l = p["sites"]?.int, l >= 6, l <= 16, l % 2 == 0,
              let k = p["states"]?.int, k >= 6, k <= 200, let r = p["realizations"]?.int, r >= 8,
              let w = p["disorders"]?.doubles, !w.isEmpty, w.allSatisfy({ $0 > 0 && $0 < 50 }) else {
            throw ClaimError.invalidParameter("need even sites in 6 … 16, states in 6 … 200, realizations ≥ 8, disorders in (0, 50)")
        }
        for n in bubbles where paperBandwidth(bubble: n) == nil {
            throw ClaimError.invalidParameter("bubble size \(n) has no β in the paper (n_GOE ∈ {3, 4, 5, 6, 8})")
        }
        // Dense (dimension ≤ 4096): the matrix, LAPACK's copy and workspace; above, shift-invert.
        try WindowMemory.require(models: bubbles.map { (l, $0) } + [(l, 0), (l + 2, 0)], states: k, denseMatrices: 3,
                                 for: "chain–bubble window measurements")
    }
}
