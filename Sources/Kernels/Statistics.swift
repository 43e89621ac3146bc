import Foundation
import Special

/// Mean, spread and standard error of independent samples.
public struct SampleSummary: Sendable, Equatable, Codable {
    public let count: Int
    public let mean: Double
    /// Unbiased sample standard deviation (n − 1).
    public let standardDeviation: Double
    /// σ/√n.
    public let standardError: Double

    public init(_ x: [Double]) {
        count = x.count
        guard !x.isEmpty else { mean = .nan; standardDeviation = .nan; standardError = .nan; return }
        // Two-pass for accuracy.
        let m = x.reduce(0, +) / Double(x.count)
        mean = m
        if x.count < 2 { standardDeviation = .nan; standardError = .nan; return }
        var ss = 0.0
        for v in x { ss += (v - m) * (v - m) }
        standardDeviation = (ss / Double(x.count - 1)).squareRoot()
        standardError = standardDeviation / Double(x.count).squareRoot()
    }
}

/// Percentile bootstrap confidence interval of `statistic` over resamples of `x`.
/// Resampling draws from `rng`, so the interval is reproducible.
public func bootstrapConfidenceInterval(_ x: [Double], confidence: Double = 0.95, resamples: Int = 2000,
                                        rng: inout RandomStream,
                                        statistic: ([Double]) -> Double = { $0.reduce(0, +) / Double($0.count) })
    -> (lower: Double, upper: Double) {
    precondition(!x.isEmpty && resamples > 1 && confidence > 0 && confidence < 1)
    var stats = [Double]()
    stats.reserveCapacity(resamples)
    var sample = x
    for _ in 0..<resamples {
        for i in sample.indices { sample[i] = x[rng.integer(below: x.count)] }
        stats.append(statistic(sample))
    }
    stats.sort()
    let alpha = (1 - confidence) / 2
    return (quantile(sortedValues: stats, alpha), quantile(sortedValues: stats, 1 - alpha))
}

/// Bootstrap standard error of a statistic over realizations: each of `resamples` draws
/// `count` realization indices with replacement from `rng` (in order, so the result is
/// reproducible), evaluates `statistic` on them, and returns the spread (n − 1) of the
/// finite values; NaN when fewer than `minimumFinite` resamples give a finite statistic.
public func bootstrapStandardError(count: Int, resamples: Int, rng: inout RandomStream, minimumFinite: Int = 2,
                                   _ statistic: ([Int]) -> Double) -> Double {
    precondition(count > 0 && resamples > 1)
    var values = [Double]()
    values.reserveCapacity(resamples)
    for _ in 0..<resamples {
        let idx = (0..<count).map { _ in rng.integer(below: count) }
        let v = statistic(idx)
        if v.isFinite { values.append(v) }
    }
    return values.count >= max(minimumFinite, 2) ? SampleSummary(values).standardDeviation : .nan
}

/// Linear-interpolated quantile (type 7) of already-sorted values.
public func quantile(sortedValues s: [Double], _ p: Double) -> Double {
    precondition(!s.isEmpty)
    let h = Double(s.count - 1) * min(max(p, 0), 1)
    let lo = Int(h.rounded(.down)), hi = min(lo + 1, s.count - 1)
    return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
}

/// Median (type-7 quantile 1/2).
public func median(_ x: [Double]) -> Double { quantile(sortedValues: x.sorted(), 0.5) }

/// Straight-line fit y = a + b·x by weighted least squares.
public struct LinearFit: Sendable, Codable, Equatable {
    public let intercept: Double
    public let slope: Double
    public let interceptError: Double
    public let slopeError: Double
    /// Cov(a, b).
    public let covariance: Double
    /// Σ ((y − a − b x)/σ)².
    public let chiSquared: Double
    public let degreesOfFreedom: Int
    /// P(χ²_ν ≥ χ²) when σ were given; nil when errors were estimated from the scatter.
    public let pValue: Double?

    public func value(at x: Double) -> Double { intercept + slope * x }
}

public enum FitError: Error, CustomStringConvertible, Equatable {
    case tooFewPoints(Int)
    case degenerate(String)
    public var description: String {
        switch self {
        case let .tooFewPoints(n): return "fit needs at least 3 points, got \(n)"
        case let .degenerate(s): return "degenerate fit: \(s)"
        }
    }
}

