import Foundation
import Kernels
import Linalg
import Numerics
import Testing

/// Timing and memory of the sparse solvers at the target sizes of issue 15. Not part of the
/// test suite: runs only with PV_SPARSE_BENCH set to one case, one case per process (so that
/// the peak RSS, /proc/self/status VmHWM, belongs to that case):
///
///     PV_SPARSE_BENCH=bubble16 swift test --filter SparseMeasurements
///
/// Cases: xxz14, xxz16, xxz18 (random-field XXZ, S^z = 0, W = 3, open), bubble12, bubble14,
/// bubble16 (the same chain ⊗ a 4-state GOE bubble coupled to sites 0 and L − 1,
/// ergodic-inclusion Eqs. (1)–(4), β = 0.6, g = 1): 50 pairs nearest the spectral centre;
/// dense-<case> (block Lanczos, then dense dsyevr on the same index window, max |Δλ|);
/// estimate-<case> (symbolic analysis only); liouville3, liouville4, liouville5 (open-sync
/// spin-1 chain, Eq. (6), plus decay √κ S⁻, pump √(κ/2) S⁺, κ = 0.1, and a DM hopping 0.3:
/// one steady state; PV_SPARSE_DRIVE = h adds h·S_0^x, which breaks the weak U(1) symmetry):
/// sparse steady state and 6 slow modes; dense-liouville3, dense-liouville4 (dense zgesv
/// steady state, then the sparse default, max |Δρ|). PV_SPARSE_RHO=path
/// writes ρ for the comparison with QuTiP.
@Suite("Sparse solver measurements (PV_SPARSE_BENCH)", .enabled(if: ProcessInfo.processInfo.environment["PV_SPARSE_BENCH"] != nil))
struct SparseMeasurements {
    static var peakRSS: String {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        return status.split(separator: "\n").first { $0.hasPrefix("VmHWM") }.map { String($0) } ?? "VmHWM ?"
    }

    /// The ergodic-inclusion Hamiltonian, Eq. (1): H_XXZ ⊗ 1 + 1 ⊗ R₀ + g[S₀^z S_{L−1}^z ⊗ R₁ +
    /// (S₀⁺ S_{L−1}⁻ ⊗ R₂ + h.c.)], chain in S^z = 0, bubble index fastest (row = chain·n_b + a).
    /// `bubble` = 0: the bare chain.
    static func bubbleChain(sites l: Int, bubble nb: Int, width w: Double, seed: UInt64) -> CSRMatrix<Double> {
        var rng = RandomStream(seed: seed, label: "bubble-chain")
        let h = (0..<l).map { _ in rng.uniform(-w, w) }
        let b = max(nb, 1), beta = 0.6, g = 1.0
        let r: [[Double]] = (0..<3).map { _ in
            let a = (0..<(b * b)).map { _ in rng.normal() }
            return (0..<(b * b)).map { k in beta / 2 * (a[k] + a[(k % b) * b + k / b]) }
        }
        let states = SparseTestMatrices.xxzStates(sites: l, magnetization: 0)
        var index = [Int: Int]()
        for (k, s) in states.enumerated() { index[s] = k }
        var t: [(row: Int, column: Int, value: Double)] = []
        for (k, s) in states.enumerated() {
            var diag = 0.0
            for i in 0..<l {
                let zi = (s >> i) & 1 == 1 ? 0.5 : -0.5
                diag += h[i] * zi
                guard i + 1 < l else { continue }
                let zj = (s >> (i + 1)) & 1 == 1 ? 0.5 : -0.5
                diag += zi * zj
                if zi != zj { let q = index[s ^ (3 << i)]!; for a in 0..<b { t.append((k * b + a, q * b + a, 0.5)) } }
            }
            for a in 0..<b { t.append((k * b + a, k * b + a, diag)) }
            guard nb > 0 else { continue }
            let z0 = s & 1 == 1 ? 0.5 : -0.5, zl = (s >> (l - 1)) & 1 == 1 ? 0.5 : -0.5
            for a in 0..<b { for c in 0..<b { t.append((k * b + a, k * b + c, r[0][a * b + c] + g * z0 * zl * r[1][a * b + c])) } }
            if z0 != zl {            // S₀⁺S_{L−1}⁻ ⊗ R₂ + h.c.: flips both end spins (R₂ symmetric)
                let q = index[s ^ 1 ^ (1 << (l - 1))]!
                for a in 0..<b { for c in 0..<b { t.append((k * b + a, q * b + c, g * r[2][a * b + c])) } }
            }
        }
        return CSRMatrix(rows: states.count * b, columns: states.count * b, triplets: t)
    }

