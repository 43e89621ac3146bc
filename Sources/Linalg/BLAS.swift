import CLapack
#if canImport(Glibc)
import Glibc
#endif
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

/// OpenBLAS's kernel family ("core") and the correction of a known mis-detection.
///
/// Debian's OpenBLAS 0.3.21 is a DYNAMIC_ARCH build: it picks its kernels at load time from
/// the CPU model. On CPUs newer than the release (e.g. Emerald Rapids, family 6 model 207)
/// its detection fails and it **falls back to Prescott** kernels (SSE3, no AVX): dense
/// eigensolvers run 2–5× slower than with the AVX-512 kernels the CPU supports
/// (docs/design/blas-kernels.md). The core can only be chosen before the library loads,
/// through `OPENBLAS_CORETYPE`, so `paperverify` re-executes itself once with the variable
/// set (`reexecutingWithMatchingCoreIfNeeded`), and `ci/test` exports the same choice for the
/// test process (`paperverify blas-core`).
///
/// Rule (fixed): only a **Prescott fallback** on a CPU with wider vectors is corrected, and
/// only when the user has not set `OPENBLAS_CORETYPE`. The replacement is the newest family
/// whose instructions the CPU (as the kernel reports them in /proc/cpuinfo, i.e. enabled by
/// the OS) has: Cooperlake (AVX-512 F/CD/BW/DQ/VL + BF16), SkylakeX (AVX-512 F/CD/BW/DQ/VL),
/// Haswell (AVX2 + FMA), Sandybridge (AVX). A CPU that OpenBLAS recognizes keeps its own
/// choice. The core changes floating-point summation order only, never the algorithms:
/// results move at rounding level (≲ 1e-13 relative for most checks; checks built on
/// eigenvectors of nearly degenerate levels move more, up to 1e-5, see
/// docs/design/blas-kernels.md).
public enum OpenBLASCore {
    /// The environment variable OpenBLAS reads at load time.
    public static let variable = "OPENBLAS_CORETYPE"
    /// Set by `paperverify` (with the replaced core's name) when it chose the core itself.
    public static let correctedVariable = "PAPERVERIFY_OPENBLAS_CORE_CORRECTED"

    /// The kernel family the loaded OpenBLAS runs, e.g. "Prescott", "SkylakeX".
    public static var name: String {
        guard let c = openblas_get_corename() else { return "unknown" }
        return String(cString: c)
    }

    /// The core to force instead of `current` for a CPU with the given /proc/cpuinfo flags,
    /// or nil when no correction applies (see the rule above).
    public static func replacement(current: String, cpuFlags: Set<String>) -> String? {
        guard current.lowercased() == "prescott" else { return nil }
        let avx512 = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(cpuFlags.contains)
        if avx512 && cpuFlags.contains("avx512_bf16") { return "Cooperlake" }
        if avx512 { return "SkylakeX" }
        if cpuFlags.contains("avx2") && cpuFlags.contains("fma") { return "Haswell" }
        if cpuFlags.contains("avx") { return "Sandybridge" }
        return nil
    }

    /// The CPU's instruction-set flags from /proc/cpuinfo (first processor); empty when
    /// the file is unreadable (then no correction is made).
    public static func cpuFlags(cpuinfo path: String = "/proc/cpuinfo") -> Set<String> {
        guard let f = fopen(path, "r") else { return [] }
        defer { fclose(f) }
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, f) > 0, let l = line {
            let s = String(cString: l)
            guard s.hasPrefix("flags"), let colon = s.firstIndex(of: ":") else { continue }
            return Set(s[s.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init))
        }
        return []
    }

    /// Re-executes the running program (/proc/self/exe, same arguments, same pid and open
    /// files) with `OPENBLAS_CORETYPE` set when OpenBLAS fell back to Prescott on a CPU with
    /// wider vectors and the user did not choose a core. Call first thing in `main`, before
    /// any output or thread. Returns normally when no correction applies or exec fails
    /// (then the run continues on the detected kernels, as before).
    public static func reexecutingWithMatchingCoreIfNeeded() {
        guard getenv(variable) == nil, getenv(correctedVariable) == nil else { return }
        let current = name
        guard let core = replacement(current: current, cpuFlags: cpuFlags()) else { return }
        setenv(variable, core, 1)
        setenv(correctedVariable, current, 1)
        let args = CommandLine.unsafeArgv
        execv("/proc/self/exe", args)
        // exec failed: undo, continue on the detected kernels.
        unsetenv(variable)
        unsetenv(correctedVariable)
    }

    /// One line for the provenance: the core and how it was chosen.
    public static var provenance: String {
        let core = name
        if let replaced = getenv(correctedVariable).map({ String(cString: $0) }), !replaced.isEmpty {
            return "\(core) (set by paperverify: OpenBLAS detected \(replaced), a fallback for a CPU it does not know)"
        }
        if let user = getenv(variable).map({ String(cString: $0) }), !user.isEmpty {
            return "\(core) (OPENBLAS_CORETYPE=\(user))"
        }
        return "\(core) (detected by OpenBLAS)"
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
