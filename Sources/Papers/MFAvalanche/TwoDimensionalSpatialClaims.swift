import Foundation
import Kernels
import Linalg
import Verification

/// One quasiperiodic sample resolved in space for Eq. (20) (a realization of collar-radius).
public struct CollarSample: Codable, Sendable, Equatable {
    public var radius: Int
    public var amplitude: Double
    public var offset: Double
    public var totalEnhancement: Double
    public var avalanches: Bool
    /// R_c for each (grain dimension, position convention) in the set's order
    /// (d_g outer, `ResolvedAvalanche.Position.allCases` inner); −1 when the collar reaches the edge.
    public var collar: [Int]
    /// Orbitals whose largest-|φ| site differs from their assigned site.
    public var relabelled: Int

    public static func measure(radius r: Int, amplitude w: Double, offset t: Double, grainDimensions: [Double], margin: Double,
                               eta: some EnhancementFunction) throws -> CollarSample {
        let lattice = DiamondLattice(radius: r)
        let a = try ResolvedAvalanche(radius: r, amplitude: w, phases: LatticePotential.quasiperiodicPhases(lattice, offset: t),
                                      grainCoupling: 1, eta: eta)
        var c = [Int]()
        for dg in grainDimensions {
            for p in ResolvedAvalanche.Position.allCases { c.append(a.collarRadius(grainDimension: dg, margin: margin, position: p) ?? -1) }
        }
        let et = a.solution.totalEnhancement
        return CollarSample(radius: r, amplitude: w, offset: t, totalEnhancement: et,
                            avalanches: et > Double(lattice.count) * log(2.0) / 2, collar: c,
                            relabelled: zip(a.positions.assignedSite, a.positions.peakSite).filter { $0 != $1 }.count)
    }
}

extension TwoDimensionalClaims {
    // MARK: 4. fig4-example

