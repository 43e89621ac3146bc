import Foundation
import Kernels
import Verification

extension KASGlass {
    /// Per-realization ⟨r⟩ / m_EA grids over (h_x, ε bin) for the L-site ring.
    struct EDGrid {
        var sites: Int
        var hxs: [Double]
        var bins: Int
        /// [realization][h][bin] binned sums.
        var cells: [[KASSpectrumBins]]
        var firstCouplings: [[Double]]

        /// Pooled ⟨r⟩ (or m_EA) per (h, bin).
        func pooled(_ m: Bool) -> [[Double]] {
            hxs.indices.map { hi in
                (0..<bins).map { b in
                    let s = cells.reduce(0.0) { $0 + (m ? $1[hi].mSum[b] : $1[hi].rSum[b]) }
                    let c = cells.reduce(0) { $0 + (m ? $1[hi].mCount[b] : $1[hi].rCount[b]) }
                    return c > 0 ? s / Double(c) : .nan
                }
            }
        }

        /// Mean and standard error over realizations of the per-realization average over
        /// the ε bins `bs` at h index `hi`.
        func cell(_ m: Bool, h hi: Int, bins bs: [Int]) -> SampleSummary {
            SampleSummary(cells.compactMap { c -> Double? in
                let s = bs.reduce(0.0) { $0 + (m ? c[hi].mSum[$1] : c[hi].rSum[$1]) }
                let n = bs.reduce(0) { $0 + (m ? c[hi].mCount[$1] : c[hi].rCount[$1]) }
                return n > 0 ? s / Double(n) : nil
            })
        }
    }

    static func edGrid(_ ctx: ClaimContext, sites l: Int, alpha: Double, hxs: [Double], bins: Int, realizations n: Int,
                       edwardsAnderson: Bool, label: String) throws -> EDGrid {
        let r = try ctx.realizations(n, label: label) { k, rng -> ([KASSpectrumBins], [Double]) in
            var c = KASChain(sites: l, alpha: alpha)
            c.draw(&rng)
            let s = KASParitySectors(sites: l, couplings: c.couplings)
            let b = try hxs.map { try KASSpectrum.bins(s, hx: $0, bins: bins, edwardsAnderson: edwardsAnderson) }
            var upper = [Double]()
            if k < 2 { for i in 0..<l { for j in (i + 1)..<l { upper.append(c.couplings[i * l + j]) } } }
            return (b, upper)
        }
        return EDGrid(sites: l, hxs: hxs, bins: bins, cells: r.map(\.0), firstCouplings: r.map(\.1).filter { !$0.isEmpty })
    }

    static func couplingParameters(_ g: EDGrid) -> JSONValue {
        .array(g.firstCouplings.map { JSONValue($0) })
    }

