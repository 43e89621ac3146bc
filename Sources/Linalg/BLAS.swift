import CLapack
import Numerics

/// Transposition flag for `gemm`/`gemv`.
public enum Transpose: Sendable {
    case none, transpose, adjoint

    var cblas: CBLAS_TRANSPOSE {
        switch self {
        case .none: return CblasNoTrans
        case .transpose: return CblasTrans
        case .adjoint: return CblasConjTrans
        }
    }
}

/// OpenBLAS run-time facts and the (fixed) thread policy.
///
/// Policy (ARCHITECTURE.md, "one level of parallelism at a time"): every claim runs many
/// small diagonalizations across cores (`parallelMap`), so OpenBLAS is pinned to **one
/// thread for the whole process**, once, before the first BLAS/LAPACK call that goes
/// through this module. The count is never changed afterwards: `openblas_set_num_threads`
/// called while another thread is inside a threaded OpenBLAS kernel crashes OpenBLAS 0.3.21
/// (a SIGSEGV in CI when Swift Testing ran a `parallelMap` test next to an eigensolver
/// test), and a fixed count also keeps the floating-point summation order, hence every
/// stored number, independent of `--jobs` and of the machine's core count.
public enum BLAS {
    /// OpenBLAS's configuration string, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64".
    public static var configuration: String {
        guard let c = openblas_get_config() else { return "unknown" }
        return String(cString: c).trimmingCharacters(in: " ")
    }

    /// The environment variable that sets the process's OpenBLAS thread count (default 1).
    /// The claim runner sets it for the child process of a claim that does few large
    /// diagonalizations (`Claim.blasThreads`); it is read once, before the first call.
    public static let threadsVariable = "PAPERVERIFY_BLAS_THREADS"

    /// Number of threads OpenBLAS uses for one call (fixed once any Linalg routine has run).
    public static var threads: Int {
        pinOpenBLASToOneThread()
        return Int(openblas_get_num_threads())
    }
}

/// Pins OpenBLAS's thread count the first time it is called in the process (Swift global
/// initializers run exactly once, thread-safely): one thread, or the count in
/// `PAPERVERIFY_BLAS_THREADS` (1…64) when the claim runner set it for this process. Every
/// Linalg routine that calls OpenBLAS directly calls it on entry.
@inline(__always) func pinOpenBLASToOneThread() { _ = openBLASPinnedThreads }

private let openBLASPinnedThreads: Void = {
    let requested = getenv(BLAS.threadsVariable).flatMap { Int32(String(cString: $0)) } ?? 1
    openblas_set_num_threads(min(max(requested, 1), 64))
}()

extension String {
    fileprivate func trimmingCharacters(in c: Character) -> String {
        var s = Substring(self)
        while s.first == c { s.removeFirst() }
        while s.last == c { s.removeLast() }
        return String(s)
    }
}

func opDims(_ rows: Int, _ cols: Int, _ t: Transpose) -> (Int, Int) { t == .none ? (rows, cols) : (cols, rows) }

/// C ← α·op(A)·op(B) + β·C (dgemm).
public func gemm(_ a: Matrix, _ b: Matrix, transA: Transpose = .none, transB: Transpose = .none,
                 alpha: Double = 1, beta: Double = 0, into c: inout Matrix) throws {
    pinOpenBLASToOneThread()
    let (m, k) = opDims(a.rows, a.columns, transA)
    let (k2, n) = opDims(b.rows, b.columns, transB)
    guard k == k2, c.rows == m, c.columns == n else {
        throw LinalgError.dimensionMismatch("gemm: op(A) is \(m)×\(k), op(B) is \(k2)×\(n), C is \(c.rows)×\(c.columns)")
    }
    if m == 0 || n == 0 { return }
    a.storage.withUnsafeBufferPointer { pa in
        b.storage.withUnsafeBufferPointer { pb in
            c.storage.withUnsafeMutableBufferPointer { pc in
                cblas_dgemm(CblasColMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k), alpha,
                            pa.baseAddress, Int32(max(1, a.rows)), pb.baseAddress, Int32(max(1, b.rows)),
                            beta, pc.baseAddress, Int32(max(1, m)))
            }
        }
    }
}

/// op(A)·op(B) (dgemm).
public func gemm(_ a: Matrix, _ b: Matrix, transA: Transpose = .none, transB: Transpose = .none) throws -> Matrix {
    let (m, _) = opDims(a.rows, a.columns, transA)
    let (_, n) = opDims(b.rows, b.columns, transB)
    var c = Matrix(rows: m, columns: n)
    try gemm(a, b, transA: transA, transB: transB, into: &c)
    return c
}

