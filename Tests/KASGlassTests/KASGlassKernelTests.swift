import Foundation
import Kernels
import Linalg
import Special
import Testing
@testable import KASGlass

extension Tag {
    @Tag static var kernel: Self
}

private func chain(_ l: Int, _ alpha: Double = 0.7, seed: UInt64 = 1, realization: UInt64 = 0) -> (KASChain, RandomStream) {
    var rng = RandomStream(seed: seed, label: "kas-test", realization: realization)
    var c = KASChain(sites: l, alpha: alpha)
    c.draw(&rng)
    return (c, rng)
}

private func maxDiff(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { abs($0 - $1) }.max() ?? 0 }

@Suite("kas-glass kernels", .tags(.kernel))
struct KASGlassKernelTests {
    @Test("ziggurat normals: mean 0, variance 1, KS against Φ")
    func zigguratNormal() {
        var rng = RandomStream(seed: 7, label: "zig")
        let x = (0..<200_000).map { _ in rng.normalZiggurat() }
        let s = SampleSummary(x)
        #expect(abs(s.mean) < 5 * s.standardError)
        #expect(abs(s.standardDeviation - 1) < 0.01)
        let tail = Double(x.filter { abs($0) > 3.442619855899 }.count) / Double(x.count)
        #expect(abs(tail - 2 * (1 - SpecialFunctions.normalCDF(3.442619855899))) < 3e-4)
        #expect(ksTest(x, cdf: SpecialFunctions.normalCDF).pValue > 1e-3)
    }

