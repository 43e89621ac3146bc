import Foundation
import Kernels
import Special

/// Log bins of |φ| for the field distributions of Fig. 1: one bin [0, 10^-4) plus 55 log
/// bins (10 per decade) from 10^-4 to 10^1.5.
public enum KASFieldBins {
    public static let perDecade = 10
    public static let lowest = 1e-4
    public static let logBins = 55
    public static let count = logBins + 1
    /// Bin edges: 0, 1e-4, …, 10^1.5.
    public static let edges: [Double] = [0] + (0...logBins).map { pow(10, -4 + Double($0) / Double(perDecade)) }
    /// Geometric centres (half the first edge for the [0, 1e-4) bin).
    public static let centres: [Double] = (0..<count).map { $0 == 0 ? lowest / 2 : (edges[$0] * edges[$0 + 1]).squareRoot() }
    public static let widths: [Double] = (0..<count).map { edges[$0 + 1] - edges[$0] }

    /// The bin of |φ| = v, or −1 beyond the last edge.
    @inline(__always) public static func index(_ v: Double) -> Int {
        if v < lowest { return 0 }
        let k = Int(((log10(v) + 4) * Double(perDecade)).rounded(.down)) + 1
        return k <= logBins ? k : -1
    }
}

/// One realization of the SFS ensemble shared by field-gap-exponent and min-field-scaling
/// (Fig. 1, Eq. 3): a batch of consecutive states of one (L, α, geometry, descent rule),
/// summed.
///
/// State s of the ensemble is drawn from `RandomStream(seed, label: streamLabel,
/// realization: s)` whatever the batch: couplings and a random Z (the T = ∞ sample), then
/// the single-flip descent (the SFS sample; only the random rule draws from the stream).
/// A batch is a storage unit only (the full tier holds 10⁶ states at L = 200): the
/// numbers of a state do not depend on which batch holds it.
public struct KASFieldSample: Codable, Sendable, Equatable {
    /// Order statistics kept per state: the k smallest |φ|, k = 1…8.
    public static let orderStatistics = 8

    public var states: Int
    /// Histogram of |φ_i| over every spin of every SFS state (`KASFieldBins`).
    public var sfsCounts: [Int]
    /// The same for the T = ∞ states before the descent.
    public var infiniteCounts: [Int]
    /// Σ over states of ln φ_(k), φ_(k) the k-th smallest |φ_i| of the SFS state, k = 1…8.
    public var sfsLogOrder: [Double]
    /// The same for the T = ∞ states.
    public var infiniteLogOrder: [Double]
    /// Σ over states of the number of descent flips.
    public var flips: Int
    /// Σ over states of the SFS energy per spin E/L.
    public var energyPerSpin: Double

    public static var empty: KASFieldSample {
        KASFieldSample(states: 0, sfsCounts: [Int](repeating: 0, count: KASFieldBins.count),
                       infiniteCounts: [Int](repeating: 0, count: KASFieldBins.count),
                       sfsLogOrder: [Double](repeating: 0, count: orderStatistics),
                       infiniteLogOrder: [Double](repeating: 0, count: orderStatistics), flips: 0, energyPerSpin: 0)
    }

    /// Add another batch (sums).
    public mutating func add(_ o: KASFieldSample) {
        states += o.states
        for b in sfsCounts.indices { sfsCounts[b] += o.sfsCounts[b]; infiniteCounts[b] += o.infiniteCounts[b] }
        for k in sfsLogOrder.indices { sfsLogOrder[k] += o.sfsLogOrder[k]; infiniteLogOrder[k] += o.infiniteLogOrder[k] }
        flips += o.flips
        energyPerSpin += o.energyPerSpin
    }

