import Foundation
import Kernels

/// η(g) and η′(g) as the mean-field solver needs them: cheap, smooth, defined for every g ≥ 0.
public protocol EnhancementFunction: Sendable {
    /// η(g), 0 ≤ η < log 2.
    func eta(_ g: Double) -> Double
    /// dη/dg.
    func derivative(_ g: Double) -> Double
}

/// η(g) of (A27) tabulated once and interpolated by two natural cubic splines on a
/// uniform grid in u = log g (`UniformCubicSpline`), every node evaluated with
/// `EntropicEnhancement` (the nodes run in parallel; the table is identical for any job count):
///
/// - g ≤ 1: y = log η (η ~ −8g log g is a near-straight line in these variables);
/// - g > 1: y = log(log 2 − η) (the deficit ~ g⁻⁴ is a near-straight line), so η stays
///   strictly increasing and below log 2 to the last digit;
/// - the two are blended linearly in u over |u| ≤ ½ (both are accurate there; the blend
///   keeps η continuous and increasing across the switch).
///
/// Each spline's grid extends 2 units of u beyond the range where it is used (the natural
/// end condition's error decays like 0.27 per node, i.e. to ~10⁻¹¹ after 20 nodes).
///
/// Outside [g_min, g_max]:
/// - g < g_min: η = −8g log g + b g with b fixed by continuity at g_min (the small-g form of
///   (A27): the neglected terms are O(g² log² g), below 10⁻²⁴ for the default g_min = 10⁻¹⁴);
/// - g > g_max: η = log 2 − A/g⁴ with A fixed by continuity (the large-g form).
///
/// The interpolation error is measured by `interpolationError(at:)` against direct
/// evaluations between the nodes (tests, and the report of the kernel).
public struct EtaInterpolant: EnhancementFunction {
    /// log η on u ∈ [log g_min − 2, 2].
    public let lower: UniformCubicSpline
    /// log(log 2 − η) on u ∈ [−2, log g_max + 2].
    public let upper: UniformCubicSpline
    public let gMin: Double
    public let gMax: Double
    /// Coefficient b of the small-g continuation.
    public let smallGSlope: Double
    /// Coefficient A of the large-g continuation.
    public let largeGCoefficient: Double
    /// Largest quadrature error estimate among the nodes (absolute, on η and on log 2 − η).
    public let maxQuadratureError: Double
    public let enhancement: EntropicEnhancement

    public init(_ enhancement: EntropicEnhancement, gMin: Double = 1e-14, gMax: Double = 1e4, step: Double = 0.1,
                jobs: Int = 1) throws {
        precondition(gMin > 0 && gMin < 1 && gMax > 1 && step > 0)
        let u0 = log(gMin) - 2, u1 = log(gMax) + 2
        let n = Int(((u1 - u0) / step).rounded(.up))
        let h = (u1 - u0) / Double(n)
        let us = (0...n).map { u0 + Double($0) * h }
        let evals = try parallelMap(count: n + 1, jobs: jobs) { k in try enhancement.evaluate(exp(us[k])) }
        self.enhancement = enhancement
        self.gMin = gMin
        self.gMax = gMax
        let splitLow = us.lastIndex { $0 <= 2 }!, splitHigh = us.firstIndex { $0 >= -2 }!
        lower = UniformCubicSpline(start: us[0], step: h, values: evals[0...splitLow].map { log($0.eta) })
        upper = UniformCubicSpline(start: us[splitHigh], step: h, values: evals[splitHigh...].map { log($0.deficit) })
        maxQuadratureError = evals.map { max($0.quadratureError, $0.deficitQuadratureError) }.max() ?? 0
        // Continuations, matched at g_min and g_max through the splines themselves.
        let lo = exp(lower.value(log(gMin)))
        smallGSlope = (lo + 8 * gMin * log(gMin)) / gMin
        largeGCoefficient = exp(upper.value(log(gMax))) * pow(gMax, 4)
    }

    public func eta(_ g: Double) -> Double {
        precondition(g >= 0, "η needs g ≥ 0, got \(g)")
        if g == 0 { return 0 }
        if g < gMin { return -8 * g * log(g) + smallGSlope * g }
        if g > gMax { return log(2.0) - largeGCoefficient / (g * g * g * g) }
        let u = log(g)
        if u <= -0.5 { return exp(lower.value(u)) }
        if u >= 0.5 { return log(2.0) - exp(upper.value(u)) }
        let w = u + 0.5
        return (1 - w) * exp(lower.value(u)) + w * (log(2.0) - exp(upper.value(u)))
    }

    /// log 2 − η(g), with full relative precision at large g.
    public func deficit(_ g: Double) -> Double {
        precondition(g >= 0)
        if g <= exp(0.5) { return log(2.0) - eta(g) }
        if g > gMax { return largeGCoefficient / (g * g * g * g) }
        return exp(upper.value(log(g)))
    }

    public func derivative(_ g: Double) -> Double {
        precondition(g >= 0)
        if g == 0 { return .infinity }
        if g < gMin { return -8 * log(g) - 8 + smallGSlope }
        if g > gMax { return 4 * largeGCoefficient / (g * g * g * g * g) }
        let u = log(g)
        let dl = { exp(self.lower.value(u)) * self.lower.derivative(u) / g }
        let du = { -exp(self.upper.value(u)) * self.upper.derivative(u) / g }
        if u <= -0.5 { return dl() }
        if u >= 0.5 { return du() }
        let w = u + 0.5
        let jump = (log(2.0) - exp(upper.value(u))) - exp(lower.value(u))
        return (1 - w) * dl() + w * du() + jump / g
    }

    /// |η_interpolated − η_direct| / η_direct at g (a direct quadrature, for error control).
    public func interpolationError(at g: Double) throws -> Double {
        let direct = try enhancement.evaluate(g)
        if g > exp(0.5) { return abs(deficit(g) - direct.deficit) / direct.deficit }
        return abs(eta(g) - direct.eta) / direct.eta
    }
}
