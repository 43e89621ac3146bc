import Foundation
import Kernels

/// Histograms of |φ| in SFS states and in the T = ∞ states they descend from (Fig. 1),
/// for one (L, α), shared by claims field-gap-exponent and min-field-scaling.
///
/// Binning: one bin [0, 10^-4) plus 55 log bins (10 per decade) from 10^-4 to 10^1.5;
/// raw counts are kept per jackknife chunk (state k belongs to chunk k mod 16).
/// State k uses the stream `RandomStream(seed, label: streamLabel, realization: k)`
/// (independent of claim, chunking and jobs): couplings + random Z (the T = ∞ sample),
/// then the random single-flip descent (the SFS sample).
public struct KASFieldEnsemble: Sendable {
    public static let chunks = 16
    public static let perDecade = 10
    public static let lowest = 1e-4
    public static let logBins = 55
    /// Bin edges: 0, 1e-4, …, 10^1.5.
    public static let edges: [Double] = [0] + (0...logBins).map { pow(10, -4 + Double($0) / Double(perDecade)) }
    /// Geometric centres (half the first edge for the [0, 1e-4) bin).
    public static let centres: [Double] = (0..<(logBins + 1)).map { $0 == 0 ? lowest / 2 : (edges[$0] * edges[$0 + 1]).squareRoot() }
    public static let widths: [Double] = (0..<(logBins + 1)).map { edges[$0 + 1] - edges[$0] }

    @inline(__always) static func bin(_ v: Double) -> Int {
        if v < lowest { return 0 }
        let k = Int(((log10(v) + 4) * Double(perDecade)).rounded(.down)) + 1
        return k <= logBins ? k : -1
    }

    public let sites: Int
    public let alpha: Double
    public let states: Int
    public let streamLabel: String
    public var sfsCounts: [[Int]]
    public var infiniteTCounts: [[Int]]
    /// States per chunk.
    public var chunkStates: [Int]
    /// min_i |φ_i| per state (state order), SFS and T = ∞.
    public var sfsMinimum: [Double]
    public var infiniteTMinimum: [Double]
    public var meanFlipsPerSpin: Double
    public var meanEnergyPerSpin: Double
    /// CPU seconds per state (thread CPU time summed over workers, so other processes on
    /// the machine do not inflate it; not deterministic, findings only).
    public var cpuSecondsPerState: Double
    public var wallSeconds: Double

    public static func streamLabel(sites: Int, alpha: Double) -> String { "kas-glass/sfs-ensemble/a\(alpha)/L\(sites)" }

    /// Sample `states` SFS states of the L-site chain in parallel over the 16 chunks.
    public static func sample(sites l: Int, alpha: Double, states: Int, seed: UInt64, jobs: Int) throws -> KASFieldEnsemble {
        let label = streamLabel(sites: l, alpha: alpha)
        let t0 = DispatchTime.now().uptimeNanoseconds
        let parts = try parallelMap(count: chunks, jobs: jobs) { c -> ([Int], [Int], [(Int, Double, Double)], Int, Double, Double) in
            let t = threadCPUSeconds()
            var chain = KASChain(sites: l, alpha: alpha)
            var sc = [Int](repeating: 0, count: logBins + 1), ic = sc
            var mins = [(Int, Double, Double)]()
            var flips = 0, energy = 0.0
            var k = c
            while k < states {
                var rng = RandomStream(seed: seed, label: label, realization: UInt64(k))
                chain.draw(&rng)
                var mi = Double.infinity
                for v in chain.fields { let a = abs(v); mi = min(mi, a); let b = bin(a); if b >= 0 { ic[b] += 1 } }
                flips += chain.descendToSingleFlipStable(&rng)
                var ms = Double.infinity
                for v in chain.fields { let a = abs(v); ms = min(ms, a); let b = bin(a); if b >= 0 { sc[b] += 1 } }
                energy += chain.classicalEnergy / Double(l)
                mins.append((k, ms, mi))
                k += chunks
            }
            let secs = threadCPUSeconds() - t
            return (sc, ic, mins, flips, energy, secs)
        }
        var sfsMin = [Double](repeating: 0, count: states), infMin = sfsMin
        var flips = 0, energy = 0.0, cpu = 0.0
        for p in parts {
            for (k, a, b) in p.2 { sfsMin[k] = a; infMin[k] = b }
            flips += p.3; energy += p.4; cpu += p.5
        }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        return KASFieldEnsemble(sites: l, alpha: alpha, states: states, streamLabel: label,
                                sfsCounts: parts.map(\.0), infiniteTCounts: parts.map(\.1),
                                chunkStates: parts.map { $0.2.count }, sfsMinimum: sfsMin, infiniteTMinimum: infMin,
                                meanFlipsPerSpin: Double(flips) / Double(states * l),
                                meanEnergyPerSpin: energy / Double(states),
                                cpuSecondsPerState: cpu / Double(states), wallSeconds: wall)
    }

