import Foundation
import Kernels
import Linalg
import Numerics
import Testing

/// Sparse LDLᵀ/LU (MUMPS) and shift-invert eigensolvers (ARPACK) against dense LAPACK.
///
/// Tolerances (measured with PV_TEST_VERBOSE=1, which prints every error): eigenvalues agree
/// with LAPACK to ≤ 6.4e-16·‖A‖∞ (symmetric/Hermitian) and 2.3e-14·‖A‖∞ (general), the
/// eigenvector subspaces to ‖sin Θ‖_F ≤ 1.7e-12, residuals are ≤ 8.8e-14·‖A‖∞, solves agree
/// to ≤ 3.8e-13 relative. The bounds sit 10–1000× above those and ≥ 1000× below the nearest
/// wrong answer each test rejects as its control (the neighbouring eigenvalue window, the
/// unshifted or sign-flipped solve, the list shifted by one).
@Suite("Sparse factorizations and shift-invert eigensolvers against dense LAPACK", .tags(.kernel))
struct SparseEigenTests {
    static let valueTolerance = 1e-12       // × ‖A‖∞
    static let subspaceTolerance = 1e-10    // ‖sin Θ‖_F
    static let residualTolerance = 1e-12    // × ‖A‖∞

    static func fields(_ l: Int, width w: Double, seed: UInt64) -> [Double] {
        var rng = RandomStream(seed: seed, label: "sparse-test-fields")
        return (0..<l).map { _ in rng.uniform(-w, w) }
    }

    // MARK: factorizations

    @Test("LDLᵀ of A − σI: solves equal dense dgesv; inertia = number of eigenvalues below σ")
    func symmetricSolveAndInertia() throws {
        let a = SparseTestMatrices.randomSymmetric(400, perRow: 3, seed: 11)
        let sigma = 0.25
        let f = try SparseSymmetricFactorization(a, shift: sigma)
        var rng = RandomStream(seed: 12, label: "rhs")
        let b = (0..<400).map { _ in rng.normal() }
        let x = try f.solve(b)
        let shifted = a.dense - sigma * Matrix.identity(400)
        let ref = try solve(shifted, b)
        let scale = ref.map(abs).max()!
        note("LDLT solve rel", maxAbsDiff(x, ref) / scale)
        #expect(maxAbsDiff(x, ref) <= 1e-11 * scale)
        // Control: forgetting the shift (or its sign) is rejected by the same comparison.
        let unshifted = try solve(a.dense + sigma * Matrix.identity(400), b)
        #expect(maxAbsDiff(unshifted, ref) > 1e-3 * scale)
        // Several right-hand sides at once.
        let bb = Matrix(rows: 400, columns: 3) { i, j in b[(i + 17 * j) % 400] }
        let xx = try f.solve(bb)
        let refs = try solve(shifted, bb)
        #expect((xx - refs).maxAbs <= 1e-11 * refs.maxAbs)
        // Sylvester: negative pivots of D = eigenvalues of A below σ (exact count).
        let spectrum = try symmetricEigen(a.dense, vectors: false).values
        #expect(f.eigenvaluesBelowShift == spectrum.filter { $0 < sigma }.count)
        #expect(f.statistics.ordering == "SCOTCH" && f.statistics.method == "LDLᵀ")
        #expect(f.statistics.factorEntries >= Int64(400) && f.statistics.estimatedBytes > 0)
    }

