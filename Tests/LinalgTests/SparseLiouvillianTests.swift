import Foundation
import Kernels
import Linalg
import Numerics
import Testing

/// The CSR Liouvillian, its sparse steady state and its slow modes against the dense
/// Lindblad kernels (`Liouvillian`: entrywise builder, zgesv steady state, zgeev spectrum).
/// Measured (PV_TEST_VERBOSE=1): steady states agree to ≤ 3.7e-16 (bound 1e-12), eigenvalues
/// near 0 to ≤ 7.3e-15 (bound 1e-12); ‖𝓛ρ‖ ≤ 2.8e-16, |Tr ρ − 1| ≤ 4.4e-16.
@Suite("Sparse Liouvillians: CSR builder, steady state and slow modes against the dense kernels", .tags(.kernel))
struct SparseLiouvillianTests {
    /// The open-sync spin-1 chain of Eq. (6) (ω = 1, J = Δ = 0.5, L_j = √2 (S_j^z)²), optionally
    /// with decay √κ S_j⁻ and pumping √(κ/2) S_j⁺ (they break the strong U(1) symmetry: one
    /// steady state), a DM-like hopping i·dm·(S_j⁺S_{j+1}⁻ − h.c.) and a transverse drive on
    /// site 0, drive·S_0^x (it breaks the weak U(1) symmetry: the steady state is then complex).
    static func chain(sites n: Int, kappa: Double, dm: Double, drive: Double = 0) -> (h: ComplexMatrix, jumps: [ComplexMatrix]) {
        let s = SpinOperators(twiceSpin: 2, sites: n)
        var h = ComplexMatrix(rows: s.dimension, columns: s.dimension)
        for k in 0..<n { h = h + s.z(k) }
        if drive != 0 { h = h + Complex(drive, 0) * s.onSite(s.localX, 0) }
        for k in 0..<(n - 1) {
            let hop = s.plus(k) * s.minus(k + 1)
            h = h + Complex(0.5, 0) * (hop + hop.adjoint) + Complex(0.5, 0) * (s.z(k) * s.z(k + 1))
            if dm != 0 { h = h + Complex(0, dm) * (hop - hop.adjoint) }
        }
        var jumps = (0..<n).map { Complex(2.0.squareRoot(), 0) * (s.z($0) * s.z($0)) }
        if kappa > 0 {
            jumps += (0..<n).map { Complex(kappa.squareRoot(), 0) * s.minus($0) }
            jumps += (0..<n).map { Complex((kappa / 2).squareRoot(), 0) * s.plus($0) }
        }
        return (h, jumps)
    }

    @Test("CSR builder: every entry equals the dense Liouvillian's, bitwise", arguments: [
        (2, 0.0, 0.0), (2, 0.1, 0.3), (3, 0.1, 0.3),
    ])
    func identicalEntries(sites: Int, kappa: Double, dm: Double) throws {
        let (h, jumps) = Self.chain(sites: sites, kappa: kappa, dm: dm, drive: kappa > 0 ? 0.4 : 0)
        let dense = Liouvillian(hamiltonian: h, jumps: jumps).matrix
        let sparse = SparseLiouvillian(hamiltonian: h, jumps: jumps)
        #expect(sparse.matrix.dense == dense)
        #expect(sparse.matrix.nonzeroCount == dense.storage.filter { $0 != .zero }.count)
        #expect(sparse.matrix.values.allSatisfy { $0 != .zero })
        // Control: the row-stacking convention (vec(X)[j + D·i] = X[i, j]) is rejected.
        let d = h.rows, n = d * d
        let swap = { (k: Int) in (k / d) + d * (k % d) }
        let rowStacked = ComplexMatrix(rows: n, columns: n) { r, c in dense[swap(r), swap(c)] }
        #expect(sparse.matrix.dense != rowStacked)
        // apply = the dense action of Eq. (1).
        var rng = RandomStream(seed: 5, label: "liouvillian-apply")
        let rho = ComplexMatrix(rows: d, columns: d) { _, _ in rng.complexNormal() }
        let direct = Liouvillian.action(hamiltonian: h, jumps: jumps, on: rho)
        #expect((sparse.apply(rho) - direct).maxAbs <= 1e-13 * direct.maxAbs)
    }

    @Test("Sparse steady state (weighted trace row, MUMPS LU) equals the dense zgesv one, on the full system and on its component",
          arguments: [(2, 0.4), (3, 0.4), (2, 0.0), (3, 0.0)])
    func steadyState(sites: Int, drive: Double) throws {
        let (h, jumps) = Self.chain(sites: sites, kappa: 0.1, dm: 0.3, drive: drive)
        let dense = try Liouvillian(hamiltonian: h, jumps: jumps).steadyState()
        let l = SparseLiouvillian(hamiltonian: h, jumps: jumps)
        for reduce in [true, false] {
            let sparse = try l.steadyState(reduceToComponent: reduce)
            let diff = (sparse.rho - dense).maxAbs
            note("steady state N=\(sites) drive=\(drive) reduce=\(reduce) (\(sparse.solvedDimension) unknowns) maxdiff, residual, trace error, hermiticity",
                 diff, sparse.residual, sparse.traceError, sparse.hermiticityDefect)
            #expect(diff <= 1e-12)
            #expect(sparse.traceError <= 1e-13 && sparse.residual <= 1e-12)
            #expect(sparse.factorization.method == "LU" && sparse.traceWeight > 0)
            // Without the drive the weak U(1) symmetry confines ρ to ΔM = 0: Σ_M d_M² unknowns.
            let s = SpinOperators(twiceSpin: 2, sites: sites)
            let m = (0..<s.dimension).map { s.totalMagnetization($0) }
            let deltaMZero = m.map { a in m.filter { $0 == a }.count }.reduce(0, +)
            #expect(sparse.solvedDimension == (reduce && drive == 0 ? deltaMZero : s.dimension * s.dimension))
            if drive != 0 {
                // Control: ρᵀ (the vectorization convention mixed up) is rejected by the same bound.
                #expect((sparse.rho.transposed - dense).maxAbs > 1e3 * 1e-12)      // ρ is complex (drive, DM term)
            }
        }
    }