    /// One state's fields: histogram and the logs of the `orderStatistics` smallest |φ|.
    mutating func record(_ fields: [Double], sfs: Bool) {
        var smallest = [Double](repeating: .infinity, count: Self.orderStatistics)
        var counts = sfs ? sfsCounts : infiniteCounts
        for v in fields {
            let a = abs(v)
            let b = KASFieldBins.index(a)
            if b >= 0 { counts[b] += 1 }
            if a < smallest[Self.orderStatistics - 1] {
                var k = Self.orderStatistics - 1
                while k > 0 && smallest[k - 1] > a { smallest[k] = smallest[k - 1]; k -= 1 }
                smallest[k] = a
            }
        }
        if sfs { sfsCounts = counts } else { infiniteCounts = counts }
        for k in 0..<Self.orderStatistics {
            if sfs { sfsLogOrder[k] += log(smallest[k]) } else { infiniteLogOrder[k] += log(smallest[k]) }
        }
    }

    /// States `firstState ..< firstState + states` of the ensemble (sites, α, geometry,
    /// descent) with stream label `streamLabel` (see the type's documentation).
    public static func measure(sites l: Int, alpha: Double, geometry: KASGeometry = .ring, descent: KASDescentRule = .randomUnstable,
                               firstState: Int, states n: Int, seed: UInt64, streamLabel: String) -> KASFieldSample {
        precondition(l >= Self.orderStatistics && n >= 0)
        var chain = KASChain(sites: l, alpha: alpha, geometry: geometry)
        var out = KASFieldSample.empty
        for s in firstState..<(firstState + n) {
            var rng = RandomStream(seed: seed, label: streamLabel, realization: UInt64(s))
            chain.draw(&rng)
            out.record(chain.fields, sfs: false)
            out.flips += chain.descendToSingleFlipStable(rule: descent, &rng)
            out.record(chain.fields, sfs: true)
            out.energyPerSpin += chain.classicalEnergy / Double(l)
            out.states += 1
        }
        return out
    }

    /// States per realization at size L: about 10⁶ couplings per batch (25 states at
    /// L = 200), at least 4 (the L² coupling buffer is allocated once per batch: at
    /// L = 3000 a fresh 72 MB buffer per state would add ≈ 30% to the cost), so that a
    /// realization costs about the same at every L and the full tier's 10⁶ states at
    /// L = 200 fit in memory.
    public static func batch(sites l: Int) -> Int { max(4, 1_000_000 / (l * l)) }
}

/// The realizations of one ensemble grouped into 16 jackknife chunks (realization k in
/// chunk k mod 16; the same chunk is dropped at every size).
public struct KASFieldData: Sendable {
    public static let chunks = 16
    public let sites: Int
    public let alpha: Double
    public let chunkSums: [KASFieldSample]
    public let total: KASFieldSample

    public init(sites: Int, alpha: Double, realizations: [KASFieldSample]) {
        self.sites = sites
        self.alpha = alpha
        var c = [KASFieldSample](repeating: .empty, count: Self.chunks)
        for (k, r) in realizations.enumerated() { c[k % Self.chunks].add(r) }
        chunkSums = c
        var t = KASFieldSample.empty
        for r in c { t.add(r) }
        total = t
    }

    /// The sums with chunk `drop` left out.
    public func sum(dropping drop: Int?) -> KASFieldSample {
        guard let drop else { return total }
        var t = KASFieldSample.empty
        for (i, r) in chunkSums.enumerated() where i != drop { t.add(r) }
        return t
    }

    /// Density p(|φ|) per bin (normalized per spin) and the raw counts.
    public func density(sfs: Bool = true, dropping drop: Int? = nil) -> (p: [Double], counts: [Int]) {
        let s = sum(dropping: drop)
        let c = sfs ? s.sfsCounts : s.infiniteCounts
        let n = Double(max(s.states * sites, 1))
        return (c.indices.map { Double(c[$0]) / (n * KASFieldBins.widths[$0]) }, c)
    }

