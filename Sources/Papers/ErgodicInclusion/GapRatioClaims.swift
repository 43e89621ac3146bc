import Foundation
import Kernels
import Linalg
import Verification

/// The level-statistics reference claims that ergodic-inclusion (Fig. 2, Fig. 6, SM VIA)
/// and kas-glass (Fig. 3) rely on: the mean adjacent-gap ratio of GOE and Poisson spectra.
public enum ErgodicInclusion {
    public static let claims: [Claim] = [gapRatioGOE, gapRatioPoisson, avalancheLength, perturbativePurity, residualCorrelation, ethPurityScaling, purityIdentity, crossingShift, bandwidthChoice, purityProfile, purityModel, correlationEnhancement]

    /// Gap ratios of the central `fraction` of a sorted spectrum (edges excluded: the
    /// ratio needs no unfolding, but the spectral edges are not bulk statistics).
    static func centralGapRatios(_ levels: [Double], fraction: Double) -> [Double] {
        let n = levels.count
        let keep = max(3, Int((Double(n) * fraction).rounded()))
        let lo = (n - keep) / 2
        return gapRatios(sortedLevels: Array(levels[lo..<(lo + keep)]))
    }

    /// ⟨r̃⟩ of `count` GOE matrices of size n (values only, dsyevr), one mean per matrix.
    static func goeMeans(_ ctx: ClaimContext, n: Int, count: Int, fraction: Double, label: String,
                         histogram: Bool) throws -> (means: [Double], sample: [Double]) {
        let results = try ctx.realizations(count, label: label) { k, rng -> (Double, [Double]) in
            let h = RandomMatrix.goe(n, &rng)
            let e = try symmetricEigen(h, vectors: false).values
            let r = centralGapRatios(e, fraction: fraction)
            return (r.reduce(0, +) / Double(r.count), histogram && k < 200 ? r : [])
        }
        return (results.map(\.0), results.flatMap(\.1))
    }

    /// Distribution of per-realization means as a 30-bin density series (mean ± 4σ).
    static func meansHistogram(_ means: [Double], name: String) -> DataSeries {
        let s = SampleSummary(means)
        let h = Histogram(means, bins: 30, lower: s.mean - 4 * s.standardDeviation, upper: s.mean + 4 * s.standardDeviation)
        return DataSeries(name: name, x: h.centres, y: h.density, yError: h.densityError)
    }

    static func histogramFigure(_ sample: [Double], name: String, title: String, caption: String) -> Figure {
        let h = Histogram(sample, bins: 25, lower: 0, upper: 1)
        let grid = (0...100).map { Double($0) / 100 }
        return Figure(name: name, title: title, caption: caption, plot: Plot(
            xLabel: "r̃ = min(s_n, s_n+1) / max(s_n, s_n+1)", yLabel: "P(r̃)",
            series: [
                PlotSeries(name: "sampled (±1σ Poisson counts)", x: h.centres, y: h.density, yError: h.densityError, style: .points),
                PlotSeries(name: "GOE surmise 2·27/8 (r+r²)/(1+r+r²)^5/2", x: grid, y: grid.map(GapRatioReference.goeSurmiseDensity), style: .line),
                PlotSeries(name: "Poisson 2/(1+r)²", x: grid, y: grid.map(GapRatioReference.poissonDensity), style: .dashed),
            ]))
    }

    // MARK: GOE