    @Test("LU of A − σI, real and complex: solves equal dense dgesv/zgesv")
    func luSolves() throws {
        let c = SparseTestMatrices.randomComplex(300, perRow: 3, hermitian: false, seed: 21)
        let sigma = Complex(0.3, 0.2)
        let f = try SparseLUFactorization(c, shift: sigma)
        var rng = RandomStream(seed: 22, label: "rhs")
        let b = (0..<300).map { _ in rng.complexNormal() }
        let x = try f.solve(b)
        let shifted = c.dense - sigma * ComplexMatrix.identity(300)
        let ref = try solve(shifted, b)
        let scale = ref.map(\.length).max()!
        note("complex LU solve rel", zip(x, ref).map { ($0 - $1).length }.max()! / scale)
        #expect(zip(x, ref).map { ($0 - $1).length }.max()! <= 1e-11 * scale)
        let wrong = try solve(c.dense + sigma * ComplexMatrix.identity(300), b)       // control: sign of σ
        #expect(zip(wrong, ref).map { ($0 - $1).length }.max()! > 1e-3 * scale)
        #expect(f.statistics.method == "LU")

        let r = CSRMatrix(rows: 300, columns: 300, rowStart: c.rowStart, columnIndices: c.columnIndices, values: c.values.map(\.real))
        let fr = try SparseLUFactorization(r, shift: 0.4)
        let br = b.map(\.real)
        let refr = try solve(r.dense - 0.4 * Matrix.identity(300), br)
        #expect(maxAbsDiff(try fr.solve(br), refr) <= 1e-11 * refr.map(abs).max()!)
    }

    // MARK: real symmetric shift-invert

    /// Both Krylov methods of `sparseSymmetricEigen`.
    static let methods: [KrylovMethod] = [.arpack, .blockLanczos(blockSize: 4), .blockLanczos(blockSize: 8)]

    @Test("XXZ L = 10 (S^z = 0, W = 3): 20 pairs at the spectral centre equal the dense window", arguments: methods)
    func xxzCentre(method: KrylovMethod) throws {
        let h = SparseTestMatrices.xxz(sites: 10, delta: 1, fields: Self.fields(10, width: 3, seed: 31))
        let dense = try symmetricEigen(h.dense)
        let norm = h.infinityNorm
        let bounds = try sparseSymmetricSpectralBounds(h)
        #expect(abs(bounds.lowest - dense.values.first!) <= Self.valueTolerance * norm)
        #expect(abs(bounds.highest - dense.values.last!) <= Self.valueTolerance * norm)
        let sigma = 0.5 * (bounds.lowest + bounds.highest)
        let r = try sparseSymmetricEigen(h, count: 20, near: sigma, options: .init(method: method))
        let lo = try #require(r.firstIndex)
        let ref = Array(dense.values[lo..<(lo + 20)])
        let dv0 = try #require(dense.vectors)
        note("xxz centre \(method) values/norm, subspace, residual/norm, orth", maxAbsDiff(r.values, ref) / norm,
             try subspaceDistance(r.vectors, Matrix(rows: h.rows, columns: 20) { i, j in dv0[i, lo + j] }), r.maxResidual / norm,
             orthonormalityDefect(r.vectors))
        #expect(maxAbsDiff(r.values, ref) <= Self.valueTolerance * norm)
        // They are the 20 nearest σ: the dense values nearest σ are this window.
        let nearest = dense.values.indices.sorted { abs(dense.values[$0] - sigma) < abs(dense.values[$1] - sigma) }.prefix(20)
        #expect(nearest.min() == lo && nearest.max() == lo + 19)
        // Control: the neighbouring window (one level up) is rejected.
        let shiftedWindow = Array(dense.values[(lo + 1)..<(lo + 21)])
        #expect(maxAbsDiff(r.values, shiftedWindow) > 1e3 * Self.valueTolerance * norm)
        let dv = try #require(dense.vectors)
        let sub = Matrix(rows: h.rows, columns: 20) { i, j in dv[i, lo + j] }
        #expect(try subspaceDistance(r.vectors, sub) <= Self.subspaceTolerance)
        #expect(orthonormalityDefect(r.vectors) <= 1e-12)
        #expect(r.maxResidual <= Self.residualTolerance * norm)
        #expect(r.values == r.values.sorted())
    }