    static let fig4Example = Claim(
        id: "mf-avalanche.fig4-example", paper: .mfAvalanche,
        reference: "Sec. VII, Fig. 4, Eqs. (16), (18)",
        statement: "Quasiperiodic, R = 15, g₀ = 1, θ₀ = 2.954 (one realization): the avalanche fails at W = 45 (only orbitals close to the grain thermalize) and thermalizes all orbitals at W = 20; per-orbital [S_n] maps, orbitals labelled by the site that maximizes Π_n|φ_{nn}|.",
        comparison: .absolute,
        tiers: [
            .quick: ["radius": 15, "offset": 2.954, "amplitudes": [45, 20], "grainCouplings": [1, 0.5, 0.3, 0.1]],
            .standard: ["radius": 15, "offset": 2.954, "amplitudes": [45, 20], "grainCouplings": [1, 0.5, 0.3, 0.1]],
            .full: ["radius": 15, "offset": 2.954, "amplitudes": [45, 20], "grainCouplings": [1, 0.5, 0.3, 0.1]],
        ],
        validate: { p in
            guard let r = p["radius"]?.int, r >= 1, r <= 40, let t = p["offset"]?.double, t.isFinite,
                  let ws = p["amplitudes"]?.doubles, ws.count == 2, ws.allSatisfy({ $0 > 0 }),
                  let g = p["grainCouplings"]?.doubles, !g.isEmpty, g[0] == 1, g.allSatisfy({ $0 > 0 }) else {
                throw ClaimError.invalidParameter("need radius 1…40, finite offset, two amplitudes (failing, avalanching) and grainCouplings starting with 1")
            }
            try MemoryBudget.requireDense(dimension: Double(DiamondLattice.siteCount(radius: r)), matrices: 4, parallel: 1, for: "Fig. 4 orbitals")
        },
        run: { ctx in
            let r = try ctx.int("radius"), t = try ctx.double("offset"), ws = try ctx.doubles("amplitudes"), g0s = try ctx.doubles("grainCouplings")
            let eta = try TwoDimensionalEta.shared(), forms = try TwoDimensionalEta.forms()
            let lattice = DiamondLattice(radius: r)
            let n = lattice.count
            let phases = LatticePotential.quasiperiodicPhases(lattice, offset: t)
            let solved = try parallelMap(count: ws.count, jobs: ctx.jobs) { i in
                try ResolvedAvalanche(radius: r, amplitude: ws[i], phases: phases, grainCoupling: 1, eta: eta)
            }
            // Other g₀: re-solve from the same overlaps.
            let fractions: [[Double]] = try solved.map { a in
                try g0s.map { g0 in
                    try MeanFieldSolver(tolerance: 1e-10, maxIterations: AvalancheSample.maxIterations)
                        .solve(bare: a.overlaps.map { g0 * max($0, AvalancheSample.unresolvedCoupling) }, eta: eta).totalEnhancement / (Double(n) * log2)
                }
            }
            let entropies: [[Double]] = try solved.map { a in try a.solution.couplings.map { try forms.meanEntropy(reducedCoupling: $0).value } }
            let tol = Tolerance(0.15, "η_tot/(N log 2): a failure has ≲ 14 log 2/N = 0.03, an avalanche ≈ 1; 0.15 separates them with room for partial collars")
            var checks = [
                StatementCheck(statement: "W = \(formatNumber(ws[0])): the avalanche fails", check: Check(predicted: 0, measured: fractions[0][0]),
                               tolerance: tol, control: Control("the avalanche succeeds (η_tot = N log 2)", Check(predicted: 1, measured: fractions[0][0]))),
                StatementCheck("avalanche", statement: "W = \(formatNumber(ws[1])): all orbitals thermalize", check: Check(predicted: 1, measured: fractions[1][0]),
                               tolerance: tol, control: Control("the avalanche fails (η_tot = O(1))", Check(predicted: 0, measured: fractions[1][0]))),
            ]
            if let k = g0s.firstIndex(of: 0.5) {
                checks.append(StatementCheck("fail-a15", statement: "W = \(formatNumber(ws[0])) fails, g normalized as (A15) (g₀ = ½)", role: .alternativeReading,
                                             check: Check(predicted: 0, measured: fractions[0][k]), tolerance: tol,
                                             control: Control("succeeds", Check(predicted: 1, measured: fractions[0][k]))))
            }
            if g0s.count > 1, let gLast = g0s.last, gLast != 0.5 {
                let k = g0s.count - 1
                checks.append(StatementCheck("fail-small-g0", statement: "W = \(formatNumber(ws[0])) fails with g₀ = \(formatNumber(gLast)) (the grain coupling at which W_th ≈ 45, qp-threshold)",
                                             role: .alternativeReading, check: Check(predicted: 0, measured: fractions[0][k]), tolerance: tol,
                                             control: Control("succeeds", Check(predicted: 1, measured: fractions[0][k]))))
                checks.append(StatementCheck("avalanche-small-g0", statement: "W = \(formatNumber(ws[1])) thermalizes all orbitals with g₀ = \(formatNumber(gLast))",
                                             role: .alternativeReading, check: Check(predicted: 1, measured: fractions[1][k]), tolerance: tol,
                                             control: Control("fails", Check(predicted: 0, measured: fractions[1][k]))))
            }
            let maxIterationsNote = solved.map { "\($0.solution.iterations)" }.joined(separator: ", ")
            // Maps: x = n₁, y = n₂, NaN outside the diamond.
            let axis = (-r...r).map(Double.init)
            var figures = [Figure]()
            var series = [DataSeries]()
            for (i, a) in solved.enumerated() {
                let bySite = a.bySite(entropies[i])
                var grid = [[Double]](repeating: [Double](repeating: .nan, count: 2 * r + 1), count: 2 * r + 1)
                for s in 0..<n { grid[lattice.second[s] + r][lattice.first[s] + r] = bySite[s] }
                figures.append(Figure(name: "fig4-S-map-W\(formatNumber(ws[i]))",
                    title: "[S_{n}] by site, W = \(formatNumber(ws[i])), R = \(r), θ_0 = \(formatNumber(t))",
                    caption: "State-averaged entanglement entropy [S_n] (A13) of each orbital at its assigned site (assignment maximizing Π|φ_{nn}|), g₀ = 1; η_tot/(N log 2) = \(formatNumber(fractions[i][0], digits: 3)). The paper draws the lattice rotated by 45° (n₁, n₂ along ±45°); here n₁ is horizontal.",
                    heatMap: HeatMap(xLabel: "n_{1}", yLabel: "n_{2}", colorLabel: "[S_{n}]", x: axis, y: axis, values: grid,
                                     valueRange: 0...log2, colorScale: .sequential)))
                let d = (0..<n).map { Double(lattice.distance($0)) }
                series.append(DataSeries(name: "[S_n] by site, W = \(formatNumber(ws[i]))", x: d, y: bySite,
                                         parameters: ["W": .number(ws[i]), "R": .int(r), "theta0": .number(t), "g0": 1],
                                         xLabel: "|n|₁ of the assigned site", yLabel: "[S_n]"))
            }
            // The failing W under the smallest g₀ of the scan (the reading that puts W_th near 45).
            if g0s.count > 1, let gLast = g0s.last {
                let a = solved[0]
                let sol = try MeanFieldSolver(tolerance: 1e-10, maxIterations: AvalancheSample.maxIterations).solve(bare: a.overlaps.map { gLast * max($0, AvalancheSample.unresolvedCoupling) }, eta: eta)
                let e = try sol.couplings.map { try forms.meanEntropy(reducedCoupling: $0).value }
                let bySite = a.bySite(e)
                var grid = [[Double]](repeating: [Double](repeating: .nan, count: 2 * r + 1), count: 2 * r + 1)
                for s in 0..<n { grid[lattice.second[s] + r][lattice.first[s] + r] = bySite[s] }
                figures.append(Figure(name: "fig4-S-map-W\(formatNumber(ws[0]))-g0-\(formatNumber(gLast))",
                    title: "[S_{n}] by site, W = \(formatNumber(ws[0])), g_{0} = \(formatNumber(gLast))",
                    caption: "As the W = \(formatNumber(ws[0])) map with g₀ = \(formatNumber(gLast)) (the grain coupling at which the threshold of qp-threshold falls near the paper's 45): η_tot/(N log 2) = \(formatNumber(sol.totalEnhancement / (Double(n) * log2), digits: 3)), η_tot/log 2 = \(formatNumber(sol.totalEnhancement / log2, digits: 3)).",
                    heatMap: HeatMap(xLabel: "n_{1}", yLabel: "n_{2}", colorLabel: "[S_{n}]", x: axis, y: axis, values: grid,
                                     valueRange: 0...log2, colorScale: .sequential)))
            }
            let relabelled = solved.map { a in zip(a.positions.assignedSite, a.positions.peakSite).filter { $0 != $1 }.count }
            let thermal = entropies.map { e in e.filter { $0 > log2 / 2 }.count }
            return Evidence(
                checks: checks,
                method: "One realization: H_2D (Eq. 15) at R = \(r), θ₀ = \(formatNumber(t)) for each W; every eigenvector by divide and conquer (dsyevd); g_{n,0} = g₀|φ_{n0}| into the mean-field solver (11); [S_n] by (A13) at the self-consistent g_n; orbitals placed at sites by the linear assignment maximizing Π|φ_{n,σ(n)}| (Hungarian algorithm on −log|φ|, O(N³)).",
                parameters: ["labelling": "max Π|φ_{nσ(n)}| (linear assignment)"],
                findings: [
                    "η_tot/(N log 2) with N = \(n): " + ws.indices.map { i in "W = \(formatNumber(ws[i])): " + g0s.indices.map { "g₀ = \(formatNumber(g0s[$0])): \(formatNumber(fractions[i][$0], digits: 3))" }.joined(separator: ", ") }.joined(separator: "; ") + ". Solver iterations (g₀ = 1): \(maxIterationsNote).",
                    "Orbitals with [S_n] > log 2/2: " + zip(ws, thermal).map { "W = \(formatNumber($0)): \($1)" }.joined(separator: ", ") + ".",
                    "Labelling: only the maps depend on it (η_tot, [S_n] as a multiset do not). Orbitals whose largest-|φ| site differs from the assigned site: " + zip(ws, relabelled).map { "W = \(formatNumber($0)): \($1)" }.joined(separator: ", ") + ".",
                ],
                series: series, figures: figures)
        })

