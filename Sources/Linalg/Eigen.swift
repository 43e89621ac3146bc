import CLapack
import Numerics

/// Which eigenpairs of a symmetric/Hermitian matrix to compute (LAPACK's RANGE argument).
public enum SpectrumWindow: Sendable, Equatable {
    /// All n eigenvalues.
    case all
    /// Eigenvalues with 0-based ascending indices in the range (LAPACK RANGE='I').
    case indices(ClosedRange<Int>)
    /// Eigenvalues in the half-open interval (lower, upper] (LAPACK RANGE='V').
    case values(lower: Double, upper: Double)

    /// The `count` eigenvalues at the centre of the spectrum of an n×n matrix
    /// (indices n/2 − count/2 ..< n/2 − count/2 + count, clipped to the matrix).
    public static func centre(count: Int, of n: Int) -> SpectrumWindow {
        let c = min(max(count, 1), n)
        let lo = max(0, n / 2 - c / 2)
        let hi = min(n - 1, lo + c - 1)
        return .indices(lo...hi)
    }
}

/// Eigenvalues (ascending) and, if requested, orthonormal eigenvectors as columns.
public struct SymmetricEigen: Sendable {
    public let values: [Double]
    /// n × m, column k belongs to `values[k]`; nil when only values were requested.
    public let vectors: Matrix?
}

/// Eigenvalues (ascending) and, if requested, eigenvectors of a Hermitian matrix.
public struct HermitianEigen: Sendable {
    public let values: [Double]
    public let vectors: ComplexMatrix?
}

@inline(__always) func ch(_ s: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: s)) }

struct RangeArgs {
    var range: CChar = ch("A"), vl = 0.0, vu = 0.0, il: Int32 = 0, iu: Int32 = 0, maxCount: Int
    init(_ w: SpectrumWindow, n: Int) throws {
        maxCount = n
        switch w {
        case .all: break
        case let .indices(r):
            guard r.lowerBound >= 0, r.upperBound < n else {
                throw LinalgError.invalidRange("indices \(r) outside 0...\(n - 1)")
            }
            range = ch("I"); il = Int32(r.lowerBound + 1); iu = Int32(r.upperBound + 1); maxCount = r.count
        case let .values(lo, hi):
            guard lo < hi else { throw LinalgError.invalidRange("value window (\(lo), \(hi)] is empty") }
            range = ch("V"); vl = lo; vu = hi
        }
    }
}

/// Eigen-decomposition of a real symmetric matrix (the upper triangle is read).
///
/// Driver (issue 15, item 3; measured on this project's sizes with OpenBLAS 0.3.21's
/// Cooperlake/AVX-512 kernels, one thread, docs/design/blas-kernels.md): every eigenpair of
/// a matrix with n ≤ `divideAndConquerMaxDimension` by divide and conquer (dsyevd: dsyevr
/// takes 1.12× / 1.26× / 1.24× / 1.03× its time at n = 500 / 924 / 2000 / 3432); values only,
/// windows, and all pairs of larger matrices by MRRR (dsyevr: values only are equally fast,
/// 0.93–1.06×, and dsyevd's 2n² workspace would add 4 GiB at n = 16384).
///
/// - Parameters:
///   - vectors: compute eigenvectors (JOBZ='V') or values only (JOBZ='N', the fast path).
///   - window: all eigenpairs, an index window or a value window.
/// - Throws: `LinalgError.lapack(routine: "dsyevr", ...)` on failure.
public func symmetricEigen(_ a: Matrix, vectors: Bool = true, window: SpectrumWindow = .all) throws -> SymmetricEigen {
    pinOpenBLASToOneThread()
    guard a.isSquare else { throw LinalgError.dimensionMismatch("dsyevr needs a square matrix, got \(a.rows)×\(a.columns)") }
    let n = a.rows
    if n == 0 { return SymmetricEigen(values: [], vectors: vectors ? Matrix(rows: 0, columns: 0) : nil) }
    if vectors, case .all = window, n <= divideAndConquerMaxDimension { return try symmetricEigenDivideAndConquer(a) }
    let r = try RangeArgs(window, n: n)
    var work = a.storage
    var w = [Double](repeating: 0, count: n)
    var z = [Double](repeating: 0, count: vectors ? n * r.maxCount : 1)
    var isuppz = [Int32](repeating: 0, count: 2 * max(1, r.maxCount))
    var m: Int32 = 0
    let info = LAPACKE_dsyevr(LAPACK_COL_MAJOR, vectors ? ch("V") : ch("N"), r.range, ch("U"), Int32(n),
                              &work, Int32(n), r.vl, r.vu, r.il, r.iu, 0, &m, &w, &z, Int32(n), &isuppz)
    try check(info, "dsyevr")
    let count = Int(m)
    if vectors { z.removeSubrange((n * count)...) }   // in place: no second n×n copy
    let vecs: Matrix? = vectors ? Matrix(rows: n, columns: count, entries: z, order: .columnMajor) : nil
    return SymmetricEigen(values: Array(w.prefix(count)), vectors: vecs)
}