    @Test("Heisenberg L = 10, all 2^10 states: exact and near (1e-8) degeneracies inside the spectrum",
          arguments: [0.0, 1e-8], methods)
    func degenerateInterior(fieldWidth: Double, method: KrylovMethod) throws {
        let h = SparseTestMatrices.xxz(sites: 10, delta: 1, fields: Self.fields(10, width: fieldWidth, seed: 41), magnetization: nil)
        let dense = try symmetricEigen(h.dense)
        let norm = h.infinityNorm
        let sigma = -0.4137            // inside the spectrum [−4.26, 2.25], not on a level
        let dist = dense.values.map { abs($0 - sigma) }
        let byDistance = dist.indices.sorted { dist[$0] < dist[$1] }
        // The smallest k ≥ 24 whose boundary does not cut a (near-)degenerate multiplet.
        let k = try #require((24...60).first { dist[byDistance[$0]] - dist[byDistance[$0 - 1]] > 1e-4 })
        let window = byDistance.prefix(k).sorted()
        let ref = window.map { dense.values[$0] }
        let clusters = zip(ref, ref.dropFirst()).filter { $1 - $0 < 1e-6 }.count
        #expect(clusters >= 5)          // the test does exercise (near-)degenerate pairs
        let r = try sparseSymmetricEigen(h, count: k, near: sigma, options: .init(method: method))
        let dv = try #require(dense.vectors)
        let sub = Matrix(rows: h.rows, columns: k) { i, j in dv[i, window[j]] }
        note("degenerate \(method) W=\(fieldWidth) k=\(k) clusters=\(clusters) values/norm, subspace, residual/norm, orth", maxAbsDiff(r.values, ref) / norm,
             try subspaceDistance(r.vectors, sub), r.maxResidual / norm, orthonormalityDefect(r.vectors))
        #expect(maxAbsDiff(r.values, ref) <= Self.valueTolerance * norm)
        #expect(try subspaceDistance(r.vectors, sub) <= Self.subspaceTolerance)
        #expect(orthonormalityDefect(r.vectors) <= 1e-12)
        #expect(r.maxResidual <= Self.residualTolerance * norm)
        #expect(r.firstIndex == window.first)
    }

    @Test("Random sparse symmetric n = 600: 15 pairs near an interior σ equal dense dsyevr")
    func randomSymmetric() throws {
        let a = SparseTestMatrices.randomSymmetric(600, perRow: 3, seed: 51)
        let dense = try symmetricEigen(a.dense)
        let norm = a.infinityNorm
        let r = try sparseSymmetricEigen(a, count: 15, near: 0.1, options: .init(factorization: .init(ordering: .amd)))
        let lo = try #require(r.firstIndex)
        #expect(maxAbsDiff(r.values, Array(dense.values[lo..<(lo + 15)])) <= Self.valueTolerance * norm)
        let dv = try #require(dense.vectors)
        #expect(try subspaceDistance(r.vectors, Matrix(rows: 600, columns: 15) { i, j in dv[i, lo + j] }) <= Self.subspaceTolerance)
        note("random symmetric values/norm, residual/norm", maxAbsDiff(r.values, Array(dense.values[lo..<(lo + 15)])) / norm, r.maxResidual / norm)
        #expect(r.factorization.ordering == "AMD")
    }

    @Test("Same input, same bits; another start vector, same pairs to rounding", arguments: methods)
    func reproducible(method: KrylovMethod) throws {
        let h = SparseTestMatrices.xxz(sites: 10, delta: 1, fields: Self.fields(10, width: 3, seed: 61))
        let a = try sparseSymmetricEigen(h, count: 10, near: 0.05, options: .init(method: method))
        let b = try sparseSymmetricEigen(h, count: 10, near: 0.05, options: .init(method: method))
        #expect(a.values == b.values && a.vectors == b.vectors && a.residualNorms == b.residualNorms)
        let c = try sparseSymmetricEigen(h, count: 10, near: 0.05, options: .init(startSeed: 99, method: method))
        #expect(maxAbsDiff(a.values, c.values) <= Self.valueTolerance * a.normEstimate)
        #expect(a.vectors != c.vectors)     // the seed does reach ARPACK (the bitwise check could fail)
    }

    // MARK: complex

