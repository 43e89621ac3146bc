import Foundation
import Kernels
import Linalg
import Special
import Testing
@testable import MFAvalanche

/// Binned χ² of a fresh sample against a reference CDF, with the covariance of the bin
/// fractions estimated across spectra (the states of one spectrum are correlated, spectra
/// are independent) plus the reference table's own jackknife variance.
struct BinnedChiSquare {
    let statistic: Double
    let degreesOfFreedom: Int
    var pValue: Double { (try? SpecialFunctions.gammaQ(Double(degreesOfFreedom) / 2, statistic / 2).value) ?? .nan }

    /// `perSpectrum[r][k]`: fraction of spectrum r's samples in bin k (bins given by `edges`,
    /// the last bin (edges.last, ∞) dropped as redundant); `reference(k)`: the model's bin
    /// probability; `referenceVariance(k)`: its variance (0 for an analytic model).
    static func compute(perSpectrum: [[Double]], reference: [Double], referenceVariance: [Double]) throws -> BinnedChiSquare {
        let m = perSpectrum.count, k = reference.count
        var mean = [Double](repeating: 0, count: k)
        for row in perSpectrum { for j in 0..<k { mean[j] += row[j] / Double(m) } }
        var cov = Matrix(rows: k, columns: k)
        for row in perSpectrum {
            for i in 0..<k { for j in 0..<k { cov[i, j] += (row[i] - mean[i]) * (row[j] - mean[j]) / Double(m - 1) / Double(m) } }
        }
        for i in 0..<k { cov[i, i] += referenceVariance[i] }
        let diff = (0..<k).map { mean[$0] - reference[$0] }
        let sol = try solve(cov, diff)
        return BinnedChiSquare(statistic: zip(diff, sol).map { $0 * $1 }.reduce(0, +), degreesOfFreedom: k)
    }
}

@Suite("mf-avalanche: the sampled p̃ table", .tags(.kernel))
struct ResonanceTableTests {
    static let table: ResonanceNormTable? = try? ResonanceNormTable.load()

    @Test("the committed table loads, round-trips, has an empty first bin and the stated provenance")
    func loads() throws {
        let t = try #require(Self.table, "reference-data/\(ResonanceNormTable.fileName) missing or malformed")
        #expect(t.batches == ResonanceNormTable.Committed.batches)
        #expect(t.edges == ResonanceNormTable.Committed.edges)
        #expect(t.metadata["seed"] == String(ResonanceNormTable.Committed.seed))
        #expect(t.metadata["command"] == ResonanceNormTable.regenerationCommand)
        #expect(t.counts.allSatisfy { $0[0] == 0 })
        #expect(try ResonanceNormTable.parse(t.csv()) == t)
        let d = try t.distribution()
        let rule = try ResonanceQuadratureRule(d, scale: 1)
        #expect(abs(rule.mass - 1) < 1e-12)
    }

    /// The tail: the sampled P(X > x_t) against 2/x_t (Eq. A4 with the (A3) scaling).
    @Test("sampled P(X > x_t) agrees with the 2/x tail at x_t = 100")
    func tail() throws {
        let t = try #require(Self.table)
        let s = t.survival().last!
        let z = (s.value - 2 / s.x) / s.error
        #expect(abs(z) < 4, "x_t S(x_t)/2 = \(s.value * s.x / 2) ± \(s.error * s.x / 2)")
        // Control: the (A15) normalization, P(X > x) = 1/x, is excluded by far.
        #expect(abs((s.value - 1 / s.x) / s.error) > 20)
    }

    /// A fresh, smaller sample (another seed, D = 512: also a finite-D check) against the
    /// table: binned χ² over 16 bins with the spectra's covariance. Controls: the same test
    /// rejects the Poisson-level p̃, the normalized (A3), and the table stretched by 3% in x.
    @Test("a fresh sample matches the table within its sampling error (binned χ²); controls rejected")
    func freshSample() throws {
        let t = try #require(Self.table)
        let sampler = try ResonanceNormSampler(dimension: 512, windowStates: 192, shift: 24, halfWidth: 48, couplingDraws: 2)
        let edges = [0.9, 1.2, 1.5, 1.8, 2.1, 2.5, 3, 3.6, 4.3, 5.2, 6.5, 8.5, 12, 18, 30, 60]
        let spectra = 400
        let rows: [[Double]] = try parallelMap(count: spectra, jobs: 2) { r in
            var rng = RandomStream(seed: 77, label: "mf-avalanche.fresh-p-tilde", realization: UInt64(r))
            let x = try sampler.sample(&rng)
            var c = [Double](repeating: 0, count: edges.count)
            for v in x {
                var k = 0
                while k < edges.count && v > edges[k] { k += 1 }
                if k < edges.count { c[k] += 1 }     // (edges.last, ∞) dropped
            }
            return c.map { $0 / Double(x.count) }
        }
        func binProbabilities(_ cdf: (Double) -> Double) -> [Double] {
            var prev = 0.0
            return edges.map { e in let c = cdf(e); defer { prev = c }; return c - prev }
        }
        let d = try t.distribution()
        let ref = binProbabilities(d.cumulative)
        let reps = try (0..<t.batches).map { try binProbabilities(t.distribution(excludingBatch: $0).cumulative) }
        let b = Double(t.batches)
        let refVar = (0..<edges.count).map { k -> Double in
            let m = reps.map { $0[k] }.reduce(0, +) / b
            return reps.map { ($0[k] - m) * ($0[k] - m) }.reduce(0, +) * (b - 1) / b
        }
        let chi = try BinnedChiSquare.compute(perSpectrum: rows, reference: ref, referenceVariance: refVar)
        #expect(chi.pValue > 1e-3, "χ² = \(chi.statistic) for \(chi.degreesOfFreedom) dof")
        let zero = [Double](repeating: 0, count: edges.count)
        let poisson = try BinnedChiSquare.compute(perSpectrum: rows, reference: binProbabilities(PoissonLevelDistribution().cumulative),
                                                  referenceVariance: zero)
        #expect(poisson.pValue < 1e-12)
        let a3 = try BinnedChiSquare.compute(perSpectrum: rows, reference: binProbabilities(PrintedA3Distribution(normalized: true).cumulative),
                                             referenceVariance: zero)
        #expect(a3.pValue < 1e-12)
        let stretched = try BinnedChiSquare.compute(perSpectrum: rows, reference: binProbabilities { d.cumulative($0 / 1.03) },
                                                    referenceVariance: refVar)
        #expect(stretched.pValue < 1e-6, "3% stretch: χ² = \(stretched.statistic)")
    }
}
