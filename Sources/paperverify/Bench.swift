import ArgumentParser
import Foundation
import KASGlass
import Kernels
import Linalg
import Numerics

// MARK: _bench (internal: one timed kernel for ci/bench)

/// `paperverify _bench <case> <size>`: run one kernel `--repeat` times on a deterministic
/// input, time it inside the process (thread CPU time and wall clock, medians) and print
/// one JSON line with a numerical fingerprint that ci/bench compares with the Python peer
/// (ci/bench-peers.py) before any ratio is reported. Inputs are the same on both sides:
///
/// - `eig-values n`, `eig-vectors n`: A_ij = ((7919·i·j + i + j) mod 1009)/1009 − ½
///   (0-based, symmetric, every entry exact in binary64 on both sides); `symmetricEigen`.
/// - `xxz-values L`, `xxz-all L`: H = Σ_i J(S^x_iS^x_{i+1} + S^y_iS^y_{i+1}) + Δ S^z_iS^z_{i+1},
///   periodic, J = 1, Δ = `--delta`, sector N↑ = L/2; times basis + terms + matrix +
///   diagonalization (`total`) and the diagonalization of the built dense matrix (`diagonalize`).
/// - `kas-descent L`: `KASChain.descendToSingleFlipStable` (α = 0.7) from a drawn chain;
///   `--write-input DIR` writes K, Z, φ and the random 64-bit words the descent consumes
///   so the peer replays the same choices (exact agreement expected).
/// - `lindblad-steady N` (reported as case `lindblad-sparse` with `--method sparse`): open-sync
///   Eq. (6) spin-1 chain (ω = 1, J = Δ = ½, γ = 2) plus a drive 0.3 Σ_j S^x_j, pump √0.1 S⁺_j
///   and decay √0.2 S⁻_j on every site (they break the strong symmetry, so the steady state
///   is unique, and the drive makes it a correlated, non-diagonal state);
///   `Liouvillian.steadyState()` (`--method dense`) or `SparseLiouvillian.steadyState()`
///   (`--method sparse`: MUMPS LU with QuTiP's trace weighting).
/// - `xxz-window L`: the 50 eigenpairs (with vectors) nearest the centre (E_min + E_max)/2 of the
///   bare ergodic-inclusion chain, H = Σ_i S⃗_i·S⃗_{i+1} + Σ_i h_i S^z_i, open, sector N↑ = L/2, with
///   deterministic fields h_i = W(2·((7919·i + 13) mod 1009)/1009 − 1), W = `--disorder`;
///   `SpinHamiltonian.diagonalize(.nearest(count: 50, to: .centre))` forced onto the
///   shift-invert path (MUMPS LDLᵀ of H − σ, block Lanczos; spectral bounds by Lanczos). Times
///   basis + terms + bounds + factorization + Krylov (`total`); reports the peak resident set.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_bench", abstract: "Internal: time one kernel for ci/bench and print one JSON line.", shouldDisplay: false)

    @Argument(help: "eig-values | eig-vectors | xxz-values | xxz-all | xxz-window | kas-descent | lindblad-steady") var benchCase: String
    @Argument(help: "Matrix dimension, chain length or number of spins.") var size: Int
    @Option(name: .customLong("repeat"), help: "Timed repetitions (median reported).") var repetitions = 3
    @Option(help: "XXZ anisotropy Δ.") var delta = 0.7
    @Option(help: "Steady-state method: dense | sparse.") var method = "dense"
    @Option(help: "kas-descent: write the peer's input files into this folder and exit.") var writeInput: String?
    @Option(help: "xxz-window: disorder strength W of the deterministic fields.") var disorder = 3.0
    @Option(help: "xxz-window: number of central eigenpairs.") var pairs = 50

    struct Timing: Encodable { var cpu: Double; var wall: Double; var cpuAll: [Double]; var wallAll: [Double] }
    struct Output: Encodable {
        var side = "paperverify"
        var implementation: String
        var benchCase: String
        var size: Int
        var dimension: Int
        var available = true
        var note: String?
        var timings: [String: Timing]
        var fingerprint: [String: Double]
        var fingerprintScale: Double
        /// Peak resident set of the process (getrusage ru_maxrss), MB; set by the cases that report memory.
        var peakMemoryMB: Double?
        enum CodingKeys: String, CodingKey {
            case side, implementation, benchCase = "case", size, dimension, available, note, timings, fingerprint, fingerprintScale, peakMemoryMB
        }
    }

    static func threadCPU() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + 1e-9 * Double(t.tv_nsec)
    }
    static func wall() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + 1e-9 * Double(t.tv_nsec)
    }

    /// Collects the timings of named sections across repetitions.
    final class Clock {
        var cpu: [String: [Double]] = [:], wall: [String: [Double]] = [:]
        func time<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let c0 = Bench.threadCPU(), w0 = Bench.wall()
            let r = try body()
            let c1 = Bench.threadCPU(), w1 = Bench.wall()
            cpu[name, default: []].append(c1 - c0)
            wall[name, default: []].append(w1 - w0)
            return r
        }
        var timings: [String: Timing] {
            Dictionary(uniqueKeysWithValues: cpu.keys.map { k in
                (k, Timing(cpu: median(cpu[k]!), wall: median(wall[k]!), cpuAll: cpu[k]!, wallAll: wall[k]!))
            })
        }
    }

    func run() throws {
        guard repetitions >= 1 else { throw UsageError("--repeat must be ≥ 1") }
        guard size >= 1 else { throw UsageError("size must be ≥ 1") }
        let out: Output
        switch benchCase {
        case "eig-values", "eig-vectors": out = try eigen(vectors: benchCase == "eig-vectors")
        case "xxz-values", "xxz-all": out = try xxz(vectors: benchCase == "xxz-all")
        case "kas-descent": guard let o = try kas() else { return }; out = o
        case "lindblad-steady": out = try lindblad()
        case "xxz-window": out = try xxzWindow()
        default: throw UsageError("unknown benchmark case \(benchCase)")
        }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        print(String(decoding: try e.encode(out), as: UTF8.self))
    }

    /// Eigenvalue fingerprint: sum, sum of squares, and the values at 0, n/4, n/2, 3n/4, n−1.
    static func spectrumFingerprint(_ v: [Double]) -> ([String: Double], Double) {
        let n = v.count
        var f: [String: Double] = ["sum": v.reduce(0, +), "sumSquares": v.reduce(0) { $0 + $1 * $1 }]
        for (name, k) in [("q0", 0), ("q1", n / 4), ("q2", n / 2), ("q3", (3 * n) / 4), ("q4", n - 1)] { f[name] = v[k] }
        return (f, v.map(abs).max() ?? 0)
    }

    static func benchMatrix(_ n: Int) -> Matrix {
        Matrix(rows: n, columns: n) { i, j in Double((7919 * i * j + i + j) % 1009) / 1009 - 0.5 }
    }

    func eigen(vectors: Bool) throws -> Output {
        let a = Self.benchMatrix(size)
        let clock = Clock()
        var values: [Double] = []
        for _ in 0..<repetitions {
            values = try clock.time("eigensolver") { try symmetricEigen(a, vectors: vectors).values }
        }
        let (f, s) = Self.spectrumFingerprint(values)
        return Output(implementation: "Linalg.symmetricEigen (\(vectors ? "dsyevd" : "dsyevr"), JOBZ=\(vectors ? "V" : "N"))", benchCase: benchCase,
                      size: size, dimension: size, timings: clock.timings, fingerprint: f, fingerprintScale: s)
    }

    func xxzHamiltonian(_ l: Int) throws -> SpinHamiltonian {
        let basis = try SpinHalfBasis(sites: l, upSpins: l / 2)
        var terms: [OperatorTerm] = []
        for i in 0..<l {
            let j = (i + 1) % l
            terms.append(OperatorTerm(0.5, "+-", [i, j]))
            terms.append(OperatorTerm(0.5, "-+", [i, j]))
            terms.append(OperatorTerm(delta / 4, "zz", [i, j]))
        }
        return try SpinHamiltonian(basis: basis, terms: terms)
    }

    func xxz(vectors: Bool) throws -> Output {
        guard size >= 3 else { throw UsageError("xxz needs L ≥ 3") }
        let clock = Clock()
        var values: [Double] = []
        var dim = 0
        for _ in 0..<repetitions {
            values = try clock.time("total") {
                try xxzHamiltonian(size).diagonalize(vectors ? .all : .values).allValues!
            }
            let h = try xxzHamiltonian(size).dense()
            dim = h.rows
            _ = try clock.time("diagonalize") { try symmetricEigen(h, vectors: vectors).values }
        }
        let (f, s) = Self.spectrumFingerprint(values)
        return Output(implementation: "Kernels ED SpinHamiltonian.diagonalize (\(vectors ? "dsyevd" : "dsyevr"), JOBZ=\(vectors ? "V" : "N"))",
                      benchCase: benchCase, size: size, dimension: dim, timings: clock.timings, fingerprint: f, fingerprintScale: s)
    }

    /// The bare ergodic-inclusion chain of `xxz-window` (see the type's doc comment).
    func disorderedChain(_ l: Int) throws -> SpinHamiltonian {
        let basis = try SpinHalfBasis(sites: l, upSpins: l / 2)
        var terms: [OperatorTerm] = []
        for i in 0..<(l - 1) {
            terms.append(OperatorTerm(0.5, "+-", [i, i + 1]))
            terms.append(OperatorTerm(0.5, "-+", [i, i + 1]))
            terms.append(OperatorTerm(0.25, "zz", [i, i + 1]))
        }
        for i in 0..<l {
            let h = disorder * (2 * Double((7919 * i + 13) % 1009) / 1009 - 1)
            terms.append(OperatorTerm(h / 2, "z", [i]))
        }
        return try SpinHamiltonian(basis: basis, terms: terms)
    }

    func xxzWindow() throws -> Output {
        guard size >= 4, size % 2 == 0 else { throw UsageError("xxz-window needs an even L ≥ 4") }
        let clock = Clock()
        let policy = EigensolverPolicy(shiftInvertAbove: 0)
        var values: [Double] = []
        var dim = 0
        for _ in 0..<repetitions {
            let e = try clock.time("total") {
                try disorderedChain(size).diagonalize(.nearest(count: pairs, to: .centre), policy: policy)
            }
            guard e.shiftInvert, let v = e.vectors, v.columns == pairs else {
                throw UsageError("xxz-window: expected \(pairs) shift-invert eigenpairs")
            }
            values = e.values.sorted()
            dim = v.rows
        }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let (f, s) = Self.spectrumFingerprint(values)
        return Output(implementation: "Kernels ED SpinHamiltonian.diagonalize(.nearest(\(pairs), .centre)), shift-invert: MUMPS LDLᵀ + block Lanczos",
                      benchCase: benchCase, size: size, dimension: dim, timings: clock.timings, fingerprint: f,
                      fingerprintScale: s, peakMemoryMB: Double(usage.ru_maxrss) / 1024)
    }

    static let kasAlpha = 0.7

    func kas() throws -> Output? {
        guard size >= 4 else { throw UsageError("kas-descent needs L ≥ 4") }
        var rng = RandomStream(seed: 20_261_129, label: "bench.kas-descent", realization: UInt64(size))
        var chain = KASChain(sites: size, alpha: Self.kasAlpha)
        chain.draw(&rng)
        if let dir = writeInput {
            // The peer replays the descent: K, Z, φ and enough raw words for every choice.
            var words = rng
            let count = 4 * size + 4096
            let raw = (0..<count).map { _ in words.next() }
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            func write<T>(_ a: [T], _ name: String) throws {
                try a.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: dir).appendingPathComponent("kas-\(size)-\(name).bin")) }
            }
            try write(chain.couplings, "K"); try write(chain.spins, "Z"); try write(chain.fields, "phi"); try write(raw, "words")
            return nil
        }
        let clock = Clock()
        var result = chain
        var flips = 0
        for _ in 0..<repetitions {
            var c = chain
            c.spins = Array(chain.spins); c.fields = Array(chain.fields)   // copies outside the timer
            var r = rng
            flips = clock.time("descent") { c.descendToSingleFlipStable(&r) }
            result = c
        }
        precondition(result.isSingleFlipStable)
        let checksum = result.spins.enumerated().reduce(0.0) { $0 + Double($1.offset + 1) * $1.element }
        let e = result.classicalEnergy
        return Output(implementation: "KASChain.descendToSingleFlipStable", benchCase: benchCase, size: size, dimension: size,
                      timings: clock.timings,
                      fingerprint: ["flips": Double(flips), "spinChecksum": checksum, "energyPerSpin": e / Double(size)],
                      fingerprintScale: 0)
    }

    func lindblad() throws -> Output {
        guard method == "dense" || method == "sparse" else { throw UsageError("--method must be dense or sparse") }
        guard size >= 2 else { throw UsageError("lindblad-steady needs N ≥ 2") }
        let s = SpinOperators(twiceSpin: 2, sites: size)
        let (omega, j, delta, gamma, pump, decay, drive) = (1.0, 0.5, 0.5, 2.0, 0.1, 0.2, 0.3)
        func model() -> (ComplexMatrix, [ComplexMatrix]) {
            var h = ComplexMatrix(rows: s.dimension, columns: s.dimension)
            for k in 0..<size { h = h + Complex(omega, 0) * s.z(k) + Complex(drive, 0) * s.x(k) }
            for k in 0..<(size - 1) {
                let hop = s.plus(k) * s.minus(k + 1)
                h = h + Complex(j, 0) * (hop + hop.adjoint) + Complex(delta, 0) * (s.z(k) * s.z(k + 1))
            }
            var jumps: [ComplexMatrix] = []
            for k in 0..<size {
                jumps.append(Complex(gamma.squareRoot(), 0) * (s.z(k) * s.z(k)))
                jumps.append(Complex(pump.squareRoot(), 0) * s.plus(k))
                jumps.append(Complex(decay.squareRoot(), 0) * s.minus(k))
            }
            return (h, jumps)
        }
        let clock = Clock()
        var rho = ComplexMatrix(rows: 1, columns: 1)
        for _ in 0..<repetitions {
            if method == "sparse" {
                // Sparse MUMPS LU of the CSR Liouvillian with QuTiP's trace weighting.
                rho = try clock.time("total") {
                    let (h, jumps) = model()
                    return try SparseLiouvillian(hamiltonian: h, jumps: jumps).steadyState().rho
                }
                let (h, jumps) = model()
                let lv = SparseLiouvillian(hamiltonian: h, jumps: jumps)
                _ = try clock.time("steadystate") { try lv.steadyState() }
            } else {
                rho = try clock.time("total") {
                    let (h, jumps) = model()
                    return try Liouvillian(hamiltonian: h, jumps: jumps).steadyState()
                }
                let (h, jumps) = model()
                let lv = Liouvillian(hamiltonian: h, jumps: jumps)
                _ = try clock.time("steadystate") { try lv.steadyState() }
            }
        }
        var f: [String: Double] = [:]
        func expect(_ o: ComplexMatrix) -> Complex<Double> {
            var t = Complex<Double>.zero
            let p = rho * o
            for i in 0..<p.rows { t = t + p[i, i] }
            return t
        }
        for k in 0..<size { f["sz\(k)"] = expect(s.z(k)).real }
        f["purity"] = expect(rho).real
        f["spsm01"] = expect(s.plus(0) * s.minus(1)).real
        f["trace"] = (0..<rho.rows).reduce(Complex<Double>.zero) { $0 + rho[$1, $1] }.real
        return Output(implementation: method == "sparse" ? "SparseLiouvillian.steadyState (MUMPS LU, QuTiP's trace weight)" : "Liouvillian.steadyState (dense zgesv)",
                      benchCase: method == "sparse" ? "lindblad-sparse" : benchCase, size: size,
                      dimension: s.dimension * s.dimension, timings: clock.timings, fingerprint: f, fingerprintScale: 1)
    }
}
