import Foundation

/// Monotone piecewise-cubic Hermite interpolation (Fritsch–Carlson, with the
/// Fritsch–Butland harmonic-mean slopes): C¹, and monotone wherever the data are, so an
/// interpolated empirical CDF stays a CDF and its derivative a non-negative density.
public struct MonotoneCubic: Sendable {
    public let x: [Double]
    public let y: [Double]
    /// dy/dx at the nodes.
    public let slopes: [Double]

    public init(x: [Double], y: [Double]) {
        precondition(x.count == y.count && x.count >= 2, "need ≥ 2 nodes")
        precondition(zip(x, x.dropFirst()).allSatisfy { $0 < $1 }, "nodes must ascend")
        self.x = x
        self.y = y
        let n = x.count
        var h = [Double](repeating: 0, count: n - 1), d = h
        for k in 0..<(n - 1) { h[k] = x[k + 1] - x[k]; d[k] = (y[k + 1] - y[k]) / h[k] }
        var m = [Double](repeating: 0, count: n)
        for k in 1..<(n - 1) {
            if d[k - 1] * d[k] > 0 {
                // Weighted harmonic mean (Fritsch–Butland / Brodlie).
                let w1 = 2 * h[k] + h[k - 1], w2 = h[k] + 2 * h[k - 1]
                m[k] = (w1 + w2) / (w1 / d[k - 1] + w2 / d[k])
            } else {
                m[k] = 0
            }
        }
        // One-sided three-point end slopes, limited to keep monotonicity.
        func endSlope(_ h0: Double, _ h1: Double, _ d0: Double, _ d1: Double) -> Double {
            var s = ((2 * h0 + h1) * d0 - h0 * d1) / (h0 + h1)
            if s * d0 <= 0 { s = 0 } else if d0 * d1 <= 0 && abs(s) > abs(3 * d0) { s = 3 * d0 }
            return s
        }
        if n == 2 {
            m[0] = d[0]; m[1] = d[0]
        } else {
            m[0] = endSlope(h[0], h[1], d[0], d[1])
            m[n - 1] = endSlope(h[n - 2], h[n - 3], d[n - 2], d[n - 3])
        }
        slopes = m
    }

    /// Index k with x[k] ≤ t < x[k+1] (clamped to the end intervals).
    @inline(__always)
    func interval(_ t: Double) -> Int {
        var lo = 0, hi = x.count - 1
        if t <= x[0] { return 0 }
        if t >= x[hi] { return hi - 1 }
        while hi - lo > 1 { let mid = (lo + hi) >> 1; if t >= x[mid] { lo = mid } else { hi = mid } }
        return lo
    }

    /// The interpolant at t (t outside the nodes: the end cubic is extrapolated; callers clamp).
    public func value(_ t: Double) -> Double {
        let k = interval(t)
        let h = x[k + 1] - x[k], s = (t - x[k]) / h
        let h00 = (1 + 2 * s) * (1 - s) * (1 - s), h10 = s * (1 - s) * (1 - s)
        let h01 = s * s * (3 - 2 * s), h11 = s * s * (s - 1)
        return h00 * y[k] + h10 * h * slopes[k] + h01 * y[k + 1] + h11 * h * slopes[k + 1]
    }

    /// The derivative of the interpolant at t.
    public func derivative(_ t: Double) -> Double {
        let k = interval(t)
        let h = x[k + 1] - x[k], s = (t - x[k]) / h
        let d00 = 6 * s * (s - 1) / h, d10 = (1 - s) * (1 - 3 * s)
        let d01 = -6 * s * (s - 1) / h, d11 = s * (3 * s - 2)
        return d00 * y[k] + d10 * slopes[k] + d01 * y[k + 1] + d11 * slopes[k + 1]
    }
}

/// Natural cubic spline on a uniform grid t_k = t₀ + k·Δ (O(1) lookup): C², for smooth
/// tabulated functions such as log η(e^u).
public struct UniformCubicSpline: Sendable {
    public let start: Double
    public let step: Double
    public let values: [Double]
    /// Second derivatives at the nodes.
    public let curvatures: [Double]

    public init(start: Double, step: Double, values: [Double]) {
        precondition(values.count >= 3 && step > 0)
        self.start = start
        self.step = step
        self.values = values
        let n = values.count
        // Tridiagonal system for the natural spline (M₀ = M_{n−1} = 0), Thomas algorithm.
        var m = [Double](repeating: 0, count: n)
        var c = [Double](repeating: 0, count: n), r = [Double](repeating: 0, count: n)
        for k in 1..<(n - 1) {
            let rhs = 6 * (values[k + 1] - 2 * values[k] + values[k - 1]) / (step * step)
            let denom = 4 - (k > 1 ? c[k - 1] : 0)
            c[k] = 1 / denom
            r[k] = (rhs - (k > 1 ? r[k - 1] : 0)) / denom
        }
        for k in stride(from: n - 2, through: 1, by: -1) { m[k] = r[k] - c[k] * m[k + 1] }
        curvatures = m
    }

    public var end: Double { start + step * Double(values.count - 1) }

    /// Spline value at t ∈ [start, end] (a precondition: no silent extrapolation).
    public func value(_ t: Double) -> Double {
        let (k, a, b) = locate(t)
        let h2 = step * step / 6
        return a * values[k] + b * values[k + 1] + ((a * a * a - a) * curvatures[k] + (b * b * b - b) * curvatures[k + 1]) * h2
    }

    /// Spline derivative at t.
    public func derivative(_ t: Double) -> Double {
        let (k, a, b) = locate(t)
        return (values[k + 1] - values[k]) / step
            + (-(3 * a * a - 1) * curvatures[k] + (3 * b * b - 1) * curvatures[k + 1]) * step / 6
    }

    @inline(__always)
    private func locate(_ t: Double) -> (Int, Double, Double) {
        precondition(t >= start - 1e-12 * step && t <= end + 1e-12 * step, "spline argument \(t) outside [\(start), \(end)]")
        let s = (t - start) / step
        let k = min(max(Int(s.rounded(.down)), 0), values.count - 2)
        let b = s - Double(k)
        return (k, 1 - b, b)
    }
}
