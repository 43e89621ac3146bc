import Foundation
import Kernels

/// The sampled distribution of x = g_1a/g₁ (Eq. A3), as binned counts per batch:
/// reference-data/mf-avalanche-resonance-norms.csv.
///
/// Bins: (0, x₀], (x₀, x₁], …, (x_{m−1}, x_m], (x_m, ∞) with log-spaced edges x₀ … x_m.
/// Spectrum r of the run goes to batch r mod B, so the batches are independent samples
/// (states of one spectrum are correlated; spectra are not). Every statistic's sampling
/// error is a jackknife over batches (`distribution(excludingBatch:)`).
public struct ResonanceNormTable: Sendable, Equatable {
    /// Bin edges x₀ < … < x_m (x_m = x_t, where the 2/x² tail takes over).
    public let edges: [Double]
    /// counts[b][k]: batch b, bin k ∈ 0…m+1 (0: below x₀, m+1: above x_m).
    public let counts: [[Int]]
    /// "key=value" provenance lines (seed, label, sampler parameters, command).
    public let metadata: [String: String]

    public init(edges: [Double], counts: [[Int]], metadata: [String: String]) {
        precondition(counts.allSatisfy { $0.count == edges.count + 1 })
        self.edges = edges
        self.counts = counts
        self.metadata = metadata
    }

    public var batches: Int { counts.count }
    public var sampleCount: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    /// The random-stream label of the table's spectra.
    public static let streamLabel = "mf-avalanche.resonance-norms"
    /// The table's file name in reference-data/.
    public static let fileName = "mf-avalanche-resonance-norms.csv"
    /// The command that regenerates the committed table.
    public static let regenerationCommand =
        "MFAVALANCHE_WRITE_RESONANCE_TABLE=1 swift test --filter MFAvalancheTests.ResonanceTableGeneration"

    /// The parameters of the committed table (reference-data/mf-avalanche-resonance-norms.csv).
    public enum Committed {
        public static let seed: UInt64 = 20_221_121
        public static let spectra = 4096
        public static let batches = 16
        public static let edges = logEdges(from: 0.5, to: 100, intervals: 200)
        public static func sampler() throws -> ResonanceNormSampler {
            try ResonanceNormSampler(dimension: 1024, windowStates: 512, shift: 32, halfWidth: 64, couplingDraws: 4)
        }
        /// Regenerate the committed table (≈ 2–3 minutes of both cores).
        public static func generate(jobs: Int) throws -> ResonanceNormTable {
            try ResonanceNormTable.generate(sampler: try sampler(), edges: edges, spectra: spectra, batches: batches,
                                            seed: seed, jobs: jobs)
        }
    }

