import Foundation
import Kernels
import Linalg
import Numerics
import Testing
@testable import OpenSync

/// The typed measurements of open-sync on cases small enough to check by hand or by brute force.
@Suite("open-sync measurements", .tags(.kernel))
struct OpenSyncMeasurementTests {
    @Test("ChiUniformChunk: histogram counts and raw values are those of the stream's triples")
    func chiChunk() {
        var rng = RandomStream(seed: 7, label: "chi")
        let c = ChiUniformChunk.measure(triples: 50, bins: 8, keep: 5, &rng)
        var again = RandomStream(seed: 7, label: "chi")
        var counts = [Int](repeating: 0, count: 8)
        var first: [Double] = []
        for t in 0..<50 {
            let a = again.uniform(0, 2 * .pi), b = again.uniform(0, 2 * .pi), d = again.uniform(0, 2 * .pi)
            let x = OpenSync.chi(a, b, d)
            counts[min(7, Int(x * 8))] += 1
            if t < 5 { first.append(x) }
        }
        #expect(c.chiCounts == counts && c.chi == first && c.chi2.count == 5 && c.chi2Counts.reduce(0, +) == 50)
    }

    @Test("binnedKS: exact at the edges for a sample of bin centres; EmpiricalCDF sup distance by hand")
    func binnedKolmogorovSmirnov() {
        // 4 bins with counts 1, 1, 1, 1: the empirical CDF at the edges is k/4 = the uniform CDF
        #expect(binnedKS(counts: [1, 1, 1, 1], law: { $0 }).statistic < 1e-15)
        #expect(abs(binnedKS(counts: [4, 0, 0, 0], law: { $0 }).statistic - 0.75) < 1e-15)
        let f = EmpiricalCDF([0.5, 0.5])                     // one atom of mass 1 at 1/2
        #expect(abs(f.supDistance(to: { $0 }) - 0.5) < 1e-15)
        #expect(f(0.49) == 0 && f(0.5) == 1 && f.leftLimit(0.5) == 0)
    }

    @Test("χ on the g-point grid is 1/g from uniform in KS distance (g = 6, 12)")
    func gridLaw() {
        for g in [6, 12] {
            let law = OpenSync.torusLaw(grid: g, midpoints: false) { OpenSync.chi($0, $1, 0) }
            #expect(abs(law.supDistance(to: { min(1, max(0, $0)) }) - 1 / Double(g)) < 1e-12)
        }
    }

    @Test("SyncMaxima: 4 and 8 maxima, factor 3, printed configurations realized, 120° list misses one")
    func syncMaxima() throws {
        let m = try SyncMaximaMeasurement.measure(grid: 12)
        #expect(m.zeroPiPoints.count == 4 && m.piThirdPoints.count == 8)
        #expect(abs(m.multiplicityRatio - 3) < 1e-12)
        #expect(m.configurationDistance < 1e-12)
        let s = m.score(zeroPi: SyncMaximaMeasurement.printedZeroPi, piThird: SyncMaximaMeasurement.printedPiThird)
        #expect(s.realized == 4 && s.unlisted == 0)
        let r = m.score(zeroPi: SyncMaximaMeasurement.printedZeroPi, piThird: [SyncMaximaMeasurement.printedPiThird[1]])
        #expect(r.realized == 3 && r.unlisted == 1)
    }