/// Largest dimension for which `symmetricEigen` computes all eigenpairs by dsyevd (its
/// workspace, 1 + 6n + 2n² doubles, is 256 MiB here).
public let divideAndConquerMaxDimension = 4096

/// All eigenpairs of a real symmetric matrix by divide and conquer (dsyevd; the upper
/// triangle is read): the fast driver when every eigenvector is needed.
public func symmetricEigenDivideAndConquer(_ a: Matrix, vectors: Bool = true) throws -> SymmetricEigen {
    pinOpenBLASToOneThread()
    guard a.isSquare else { throw LinalgError.dimensionMismatch("dsyevd needs a square matrix, got \(a.rows)×\(a.columns)") }
    let n = a.rows
    if n == 0 { return SymmetricEigen(values: [], vectors: vectors ? Matrix(rows: 0, columns: 0) : nil) }
    var z = a.storage
    var w = [Double](repeating: 0, count: n)
    let info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, vectors ? ch("V") : ch("N"), ch("U"), Int32(n), &z, Int32(n), &w)
    try check(info, "dsyevd")
    return SymmetricEigen(values: w, vectors: vectors ? Matrix(rows: n, columns: n, entries: z, order: .columnMajor) : nil)
}

/// Eigenvalues (ascending) of a real symmetric matrix and the first component ⟨e₁|v_k⟩ of
/// each orthonormal eigenvector, without forming the eigenvectors: dsytrd with UPLO = 'L'
/// gives A = Q T Qᵀ with Q = H(1)⋯H(n−1) and Q e₁ = e₁ (each H(i) leaves entry 1 alone),
/// so ⟨e₁|Q s_k⟩ = ⟨e₁|s_k⟩ for the eigenvectors s_k of the tridiagonal T (dstevr). Costs
/// the reduction (4n³/3) instead of the reduction plus the back-transformation. The sign of
/// each component is LAPACK's (eigenvectors are defined up to sign).
public func symmetricEigenFirstComponents(_ a: Matrix) throws -> (values: [Double], firstComponents: [Double]) {
    pinOpenBLASToOneThread()
    guard a.isSquare else { throw LinalgError.dimensionMismatch("dsytrd needs a square matrix, got \(a.rows)×\(a.columns)") }
    let n = a.rows
    if n == 0 { return ([], []) }
    var work = a.storage
    var d = [Double](repeating: 0, count: n), e = [Double](repeating: 0, count: max(1, n - 1))
    var tau = [Double](repeating: 0, count: max(1, n - 1))
    let info = LAPACKE_dsytrd(LAPACK_COL_MAJOR, ch("L"), Int32(n), &work, Int32(n), &d, &e, &tau)
    try check(info, "dsytrd")
    let t = try tridiagonalEigen(diagonal: d, offDiagonal: Array(e.prefix(n - 1)), vectors: true)
    let s = t.vectors!
    return (t.values, (0..<n).map { s[0, $0] })
}