/// y = α·op(A)·x (dgemv).
public func gemv(_ a: Matrix, _ x: [Double], trans: Transpose = .none, alpha: Double = 1) throws -> [Double] {
    pinOpenBLASToOneThread()
    let (m, n) = opDims(a.rows, a.columns, trans)
    guard x.count == n else { throw LinalgError.dimensionMismatch("gemv: op(A) is \(m)×\(n), x has \(x.count)") }
    var y = [Double](repeating: 0, count: m)
    if m == 0 { return y }
    a.storage.withUnsafeBufferPointer { pa in
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                cblas_dgemv(CblasColMajor, trans.cblas, Int32(a.rows), Int32(a.columns), alpha,
                            pa.baseAddress, Int32(max(1, a.rows)), px.baseAddress, 1, 0, py.baseAddress, 1)
            }
        }
    }
    return y
}

/// C ← α·op(A)·op(B) + β·C (zgemm).
public func gemm(_ a: ComplexMatrix, _ b: ComplexMatrix, transA: Transpose = .none, transB: Transpose = .none,
                 alpha: Complex<Double> = .one, beta: Complex<Double> = .zero, into c: inout ComplexMatrix) throws {
    pinOpenBLASToOneThread()
    let (m, k) = opDims(a.rows, a.columns, transA)
    let (k2, n) = opDims(b.rows, b.columns, transB)
    guard k == k2, c.rows == m, c.columns == n else {
        throw LinalgError.dimensionMismatch("zgemm: op(A) is \(m)×\(k), op(B) is \(k2)×\(n), C is \(c.rows)×\(c.columns)")
    }
    if m == 0 || n == 0 { return }
    var al = alpha, be = beta
    a.storage.withUnsafeBufferPointer { pa in
        b.storage.withUnsafeBufferPointer { pb in
            c.storage.withUnsafeMutableBufferPointer { pc in
                cblas_zgemm(CblasColMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k), &al,
                            pa.baseAddress, Int32(max(1, a.rows)), pb.baseAddress, Int32(max(1, b.rows)),
                            &be, pc.baseAddress, Int32(max(1, m)))
            }
        }
    }
}

/// op(A)·op(B) (zgemm).
public func gemm(_ a: ComplexMatrix, _ b: ComplexMatrix, transA: Transpose = .none, transB: Transpose = .none) throws -> ComplexMatrix {
    let (m, _) = opDims(a.rows, a.columns, transA)
    let (_, n) = opDims(b.rows, b.columns, transB)
    var c = ComplexMatrix(rows: m, columns: n)
    try gemm(a, b, transA: transA, transB: transB, into: &c)
    return c
}

/// y = α·op(A)·x (zgemv).
public func gemv(_ a: ComplexMatrix, _ x: [Complex<Double>], trans: Transpose = .none,
                 alpha: Complex<Double> = .one) throws -> [Complex<Double>] {
    pinOpenBLASToOneThread()
    let (m, n) = opDims(a.rows, a.columns, trans)
    guard x.count == n else { throw LinalgError.dimensionMismatch("zgemv: op(A) is \(m)×\(n), x has \(x.count)") }
    if m == 0 { return [] }
    // Padded copies: OpenBLAS 0.3.21's zgemv_n reads past the end of its buffers (see
    // `overreadPadding`); the copy costs what the product does.
    let pad = overreadPadding(max(m, n))
    let ap = a.storage + [Complex<Double>](repeating: .zero, count: pad)
    let xp = x + [Complex<Double>](repeating: .zero, count: pad)
    var y = [Complex<Double>](repeating: .zero, count: m + pad)
    var al = alpha, be = Complex<Double>.zero
    ap.withUnsafeBufferPointer { pa in
        xp.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                cblas_zgemv(CblasColMajor, trans.cblas, Int32(a.rows), Int32(a.columns), &al,
                            pa.baseAddress, Int32(max(1, a.rows)), px.baseAddress, 1, &be, py.baseAddress, 1)
            }
        }
    }
    y.removeSubrange(m...)
    return y
}

extension Matrix {
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.columns == b.rows, "matrix product: \(a.rows)×\(a.columns) · \(b.rows)×\(b.columns)")
        return try! gemm(a, b)
    }
}

extension ComplexMatrix {
    public static func * (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.columns == b.rows, "matrix product: \(a.rows)×\(a.columns) · \(b.rows)×\(b.columns)")
        return try! gemm(a, b)
    }
}