    // MARK: 5. bottleneck

    /// Area under the ROC curve of `score` as a predictor of `positive`: P(score₊ > score₋)
    /// + ½P(=), with the Hanley–McNeil standard error.
    static func rocArea(positive: [Double], negative: [Double]) -> (value: Double, error: Double) {
        guard !positive.isEmpty, !negative.isEmpty else { return (.nan, .nan) }
        var wins = 0.0
        for p in positive { for q in negative { wins += p > q ? 1 : (p == q ? 0.5 : 0) } }
        let n1 = Double(positive.count), n2 = Double(negative.count)
        let a = wins / (n1 * n2)
        let q1 = a / (2 - a), q2 = 2 * a * a / (1 + a)
        let v = (a * (1 - a) + (n1 - 1) * (q1 - a * a) + (n2 - 1) * (q2 - a * a)) / (n1 * n2)
        return (a, max(v, 0).squareRoot())
    }

    /// The cut B* maximizing the accuracy of "avalanche ⇔ B > B*" (geometric midpoint between
    /// neighbouring sorted scores), and that accuracy.
    static func bestCut(positive: [Double], negative: [Double]) -> (cut: Double, accuracy: Double) {
        let all = (positive.map { ($0, true) } + negative.map { ($0, false) }).sorted { $0.0 < $1.0 }
        let n = Double(all.count)
        var correct = Double(positive.count)      // cut below everything: all called avalanches
        var best = (cut: all.first.map { $0.0 / 2 } ?? .nan, accuracy: correct / n)
        for i in 0..<all.count {
            correct += all[i].1 ? -1 : 1
            if correct / n > best.accuracy {
                let next = i + 1 < all.count ? all[i + 1].0 : all[i].0 * 2
                best = ((all[i].0 * next).squareRoot(), correct / n)
            }
        }
        return best
    }

