import CLapack
import Numerics

/// Solve A X = B for square A (dgesv, LU with partial pivoting). B is n × nrhs.
public func solve(_ a: Matrix, _ b: Matrix) throws -> Matrix {
    pinOpenBLASToOneThread()
    guard a.isSquare, b.rows == a.rows else {
        throw LinalgError.dimensionMismatch("dgesv: A is \(a.rows)×\(a.columns), B is \(b.rows)×\(b.columns)")
    }
    let n = a.rows
    if n == 0 || b.columns == 0 { return b }
    var lu = a.storage
    var x = b.storage
    var ipiv = [Int32](repeating: 0, count: n)
    let info = LAPACKE_dgesv(LAPACK_COL_MAJOR, Int32(n), Int32(b.columns), &lu, Int32(n), &ipiv, &x, Int32(n))
    try check(info, "dgesv")
    return Matrix(rows: n, columns: b.columns, entries: x, order: .columnMajor)
}

/// Solve A x = b for one right-hand side (dgesv).
public func solve(_ a: Matrix, _ b: [Double]) throws -> [Double] {
    try solve(a, Matrix(rows: b.count, columns: 1, entries: b, order: .columnMajor)).storage
}

/// Solve A X = B for square complex A (zgesv).
public func solve(_ a: ComplexMatrix, _ b: ComplexMatrix) throws -> ComplexMatrix {
    pinOpenBLASToOneThread()
    guard a.isSquare, b.rows == a.rows else {
        throw LinalgError.dimensionMismatch("zgesv: A is \(a.rows)×\(a.columns), B is \(b.rows)×\(b.columns)")
    }
    let n = a.rows
    if n == 0 || b.columns == 0 { return b }
    var lu = a.storage
    var x = b.storage
    var ipiv = [Int32](repeating: 0, count: n)
    let info = lu.withUnsafeMutableBufferPointer { pa in
        x.withUnsafeMutableBufferPointer { px in
            LAPACKE_zgesv(LAPACK_COL_MAJOR, Int32(n), Int32(b.columns), pa.lapack, Int32(n), &ipiv, px.lapack, Int32(n))
        }
    }
    try check(info, "zgesv")
    return ComplexMatrix(rows: n, columns: b.columns, entries: x, order: .columnMajor)
}

/// Solve A x = b for one complex right-hand side (zgesv).
public func solve(_ a: ComplexMatrix, _ b: [Complex<Double>]) throws -> [Complex<Double>] {
    try solve(a, ComplexMatrix(rows: b.count, columns: 1, entries: b, order: .columnMajor)).storage
}

/// Thin singular value decomposition A = U Σ V† with k = min(m, n).
public struct SVD<M: Sendable>: Sendable {
    /// Singular values, descending.
    public let values: [Double]
    /// m × k.
    public let u: M
    /// k × n (V† for complex, Vᵀ for real).
    public let vt: M
}

/// Thin SVD of a real matrix (dgesdd).
public func svd(_ a: Matrix) throws -> SVD<Matrix> {
    pinOpenBLASToOneThread()
    let m = a.rows, n = a.columns, k = min(m, n)
    var work = a.storage
    var s = [Double](repeating: 0, count: max(1, k))
    var u = [Double](repeating: 0, count: max(1, m * k))
    var vt = [Double](repeating: 0, count: max(1, k * n))
    if k == 0 { return SVD(values: [], u: Matrix(rows: m, columns: 0), vt: Matrix(rows: 0, columns: n)) }
    let info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, ch("S"), Int32(m), Int32(n), &work, Int32(m), &s,
                              &u, Int32(m), &vt, Int32(k))
    try check(info, "dgesdd")
    return SVD(values: Array(s.prefix(k)), u: Matrix(rows: m, columns: k, entries: u, order: .columnMajor),
               vt: Matrix(rows: k, columns: n, entries: vt, order: .columnMajor))
}

/// Thin SVD of a complex matrix (zgesdd). Buffers carry `overreadPadding` spare entries
/// (OpenBLAS 0.3.21 zgemv_n bug, reached from zlabrd).
public func svd(_ a: ComplexMatrix) throws -> SVD<ComplexMatrix> {
    pinOpenBLASToOneThread()
    let m = a.rows, n = a.columns, k = min(m, n)
    if k == 0 { return SVD(values: [], u: ComplexMatrix(rows: m, columns: 0), vt: ComplexMatrix(rows: 0, columns: n)) }
    let pad = overreadPadding(max(m, n))
    var work = a.storage + [Complex<Double>](repeating: .zero, count: pad)
    var s = [Double](repeating: 0, count: k + pad)
    var u = [Complex<Double>](repeating: .zero, count: m * k + pad)
    var vt = [Complex<Double>](repeating: .zero, count: k * n + pad)
    // LAPACK's documented sizes for JOBZ = 'S'.
    var rwork = [Double](repeating: 0, count: max(1, k * max(5 * k + 7, 2 * max(m, n) + 2 * k + 1)) + pad)
    var iwork = [Int32](repeating: 0, count: 8 * k + pad)
    func call(_ lwork: Int, _ cw: inout [Complex<Double>]) -> Int32 {
        work.withUnsafeMutableBufferPointer { pa in
            u.withUnsafeMutableBufferPointer { pu in
                vt.withUnsafeMutableBufferPointer { pv in
                    cw.withUnsafeMutableBufferPointer { pc in
                        LAPACKE_zgesdd_work(LAPACK_COL_MAJOR, ch("S"), Int32(m), Int32(n), pa.lapack, Int32(m), &s,
                                            pu.lapack, Int32(m), pv.lapack, Int32(k), pc.lapack, Int32(lwork), &rwork, &iwork)
                    }
                }
            }
        }
    }
    try withQueriedComplexWorkspace("zgesdd", pad: pad, call)
    s.removeSubrange(k...); u.removeSubrange((m * k)...); vt.removeSubrange((k * n)...)
    return SVD(values: s, u: ComplexMatrix(rows: m, columns: k, entries: u, order: .columnMajor),
               vt: ComplexMatrix(rows: k, columns: n, entries: vt, order: .columnMajor))
}