    @Test("Complex Hermitian: random n = 400 equals dense zheevr; a twisted open XXZ chain has the untwisted spectrum (gauge)")
    func hermitian() throws {
        let a = SparseTestMatrices.randomComplex(400, perRow: 3, hermitian: true, seed: 71)
        let dense = try hermitianEigen(a.dense)
        let norm = a.infinityNorm
        let sigma = -0.3
        let r = try sparseHermitianEigen(a, count: 12, near: sigma)
        let window = dense.values.indices.sorted { abs(dense.values[$0] - sigma) < abs(dense.values[$1] - sigma) }.prefix(12).sorted()
        #expect(maxAbsDiff(r.values, window.map { dense.values[$0] }) <= Self.valueTolerance * norm)
        let dv = try #require(dense.vectors)
        #expect(try subspaceDistance(r.vectors, ComplexMatrix(rows: 400, columns: 12) { i, j in dv[i, window[j]] }) <= Self.subspaceTolerance)
        note("hermitian values/norm, subspace, residual/norm, orth", maxAbsDiff(r.values, window.map { dense.values[$0] }) / norm,
             try subspaceDistance(r.vectors, ComplexMatrix(rows: 400, columns: 12) { i, j in dv[i, window[j]] }), r.maxResidual / norm,
             orthonormalityDefect(r.vectors))
        #expect(orthonormalityDefect(r.vectors) <= 1e-12)
        #expect(r.maxResidual <= Self.residualTolerance * norm)

        // An open chain's bond phases are a gauge: same spectrum as the real chain, complex vectors.
        let f = Self.fields(10, width: 3, seed: 72)
        let twisted = SparseTestMatrices.twistedXXZ(sites: 10, delta: 1, fields: f, twist: 0.7)
        let real = try symmetricEigen(SparseTestMatrices.xxz(sites: 10, delta: 1, fields: f).dense, vectors: false).values
        let t = try sparseHermitianEigen(twisted, count: 10, near: 0.2)
        let tw = real.indices.sorted { abs(real[$0] - 0.2) < abs(real[$1] - 0.2) }.prefix(10).sorted()
        #expect(maxAbsDiff(t.values, tw.map { real[$0] }) <= Self.valueTolerance * twisted.infinityNorm)
        #expect(t.vectors.storage.map { abs($0.imaginary) }.max()! > 0.01)
    }