    /// CPU seconds of the calling thread (CLOCK_THREAD_CPUTIME_ID): robust against the other
    /// processes on a shared machine. Everything timed runs on this thread (OpenBLAS pinned to
    /// one thread, sequential MUMPS without OpenMP, ARPACK and block Lanczos serial).
    static var cpu: Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + 1e-9 * Double(t.tv_nsec)
    }

    static func load() -> String { ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ") }

    @Test func measure() throws {
        let which = ProcessInfo.processInfo.environment["PV_SPARSE_BENCH"]!
        let clock = ContinuousClock()
        func seconds(_ d: Duration) -> String { String(format: "%.2f s", Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18) }
        let sizes: [String: (Int, Int)] = ["xxz16": (16, 0), "xxz18": (18, 0), "bubble14": (14, 4), "bubble16": (16, 4),
                                           "dense-xxz16": (16, 0), "dense-bubble14": (14, 4), "xxz14": (14, 0), "bubble12": (12, 4),
                                           "dense-xxz14": (14, 0), "dense-bubble12": (12, 4)]
        if which.hasPrefix("estimate-") {
            // Symbolic analysis only: where fill-in makes the factorization infeasible.
            let name = String(which.dropFirst("estimate-".count))
            let l = Int(name.filter(\.isNumber))!, nb = name.hasPrefix("bubble") ? 4 : 0
            let t = clock.now
            let h = Self.bubbleChain(sites: l, bubble: nb, width: 3, seed: 2024)
            print("\(which): n = \(h.rows), nnz = \(h.nonzeroCount), build \(seconds(clock.now - t))")
            for ordering in [SparseOrdering.scotch, .pord] {
                let e = try estimateSymmetricFactorization(h, shift: 0, options: .init(ordering: ordering))
                print("\(which): \(e), \(Self.peakRSS)")
            }
            return
        }
        if let (l, nb) = sizes[which] {
            var t = clock.now
            let h = Self.bubbleChain(sites: l, bubble: nb, width: 3, seed: 2024)
            print("\(which): n = \(h.rows), nnz = \(h.nonzeroCount), build \(seconds(clock.now - t)), \(Self.peakRSS)")
            if which.hasPrefix("dense-") {
                // Sparse first (its memory is small next to the dense matrix), then dense dsyevr
                // on the same index window, and the largest eigenvalue difference.
                t = clock.now
                var c0 = Self.cpu
                let bounds = try sparseSymmetricSpectralBounds(h)
                let sigma = 0.5 * (bounds.lowest + bounds.highest)
                let r = try sparseSymmetricEigen(h, count: 50, near: sigma)
                print("\(which): load \(Self.load()), thread CPU \(String(format: "%.2f", Self.cpu - c0)) s (bounds + factor + 50 pairs, block Lanczos), wall \(seconds(clock.now - t)), max residual \(r.maxResidual), \(Self.peakRSS)")
                t = clock.now
                c0 = Self.cpu
                let d = h.dense
                let e = try symmetricEigen(d, vectors: true, window: .indices(r.firstIndex!...(r.firstIndex! + 49)))
                print("\(which): load \(Self.load()), thread CPU \(String(format: "%.2f", Self.cpu - c0)) s, dense dsyevr, same 50 pairs: wall \(seconds(clock.now - t)), max |Δλ| sparse − dense \(zip(e.values, r.values).map { abs($0 - $1) }.max()!), \(Self.peakRSS)")
                return
            }
            t = clock.now
            let bounds = try sparseSymmetricSpectralBounds(h)
            let sigma = 0.5 * (bounds.lowest + bounds.highest)
            print("\(which): spectral bounds [\(bounds.lowest), \(bounds.highest)] in \(seconds(clock.now - t)), σ = \(sigma)")
            let ncvs = (ProcessInfo.processInfo.environment["PV_SPARSE_NCV"] ?? "").split(separator: ",").compactMap { Int($0) }
            // PV_SPARSE_METHOD: comma list of "arpack" and "block<p>" (default arpack).
            let methods: [KrylovMethod] = (ProcessInfo.processInfo.environment["PV_SPARSE_METHOD"] ?? "arpack").split(separator: ",").map {
                $0.hasPrefix("block") ? .blockLanczos(blockSize: Int($0.dropFirst(5))!) : .arpack
            }
            var reference: [Double]? = nil
            for method in methods {
            for ncv in ncvs.isEmpty ? [nil] : ncvs.map(Optional.some) {
                t = clock.now
                let c0 = Self.cpu
                let r = try sparseSymmetricEigen(h, count: 50, near: sigma, options: .init(lanczosVectors: ncv, method: method))
                print("\(which): \(method), load \(Self.load()), CPU \(String(format: "%.1f", Self.cpu - c0)) s, ncv \(ncv.map(String.init) ?? "default"): factor+50 pairs \(seconds(clock.now - t)) (factor \(String(format: "%.2f", r.factorization.analysisSeconds + r.factorization.factorizationSeconds)) s, Krylov \(String(format: "%.2f", r.krylovSeconds)) s, \(r.iterations) restarts, \(r.operatorApplications) solves), max residual \(r.maxResidual), indices \(r.firstIndex!)…\(r.firstIndex! + 49)")
                print("\(which): \(r.factorization)")
                if let ref = reference {
                    print("\(which): max |Δλ| against the first method: \(zip(ref, r.values).map { abs($0 - $1) }.max()!)")
                } else { reference = r.values }
                print("\(which): \(Self.peakRSS)")
            }
            }
            return
        }
        if which == "dense-liouville3" || which == "dense-liouville4" {
            // Dense zgesv (Liouvillian.steadyState, the path the claims used) against the sparse
            // default (PORD, ΔM = 0 component) on the same chain.
            let n = which == "dense-liouville3" ? 3 : 4
            let drive = Double(ProcessInfo.processInfo.environment["PV_SPARSE_DRIVE"] ?? "0") ?? 0
            let (h, jumps) = SparseLiouvillianTests.chain(sites: n, kappa: 0.1, dm: 0.3, drive: drive)
            var t = clock.now
            var c0 = Self.cpu
            let dense = try Liouvillian(hamiltonian: h, jumps: jumps).steadyState()
            print("\(which): load \(Self.load()), thread CPU \(String(format: "%.2f", Self.cpu - c0)) s, dense build + zgesv steady state: wall \(seconds(clock.now - t)), \(Self.peakRSS)")
            t = clock.now
            c0 = Self.cpu
            let ss = try SparseLiouvillian(hamiltonian: h, jumps: jumps).steadyState()
            print("\(which): load \(Self.load()), thread CPU \(String(format: "%.3f", Self.cpu - c0)) s, sparse build + steady state (\(ss.solvedDimension) unknowns): wall \(seconds(clock.now - t)), max |Δρ| sparse − dense \((ss.rho - dense).maxAbs)")
            return
        }
        if which == "liouville3" || which == "liouville4" || which == "liouville5" {
            let n = Int(which.last!.wholeNumberValue!)
            var t = clock.now
            let drive = Double(ProcessInfo.processInfo.environment["PV_SPARSE_DRIVE"] ?? "0") ?? 0
            let (h, jumps) = SparseLiouvillianTests.chain(sites: n, kappa: 0.1, dm: 0.3, drive: drive)
            print("\(which): operators \(seconds(clock.now - t))")
            t = clock.now
            let l = SparseLiouvillian(hamiltonian: h, jumps: jumps)
            print("\(which): CSR Liouvillian n = \(l.matrix.rows), nnz = \(l.matrix.nonzeroCount), build \(seconds(clock.now - t)), \(Self.peakRSS)")
            // PV_SPARSE_QUICK: only the default (PORD on the ΔM = 0 component), no modes.
            let quick = ProcessInfo.processInfo.environment["PV_SPARSE_QUICK"] != nil
            for (ordering, reduce) in quick ? [(SparseOrdering.pord, true)] : [(SparseOrdering.pord, true), (.amd, true), (.pord, false), (.scotch, false), (.amd, false)] {
                t = clock.now
                let c0 = Self.cpu
                let ss = try l.steadyState(options: .init(ordering: ordering), reduceToComponent: reduce)
                print("\(which): load \(Self.load()), CPU \(String(format: "%.2f", Self.cpu - c0)) s, steady state (\(ordering), \(ss.solvedDimension) unknowns) \(seconds(clock.now - t)): residual \(ss.residual), |Tr−1| \(ss.traceError), ρ00 \(ss.rho[0, 0]), \(ss.factorization)")
                if ordering == .pord && reduce, let path = ProcessInfo.processInfo.environment["PV_SPARSE_RHO"] {
                    let data = ss.rho.storage.flatMap { [$0.real, $0.imaginary] }.withUnsafeBufferPointer { Data(buffer: $0) }
                    try data.write(to: URL(fileURLWithPath: path))
                }
            }
            print("\(which): \(Self.peakRSS)")
            if quick { return }
            t = clock.now
            let c1 = Self.cpu
            let m = try l.modes(count: 6)
            print("\(which): CPU \(String(format: "%.2f", Self.cpu - c1)) s, 6 modes nearest \(m.shift): \(seconds(clock.now - t)) (\(m.iterations) restarts, \(m.operatorApplications) solves), max residual \(m.maxResidual)")
            print("\(which): λ = \(m.values.map { String(format: "%.6f%+.6fi", $0.real, $0.imaginary) })")
            print("\(which): \(Self.peakRSS)")
        }
    }
}
