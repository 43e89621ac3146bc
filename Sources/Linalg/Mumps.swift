import CMumps
import Foundation
import Numerics

/// MUMPS keeps state in Fortran module variables (load balancing, buffers), so two
/// instances must never run concurrently: every MUMPS call in the process holds this lock.
/// Sequential interleaving of instances is supported by MUMPS.
let mumpsLock = NSLock()

/// SCOTCH (MUMPS's ICNTL(7) = 3 ordering) is not reproducible as Debian builds it: it runs
/// multi-threaded coarsening (thread timing decides the result) and draws from one
/// process-global random stream that every ordering advances. Measured: three identical
/// factorizations of XXZ L = 12 in one process gave 60 480, 59 459 and 58 812 factor entries.
/// Two fixes, applied before every analysis (under `mumpsLock`): SCOTCH_PTHREAD_NUMBER = 1
/// (SCOTCH 7 reads it when it sets up its threads; set once, before the first ordering) and
/// `SCOTCH_randomReset` (back to the fixed initial seed). With both, the same matrix gets
/// the same ordering in any process (61 612 entries, every time). The function is looked up
/// at run time in the SCOTCH library MUMPS loads (Debian's name is libscotch-7.0.so; no
/// link-time name to depend on); nil if absent, in which case MUMPS cannot order with SCOTCH.
private let scotchRandomReset: (@convention(c) () -> Void)? = {
    setenv("SCOTCH_PTHREAD_NUMBER", "1", 1)
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "SCOTCH_randomReset") else { return nil }   // RTLD_DEFAULT
    return unsafeBitCast(symbol, to: (@convention(c) () -> Void).self)
}()

/// The arithmetic of a MUMPS instance: real (dmumps) or complex (zmumps) double precision.
enum MumpsArithmetic { case real, complex }

/// MUMPS's matrix-type parameter SYM.
enum MumpsSymmetry: Int32 {
    /// General unsymmetric: LU with threshold partial pivoting.
    case general = 0
    /// General symmetric (indefinite): LDLᵀ with 1×1 and 2×2 pivots. Only one triangle is given.
    case symmetric = 2
}

/// One MUMPS instance (analysis, factorization, solves) over a matrix given as 1-based
/// coordinate triplets. Internal: the public types are `SparseSymmetricFactorization` and
/// `SparseLUFactorization`. Not thread-safe by itself; calls are serialized by `mumpsLock`.
final class MumpsInstance {
    private let arithmetic: MumpsArithmetic
    private var d: UnsafeMutablePointer<DMUMPS_STRUC_C>?
    private var z: UnsafeMutablePointer<ZMUMPS_STRUC_C>?
    let n: Int
    let symmetry: MumpsSymmetry
    // Triplets (kept alive from analysis through factorization, then released).
    private var irn: UnsafeMutablePointer<Int32>?
    private var jcn: UnsafeMutablePointer<Int32>?
    private var values: UnsafeMutableRawPointer?
    private let nnz: Int
    /// JOB = −1 succeeded: JOB = −2 must free MUMPS's internal data.
    private var initialized = false

    /// Takes ownership of `irn`, `jcn`, `values` (allocated with `allocate`, nnz entries;
    /// values are Double or Complex<Double> according to `arithmetic`).
    init(arithmetic: MumpsArithmetic, symmetry: MumpsSymmetry, n: Int, nnz: Int,
         irn: UnsafeMutablePointer<Int32>, jcn: UnsafeMutablePointer<Int32>, values: UnsafeMutableRawPointer) throws {
        self.arithmetic = arithmetic
        self.symmetry = symmetry
        self.n = n
        self.nnz = nnz
        self.irn = irn; self.jcn = jcn; self.values = values
        pinOpenBLASToOneThread()
        switch arithmetic {
        case .real:
            let p = UnsafeMutablePointer<DMUMPS_STRUC_C>.allocate(capacity: 1)
            memset(p, 0, MemoryLayout<DMUMPS_STRUC_C>.size)
            p.pointee.par = 1; p.pointee.sym = symmetry.rawValue; p.pointee.comm_fortran = -987654   // USE_COMM_WORLD
            d = p
        case .complex:
            let p = UnsafeMutablePointer<ZMUMPS_STRUC_C>.allocate(capacity: 1)
            memset(p, 0, MemoryLayout<ZMUMPS_STRUC_C>.size)
            p.pointee.par = 1; p.pointee.sym = symmetry.rawValue; p.pointee.comm_fortran = -987654
            z = p
        }
        try run(job: -1, phase: "initialization")
        initialized = true
        // Silence all output streams (errors come back through INFO/INFOG).
        setICNTL(1, -1); setICNTL(2, -1); setICNTL(3, -1); setICNTL(4, 0)
        switch arithmetic {
        case .real:
            d!.pointee.n = Int32(n); d!.pointee.nnz = Int64(nnz)
            d!.pointee.irn = irn; d!.pointee.jcn = jcn
            d!.pointee.a = values.assumingMemoryBound(to: Double.self)
        case .complex:
            z!.pointee.n = Int32(n); z!.pointee.nnz = Int64(nnz)
            z!.pointee.irn = irn; z!.pointee.jcn = jcn
            z!.pointee.a = values.assumingMemoryBound(to: mumps_double_complex.self)
        }
    }

