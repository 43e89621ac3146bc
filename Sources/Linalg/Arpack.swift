import CArpack
import Foundation
import Numerics

/// ARPACK keeps its iteration state in Fortran SAVE variables (dsaupd, dsaup2, dsaitr,
/// znaupd, …): it is not reentrant. One reverse-communication loop at a time per process.
/// Lock order: `arpackLock` may be held while taking `mumpsLock`, never the reverse.
let arpackLock = NSLock()

/// The deterministic ARPACK start vector: entries uniform in [−1, 1) from SplitMix64 of
/// (seed, index) — the same bits on every machine and run. A pseudo-random vector (not a
/// constant one) so that it overlaps every symmetry sector of the operator.
func arpackStartEntries(count: Int, seed: UInt64) -> [Double] {
    (0..<count).map { i in
        var z = seed &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) * 0x1p-52 - 1
    }
}

/// What one ARPACK run returned.
struct ArpackRun<Value> {
    var values: [Value]
    /// n × columns, column-major: Ritz vectors, or Schur vectors (`schurBasis`). columns =
    /// IPARAM(5), the converged count (≥ the requested NEV); callers pick the k they want.
    var vectors: [Value]
    var columns: Int
    /// Arnoldi/Lanczos update iterations (IPARAM(3) on exit) and OP·x products (IPARAM(9)).
    var iterations: Int
    var operatorApplications: Int
}

/// A zero-filled buffer of `count` entries plus `overreadPadding` spare ones (OpenBLAS 0.3.21
/// zgemv_n reads past the end of the buffers ARPACK hands it), freed by `free()`.
struct PaddedBuffer<T> {
    let pointer: UnsafeMutablePointer<T>
    init(_ count: Int, zero: T, n: Int) {
        let c = count + overreadPadding(n)
        pointer = .allocate(capacity: c)
        pointer.initialize(repeating: zero, count: c)
    }
    func free() { pointer.deallocate() }
}

/// dsaupd/dseupd: eigenpairs of a real symmetric operator. `mode` 1: OP = A (`apply`
/// computes y = A x); mode 3: OP = (A − σI)⁻¹ (`apply` computes y = (A − σI)⁻¹ x) and the
/// returned values are the eigenvalues λ of A. `which` as ARPACK ("LM", "BE", …).
func arpackSymmetric(n: Int, nev: Int, ncv: Int, which: String, mode: Int32, sigma: Double, tolerance: Double,
                     maxIterations: Int, seed: UInt64,
                     apply: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) throws -> Void) throws -> ArpackRun<Double> {
    pinOpenBLASToOneThread()
    let lworkl = ncv * (ncv + 8)
    let resid = PaddedBuffer<Double>(n, zero: 0, n: n), v = PaddedBuffer<Double>(n * ncv, zero: 0, n: n)
    let workd = PaddedBuffer<Double>(3 * n, zero: 0, n: n), workl = PaddedBuffer<Double>(lworkl, zero: 0, n: n)
    defer { resid.free(); v.free(); workd.free(); workl.free() }
    let start = arpackStartEntries(count: n, seed: seed)
    for i in 0..<n { resid.pointer[i] = start[i] }
    var iparam = [Int32](repeating: 0, count: 11)
    iparam[0] = 1; iparam[2] = Int32(maxIterations); iparam[3] = 1; iparam[6] = mode
    var ipntr = [Int32](repeating: 0, count: 14)
    var ido: Int32 = 0, info: Int32 = 1          // info = 1: RESID holds the start vector

    arpackLock.lock()
    defer { arpackLock.unlock() }
    while true {
        dsaupd_c(&ido, "I", Int32(n), which, Int32(nev), tolerance, resid.pointer, Int32(ncv), v.pointer, Int32(n),
                 &iparam, &ipntr, workd.pointer, workl.pointer, Int32(lworkl), &info)
        if ido == -1 || ido == 1 {
            try apply(workd.pointer + Int(ipntr[0] - 1), workd.pointer + Int(ipntr[1] - 1))
        } else { break }
    }
    if info == 1 { throw SparseSolverError.noConvergence(converged: Int(iparam[4]), requested: nev, iterations: Int(iparam[2])) }
    if info != 0 { throw SparseSolverError.arpack(routine: "dsaupd", info: info) }
    let nconv = Int(iparam[4])
    if nconv < nev { throw SparseSolverError.noConvergence(converged: nconv, requested: nev, iterations: Int(iparam[2])) }
    // dseupd copies IPARAM(5) ≥ NEV values and vectors (dcopy/dlacpy of NCONV entries,
    // whatever its documentation says about D(NEV) and Z(N, NEV)): room for NCV of each.
    var select = [Int32](repeating: 0, count: ncv)
    var d = [Double](repeating: 0, count: ncv)
    let z = PaddedBuffer<Double>(n * ncv, zero: 0, n: n)
    defer { z.free() }
    var einfo: Int32 = 0
    dseupd_c(1, "A", &select, &d, z.pointer, Int32(n), sigma, "I", Int32(n), which, Int32(nev), tolerance, resid.pointer,
             Int32(ncv), v.pointer, Int32(n), &iparam, &ipntr, workd.pointer, workl.pointer, Int32(lworkl), &einfo)
    if einfo != 0 { throw SparseSolverError.arpack(routine: "dseupd", info: einfo) }
    let columns = Int(iparam[4])
    guard columns >= nev, columns <= ncv else { throw SparseSolverError.arpack(routine: "dseupd", info: -15) }
    return ArpackRun(values: Array(d.prefix(columns)), vectors: Array(UnsafeBufferPointer(start: z.pointer, count: n * columns)),
                     columns: columns, iterations: Int(iparam[2]), operatorApplications: Int(iparam[8]))
}