/// Eigen-decomposition of a complex Hermitian matrix (zheevr; the upper triangle is read).
///
/// Every buffer LAPACK sees, workspaces included, carries `overreadPadding` spare entries:
/// see there for the OpenBLAS 0.3.21 zgemv_n bug this avoids.
public func hermitianEigen(_ a: ComplexMatrix, vectors: Bool = true, window: SpectrumWindow = .all) throws -> HermitianEigen {
    pinOpenBLASToOneThread()
    guard a.isSquare else { throw LinalgError.dimensionMismatch("zheevr needs a square matrix, got \(a.rows)×\(a.columns)") }
    let n = a.rows
    if n == 0 { return HermitianEigen(values: [], vectors: vectors ? ComplexMatrix(rows: 0, columns: 0) : nil) }
    let r = try RangeArgs(window, n: n)
    let pad = overreadPadding(n)
    var work = a.storage + [Complex<Double>](repeating: .zero, count: pad)
    var w = [Double](repeating: 0, count: n + pad)
    var z = [Complex<Double>](repeating: .zero, count: (vectors ? n * r.maxCount : 1) + pad)
    var isuppz = [Int32](repeating: 0, count: 2 * max(1, r.maxCount) + pad)
    var m: Int32 = 0
    func call(_ lwork: Int, _ lrwork: Int, _ liwork: Int, _ cw: inout [Complex<Double>], _ rw: inout [Double], _ iw: inout [Int32]) -> Int32 {
        work.withUnsafeMutableBufferPointer { pa in
            z.withUnsafeMutableBufferPointer { pz in
                cw.withUnsafeMutableBufferPointer { pw in
                    LAPACKE_zheevr_work(LAPACK_COL_MAJOR, vectors ? ch("V") : ch("N"), r.range, ch("U"), Int32(n),
                                        pa.lapack, Int32(n), r.vl, r.vu, r.il, r.iu, 0, &m, &w, pz.lapack, Int32(n), &isuppz,
                                        pw.lapack, Int32(lwork), &rw, Int32(lrwork), &iw, Int32(liwork))
                }
            }
        }
    }
    var cq = [Complex<Double>](repeating: .zero, count: 1), rq = [Double](repeating: 0, count: 1), iq = [Int32](repeating: 0, count: 1)
    try check(call(-1, -1, -1, &cq, &rq, &iq), "zheevr")
    let lwork = Int(cq[0].real), lrwork = Int(rq[0]), liwork = Int(iq[0])
    var cw = [Complex<Double>](repeating: .zero, count: lwork + pad)
    var rw = [Double](repeating: 0, count: lrwork + pad)
    var iw = [Int32](repeating: 0, count: liwork + pad)
    try check(call(lwork, lrwork, liwork, &cw, &rw, &iw), "zheevr")
    let count = Int(m)
    z.removeSubrange((vectors ? n * count : 0)...)   // in place: no second n×n copy
    let vecs: ComplexMatrix? = vectors
        ? ComplexMatrix(rows: n, columns: count, entries: z, order: .columnMajor) : nil
    return HermitianEigen(values: Array(w.prefix(count)), vectors: vecs)
}

/// LAPACK's workspace protocol for a driver with one complex workspace: query the optimal
/// size (lwork = −1), allocate it plus `pad` spare entries, run.
func withQueriedComplexWorkspace(_ routine: String, pad: Int,
                                 _ call: (Int, inout [Complex<Double>]) -> Int32) throws {
    var query = [Complex<Double>](repeating: .zero, count: 1)
    try check(call(-1, &query), routine)
    let lwork = Int(query[0].real)
    var workspace = [Complex<Double>](repeating: .zero, count: lwork + pad)
    try check(call(lwork, &workspace), routine)
}

/// Spare entries appended to every complex buffer handed to LAPACK.
///
/// OpenBLAS 0.3.21 (Debian 12's) has an out-of-bounds read in its Haswell zgemv_n/cgemv_n
/// kernel (OpenBLAS issues #4013 and #5000), reached from zlatrd (zheevr), zlahr2 (zgeev)
/// and zlabrd (zgesdd). The read goes a few hundred bytes past the end of a buffer and
/// crashes only when that buffer ends at an unmapped page: CI saw it as a rare SIGSEGV in
/// zgemv_n_HASWELL ← zgemv_ ← zlatrd_. One column plus 64 entries of slack keeps such
/// reads inside our own allocation; the numbers are unchanged (LAPACK never uses them).
@inline(__always) func overreadPadding(_ n: Int) -> Int { n + 64 }

