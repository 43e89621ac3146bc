import Foundation
import Kernels
import Verification

extension OpenSync {
    // MARK: 1. χ uniform (App. C)

    /// Triples per realization of chi-uniform (realization k = triples k·10⁴ … of the stream).
    static let chiChunk = 10_000

    static let chiUniform = Claim(
        id: "open-sync.chi-uniform",
        paper: .openSync,
        reference: "Eq. (9), App. C (Eqs. (C1)–(C3), Fig. 4); Eq. (D6)",
        statement: "For i.i.d. uniform angles φ₁, φ₂, φ₃, χ of Eq. (9) is uniformly distributed on [0, 1] (App. C: l = √χ has density 2l); likewise χ₂ of Eq. (D6) for i.i.d. uniform φ₁, φ₂.",
        comparison: .ksTest,
        tiers: [
            .quick: ["samples": 100_000, "mainSamples": 8000, "chi2Samples": 4000, "bins": 4096, "controlGrid": 120, "lawGrid": 512],
            .standard: ["samples": 1_000_000, "mainSamples": 8000, "chi2Samples": 4000, "bins": 4096, "controlGrid": 120, "lawGrid": 1024],
            .full: ["samples": 4_000_000, "mainSamples": 8000, "chi2Samples": 4000, "bins": 4096, "controlGrid": 120, "lawGrid": 2048],
        ],
        validate: { p in
            guard let n = p["samples"]?.int, let m = p["mainSamples"]?.int, let m2 = p["chi2Samples"]?.int,
                  let b = p["bins"]?.int, let g = p["controlGrid"]?.int, let t = p["lawGrid"]?.int else {
                throw ClaimError.invalidParameter("chi-uniform needs integers samples, mainSamples, chi2Samples, bins, controlGrid, lawGrid")
            }
            guard m >= 100, m <= chiChunk, m2 >= 100, m2 <= m, n >= chiChunk, b >= 64, b <= 1 << 16, g >= 6, t >= 64, t <= 4096 else {
                throw ClaimError.invalidParameter("need 100 ≤ chi2Samples ≤ mainSamples ≤ \(chiChunk) ≤ samples, 64 ≤ bins ≤ 65536, controlGrid ≥ 6, 64 ≤ lawGrid ≤ 4096")
            }
        },
        plan: { ctx in
            let n = try ctx.int("samples")
            // Realization k = chunk k of 10⁴ triples, stream (seed, "open-sync.chi-uniform", k): the draws of the former single-run claim.
            return [RealizationSet(label: "", count: (n + chiChunk - 1) / chiChunk, settings: ["samples": .int(n)])]
        },
        realization: { ctx, set, k, rng in
            let n = try set.int("samples")
            return ChiUniformChunk.measure(triples: min(chiChunk, n - k * chiChunk), bins: try ctx.int("bins"),
                                           keep: k == 0 ? try ctx.int("mainSamples") : 0, &rng)
        },
        analyze: { ctx, results in
            let chunks = results[""]
            let nMain = try ctx.int("mainSamples"), n2 = try ctx.int("chi2Samples")
            let bins = try ctx.int("bins"), g = try ctx.int("controlGrid"), tab = try ctx.int("lawGrid")
            let uniform: @Sendable (Double) -> Double = { min(1, max(0, $0)) }
            let alpha = 0.01
            let cAlpha = (-Foundation.log(alpha / 2) / 2).squareRoot()

            // ---- main: the first mainSamples triples against U(0, 1)
            let chiMain = Array(chunks[0].chi.prefix(nMain))
            let ks = ksTest(chiMain, cdf: uniform)
            let power = cAlpha / Double(chiMain.count).squareRoot()
            // the candidate wrong answers: laws of χ under other readings of "the average angle"
            let laws = ChiReading.allCases.map { r in (reading: r, law: torusLaw(grid: tab) { r.chi($0, $1) }) }
            let rivals = laws.map { l -> (ChiReading, EmpiricalCDF, Double, KSResult) in
                (l.reading, l.law, l.law.supDistance(to: uniform), ksTest(chiMain, cdf: { l.law($0) }))
            }
            // exponent neighbours of F(l) = l²: F(l) = l (l uniform, the N = 2 law) and F(l) = l³ (the N = 4 law)
            let expRivals: [(String, (Double) -> Double, Double)] = [
                ("F(l) = l³ (the law of l for N = 4 angles): χ has CDF x^{3/2}", { pow(uniform($0), 1.5) }, 4.0 / 27),
                ("F(l) = l (l uniform, the N = 2 law): χ has CDF √x", { uniform($0).squareRoot() }, 0.25),
            ]
            let nearest = rivals.min { $0.2 < $1.2 }!
            let printedLaw = torusLaw(grid: tab) { chi($0, $1, 0) }
            var otherSelections = (0.0, 0.0)
            for i in 0..<tab { for j in 0..<tab {
                let a = 2 * Double.pi * (Double(i) + 0.5) / Double(tab), b = 2 * Double.pi * (Double(j) + 0.5) / Double(tab)
                let c = chi(a, b, 0), o = chiOtherSelections(a, b)
                otherSelections = (max(otherSelections.0, abs(o.leastSquares - c)), max(otherSelections.1, abs(o.nearestCircularMean - c)))
            } }
            let lawError = printedLaw.supDistance(to: uniform)

            // ---- χ₂ (Eq. (D6)): the first chi2Samples
            let chi2Main = Array(chunks[0].chi2.prefix(n2))
            let ks2 = ksTest(chi2Main, cdf: uniform)
            let ks2Rival = ksTest(chi2Main, cdf: { uniform($0) * uniform($0) })

            // ---- precision: every triple, histogrammed
            var counts = [Int](repeating: 0, count: bins), counts2 = [Int](repeating: 0, count: bins)
            for c in chunks {
                for b in 0..<bins { counts[b] += c.chiCounts[b]; counts2[b] += c.chi2Counts[b] }
            }
            let nAll = counts.reduce(0, +)
            let ksAll = binnedKS(counts: counts, law: uniform)
            let ks2All = binnedKS(counts: counts2, law: uniform)
            let gridLaw = torusLaw(grid: g, midpoints: false) { chi($0, $1, 0) }
            let gridDistance = gridLaw.supDistance(to: uniform)
            let ksGrid = binnedKS(counts: counts, law: { gridLaw($0) }, leftLimit: { gridLaw.leftLimit($0) })
            let powerAll = cAlpha / Double(nAll).squareRoot()
            let binMass = Double(counts.max()!) / Double(nAll)

            let mean = { (x: [Double]) in x.reduce(0, +) / Double(x.count) }
            let binnedMean = counts.enumerated().reduce(0.0) { $0 + (Double($1.offset) + 0.5) / Double(bins) * Double($1.element) } / Double(nAll)
            let lawMean = { (l: EmpiricalCDF) in l.sorted.reduce(0, +) / Double(l.count) }

            var findings = [
                "Main sample: the first \(chiMain.count) triples of realization 0. χ vs U(0,1): D = \(fmt(ks.statistic, 3)), p = \(fmt(ks.pValue, 3)); mean \(fmt(mean(chiMain), 4)). Resolving power c(α)/√n = \(fmt(cAlpha, 4))/√\(chiMain.count) = \(fmt(power, 3)) in KS distance (α = \(fmt(alpha, 2))).",
                "Why \(chiMain.count) and not all \(nAll): the statement is exact, and every plausible misreading of Eq. (9) moves the law of χ by ≥ \(fmt(expRivals[0].2, 3)) in KS distance (list below). A comparison that resolves \(fmt(powerAll, 2)) would put the nearest of them \(fmt(nearest.2 / powerAll, 3))× its power away (a weak control); the main sample is sized so that the nearest reading of the definition lies within 10× the power and is still rejected. The full sample is used by the precision check below.",
            ]
            for r in rivals {
                findings.append("Reading '\(r.0.rawValue)': KS distance of its law from U(0,1) = \(fmt(r.2, 3)) (tabulated on a \(tab)² torus grid); the main sample against it: D = \(fmt(r.3.statistic, 3)), p = \(fmt(r.3.pValue, 2)) — \(r.3.pValue < alpha ? "rejected" : "NOT rejected").")
            }
            for e in expRivals {
                let k = ksTest(chiMain, cdf: e.1)
                findings.append("Neighbouring exponent \(e.0): distance \(fmt(e.2, 3)); main sample D = \(fmt(k.statistic, 3)), p = \(fmt(k.pValue, 2)).")
            }
            findings += [
                "Readings that coincide with the printed χ: selecting φ̄_j by the least-squares (Fréchet) rule, or as the φ̄_j nearest the circular mean, changes χ by at most \(fmt(otherSelections.0, 2)) and \(fmt(otherSelections.1, 2)) on the \(tab)² grid; Eq. (9) and (C1) (square inside or outside the min) are identical since l ≥ 0.",
                "Tabulation check: the printed χ tabulated on the same \(tab)² midpoint grid is \(fmt(lawError, 2)) from U(0,1) in KS distance (the tabulation error of the rival distances).",
                "l = √χ vs F(l) = l² (App. C, density 2l): the same KS statistic as χ vs U(0,1) (a monotone map), D = \(fmt(ks.statistic, 3)).",
                "χ₂ (Eq. (D6)) for i.i.d. uniform φ₁, φ₂: first \(chi2Main.count) values D = \(fmt(ks2.statistic, 3)), p = \(fmt(ks2.pValue, 3)); against the squared convention of Eq. (9) (χ₂² uniform, CDF x²): D = \(fmt(ks2Rival.statistic, 3)), p = \(fmt(ks2Rival.pValue, 2)); all \(nAll) values (binned): D = \(fmt(ks2All.statistic, 3)), p = \(fmt(ks2All.pValue, 3)).",
                "Precision: all \(nAll) triples, \(bins) bins: D = \(fmt(ksAll.statistic, 3)) (exact within the largest bin mass \(fmt(binMass, 2))), p = \(fmt(ksAll.pValue, 3)); mean \(fmt(binnedMean, 5)). The law of χ on the \(g)×\(g) grid of random-perturbations (Fig. 3 sampling) is \(fmt(gridDistance, 4)) = 1/\(fmt(1 / gridDistance, 4)) from U(0,1); the sample against it: D = \(fmt(ksGrid.statistic, 3)), p = \(fmt(ksGrid.pValue, 2)).",
                "Max χ over the main sample \(fmt(chiMain.max()!, 7)), min \(fmt(chiMain.min()!, 3)) (range [0, 1] as App. C states).",
            ]

            // ---- figure: densities
            let coarse = 40
            func density(_ c: [Int]) -> ([Double], [Double]) {
                let per = c.count / coarse, tot = Double(c.reduce(0, +))
                let k = (0..<coarse).map { i in Double(c[(i * per)..<((i + 1) * per)].reduce(0, +)) }
                return (k.map { $0 / tot * Double(coarse) }, k.map { $0.squareRoot() / tot * Double(coarse) })
            }
            let (dens, densErr) = density(counts)
            let centres = (0..<coarse).map { (Double($0) + 0.5) / Double(coarse) }
            let rivalDensity = (0..<coarse).map { i in
                (nearest.1(Double(i + 1) / Double(coarse)) - nearest.1(Double(i) / Double(coarse))) * Double(coarse)
            }
            let fig = Figure(name: "chi-histogram", title: "χ for i.i.d. uniform angles",
                             caption: "Density of χ (Eq. (9)) for \(nAll) i.i.d. uniform triples (±1σ counting errors), the uniform density of App. C, and the law of the nearest misreading of Eq. (9) (\(nearest.0.rawValue); KS distance \(fmt(nearest.2, 3)) from uniform).",
                             plot: Plot(xLabel: "χ", yLabel: "probability density", series: [
                                PlotSeries(name: "χ, Eq. (9)", x: centres, y: dens, yError: densErr, style: .points),
                                PlotSeries(name: "U(0, 1), App. C", x: [0, 1], y: [1, 1], style: .dashed),
                                PlotSeries(name: "no min over j, φ′ ∈ (−π, π]", x: centres, y: rivalDensity, style: .steps),
                             ]))

            let main = StatementCheck(
                statement: "χ of Eq. (9) is uniform on [0, 1] for i.i.d. uniform angles (App. C)",
                check: Check(predicted: 0.5, measured: mean(chiMain), ks: ks),
                tolerance: Tolerance(alpha, "KS significance α = 0.01 on one fixed seed: an exact law is rejected with probability 1%; the KS statistic is exact for a continuous law (no binning)."),
                control: Control("the law of χ without the min over j in the frame of Eq. (C3) (φ̄ = (φ′₁ + φ′₂)/3, φ′ ∈ (−π, π]), the nearest reading of the printed definition (KS distance from uniform \(fmt(nearest.2, 3)))",
                                 Check(predicted: lawMean(nearest.1), measured: mean(chiMain), ks: nearest.3),
                                 distance: nearest.2))
            let chi2Check = StatementCheck(
                "chi2-uniform",
                statement: "χ₂ of Eq. (D6) is uniform on [0, 1] for i.i.d. uniform φ₁, φ₂ (App. D)",
                check: Check(predicted: 0.5, measured: mean(chi2Main), ks: ks2),
                tolerance: Tolerance(alpha, "KS significance α = 0.01 on one fixed seed (exact law, continuous)."),
                control: Control("χ₂ squared like χ in Eq. (9) (χ₂² uniform, i.e. CDF x² for χ₂): KS distance 1/4",
                                 Check(predicted: 2.0 / 3, measured: mean(chi2Main), ks: ks2Rival), distance: 0.25))
            let precision = StatementCheck(
                "precision",
                statement: "our χ sampler: U(0, 1) at the full sample, resolving the \(g)-point grid law used in random-perturbations",
                role: .consistency,
                check: Check(predicted: 0.5, measured: binnedMean, ks: ksAll),
                tolerance: Tolerance(alpha, "KS significance α = 0.01 on the histogrammed sample (\(bins) bins: the statistic is exact within the largest bin mass \(fmt(binMass, 2)), below the power \(fmt(powerAll, 2)))."),
                control: Control("the law of χ on the \(g)×\(g) grid of φ′ used for the Fig. 3 threshold sample (random-perturbations): KS distance 1/\(fmt(1 / gridDistance, 4)) from uniform",
                                 Check(predicted: lawMean(gridLaw), measured: binnedMean, ks: ksGrid), distance: gridDistance))
            var params: [String: JSONValue] = [:]
            params["mainSample"] = .string("first \(chiMain.count) triples of realization 0 (χ₂: first \(chi2Main.count))")
            params["nearestReading"] = .string(nearest.0.rawValue)
            return Evidence(
                checks: [main, chi2Check, precision],
                method: "Draw i.i.d. triples of uniform angles (realization k = 10⁴ triples of the Philox stream k), evaluate χ of Eq. (9) (argdist on the circle, min over the three average angles φ̄_j) and χ₂ of Eq. (D6) for φ₁ − φ₂. Main check: a one-sample KS test of the first \(nMain) χ values against U(0, 1); its control is the law χ would have under the nearest misreading of the definition (tabulated exactly on a \(tab)² grid of the torus of relative angles, App. C). The full sample is histogrammed (\(bins) bins) for a precision KS test whose control is the law of χ on the \(g)-point grid of Fig. 3's sampling.",
                parameters: params, findings: findings,
                series: [DataSeries(name: "chi density (uniform angles)", x: centres, y: dens, yError: densErr,
                                    xLabel: "χ", yLabel: "probability density")],
                figures: [fig],
                extra: ["ksStatistic": .number(ks.statistic), "ksPValue": .number(ks.pValue),
                        "precisionKS": .number(ksAll.statistic), "precisionP": .number(ksAll.pValue)])
        })