    /// reference-data/ of this checkout (located from this source file).
    public static var defaultURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("reference-data").appendingPathComponent(fileName)
    }

    /// Log-spaced edges from x₀ to x_t.
    public static func logEdges(from x0: Double, to xt: Double, intervals: Int) -> [Double] {
        let a = log(x0), b = log(xt)
        var e = (0...intervals).map { exp(a + (b - a) * Double($0) / Double(intervals)) }
        e[0] = x0; e[intervals] = xt
        return e
    }

    /// Sample `spectra` GOE spectra with `sampler` and bin them. Spectrum r uses the stream
    /// (seed, `streamLabel`, realization r) and goes to batch r mod `batches`; batches run in
    /// parallel and the result is independent of `jobs`.
    public static func generate(sampler: ResonanceNormSampler, edges: [Double], spectra: Int, batches: Int,
                                seed: UInt64, jobs: Int) throws -> ResonanceNormTable {
        precondition(spectra >= batches && batches >= 2)
        let perBatch: [[Int]] = try parallelMap(count: batches, jobs: jobs) { b in
            var c = [Int](repeating: 0, count: edges.count + 1)
            var r = b
            while r < spectra {
                var rng = RandomStream(seed: seed, label: streamLabel, realization: UInt64(r))
                for x in try sampler.sample(&rng) { c[bin(x, edges)] += 1 }
                r += batches
            }
            return c
        }
        let meta: [String: String] = [
            "seed": String(seed), "label": streamLabel, "spectra": String(spectra), "batches": String(batches),
            "dimension": String(sampler.dimension), "windowStates": String(sampler.windowStates),
            "shift": String(sampler.shift), "halfWidth": String(sampler.halfWidth),
            "couplingDraws": String(sampler.couplingDraws),
            "command": regenerationCommand,
        ]
        return ResonanceNormTable(edges: edges, counts: perBatch, metadata: meta)
    }

    /// Bin index of x (0: x ≤ x₀; k: x_{k−1} < x ≤ x_k; m+1: x > x_m).
    @inline(__always)
    static func bin(_ x: Double, _ e: [Double]) -> Int {
        if x <= e[0] { return 0 }
        if x > e[e.count - 1] { return e.count }
        var lo = 0, hi = e.count - 1           // e[lo] < x ≤ e[hi]
        while hi - lo > 1 { let mid = (lo + hi) >> 1; if x > e[mid] { lo = mid } else { hi = mid } }
        return hi
    }

    // MARK: CSV

    public enum FormatError: Error, CustomStringConvertible {
        case malformed(String)
        public var description: String { switch self { case let .malformed(s): return "resonance-norm table: \(s)" } }
    }

    /// CSV: '#' comment lines (description, then "# key=value" provenance), a header row
    /// `x_upper,batch_0,…`, then one row per bin with its upper edge ("inf" for the last).
    public func csv() -> String {
        var s = """
        # mf-avalanche: distribution p̃ of x = g_1a/g_1 (Crowley & Chandran, Eq. A3), sampled in the
        # random-matrix model of Appendix A1 (GOE grain, i.i.d. Gaussian spin-flip matrix elements,
        # 2hρ_g ≫ 1): see Sources/Papers/MFAvalanche/ResonanceNormSampler.swift.
        # Rows: bins (previous x_upper, x_upper]; the first bin is (0, x_0], the last (x_t, inf).
        # Columns: counts of samples per batch (spectrum r belongs to batch r mod batches).

        """
        for k in metadata.keys.sorted() { s += "# \(k)=\(metadata[k]!)\n" }
        s += "x_upper," + (0..<batches).map { "batch_\($0)" }.joined(separator: ",") + "\n"
        for k in 0...edges.count {
            let x = k < edges.count ? String(edges[k]) : "inf"
            s += x + "," + (0..<batches).map { String(counts[$0][k]) }.joined(separator: ",") + "\n"
        }
        return s
    }

    public func write(to url: URL) throws {
        try csv().write(to: url, atomically: true, encoding: .utf8)
    }

    public static func load(from url: URL = defaultURL) throws -> ResonanceNormTable {
        try parse(String(contentsOf: url, encoding: .utf8))
    }

    public static func parse(_ text: String) throws -> ResonanceNormTable {
        var meta: [String: String] = [:]
        var rows: [[Substring]] = []
        var header: [Substring]? = nil
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") {
                let body = line.dropFirst().trimmingCharacters(in: .whitespaces)
                if let eq = body.firstIndex(of: "="), !body.contains(" ") || body.hasPrefix("command=") {
                    meta[String(body[..<eq])] = String(body[body.index(after: eq)...])
                }
                continue
            }
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            if header == nil { header = f; continue }
            rows.append(f)
        }
        guard let h = header, h.first == "x_upper", h.count >= 3 else { throw FormatError.malformed("missing header") }
        let nb = h.count - 1
        guard rows.count >= 3, rows.allSatisfy({ $0.count == nb + 1 }) else { throw FormatError.malformed("ragged rows") }
        guard rows.last![0] == "inf" else { throw FormatError.malformed("last row must be the (x_t, inf) bin") }
        var edges = [Double]()
        for r in rows.dropLast() {
            guard let x = Double(r[0]) else { throw FormatError.malformed("bad edge \(r[0])") }
            edges.append(x)
        }
        guard zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }), edges[0] > 0 else {
            throw FormatError.malformed("edges must be positive and ascending")
        }
        var counts = [[Int]](repeating: [Int](repeating: 0, count: rows.count), count: nb)
        for (k, r) in rows.enumerated() {
            for b in 0..<nb {
                guard let c = Int(r[b + 1]), c >= 0 else { throw FormatError.malformed("bad count \(r[b + 1])") }
                counts[b][k] = c
            }
        }
        return ResonanceNormTable(edges: edges, counts: counts, metadata: meta)
    }

    // MARK: Statistics

    /// Pooled counts (all batches, or all but one).
    public func pooledCounts(excludingBatch skip: Int? = nil) -> [Int] {
        var c = [Int](repeating: 0, count: edges.count + 1)
        for b in 0..<batches where b != skip { for k in c.indices { c[k] += counts[b][k] } }
        return c
    }

    /// The empirical survival function S(x_k) = P(X > x_k) at every edge, pooled, with its
    /// jackknife standard error over batches.
    public func survival() -> [(x: Double, value: Double, error: Double)] {
        func surv(_ c: [Int]) -> [Double] {
            let n = Double(c.reduce(0, +))
            var above = Double(c.last!)
            var out = [Double](repeating: 0, count: edges.count)
            for k in stride(from: edges.count - 1, through: 0, by: -1) {
                out[k] = above / n
                above += Double(c[k])
            }
            return out
        }
        let full = surv(pooledCounts())
        let jack = (0..<batches).map { surv(pooledCounts(excludingBatch: $0)) }
        return edges.indices.map { k in
            let m = jack.map { $0[k] }.reduce(0, +) / Double(batches)
            let v = jack.map { ($0[k] - m) * ($0[k] - m) }.reduce(0, +) * Double(batches - 1) / Double(batches)
            return (edges[k], full[k], v.squareRoot())
        }
    }

    /// The density model built from the counts (all batches, or all but `excludingBatch`
    /// for jackknife replicas), with the tail closure P(X > x) = A/x + c/x² beyond x_t
    /// (c = `tailCorrection`, 0 by default; a nonzero c is the systematic variant; A from
    /// `amplitude`: the printed 2 of (A4), or the table's own sampled x_t·S(x_t)).
    public func distribution(excludingBatch skip: Int? = nil, tailCorrection c: Double = 0,
                             amplitude: TabulatedResonanceDistribution.TailAmplitude = .printed) throws -> TabulatedResonanceDistribution {
        try TabulatedResonanceDistribution(edges: edges, counts: pooledCounts(excludingBatch: skip), tailCorrection: c,
                                           amplitude: amplitude)
    }

    /// Jackknife over batches of a statistic of the distribution: (full-sample value,
    /// standard error). The statistic is evaluated B + 1 times.
    public func jackknife(_ statistic: (TabulatedResonanceDistribution) throws -> Double) throws -> (value: Double, error: Double) {
        let full = try statistic(try distribution())
        var reps = [Double]()
        for b in 0..<batches { reps.append(try statistic(try distribution(excludingBatch: b))) }
        let m = reps.reduce(0, +) / Double(batches)
        let v = reps.map { ($0 - m) * ($0 - m) }.reduce(0, +) * Double(batches - 1) / Double(batches)
        return (full, v.squareRoot())
    }
}