/// Eigen-decomposition of the real symmetric tridiagonal matrix with diagonal `d` and
/// off-diagonal `e` (dstevr): the tight-binding/free-fermion workhorse, O(n²) for values.
public func tridiagonalEigen(diagonal d: [Double], offDiagonal e: [Double], vectors: Bool = true,
                             window: SpectrumWindow = .all) throws -> SymmetricEigen {
    pinOpenBLASToOneThread()
    let n = d.count
    guard e.count == max(0, n - 1) else {
        throw LinalgError.dimensionMismatch("dstevr: diagonal has \(n) entries, off-diagonal \(e.count) (need \(max(0, n - 1)))")
    }
    if n == 0 { return SymmetricEigen(values: [], vectors: vectors ? Matrix(rows: 0, columns: 0) : nil) }
    let r = try RangeArgs(window, n: n)
    var dd = d
    var ee = e + [0]
    var w = [Double](repeating: 0, count: n)
    var z = [Double](repeating: 0, count: vectors ? n * r.maxCount : 1)
    var isuppz = [Int32](repeating: 0, count: 2 * max(1, r.maxCount))
    var m: Int32 = 0
    let info = LAPACKE_dstevr(LAPACK_COL_MAJOR, vectors ? ch("V") : ch("N"), r.range, Int32(n), &dd, &ee,
                              r.vl, r.vu, r.il, r.iu, 0, &m, &w, &z, Int32(n), &isuppz)
    try check(info, "dstevr")
    let count = Int(m)
    if vectors { z.removeSubrange((n * count)...) }   // in place: no second n×n copy
    let vecs: Matrix? = vectors ? Matrix(rows: n, columns: count, entries: z, order: .columnMajor) : nil
    return SymmetricEigen(values: Array(w.prefix(count)), vectors: vecs)
}

/// Eigenvalues and eigenvectors of a general complex matrix (zgeev).
public struct GeneralEigen: Sendable {
    /// Eigenvalues in LAPACK's order (not sorted).
    public let values: [Complex<Double>]
    /// Right eigenvectors A v = λ v as columns, each of unit 2-norm (nil if not requested).
    public let right: ComplexMatrix?
    /// Left eigenvectors u† A = λ u† as columns, each of unit 2-norm (nil if not requested).
    public let left: ComplexMatrix?
}

/// Eigen-decomposition of a general complex square matrix (zgeev), e.g. a Liouvillian.
/// Buffers carry `overreadPadding` spare entries (OpenBLAS 0.3.21 zgemv_n bug).
public func generalEigen(_ a: ComplexMatrix, right: Bool = true, left: Bool = false) throws -> GeneralEigen {
    pinOpenBLASToOneThread()
    guard a.isSquare else { throw LinalgError.dimensionMismatch("zgeev needs a square matrix, got \(a.rows)×\(a.columns)") }
    let n = a.rows
    if n == 0 { return GeneralEigen(values: [], right: nil, left: nil) }
    let pad = overreadPadding(n)
    var work = a.storage + [Complex<Double>](repeating: .zero, count: pad)
    var w = [Complex<Double>](repeating: .zero, count: n + pad)
    var vl = [Complex<Double>](repeating: .zero, count: (left ? n * n : 1) + pad)
    var vr = [Complex<Double>](repeating: .zero, count: (right ? n * n : 1) + pad)
    var rwork = [Double](repeating: 0, count: 2 * n + pad)
    func call(_ lwork: Int, _ cw: inout [Complex<Double>]) -> Int32 {
        work.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { pw in
                vl.withUnsafeMutableBufferPointer { pl in
                    vr.withUnsafeMutableBufferPointer { pr in
                        cw.withUnsafeMutableBufferPointer { pc in
                            LAPACKE_zgeev_work(LAPACK_COL_MAJOR, left ? ch("V") : ch("N"), right ? ch("V") : ch("N"), Int32(n),
                                               pa.lapack, Int32(n), pw.lapack, pl.lapack, Int32(left ? n : 1),
                                               pr.lapack, Int32(right ? n : 1), pc.lapack, Int32(lwork), &rwork)
                        }
                    }
                }
            }
        }
    }
    try withQueriedComplexWorkspace("zgeev", pad: pad, call)
    w.removeSubrange(n...)
    vl.removeSubrange((left ? n * n : 0)...)
    vr.removeSubrange((right ? n * n : 0)...)
    return GeneralEigen(values: w,
                        right: right ? ComplexMatrix(rows: n, columns: n, entries: vr, order: .columnMajor) : nil,
                        left: left ? ComplexMatrix(rows: n, columns: n, entries: vl, order: .columnMajor) : nil)
}