    /// Density p(|φ|) per bin (normalized per spin) with chunk `drop` left out.
    public func density(sfs: Bool, dropping drop: Int? = nil) -> (p: [Double], counts: [Int]) {
        let src = sfs ? sfsCounts : infiniteTCounts
        var c = [Int](repeating: 0, count: KASFieldEnsemble.logBins + 1)
        var n = 0
        for (ch, cc) in src.enumerated() where ch != drop {
            for b in c.indices { c[b] += cc[b] }
            n += chunkStates[ch] * sites
        }
        let p = c.indices.map { Double(c[$0]) / (Double(max(n, 1)) * KASFieldEnsemble.widths[$0]) }
        return (p, c)
    }
}

/// Process-wide cache so that claims sharing an ensemble (same seed, L, α, states) sample it once.
final class KASEnsembleCache: @unchecked Sendable {
    static let shared = KASEnsembleCache()
    private var store: [String: KASFieldEnsemble] = [:]
    private let lock = NSLock()

    func ensemble(sites: Int, alpha: Double, states: Int, seed: UInt64, jobs: Int) throws -> KASFieldEnsemble {
        let key = "\(seed)/\(sites)/\(alpha)/\(states)"
        lock.lock()
        if let e = store[key] { lock.unlock(); return e }
        lock.unlock()
        let e = try KASFieldEnsemble.sample(sites: sites, alpha: alpha, states: states, seed: seed, jobs: jobs)
        lock.lock(); store[key] = e; lock.unlock()
        return e
    }
}

/// The field-gap exponent x of p(φ) ~ |φ|^x (Fig. 1) from several sizes.
///
/// Procedure (Fig. 1 caption: "extrapolated to L = ∞ using 1/L scaling up to second
/// order; the L = ∞ distribution is fitted for |φ| < 1 by a power law"): per bin,
/// p_L = p_∞ + a/L + b/L² by least squares over the sizes (order ≤ #sizes − 1); then a
/// weighted fit of ln p_∞ against ln φ (weights = counts summed over sizes) over the bins
/// with centres in [lo, hi] and p_∞ > 0. Error: delete-one jackknife over the 16 chunks
/// (the same chunk dropped at every L).
public enum KASFieldExponent {
    public struct Result: Sendable {
        public var x: Double
        public var jackknifeError: Double
        public var extrapolatedDensity: [Double]
        public var amplitude: Double
    }

    /// Least-squares coefficients c_0… of y = Σ_k c_k t^k.
    static func polynomialLeastSquares(t: [Double], y: [Double], order: Int) -> [Double] {
        let m = order + 1
        var a = [[Double]](repeating: [Double](repeating: 0, count: m + 1), count: m)
        for (ti, yi) in zip(t, y) {
            var pw = [Double](repeating: 1, count: m)
            for k in 1..<max(1, m) { pw[k] = pw[k - 1] * ti }
            for r in 0..<m {
                for c in 0..<m { a[r][c] += pw[r] * pw[c] }
                a[r][m] += pw[r] * yi
            }
        }
        // Gaussian elimination with partial pivoting.
        for col in 0..<m {
            var piv = col
            for r in col..<m where abs(a[r][col]) > abs(a[piv][col]) { piv = r }
            a.swapAt(col, piv)
            let d = a[col][col]
            if d == 0 { return [Double](repeating: .nan, count: m) }
            for r in 0..<m where r != col {
                let f = a[r][col] / d
                for c in col...m { a[r][c] -= f * a[col][c] }
            }
        }
        return (0..<m).map { a[$0][m] / a[$0][$0] }
    }