    @Test("couplings: symmetric, zero diagonal, minimum-image distances, fused fields = K·Z")
    func couplingsAndFields() {
        for l in [9, 10] {
            let (c, _) = chain(l)
            for i in 0..<l {
                #expect(c.couplings[i * l + i] == 0)
                for j in 0..<l { #expect(c.couplings[i * l + j] == c.couplings[j * l + i]) }
            }
            #expect(KASChain.distance(0, l - 1, sites: l) == 1)
            #expect(KASChain.distance(0, l / 2, sites: l) == l / 2)
            var d = c
            d.recomputeFields()
            #expect(maxDiff(c.fields, d.fields) < 1e-12)
        }
        // Variance of K at distance r is r^{−2α}.
        var s = [Double]()
        for k in 0..<400 { let (c, _) = chain(16, realization: UInt64(k)); s.append(c.couplings[0 * 16 + 3] * pow(3, 0.7)) }
        #expect(abs(SampleSummary(s).standardDeviation - 1) < 0.1)
    }

    @Test("incremental O(L) field updates equal recomputation after many flips")
    func incrementalFields() {
        var (c, rng) = chain(60)
        for _ in 0..<500 { c.flip(rng.integer(below: 60)) }
        var d = c
        d.recomputeFields()
        #expect(maxDiff(c.fields, d.fields) < 1e-10)
    }

    @Test("descent ends in an SFS state with lower energy and fields consistent with recomputation")
    func sfsStability() {
        for k in 0..<5 {
            var (c, rng) = chain(80, realization: UInt64(k))
            let e0 = c.classicalEnergy
            let flips = c.descendToSingleFlipStable(&rng)
            #expect(flips > 0)
            #expect(c.isSingleFlipStable)
            #expect(c.classicalEnergy < e0)
            var d = c
            d.recomputeFields()
            #expect(maxDiff(c.fields, d.fields) < 1e-10)
            // Every single flip raises the energy.
            for i in 0..<80 { #expect(-2 * c.spins[i] * c.fields[i] > 0) }
        }
    }

    @Test("two-pass descent = the fused reference loop, bit for bit (flips, draws, spins, fields), odd and even L")
    func descentMatchesFusedLoop() {
        /// The fused loop the two-pass hot path replaced (update, instability test and set
        /// maintenance per site in one pass).
        func fusedDescent(_ c: inout KASChain, _ rng: inout RandomStream) -> Int {
            let l = c.sites
            var set = SpinSubset(capacity: l)
            for i in 0..<l where c.spins[i] * c.fields[i] > 0 { set.insert(i) }
            var flips = 0
            while set.count > 0 {
                let k = set.element(rng.integer(below: set.count))
                let cc = -2 * c.spins[k]
                c.spins[k] = -c.spins[k]
                for j in 0..<l {
                    let f = c.fields[j] + cc * c.couplings[k * l + j]
                    c.fields[j] = f
                    let unstable = c.spins[j] * f > 0
                    if unstable != set.contains(j) { if unstable { set.insert(j) } else { set.remove(j) } }
                }
                flips += 1
            }
            return flips
        }
        for (l, k) in [(61, 0), (64, 1), (203, 2)] {
            var (a, ra) = chain(l, realization: UInt64(k))
            var (b, rb) = (a, ra)
            let fa = a.descendToSingleFlipStable(&ra)
            let fb = fusedDescent(&b, &rb)
            #expect(fa == fb)
            #expect(a.spins == b.spins)
            #expect(a.fields == b.fields)
            #expect(ra.integer(below: 1 << 30) == rb.integer(below: 1 << 30))
        }
    }

    @Test("O(L²) per SFS state: O(L) flips (flips/L stays ≈ 0.6), each an O(L) update")
    func quadraticCost() {
        var ratios = [Double]()
        for l in [50, 100, 200, 400] {
            var f = 0
            for k in 0..<8 { var (c, rng) = chain(l, realization: UInt64(k)); f += c.descendToSingleFlipStable(&rng) }
            ratios.append(Double(f) / Double(8 * l))
        }
        #expect(ratios.allSatisfy { $0 > 0.4 && $0 < 0.9 }, "flips per spin \(ratios)")
        #expect(ratios.max()! / ratios.min()! < 1.3)
    }

    @Test("lattice-sum width: Hurwitz-ζ form equals the direct sum; L → ∞ limit 2ζ(2α)")
    func latticeSum() throws {
        for l in [9, 10, 101, 1000] {
            for a in [0.55, 0.7, 0.9] {
                var direct = 0.0
                for j in 1..<l { direct += pow(Double(KASChain.distance(0, j, sites: l)), -2 * a) }
                #expect(abs(try KASLattice.fieldVariance(sites: l, alpha: a) - direct) < 1e-10 * direct)
            }
        }
        let a = 0.7, l = 100_000
        let asym = try KASLattice.infiniteFieldVariance(alpha: a) - 2 * pow(Double(l) / 2, 1 - 2 * a) / (2 * a - 1)
        #expect(abs(try KASLattice.fieldVariance(sites: l, alpha: a) - asym) < 1e-4)
        // Divergence 1/(α − ½): 2ζ(2α)(α − ½) → 1.
        #expect(abs(try KASLattice.infiniteFieldVariance(alpha: 0.5001) * 0.0001 - 1) < 1e-3)
    }

    @Test("P = ΠX commutes with H; sector dimensions sum to 2^L; sector spectra = full spectrum")
    func paritySectors() throws {
        let l = 6
        let (c, _) = chain(l)
        let h = KASParitySectors.fullHamiltonian(sites: l, couplings: c.couplings, hx: 0.37)
        let p = KASParitySectors.globalFlip(sites: l)
        let comm = try gemm(h, p) - gemm(p, h)
        #expect(comm.maxAbs < 1e-12)
        let s = KASParitySectors(sites: l, couplings: c.couplings)
        #expect(2 * s.dimension == 1 << l)
        let full = try symmetricEigen(h, vectors: false).values
        let sec = try ([1, -1].flatMap { try symmetricEigen(s.hamiltonian(parity: $0, hx: 0.37), vectors: false).values }).sorted()
        #expect(sec.count == full.count)
        #expect(maxDiff(sec, full) < 1e-10)
        #expect(abs(full.reduce(0, +)) < 1e-9)   // Tr H = 0
    }

    /// The sector matrices of the ED layer equal, entry for entry, those of the hand-rolled
    /// construction they replaced (bit 1 = Z = −1, representatives with bit L−1 = 0; kept
    /// here verbatim as the reference): the migration onto the layer changes no number.
    @Test("parity sectors on the ED layer equal the former hand-rolled construction bit for bit")
    func paritySectorsMatchFormerConstruction() throws {
        for l in [6, 9] {
            let (c, _) = chain(l)
            let k = c.couplings
            let n = 1 << (l - 1)
            var diagonal = [Double](repeating: 0, count: n)
            for s in 0..<n {
                var e = 0.0
                for i in 0..<l {
                    let zi = ((s >> i) & 1) == 0 ? 1.0 : -1.0
                    for j in (i + 1)..<max(i + 1, l) {
                        let zj = ((s >> j) & 1) == 0 ? 1.0 : -1.0
                        e += k[i * l + j] * zi * zj
                    }
                }
                diagonal[s] = e
            }
            let sectors = KASParitySectors(sites: l, couplings: k)
            for p in [1, -1] {
                for hx in [0.37, 0.05] {
                    var h = Matrix(rows: n, columns: n)
                    h.storage.withUnsafeMutableBufferPointer { a in
                        for s in 0..<n {
                            a[s * n + s] = diagonal[s]
                            for i in 0..<(l - 1) { a[s * n + (s ^ (1 << i))] -= hx }
                            a[s * n + (s ^ (n - 1))] -= hx * Double(p)
                        }
                    }
                    #expect(try sectors.hamiltonian(parity: p, hx: hx) == h)
                }
            }
        }
    }

    @Test("m_EA = 1 for classical eigenstates (h_x → 0) and ≥ 1/L; r-values binned inside sectors")
    func edwardsAnderson() throws {
        let l = 6
        let (c, _) = chain(l)
        let s = KASParitySectors(sites: l, couplings: c.couplings)
        let b = try KASSpectrum.bins(s, hx: 1e-9, bins: 10, edwardsAnderson: true)
        #expect(b.mCount.reduce(0, +) == 1 << l)
        #expect(b.rCount.reduce(0, +) == 2 * (s.dimension - 2))
        for (sum, n) in zip(b.mSum, b.mCount) where n > 0 { #expect(abs(sum / Double(n) - 1) < 1e-6) }
        let g = try KASSpectrum.bins(s, hx: 2.0, bins: 10, edwardsAnderson: true)
        for (sum, n) in zip(g.mSum, g.mCount) where n > 0 { #expect(sum / Double(n) >= 1 / Double(l) - 1e-12) }
    }

    @Test("two-flip count: fused O(L²) pass with prefilter equals brute-force recomputation")
    func twoFlipCount() {
        for sfs in [false, true] {
            var (c, rng) = chain(40, realization: sfs ? 3 : 4)
            if sfs { c.descendToSingleFlipStable(&rng) }
            for hx in [0.3, 0.8] {
                let fast = KASResonances.twoFlipResonances(c, hx: hx).genuine
                #expect(fast == KASResonances.twoFlipResonancesByRecomputation(c, hx: hx))
            }
        }
        let (c, _) = chain(40)
        #expect(KASResonances.twoFlipResonances(c, hx: 0.8).genuine > 0)
    }

    @Test("avalanche: N_ever non-decreasing, ≤ L, fields stay consistent; no resonances at h_x = 0")
    func avalanche() {
        var (c, rng) = chain(100)
        let r = KASResonances.avalanche(&c, hx: 0.5, recordAt: [1, 10, 100, 300], &rng)
        #expect(zip(r.ever, r.ever.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(r.ever.last! <= 100 && r.initial <= r.ever[0])
        var d = c
        d.recomputeFields()
        #expect(maxDiff(c.fields, d.fields) < 1e-10)
        var (c0, rng0) = chain(50)
        #expect(KASResonances.avalanche(&c0, hx: 0, recordAt: [5], &rng0).ever == [0])
    }

    @Test("remnant polarization: 1 for frozen spins (h_x → 0), in [−1, 1] otherwise; most resonant first")
    func remnant() throws {
        var (c, rng) = chain(60)
        c.descendToSingleFlipStable(&rng)
        let s = KASResonantSubsystem.mostResonant(c, count: 6)
        #expect(zip(s, s.dropFirst()).allSatisfy { abs(c.fields[$0]) <= abs(c.fields[$1]) })
        let p0 = try KASResonantSubsystem.remnantPolarization(c, subsystem: 6, observed: 6, hx: 1e-7)
        #expect(p0.allSatisfy { abs($0 - 1) < 1e-6 })
        let p = try KASResonantSubsystem.remnantPolarization(c, subsystem: 7, observed: 6, hx: 0.3)
        #expect(p.allSatisfy { $0 >= -1 - 1e-12 && $0 <= 1 + 1e-12 })
    }
}

@Suite("kas-glass measurements", .tags(.kernel))
struct KASGlassMeasurementTests {
    @Test("geometries: ring couplings use min(d, L − d); chord and open distances; site-averaged widths equal brute force")
    func geometries() throws {
        let l = 12
        #expect(KASGeometry.ring.distance(9, sites: l) == 3)
        #expect(abs(KASGeometry.chord.distance(6, sites: l) - 12 / Double.pi) < 1e-12)
        #expect(KASGeometry.open.distance(9, sites: l) == 9)
        // Same stream, same J: K_ij r_ij^α is the same number in every geometry.
        var chains = [KASChain]()
        for g in KASGeometry.allCases {
            var rng = RandomStream(seed: 3, label: "geo")
            var c = KASChain(sites: l, alpha: 0.7, geometry: g)
            c.draw(&rng)
            chains.append(c)
        }
        for i in 0..<l {
            for j in (i + 1)..<l {
                let d = j - i
                let js = KASGeometry.allCases.enumerated().map { k, g in chains[k].couplings[i * l + j] * pow(g.distance(d, sites: l), 0.7) }
                #expect(abs(js[0] - js[1]) < 1e-12 && abs(js[0] - js[2]) < 1e-12)
            }
        }
        for g in KASGeometry.allCases {
            var s = 0.0
            for i in 0..<l { for j in 0..<l where j != i { s += pow(g.distance(abs(i - j), sites: l), -1.4) } }
            #expect(abs(try KASLattice.fieldVariance(sites: l, alpha: 0.7, geometry: g) - s / Double(l)) < 1e-12)
        }
    }

    @Test("descent rules: every rule ends SFS; greedy flips the most unstable spin first; sequential sweeps in site order")
    func descentRules() {
        for rule in KASDescentRule.allCases {
            for k in 0..<4 {
                var rng = RandomStream(seed: 11, label: "rules", realization: UInt64(k))
                var c = KASChain(sites: 60, alpha: 0.6)
                c.draw(&rng)
                let e0 = c.classicalEnergy
                let flips = c.descendToSingleFlipStable(rule: rule, &rng)
                #expect(flips > 0 && c.isSingleFlipStable && c.classicalEnergy < e0, "\(rule)")
                var d = c
                d.recomputeFields()
                #expect(maxDiff(c.fields, d.fields) < 1e-10)
            }
        }
        // A hand-made 3-spin chain: K = [[0, 1, 0.1], [1, 0, 1], [0.1, 1, 0]], Z = (1, 1, 1), φ = (1.1, 2, 1.1), all unstable.
        let k3: [Double] = [0, 1, 0.1, 1, 0, 1, 0.1, 1, 0]
        // Greedy flips spin 1 (Zφ = 2, the largest): φ → (−0.9, 2, −0.9), every spin stable after one flip.
        var g = KASChain(sites: 3, alpha: 0.7, couplings: k3, spins: [1, 1, 1])
        #expect(g.descendGreedy() == 1)
        #expect(g.spins == [1, -1, 1] && g.isSingleFlipStable)
        // Sequential flips spin 0 (φ → (1.1, 0, 0.9)), skips spin 1 (Zφ = 0), flips spin 2.
        var s = KASChain(sites: 3, alpha: 0.7, couplings: k3, spins: [1, 1, 1])
        #expect(s.descendSequential() == 2)
        #expect(s.spins == [-1, 1, -1] && s.isSingleFlipStable)
    }

    @Test("field sample: batches add up; histogram and the 8 smallest |φ| equal a brute-force recomputation")
    func fieldSample() {
        let l = 40, a = 0.7
        let whole = KASFieldSample.measure(sites: l, alpha: a, firstState: 0, states: 6, seed: 9, streamLabel: "fs")
        var parts = KASFieldSample.measure(sites: l, alpha: a, firstState: 0, states: 2, seed: 9, streamLabel: "fs")
        parts.add(KASFieldSample.measure(sites: l, alpha: a, firstState: 2, states: 4, seed: 9, streamLabel: "fs"))
        // Integers add exactly; the log sums up to rounding (the batch size is a fixed function of L, so a run is still bitwise reproducible).
        #expect(parts.states == whole.states && parts.sfsCounts == whole.sfsCounts && parts.infiniteCounts == whole.infiniteCounts && parts.flips == whole.flips)
        #expect(maxDiff(parts.sfsLogOrder, whole.sfsLogOrder) < 1e-12 && maxDiff(parts.infiniteLogOrder, whole.infiniteLogOrder) < 1e-12)
        #expect(whole.sfsCounts.reduce(0, +) == 6 * l && whole.infiniteCounts.reduce(0, +) == 6 * l)
        var logs = [Double](repeating: 0, count: 8), infLogs = logs
        var counts = [Int](repeating: 0, count: KASFieldBins.count)
        for s in 0..<6 {
            var rng = RandomStream(seed: 9, label: "fs", realization: UInt64(s))
            var c = KASChain(sites: l, alpha: a)
            c.draw(&rng)
            let inf = c.fields.map { abs($0) }.sorted()
            c.descendToSingleFlipStable(&rng)
            let sfs = c.fields.map { abs($0) }.sorted()
            for k in 0..<8 { logs[k] += log(sfs[k]); infLogs[k] += log(inf[k]) }
            for v in sfs {
                let b = v < 1e-4 ? 0 : 1 + Int(floor((log10(v) + 4) * 10))
                counts[b] += 1
            }
        }
        #expect(maxDiff(logs, whole.sfsLogOrder) < 1e-9 && maxDiff(infLogs, whole.infiniteLogOrder) < 1e-9)
        #expect(counts == whole.sfsCounts)
        // SFS states have fewer small fields than T = ∞ states.
        #expect(whole.sfsLogOrder[0] > whole.infiniteLogOrder[0])
    }

    @Test("exponent estimators: power-law fit, extrapolation forms and extreme values recover synthetic values")
    func estimators() {
        // Density exactly 0.3 φ^0.55: the fit returns 0.55.
        let p = KASFieldBins.centres.map { 0.3 * pow($0, 0.55) }
        let fit = KASFieldExponent.powerLaw(p, counts: p.map { _ in 1000 }, window: .init(0.03, 1))
        #expect(abs(fit.x - 0.55) < 1e-10 && abs(fit.amplitude - 0.3) < 1e-9)
        let sizes: [Double] = [250, 500, 1000, 2000, 4000]
        let alpha = 0.6
        for (form, f) in [(KASFieldExponent.Form.inverseL, { (l: Double) in 0.7 - 3 / l }),
                          (.inverseL2, { (l: Double) in 0.7 - 3 / l + 50 / (l * l) }),
                          (.model, { (l: Double) in 0.7 - 0.9 * pow(l, 1 - 2 * alpha) }),
                          (.freeExponent, { (l: Double) in 0.7 - 0.9 * pow(l, -0.37) })] {
            let r = KASFieldExponent.extrapolate(sizes: sizes, values: sizes.map(f), sigma: nil, form: form, alpha: alpha)
            #expect(abs(r.value - 0.7) < 1e-6, "\(form): \(r.value)")
            if form == .freeExponent { #expect(abs(r.omega! - 0.37) < 1e-4) }
        }
        // Jackknife of a statistic that ignores the dropped chunk: zero error.
        let jk = KASFieldExponent.jackknife { _ in 2.5 }
        #expect(jk.value == 2.5 && jk.error == 0)
    }

    @Test("width sample: (1/L) Σ φ² of the drawn state")
    func widthSample() {
        var r1 = RandomStream(seed: 4, label: "w"), r2 = r1
        let s = KASWidthSample.measure(sites: 50, alpha: 0.8, keepFields: true, &r1)
        var c = KASChain(sites: 50, alpha: 0.8)
        c.draw(&r2)
        #expect(abs(s.meanSquare - c.fields.reduce(0) { $0 + $1 * $1 } / 50) < 1e-12 && s.fields == c.fields)
    }

    @Test("two-flip sample and forms: counts per h_x equal the kernel's; an exact L^{2−α}(ln L)^β sequence fits with χ² ≈ 0")
    func twoFlip() {
        var r1 = RandomStream(seed: 5, label: "t"), r2 = r1
        let s = KASTwoFlipSample.measure(sites: 60, alpha: 0.7, sfs: false, hxs: [0.3, 0.6], &r1)
        var c = KASChain(sites: 60, alpha: 0.7)
        c.draw(&r2)
        #expect(s.genuine == [KASResonances.twoFlipResonances(c, hx: 0.3).genuine, KASResonances.twoFlipResonances(c, hx: 0.6).genuine])
        let sizes: [Double] = [250, 500, 1000, 2000]
        let mean = sizes.map { 0.01 * pow($0, 1.3) * pow(log($0), 0.8) }
        let forms = KASGlass.twoFlipForms(sizes: sizes, mean: mean, se: mean.map { 0.01 * $0 }, alpha: 0.7)
        #expect(forms[2].chi2 < 1e-12)
        #expect(forms[1].chi2 > 1)
    }

    @Test("avalanche sample: the kernel's process on the drawn (and descended) state")
    func avalancheSample() {
        var r1 = RandomStream(seed: 6, label: "a"), r2 = r1
        let s = KASAvalancheSample.measure(sites: 80, alpha: 0.7, sfs: true, hx: 0.3, recordAt: [1, 5, 20], &r1)
        var c = KASChain(sites: 80, alpha: 0.7)
        c.draw(&r2)
        c.descendToSingleFlipStable(&r2)
        let k = KASResonances.avalanche(&c, hx: 0.3, recordAt: [1, 5, 20], &r2)
        #expect(s.initial == k.initial && s.ever == k.ever)
    }
}