    static let hxGrid: [Double] = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8]
    static let midBins = [4, 5], edgeBins = [1, 2]

    // MARK: 6. level-statistics

    static let levelStatistics = Claim(
        id: "kas-glass.level-statistics",
        paper: .kasGlass,
        reference: "Fig. 3 (left) and the text around it",
        statement: "At α = 0.7, L = 12, ⟨r⟩ approaches the GOE value 0.53 in the middle of the spectrum for h_x ≳ 0.2, is Poisson-like (0.39) for h_x ≲ 0.1 at all energy densities, and near the ends of the spectrum the system stays localized up to larger h_x.",
        comparison: .absolute,
        tiers: [
            .quick: ["alpha": 0.7, "sites": 8, "realizations": 200, "hxs": .init(hxGrid), "bins": 10, "ergodicHx": 0.2, "edgeHx": 0.3],
            .standard: ["alpha": 0.7, "sites": 12, "realizations": 16, "hxs": .init(hxGrid), "bins": 10, "ergodicHx": 0.2, "edgeHx": 0.3],
            .full: ["alpha": 0.7, "sites": 12, "realizations": 2000, "hxs": .init(hxGrid), "bins": 10, "ergodicHx": 0.2, "edgeHx": 0.3],
        ],
        run: { ctx in
            let a = try ctx.double("alpha"), l = try ctx.int("sites"), n = try ctx.int("realizations")
            let hxs = try ctx.doubles("hxs"), nb = try ctx.int("bins"), he = try ctx.double("ergodicHx"), hEdge = try ctx.double("edgeHx")
            guard nb == 10, let ie = hxs.firstIndex(of: he), let iEdge = hxs.firstIndex(of: hEdge) else { throw ClaimError.invalidParameter("bins must be 10 and ergodicHx/edgeHx in hxs") }
            try requireED(sites: [l], vectors: false, realizations: n, ctx)
            let g = try edGrid(ctx, sites: l, alpha: a, hxs: hxs, bins: nb, realizations: n, edwardsAnderson: false, label: "L\(l)")
            let goe = GapRatioReference.goeMean, poi = GapRatioReference.poissonMean
            let mid = g.cell(false, h: ie, bins: midBins)
            var findings = [String]()
            findings.append("Mid-spectrum (ε ∈ [0.4, 0.6)) ⟨r⟩ vs h_x at L = \(l): " + hxs.indices.map { i in let s = g.cell(false, h: i, bins: midBins); return "h=\(hxs[i]): \(f(s.mean)) ± \(f(s.standardError, 1))" }.joined(separator: ", ") + " (GOE 0.5307, Poisson 0.3863).")
            let allBins = Array(0..<nb)
            for (i, h) in hxs.enumerated() where h <= 0.1 {
                let s = g.cell(false, h: i, bins: allBins)
                findings.append("h_x = \(h), all ε: ⟨r⟩ = \(f(s.mean, 4)) ± \(f(s.standardError, 2)), z vs Poisson = \(f((s.mean - poi) / s.standardError, 2)) (paper: ≈0.39 for h_x ≲ 0.1).")
            }
            let edge = g.cell(false, h: iEdge, bins: edgeBins), midE = g.cell(false, h: iEdge, bins: midBins)
            let de = midE.mean - edge.mean, dse = (edge.standardError * edge.standardError + midE.standardError * midE.standardError).squareRoot()
            findings.append("Edge vs middle at h_x = \(hEdge): ⟨r⟩(ε ∈ [0.1, 0.3)) = \(f(edge.mean)) ± \(f(edge.standardError, 1)) vs ⟨r⟩(mid) = \(f(midE.mean)) ± \(f(midE.standardError, 1)): the edge is less ergodic by \(f(de, 2)) ± \(f(dse, 1)) (\(f(de / dse, 2))σ) — " + (de > 3 * dse ? "agrees with \"localized up to larger h_x near the ends\"." : "not resolved at this tier."))
            let top = g.cell(false, h: hxs.count - 1, bins: midBins)
            findings.append("Most ergodic cell (h_x = \(hxs.last!), mid): ⟨r⟩ = \(f(top.mean, 4)) ± \(f(top.standardError, 2)), \(f(top.mean - goe, 2)) from GOE (finite-size offset).")
            let cross = hxs.indices.first { g.cell(false, h: $0, bins: midBins).mean >= goe - 0.03 }
            let failsGOE = abs(mid.mean - goe) - 2 * mid.standardError > 0.03
            if failsGOE {
                findings.append("Discrepancy: at h_x = \(he) the mid-spectrum ⟨r⟩ = \(f(mid.mean)) is between Poisson and GOE at L = \(l); GOE-like values (within 0.03) are reached only from h_x = \(cross.map { "\(hxs[$0])" } ?? "> \(hxs.last!)"). The crossover moves slowly to smaller h_x with L (groundwork: 0.44, 0.45, 0.46 at L = 8, 10, 12 for h_x = 0.2). If the paper's h_x were twice the Pauli coefficient (its resonance criterion |φ| < h_x suggests a spin-1/2 convention), its h_x = 0.2 would be our 0.4, where ⟨r⟩ is close to GOE.")
            }
            let pooled = g.pooled(false)
            let eps = (0..<nb).map { (Double($0) + 0.5) / Double(nb) }
            var params = seedParameters(ctx, streams: "\(ctx.claimID)/L\(l), realization k = disorder draw k (all h_x share the couplings)")
            params["couplingsFirstRealizations"] = couplingParameters(g)
            params["couplingsLayout"] = "K_ij for i<j row by row, realizations 0 and 1"
            return Evidence(
                check: Check(predicted: goe, measured: mid.mean, uncertainty: mid.standardError),
                control: Control("Poisson value 2 ln 2 − 1 for the same cell (the check must tell GOE from Poisson)",
                                 Check(predicted: poi, measured: mid.mean, uncertainty: mid.standardError)),
                tolerance: Tolerance(0.03, "0.03: in cells the paper calls clearly ergodic (h_x = 0.5–0.8, mid-spectrum) the finite-L ⟨r⟩ lies within 0.02 of 0.5307 at L = 8–12 (groundwork), + 0.01 for averaging over the ε window [0.4, 0.6); statistics enter through the 2σ rule."),
                method: "ED of Eq. (1) on the periodic ring (L = \(l), α = \(a)) in both sectors of P = Π X_i (dimension 2^{L−1} each, values only); ε = (E − E_min)/(E_max − E_min) over both sectors; r_n formed inside one sector and binned by ε of the middle level (10 bins); per-realization cell averages, mean ± standard error over \(n) realizations. Headline: mid-spectrum ⟨r⟩ at h_x = \(he), the smallest field the paper calls ergodic, against GOE.",
                parameters: params, findings: findings,
                series: hxs.indices.map { DataSeries(name: "r vs eps h=\(hxs[$0])", x: eps, y: pooled[$0].map { $0.isFinite ? $0 : 0 }) },
                figures: [Figure(name: "fig3-left-r", title: "Fig. 3 (left): ⟨r⟩ over (ε, h_x), α = \(a), L = \(l)",
                                 caption: "Mean gap ratio per ε bin (inside each parity sector) and h_x; 0.39 Poisson, 0.53 GOE. \(n) disorder realizations. The outermost bins (ε < 0.1, ε > 0.9) hold few levels where the density of states changes fast, so their ⟨r⟩ is biased upward; the edge comparison uses ε ∈ [0.1, 0.3).",
                                 heatMap: HeatMap(xLabel: "ε (0 = ground state, 0.5 = T = ∞)", yLabel: "h_x", colorLabel: "⟨r⟩", x: eps, y: hxs,
                                                  values: pooled.map { $0.map { $0.isFinite ? $0 : poi } }, yLog: true, valueRange: 0.36...0.54))],
                correctedForm: failsGOE ? "At L = \(l) the mid-spectrum ⟨r⟩ is GOE-like (within 0.03 of 0.5307) only for h_x ≥ \(cross.map { "\(hxs[$0])" } ?? "> \(hxs.last!)"); at h_x = \(he) it is \(f(mid.mean)) ± \(f(mid.standardError, 1)), intermediate between Poisson and GOE. The Poisson regime (h_x ≲ 0.1) and the more localized spectral edges agree with the paper." : nil,
                regressionTolerance: 1e-9)
        })

    // MARK: 7. edwards-anderson

    static let edwardsAnderson = Claim(
        id: "kas-glass.edwards-anderson",
        paper: .kasGlass,
        reference: "Fig. 3 (right) and the text around it",
        statement: "The Edwards–Anderson order parameter m_EA = (1/L²) Σ_ij ⟨n|Z_iZ_j|n⟩² vanishes (with L) where ⟨r⟩ is GOE-like and stays finite where ⟨r⟩ is Poisson-like.",
        comparison: .logRatio,
        tiers: [
            .quick: ["alpha": 0.7, "sizes": [6, 8, 10], "realizations": [100, 40, 8], "poissonHx": 0.02, "ergodicHx": 0.8,
                     "gridSites": 8, "gridRealizations": 20, "hxs": .init(hxGrid), "bins": 10],
            .standard: ["alpha": 0.7, "sizes": [8, 10, 12], "realizations": [100, 40, 6], "poissonHx": 0.02, "ergodicHx": 0.8,
                        "gridSites": 10, "gridRealizations": 30, "hxs": .init(hxGrid), "bins": 10],
            .full: ["alpha": 0.7, "sizes": [8, 10, 12], "realizations": [2000, 500, 200], "poissonHx": 0.02, "ergodicHx": 0.8,
                    "gridSites": 12, "gridRealizations": 200, "hxs": .init(hxGrid), "bins": 10],
        ],
        run: { ctx in
            let a = try ctx.double("alpha"), sizes = try ctx.ints("sizes"), reals = try ctx.ints("realizations")
            let hp = try ctx.double("poissonHx"), hg = try ctx.double("ergodicHx"), nb = try ctx.int("bins")
            let gl = try ctx.int("gridSites"), gn = try ctx.int("gridRealizations"), hxs = try ctx.doubles("hxs")
            guard sizes.count >= 3, sizes.count == reals.count, nb == 10 else { throw ClaimError.invalidParameter("need ≥ 3 sizes with realization counts and 10 bins") }
            try requireED(sites: sizes + [gl], vectors: true, realizations: max(reals.max() ?? 1, gn), ctx)
            let grids = try zip(sizes, reals).map { try edGrid(ctx, sites: $0, alpha: a, hxs: [hp, hg], bins: nb, realizations: $1, edwardsAnderson: true, label: "L\($0)") }
            let allBins = Array(0..<nb)
            let goeCells = grids.map { $0.cell(true, h: 1, bins: midBins) }
            let poiCells = grids.map { $0.cell(true, h: 0, bins: allBins) }
            let rGoe = grids.map { $0.cell(false, h: 1, bins: midBins).mean }
            let rPoi = grids.map { $0.cell(false, h: 0, bins: allBins).mean }
            let xs = sizes.map(Double.init)
            let sg = try powerLawFit(x: xs, y: goeCells.map(\.mean), sigma: goeCells.map(\.standardError))
            let sp = try powerLawFit(x: xs, y: poiCells.map(\.mean), sigma: poiCells.map(\.standardError))
            let last = goeCells.last!, lmax = Double(sizes.last!)
            let grid = try edGrid(ctx, sites: gl, alpha: a, hxs: hxs, bins: nb, realizations: gn, edwardsAnderson: true, label: "grid/L\(gl)")
            let pooled = grid.pooled(true)
            let edgeH = hxs.firstIndex(of: 0.5) ?? hxs.count - 2
            let edgeM = grid.cell(true, h: edgeH, bins: [0]), midM = grid.cell(true, h: edgeH, bins: midBins)
            var findings = [
                "GOE-like cell (h_x = \(hg), ε ∈ [0.4, 0.6), ⟨r⟩ = " + rGoe.map { f($0) }.joined(separator: ", ") + "): m_EA = " + zip(sizes, goeCells).map { "\(f($1.mean, 4)) ± \(f($1.standardError, 2)) (L=\($0))" }.joined(separator: ", ") + "; L·m_EA = " + zip(xs, goeCells).map { f($0 * $1.mean, 3) }.joined(separator: ", ") + " → 1 (the i = j floor); exponent of m_EA vs L = \(f(sg.slope)) ± \(f(sg.slopeError, 2)) (vanishes at least as 1/L).",
                "Poisson-like cell (h_x = \(hp), all ε, ⟨r⟩ = " + rPoi.map { f($0) }.joined(separator: ", ") + "): m_EA = " + zip(sizes, poiCells).map { "\(f($1.mean, 4)) ± \(f($1.standardError, 2)) (L=\($0))" }.joined(separator: ", ") + "; exponent \(f(sp.slope, 2)) ± \(f(sp.slopeError, 1)) (stays finite: |exponent| < 0.3 " + (abs(sp.slope) < 0.3 ? "holds)." : "fails)."),
                "Low-energy edge (ε < 0.1) at h_x = \(hxs[edgeH]), L = \(gl): m_EA = \(f(edgeM.mean)) ± \(f(edgeM.standardError, 1)) vs \(f(midM.mean)) ± \(f(midM.standardError, 1)) mid-spectrum: the glassy order survives at the edge where ⟨r⟩ stays Poisson-like.",
            ]
            findings.append("The diagonal terms i = j give m_EA ≥ 1/L exactly, so \"vanishes\" is read as m_EA → 1/L (no off-diagonal Z_iZ_j correlations); the headline compares m_EA at L = \(Int(lmax)) with 1/L.")
            let eps = (0..<nb).map { (Double($0) + 0.5) / Double(nb) }
            var params = seedParameters(ctx, streams: "\(ctx.claimID)/L<L> (scaling cells) and \(ctx.claimID)/grid/L<L> (heat map), realization k = disorder draw k")
            params["couplingsFirstRealizations"] = .object(Dictionary(uniqueKeysWithValues: grids.map { ("L\($0.sites)", couplingParameters($0)) }))
            return Evidence(
                check: Check(predicted: 1 / lmax, measured: last.mean, uncertainty: last.standardError),
                control: Control("m_EA stays finite in the ergodic cell: the Poisson-cell value at the same L (\(f(poiCells.last!.mean)))",
                                 Check(predicted: poiCells.last!.mean, measured: last.mean, uncertainty: last.standardError)),
                tolerance: Tolerance(log(1.5), "ln 1.5: the finite-L excess L·m_EA − 1 of the ergodic cell measured 0.42, 0.22, 0.09 at L = 8, 10, 12 (groundwork, decaying with L); a factor 1.5 admits it at L ≥ 8 while a finite order parameter (m_EA ≈ 0.5–1) is ≥ 5× the floor; statistics enter through the 2σ rule."),
                method: "ED with eigenvectors in both P sectors (α = \(a)); m_EA(n) = (1/L²)(L + 2Σ_{i<j} C_ij(n)²) with C = (V∘V)ᵀ·ZZ (one GEMM per sector); per-realization averages over ε cells, mean ± standard error over realizations; sizes \(sizes). Heat map at L = \(gl) over the full (ε, h_x) grid.",
                parameters: params, findings: findings,
                series: [DataSeries(name: "m_EA GOE cell", x: xs, y: goeCells.map(\.mean), yError: goeCells.map(\.standardError)),
                         DataSeries(name: "m_EA Poisson cell", x: xs, y: poiCells.map(\.mean), yError: poiCells.map(\.standardError))],
                figures: [Figure(name: "fig3-right-mEA", title: "Fig. 3 (right): m_EA over (ε, h_x), α = \(a), L = \(gl)",
                                 caption: "Edwards–Anderson order parameter per ε bin and h_x (\(gn) realizations); its floor is 1/L = \(f(1 / Double(gl))).",
                                 heatMap: HeatMap(xLabel: "ε (0 = ground state, 0.5 = T = ∞)", yLabel: "h_x", colorLabel: "m_EA", x: eps, y: hxs,
                                                  values: pooled.map { $0.map { $0.isFinite ? $0 : 1 } }, yLog: true, valueRange: 0...1)),
                          Figure(name: "mEA-scaling", title: "m_EA vs L in the two cells", caption: "Ergodic (h_x = \(hg), mid-spectrum) and Poisson (h_x = \(hp)) cells, with the 1/L floor.",
                                 plot: Plot(xLabel: "L", yLabel: "m_EA", xLog: true, yLog: true, series: [
                                    PlotSeries(name: "h_x = \(hg), ε ∈ [0.4, 0.6)", x: xs, y: goeCells.map(\.mean), yError: goeCells.map(\.standardError), style: .linePoints),
                                    PlotSeries(name: "h_x = \(hp), all ε", x: xs, y: poiCells.map(\.mean), yError: poiCells.map(\.standardError), style: .linePoints),
                                    PlotSeries(name: "1/L", x: xs, y: xs.map { 1 / $0 }, style: .dashed)]))],
                regressionTolerance: 1e-9)
        })

    // MARK: 8. remnant-polarization

    static let remnantPolarization = Claim(
        id: "kas-glass.remnant-polarization",
        paper: .kasGlass,
        reference: "Fig. 2 (right) and \"Large systems: dynamics of resonant spins\"",
        statement: "Exact dynamics of the L_s = 6…14 most resonant spins of an SFS state (other spins frozen) leaves a sizeable late-time polarization of the six most resonant spins, decaying slowly with system size L, with no run-away effect as more spins are included in the exact dynamics.",
        comparison: .absolute,
        tiers: [
            .quick: ["alpha": 0.7, "hx": 0.05, "chainSizes": [100, 300], "subsystems": [6, 8], "realizations": 40, "observed": 6],
            .standard: ["alpha": 0.7, "hx": 0.05, "chainSizes": [100, 300, 1000], "subsystems": [6, 8, 10], "realizations": 40, "observed": 6],
            .full: ["alpha": 0.7, "hx": 0.05, "chainSizes": [100, 300, 1000, 3000], "subsystems": [6, 8, 10, 12], "realizations": 200, "observed": 6],
        ],
        run: { ctx in
            let a = try ctx.double("alpha"), hx = try ctx.double("hx"), ls = try ctx.ints("chainSizes")
            let subs = try ctx.ints("subsystems"), n = try ctx.int("realizations"), obs = try ctx.int("observed")
            guard n >= 2 else { throw ClaimError.invalidParameter("realizations must be ≥ 2 (the headline is a paired mean with its standard error)") }
            try requireChains(ls, realizations: n, ctx)
            guard subs.count >= 2, subs.allSatisfy({ $0 >= obs && $0 <= 14 }) else { throw ClaimError.invalidParameter("subsystems must be ≥ observed and ≤ 14 (dense ED with all eigenvectors of a 2^L_s matrix)") }
            // Peak per realization: H, LAPACK's working copy and the eigenvectors.
            try MemoryBudget.requireDense(dimension: pow(2, Double(subs.max()!)), matrices: 3, parallel: min(ctx.jobs, n),
                                          for: "dense ED of L_s = \(subs.max()!) spins")
            // [chain L][realization][L_s] mean polarization of the `obs` most resonant spins; plus T = ∞ at the smallest L_s.
            var table = [[[Double]]]()
            var tinf = [SampleSummary]()
            var phiMin = [Double]()
            for l in ls {
                let r = try ctx.realizations(n, label: "L\(l)") { _, rng -> ([Double], Double, Double) in
                    var c = KASChain(sites: l, alpha: a)
                    c.draw(&rng)
                    let pInf = try KASResonantSubsystem.remnantPolarization(c, subsystem: subs[0], observed: obs, hx: hx)
                    c.descendToSingleFlipStable(&rng)
                    let p = try subs.map { try KASResonantSubsystem.remnantPolarization(c, subsystem: $0, observed: obs, hx: hx).reduce(0, +) / Double(obs) }
                    return (p, pInf.reduce(0, +) / Double(obs), c.fields.map { abs($0) }.min()!)
                }
                table.append(r.map(\.0))
                tinf.append(SampleSummary(r.map(\.1)))
                phiMin.append(median(r.map(\.2)))
            }
            let means = table.map { rows in subs.indices.map { j in SampleSummary(rows.map { $0[j] }) } }
            let last = table.last!
            let diff = SampleSummary(last.map { $0[subs.count - 1] - $0[0] })
            let p0 = means.last![0]
            var findings = [String]()
            for (i, l) in ls.enumerated() {
                findings.append("L = \(l): P(6 most resonant) = " + subs.indices.map { "\(f(means[i][$0].mean)) ± \(f(means[i][$0].standardError, 1)) (L_s=\(subs[$0]))" }.joined(separator: ", ") + "; T = ∞ states at L_s = \(subs[0]): \(f(tinf[i].mean)) ± \(f(tinf[i].standardError, 1)); median φ_min = \(f(phiMin[i], 2)).")
            }
            let big = means.map { $0.last!.mean }
            if let fit = try? linearFit(x: ls.map { log(Double($0)) }, y: big) {
                findings.append("Decay with L at L_s = \(subs.last!): dP/d ln L = \(f(fit.slope, 2)) ± \(f(fit.slopeError, 1)) — slow, as in Fig. 2 (right).")
            } else if ls.count == 2 {
                findings.append("Decay with L at L_s = \(subs.last!): P = \(f(big[0])) → \(f(big[1])) from L = \(ls[0]) to \(ls[1]).")
            }
            findings.append("Headline ΔP(L_s = \(subs[0]) → \(subs.last!)) at L = \(ls.last!) = \(f(diff.mean, 2)) ± \(f(diff.standardError, 1)) (\(f(diff.mean / diff.standardError, 2))σ from 0), i.e. \(f(diff.mean / Double(subs.last! - subs[0]), 2)) per added spin: " + (abs(diff.mean) > 3 * diff.standardError ? "a small but resolved decrease — no run-away at these L_s, but the polarization is not strictly L_s-independent; a linear continuation would need ≈ \(f(-p0.mean / (diff.mean / Double(subs.last! - subs[0])), 2)) spins to reach 0." : "no significant change with L_s."))
            findings.append("SFS states keep more polarization than T = ∞ states at every L (P_SFS − P_∞ = " + ls.indices.map { f(means[$0][0].mean - tinf[$0].mean, 2) }.joined(separator: ", ") + " at L_s = \(subs[0])).")
            findings.append("The largest subsystem here is L_s = \(subs.last!). L_s = 13 and 14 run with `--param subsystems=[…,14]` (dense ED, 2 GiB per 16384² matrix, about 12 min per diagonalization on one core), but no tier includes them: 200 realizations × 4 chain sizes would take ≈ 80 core-hours. h_x = \(hx) is our choice (not stated in the paper). Late-time value from the diagonal ensemble (infinite-time average).")
            var series = [PlotSeries]()
            for j in subs.indices {
                series.append(PlotSeries(name: "L_s = \(subs[j])", x: ls.map(Double.init), y: means.map { $0[j].mean }, yError: means.map { $0[j].standardError }, style: .linePoints))
            }
            series.append(PlotSeries(name: "T = ∞ states, L_s = \(subs[0])", x: ls.map(Double.init), y: tinf.map(\.mean), yError: tinf.map(\.standardError), style: .dashed))
            return Evidence(
                check: Check(predicted: 0, measured: diff.mean, uncertainty: diff.standardError),
                control: Control("run-away: the six spins depolarize once more spins join the exact dynamics (ΔP = −P(L_s = \(subs[0])) = \(f(-p0.mean)))",
                                 Check(predicted: -p0.mean, measured: diff.mean, uncertainty: diff.standardError)),
                tolerance: Tolerance(0.1, "0.1: the groundwork measured ΔP(L_s 6 → 10) = −0.04 ± 0.05 at L = 1000 and −0.01 at L = 200 with 10 states; 0.1 is a fifth of the polarization itself, well below the run-away change (≈ −P ≈ −0.5); statistics (paired standard error) enter through the 2σ rule."),
                method: "α = \(a), h_x = \(hx): SFS state of an L-site chain; S = the L_s spins with the smallest |φ|; H_S = Σ_{I<J∈S} K_IJ Z_IZ_J + Σ_I b_I Z_I − h_x Σ_I X_I with b_I = φ_I − Σ_{J∈S} K_IJ Z_J (frozen spins); full ED with vectors; P_I = Z_I(0) Σ_n |⟨n|ψ0⟩|² ⟨n|Z_I|n⟩ (diagonal ensemble), averaged over the \(obs) most resonant spins. Headline: ΔP = P(L_s = \(subs.last!)) − P(L_s = \(subs[0])) at the largest L = \(ls.last!) (paired over realizations).",
                parameters: seedParameters(ctx, streams: "\(ctx.claimID)/L<L>, realization k = state k (the T = ∞ control uses the state before descent)"),
                findings: findings,
                series: subs.indices.map { j in DataSeries(name: "P Ls=\(subs[j])", x: ls.map(Double.init), y: means.map { $0[j].mean }, yError: means.map { $0[j].standardError }) },
                figures: [Figure(name: "fig2-right-remnant", title: "Fig. 2 (right): remnant polarization of the 6 most resonant spins",
                                 caption: "Late-time polarization vs chain size L for several subsystem sizes L_s (SFS states), and T = ∞ states for comparison.",
                                 plot: Plot(xLabel: "L", yLabel: "P", xLog: true, series: series, yRange: 0...1))],
                regressionTolerance: 1e-9)
        })
}
