import Foundation
import Kernels
import Linalg
import Numerics
import Testing

@Suite("Dense eigensolvers against matrices with known spectra", .tags(.kernel))
struct EigenTests {
    @Test("2×2 symmetric fixture: values and vectors")
    func twoByTwo() throws {
        let f = try fixture("symmetric-2x2.json")
        let rows = try #require(f["matrix"] as? [[Double]])
        let expected = try #require(f["eigenvalues"] as? [Double])
        let a = Matrix(rows)
        let e = try symmetricEigen(a)
        #expect(maxAbsDiff(e.values, expected) < 1e-14)
        let v = try #require(e.vectors)
        #expect(abs(abs(v[0, 0]) - 0.5.squareRoot()) < 1e-14)
        #expect(abs(v[0, 0] + v[1, 0]) < 1e-14)        // (1, −1)/√2 for λ = 1
        let valuesOnly = try symmetricEigen(a, vectors: false)
        #expect(valuesOnly.vectors == nil)
        #expect(maxAbsDiff(valuesOnly.values, expected) < 1e-14)
    }

    @Test("Tridiagonal Toeplitz: dense dsyevr and dstevr reproduce a + 2b cos(kπ/(n+1))")
    func toeplitz() throws {
        let f = try fixture("tridiagonal-toeplitz.json")
        let n = try #require(f["n"] as? Int)
        let a = try #require(f["diagonal"] as? Double), b = try #require(f["offDiagonal"] as? Double)
        let exact = (1...n).map { a + 2 * b * cos(Double($0) * Double.pi / Double(n + 1)) }.sorted()
        let m = Matrix(rows: n, columns: n) { i, j in i == j ? a : (abs(i - j) == 1 ? b : 0) }
        let tol = 1e-13 * Double(n) * (abs(a) + 2 * abs(b))
        #expect(maxAbsDiff(try symmetricEigen(m, vectors: false).values, exact) < tol)
        let tri = try tridiagonalEigen(diagonal: [Double](repeating: a, count: n),
                                       offDiagonal: [Double](repeating: b, count: n - 1))
        #expect(maxAbsDiff(tri.values, exact) < tol)
        // Windows: indices and values.
        let w = try tridiagonalEigen(diagonal: [Double](repeating: a, count: n),
                                     offDiagonal: [Double](repeating: b, count: n - 1), vectors: false, window: .indices(10...19))
        #expect(maxAbsDiff(w.values, Array(exact[10...19])) < tol)
    }