extension UnsafeMutableBufferPointer where Element == Complex<Double> {
    /// The buffer as LAPACKE's `lapack_complex_double*` (identical layout: two Doubles).
    var lapack: UnsafeMutablePointer<pv_complex_double>? {
        guard let b = baseAddress else { return nil }
        return UnsafeMutableRawPointer(b).assumingMemoryBound(to: pv_complex_double.self)
    }
}

// MARK: - Index windows chosen after seeing the spectrum (one tridiagonalization)

/// Where in the spectrum an index window is centred (`symmetricEigen(_:nearest:to:)`).
public enum SpectralTarget: Sendable, Equatable {
    /// A fixed energy.
    case energy(Double)
    /// The centre of the spectrum, (E_min + E_max)/2.
    case centre
    /// E_min + f·(E_max − E_min): 0 is the ground state, ½ the centre, 1 the top.
    case fraction(Double)

    /// The target energy for an ascending spectrum.
    public func energy(in sortedValues: [Double]) -> Double {
        guard let lo = sortedValues.first, let hi = sortedValues.last else { return .nan }
        switch self {
        case let .energy(e): return e
        case .centre: return 0.5 * (lo + hi)
        case let .fraction(f): return lo + f * (hi - lo)
        }
    }
}

extension SpectrumWindow {
    /// The index window of the `count` values of an ascending spectrum nearest `target`
    /// (grown one index at a time from the nearest value towards the closer neighbour; on a
    /// tie the lower index wins), clipped to the spectrum.
    public static func nearest(count: Int, to target: Double, in sortedValues: [Double]) -> ClosedRange<Int> {
        let n = sortedValues.count
        precondition(n > 0, "empty spectrum")
        let k = min(max(count, 1), n)
        // first index with value ≥ target
        var lo = 0, hi = n
        while lo < hi { let m = (lo + hi) / 2; if sortedValues[m] < target { lo = m + 1 } else { hi = m } }
        var a = lo, b = lo          // window [a, b)
        while b - a < k {
            if a == 0 { b += 1 } else if b == n { a -= 1 }
            else if target - sortedValues[a - 1] <= sortedValues[b] - target { a -= 1 } else { b += 1 }
        }
        return a...(b - 1)
    }
}

/// How the eigenvectors of the tridiagonal matrix are computed in a window.
public enum TridiagonalVectorMethod: Sendable {
    /// Multiple relatively robust representations (dstemr, RANGE='I'): O(n·k).
    case mrrr
    /// Bisection (dstebz) and inverse iteration (dstein), what dsyevr does for index windows.
    case inverseIteration
}

/// All eigenvalues of a symmetric/Hermitian matrix and the eigenpairs of one index window.
public struct SymmetricEigenWindow: Sendable {
    /// All n eigenvalues, ascending (dsterf on the tridiagonal form: the values dsyevr's
    /// values-only path returns).
    public let allValues: [Double]
    /// The window's 0-based ascending indices.
    public let window: ClosedRange<Int>
    /// The window's eigenvalues as computed with its vectors (dstemr or dstebz; they agree with
    /// `allValues[window]` to rounding).
    public let values: [Double]
    /// n × window.count, column k belongs to `values[k]`.
    public let vectors: Matrix
}

/// The complex counterpart of `SymmetricEigenWindow`.
public struct HermitianEigenWindow: Sendable {
    public let allValues: [Double]
    public let window: ClosedRange<Int>
    public let values: [Double]
    public let vectors: ComplexMatrix
}

