import Foundation
import Kernels
import Linalg
import Testing

/// Timing of the diagonalization paths (not part of the normal test run: set
/// ED_BENCHMARK=2000,3000 to run it; single-threaded OpenBLAS; thread CPU seconds).
@Suite("ED diagonalization timing", .enabled(if: ProcessInfo.processInfo.environment["ED_BENCHMARK"] != nil))
struct EDBenchmark {
    /// CPU time of the calling thread (OpenBLAS runs single-threaded in it), so that the
    /// numbers mean something on a shared machine.
    func time(_ f: () throws -> Void) rethrows -> Double {
        func now() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
        }
        let t0 = now()
        try f()
        return now() - t0
    }

    @Test func timings() throws {
        let sizes = (ProcessInfo.processInfo.environment["ED_BENCHMARK"] ?? "2000").split(separator: ",").compactMap { Int($0) }
        let k = 100
        for n in sizes {
            var rng = RandomStream(seed: 1, label: "bench")
            let a = RandomMatrix.goe(n, &rng)
            var known: ClosedRange<Int> = 0...0
            var values = [Double]()
            let tv = try time { values = try symmetricEigen(a, vectors: false).values }
            known = SpectrumWindow.nearest(count: k, to: SpectralTarget.centre.energy(in: values), in: values)
            let tall = try time { _ = try symmetricEigen(a, vectors: true) }
            let tw = try time { _ = try symmetricEigen(a, nearest: k, to: .centre, method: .mrrr) }
            let twi = try time { _ = try symmetricEigen(a, nearest: k, to: .centre, method: .inverseIteration) }
            let tI = try time { _ = try symmetricEigen(a, vectors: true, window: .indices(known)) }
            print(String(format: "n=%d  values %.2fs  all pairs %.2fs  window(k=%d, dsytrd+dsterf+dstemr+dormtr) %.2fs  (dstebz+dstein) %.2fs  dsyevr RANGE=I alone %.2fs  two-pass (values + RANGE=I) %.2fs",
                         n, tv, tall, k, tw, twi, tI, tv + tI))
        }
    }

    /// Build cost: O(nnz) — time per stored entry for the dense and CSR builds.
    @Test func buildTimings() throws {
        var rng = RandomStream(seed: 2, label: "bench-build")
        for (l, mirror) in [(14, false), (14, true), (20, false), (20, true)] {
            let h = (0..<l).map { _ in rng.uniform(-4, 4) }
            let hs = mirror ? (0..<l).map { h[min($0, l - 1 - $0)] } : h
            var terms = (0..<l).map { OperatorTerm(0.5 * hs[$0], "z", [$0]) }
            for i in 0..<(l - 1) {
                terms += [OperatorTerm(0.25, "zz", [i, i + 1]), OperatorTerm(0.5, "+-", [i, i + 1]), OperatorTerm(0.5, "-+", [i, i + 1])]
            }
            var basis: SpinHalfBasis! = nil
            let tb = try time { basis = try SpinHalfBasis(sites: l, upSpins: l / 2, mirror: mirror ? 1 : nil) }
            let ham = try SpinHamiltonian(basis: basis, terms: terms)
            var nnz = 0
            let ts = try time { nnz = try ham.sparse().nonzeroCount }
            var td = -1.0
            if basis.dimension <= 4000 { td = try time { _ = try ham.dense() } }
            print("mirror \(mirror ? "+1" : "no") " + String(format: "L=%d dim=%d nnz=%d  basis %.3fs  CSR %.3fs (%.0f ns/nnz)  dense %.3fs",
                         l, basis.dimension, nnz, tb, ts, ts / Double(nnz) * 1e9, td))
        }
    }
}
