import Foundation
import Testing
import Kernels
import Linalg
@testable import MBLSync

extension Tag {
    @Tag static var kernel: Self
}

/// Dense 2^L Hamiltonian of Eq. (2) from Kronecker products of Pauli matrices (site i = bit i,
/// bit 1 = σ^z = +1), independent of the sector code.
func fullSpaceXXZ(sites l: Int, delta: Double, fields h: [Double]) -> Matrix {
    let n = 1 << l
    // real representation: σ^xσ^x + σ^yσ^y = 2(σ⁺σ⁻ + σ⁻σ⁺)
    func kron(_ a: Matrix, _ b: Matrix) -> Matrix {
        Matrix(rows: a.rows * b.rows, columns: a.columns * b.columns) { i, j in
            a[i / b.rows, j / b.columns] * b[i % b.rows, j % b.columns]
        }
    }
    let id = Matrix.identity(2)
    let sz = Matrix([[-1, 0], [0, 1]])      // index = bit value
    let sp = Matrix([[0, 0], [1, 0]])       // σ⁺|0⟩ = |1⟩ (bit 0 → 1)
    let sm = sp.transposed
    func op(_ ops: [Int: Matrix]) -> Matrix {
        var out = Matrix.identity(1)
        for i in stride(from: l - 1, through: 0, by: -1) { out = kron(out, ops[i] ?? id) } // bit l−1 most significant
        return out
    }
    var hm = Matrix(rows: n, columns: n)
    for i in 0..<(l - 1) {
        hm = hm + 0.5 * (op([i: sp, i + 1: sm]) + op([i: sm, i + 1: sp])) + (0.25 * delta) * op([i: sz, i + 1: sz])
    }
    for i in 0..<l { hm = hm + (0.5 * h[i]) * op([i: sz]) }
    return hm
}

@Suite("mbl-sync kernels", .tags(.kernel))
struct MBLSyncKernelTests {
    @Test func sectorHamiltonianMatchesFullSpace() throws {
        var rng = RandomStream(seed: 7, label: "test-2L")
        let l = 6
        let h = MirrorXXZChain.mirrorFields(left: (0..<3).map { _ in rng.uniform(-4, 4) })
        let full = fullSpaceXXZ(sites: l, delta: 0.7, fields: h)
        for n in 0...l {
            let chain = MirrorXXZChain(sites: l, particles: n)
            let b = chain.basis
            let hs = try chain.xxzHamiltonian(delta: 0.7, fields: h)
            for a in 0..<b.dimension { for c in 0..<b.dimension {
                #expect(abs(hs[a, c] - full[Int(b.states[a]), Int(b.states[c])]) < 1e-14)
            } }
            // no matrix element leaves the sector
            for a in 0..<b.dimension { for s in 0..<(1 << l) where s.nonzeroBitCount != n {
                #expect(full[s, Int(b.states[a])] == 0)
            } }
        }
    }

    @Test func basisLookupAndMirror() {
        let chain = MirrorXXZChain(sites: 10, particles: 5)
        let b = chain.basis
        #expect(b.dimension == 252)
        #expect(chain.plus.dimension + chain.minus.dimension == 252)
        for k in 0..<b.dimension {
            #expect(b.index(of: b.states[k]) == k)
            let m = b.index(of: b.mirrored(b.states[k]))!
            #expect(b.index(of: b.mirrored(b.states[m])) == k)
            // the mirror partner sits in the same parity rows with q− of opposite sign
            #expect(chain.plusRow[m] == chain.plusRow[k] && chain.minusRow[m] == chain.minusRow[k])
            #expect(m == k ? chain.minusRow[k] == -1 : chain.qMinus[m] == -chain.qMinus[k])
        }
        let s = SpinHalfBasis.state(up: [0, 1, 2, 3, 4])
        #expect(s == 0b11111)
        let k = b.index(of: s)!
        #expect(b.sigmaZ(k, site: 0) * b.sigmaZ(k, site: 9) == -1)
    }

