import Foundation
import Kernels
import Linalg
import Verification

extension MBLSync {
    /// First upward crossing of `level` by y(x) (linear interpolation), nil if none.
    static func crossing(x: [Double], y: [Double], level: Double = 0.5) -> Double? {
        for k in 0..<(y.count - 1) where y[k] < level && y[k + 1] >= level {
            return x[k] + (level - y[k]) * (x[k + 1] - x[k]) / (y[k + 1] - y[k])
        }
        return nil
    }

    /// One realization of the Fig. 4 measurement (the typed measurement): the left fields and,
    /// at each Δ of `deltas`, the infinite-time correlations C̄_ij (Eq. (13)) of the left spins
    /// of |↑…↑↓…↓⟩ for the pairs i < j in `pairs(half:)` order.
    struct CorrelationSweep: Codable, Sendable, Equatable {
        var fields: [Double]
        /// c[Δ index][pair index]
        var c: [[Double]]

        /// Pairs (i, j), 0-based, i < j < half, ordered by j then i.
        static func pairs(half n: Int) -> [(Int, Int)] { (0..<n).flatMap { j in (0..<j).map { ($0, j) } } }

        static func measure(leftFields hl: [Double], deltas: [Double]) throws -> CorrelationSweep {
            let setup = SyncSetup(sites: 2 * hl.count)
            let h = MirrorXXZChain.mirrorFields(left: hl)
            let pairs = pairs(half: hl.count)
            var c = [[Double]]()
            for d in deltas {
                let spec = try setup.chain.diagonalize(fields: h, delta: d)
                c.append(setup.chain.correlations(spec, state: setup.state, pairs: pairs,
                                                  tolerance: frequencyResolution(spectralRadius: spec.spectralRadius)))
            }
            return CorrelationSweep(fields: hl, c: c)
        }
    }

    // MARK: 5. correlation order parameter C̄_ij (Eq. (13), Fig. 4)