    @Test("Spin1Spectrum N = 2: 6 zero modes, P·1_M at 2iωM, the blocks reproduce the dense Liouvillian")
    func spin1Blocks() throws {
        var rng = RandomStream(seed: 8, label: "spin1")
        let s = try Spin1Spectrum.measure(sites: 2, times: [0, 1], &rng)
        #expect(s.kernelDimension == 6 && s.kernelInDiagonalBlocks == 6 && s.sectors == 6)
        for c in s.coherences { #expect(abs(c.im - 2 * Double(c.m)) < 1e-12 && c.residual < 1e-12) }
        // spectrum of the blocks = spectrum of the dense 81 × 81 Liouvillian
        let model = Spin1Chain(sites: 2)
        let dense = try model.liouvillian.spectrum().values
        var blockValues: [Complex<Double>] = []
        for (_, ra) in model.magnetizationSectors {
            for (_, rb) in model.magnetizationSectors {
                let g = Spin1Chain.blockGenerator(rows: ra, columns: rb, hamiltonian: model.hamiltonian, jumps: model.jumps)
                blockValues += try generalEigen(g, right: false).values
            }
        }
        #expect(blockValues.count == dense.count)
        let key = { (z: Complex<Double>) in (z.real * 1e6).rounded() * 1e7 + (z.imaginary * 1e6).rounded() }
        #expect(blockValues.map(key).sorted() == dense.map(key).sorted())
        // ⟨(S_j^x)²⟩(0) from the modal sum equals Tr[(S_j^x)² ρ₀] of the same random state
        var again = RandomStream(seed: 8, label: "spin1")
        var psi = (0..<9).map { _ in Complex(again.normal(), again.normal()) }
        let norm = psi.map(\.lengthSquared).reduce(0, +).squareRoot()
        psi = psi.map { $0 / Complex(norm, 0) }
        let rho0 = ComplexMatrix(rows: 9, columns: 9) { i, k in psi[i] * psi[k].conjugate }
        for j in 0..<2 {
            let o = model.spins.x(j) * model.spins.x(j)
            #expect(abs(s.traces[j][0] - (o * rho0).trace.real) < 1e-12)
        }
    }

    @Test("SectorLimit: the rate-matrix Leff equals Tr(Π_α 𝓛₍₁₎(1_β)) from the dense superoperator (N = 2)")
    func effectiveGenerator() throws {
        let model = Spin1Chain(sites: 2)
        var rng = RandomStream(seed: 9, label: "leff")
        let h = RandomLiouvillian.hamiltonian(dimension: 9, &rng)
        let g = RandomLiouvillian.ginibre(size: 80, &rng)
        let limit = SectorLimit(model)
        #expect(limit.dims == model.sectorProjectors.map { Int($0.trace.real.rounded()) })
        let leff = limit.effectiveGenerator(ginibre: g)
        let l1 = RandomLiouvillian.superoperator(hamiltonian: h, kossakowski: try RandomLiouvillian.kossakowskiMatrix(ginibre: g),
                                                 basis: RandomLiouvillian.basis(dimension: 9))
        let proj = model.sectorProjectors
        var worst = 0.0
        for (b, pb) in proj.enumerated() {
            let y = try l1.apply(maximallyMixedState(pb))
            for (a, pa) in proj.enumerated() { worst = max(worst, abs((pa * y).trace.real - leff[a, b])) }
        }
        #expect(worst < 1e-11)
        // the Gram-block route gives the same Leff from the same G
        let viaGram = limit.effectiveGenerator(gram: limit.gram(of: g))
        var gramWorst = 0.0
        for a in 0..<leff.rows { for b in 0..<leff.columns { gramWorst = max(gramWorst, abs(viaGram[a, b] - leff[a, b])) } }
        #expect(gramWorst < 1e-10)
        let (c, kernel, _) = try SectorLimit.stationary(leff)
        #expect(kernel == 1 && abs(c.reduce(0, +) - 1) < 1e-12 && c.allSatisfy { $0 > 0 })
        // the full steady state at small η approaches Σ c_α 1_α
        let rho = try model.liouvillian.adding(l1, scaledBy: 1e-7).steadyState()
        for (a, pa) in proj.enumerated() { #expect(abs((pa * rho).trace.real - c[a]) < 1e-5) }
    }

    @Test("SectorLimit: Gram-block Leff = dense-G Leff (N = 3); sampled Gram blocks have the law of those of G (N = 3 moments, N = 2 Leff entries)")
    func gramSampler() throws {
        let model = Spin1Chain(sites: 3)
        let limit = SectorLimit(model)
        var rng = RandomStream(seed: 10, label: "gram")
        let g = RandomLiouvillian.ginibre(size: 728, &rng)
        let a = limit.effectiveGenerator(ginibre: g), b = limit.effectiveGenerator(gram: limit.gram(of: g))
        var worst = 0.0
        for i in 0..<a.rows { for j in 0..<a.columns { worst = max(worst, abs(a[i, j] - b[i, j])) } }
        #expect(worst < 1e-9)
        #expect(limit.groups.map(\.count).reduce(0, +) == 728)
        // Gram blocks: E K_g = 2d·I; per-group diagonal/(2d) averages 1, off-diagonal 0 (over 400 samples)
        var diag = 0.0, diag2 = 0.0, off = 0.0, nd = 0.0, no = 0.0
        for _ in 0..<400 {
            for kg in limit.sampleGram(&rng) {
                for i in 0..<kg.rows {
                    let x = kg[i, i].real / 1456; diag += x; diag2 += x * x; nd += 1
                    for j in 0..<i { off += kg[i, j].real / 1456; no += 1 }
                }
            }
        }
        let mean = diag / nd, sd = (diag2 / nd - mean * mean).squareRoot()
        #expect(abs(mean - 1) < 4 * sd / nd.squareRoot())
        #expect(no > 0)
        let offSD: Double = 1 / 1456.0.squareRoot()
        let offMean: Double = off / no
        #expect(abs(offMean) < 4 * offSD / no.squareRoot())
        // Leff from sampled blocks and from literal G agree in law (N = 2, d = 80: means and spreads of two entries, 1000 draws each)
        let small = SectorLimit(Spin1Chain(sites: 2))
        let m = Spin1Chain(sites: 2).sectorLabels
        let p0 = m.firstIndex(of: "0+")!, p1 = m.firstIndex(of: "0-")!, p2 = m.firstIndex(of: "+1")!
        var s1 = [Double](), s2 = [Double](), t1 = [Double](), t2 = [Double]()
        for _ in 0..<1000 {
            let x = small.effectiveGenerator(gram: small.sampleGram(&rng)); s1.append(x[p0, p1]); s2.append(x[p2, p0])
            let y = small.effectiveGenerator(ginibre: RandomLiouvillian.ginibre(size: 80, &rng)); t1.append(y[p0, p1]); t2.append(y[p2, p0])
        }
        for (u, v) in [(s1, t1), (s2, t2)] {
            let a = SampleSummary(u), b = SampleSummary(v)
            #expect(abs(a.mean - b.mean) < 4 * (a.standardError * a.standardError + b.standardError * b.standardError).squareRoot())
            #expect(abs(a.standardDeviation / b.standardDeviation - 1) < 0.15)
            #expect(ksTest(u, v).pValue > 1e-3)
        }
    }

    @Test("HusimiEq8: weights 4/3, amplitude 1/(16π³), (A3) literal integral (4π/3)³, the six harmonics")
    func husimi() throws {
        let m = try HusimiEq8Measurement.measure(grid: 6)
        #expect(abs(m.weightRatio - 4.0 / 3) < 1e-12 && abs(m.weightRatioProjectors - 1) < 1e-12)
        #expect(abs(m.amplitudeRatio * 16 * pow(Double.pi, 3) - 1) < 1e-12)
        #expect(abs(m.literalIntegral - pow(4 * Double.pi / 3, 3)) < 1e-9 && abs(m.normalizedIntegral - 1) < 1e-12)
        #expect(abs(m.fit("1_0+").entry - 1.0 / 8) < 1e-15 && abs(m.fit("1_0-").entry + 1.0 / 6) < 1e-15)
        #expect(m.harmonicScore(HusimiEq8Measurement.harmonics(pairs: [(0, 1), (1, 2), (2, 0)])) == 6)
        #expect(m.entriesOutsideEq7 == 0 && m.entriesInsideEq7 == 6)
    }

    @Test("PairStructure: E(v₋) = −J − Δ, ω = J + 2Δ − 2B; with hopping 2J E(v₋) = −2J − Δ")
    func pair() throws {
        let a = try PairStructure.measure(SpinHalfPair())
        #expect(abs(a.energyMinus + 2) < 1e-12 && abs(a.energyPlus - 0.4) < 1e-12 && abs(a.omega - 2.4) < 1e-12)
        #expect(a.commutatorSwap < 1e-14 && abs(a.commutatorPrinted - 1.2) < 1e-12)
        let b = try PairStructure.measure(SpinHalfPair(j: 2))
        #expect(abs(b.energyMinus + 3) < 1e-12 && abs(b.omega - 3.4) < 1e-12)
    }

    @Test("Two spin-1 oscillators: 6 zero modes, e3 frequencies +ω, unique steady state with S_max > 0")
    func twoSpin1() throws {
        let model = TwoSpin1Oscillators()
        let d = try DecoupledSpin1Measurement.measure(model)
        #expect(d.kernelDimension == 6 && d.e4Residual < 1e-14)
        #expect(d.e3Frequencies.allSatisfy { abs($0 - 1) < 1e-14 })
        let c = try CouplingCell.measure(model, direction: [1, 1, 1, 1, 1], t: 1e-3, grid: 36)
        #expect(c.zeroModes == 1 && c.sMax > 1e-3 && c.sMaxWithoutCoherence < 0.02 * c.sMax)
    }
}