/// Eigenvalues of a real symmetric matrix and the eigenvectors of one index window picked from
/// them, with one tridiagonalization: A = Q T Qᵀ (dsytrd, upper triangle read), all eigenvalues
/// of T (dsterf, O(n²)), the window's eigenvectors of T (dstemr or dstebz + dstein, O(n·k)), and
/// Q applied to them (dormtr, O(n²·k)). Cost: one dsytrd (4n³/3) plus O(n²k), against
/// dsytrd + O(n³) back-transformation for all pairs (dsyevr, RANGE='A').
///
/// - Parameter select: the index window, given all eigenvalues (ascending).
public func symmetricEigen(_ a: Matrix, vectorsFor select: ([Double]) throws -> ClosedRange<Int>,
                           method: TridiagonalVectorMethod = .mrrr) throws -> SymmetricEigenWindow {
    pinOpenBLASToOneThread()
    guard a.isSquare else { throw LinalgError.dimensionMismatch("dsytrd needs a square matrix, got \(a.rows)×\(a.columns)") }
    let n = a.rows
    guard n > 0 else { throw LinalgError.invalidRange("empty matrix has no eigenpairs") }
    var q = a.storage
    var d = [Double](repeating: 0, count: n), e = [Double](repeating: 0, count: n)
    var tau = [Double](repeating: 0, count: n)
    try check(LAPACKE_dsytrd(LAPACK_COL_MAJOR, ch("U"), Int32(n), &q, Int32(n), &d, &e, &tau), "dsytrd")
    var all = d, ee = e
    try check(LAPACKE_dsterf(Int32(n), &all, &ee), "dsterf")
    let window = try select(all)
    guard window.lowerBound >= 0, window.upperBound < n else {
        throw LinalgError.invalidRange("indices \(window) outside 0...\(n - 1)")
    }
    let k = window.count
    var (w, z) = try tridiagonalWindowVectors(d: d, e: e, window: window, method: method)
    try check(LAPACKE_dormtr(LAPACK_COL_MAJOR, ch("L"), ch("U"), ch("N"), Int32(n), Int32(k), &q, Int32(n), &tau,
                             &z, Int32(n)), "dormtr")
    w.removeSubrange(k...)
    return SymmetricEigenWindow(allValues: all, window: window, values: w,
                                vectors: Matrix(rows: n, columns: k, entries: z, order: .columnMajor))
}

/// The `count` eigenpairs of a real symmetric matrix nearest `target` (plus all eigenvalues),
/// with one tridiagonalization: see `symmetricEigen(_:vectorsFor:method:)`.
public func symmetricEigen(_ a: Matrix, nearest count: Int, to target: SpectralTarget,
                           method: TridiagonalVectorMethod = .mrrr) throws -> SymmetricEigenWindow {
    try symmetricEigen(a, vectorsFor: { SpectrumWindow.nearest(count: count, to: target.energy(in: $0), in: $0) },
                       method: method)
}

/// Eigenvalues (ascending, length n ≥ k) and the n × k eigenvectors (column-major, n·k
/// entries) of the symmetric tridiagonal (d, e) for the 0-based index window.
func tridiagonalWindowVectors(d: [Double], e: [Double], window: ClosedRange<Int>,
                              method: TridiagonalVectorMethod) throws -> (values: [Double], vectors: [Double]) {
    let n = d.count, k = window.count
    let il = Int32(window.lowerBound + 1), iu = Int32(window.upperBound + 1)
    var w = [Double](repeating: 0, count: n)
    var z = [Double](repeating: 0, count: n * k)
    var m: Int32 = 0
    switch method {
    case .mrrr:
        var dd = d, ee = e                       // e has n entries; dstemr uses e[n−1] as workspace
        var isuppz = [Int32](repeating: 0, count: 2 * k)
        var tryrac: Int32 = 1
        try check(LAPACKE_dstemr(LAPACK_COL_MAJOR, ch("V"), ch("I"), Int32(n), &dd, &ee, 0, 0, il, iu, &m, &w, &z,
                                 Int32(n), Int32(k), &isuppz, &tryrac), "dstemr")
    case .inverseIteration:
        var nsplit: Int32 = 0
        var iblock = [Int32](repeating: 0, count: n), isplit = [Int32](repeating: 0, count: n)
        try check(LAPACKE_dstebz(ch("I"), ch("B"), Int32(n), 0, 0, il, iu, 0, d, e, &m, &nsplit, &w, &iblock, &isplit),
                  "dstebz")
        guard Int(m) == k else { throw LinalgError.invalidRange("dstebz returned \(m) eigenvalues for a window of \(k)") }
        var ifail = [Int32](repeating: 0, count: k)
        try check(LAPACKE_dstein(LAPACK_COL_MAJOR, Int32(n), d, e, m, w, iblock, isplit, &z, Int32(n), &ifail), "dstein")
        // ORDER='B' lists the values block by block: sort the pairs (as dsyevr does).
        let order = (0..<k).sorted { (w[$0], $0) < (w[$1], $0) }
        if order != Array(0..<k) {
            let w0 = w, z0 = z
            for (c, o) in order.enumerated() {
                w[c] = w0[o]
                for i in 0..<n { z[i + c * n] = z0[i + o * n] }
            }
        }
    }
    guard Int(m) == k else { throw LinalgError.invalidRange("tridiagonal solver returned \(m) eigenpairs for a window of \(k)") }
    return (w, z)
}

