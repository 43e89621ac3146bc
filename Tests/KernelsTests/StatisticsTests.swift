import Foundation
import Kernels
import Testing

@Suite("Statistics: fits, KS, histograms, gap ratio", .tags(.kernel))
struct StatisticsTests {
    @Test("Weighted line fit: exact data, known errors, and a power law")
    func fits() throws {
        let x = [1.0, 2, 3, 4, 5]
        let fit = try linearFit(x: x, y: x.map { 2 + 3 * $0 }, sigma: [Double](repeating: 0.1, count: 5))
        #expect(abs(fit.slope - 3) < 1e-12 && abs(fit.intercept - 2) < 1e-12)
        // σ_b = σ/√(Σ(x − x̄)²) = 0.1/√10 for unit weights.
        #expect(abs(fit.slopeError - 0.1 / 10.0.squareRoot()) < 1e-12)
        #expect(fit.chiSquared < 1e-20)
        let p = try powerLawFit(x: [1, 2, 4, 8], y: [3, 3 * pow(2, -1.5), 3 * pow(4, -1.5), 3 * pow(8, -1.5)])
        #expect(abs(p.slope + 1.5) < 1e-12)
        // Residual-scaled errors: scatter of ±1 about a line.
        let ols = try linearFit(x: [0, 1, 2, 3], y: [1, -1, 1, -1])
        #expect(ols.slopeError > 0 && ols.pValue == nil)
        #expect(throws: FitError.self) { try linearFit(x: [1, 1, 1], y: [1, 2, 3]) }
    }

    @Test("Fitted-slope errors are calibrated: the pull over 400 noisy fits has unit spread")
    func fitCalibration() throws {
        var pulls = [Double]()
        for k in 0..<400 {
            var rng = RandomStream(seed: 2, label: "fit-calibration", realization: UInt64(k))
            let x = (0..<12).map(Double.init)
            let y = x.map { 1 + 0.5 * $0 + 0.3 * rng.normal() }
            let f = try linearFit(x: x, y: y, sigma: [Double](repeating: 0.3, count: 12))
            pulls.append((f.slope - 0.5) / f.slopeError)
        }
        let s = SampleSummary(pulls)
        #expect(abs(s.mean) < 0.2 && abs(s.standardDeviation - 1) < 0.1)
    }

    @Test("KS statistic of a known small sample and p-values")
    func ks() {
        let r = ksTest([0.1, 0.5, 0.9], cdf: { $0 })
        #expect(abs(r.statistic - (0.9 - 2.0 / 3)) < 1e-15)
        #expect(kolmogorovQ(0) == 1 && kolmogorovQ(3) < 1e-7)
        // Two-sample: identical samples have D = 0.
        #expect(ksTest([1, 2, 3], [1, 2, 3]).statistic == 0)
    }

    @Test("Histograms: counts, density normalization, log bins")
    func histograms() {
        let h = Histogram([0.05, 0.15, 0.15, 0.95, 1.5], bins: 10, lower: 0, upper: 1)
        #expect(h.counts == [1, 2, 0, 0, 0, 0, 0, 0, 0, 1])
        #expect(abs(zip(h.density, h.widths).reduce(0) { $0 + $1.0 * $1.1 } - 0.8) < 1e-12)
        let lb = Histogram([1e-3, 1e-2, 1e-1], logBins: 3, lower: 1e-3, upper: 1)
        #expect(lb.counts == [1, 1, 1])
        #expect(abs(lb.geometricCentres[0] - pow(10, -2.5)) < 1e-15)
    }

    @Test("Gap ratio: picket fence gives 1, a known triple gives its ratio")
    func gapRatio() {
        #expect(meanGapRatio(sortedLevels: (0..<50).map(Double.init)) == 1)
        #expect(gapRatios(sortedLevels: [0, 1, 4]) == [1.0 / 3])
        #expect(abs(GapRatioReference.poissonMean - 0.386294361) < 1e-9)
        #expect(abs(GapRatioReference.goeSurmiseMean - 0.535898384) < 1e-9)
    }

    @Test("Bootstrap interval is reproducible and covers the mean")
    func bootstrap() {
        var rng = RandomStream(seed: 4, label: "boot-data")
        let x = (0..<200).map { _ in rng.normal() }
        var r1 = RandomStream(seed: 4, label: "boot"), r2 = RandomStream(seed: 4, label: "boot")
        let a = bootstrapConfidenceInterval(x, rng: &r1), b = bootstrapConfidenceInterval(x, rng: &r2)
        #expect(a.lower == b.lower && a.upper == b.upper)
        let m = SampleSummary(x).mean
        #expect(a.lower < m && m < a.upper)
    }
}