    @Test func parityBlocksReproducePlainSpectrum() throws {
        var rng = RandomStream(seed: 3, label: "test-parity")
        for (l, n) in [(6, 3), (6, 2), (8, 4)] {
            let chain = MirrorXXZChain(sites: l, particles: n)
            let h = MirrorXXZChain.mirrorFields(left: (0..<(l / 2)).map { _ in rng.uniform(-4, 4) })
            let spec = try chain.diagonalize(fields: h, delta: 0.3)
            let plain = try symmetricEigen(chain.xxzHamiltonian(delta: 0.3, fields: h), vectors: false).values
            let e = spec.energies.sorted()
            for k in e.indices { #expect(abs(e[k] - plain[k]) < 1e-12) }
        }
    }

    /// The parity blocks of the ED layer against the hand-rolled construction they replaced
    /// (kept here as the reference): hop contributions Σ_{f ∈ orbit} ½ q_t q_f with
    /// q = 1/√2 = 0.7071067811865475, plus the diagonal. The layer's factor √(n_r/n_r′) is 1
    /// (exactly) between pair orbits where the former sum gave 2·(½·q²) = 0.4999999999999999,
    /// and √(1/2) = 0.7071067811865476 against 0.7071067811865475 between a self-mirror state
    /// and a pair: the blocks differ by at most one ulp of ½ (measured max 1.1e-16), which is the
    /// whole source of the 1e-16…1e-14 drift of mbl-sync's ED claims after the migration.
    @Test func parityBlocksMatchFormerConstructionToOneUlp() throws {
        var rng = RandomStream(seed: 4, label: "test-former")
        for (l, n) in [(6, 3), (8, 4), (8, 2)] {
            let chain = MirrorXXZChain(sites: l, particles: n)
            let b = chain.basis
            let h = MirrorXXZChain.mirrorFields(left: (0..<(l / 2)).map { _ in rng.uniform(-4, 4) })
            let plain = try chain.xxzHamiltonian(delta: 0.3, fields: h)
            let np = chain.plus.dimension, nm = chain.minus.dimension
            var hp = Matrix(rows: np, columns: np), hm = Matrix(rows: nm, columns: nm)
            for f in 0..<b.dimension {
                for t in 0..<b.dimension where t != f && plain[t, f] != 0 {
                    hp[chain.plusRow[t], chain.plusRow[f]] += plain[t, f] * chain.qPlus[t] * chain.qPlus[f]
                    if chain.minusRow[t] >= 0 && chain.minusRow[f] >= 0 {
                        hm[chain.minusRow[t], chain.minusRow[f]] += plain[t, f] * chain.qMinus[t] * chain.qMinus[f]
                    }
                }
            }
            for (r, s) in chain.plusReps.enumerated() { hp[r, r] += plain[s, s] }
            for (r, s) in chain.minusReps.enumerated() { hm[r, r] += plain[s, s] }
            let terms = MirrorXXZChain.terms(fields: h, delta: 0.3)
            let lp = try SpinHamiltonian(basis: chain.plus, terms: terms).dense()
            let lm = try SpinHamiltonian(basis: chain.minus, terms: terms).dense()
            #expect((lp - hp).maxAbs <= 1.2e-16 && (lm - hm).maxAbs <= 1.2e-16)
            #expect((lp - hp).maxAbs > 0)    // the one-ulp difference is real (not a stale reference)
        }
    }

    /// At Δ = 0 the many-body median frequencies (parity ED) equal the free-fermion ones.
    @Test func edMatchesFreeFermionsAtZeroInteraction() throws {
        let chain = MirrorXXZChain(sites: 8, particles: 4)
        let state = chain.basis.index(of: SpinHalfBasis.state(up: [0, 1, 2, 3]))!
        var rng = RandomStream(seed: 11, label: "test-ff")
        for _ in 0..<5 {
            let hl = (0..<4).map { _ in rng.uniform(-4, 4) }
            let h = MirrorXXZChain.mirrorFields(left: hl)
            let spec = try chain.diagonalize(fields: h, delta: 0)
            let ed = try chain.medianFrequencies(spec, state: state, sites: [0, 1, 2, 3])
            // many-body energies = sums of 4 orbital energies − Σh/2
            let orb = try MirrorOrbitals(leftFields: hl)
            let ff = (0..<4).map { i -> (Double, Double) in
                let (om, w) = freeFermionSpinWeights(energies: orb.energies, orbitals: orb.orbitals, occupied: [0, 1, 2, 3], site: i)
                return (medianFrequency(omega: om, weight: w), w[0])
            }
            for i in 0..<4 {
                #expect(abs(ed[i].zeroWeight - ff[i].1) < 1e-10)
                #expect(abs(ed[i].median - ff[i].0) <= 1e-9 * max(ff[i].0, 1e-3), "spin \(i): ED \(ed[i].median) FF \(ff[i].0)")
            }
            let e0 = try tridiagonalEigen(diagonal: h, offDiagonal: [Double](repeating: 0.5, count: 7), vectors: false).values
            let gs = e0.prefix(4).reduce(0, +) - h.reduce(0, +) / 2
            #expect(abs(spec.energies.min()! - gs) < 1e-12)
        }
    }

    /// C̄_ij from the diagonal ensemble of the parity blocks vs an explicit finite-T time average
    /// (1/T)∫₀^T⟨σ^z_iσ^z_j⟩dt built from a plain (non-parity) ED of the whole sector.
    @Test func diagonalEnsembleMatchesLongTimeAverage() throws {
        let l = 8, n = 4
        let chain = MirrorXXZChain(sites: l, particles: n)
        let state = chain.basis.index(of: SpinHalfBasis.state(up: [0, 1, 2, 3]))!
        var rng = RandomStream(seed: 5, label: "test-cbar")
        let h = MirrorXXZChain.mirrorFields(left: (0..<4).map { _ in rng.uniform(-4, 4) })
        let delta = 0.2
        let spec = try chain.diagonalize(fields: h, delta: delta)
        let pairs = [(0, 1), (0, 3), (2, 3)]
        let cbar = chain.correlations(spec, state: state, pairs: pairs, tolerance: 1e-12)
        let plain = try symmetricEigen(chain.xxzHamiltonian(delta: delta, fields: h), vectors: true)
        let v = plain.vectors!, e = plain.values, d = e.count
        let c = (0..<d).map { v[state, $0] }
        // smallest weighted frequency sets T
        var minOmega = Double.infinity
        for m in 0..<d { for k in 0..<m where abs(c[m] * c[k]) > 1e-8 { minOmega = min(minOmega, abs(e[m] - e[k])) } }
        #expect(minOmega > 1e-9, "mirror splittings of this draw are resolved by plain ED")
        let t = 1e6 / minOmega
        for (q, (i, j)) in pairs.enumerated() {
            var avg = 0.0, bound = 0.0
            for m in 0..<d { for k in 0..<d {
                var o = 0.0
                for s in 0..<d { o += v[s, m] * chain.basis.sigmaZ(s, site: i) * chain.basis.sigmaZ(s, site: j) * v[s, k] }
                let a = c[m] * c[k] * o
                let w = e[k] - e[m]
                if m == k { avg += a } else {
                    avg += a * sin(w * t) / (w * t)   // Re[(e^{iwT} − 1)/(iwT)]
                    bound += abs(a) * 2 / (abs(w) * t)
                }
            } }
            #expect(bound < 1e-5)
            #expect(abs(avg - cbar[q]) < 1e-5 + bound, "C̄(\(i),\(j)): DE \(cbar[q]) vs time average \(avg)")
        }
    }

    /// Lloyd model (Cauchy disorder of half-width Γ, t = 1): exact
    /// cosh γ = [√((2+E)²+Γ²) + √((2−E)²+Γ²)]/4.
    @Test func transferMatrixMatchesLloydModel() {
        var rng = RandomStream(seed: 1, label: "test-lloyd")
        let gamma = 1.0
        let est = lyapunovExponents(energies: [0, 1.3], hopping: 1, steps: 400_000, rng: &rng) { r in
            gamma * tan(Double.pi * (r.uniform() - 0.5))
        }
        for (q, e) in [0.0, 1.3].enumerated() {
            let exact = acosh((((2 + e) * (2 + e) + gamma * gamma).squareRoot() + ((2 - e) * (2 - e) + gamma * gamma).squareRoot()) / 4)
            #expect(abs(est.gamma[q] - exact) < 4 * est.standardError[q] + 1e-3, "E=\(e): \(est.gamma[q]) ± \(est.standardError[q]) vs \(exact)")
        }
        // box disorder W = 4, t = ½, band centre: ξ0 = 1/γ(0) ≈ 0.894 (prototype, 4e5 steps)
        var r2 = RandomStream(seed: 2, label: "test-box")
        let box = lyapunovExponents(energies: [0], hopping: 0.5, boxDisorder: 4, steps: 400_000, rng: &r2)
        #expect(abs(box.gamma[0] - 1.1185) < 0.02)
    }

    /// The resolution guard: ω_res = 1000 ε max|E|. A mirror splitting far below it (L = 20,
    /// W = 8, the outermost site) is flagged unresolved, while the parity orbitals still carry
    /// exactly equal weight on j and j̄; plain ED of the same chain cannot even tell the pair
    /// apart. Above the guard, the parity splitting agrees with plain ED to a few percent.
    @Test func resolutionGuard() throws {
        let res = frequencyResolution(spectralRadius: 9)
        #expect(res > 1e-12 && res < 3e-12)
        #expect(frequencyResolution(spectralRadius: 0.1) == frequencyResolution(spectralRadius: 1))
        var rng = RandomStream(seed: 9, label: "test-guard")
        let hl = (0..<10).map { _ in rng.uniform(-8, 8) }
        let orb = try MirrorOrbitals(leftFields: hl)
        let guardValue = frequencyResolution(spectralRadius: 9)
        let outer = orb.pairSplitting(site: 0)
        #expect(outer < guardValue, "outermost splitting \(outer) should be unresolved")
        for k in 0..<20 { #expect(abs(orb.orbitals[0, k] * orb.orbitals[0, k] - orb.orbitals[19, k] * orb.orbitals[19, k]) < 1e-15) }
        // near the centre the splitting is resolved and plain ED (dstevr on all 20 sites) agrees
        let inner = orb.pairSplitting(site: 9)
        #expect(inner > 1e3 * guardValue)
        let h = MirrorXXZChain.mirrorFields(left: hl)
        let plain = try tightBindingOrbitals(onsite: h, hopping: 0.5)
        let pe = orb.energies.sorted()
        for k in 0..<20 { #expect(abs(plain.values[k] - pe[k]) < 1e-13) }
    }

    @Test func medianConvention() {
        // weights: 0.3 at ω=0, −0.1 at 1, 0.5 at 2, 0.3 at 3 → cumulative 0.3, 0.2, 0.7 → median 2
        #expect(medianFrequency(omega: [0, 1, 2, 3], weight: [0.3, -0.1, 0.5, 0.3]) == 2)
        #expect(medianFrequency(omega: [0, 1], weight: [0.6, 0.4]) == 0)
    }
}