/// znaupd/zneupd: eigenpairs of a complex (general) operator; `mode` as `arpackSymmetric`.
/// `schurBasis`: return the orthonormal Schur basis of the converged invariant subspace
/// (IPARAM(5) columns; values are then the Ritz values) instead of Ritz vectors.
func arpackComplex(n: Int, nev: Int, ncv: Int, which: String, mode: Int32, sigma: Complex<Double>, tolerance: Double,
                   maxIterations: Int, seed: UInt64, schurBasis: Bool,
                   apply: (UnsafeMutablePointer<Complex<Double>>, UnsafeMutablePointer<Complex<Double>>) throws -> Void) throws -> ArpackRun<Complex<Double>> {
    pinOpenBLASToOneThread()
    let lworkl = 3 * ncv * ncv + 5 * ncv
    let zero = Complex<Double>.zero
    let resid = PaddedBuffer(n, zero: zero, n: n), v = PaddedBuffer(n * ncv, zero: zero, n: n)
    let workd = PaddedBuffer(3 * n, zero: zero, n: n), workl = PaddedBuffer(lworkl, zero: zero, n: n)
    let rwork = PaddedBuffer<Double>(ncv, zero: 0, n: n)
    defer { resid.free(); v.free(); workd.free(); workl.free(); rwork.free() }
    let start = arpackStartEntries(count: 2 * n, seed: seed)
    for i in 0..<n { resid.pointer[i] = Complex(start[2 * i], start[2 * i + 1]) }
    var iparam = [Int32](repeating: 0, count: 11)
    iparam[0] = 1; iparam[2] = Int32(maxIterations); iparam[3] = 1; iparam[6] = mode
    var ipntr = [Int32](repeating: 0, count: 14)
    var ido: Int32 = 0, info: Int32 = 1
    func arp(_ p: UnsafeMutablePointer<Complex<Double>>) -> UnsafeMutablePointer<pv_arpack_complex> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: pv_arpack_complex.self)
    }

    arpackLock.lock()
    defer { arpackLock.unlock() }
    while true {
        znaupd_c(&ido, "I", Int32(n), which, Int32(nev), tolerance, arp(resid.pointer), Int32(ncv), arp(v.pointer), Int32(n),
                 &iparam, &ipntr, arp(workd.pointer), arp(workl.pointer), Int32(lworkl), rwork.pointer, &info)
        if ido == -1 || ido == 1 {
            try apply(workd.pointer + Int(ipntr[0] - 1), workd.pointer + Int(ipntr[1] - 1))
        } else { break }
    }
    if info == 1 { throw SparseSolverError.noConvergence(converged: Int(iparam[4]), requested: nev, iterations: Int(iparam[2])) }
    if info != 0 { throw SparseSolverError.arpack(routine: "znaupd", info: info) }
    let nconv = Int(iparam[4])
    if nconv < nev { throw SparseSolverError.noConvergence(converged: nconv, requested: nev, iterations: Int(iparam[2])) }
    // zneupd copies the IPARAM(5) ≥ NEV Schur vectors into Z even for HOWMNY = 'P' (zlacpy
    // after zunm2r), contrary to its documentation: Z and D get room for NCV columns.
    var select = [Int32](repeating: 0, count: ncv)
    let d = PaddedBuffer(ncv + 1, zero: zero, n: n)
    let z = PaddedBuffer(n * ncv, zero: zero, n: n)
    let workev = PaddedBuffer(2 * ncv, zero: zero, n: n)
    defer { d.free(); z.free(); workev.free() }
    var einfo: Int32 = 0
    zneupd_c(1, schurBasis ? "P" : "A", &select, arp(d.pointer), arp(z.pointer), Int32(n), pv_arpack_complex(re: sigma.real, im: sigma.imaginary),
             arp(workev.pointer), "I", Int32(n), which, Int32(nev), tolerance, arp(resid.pointer), Int32(ncv), arp(v.pointer), Int32(n),
             &iparam, &ipntr, arp(workd.pointer), arp(workl.pointer), Int32(lworkl), rwork.pointer, &einfo)
    if einfo != 0 { throw SparseSolverError.arpack(routine: "zneupd", info: einfo) }
    let columns = Int(iparam[4])
    guard columns >= nev, columns <= ncv else { throw SparseSolverError.arpack(routine: "zneupd", info: -15) }
    let source = schurBasis ? v.pointer : z.pointer
    return ArpackRun(values: Array(UnsafeBufferPointer(start: d.pointer, count: columns)),
                     vectors: Array(UnsafeBufferPointer(start: source, count: n * columns)), columns: columns,
                     iterations: Int(iparam[2]), operatorApplications: Int(iparam[8]))
}