    static let correlationOrderParameter = Claim(
        id: "mbl-sync.correlation-order-parameter",
        paper: .mblSync,
        reference: "Eq. (13), Fig. 4 and inset, Eq. (9)",
        statement: "The disorder-averaged infinite-time correlation C̄_ij of the left-half spins goes from ≈ 0 to ≈ 1 with Δ; the synchronizing interaction Δ*(i, j) depends on j (the spin nearer the centre) and not on i, and scales as e^{−(L−2j)/ξ} with ξ the non-interacting localization length (L = 10, W = 4, N = 5 on the left).",
        comparison: .relative,
        tiers: [
            .quick: ["sites": 10, "disorder": 4.0, "realizations": 50, "deltaMin": 1e-6, "deltaMax": 10.0, "perDecade": 5, "bootstrap": 200, "tmSteps": 100_000],
            .standard: ["sites": 10, "disorder": 4.0, "realizations": 1000, "deltaMin": 1e-6, "deltaMax": 10.0, "perDecade": 5, "bootstrap": 200, "tmSteps": 1_000_000],
            .full: ["sites": 10, "disorder": 4.0, "realizations": 20_000, "deltaMin": 1e-6, "deltaMax": 10.0, "perDecade": 10, "bootstrap": 400, "tmSteps": 4_000_000],
        ],
        validate: { p in
            let l = try requireInt(p, "sites", 8...16, even: true)
            try requirePositive(p, "disorder")
            let count = try requireInt(p, "realizations", 10...10_000_000)
            guard try requirePositive(p, "deltaMin") < requirePositive(p, "deltaMax") else { throw ClaimError.invalidParameter("need deltaMin < deltaMax") }
            try requireInt(p, "perDecade", 1...100)
            try requireInt(p, "bootstrap", 2...100_000)
            try requireInt(p, "tmSteps", 1000...1_000_000_000)
            try requireSectorED(sites: l, parallel: min(count, ProcessInfo.processInfo.activeProcessorCount))
        },
        plan: { ctx in
            [RealizationSet(label: "fields", count: try ctx.int("realizations"),
                            settings: ["sites": .int(try ctx.int("sites")), "disorder": .number(try ctx.double("disorder"))])]
        },
        realization: { ctx, set, _, rng in
            let hl = leftFields(try set.int("sites") / 2, disorder: try set.double("disorder"), &rng)
            let grid = logGrid(try ctx.double("deltaMin"), try ctx.double("deltaMax"), perDecade: try ctx.int("perDecade"))
            return try CorrelationSweep.measure(leftFields: hl, deltas: grid)
        },
        analyze: { ctx, results in
            let l = try ctx.int("sites"), w = try ctx.double("disorder")
            let grid = logGrid(try ctx.double("deltaMin"), try ctx.double("deltaMax"), perDecade: try ctx.int("perDecade"))
            let nb = try ctx.int("bootstrap"), steps = try ctx.int("tmSteps")
            let rs = results["fields"]
            let count = rs.count
            let n = l / 2
            let pairs = CorrelationSweep.pairs(half: n)
            let lnGrid = grid.map { Foundation.log($0) }
            func means(_ idx: [Int]) -> [[Double]] {   // [pair][Δ]
                var m = [[Double]](repeating: [Double](repeating: 0, count: grid.count), count: pairs.count)
                for r in idx { for k in grid.indices { for q in pairs.indices { m[q][k] += rs[r].c[k][q] } } }
                let inv = 1 / Double(idx.count)
                return m.map { $0.map { $0 * inv } }
            }
            func lnDStar(_ m: [[Double]]) -> [Double] { m.map { crossing(x: lnGrid, y: $0) ?? .nan } }
            // ln Δ*(j) = mean over i < j of ln Δ*(i, j); j = 2…n (paper), x = L − 2j
            func perJ(_ ds: [Double]) -> [Double] {
                (1..<n).map { j in
                    let v = pairs.indices.filter { pairs[$0].1 == j }.map { ds[$0] }
                    return v.reduce(0, +) / Double(v.count)
                }
            }
            let xs = (1..<n).map { Double(l - 2 * ($0 + 1)) }
            func slope(_ pj: [Double], _ sel: [Int]) -> Double {
                guard sel.allSatisfy({ pj[$0].isFinite }) else { return .nan }
                return (try? linearFit(x: sel.map { xs[$0] }, y: sel.map { pj[$0] }).slope) ?? .nan
            }
            let allSel = Array(0..<(n - 1)), bulkSel = Array(0..<(n - 2))
            let m = means(Array(0..<count))
            let ds = lnDStar(m)
            guard ds.allSatisfy({ $0.isFinite }) else {
                throw ClaimError.nonConvergence("some mean C̄_ij never crosses ½ on Δ ∈ [\(formatNumber(grid.first!)), \(formatNumber(grid.last!))]")
            }
            let pj = perJ(ds)
            let s = slope(pj, allSel), sBulk = slope(pj, bulkSel)
            var bRng = ctx.stream(0, label: "bootstrap")
            var bootDS = [[Double]]()
            for _ in 0..<nb { bootDS.append(lnDStar(means((0..<count).map { _ in bRng.integer(below: count) }))) }
            func sd(_ v: [Double]) -> Double { SampleSummary(v.filter(\.isFinite)).standardDeviation }
            let se = sd(bootDS.map { slope(perJ($0), allSel) })
            let seBulk = sd(bootDS.map { slope(perJ($0), bulkSel) })
            let dsErr = pairs.indices.map { q in sd(bootDS.map { $0[q] }) }
            var tmRng = ctx.stream(0, label: "transfer-matrix")
            let loc = try AndersonLocalization(boxDisorder: w, hopping: hopping, steps: steps, rng: &tmRng)
            let gbar = loc.dosAveragedGamma
            let sigma = (se * se + loc.dosAveragedGammaError * loc.dosAveragedGammaError).squareRoot()
            // i-independence
            var indep = [String]()
            for j in 1..<n {
                let qs = pairs.indices.filter { pairs[$0].1 == j }
                let v = qs.map { ds[$0] }
                let range = v.max()! - v.min()!
                let err = qs.map { dsErr[$0] }.max()!
                let vs: String = v.map { formatNumber($0, digits: 3) }.joined(separator: ", ")
                let tail: String = " (range \(formatNumber(range, digits: 2)) vs bootstrap error \(formatNumber(err, digits: 2)) = \(formatNumber(range / err, digits: 2)) SE)"
                indep.append("j = \(j + 1): ln Δ* over i = " + vs + tail)
            }
            var local = [Double]()
            for k in 0..<(n - 2) { let dy: Double = pj[k] - pj[k + 1]; let dx: Double = xs[k] - xs[k + 1]; local.append(dy / dx) }
            let k1: Int = grid.lastIndex { $0 <= 1.0001 } ?? 0
            let cLow: [Double] = m.map { $0[0] }
            let cHigh1: [Double] = m.map { $0[k1] }
            let ordered = (0..<(n - 2)).allSatisfy { pj[$0] < pj[$0 + 1] }
            var lowText = [String](), highText = [String](), pjText = [String]()
            for q in pairs.indices {
                let name = "C̄\(pairs[q].0 + 1)\(pairs[q].1 + 1)"
                lowText.append(name + " = " + formatNumber(cLow[q], digits: 2))
                highText.append(formatNumber(cHigh1[q], digits: 2))
            }
            for k in 0..<(n - 1) { pjText.append("j = \(k + 2): " + formatNumber(pj[k], digits: 3)) }
            let line1: String = "Mean C̄_ij at Δ = \(formatNumber(grid[0])): " + lowText.joined(separator: ", ") + "; at Δ = \(formatNumber(grid[k1])): " + highText.joined(separator: ", ") + " (same order). C̄ goes from ≈ 0 to ≈ 1."
            let line2: String = "ln Δ*(j) (mean over i): " + pjText.joined(separator: ", ") + "; ordered Δ*(2) < … < Δ*(\(n)): \(ordered)."
            let relErr = se / abs(s)
            var resolutionLine = "What this tier resolves (\(count) realizations): slope error \(formatNumber(relErr * 100, digits: 2))%, ln Δ* errors \(formatNumber(dsErr.min()!, digits: 2))–\(formatNumber(dsErr.max()!, digits: 2)). "
            resolutionLine += relErr > 0.03
                ? "It checks the 0 → 1 rise, the ordering in j and rejects the factor-2 control, but cannot separate ξ_DOS, the paper's 0.725 (4% apart) or ξ(0) (15% apart) statistically."
                : "It separates ξ_DOS from the paper's 0.725 and from ξ(0) statistically, but all of them lie within the ~10% finite-size curvature of L = 10, so the comparison is systematics-limited."
            resolutionLine += " The paper averages 10^6 realizations; beyond ~10^4 the result is limited by the finite-size curvature, not statistics."
            let findings = [
                line1,
                line2,
                "i-independence: " + indep.joined(separator: "; ") + ".",
                "Slope of ln Δ*(j) vs L − 2j over j = 2…\(n) (the paper's inset): \(formatNumber(s, digits: 4)) ± \(formatNumber(se, digits: 2)) → ξ = \(formatNumber(-1 / s, digits: 3)); over j = 2…\(n - 1) (centre spin excluded): \(formatNumber(sBulk, digits: 4)) ± \(formatNumber(seBulk, digits: 2)) → ξ = \(formatNumber(-1 / sBulk, digits: 3)). Local slopes: " + local.map { formatNumber($0, digits: 3) }.joined(separator: ", ") + ".",
                "Against the paper's ξ = 0.725: slope −1/0.725 = −1.379, z = \(formatNumber((s + 1 / 0.725) / se, digits: 2)); against the transfer-matrix ξ_DOS = \(formatNumber(1 / gbar, digits: 4)): z = \(formatNumber((s + gbar) / sigma, digits: 2)); the band-centre ξ(0) = \(formatNumber(1 / loc.bandCentreGamma, digits: 3)) gives z = \(formatNumber((s + loc.bandCentreGamma) / se, digits: 2)) — at L = 10 the ~15% difference between the two transfer-matrix definitions is comparable to the finite-size curvature, so this claim does not discriminate them.",
                resolutionLine,
                "Caveat: for Δ ≳ 1 C̄ → 1 for every pair because the domain-wall state is frozen by the Ising term (not synchronization); the j = \(n) crossing (Δ* ≈ \(formatNumber(Foundation.exp(pj[n - 2]), digits: 2))) sits in that regime.",
            ]
            var data = [String: JSONValue]()
            data["fields"] = drawsRecord(rs.map(\.fields))
            data["deltas"] = json(grid)
            var curves = [PlotSeries]()
            for q in pairs.indices { curves.append(PlotSeries(name: "C̄\(pairs[q].0 + 1)\(pairs[q].1 + 1)", x: grid, y: m[q], style: .line)) }
            let xq = pairs.map { Double(l - 2 * ($0.1 + 1)) }
            let fitX = [xs.min()!, xs.max()!]
            let a = try? linearFit(x: allSel.map { xs[$0] }, y: allSel.map { pj[$0] })
            let xm = xs.reduce(0, +) / Double(xs.count), ym = a?.value(at: xm) ?? 0
            // i-dependence: mean over j (bulk j = 3…n−1, ≥ 2 values of i) of the slope of ln Δ*(i, j) in i.
            func iSlope(_ d: [Double], _ js: [Int]) -> Double {
                let v = js.map { j -> Double in
                    let qs = pairs.indices.filter { pairs[$0].1 == j }
                    // least-squares slope (two points allowed)
                    let x = qs.map { Double(pairs[$0].0) }, y = qs.map { d[$0] }
                    let xm = x.reduce(0, +) / Double(x.count), ym = y.reduce(0, +) / Double(y.count)
                    let sxy = zip(x, y).reduce(0.0) { $0 + ($1.0 - xm) * ($1.1 - ym) }
                    let sxx = x.reduce(0.0) { $0 + ($1 - xm) * ($1 - xm) }
                    return sxy / sxx
                }
                return v.reduce(0, +) / Double(v.count)
            }
            let bulkJ = Array(2..<(n - 1)), allJ = Array(2..<n)
            let iS = iSlope(ds, bulkJ), iSAll = iSlope(ds, allJ)
            let iSE = sd(bootDS.map { iSlope($0, bulkJ) })
            let xiPaper = 0.725
            // Headline estimator fixed before the run: j = 2…n−1. The centre spin's crossing lies in the
            // frozen regime Δ ≳ 1 (C̄ → 1 for every pair there, not synchronization); the paper's
            // inset includes it, so the full range enters as an estimate and the systematic.
            let syst = abs(s - sBulk)
            let slopeCheck = StatementCheck(
                statement: "Δ*(j) ∝ e^{−(L−2j)/ξ} with ξ = 0.725 (Fig. 4 caption and inset; slope of ln Δ*(j) in L − 2j = −1/0.725)",
                comparison: .relative,
                check: Check(predicted: -1 / xiPaper, measured: sBulk, uncertainty: seBulk, systematic: syst),
                tolerance: Tolerance(0.04, "The same ξ as frequency-scaling's: twice the measured bulk spread of the Δ = 0 frequency slope (≤ 2%); the finite-size curvature at L = 10 (slope with vs without the centre spin) enters as the measured systematic."),
                control: Control("band-centre localization length ξ(E = 0) = 1/γ(0) = \(formatNumber(1 / loc.bandCentreGamma, digits: 3)) (the other common definition of the non-interacting ξ)",
                                 Check(predicted: -loc.bandCentreGamma, measured: sBulk, uncertainty: seBulk, systematic: syst)),
                estimates: [Estimate("j = 2…\(n - 1) (headline, centre spin excluded)", sBulk, uncertainty: seBulk),
                            Estimate("j = 2…\(n) (the paper's inset range)", s, uncertainty: se)],
                scale: ScaleEvidence(variable: "L", sizes: [Double(l)], values: [sBulk], errors: [seBulk], extrapolations: [], paperLargest: 10,
                                     note: "Only the paper's size L = 10 (ED with eigenvectors at L = 12 costs ~20× more per Δ); the curvature between the two fit ranges (\(formatNumber(syst, digits: 2))) is larger than the distance between the printed ξ and ξ(0), so L = 10 cannot decide between them."),
                regressionTolerance: 1e-6)
            let iCheck = StatementCheck(
                "i-independence",
                statement: "the synchronizing interaction depends on j only, not on i (mean slope of ln Δ*(i, j) in i over j = 3…\(n - 1))",
                comparison: .absolute,
                check: Check(predicted: 0, measured: iS, uncertainty: iSE),
                tolerance: Tolerance(0.34, "A quarter of the j-dependence (1/ξ ≈ 1.38 per site for ξ = 0.725): an i-dependence below it is 'irrelevant' next to the printed j-scaling; the measured i-slopes scatter by ±\(formatNumber(iSE, digits: 2)) (bootstrap)."),
                control: Control("Δ* set by the pair distance, J^eff_ij ~ Δe^{−|i−j|/ξ} (Eq. (8)) reaching h^eff_j: ln Δ* = const + (j − i)/ξ, slope −1/0.725 in i",
                                 Check(predicted: -1 / xiPaper, measured: iS, uncertainty: iSE)),
                estimates: [Estimate("j = 3…\(n - 1) (headline)", iS, uncertainty: iSE), Estimate("j = 3…\(n) (centre spin included)", iSAll)],
                regressionTolerance: 1e-6)
            let dosCheck = StatementCheck(
                "transfer-matrix-xi",
                statement: "ξ is the non-interacting localization length: our transfer-matrix ξ_DOS = \(formatNumber(1 / gbar, digits: 3)) (this project's evaluation), slope over j = 2…\(n - 1)",
                role: .consistency, comparison: .relative,
                check: Check(predicted: -gbar, measured: sBulk, uncertainty: seBulk, systematic: syst),
                tolerance: Tolerance(0.04, "As the main check."),
                control: Control("band-centre ξ(E = 0) = \(formatNumber(1 / loc.bandCentreGamma, digits: 3))",
                                 Check(predicted: -loc.bandCentreGamma, measured: sBulk, uncertainty: seBulk, systematic: syst)),
                regressionTolerance: 1e-6)
            _ = sigma
            return Evidence(
                checks: [slopeCheck, iCheck, dosCheck],
                method: "Parity-block ED (L = 10, N = 5, both 126×126 blocks with vectors) on a log grid of Δ; C̄_ij = Σ_s z_i z_j p_∞(s) with the diagonal ensemble of each block (levels of one block closer than the resolution are grouped; the two blocks always dephase). Mean over realizations, Δ*(i, j) = first upward crossing of ½ (linear in ln Δ); ln Δ*(j) = mean over i < j, fitted linearly in L − 2j over j = 2…\(n - 1) (headline; j = 2…\(n) as estimate); errors by bootstrap over realizations. Main prediction −1/0.725 (Fig. 4 caption); consistency: ξ = 1/⟨γ⟩_DOS from the transfer matrix (hopping ½, box [−W, W]). i-independence: slope of ln Δ*(i, j) in i.",
                parameters: [:], findings: findings,
                series: pairs.indices.map { DataSeries(name: "mean C\(pairs[$0].0 + 1)\(pairs[$0].1 + 1) vs Delta", x: grid, y: m[$0]) }
                    + [DataSeries(name: "ln Delta*(i,j) vs L-2j", x: xq, y: ds, yError: dsErr)],
                figures: [
                    Figure(name: "fig4-correlations", title: "Fig. 4 analogue: disorder-averaged C̄_ij vs Δ (L = \(l), W = \(formatNumber(w)), \(count) realizations)",
                           caption: "Infinite-time average C̄_ij (Eq. 13) of the left-half spins for |↑↑↑↑↑↓↓↓↓↓⟩, averaged over realizations.",
                           plot: Plot(xLabel: "Δ", yLabel: "C̄_ij", xLog: true, series: curves)),
                    Figure(name: "fig4-inset", title: "Fig. 4 inset analogue: ln Δ*(i, j) vs L − 2j",
                           caption: "Crossing points of the mean C̄_ij with ½ (all i < j, bootstrap errors), the fit over j = 2…\(n), and slopes −1/ξ_DOS (transfer matrix) and −1/0.725 (paper) through the fit centre.",
                           plot: Plot(xLabel: "L − 2j", yLabel: "ln Δ*", series: [
                            PlotSeries(name: "ln Δ*(i, j)", x: xq, y: ds, yError: dsErr, style: .points),
                            PlotSeries(name: "fit, slope \(formatNumber(s, digits: 3))", x: fitX, y: fitX.map { a?.value(at: $0) ?? .nan }, style: .line),
                            PlotSeries(name: "−1/ξ_DOS = \(formatNumber(-gbar, digits: 3))", x: fitX, y: fitX.map { ym - gbar * ($0 - xm) }, style: .dashed),
                            PlotSeries(name: "−1/0.725 (paper)", x: fitX, y: fitX.map { ym - ($0 - xm) / 0.725 }, style: .dashed),
                           ])),
                ],
                extra: data.merging(["slopeBulk": .number(sBulk), "slopeBulkError": .number(seBulk), "xiDOS": .number(1 / gbar)]) { a, _ in a })
        })
}