    static let gapRatioGOE = Claim(
        id: "ergodic-inclusion.gap-ratio-goe",
        paper: .ergodicInclusion,
        reference: "Fig. 2, Fig. 6, SM Sec. VIA (gap ratio [5]); kas-glass Fig. 3",
        statement: "The mean adjacent-gap ratio of GOE spectra, the ergodic reference value of the papers' level statistics, is ⟨r̃⟩ ≈ 0.5307 (large-N numerics of Atas et al., PRL 110, 084101 (2013)).",
        comparison: .zScore,
        tiers: [
            .quick: ["matrixSize": 100, "matrices": 2000, "centralFraction": 0.5],
            .standard: ["matrixSize": 200, "matrices": 8000, "centralFraction": 0.5, "driftSize": 50, "driftMatrices": 8000],
            .full: ["matrixSize": 400, "matrices": 20000, "centralFraction": 0.5, "driftSize": 100, "driftMatrices": 20000],
        ],
        validate: { p in
            guard let n = p["matrixSize"]?.int, n >= 10, let m = p["matrices"]?.int, m >= 30,
                  let f = p["centralFraction"]?.double, f > 0, f <= 1 else {
                throw ClaimError.invalidParameter("need integer matrixSize ≥ 10, integer matrices ≥ 30, 0 < centralFraction ≤ 1")
            }
            // Each worker holds the matrix and LAPACK's copy: 2·n²·8 bytes, times the cores.
            try MemoryBudget.require(2 * Double(n) * Double(n) * 8 * Double(ProcessInfo.processInfo.activeProcessorCount),
                                     for: "GOE matrices of size \(n)")
        },
        run: { ctx in
            let n = try ctx.int("matrixSize"), count = try ctx.int("matrices"), frac = try ctx.double("centralFraction")
            guard n >= 10, count >= 30 else { throw ClaimError.invalidParameter("need matrixSize ≥ 10 and matrices ≥ 30") }
            let (means, sample) = try goeMeans(ctx, n: n, count: count, fraction: frac, label: "N\(n)", histogram: true)
            let s = SampleSummary(means)
            // Combined σ: statistical standard error (from the spread of per-matrix means,
            // which absorbs correlations between ratios of one spectrum) ⊕ the reference's
            // quoted uncertainty 1e-4.
            let sigma = (s.standardError * s.standardError
                         + GapRatioReference.goeMeanUncertainty * GapRatioReference.goeMeanUncertainty).squareRoot()
            var findings = [
                "⟨r̃⟩ = \(formatNumber(s.mean, digits: 5)) ± \(formatNumber(s.standardError, digits: 2)) from \(count) GOE matrices of size \(n) (central \(Int(frac * 100))% of each spectrum, \(s.count) per-matrix means; spread of per-matrix means \(formatNumber(s.standardDeviation, digits: 3))).",
                "3×3 Wigner-like surmise 4 − 2√3 = \(formatNumber(GapRatioReference.goeSurmiseMean, digits: 5)) differs from the large-N value by \(formatNumber(GapRatioReference.goeSurmiseMean - GapRatioReference.goeMean, digits: 2)); it is the control.",
            ]
            var series = [meansHistogram(means, name: "histogram of per-matrix mean r (density)")]
            var params: [String: JSONValue] = ctx.parameters
            if let dn = ctx.parameters["driftSize"]?.int, let dc = ctx.parameters["driftMatrices"]?.int {
                let d = SampleSummary(try goeMeans(ctx, n: dn, count: dc, fraction: frac, label: "N\(dn)", histogram: false).means)
                let diff = s.mean - d.mean
                let de = (s.standardError * s.standardError + d.standardError * d.standardError).squareRoot()
                findings.append("Finite-size drift: ⟨r̃⟩(N=\(dn)) = \(formatNumber(d.mean, digits: 5)) ± \(formatNumber(d.standardError, digits: 2)); difference to N=\(n) is \(formatNumber(diff, digits: 2)) ± \(formatNumber(de, digits: 2)) (\(formatNumber(abs(diff) / de, digits: 2))σ), so finite N is not a limiting systematic at this precision.")
                series.append(DataSeries(name: "mean r vs N", x: [Double(dn), Double(n)], y: [d.mean, s.mean],
                                         yError: [d.standardError, s.standardError]))
                params["driftMean"] = .number(d.mean)
            }
            params["seedLabel"] = .string("\(ctx.claimID)/N\(n), realization k = matrix k; master seed \(ctx.seed)")
            params["ensemble"] = "GOE: H = (A + Aᵀ)/2, A_ij ~ N(0,1)"
            return Evidence(
                check: Check(predicted: GapRatioReference.goeMean, measured: s.mean, uncertainty: sigma),
                control: Control("3×3 Wigner-surmise value 4 − 2√3 ≈ 0.5359 (1% high)",
                                 Check(predicted: GapRatioReference.goeSurmiseMean, measured: s.mean, uncertainty: sigma)),
                tolerance: Tolerance(3, "|z| ≤ 3: σ is the measured standard error of the per-matrix means combined with the reference's ±1e-4; a Gaussian statistic exceeds 3σ with probability 0.27%."),
                method: "Sample GOE matrices H = (A + Aᵀ)/2 (A_ij ~ N(0,1)) from per-matrix Philox streams, compute all eigenvalues with dsyevr (values only), form r̃_n = min(s_n, s_{n+1})/max(s_n, s_{n+1}) on the central half of each spectrum, and average per matrix; the mean over matrices and its standard error give the measurement. Matrices run in parallel with OpenBLAS pinned to one thread.",
                parameters: params, findings: findings, series: series,
                figures: [histogramFigure(sample, name: "r-histogram", title: "GOE gap-ratio distribution",
                                          caption: "Histogram of r̃ from the first 200 GOE matrices, with the 3×3 GOE surmise (close, not exact, at large N) and the Poisson law.")],
                regressionTolerance: 1e-9)
        })

    // MARK: Poisson