/// p̃ from a sampled table (`ResonanceNormTable`):
///
/// - body x ∈ [x₀, x_t]: the empirical CDF at the edges, interpolated monotonically
///   (`MonotoneCubic`) in u = log x; its derivative is the density in u, a quadratic in u on
///   each bin, non-negative;
/// - tail x > x_t: P(X > x) = A/x + c/x², density A/x² + 2c/x³, with A = 2 (`.printed`) or the
///   sampled x_t·S(x_t) (`.sampled`: then nothing beyond the sampled body mass is imposed,
///   only the 1/x shape), and c = 0 by default: the
///   large-g resonance tail (Eqs. 6, A4) follows from the levels one at a time (E_a is
///   uniform relative to the opposite-sector spectrum, so the expected number of levels with
///   |v_b/Δ_b| > G is 2ρE|v|/G = 2g₁/G); the sampled survival function agrees with 2/x
///   within its error at x_t = 100 (x S(x)/2 − 1 = 0.004 ± 0.005) but shows a positive
///   correction at x ≲ 30 (0.070 ± 0.001 at x = 5, 0.038 ± 0.001 at 10, 0.016 ± 0.002 at
///   20), so c ≠ 0 beyond x_t is kept as a systematic variant;
/// - the body is scaled to mass 1 − S(x_t), so the density is normalized exactly.
///
/// Bin (0, x₀] must be empty (p̃ ∝ e^{−π³/(4x²)} there); a table whose first bin is not
/// empty is refused.
public struct TabulatedResonanceDistribution: ResonanceNormDistribution {
    public let bodyBreakpoints: [Double]
    /// CDF values at the edges, scaled to the body mass 1 − A/x_t − c/x_t².
    public let cdfAtEdges: [Double]
    /// The raw sampled fraction of samples with x ≤ x_t (before scaling).
    public let sampledBodyMass: Double
    public let sampleCount: Int
    /// c in the tail closure P(X > x) = A/x + c/x² (x > x_t).
    public let tailCorrection: Double
    /// A in the tail closure.
    public let tailAmplitude: Double
    let interpolant: MonotoneCubic