    // MARK: 2. χ at the synchronized configurations (Fig. 2)

    /// The configurations of Fig. 2 (b), (e) with the χ peak each belongs to.
    static let fig2Configurations: [(name: String, angles: [Double], expected: Double)] = [
        ("(0,0,0)", [0, 0, 0], 0),
        ("(0,0,π)", [0, 0, .pi], 1),
        ("(0,π/3,−π/3)", [0, .pi / 3, -.pi / 3], 0.25),
        ("(0,2π/3,−2π/3)", [0, 2 * .pi / 3, -2 * .pi / 3], 1),
    ]

    static let chiConfigurations = Claim(
        id: "open-sync.chi-configurations",
        paper: .openSync,
        reference: "Eq. (9), Fig. 2 (b, c, e, f), text before Fig. 3; App. C",
        statement: "χ takes the peak values 0, 1/4, 1 at the synchronized configurations of Fig. 2 — (0,0,0) → 0, (0,0,π) → 1, (0,π/3,−π/3) → 1/4, (0,2π/3,−2π/3) → 1 — so that P(1/4)/[3P(0)] is the ratio of π/3- to (0,π)-type synchronization; χ is invariant under global phase shifts (App. C).",
        comparison: .absolute,
        tiers: [
            .quick: ["shifts": 13, "triplesPerAxis": 12, "grid": 60],
            .standard: ["shifts": 13, "triplesPerAxis": 40, "grid": 120],
            .full: ["shifts": 13, "triplesPerAxis": 80, "grid": 240],
        ],
        validate: { p in
            guard let s = p["shifts"]?.int, s >= 1, let t = p["triplesPerAxis"]?.int, t >= 2, t <= 200,
                  let g = p["grid"]?.int, g >= 12, g % 6 == 0 else {
                throw ClaimError.invalidParameter("need shifts ≥ 1, 2 ≤ triplesPerAxis ≤ 200, grid ≥ 12 divisible by 6")
            }
        },
        run: { ctx in
            let nShift = try ctx.int("shifts"), nt = try ctx.int("triplesPerAxis"), grid = try ctx.int("grid")
            let m = ChiConfigurationMeasurement.measure(shifts: nShift, triplesPerAxis: nt)
            let maxima = try SyncMaximaMeasurement.measure(grid: grid)
            var findings: [String] = []
            for c in m.configurations {
                findings.append("χ\(c.name) = \(fmt(c.value, 15)) (peak \(fmt(c.expected, 3))); spread over 6 permutations × \(nShift) global shifts = \(fmt(c.spread, 2)).")
            }
            findings.append("\(nt)³ triples × \(m.shiftsTried) shifts and 2π representatives: max |χ(shifted, other representatives) − χ| = \(fmt(m.invarianceDeviation, 2)); χ(φ₁,φ₂,φ₃) = χ(φ′₁,φ′₂,0) to \(fmt(m.relativeDeviation, 2)) (App. C). Without the min over j (φ ∈ [0, 2π)) the same test moves χ by up to \(fmt(m.noMinDeviation, 3)): the min over j is what makes χ well defined.")
            findings.append("S_d maxima (grid \(grid), N = 3, Eq. (2)): pure 1₀₊ has \(maxima.zeroPiMaxima.count) maxima with χ = \(maxima.zeroPiMaxima.map { fmt($0, 4) }.joined(separator: ", ")); pure 1₀₋ has \(maxima.piThirdMaxima.count) with χ = \(maxima.piThirdMaxima.map { fmt($0, 4) }.joined(separator: ", ")). So at r = 1 a (0,π)-type draw puts 1/4 of its weight at χ = 0 and 3/4 at χ = 1, a π/3-type draw 3/4 at χ = 1/4 and 1/4 at χ = 1: P(1/4)/[3P(0)] = f/(1 − f) with f the π/3 fraction, as printed (P(1) mixes both types).")
            let exact = Tolerance(1e-12, "χ is evaluated in closed form; the measured round-off over all permutations, shifts and representatives is ≤ \(fmt(max(m.worstDeviation, m.invarianceDeviation), 1)), so 1e-12 is a ≥ 100× margin. Exact evaluation: the power is round-off and no plausible alternative can lie within 10× of it.")
            let printedPeaks = fig2Configurations.map(\.expected)
            let rivalPeaks = [0, 1, 0.25, 0.25]
            let main = StatementCheck(
                statement: "the Fig. 2 maximizers sit at the χ peaks: (0,0,0) → 0, (0,0,π) → 1, (0,π/3,−π/3) → 1/4, (0,2π/3,−2π/3) → 1 (number of the four assignments that hold)",
                check: Check(predicted: 4, measured: Double(m.matches(printedPeaks))),
                unit: "configurations",
                tolerance: Tolerance(0.5, "A count of list entries: each configuration's χ is evaluated in closed form and compared with its peak within 1e-12 under all permutations and shifts (measured round-off ≤ \(fmt(m.worstDeviation, 1))); a different list differs by ≥ 1 entry."),
                control: Control("(0,2π/3,−2π/3) at the χ = 1/4 peak like (0,π/3,−π/3) (the text names both π/3-type maximizers together): that list has \(m.matches(rivalPeaks)) of 4 entries right",
                                 Check(predicted: 4, measured: Double(m.matches(rivalPeaks))), distance: 1))
            let multiplicity = StatementCheck(
                "multiplicity",
                statement: "the factor 3 in P(1/4)/[3P(0)]: (weight of π/3-type maxima at χ = 1/4)/(weight of (0,π)-type maxima at χ = 0) = 3",
                check: Check(predicted: 3, measured: maxima.multiplicityRatio),
                tolerance: Tolerance(0.25, "The measured value is a ratio of maxima counts, (k/8)/(1/4) = k/2: a different count moves it by ≥ 1/2, so half of that decides equality. The counts are exact (maxima on the grid within 1e-12 of the maximum; grid divisible by 6)."),
                control: Control("all eight π/3-type maxima at χ = 1/4 (the text's grouping of (0,2π/3,−2π/3) with (0,π/3,−π/3)): factor 4",
                                 Check(predicted: 4, measured: maxima.multiplicityRatio)))
            let invariance = StatementCheck(
                "invariance",
                statement: "χ is invariant under global phase shifts and 2π representatives (App. C)",
                check: Check(predicted: 0, measured: m.invarianceDeviation),
                tolerance: exact,
                control: Control("χ without the min over j (φ ∈ [0, 2π)): shifts change it by up to \(fmt(m.noMinDeviation, 3))",
                                 Check(predicted: m.noMinDeviation, measured: m.invarianceDeviation)))
            return Evidence(
                checks: [main, multiplicity, invariance],
                method: "Evaluate χ of Eq. (9) at the four configurations of Fig. 2 under all 6 permutations and \(nShift) global shifts (statistic: the largest deviation from the peak each belongs to); test shift and representative invariance on a regular \(nt)³ set of triples; locate the maxima of S_d (Eq. (2), exact Fourier series of the Husimi Q) for pure 1₀₊ and 1₀₋ (N = 3 spin-1 chain) on a \(grid)² grid and count them by their χ.",
                findings: findings,
                series: [DataSeries(name: "chi at Fig. 2 configurations", x: [0, 1, 2, 3], y: m.configurations.map(\.value),
                                    xLabel: "configuration index", yLabel: "χ")])
        })
}