    static let gapRatioPoisson = Claim(
        id: "ergodic-inclusion.gap-ratio-poisson",
        paper: .ergodicInclusion,
        reference: "Fig. 2 (localized limit); kas-glass Fig. 3 (r = 0.39)",
        statement: "For uncorrelated (Poisson) levels, the localized reference, ⟨r̃⟩ = 2 ln 2 − 1 ≈ 0.3863 and P(r̃) = 2/(1 + r̃)².",
        comparison: .zScore,
        tiers: [
            .quick: ["levels": 1000, "spectra": 200],
            .standard: ["levels": 2000, "spectra": 2000],
            // The statement is exact; its nearest plausible wrong answer (0.39, the rounding
            // kas-glass Fig. 3 prints) is 8× the standard tier's resolving power away, so more
            // statistics would make the control weak (> 10×) without testing anything new:
            // the full tier adds 25% more spectra only.
            .full: ["levels": 2000, "spectra": 2500],
        ],
        validate: { p in
            guard let m = p["levels"]?.int, m >= 10, let c = p["spectra"]?.int, c >= 30 else {
                throw ClaimError.invalidParameter("need integer levels ≥ 10 and spectra ≥ 30")
            }
            try MemoryBudget.require(Double(m) * 16 * Double(ProcessInfo.processInfo.activeProcessorCount), for: "\(m) levels per spectrum")
        },
        plan: { ctx in
            let m = try ctx.int("levels"), count = try ctx.int("spectra")
            guard m >= 10, count >= 30 else { throw ClaimError.invalidParameter("need levels ≥ 10 and spectra ≥ 30") }
            // Realization k = spectrum k, stream (seed, claim id, k).
            return [RealizationSet(label: "", count: count, settings: ["levels": .int(m)])]
        },
        realization: { _, set, k, rng in
            try PoissonSpectrumSample.measure(levels: set.int("levels"), keepRatios: k < 20, &rng)
        },
        analyze: { ctx, results in
            let m = try ctx.int("levels"), count = try ctx.int("spectra")
            let results = results[""].map { ($0.meanRatio, $0.ratios) }
            let s = SampleSummary(results.map(\.0))
            let sample = results.flatMap(\.1)
            let ks = ksTest(sample, cdf: GapRatioReference.poissonCDF)
            // The two-digit value kas-glass Fig. 3 prints for the localized reference.
            let shifted = 0.39
            return Evidence(
                check: Check(predicted: GapRatioReference.poissonMean, measured: s.mean, uncertainty: s.standardError),
                control: Control("0.39, the two-digit Poisson value printed in kas-glass Fig. 3 (+0.96%)",
                                 Check(predicted: shifted, measured: s.mean, uncertainty: s.standardError)),
                tolerance: Tolerance(3, "|z| ≤ 3 with σ the measured standard error of per-spectrum means (exact reference value): false-alarm probability 0.27%."),
                method: "Draw \(m) i.i.d. uniform levels per spectrum from per-spectrum Philox streams, sort, compute all adjacent-gap ratios r̃_n, average per spectrum; mean and standard error over spectra.",
                findings: [
                    "⟨r̃⟩ = \(formatNumber(s.mean, digits: 5)) ± \(formatNumber(s.standardError, digits: 2)) from \(count) spectra of \(m) levels; exact 2 ln 2 − 1 = \(formatNumber(GapRatioReference.poissonMean, digits: 5)).",
                    "Shape: KS test of the first \(sample.count) ratios against F(r̃) = 2r̃/(1 + r̃): D = \(formatNumber(ks.statistic, digits: 3)), p = \(formatNumber(ks.pValue, digits: 3)) (ratios of one spectrum are weakly correlated, so p is indicative).",
                ],
                series: [meansHistogram(results.map(\.0), name: "histogram of per-spectrum mean r (density)")],
                figures: [histogramFigure(sample, name: "r-histogram", title: "Poisson gap-ratio distribution",
                                          caption: "Histogram of r̃ from 20 Poisson spectra with P(r̃) = 2/(1 + r̃)² and the GOE surmise.")],
                regressionTolerance: 1e-9,
                extra: ["ksStatistic": .number(ks.statistic), "ksPValue": .number(ks.pValue)])
        })
}

/// One Poisson spectrum's gap-ratio measurement (a realization of gap-ratio-poisson).
struct PoissonSpectrumSample: Codable, Sendable, Equatable {
    /// ⟨r̃⟩ over the spectrum's adjacent-gap ratios.
    var meanRatio: Double
    /// The ratios themselves (kept for the first spectra: histogram and KS test).
    var ratios: [Double]

    /// `levels` i.i.d. uniform levels on [0, 1], sorted: the spacing ratios of uniform order
    /// statistics are exactly those of i.i.d. exponential spacings (Poisson levels).
    static func measure(levels m: Int, keepRatios: Bool, _ rng: inout RandomStream) -> PoissonSpectrumSample {
        var e = (0..<m).map { _ in rng.uniform() }
        e.sort()
        let r = gapRatios(sortedLevels: e)
        return PoissonSpectrumSample(meanRatio: r.reduce(0, +) / Double(r.count), ratios: keepRatios ? r : [])
    }
}