    @Test("Complex general n = 400: the 8 eigenvalues nearest σ equal dense zgeev's")
    func general() throws {
        let a = SparseTestMatrices.randomComplex(400, perRow: 3, hermitian: false, seed: 81)
        let sigma = Complex(0.5, 0.5)
        let dense = try generalEigen(a.dense, right: false).values.sorted { ($0 - sigma).length < ($1 - sigma).length }
        let r = try sparseGeneralEigen(a, count: 8, near: sigma)
        let norm = a.infinityNorm
        let diff = zip(r.values, dense.prefix(8)).map { ($0 - $1).length }.max()!
        note("general values/norm, residual/norm, shifted/norm", diff / norm, r.maxResidual / norm, zip(r.values, dense.dropFirst().prefix(8)).map { ($0 - $1).length }.max()! / norm)
        #expect(diff <= 1e-10 * norm)
        // Control: the list shifted by one (the 2nd … 9th nearest) is rejected.
        let shifted = zip(r.values, dense.dropFirst().prefix(8)).map { ($0 - $1).length }.max()!
        #expect(shifted > 1e3 * 1e-10 * norm)
        #expect(r.maxResidual <= 1e-11 * norm)
        for j in 0..<8 { #expect(abs(r.vectors.column(j).map(\.lengthSquared).reduce(0, +) - 1) < 1e-12) }
    }

    // MARK: error paths

    @Test("Singular A − σI throws .singular (real LDLᵀ and complex LU)")
    func singular() throws {
        let ring = CSRMatrix<Double>(rows: 50, columns: 50, triplets: (0..<50).flatMap { i in
            [(i, i, 2.0), (i, (i + 1) % 50, -1.0), (i, (i + 49) % 50, -1.0)] })        // ring Laplacian: λ = 0
        expectSparseError("singular") { try SparseSymmetricFactorization(ring, shift: 0) }
        expectSparseError("singular") { try sparseSymmetricEigen(ring, count: 3, near: 0) }
        _ = try SparseSymmetricFactorization(ring, shift: 0.01)      // control: a regular shift factors
        let c = SparseTestMatrices.complexified(ring)
        expectSparseError("singular") { try SparseLUFactorization(c, shift: .zero) }
    }

    @Test("ARPACK's iteration limit throws .noConvergence")
    func noConvergence() throws {
        let h = SparseTestMatrices.xxz(sites: 10, delta: 1, fields: Self.fields(10, width: 3, seed: 91))
        for method in Self.methods {
            expectSparseError("noConvergence") { try sparseSymmetricEigen(h, count: 30, near: 0, options: .init(maxIterations: 1, method: method)) }
        }
        let c = SparseTestMatrices.randomComplex(300, perRow: 3, hermitian: false, seed: 92)
        expectSparseError("noConvergence") { try sparseGeneralEigen(c, count: 20, near: .zero, options: .init(maxIterations: 1)) }
    }

    @Test("Memory guard, non-finite input, non-symmetric input, bad counts: typed errors")
    func otherErrors() throws {
        let h = SparseTestMatrices.xxz(sites: 10, delta: 1, fields: Self.fields(10, width: 3, seed: 93))
        // The guard compares the analysis' estimate (MUMPS INFOG(17), whole MB) with the budget;
        // on XXZ L = 14 (n = 3432) the estimate is a few MB and bounds what is then allocated.
        let big = SparseTestMatrices.xxz(sites: 14, delta: 1, fields: Self.fields(14, width: 3, seed: 94))
        let fitted = try SparseSymmetricFactorization(big, options: .init(memoryBudgetBytes: 100_000_000))
        let estimate = fitted.statistics.estimatedBytes
        #expect(estimate >= 2_000_000 && fitted.statistics.allocatedBytes <= estimate && estimate <= 2 * fitted.statistics.allocatedBytes + 1_000_000)
        // The analysis-only estimate is the one the guard uses.
        let analysed = try estimateSymmetricFactorization(big)
        #expect(analysed.bytes == estimate && analysed.factorEntries == fitted.statistics.estimatedFactorEntries && analysed.flops > 0)
        let analysedLU = try estimateLUFactorization(SparseTestMatrices.complexified(big))
        #expect(analysedLU.method == "LU" && analysedLU.factorEntries > analysed.factorEntries)   // LU stores both triangles
        expectSparseError("memoryBudgetExceeded") { try SparseSymmetricFactorization(big, options: .init(memoryBudgetBytes: estimate - 1)) }
        _ = try SparseSymmetricFactorization(big, options: .init(memoryBudgetBytes: estimate))     // control: at the estimate it factors
        var nan = h
        nan.values[3] = .nan
        expectSparseError("nonFinite") { try SparseSymmetricFactorization(nan) }
        // Only the upper triangle is factored; A's full residual exposes a non-symmetric input.
        var skew = h
        for p in skew.values.indices where skew.values[p] == 0.5 { skew.values[p] = 0.7; break }
        expectSparseError("inaccurate") { try sparseSymmetricEigen(skew, count: 5, near: 0) }
        expectSparseError("invalidArgument") { try sparseSymmetricEigen(h, count: h.rows, near: 0) }
    }
}

/// Print measured errors when PV_TEST_VERBOSE is set (to re-derive the tolerances above).
func note(_ label: String, _ values: Double...) {
    if ProcessInfo.processInfo.environment["PV_TEST_VERBOSE"] != nil {
        print("measured \(label): " + values.map { String(format: "%.3g", $0) }.joined(separator: " "))
    }
}

/// Run `body`, which must throw the `SparseSolverError` case named `kind`.
func expectSparseError(_ kind: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Any) {
    do {
        _ = try body()
        Issue.record("expected SparseSolverError.\(kind), got a result", sourceLocation: sourceLocation)
    } catch let e as SparseSolverError {
        let name = String(describing: Mirror(reflecting: e).children.first?.label ?? "\(e)")
        #expect(name == kind, "expected .\(kind), got \(e)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected SparseSolverError.\(kind), got \(error)", sourceLocation: sourceLocation)
    }
}