/// The complex Hermitian counterpart of `symmetricEigen(_:vectorsFor:method:)`: zhetrd (upper
/// triangle), dsterf on the real tridiagonal form, its window eigenvectors (real), and zunmtr.
/// Every complex buffer carries `overreadPadding` spare entries (OpenBLAS 0.3.21 zgemv_n bug).
public func hermitianEigen(_ a: ComplexMatrix, vectorsFor select: ([Double]) throws -> ClosedRange<Int>,
                           method: TridiagonalVectorMethod = .mrrr) throws -> HermitianEigenWindow {
    pinOpenBLASToOneThread()
    guard a.isSquare else { throw LinalgError.dimensionMismatch("zhetrd needs a square matrix, got \(a.rows)×\(a.columns)") }
    let n = a.rows
    guard n > 0 else { throw LinalgError.invalidRange("empty matrix has no eigenpairs") }
    let pad = overreadPadding(n)
    var q = a.storage + [Complex<Double>](repeating: .zero, count: pad)
    var d = [Double](repeating: 0, count: n), e = [Double](repeating: 0, count: n)
    var tau = [Complex<Double>](repeating: .zero, count: n + pad)
    try q.withUnsafeMutableBufferPointer { pq in
        try tau.withUnsafeMutableBufferPointer { pt in
            try withQueriedComplexWorkspace("zhetrd", pad: pad) { lwork, work in
                work.withUnsafeMutableBufferPointer { pw in
                    LAPACKE_zhetrd_work(LAPACK_COL_MAJOR, ch("U"), Int32(n), pq.lapack, Int32(n), &d, &e, pt.lapack,
                                        pw.lapack, Int32(lwork))
                }
            }
        }
    }
    var all = d, ee = e
    try check(LAPACKE_dsterf(Int32(n), &all, &ee), "dsterf")
    let window = try select(all)
    guard window.lowerBound >= 0, window.upperBound < n else {
        throw LinalgError.invalidRange("indices \(window) outside 0...\(n - 1)")
    }
    let k = window.count
    var (w, zr) = try tridiagonalWindowVectors(d: d, e: e, window: window, method: method)
    var z = zr.map { Complex($0, 0) } + [Complex<Double>](repeating: .zero, count: pad)
    zr = []
    try q.withUnsafeMutableBufferPointer { pq in
        try tau.withUnsafeMutableBufferPointer { pt in
            try z.withUnsafeMutableBufferPointer { pz in
                try withQueriedComplexWorkspace("zunmtr", pad: pad) { lwork, work in
                    work.withUnsafeMutableBufferPointer { pw in
                        LAPACKE_zunmtr_work(LAPACK_COL_MAJOR, ch("L"), ch("U"), ch("N"), Int32(n), Int32(k), pq.lapack,
                                            Int32(n), pt.lapack, pz.lapack, Int32(n), pw.lapack, Int32(lwork))
                    }
                }
            }
        }
    }
    z.removeSubrange((n * k)...)
    w.removeSubrange(k...)
    return HermitianEigenWindow(allValues: all, window: window, values: w,
                                vectors: ComplexMatrix(rows: n, columns: k, entries: z, order: .columnMajor))
}

/// The `count` eigenpairs of a complex Hermitian matrix nearest `target`, plus all eigenvalues.
public func hermitianEigen(_ a: ComplexMatrix, nearest count: Int, to target: SpectralTarget,
                           method: TridiagonalVectorMethod = .mrrr) throws -> HermitianEigenWindow {
    try hermitianEigen(a, vectorsFor: { SpectrumWindow.nearest(count: count, to: target.energy(in: $0), in: $0) },
                       method: method)
}
