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

    @Test("field ensemble: same numbers for any jobs; chunk counts add up")
    func ensembleDeterminism() throws {
        let a = try KASFieldEnsemble.sample(sites: 40, alpha: 0.7, states: 37, seed: 5, jobs: 1)
        let b = try KASFieldEnsemble.sample(sites: 40, alpha: 0.7, states: 37, seed: 5, jobs: 2)
        #expect(a.sfsCounts == b.sfsCounts && a.sfsMinimum == b.sfsMinimum && a.infiniteTCounts == b.infiniteTCounts)
        #expect(a.chunkStates.reduce(0, +) == 37)
        let d = a.density(sfs: false)
        let integral = zip(d.p, KASFieldEnsemble.widths).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(integral - 1) < 0.02)   // fields beyond 10^1.5 are rare
    }
}