    /// ⟨ln φ_(k)⟩ over states (k = 1…8).
    public func meanLogOrder(_ k: Int, sfs: Bool = true, dropping drop: Int? = nil) -> Double {
        let s = sum(dropping: drop)
        return (sfs ? s.sfsLogOrder : s.infiniteLogOrder)[k - 1] / Double(max(s.states, 1))
    }

    /// Hill estimate of 1/(x + 1) from the K = 8 smallest fields of each state:
    /// ⟨ln φ_(8) − (1/7) Σ_{k<8} ln φ_(k)⟩ (exact mean 1/(x+1) for i.i.d. fields with
    /// P(|φ| < u) ∝ u^{x+1} below φ_(8); the fields of an SFS state are not independent).
    public func hill(sfs: Bool = true, dropping drop: Int? = nil) -> Double {
        let k = KASFieldSample.orderStatistics
        let lower = (1..<k).reduce(0.0) { $0 + meanLogOrder($1, sfs: sfs, dropping: drop) } / Double(k - 1)
        return meanLogOrder(k, sfs: sfs, dropping: drop) - lower
    }
}

/// Estimators of the field-gap exponent x of p(φ) ~ |φ|^x (Eq. 3, Fig. 1) and their
/// finite-size extrapolations.
public enum KASFieldExponent {
    /// A fit window [lo, hi] of bin centres.
    public struct Window: Sendable, Equatable, CustomStringConvertible {
        public var lo: Double, hi: Double
        public init(_ lo: Double, _ hi: Double) { self.lo = lo; self.hi = hi }
        public var description: String { String(format: "[%g, %g]", lo, hi) }
    }

    /// Delete-one jackknife over the 16 chunks of a statistic f(drop) (drop = nil: all data).
    public static func jackknife(_ f: (Int?) -> Double) -> (value: Double, error: Double) {
        let n = KASFieldData.chunks
        let full = f(nil)
        let jk = (0..<n).map { f($0) }
        let m = jk.reduce(0, +) / Double(n)
        let v = Double(n - 1) / Double(n) * jk.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (full, v.squareRoot())
    }

    /// Weighted power-law fit of a density over the bins with centres in the window
    /// (weights √counts: Poisson errors of ln p). Returns (x, amplitude).
    public static func powerLaw(_ p: [Double], counts: [Int], window w: Window) -> (x: Double, amplitude: Double) {
        var xs = [Double](), ys = [Double](), sg = [Double]()
        for b in p.indices {
            let c = KASFieldBins.centres[b]
            guard c >= w.lo, c <= w.hi, p[b] > 0, counts[b] > 0, p[b].isFinite else { continue }
            xs.append(log(c)); ys.append(log(p[b])); sg.append(1 / Double(counts[b]).squareRoot())
        }
        guard xs.count >= 3, let f = try? linearFit(x: xs, y: ys, sigma: sg) else { return (.nan, .nan) }
        return (f.slope, exp(f.intercept))
    }

    /// The exponent of one finite size in a window.
    public static func finiteSize(_ d: KASFieldData, window: Window, sfs: Bool = true, dropping drop: Int? = nil) -> Double {
        let dd = d.density(sfs: sfs, dropping: drop)
        return powerLaw(dd.p, counts: dd.counts, window: window).x
    }

    /// Weighted linear least squares y ≈ Σ_k c_k f_k(t) (normal equations; tiny systems).
    static func leastSquares(_ basis: [[Double]], _ y: [Double], sigma: [Double]?) -> [Double] {
        let m = basis[0].count
        var a = [[Double]](repeating: [Double](repeating: 0, count: m + 1), count: m)
        for (i, row) in basis.enumerated() {
            let w = sigma.map { 1 / ($0[i] * $0[i]) } ?? 1
            for r in 0..<m {
                for c in 0..<m { a[r][c] += w * row[r] * row[c] }
                a[r][m] += w * row[r] * y[i]
            }
        }
        for col in 0..<m {
            var piv = col
            for r in col..<m where abs(a[r][col]) > abs(a[piv][col]) { piv = r }
            a.swapAt(col, piv)
            let d = a[col][col]
            if d == 0 || !d.isFinite { return [Double](repeating: .nan, count: m) }
            for r in 0..<m where r != col {
                let f = a[r][col] / d
                for c in col...m { a[r][c] -= f * a[col][c] }
            }
        }
        return (0..<m).map { a[$0][m] / a[$0][$0] }
    }