    static let bottleneck = Claim(
        id: "mf-avalanche.bottleneck", paper: .mfAvalanche,
        reference: "Sec. VII, Eq. (17)",
        statement: "The naive avalanche argument (17): with the l-bits ordered by coupling and the first n − 1 thermal, g_n ≈ J₀e^{−√n/ζ + (n−1)log 2/2}; the avalanche must pass the bottleneck min_n g_n, and if there min_n g_n ≪ 1 it ceases (the mean field then refines this: many weak couplings can carry an avalanche). ζ and the constant in r_n ~ √n are undefined: we evaluate the bottleneck B with the measured ordered couplings b_n = |φ_{(n)0}| (J₀e^{−r_n/ζ} replaced by the data), and B₁₇ with the printed form, J₀ and ζ fitted per sample (least squares of log b_n against √n over b_n ≥ 10⁻¹²). '≪ 1' is read as < 0.1 (a decade), fixed before the run.",
        comparison: .absolute,
        tiers: [
            .quick: ["sizes": [8, 10], "amplitudes": [20, 40, 60, 80, 100, 120], "offsets": 32],
            .standard: ["sizes": [10, 15], "amplitudes": [20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120], "offsets": 96],
            .full: ["sizes": [15, 27], "amplitudes": [20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120], "offsets": 2000],
        ],
        validate: { p in try validateEnsemble(p, countKey: "offsets", couplingsKey: nil) },
        plan: { ctx in try ensemblePlan(ctx, ensemble: .quasiperiodic, countKey: "offsets", bottleneck: true, couplings: [1]) },
        realization: { _, set, k, rng in try ensembleRealization(set, k, &rng) },
        analyze: { ctx, results in
            let all = try cells(results)
            let sizes = sizesOf(all)
            let rMax = sizes.last!
            let cut = 0.1
            func pool(_ r: Int) -> [AvalancheSample] { all.filter { $0.radius == r }.flatMap(\.samples) }
            let samples = pool(rMax)
            func conditional(_ ss: [AvalancheSample], _ key: (BottleneckEstimate) -> Double) -> (f: Double, n: Int, u: Double) {
                let sel = ss.filter { key($0.bottleneck!) < cut }
                let k = sel.filter { $0.avalanches() }.count
                let f = sel.isEmpty ? Double.nan : Double(k) / Double(sel.count)
                let u = sel.isEmpty ? Double.nan : max((f * (1 - f) / Double(sel.count)).squareRoot(), 1 / Double(sel.count))
                return (f, sel.count, u)
            }
            let fAll = Double(samples.filter { $0.avalanches() }.count) / Double(samples.count)
            let act = conditional(samples) { $0.actual }
            func scores(_ key: (BottleneckEstimate) -> Double) -> (pos: [Double], neg: [Double]) {
                (samples.filter { $0.avalanches() }.map { key($0.bottleneck!) }, samples.filter { !$0.avalanches() }.map { key($0.bottleneck!) })
            }
            let sAct = scores { $0.actual }, sFit = scores { $0.printedForm }
            let aucAct = rocArea(positive: sAct.pos, negative: sAct.neg), aucFit = rocArea(positive: sFit.pos, negative: sFit.neg)
            let cutAct = bestCut(positive: sAct.pos, negative: sAct.neg), cutFit = bestCut(positive: sFit.pos, negative: sFit.neg)
            let naiveAccuracy = Double(samples.filter { ($0.bottleneck!.actual >= 1) == $0.avalanches() }.count) / Double(samples.count)
            let belowCutAvalanching = samples.filter { $0.avalanches() && $0.bottleneck!.actual < cut }.count
            let zetas = samples.map { $0.bottleneck!.zeta }.filter(\.isFinite).sorted()
            let positions = samples.map { Double($0.bottleneck!.actualIndex) }.sorted()
            let sizeRows = sizes.map { conditional(pool($0)) { $0.actual }.f }
            let aucRows = sizes.map { r -> Double in
                let p = pool(r)
                return rocArea(positive: p.filter { $0.avalanches() }.map { $0.bottleneck!.actual },
                               negative: p.filter { !$0.avalanches() }.map { $0.bottleneck!.actual }).value
            }
            let aucTol = Tolerance(0.1, "B is the paper's 'basic picture' of failure, refined by many weak couplings: a ranking wrong on ≤ 10% of (avalanche, failure) pairs counts as the bottleneck deciding")
            let checks = [
                StatementCheck(statement: "min_n g_n ≪ 1 at the bottleneck ⇒ the avalanche ceases (measured ordered couplings)",
                    check: Check(predicted: 0, measured: act.f, uncertainty: act.u),
                    tolerance: Tolerance(0.05, "fraction of samples with B < 0.1 that nevertheless avalanche: the argument is one-sided and approximate ('at or before'), 5% allowed"),
                    control: Control("the bottleneck carries no information: the unconditional avalanching fraction \(formatNumber(fAll, digits: 2))",
                                     Check(predicted: fAll, measured: act.f, uncertainty: act.u)),
                    scale: ScaleEvidence(variable: "R", sizes: sizes.map(Double.init), values: sizeRows,
                                         extrapolations: [Estimate("largest R", sizeRows.last!)], paperLargest: nil,
                                         note: "the bottleneck is local: the conditional fraction should not depend on R"),
                    correctedForm: "avalanche ⇔ B > B* with B* ≈ \(formatNumber(cutAct.cut, digits: 2)) (accuracy \(formatNumber(cutAct.accuracy, digits: 3))), not B ≳ 1: weakly coupled l-bits (η ≈ 8g log(1/g) ≫ g) carry the avalanche through bottlenecks far below 1",
                    inconclusiveReason: act.n < 10 ? "only \(act.n) samples with bottleneck < 0.1" : nil),
                StatementCheck("ranking", statement: "the bottleneck decides the outcome (B ranks avalanches above failures)",
                    check: Check(predicted: 1, measured: aucAct.value, uncertainty: aucAct.error),
                    tolerance: aucTol,
                    control: Control("no information (ROC area ½)", Check(predicted: 0.5, measured: aucAct.value, uncertainty: aucAct.error)),
                    scale: ScaleEvidence(variable: "R", sizes: sizes.map(Double.init), values: aucRows,
                                         extrapolations: [Estimate("largest R", aucRows.last!)], paperLargest: nil)),
                StatementCheck("printed-form", statement: "the same ranking with (17) as printed (J₀, ζ fitted per sample)",
                    check: Check(predicted: 1, measured: aucFit.value, uncertainty: aucFit.error),
                    tolerance: aucTol,
                    control: Control("no information (ROC area ½)", Check(predicted: 0.5, measured: aucFit.value, uncertainty: aucFit.error))),
            ]
            var plots = [PlotSeries]()
            for (name, sel) in [("avalanches", samples.filter { $0.avalanches() }), ("fails", samples.filter { !$0.avalanches() })] {
                plots.append(PlotSeries(name: name, x: sel.map { $0.bottleneck!.actual }, y: sel.map { $0.amplitude }, style: .points))
            }
            return Evidence(
                checks: checks,
                method: "Quasiperiodic samples as in qp-threshold (g₀ = 1, θ₀ grid), pooled over W at the largest R. Per sample: b_n = |φ_{(n)0}| sorted decreasingly, B = min_n b_n 2^{(n−1)/2} (measured couplings) and B₁₇ = min_n J₀e^{−√n/ζ+(n−1)log 2/2} (fitted J₀, ζ); outcome from the full mean-field solution. ROC area with the Hanley–McNeil error (θ₀ grid points treated as independent).",
                parameters: ["muchLessThanOne": .number(cut), "zetaFit": "least squares of log b_n vs √n, b_n ≥ 1e-12"],
                findings: [
                    "Samples: \(samples.count) at R = \(rMax); avalanching \(formatNumber(fAll, digits: 3)). With B < 0.1: \(act.n) samples, of which \(belowCutAvalanching) avalanche (\(formatNumber(act.f, digits: 3))).",
                    "The naive criterion 'avalanche ⇔ B ≥ 1' is right for \(formatNumber(naiveAccuracy, digits: 3)) of the samples; the best cut is B* = \(formatNumber(cutAct.cut, digits: 2)) (accuracy \(formatNumber(cutAct.accuracy, digits: 3))) with the measured couplings, B₁₇* = \(formatNumber(cutFit.cut, digits: 2)) (accuracy \(formatNumber(cutFit.accuracy, digits: 3))) with the fitted form.",
                    "ROC area of B: \(formatNumber(aucAct.value, digits: 3)) ± \(formatNumber(aucAct.error, digits: 2)) (measured couplings), \(formatNumber(aucFit.value, digits: 3)) ± \(formatNumber(aucFit.error, digits: 2)) (fitted form).",
                    zetas.isEmpty ? "no ζ fitted" : "Fitted ζ (per sample, in units of √n, i.e. with r_n = √n): median \(formatNumber(median(zetas), digits: 3)), 10–90% \(formatNumber(quantile(sortedValues: zetas, 0.1), digits: 3))–\(formatNumber(quantile(sortedValues: zetas, 0.9), digits: 3)); (17) then puts the bottleneck at n* = 1/(ζ log 2)² ≈ \(formatNumber(pow(1 / (median(zetas) * log2), 2), digits: 3)); the measured argmin n has median \(formatNumber(median(positions), digits: 3)) (10–90% \(formatNumber(quantile(sortedValues: positions, 0.1), digits: 3))–\(formatNumber(quantile(sortedValues: positions, 0.9), digits: 3))).",
                ],
                figures: [Figure(name: "bottleneck-vs-outcome", title: "Bottleneck of Eq. (17) against the mean-field outcome",
                                 caption: "B = min_n b_n 2^{(n−1)/2} (measured ordered couplings) of every sample at the largest R against its W, avalanching and failing samples as two series. The naive argument puts the boundary at B ≈ 1.",
                                 plot: Plot(xLabel: "B = min_{n} b_{n} 2^{(n−1)/2}", yLabel: "W", xLog: true, series: plots))])
        })