    deinit {
        // JOB = −2 frees MUMPS's internal data; only after a successful initialization.
        mumpsLock.lock()
        if let p = d { if initialized { p.pointee.job = -2; dmumps_c(p) }; p.deallocate() }
        if let p = z { if initialized { p.pointee.job = -2; zmumps_c(p) }; p.deallocate() }
        mumpsLock.unlock()
        releaseTriplets()
    }

    /// Free the input triplets (MUMPS needs them for analysis and factorization only).
    func releaseTriplets() {
        irn?.deallocate(); jcn?.deallocate(); values?.deallocate()
        irn = nil; jcn = nil; values = nil
        if let p = d { p.pointee.irn = nil; p.pointee.jcn = nil; p.pointee.a = nil }
        if let p = z { p.pointee.irn = nil; p.pointee.jcn = nil; p.pointee.a = nil }
    }

    // MARK: control and information arrays (1-based, as in the MUMPS user guide)

    func setICNTL(_ k: Int, _ value: Int32) {
        if let p = d { withUnsafeMutableBytes(of: &p.pointee.icntl) { $0.bindMemory(to: Int32.self)[k - 1] = value } }
        if let p = z { withUnsafeMutableBytes(of: &p.pointee.icntl) { $0.bindMemory(to: Int32.self)[k - 1] = value } }
    }
    func icntl(_ k: Int) -> Int32 {
        if let p = d { return withUnsafeBytes(of: &p.pointee.icntl) { $0.bindMemory(to: Int32.self)[k - 1] } }
        return withUnsafeBytes(of: &z!.pointee.icntl) { $0.bindMemory(to: Int32.self)[k - 1] }
    }
    func setCNTL(_ k: Int, _ value: Double) {
        if let p = d { withUnsafeMutableBytes(of: &p.pointee.cntl) { $0.bindMemory(to: Double.self)[k - 1] = value } }
        if let p = z { withUnsafeMutableBytes(of: &p.pointee.cntl) { $0.bindMemory(to: Double.self)[k - 1] = value } }
    }
    func info(_ k: Int) -> Int32 {
        if let p = d { return withUnsafeBytes(of: &p.pointee.info) { $0.bindMemory(to: Int32.self)[k - 1] } }
        return withUnsafeBytes(of: &z!.pointee.info) { $0.bindMemory(to: Int32.self)[k - 1] }
    }
    func infog(_ k: Int) -> Int32 {
        if let p = d { return withUnsafeBytes(of: &p.pointee.infog) { $0.bindMemory(to: Int32.self)[k - 1] } }
        return withUnsafeBytes(of: &z!.pointee.infog) { $0.bindMemory(to: Int32.self)[k - 1] }
    }
    func rinfog(_ k: Int) -> Double {
        if let p = d { return withUnsafeBytes(of: &p.pointee.rinfog) { $0.bindMemory(to: Double.self)[k - 1] } }
        return withUnsafeBytes(of: &z!.pointee.rinfog) { $0.bindMemory(to: Double.self)[k - 1] }
    }
    /// An INFOG entry that counts in "millions when negative" (e.g. INFOG(20), INFOG(29)).
    func infogCount(_ k: Int) -> Int64 {
        let v = Int64(infog(k))
        return v < 0 ? -v * 1_000_000 : v
    }

    /// Run one MUMPS phase (JOB) under the process-wide lock; INFOG(1) < 0 throws.
    func run(job: Int32, phase: String) throws {
        mumpsLock.lock()
        if job == 1 { scotchRandomReset?() }
        if let p = d { p.pointee.job = job; dmumps_c(p) }
        if let p = z { p.pointee.job = job; zmumps_c(p) }
        mumpsLock.unlock()
        let status = infog(1)
        if status < 0 {
            throw SparseSolverError.mumps(phase: phase, info: status, detail: infog(2))
        }
    }

    /// Solve A X = B in place: `rhs` holds `count` right-hand sides of length n, column-major.
    func solve(_ rhs: UnsafeMutableRawPointer, count: Int) throws {
        if let p = d {
            p.pointee.rhs = rhs.assumingMemoryBound(to: Double.self)
            p.pointee.nrhs = Int32(count); p.pointee.lrhs = Int32(n)
        }
        if let p = z {
            p.pointee.rhs = rhs.assumingMemoryBound(to: mumps_double_complex.self)
            p.pointee.nrhs = Int32(count); p.pointee.lrhs = Int32(n)
        }
        defer {
            if let p = d { p.pointee.rhs = nil }
            if let p = z { p.pointee.rhs = nil }
        }
        try run(job: 3, phase: "solve")
    }
}