    /// Extrapolation forms of a finite-size sequence v(L) → v(∞).
    public enum Form: String, Sendable, CaseIterable {
        /// v∞ + a/L.
        case inverseL = "1/L"
        /// v∞ + a/L + b/L².
        case inverseL2 = "1/L + 1/L²"
        /// v∞ + a L^{−ω}, ω fitted in [0.02, 4].
        case freeExponent = "L^{−ω}, ω free"
        /// v∞ + a L^{1−2α}: the relative deficit of the field variance of the finite chain.
        case model = "L^{1−2α}"

        public var minimumSizes: Int { self == .inverseL ? 2 : 3 }
    }

    public static let omegaRange = 0.02...4.0

    /// An extrapolated value with the fit's χ² (weights 1/σ²; nil without σ) and degrees of freedom.
    public struct Extrapolation: Sendable {
        public var value: Double
        public var omega: Double?
        public var chi2: Double?
        public var dof: Int
        /// P(χ²_dof ≥ χ²) (nil without σ or without a degree of freedom).
        public var pValue: Double? {
            guard let c = chi2, dof > 0 else { return nil }
            return (try? SpecialFunctions.gammaQ(Double(dof) / 2, c / 2).value) ?? nil
        }
    }

    /// v(∞) of the sequence under `form` (weighted least squares with `sigma`). For the free
    /// exponent also ω (the best ω of a log grid on `omegaRange`, refined by golden section).
    public static func extrapolate(sizes: [Double], values: [Double], sigma: [Double]?, form: Form, alpha: Double) -> Extrapolation {
        guard sizes.count >= form.minimumSizes, values.allSatisfy(\.isFinite) else { return Extrapolation(value: .nan, omega: nil, chi2: nil, dof: 0) }
        func chi2(_ basis: [[Double]], _ c: [Double]) -> Double {
            var s = 0.0
            for i in sizes.indices {
                var fit = 0.0
                for k in c.indices { fit += c[k] * basis[i][k] }
                let r = (values[i] - fit) / (sigma?[i] ?? 1)
                s += r * r
            }
            return s
        }
        func fit(_ omega: Double) -> (v: Double, chi2: Double) {
            let basis = sizes.map { [1, pow($0, -omega)] }
            let c = leastSquares(basis, values, sigma: sigma)
            return (c[0], chi2(basis, c))
        }
        let n = sizes.count
        switch form {
        case .inverseL, .model:
            let r = fit(form == .inverseL ? 1 : 2 * alpha - 1)
            return Extrapolation(value: r.v, omega: nil, chi2: sigma == nil ? nil : r.chi2, dof: n - 2)
        case .inverseL2:
            let basis = sizes.map { [1, 1 / $0, 1 / ($0 * $0)] }
            let c = leastSquares(basis, values, sigma: sigma)
            return Extrapolation(value: c[0], omega: nil, chi2: sigma == nil ? nil : chi2(basis, c), dof: n - 3)
        case .freeExponent:
            let lo = log(omegaRange.lowerBound), hi = log(omegaRange.upperBound)
            let grid = (0...200).map { exp(lo + (hi - lo) * Double($0) / 200) }
            var best = 0
            let chis = grid.map { fit($0).chi2 }
            for i in chis.indices where chis[i] < chis[best] { best = i }
            var a = grid[max(0, best - 1)], b = grid[min(grid.count - 1, best + 1)]
            let g = (5.0.squareRoot() - 1) / 2
            for _ in 0..<60 {
                let c = b - g * (b - a), d = a + g * (b - a)
                if fit(c).chi2 < fit(d).chi2 { b = d } else { a = c }
            }
            let w = (a + b) / 2
            let r = fit(w)
            return Extrapolation(value: r.v, omega: w, chi2: sigma == nil ? nil : r.chi2, dof: n - 3)
        }
    }