/// Weighted straight-line fit (closed form of the normal equations).
///
/// With `sigma` the weights are 1/σ² and the parameter errors follow from the covariance
/// (and `pValue` tests the fit quality). Without `sigma` all weights are equal and the
/// errors are scaled by the residual variance χ²/(n − 2) (ordinary least squares).
public func linearFit(x: [Double], y: [Double], sigma: [Double]? = nil) throws -> LinearFit {
    let n = x.count
    guard n == y.count, sigma == nil || sigma!.count == n else { throw FitError.degenerate("x, y, σ lengths differ") }
    guard n >= 3 else { throw FitError.tooFewPoints(n) }
    let w: [Double] = sigma.map { $0.map { 1 / ($0 * $0) } } ?? [Double](repeating: 1, count: n)
    guard w.allSatisfy({ $0.isFinite && $0 > 0 }) else { throw FitError.degenerate("σ must be positive and finite") }
    var s = 0.0, sx = 0.0, sy = 0.0
    for i in 0..<n { s += w[i]; sx += w[i] * x[i]; sy += w[i] * y[i] }
    let xm = sx / s
    var stt = 0.0, sty = 0.0
    for i in 0..<n { let t = x[i] - xm; stt += w[i] * t * t; sty += w[i] * t * y[i] }
    guard stt > 0 else { throw FitError.degenerate("all x equal") }
    let b = sty / stt
    let a = (sy - sx * b) / s
    var varA = (1 + sx * sx / (s * stt)) / s
    var varB = 1 / stt
    var cov = -sx / (s * stt)
    var chi2 = 0.0
    for i in 0..<n { let r = y[i] - a - b * x[i]; chi2 += w[i] * r * r }
    let dof = n - 2
    var p: Double? = nil
    if sigma == nil {
        let scale = chi2 / Double(dof)
        varA *= scale; varB *= scale; cov *= scale
    } else {
        p = (try? SpecialFunctions.gammaQ(Double(dof) / 2, chi2 / 2).value) ?? nil
    }
    return LinearFit(intercept: a, slope: b, interceptError: varA.squareRoot(), slopeError: varB.squareRoot(),
                     covariance: cov, chiSquared: chi2, degreesOfFreedom: dof, pValue: p)
}

/// Power law y = A·x^k fitted as ln y = ln A + k ln x (σ_ln y = σ_y / y).
/// `slope` of the returned fit is the exponent k, `intercept` is ln A.
public func powerLawFit(x: [Double], y: [Double], sigma: [Double]? = nil) throws -> LinearFit {
    guard x.allSatisfy({ $0 > 0 }), y.allSatisfy({ $0 > 0 }) else {
        throw FitError.degenerate("power-law fit needs positive x and y")
    }
    let s = sigma.map { sg in zip(sg, y).map { $0 / $1 } }
    return try linearFit(x: x.map { Foundation.log($0) }, y: y.map { Foundation.log($0) }, sigma: s)
}

/// Exponential y = A·e^{k x} fitted as ln y = ln A + k x (σ_ln y = σ_y / y).
public func exponentialFit(x: [Double], y: [Double], sigma: [Double]? = nil) throws -> LinearFit {
    guard y.allSatisfy({ $0 > 0 }) else { throw FitError.degenerate("exponential fit needs positive y") }
    let s = sigma.map { sg in zip(sg, y).map { $0 / $1 } }
    return try linearFit(x: x, y: y.map { Foundation.log($0) }, sigma: s)
}

/// Result of a Kolmogorov–Smirnov test.
public struct KSResult: Sendable, Codable, Equatable {
    /// sup |F_n − F|.
    public let statistic: Double
    /// Effective sample size (n, or n·m/(n + m) for two samples).
    public let effectiveSize: Double
    /// Asymptotic p-value with Stephens' small-sample correction:
    /// Q_KS((√n + 0.12 + 0.11/√n)·D), Q_KS(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}.
    public let pValue: Double

    public init(statistic: Double, effectiveSize: Double, pValue: Double) {
        self.statistic = statistic; self.effectiveSize = effectiveSize; self.pValue = pValue
    }
}

/// Kolmogorov survival function Q_KS(λ).
public func kolmogorovQ(_ lambda: Double) -> Double {
    if lambda < 0.2 { return 1 }
    var sum = 0.0, sign = 1.0
    for k in 1...200 {
        let term = sign * Foundation.exp(-2 * Double(k * k) * lambda * lambda)
        sum += term
        if abs(term) < 1e-16 * abs(sum) { break }
        sign = -sign
    }
    return min(1, max(0, 2 * sum))
}