    /// Weighted power-law fit of p over the bins with centres in [lo, hi].
    public static func powerLaw(_ p: [Double], counts: [Int], lo: Double, hi: Double) -> (x: Double, error: Double, amplitude: Double) {
        var xs = [Double](), ys = [Double](), sg = [Double]()
        for b in p.indices {
            let c = KASFieldEnsemble.centres[b]
            guard c >= lo, c <= hi, p[b] > 0, counts[b] > 0, p[b].isFinite else { continue }
            xs.append(log(c)); ys.append(log(p[b])); sg.append(1 / Double(counts[b]).squareRoot())
        }
        guard let f = try? linearFit(x: xs, y: ys, sigma: sg) else { return (.nan, .nan, .nan) }
        return (f.slope, f.slopeError, exp(f.intercept))
    }

    static func extrapolate(_ ens: [KASFieldEnsemble], sfs: Bool, order: Int, drop: Int?) -> (p: [Double], counts: [Int]) {
        let dens = ens.map { $0.density(sfs: sfs, dropping: drop) }
        let t = ens.map { 1 / Double($0.sites) }
        let ord = min(order, ens.count - 1)
        var pinf = [Double](repeating: 0, count: KASFieldEnsemble.logBins + 1)
        var cc = [Int](repeating: 0, count: pinf.count)
        for b in pinf.indices {
            pinf[b] = polynomialLeastSquares(t: t, y: dens.map { $0.p[b] }, order: ord)[0]
            cc[b] = dens.reduce(0) { $0 + $1.counts[b] }
        }
        return (pinf, cc)
    }

    public static func extrapolated(_ ens: [KASFieldEnsemble], sfs: Bool = true, order: Int = 2,
                                    lo: Double = 0.03, hi: Double = 1.0) -> Result {
        let full = extrapolate(ens, sfs: sfs, order: order, drop: nil)
        let fit = powerLaw(full.p, counts: full.counts, lo: lo, hi: hi)
        let n = KASFieldEnsemble.chunks
        let jk = (0..<n).map { d -> Double in
            let e = extrapolate(ens, sfs: sfs, order: order, drop: d)
            return powerLaw(e.p, counts: e.counts, lo: lo, hi: hi).x
        }
        let m = jk.reduce(0, +) / Double(n)
        let err = (Double(n - 1) / Double(n) * jk.reduce(0) { $0 + ($1 - m) * ($1 - m) }).squareRoot()
        return Result(x: fit.x, jackknifeError: err, extrapolatedDensity: full.p, amplitude: fit.amplitude)
    }

    /// x of one finite size (no extrapolation) with its jackknife error.
    public static func finiteSize(_ e: KASFieldEnsemble, sfs: Bool = true, lo: Double = 0.03, hi: Double = 1.0) -> (x: Double, error: Double) {
        let d = e.density(sfs: sfs)
        let x = powerLaw(d.p, counts: d.counts, lo: lo, hi: hi).x
        let n = KASFieldEnsemble.chunks
        let jk = (0..<n).map { k -> Double in let dd = e.density(sfs: sfs, dropping: k); return powerLaw(dd.p, counts: dd.counts, lo: lo, hi: hi).x }
        let m = jk.reduce(0, +) / Double(n)
        return (x, (Double(n - 1) / Double(n) * jk.reduce(0) { $0 + ($1 - m) * ($1 - m) }).squareRoot())
    }
}

/// CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID), in seconds.
func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