    /// Correction variable of the per-bin extrapolation of the density.
    public enum DensityCorrection: String, Sendable {
        /// Polynomial in 1/L (the caption of Fig. 1: "1/L scaling up to second order").
        case inverseL = "1/L"
        /// Linear in L^{1−2α}.
        case model = "L^{1−2α}"
    }

    /// The caption's recipe: extrapolate the density of every bin to L = ∞ over the sizes
    /// (a polynomial of degree `order` ≤ sizes − 1 in the correction variable, unweighted),
    /// then fit the power law in the window (weights: counts summed over the sizes).
    ///
    /// Also the χ² of the per-bin fits over the window's bins with Poisson errors
    /// p/√counts (degrees of freedom: bins × (sizes − order − 1)).
    public static func perBinExtrapolated(_ ds: [KASFieldData], correction: DensityCorrection, order: Int = 2,
                                          window: Window, dropping drop: Int? = nil) -> (x: Double, density: [Double], amplitude: Double, chi2: Double, dof: Int) {
        let dens = ds.map { $0.density(dropping: drop) }
        let t = ds.map { d -> Double in correction == .inverseL ? 1 / Double(d.sites) : pow(Double(d.sites), 1 - 2 * d.alpha) }
        let ord = correction == .model ? 1 : min(order, ds.count - 1)
        var pinf = [Double](repeating: 0, count: KASFieldBins.count)
        var cc = [Int](repeating: 0, count: pinf.count)
        var chi2 = 0.0, dof = 0
        let basis = t.map { tv in (0...ord).map { pow(tv, Double($0)) } }
        for b in pinf.indices {
            let y = dens.map { $0.p[b] }
            let c = leastSquares(basis, y, sigma: nil)
            pinf[b] = c[0]
            cc[b] = dens.reduce(0) { $0 + $1.counts[b] }
            let centre = KASFieldBins.centres[b]
            if centre >= window.lo, centre <= window.hi, dens.allSatisfy({ $0.counts[b] > 0 }) {
                // Weighted residuals of the unweighted fit (the recipe is unweighted; the χ² tests its form).
                for i in ds.indices {
                    var fit = 0.0
                    for k in c.indices { fit += c[k] * basis[i][k] }
                    let r = (y[i] - fit) / (y[i] / Double(dens[i].counts[b]).squareRoot())
                    chi2 += r * r
                }
                dof += ds.count - ord - 1
            }
        }
        let f = powerLaw(pinf, counts: cc, window: window)
        return (f.x, pinf, f.amplitude, chi2, dof)
    }

    /// Extreme-value estimate: x = −1/s − 1 with s the weighted slope of ⟨ln φ_(k)⟩
    /// against ln L over the sizes (φ_(k) ~ (k/L)^{1/(x+1)} for p(φ) ~ |φ|^x).
    public static func extremeValue(_ ds: [KASFieldData], k: Int, sfs: Bool = true, sigma: [Double]? = nil, dropping drop: Int? = nil) -> (x: Double, slope: Double, chi2: Double) {
        let y = ds.map { $0.meanLogOrder(k, sfs: sfs, dropping: drop) }
        let basis = ds.map { [1, log(Double($0.sites))] }
        let c = leastSquares(basis, y, sigma: sigma)
        var chi2 = 0.0
        for i in ds.indices { let r = (y[i] - c[0] - c[1] * basis[i][1]) / (sigma?[i] ?? 1); chi2 += r * r }
        return (-1 / c[1] - 1, c[1], chi2)
    }
}