/// One-sample KS test of `sample` against the continuous CDF `cdf`.
public func ksTest(_ sample: [Double], cdf: (Double) -> Double) -> KSResult {
    let s = sample.sorted()
    let n = Double(s.count)
    var d = 0.0
    for (i, x) in s.enumerated() {
        let f = cdf(x)
        d = max(d, Double(i + 1) / n - f, f - Double(i) / n)
    }
    let sn = n.squareRoot()
    return KSResult(statistic: d, effectiveSize: n, pValue: kolmogorovQ((sn + 0.12 + 0.11 / sn) * d))
}

/// Two-sample KS test.
public func ksTest(_ a: [Double], _ b: [Double]) -> KSResult {
    let x = a.sorted(), y = b.sorted()
    var i = 0, j = 0, d = 0.0
    let n = Double(x.count), m = Double(y.count)
    while i < x.count && j < y.count {
        let v = min(x[i], y[j])
        while i < x.count && x[i] <= v { i += 1 }
        while j < y.count && y[j] <= v { j += 1 }
        d = max(d, abs(Double(i) / n - Double(j) / m))
    }
    let ne = n * m / (n + m), sn = ne.squareRoot()
    return KSResult(statistic: d, effectiveSize: ne, pValue: kolmogorovQ((sn + 0.12 + 0.11 / sn) * d))
}

/// A histogram with its bin edges, counts and normalized density (∫ density = fraction
/// of samples inside the edges). Density errors are Poisson: √count / (N·width).
public struct Histogram: Sendable, Codable, Equatable {
    public let edges: [Double]
    public let counts: [Int]
    /// Total number of samples offered (inside or outside the edges).
    public let total: Int

    public var centres: [Double] { (0..<counts.count).map { (edges[$0] + edges[$0 + 1]) / 2 } }
    /// Geometric centres (for log bins).
    public var geometricCentres: [Double] { (0..<counts.count).map { (edges[$0] * edges[$0 + 1]).squareRoot() } }
    public var widths: [Double] { (0..<counts.count).map { edges[$0 + 1] - edges[$0] } }
    public var density: [Double] {
        let n = Double(max(total, 1))
        return (0..<counts.count).map { (k: Int) -> Double in
            let w: Double = edges[k + 1] - edges[k]
            return Double(counts[k]) / (n * w)
        }
    }
    public var densityError: [Double] {
        let n = Double(max(total, 1))
        return (0..<counts.count).map { (k: Int) -> Double in
            let w: Double = edges[k + 1] - edges[k]
            return Double(counts[k]).squareRoot() / (n * w)
        }
    }

    /// Histogram over explicit ascending edges (bins [e_k, e_{k+1}), the last one closed).
    public init(_ x: [Double], edges: [Double]) {
        precondition(edges.count >= 2 && zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 }, "edges must ascend")
        self.edges = edges
        self.total = x.count
        var c = [Int](repeating: 0, count: edges.count - 1)
        for v in x where v >= edges[0] && v <= edges[edges.count - 1] {
            // Binary search for the bin.
            var lo = 0, hi = edges.count - 1
            while hi - lo > 1 { let mid = (lo + hi) / 2; if v >= edges[mid] { lo = mid } else { hi = mid } }
            c[lo] += 1
        }
        self.counts = c
    }

    /// `bins` equal-width bins on [lower, upper].
    public init(_ x: [Double], bins: Int, lower: Double, upper: Double) {
        precondition(bins > 0 && upper > lower)
        self.init(x, edges: (0...bins).map { lower + (upper - lower) * Double($0) / Double(bins) })
    }

    /// `bins` logarithmically spaced bins on [lower, upper], lower > 0 (for small-|φ| tails).
    public init(_ x: [Double], logBins bins: Int, lower: Double, upper: Double) {
        precondition(bins > 0 && upper > lower && lower > 0)
        let a = Foundation.log(lower), b = Foundation.log(upper)
        var e = (0...bins).map { Foundation.exp(a + (b - a) * Double($0) / Double(bins)) }
        e[0] = lower; e[bins] = upper      // exact end points
        self.init(x, edges: e)
    }
}

/// Delete-one jackknife over n realizations: (full-sample value, standard error), where
/// `statistic(nil)` uses every realization and `statistic(k)` all but the k-th.
public func jackknife(count n: Int, _ statistic: (Int?) throws -> Double) rethrows -> (value: Double, error: Double) {
    let full = try statistic(nil)
    guard n >= 2 else { return (full, .nan) }
    var reps = [Double]()
    for k in 0..<n { reps.append(try statistic(k)) }
    let m = reps.reduce(0, +) / Double(n)
    return (full, (reps.map { ($0 - m) * ($0 - m) }.reduce(0, +) * Double(n - 1) / Double(n)).squareRoot())
}