    @Test("Strong symmetries (the bare spin-1 chain, 2(N + 1) steady states) make the steady state throw .singular")
    func degenerateSteadyStates() throws {
        let (h, jumps) = Self.chain(sites: 2, kappa: 0, dm: 0)
        expectSparseError("singular") { try SparseLiouvillian(hamiltonian: h, jumps: jumps).steadyState() }
        expectSparseError("singular") { try SparseLiouvillian(hamiltonian: h, jumps: jumps).steadyState(reduceToComponent: false) }
    }

    @Test("Slow modes near 0 (shift-invert, znaupd) equal dense zgeev's; λ = 0 carries the steady state")
    func slowModes() throws {
        let (h, jumps) = Self.chain(sites: 2, kappa: 0.1, dm: 0.3)
        let l = SparseLiouvillian(hamiltonian: h, jumps: jumps)
        let modes = try l.modes(count: 6)
        let sigma = modes.shift
        let dense = try generalEigen(Liouvillian(hamiltonian: h, jumps: jumps).matrix, right: false).values
            .sorted { ($0 - sigma).length < ($1 - sigma).length }
        let diff = matchedDistance(modes.values, Array(dense.prefix(6)))
        note("slow modes maxdiff, residual, first |λ|", diff, modes.maxResidual, modes.values[0].length)
        #expect(diff <= 1e-12)
        #expect(modes.values[0].length <= 1e-12)
        #expect(modes.values[1].length > 0.01)          // a gap: the steady state is unique
        // The λ = 0 right eigenvector is vec ρ_ss up to normalization.
        let rho = try l.steadyState().rho
        let v = modes.vectors.column(0)
        let scale = Vectorization.unvec(v, dimension: 9).trace
        let fromMode = Vectorization.unvec(v.map { $0 / scale }, dimension: 9)
        #expect((fromMode - rho).maxAbs <= 1e-10)
    }

    @Test("Bare open-sync spin-1 chain N = 3 (Eq. (6)): the degenerate λ = 0 eigenspace and the next modes equal dense zgeev's")
    func zeroModesOfTheBareChain() throws {
        let (h, jumps) = Self.chain(sites: 3, kappa: 0, dm: 0)
        let dense = try Liouvillian(hamiltonian: h, jumps: jumps).spectrum()
        let zeroCount = dense.zeroModes.count            // 2(N + 1) steady states and traceless ω = 0 coherences
        // λ and λ̄ are equidistant from the real σ: take a count whose boundary splits no such
        // pair (nor any other tie), and compare as sets.
        let sigma = Complex(1e-3 * SparseLiouvillian(hamiltonian: h, jumps: jumps).traceWeight, 0)
        let sorted = dense.values.sorted { ($0 - sigma).length < ($1 - sigma).length }
        let k = try #require(((zeroCount + 2)...(zeroCount + 12)).first { (sorted[$0] - sigma).length - (sorted[$0 - 1] - sigma).length > 1e-6 })
        let modes = try SparseLiouvillian(hamiltonian: h, jumps: jumps).modes(count: k)
        #expect(modes.shift == sigma)
        let diff = matchedDistance(modes.values, Array(sorted.prefix(k)))
        note("bare chain N=3 zero modes \(zeroCount), maxdiff, max |λ| of zero modes, next |λ|", diff,
             modes.values.prefix(zeroCount).map(\.length).max()!, modes.values[zeroCount].length)
        #expect(zeroCount >= 8)
        #expect(modes.values.prefix(zeroCount).allSatisfy { $0.length <= 1e-10 })
        #expect(modes.values[zeroCount].length > 1e-3)
        #expect(diff <= 1e-12)
    }
}

/// max_i |a_i − b_π(i)| for the greedy one-to-one matching π of each a_i (in order) to the
/// nearest unused b_j: compares two eigenvalue lists as sets, whatever order ties took.
func matchedDistance(_ a: [Complex<Double>], _ b: [Complex<Double>]) -> Double {
    precondition(a.count == b.count)
    var used = [Bool](repeating: false, count: b.count)
    var worst = 0.0
    for x in a {
        let j = b.indices.filter { !used[$0] }.min { (b[$0] - x).length < (b[$1] - x).length }!
        used[j] = true
        worst = max(worst, (b[j] - x).length)
    }
    return worst
}