    @Test("Random symmetric matrix: ‖AV − VΛ‖ ≤ 1e-10·n·‖A‖ and VᵀV = 1")
    func reconstruction() throws {
        var rng = RandomStream(seed: 7, label: "linalg-reconstruction")
        let n = 120
        let a = RandomMatrix.goe(n, &rng)
        let e = try symmetricEigen(a)
        let v = try #require(e.vectors)
        let av = a * v
        var vl = v
        for j in 0..<n { for i in 0..<n { vl[i, j] *= e.values[j] } }
        let norm = a.frobeniusNorm
        #expect((av - vl).frobeniusNorm <= 1e-10 * Double(n) * norm)
        let vtv = try gemm(v, v, transA: .transpose)
        #expect((vtv - Matrix.identity(n)).maxAbs < 1e-12)
        #expect(zip(e.values, e.values.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test("Centre window: the 20 central eigenpairs equal the slice of the full spectrum")
    func centreWindow() throws {
        var rng = RandomStream(seed: 8, label: "linalg-window")
        let n = 101
        let a = RandomMatrix.goe(n, &rng)
        let all = try symmetricEigen(a, vectors: false).values
        let window = SpectrumWindow.centre(count: 20, of: n)
        guard case let .indices(r) = window else { Issue.record("centre window is an index window"); return }
        let part = try symmetricEigen(a, vectors: true, window: window)
        #expect(part.values.count == 20)
        #expect(maxAbsDiff(part.values, Array(all[r])) < 1e-12)
        // (vl, vu] with a margin on both ends: the window run rounds its eigenvalues differently from the full run.
        let byValue = try symmetricEigen(a, vectors: false, window: .values(lower: all[r.lowerBound] - 1e-9, upper: all[r.upperBound] + 1e-9))
        #expect(byValue.values.count == 20)
        #expect(throws: LinalgError.self) { try symmetricEigen(a, window: .indices(0...n)) }
    }

    @Test("Random Hermitian (GUE): reconstruction and real spectrum")
    func hermitian() throws {
        var rng = RandomStream(seed: 9, label: "linalg-gue")
        let n = 60
        let h = RandomMatrix.gue(n, &rng)
        #expect(h.antiHermiticity < 1e-15)
        let e = try hermitianEigen(h)
        let v = try #require(e.vectors)
        let hv = h * v
        var vl = v
        for j in 0..<n { for i in 0..<n { vl[i, j] = vl[i, j] * Complex(e.values[j], 0) } }
        #expect((hv - vl).frobeniusNorm <= 1e-10 * Double(n) * h.frobeniusNorm)
        let valuesOnly = try hermitianEigen(h, vectors: false, window: .centre(count: 10, of: n))
        #expect(valuesOnly.values.count == 10)
    }

    /// Regression for a CI crash (SIGSEGV inside libopenblasp 0.3.21): `parallelMap` used to
    /// change OpenBLAS's thread count while Swift Testing ran an eigensolver test on another
    /// thread. A stress run of that pattern crashed 1 time in 3 locally before the fix. Now the
    /// count is fixed at one for the process; concurrent calls give the serial bits.
    @Test("Concurrent eigensolver and gemm calls: OpenBLAS stays at one thread, results are the serial bits")
    func concurrentCalls() throws {
        var rng = RandomStream(seed: 13, label: "linalg-concurrent")
        let h = RandomMatrix.gue(60, &rng)
        let a = RandomMatrix.goe(120, &rng)
        let hSerial = try hermitianEigen(h), aSerial = try symmetricEigen(a)
        let hProduct = h * hSerial.vectors!, aProduct = a * aSerial.vectors!
        #expect(BLAS.threads == 1)
        let identical = try parallelMap(count: 64, jobs: 4) { k -> Bool in
            if k % 2 == 0 {
                let e = try hermitianEigen(h)
                return e.values == hSerial.values && (h * e.vectors!).storage == hProduct.storage
            } else {
                let e = try symmetricEigen(a)
                return e.values == aSerial.values && (a * e.vectors!).storage == aProduct.storage
            }
        }
        #expect(identical.allSatisfy { $0 })
        #expect(BLAS.threads == 1)
    }

    @Test("Non-normal complex matrix (zgeev): eigenvalues, right and left eigenvectors")
    func nonNormal() throws {
        let f = try fixture("nonnormal-3x3.json")
        let re = try #require(f["real"] as? [[Double]]), im = try #require(f["imag"] as? [[Double]])
        let a = ComplexMatrix((0..<3).map { i in (0..<3).map { j in Complex(re[i][j], im[i][j]) } })
        let ev = zip(try #require(f["eigenvaluesReal"] as? [Double]), try #require(f["eigenvaluesImag"] as? [Double]))
            .map { Complex($0, $1) }
        let e = try generalEigen(a, right: true, left: true)
        for lam in ev { #expect(e.values.contains { ($0 - lam).length < 1e-13 }) }
        let r = try #require(e.right), l = try #require(e.left)
        for k in 0..<3 {
            let v = r.column(k), u = l.column(k)
            let av = try gemv(a, v)
            let uha = try gemv(a, u, trans: .adjoint)   // (u†A)† = A†u = conj(λ) u
            for i in 0..<3 {
                #expect((av[i] - e.values[k] * v[i]).length < 1e-12)
                #expect((uha[i] - e.values[k].conjugate * u[i]).length < 1e-12)
            }
        }
    }

    @Test("All pairs: dsyevd below the threshold (same bits as symmetricEigenDivideAndConquer), agreeing with dsyevr's index window")
    func allPairsDriver() throws {
        for n in [7, 120] {
            var x: UInt64 = 0x9E3779B97F4A7C15 &* UInt64(n)
            var a = Matrix(rows: n, columns: n)
            for i in 0..<n { for j in i..<n {
                x = x &* 6364136223846793005 &+ 1442695040888963407
                let v = Double(Int64(bitPattern: x >> 11) % 2001 - 1000) / 1000
                a[i, j] = v; a[j, i] = v
            } }
            let e = try symmetricEigen(a)
            let dc = try symmetricEigenDivideAndConquer(a)
            #expect(e.values == dc.values)
            #expect(e.vectors!.storage == dc.vectors!.storage)
            let mrrr = try symmetricEigen(a, window: .indices(0...(n - 1)))
            #expect(maxAbsDiff(e.values, mrrr.values) < 1e-12)
            // same eigenvectors up to sign (the spectrum of this matrix is simple)
            for k in 0..<n {
                var dot = 0.0
                for i in 0..<n { dot += e.vectors![i, k] * mrrr.vectors![i, k] }
                #expect(abs(abs(dot) - 1) < 1e-10)
            }
        }
    }

    @Test("OpenBLAS core correction: only a Prescott fallback is replaced, by the newest family the CPU flags allow")
    func openBLASCoreRule() {
        let base: Set<String> = ["sse3", "avx", "avx2", "fma"]
        let avx512: Set<String> = base.union(["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"])
        #expect(OpenBLASCore.replacement(current: "Prescott", cpuFlags: avx512.union(["avx512_bf16"])) == "Cooperlake")
        #expect(OpenBLASCore.replacement(current: "Prescott", cpuFlags: avx512) == "SkylakeX")
        #expect(OpenBLASCore.replacement(current: "Prescott", cpuFlags: base) == "Haswell")
        #expect(OpenBLASCore.replacement(current: "Prescott", cpuFlags: ["sse3", "avx"]) == "Sandybridge")
        #expect(OpenBLASCore.replacement(current: "Prescott", cpuFlags: ["sse3"]) == nil)
        #expect(OpenBLASCore.replacement(current: "Prescott", cpuFlags: base.union(["avx512f"])) == "Haswell")   // partial AVX-512 is not SkylakeX
        #expect(OpenBLASCore.replacement(current: "Haswell", cpuFlags: avx512) == nil)   // a recognized CPU keeps OpenBLAS's choice
        #expect(OpenBLASCore.replacement(current: "Zen", cpuFlags: avx512) == nil)
        // The flags are parsed from /proc/cpuinfo's "flags" line.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cpuinfo-\(getpid())").path
        try? "processor\t: 0\nflags\t\t: fpu sse3 avx avx2 fma\n\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(OpenBLASCore.cpuFlags(cpuinfo: path) == ["fpu", "sse3", "avx", "avx2", "fma"])
        #expect(OpenBLASCore.cpuFlags(cpuinfo: path + ".missing").isEmpty)
    }
}

@Suite("Solves, SVD, least squares, BLAS", .tags(.kernel))
struct SolveTests {
    @Test("dgesv/zgesv residuals and a typed error for a singular matrix")
    func linearSolves() throws {
        var rng = RandomStream(seed: 10, label: "linalg-solve")
        let n = 40
        let a = RandomMatrix.realGinibre(n, &rng)
        let b = (0..<n).map { _ in rng.normal() }
        let x = try solve(a, b)
        #expect(maxAbsDiff(try gemv(a, x), b) < 1e-10)
        let c = RandomMatrix.ginibre(n, &rng)
        let cb = (0..<n).map { _ in rng.complexNormal() }
        let cx = try solve(c, cb)
        let res = try gemv(c, cx)
        #expect(zip(res, cb).map { ($0 - $1).length }.max()! < 1e-10)
        let singular = Matrix([[1, 2], [2, 4]])
        #expect(throws: LinalgError.lapack(routine: "dgesv", info: 2)) { try solve(singular, [1, 1]) }
    }

    @Test("SVD reconstruction and a null space of stated rank")
    func svdAndNullSpace() throws {
        var rng = RandomStream(seed: 11, label: "linalg-svd")
        // Rank-3 complex 6×6 matrix: G₁ (6×3) · G₂ (3×6).
        let g1 = RandomMatrix.ginibre(rows: 6, columns: 3, &rng), g2 = RandomMatrix.ginibre(rows: 3, columns: 6, &rng)
        let a = g1 * g2
        let ns = try nullSpace(a, relativeTolerance: 1e-10)
        #expect(ns.rank == 3)
        #expect(ns.basis.columns == 3)
        #expect((a * ns.basis).frobeniusNorm < 1e-12 * a.frobeniusNorm)
        // Gap at the cut: smallest kept singular value vs largest discarded.
        #expect(ns.singularValues[2] / max(ns.singularValues[3], 1e-300) > 1e10)
        let r = RandomMatrix.realGinibre(5, &rng)
        let d = try svd(r)
        var us = d.u
        for j in 0..<5 { for i in 0..<5 { us[i, j] *= d.values[j] } }
        #expect((us * d.vt - r).maxAbs < 1e-12)
    }

    @Test("Least squares recovers an exact line and reports the rank")
    func leastSquaresLine() throws {
        let x = (0..<10).map(Double.init)
        let a = Matrix(rows: 10, columns: 2) { i, j in j == 0 ? 1 : x[i] }
        let ls = try leastSquares(a, x.map { 3 - 0.5 * $0 })
        #expect(abs(ls.solution[0] - 3) < 1e-12 && abs(ls.solution[1] + 0.5) < 1e-12)
        #expect(ls.rank == 2 && ls.residualSumOfSquares < 1e-20)
    }

    @Test("gemm and gemv agree with the naive sums, including transposes")
    func blas() throws {
        var rng = RandomStream(seed: 12, label: "linalg-gemm")
        let a = Matrix(rows: 7, columns: 5) { _, _ in rng.normal() }
        let b = Matrix(rows: 7, columns: 4) { _, _ in rng.normal() }
        let c = try gemm(a, b, transA: .transpose)
        for i in 0..<5 { for j in 0..<4 {
            let s = (0..<7).reduce(0.0) { $0 + a[$1, i] * b[$1, j] }
            #expect(abs(c[i, j] - s) < 1e-13)
        } }
        #expect(throws: LinalgError.self) { try gemm(a, b) }
        let rowMajor = Matrix(rows: 2, columns: 3, entries: [1, 2, 3, 4, 5, 6], order: .rowMajor)
        #expect(rowMajor[1, 0] == 4 && rowMajor.entries(.rowMajor) == [1, 2, 3, 4, 5, 6])
        #expect(BLAS.configuration.contains("OpenBLAS"))
    }
}