    // MARK: 6. collar-radius

    static let collarRadius = Claim(
        id: "mf-avalanche.collar-radius", paper: .mfAvalanche,
        reference: "Sec. VIII, Eq. (20)",
        statement: "Above W_th, the collar radius R_c defined by Eq. (20), Σ_{|n|>R_c} g_n ≪ 1/d with d = d_g e^{η_tot} and g_n = g_{n,0}e^{η_tot/2}, exists for every failed avalanche and does not depend on the lattice size (grains spaced by 2R_c do not merge). d_g is not given for the 2D model: headline d_g = 8 (the paper's only grain dimension, Sec. VI), also 2 and 32; '≪' read as < 0.1·(1/d); |n| read from the assigned site (the paper's labelling), also from the largest-|φ| site and the mean distance.",
        comparison: .absolute,
        tiers: [
            .quick: ["sizes": [6, 8, 10], "amplitudes": [130, 160], "offsets": 12, "grainDimensions": [2, 8, 32], "margin": 0.1],
            .standard: ["sizes": [8, 12, 16], "amplitudes": [110, 130, 160], "offsets": 48, "grainDimensions": [2, 8, 32], "margin": 0.1],
            .full: ["sizes": [12, 18, 27], "amplitudes": [110, 130, 160], "offsets": 400, "grainDimensions": [2, 8, 32], "margin": 0.1],
        ],
        validate: { p in
            try validateEnsemble(p, countKey: "offsets", couplingsKey: nil)
            guard let d = p["grainDimensions"]?.doubles, !d.isEmpty, d.allSatisfy({ $0 >= 1 }), d.contains(8),
                  let m = p["margin"]?.double, m > 0, m <= 1 else {
                throw ClaimError.invalidParameter("grainDimensions ≥ 1 including 8 (headline), 0 < margin ≤ 1")
            }
        },
        plan: { ctx in
            let sizes = try ctx.ints("sizes"), ws = try ctx.doubles("amplitudes"), m = try ctx.int("offsets")
            let dgs = try ctx.doubles("grainDimensions"), margin = try ctx.double("margin")
            return sizes.flatMap { r in ws.map { w in RealizationSet(label: "R\(r)/W\(formatNumber(w))", count: m, settings: [
                "R": .int(r), "W": .number(w), "M": .int(m), "dg": .array(dgs.map { .number($0) }), "margin": .number(margin)]) } }
        },
        realization: { _, set, k, _ in
            try CollarSample.measure(radius: try set.int("R"), amplitude: try set.double("W"),
                                     offset: AvalancheSample.gridOffset(k, of: try set.int("M")),
                                     grainDimensions: try set.doubles("dg"), margin: try set.double("margin"),
                                     eta: try TwoDimensionalEta.shared())
        },
        analyze: { ctx, results in
            let dgs = try ctx.doubles("grainDimensions")
            let positions = ResolvedAvalanche.Position.allCases
            let sets = try results.bySet.map { (r: try $0.set.int("R"), w: try $0.set.double("W"), s: $0.values) }
            let sizes = Array(Set(sets.map(\.r))).sorted()
            let ws = Array(Set(sets.map(\.w))).sorted()
            let rMax = sizes.last!, rPrev = sizes[sizes.count - 2]
            func samples(_ r: Int, _ w: Double) -> [CollarSample] { sets.first { $0.r == r && $0.w == w }!.s }
            func column(_ dg: Double, _ p: ResolvedAvalanche.Position) -> Int { dgs.firstIndex(of: dg)! * positions.count + positions.firstIndex(of: p)! }
            let head = column(8, .assigned)
            // Largest change of R_c between the two largest sizes (failed samples, all W), headline reading.
            func change(_ col: Int, _ a: Int, _ b: Int) -> Double {
                var worst = 0.0
                for w in ws {
                    for (x, y) in zip(samples(a, w), samples(b, w)) where !x.avalanches && !y.avalanches {
                        if x.collar[col] < 0 || y.collar[col] < 0 { worst = .infinity } else { worst = max(worst, Double(abs(x.collar[col] - y.collar[col]))) }
                    }
                }
                return worst
            }
            let changes = zip(sizes, sizes.dropFirst()).map { change(head, $0, $1) }
            let edge = sets.filter { $0.r == rMax }.flatMap(\.s).filter { !$0.avalanches && $0.collar[head] < 0 }.count
            let failed = sets.filter { $0.r == rMax }.flatMap(\.s).filter { !$0.avalanches }
            func maxRc(_ col: Int) -> Int { failed.map { $0.collar[col] }.max() ?? -1 }
            var rows = [String]()
            for dg in dgs { rows.append("d_g = \(formatNumber(dg)): " + positions.map { "\($0.rawValue) \(maxRc(column(dg, $0)))" }.joined(separator: ", ")) }
            let checks = [
                StatementCheck(statement: "Eq. (20) defines a finite R_c for every failed avalanche, independent of the lattice size",
                    check: Check(predicted: 0, measured: changes.last!),
                    tolerance: Tolerance(0.5, "R_c is an integer taxicab radius: any change between the two largest sizes fails"),
                    control: Control("the collar reaches the boundary and grows with the lattice (ΔR = \(rMax - rPrev))",
                                     Check(predicted: Double(rMax - rPrev), measured: changes.last!)),
                    scale: ScaleEvidence(variable: "R", sizes: sizes.dropFirst().map(Double.init), values: changes,
                                         extrapolations: [Estimate("two largest sizes", changes.last!)], paperLargest: nil,
                                         note: "max over failed θ₀ of |R_c(R) − R_c(R_prev)|, d_g = 8, assigned labelling"),
                    inconclusiveReason: failed.isEmpty ? "no failed avalanche at these W" : nil),
                StatementCheck("dg32", statement: "the same with d_g = 32", role: .alternativeReading,
                    check: Check(predicted: 0, measured: change(column(dgs.contains(32) ? 32 : 8, .assigned), rPrev, rMax)),
                    tolerance: Tolerance(0.5, "integer radius"),
                    control: Control("grows with the lattice", Check(predicted: Double(rMax - rPrev),
                                                                     measured: change(column(dgs.contains(32) ? 32 : 8, .assigned), rPrev, rMax)))),
            ]
            var plots = [PlotSeries](), series = [DataSeries]()
            for dg in dgs {
                let ys = ws.map { w -> Double in
                    let f = samples(rMax, w).filter { !$0.avalanches }.map { Double($0.collar[column(dg, .assigned)]) }
                    return f.isEmpty ? .nan : f.reduce(0, +) / Double(f.count)
                }
                let ym = ws.map { w in Double(samples(rMax, w).filter { !$0.avalanches }.map { $0.collar[column(dg, .assigned)] }.max() ?? -1) }
                plots.append(PlotSeries(name: "mean R_{c}, d_{g} = \(formatNumber(dg))", x: ws, y: ys, group: "d_g = \(formatNumber(dg))"))
                plots.append(PlotSeries(name: "max R_{c}, d_{g} = \(formatNumber(dg))", x: ws, y: ym, style: .dashed, group: "d_g = \(formatNumber(dg))"))
                series.append(DataSeries(name: "mean R_c, d_g = \(formatNumber(dg))", x: ws, y: ys, parameters: ["dg": .number(dg), "R": .int(rMax)],
                                         xLabel: "W", yLabel: "R_c"))
            }
            let relabelled = failed.map(\.relabelled)
            return Evidence(
                checks: checks,
                method: "Quasiperiodic samples (θ₀ grid, g₀ = 1) at W above the printed-reading threshold; every eigenvector (dsyevd), orbital positions by the linear assignment maximizing Π|φ_{nσ(n)}| (and the largest-|φ| site, and Σ_m|φ_{nm}|²|m|₁), mean-field η_tot, then the smallest integer R_c with Σ_{|n|₁>R_c} g_{n,0}e^{η_tot/2} < 0.1/(d_g e^{η_tot}).",
                parameters: ["headlineGrainDimension": 8, "headlinePosition": "assigned", "distance": "taxicab |n₁| + |n₂|"],
                findings: [
                    "Largest R_c over failed samples at R = \(rMax) (grains must be ≥ 2R_c apart), by d_g and position convention: " + rows.joined(separator: "; ") + ".",
                    "Max |ΔR_c| between successive sizes (d_g = 8, assigned): " + zip(sizes.dropFirst(), changes).map { "R = \($0): \(formatNumber($1))" }.joined(separator: ", ") + "; failed samples whose collar reaches the edge at R = \(rMax): \(edge).",
                    "R_c depends on the labelling convention (assigned vs largest-|φ| site vs mean distance) and on d_g through log d_g/(2·decay rate); the paper fixes neither. Orbitals whose largest-|φ| site differs from the assigned one: median \(relabelled.isEmpty ? 0 : Int(median(relabelled.map(Double.init)))) per sample.",
                    "The paper's 'grains spaced by 2R do not merge' is an argument, not a computation: only R_c is measured here.",
                ],
                series: series,
                figures: [Figure(name: "collar-radius", title: "Collar radius R_{c} of Eq. (20)",
                                 caption: "Mean (solid) and largest (dashed) R_c over failed θ₀ at the largest R for each grain dimension d_g (assigned labelling, margin 0.1).",
                                 plot: Plot(xLabel: "W", yLabel: "R_{c}", series: plots))])
        })
}