/// A null-space basis with the singular values that decided it.
public struct NullSpace<M: Sendable>: Sendable {
    /// n × (n − rank) orthonormal basis of {x : A x ≈ 0}.
    public let basis: M
    /// Numerical rank: singular values > `threshold`.
    public let rank: Int
    /// The absolute cut used: relativeTolerance · σ_max (· max(m, n) if `scaleByDimension`).
    public let threshold: Double
    /// All singular values, descending (to judge how clean the gap at the cut is).
    public let singularValues: [Double]
}

/// Null space of a square complex matrix by full SVD (zgesdd): the right singular vectors
/// whose singular value is ≤ `relativeTolerance` · σ_max. A clean null space shows a gap
/// of many orders of magnitude at the cut; callers should report `singularValues` around it.
public func nullSpace(_ a: ComplexMatrix, relativeTolerance: Double = 1e-10) throws -> NullSpace<ComplexMatrix> {
    guard a.isSquare else { throw LinalgError.dimensionMismatch("nullSpace expects a square matrix") }
    let n = a.rows
    let d = try svd(a)
    let cut = relativeTolerance * (d.values.first ?? 0)
    let rank = d.values.filter { $0 > cut }.count
    var basis = ComplexMatrix(rows: n, columns: n - rank)
    for c in 0..<(n - rank) {
        for i in 0..<n { basis[i, c] = d.vt[rank + c, i].conjugate }
    }
    return NullSpace(basis: basis, rank: rank, threshold: cut, singularValues: d.values)
}

/// Null space of a square real matrix (dgesdd), as `nullSpace(_: ComplexMatrix, ...)`.
public func nullSpace(_ a: Matrix, relativeTolerance: Double = 1e-10) throws -> NullSpace<Matrix> {
    guard a.isSquare else { throw LinalgError.dimensionMismatch("nullSpace expects a square matrix") }
    let n = a.rows
    let d = try svd(a)
    let cut = relativeTolerance * (d.values.first ?? 0)
    let rank = d.values.filter { $0 > cut }.count
    var basis = Matrix(rows: n, columns: n - rank)
    for c in 0..<(n - rank) { for i in 0..<n { basis[i, c] = d.vt[rank + c, i] } }
    return NullSpace(basis: basis, rank: rank, threshold: cut, singularValues: d.values)
}

/// Minimum-norm least-squares solution of A x ≈ b (dgelsd, SVD-based).
public struct LeastSquares: Sendable {
    public let solution: [Double]
    /// Effective rank of A at the given rcond.
    public let rank: Int
    /// Σ (A x − b)², computed from the solution.
    public let residualSumOfSquares: Double
}

/// Minimum-norm solution of min ‖A x − b‖₂ (dgelsd). Singular values below
/// `rcond`·σ_max are treated as zero.
public func leastSquares(_ a: Matrix, _ b: [Double], rcond: Double = -1) throws -> LeastSquares {
    pinOpenBLASToOneThread()
    let m = a.rows, n = a.columns
    guard b.count == m else { throw LinalgError.dimensionMismatch("dgelsd: A is \(m)×\(n), b has \(b.count)") }
    guard m > 0, n > 0 else { throw LinalgError.dimensionMismatch("dgelsd: empty system") }
    var work = a.storage
    let ldb = max(m, n)
    var x = b + [Double](repeating: 0, count: ldb - m)
    var s = [Double](repeating: 0, count: min(m, n))
    var rank: Int32 = 0
    let info = LAPACKE_dgelsd(LAPACK_COL_MAJOR, Int32(m), Int32(n), 1, &work, Int32(m), &x, Int32(ldb), &s, rcond, &rank)
    try check(info, "dgelsd")
    let sol = Array(x.prefix(n))
    let fit = try gemv(a, sol)
    var rss = 0.0
    for i in 0..<m { rss += (fit[i] - b[i]) * (fit[i] - b[i]) }
    return LeastSquares(solution: sol, rank: Int(rank), residualSumOfSquares: rss)
}