    /// Where the tail amplitude A of the closure beyond x_t comes from.
    public enum TailAmplitude: Sendable, Equatable {
        /// A = 2, the tail of Eqs. (6), (A4) (the body is rescaled to mass 1 − 2/x_t − c/x_t²).
        case printed
        /// A = x_t·S(x_t) − c/x_t from the sampled fraction above x_t (the body keeps its
        /// sampled mass): the closure imposes only the 1/x shape beyond x_t.
        case sampled
    }

    public enum TableError: Error, CustomStringConvertible {
        case samplesBelowFirstEdge(Int)
        case empty
        public var description: String {
            switch self {
            case let .samplesBelowFirstEdge(n): return "\(n) samples fall below the table's first edge: widen it"
            case .empty: return "empty table"
            }
        }
    }

    public init(edges: [Double], counts: [Int], tailCorrection: Double = 0, amplitude: TailAmplitude = .printed) throws {
        precondition(counts.count == edges.count + 1)
        let n = counts.reduce(0, +)
        guard n > 0 else { throw TableError.empty }
        guard counts[0] == 0 else { throw TableError.samplesBelowFirstEdge(counts[0]) }
        sampleCount = n
        self.tailCorrection = tailCorrection
        let xt = edges[edges.count - 1]
        var cum = [Double](repeating: 0, count: edges.count)
        var running = 0
        for k in edges.indices { running += counts[k]; cum[k] = Double(running) / Double(n) }
        sampledBodyMass = cum[edges.count - 1]
        switch amplitude {
        case .printed: tailAmplitude = 2
        case .sampled: tailAmplitude = xt * (1 - sampledBodyMass) - tailCorrection / xt
        }
        let scale = (1 - tailAmplitude / xt - tailCorrection / (xt * xt)) / sampledBodyMass
        cdfAtEdges = cum.map { $0 * scale }
        bodyBreakpoints = edges.map { log($0) }
        interpolant = MonotoneCubic(x: bodyBreakpoints, y: cdfAtEdges)
    }

    public var name: String { "sampled GOE table (\(sampleCount) samples)" }
    public var totalMass: Double { 1 }

    public func densityInLogX(_ u: Double) -> Double {
        if u < bodyBreakpoints[0] || u > bodyBreakpoints[bodyBreakpoints.count - 1] { return 0 }
        return max(0, interpolant.derivative(u))
    }

    /// In t = 1/x: A + 2c t.
    public func tailDensityInInverse(_ t: Double) -> Double { tailAmplitude + 2 * tailCorrection * t }

    public func cumulative(_ x: Double) -> Double {
        if x <= exp(bodyBreakpoints[0]) { return 0 }
        let xt = tailStart
        if x >= xt { return 1 - tailAmplitude / x - tailCorrection / (x * x) }
        return min(1, max(0, interpolant.value(log(x))))
    }

    /// The quantile function (inverse CDF) by bisection on `cumulative`, for inverse-transform
    /// sampling.
    public func quantile(_ p: Double) -> Double {
        precondition(p >= 0 && p < 1)
        let xt = tailStart
        if p >= cumulative(xt) {
            // Solve 1 − p = A/x + c/x² for x.
            let q = 1 - p, c = tailCorrection, a = tailAmplitude
            return c == 0 ? a / q : (a + (a * a + 4 * q * c).squareRoot()) / (2 * q)
        }
        var lo = bodyBreakpoints[0], hi = bodyBreakpoints[bodyBreakpoints.count - 1]
        for _ in 0..<100 {
            let mid = 0.5 * (lo + hi)
            if interpolant.value(mid) < p { lo = mid } else { hi = mid }
            if hi - lo < 1e-14 { break }
        }
        return exp(0.5 * (lo + hi))
    }
}
