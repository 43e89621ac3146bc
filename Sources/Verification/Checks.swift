import Foundation
import Kernels

// One printed statement, one check. A claim's evidence holds one `StatementCheck` per
// statement of the paper it tests; each check carries its own prediction (as printed),
// measurement, comparison, tolerance, control and verdict. See docs/VERDICTS.md.

/// How a prediction is compared with a measurement. The statistic is computed from a
/// `Check`; a check passes when the statistic is ≤ the tolerance (≥ for the KS test).
public enum Comparison: String, Codable, Sendable, CaseIterable {
    /// |m − p| / |p|.
    case relative
    /// |ln(m / p)| (both positive): for quantities spanning decades.
    case logRatio = "log-ratio"
    /// |m − p|.
    case absolute
    /// |m − p| / σ with σ the measurement's total (statistical ⊕ systematic) uncertainty.
    case zScore = "z-score"
    /// Kolmogorov–Smirnov p-value of the sample against the predicted distribution;
    /// passes when p ≥ tolerance (the significance level α).
    case ksTest = "ks-test"

    /// What the statistic is, in words (results JSON `statisticMeaning`).
    public var statisticMeaning: String {
        switch self {
        case .relative: return "|measured − predicted| / |predicted|; passes when ≤ tolerance"
        case .logRatio: return "|ln(measured / predicted)|; passes when ≤ tolerance"
        case .absolute: return "|measured − predicted| in the prediction's units; passes when ≤ tolerance"
        case .zScore: return "|measured − predicted| / σ_total (σ_total = σ_stat ⊕ σ_syst); passes when ≤ tolerance"
        case .ksTest: return "Kolmogorov–Smirnov p-value of the sample against the predicted law; passes when ≥ tolerance (significance level)"
        }
    }

    /// The comparison statistic of a check (+∞ when undefined, e.g. log of a negative).
    public func statistic(_ c: Check) -> Double {
        switch self {
        case .relative: return c.predicted == 0 ? .infinity : abs(c.measured - c.predicted) / abs(c.predicted)
        case .logRatio:
            guard c.measured > 0, c.predicted > 0 else { return .infinity }
            return abs(Foundation.log(c.measured / c.predicted))
        case .absolute: return abs(c.measured - c.predicted)
        case .zScore:
            guard let s = c.totalUncertainty, s > 0 else { return .infinity }
            return abs(c.measured - c.predicted) / s
        case .ksTest: return c.ks?.pValue ?? 0
        }
    }

    /// The measurement's total uncertainty expressed in units of the statistic (0 where the
    /// statistic already contains it: z-score and KS).
    public func statisticUncertainty(_ c: Check) -> Double {
        guard let s = c.totalUncertainty, s > 0 else { return 0 }
        switch self {
        case .relative: return c.predicted == 0 ? 0 : s / abs(c.predicted)
        case .logRatio: return c.measured > 0 ? s / c.measured : 0
        case .absolute: return s
        case .zScore, .ksTest: return 0
        }
    }

    /// Decide one check: passes (statistic within tolerance by more than 2σ of the statistic),
    /// fails (beyond tolerance by more than 2σ), or undecided in between.
    public func decide(_ c: Check, tolerance: Double) -> Decision {
        let s = statistic(c)
        if s.isNaN { return .undecided }
        if self == .ksTest { return s >= tolerance ? .passes : .fails }
        let u = statisticUncertainty(c)
        if s + 2 * u <= tolerance { return .passes }
        if s - 2 * u > tolerance { return .fails }
        return .undecided
    }

    /// Resolving power: the smallest deviation |p′ − p| of a rival prediction p′ from the
    /// prediction p that this comparison rejects, given the measurement's uncertainty and the
    /// tolerance, in the prediction's units (a measurement sitting on p rejects p′ beyond it).
    /// nil for the KS test (its power is stated by the claim in the units of the law's parameter).
    public func resolvingPower(_ c: Check, tolerance t: Double) -> Double? {
        let u = c.totalUncertainty ?? 0
        switch self {
        case .absolute: return t + 2 * u
        case .relative: return t * abs(c.predicted) + 2 * u
        case .logRatio:
            guard c.predicted > 0 else { return nil }
            return c.predicted * (Foundation.exp(t + 2 * u / c.predicted) - 1)
        case .zScore:
            guard u > 0 else { return nil }
            return t * u
        case .ksTest: return nil
        }
    }

    public enum Decision: String, Sendable, Codable { case passes, fails, undecided }
}

/// One prediction–measurement pair.
public struct Check: Codable, Sendable, Equatable {
    public var predicted: Double
    public var measured: Double
    /// Statistical standard error of `measured`.
    public var uncertainty: Double?
    /// Systematic uncertainty of `measured` (spread over fit windows, extrapolation forms,
    /// estimators, boundary conditions...). Combined with `uncertainty` in quadrature.
    public var systematic: Double?
    /// For `.ksTest`: the KS statistic of the sample against the predicted distribution.
    public var ks: KSResult?

    public init(predicted: Double, measured: Double, uncertainty: Double? = nil, systematic: Double? = nil,
                ks: KSResult? = nil) {
        self.predicted = predicted
        self.measured = measured
        self.uncertainty = uncertainty
        self.systematic = systematic
        self.ks = ks
    }

    /// σ_stat ⊕ σ_syst (nil when neither is given).
    public var totalUncertainty: Double? {
        switch (uncertainty, systematic) {
        case (nil, nil): return nil
        case let (u?, nil): return u
        case let (nil, s?): return s
        case let (u?, s?): return (u * u + s * s).squareRoot()
        }
    }

    var isFinite: Bool {
        predicted.isFinite && measured.isFinite && (uncertainty?.isFinite ?? true) && (systematic?.isFinite ?? true)
    }
}

/// A tolerance and why it is that number (from a measured error, never "what passes").
public struct Tolerance: Codable, Sendable, Equatable {
    public var value: Double
    public var justification: String
    public init(_ value: Double, _ justification: String) {
        self.value = value
        self.justification = justification
    }
}

/// The nearest plausible wrong answer (the other convention, the neighbouring exponent, the
/// paper's other printed value, a factor 2), put through the same comparison.
public struct Control: Codable, Sendable, Equatable {
    /// What is wrong about it, e.g. "Δ^{j0} instead of Δ^{j0−1}".
    public var description: String
    public var check: Check
    /// Distance of the control from the prediction in the prediction's units, when it is not
    /// |control.predicted − predicted| (e.g. a KS control: the sup-distance of the two laws).
    public var distance: Double?
    public init(_ description: String, _ check: Check, distance: Double? = nil) {
        self.description = description
        self.check = check
        self.distance = distance
    }
}

/// What a check tests.
public enum CheckRole: String, Codable, Sendable {
    /// A printed statement of the paper against the simulation.
    case confirmation
    /// An identity of our own sampling or a comparison with our own derivation: shows the
    /// machinery is right, never confirms the paper.
    case consistency
    /// The same statement under a convention the paper's text does not fix (σ vs S, pairs
    /// counted once or twice...): reported next to the reading the text fixes, not counted
    /// in the claim's verdict.
    case alternativeReading = "alternative-reading"
}

/// One defensible estimate of the measured quantity (an extrapolation form, a fit window,
/// an estimator): `discrepant` needs every estimate to exclude the prediction.
public struct Estimate: Codable, Sendable, Equatable {
    public var name: String
    public var value: Double
    /// Its statistical standard error.
    public var uncertainty: Double?
    /// For a KS check: this estimate's KS result (its sample against the predicted law).
    public var ks: KSResult?
    public init(_ name: String, _ value: Double, uncertainty: Double? = nil, ks: KSResult? = nil) {
        self.name = name; self.value = value; self.uncertainty = uncertainty; self.ks = ks
    }
}

/// Finite-size evidence of a statement about L → ∞ (or any asymptotic regime): per-size
/// values, the extrapolations, the largest size used next to the paper's.
public struct ScaleEvidence: Codable, Sendable, Equatable {
    /// Name of the size variable, e.g. "L", "d", "N".
    public var variable: String
    public var sizes: [Double]
    public var values: [Double]
    public var errors: [Double]?
    /// Every defensible extrapolation (form and fit window), each with its error.
    public var extrapolations: [Estimate]
    /// The paper's largest size for this statement (nil when it does not say).
    public var paperLargest: Double?
    /// E.g. "drifts toward the prediction; a linear drift would reach it at L ≈ 5000".
    public var note: String?

    public init(variable: String, sizes: [Double], values: [Double], errors: [Double]? = nil,
                extrapolations: [Estimate], paperLargest: Double?, note: String? = nil) {
        precondition(sizes.count == values.count && (errors == nil || errors!.count == sizes.count), "scale evidence: length mismatch")
        self.variable = variable; self.sizes = sizes; self.values = values; self.errors = errors
        self.extrapolations = extrapolations; self.paperLargest = paperLargest; self.note = note
    }

    public var largestUsed: Double? { sizes.max() }

    /// Half the range of the extrapolated values: the systematic spread over the forms.
    public var extrapolationSpread: Double? {
        let v = extrapolations.map(\.value).filter(\.isFinite)
        guard let lo = v.min(), let hi = v.max(), v.count >= 2 else { return nil }
        return (hi - lo) / 2
    }

    private enum CodingKeys: String, CodingKey { case variable, sizes, values, errors, extrapolations, paperLargest, note }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        variable = try c.decode(String.self, forKey: .variable)
        sizes = try c.decode([Double].self, forKey: .sizes)
        values = try c.decode([FiniteOrNull].self, forKey: .values).map(\.value)
        errors = try c.decodeIfPresent([FiniteOrNull].self, forKey: .errors)?.map(\.value)
        extrapolations = try c.decode([Estimate].self, forKey: .extrapolations)
        paperLargest = try c.decodeIfPresent(Double.self, forKey: .paperLargest)
        note = try c.decodeIfPresent(String.self, forKey: .note)
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(variable, forKey: .variable)
        try c.encode(sizes, forKey: .sizes)
        try c.encode(values.map(FiniteOrNull.init), forKey: .values)
        try c.encodeIfPresent(errors?.map(FiniteOrNull.init), forKey: .errors)
        try c.encode(extrapolations, forKey: .extrapolations)
        try c.encodeIfPresent(paperLargest, forKey: .paperLargest)
        try c.encodeIfPresent(note, forKey: .note)
    }
}

/// A Double that JSON writes as null when it is not finite, and reads back as NaN.
struct FiniteOrNull: Codable {
    var value: Double
    init(_ v: Double) { value = v }
    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        value = c.decodeNil() ? .nan : try c.decode(Double.self)
    }
    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if value.isFinite { try c.encode(value) } else { try c.encodeNil() }
    }
}

/// One printed statement and its test.
public struct StatementCheck: Sendable {
    /// Slug, unique within the claim ("main" for the claim's first check).
    public var id: String
    /// The printed statement in a few words, e.g. "2(N+1) steady states".
    public var statement: String
    public var role: CheckRole
    /// nil: the claim's default comparison (legacy single-check claims).
    public var comparison: Comparison?
    /// Predicted value as printed, measurement, uncertainties.
    public var check: Check
    /// Units of the predicted value ("" when dimensionless).
    public var unit: String
    public var tolerance: Tolerance
    public var control: Control
    /// For comparisons whose power the harness cannot compute (KS): the smallest deviation
    /// rejected, in the prediction's units, and what that unit is.
    public var resolvingPower: Double?
    /// Alternative defensible estimates; when empty and `scale` has extrapolations, those.
    public var estimates: [Estimate]
    public var scale: ScaleEvidence?
    /// When discrepant: the corrected form that fits, if found.
    public var correctedForm: String?
    /// Set when this tier cannot decide for a reason the comparison cannot see.
    public var inconclusiveReason: String?
    /// Relative drift allowed against the baseline (default `Baseline.defaultRelativeTolerance`).
    public var regressionTolerance: Double?
    /// A deterministic check: the measurement has no statistical error (an identity, a closed
    /// form, a count, a direct linear-algebra result) and the tolerance is a numerical-
    /// resolution bound. Its power is round-off, so every plausible control lies far beyond
    /// 10× of it: the weak-control rule does not apply; the control must still be the nearest
    /// plausible wrong answer and must be rejected. An exact check carries no statistical
    /// uncertainty (the harness refuses one).
    public var exact: Bool

    public init(_ id: String = "main", statement: String, role: CheckRole = .confirmation, comparison: Comparison? = nil,
                check: Check, unit: String = "", tolerance: Tolerance, control: Control, resolvingPower: Double? = nil,
                estimates: [Estimate] = [], scale: ScaleEvidence? = nil, correctedForm: String? = nil,
                inconclusiveReason: String? = nil, regressionTolerance: Double? = nil, exact: Bool = false) {
        self.id = id; self.statement = statement; self.role = role; self.comparison = comparison
        self.check = check; self.unit = unit; self.tolerance = tolerance; self.control = control
        self.resolvingPower = resolvingPower; self.estimates = estimates; self.scale = scale
        self.correctedForm = correctedForm; self.inconclusiveReason = inconclusiveReason
        self.regressionTolerance = regressionTolerance; self.exact = exact
    }
}

/// Errors a claim throws to end up `error` with a clear reason.
public enum ClaimError: Error, CustomStringConvertible, Sendable {
    /// A quantity is below what double precision resolves (e.g. a frequency below ulp(‖H‖)).
    case belowResolution(String)
    case nonConvergence(String)
    case invalidParameter(String)
    case nonFinite(String)

    public var description: String {
        switch self {
        case let .belowResolution(s): return "below numerical resolution: \(s)"
        case let .nonConvergence(s): return "no convergence: \(s)"
        case let .invalidParameter(s): return "invalid parameter: \(s)"
        case let .nonFinite(s): return "non-finite value: \(s)"
        }
    }
}

/// What a claim's analysis returns: its checks (the first is the paper's main statement) and
/// everything needed to show them.
public struct Evidence: Sendable {
    public var checks: [StatementCheck]
    /// How the measurement was made (a paragraph for the report).
    public var method: String
    /// Choices the analysis made that are not tier settings (headline cell, conventions);
    /// tier settings and the seed are recorded by the harness.
    public var parameters: [String: JSONValue]
    /// Findings in words (one bullet each), beyond the checks.
    public var findings: [String]
    /// Named numeric series (also exported to the results JSON).
    public var series: [DataSeries]
    public var figures: [Figure]
    /// Bulky data (disorder draws, samples) for the results JSON `data` field.
    public var extra: [String: JSONValue]

    public init(checks: [StatementCheck], method: String, parameters: [String: JSONValue] = [:],
                findings: [String] = [], series: [DataSeries] = [], figures: [Figure] = [],
                extra: [String: JSONValue] = [:]) {
        precondition(!checks.isEmpty, "evidence needs at least one check")
        precondition(Set(checks.map(\.id)).count == checks.count, "check ids must be unique within a claim")
        self.checks = checks; self.method = method; self.parameters = parameters; self.findings = findings
        self.series = series; self.figures = figures; self.extra = extra
    }

    /// A single-check evidence (the claim's statement is the check's statement; the claim's
    /// comparison is the check's).
    public init(check: Check, control: Control, tolerance: Tolerance, method: String,
                parameters: [String: JSONValue] = [:], findings: [String] = [], series: [DataSeries] = [],
                figures: [Figure] = [], correctedForm: String? = nil, inconclusiveReason: String? = nil,
                regressionTolerance: Double? = nil, extra: [String: JSONValue] = [:]) {
        self.init(checks: [StatementCheck(statement: "", check: check, tolerance: tolerance, control: control,
                                          correctedForm: correctedForm, inconclusiveReason: inconclusiveReason,
                                          regressionTolerance: regressionTolerance)],
                  method: method, parameters: parameters, findings: findings, series: series, figures: figures, extra: extra)
    }

    /// The first check (the paper's main statement).
    public var main: StatementCheck { checks[0] }
}

/// A named numeric series {name, x, y[, yError]} of the results JSON, with its axes'
/// labels and units and the parameters that distinguish it from its siblings.
///
/// JSON has no NaN or Inf: a non-finite entry (e.g. the standard error of a single
/// realization) is written as `null` and read back as NaN.
public struct DataSeries: Codable, Sendable, Equatable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    public var yError: [Double]?
    /// Structured parameters of this series, e.g. ["alpha": 0.6, "L": 400].
    public var parameters: [String: JSONValue]
    public var xLabel: String?
    public var yLabel: String?
    public var xUnit: String?
    public var yUnit: String?

    public init(name: String, x: [Double], y: [Double], yError: [Double]? = nil, parameters: [String: JSONValue] = [:],
                xLabel: String? = nil, yLabel: String? = nil, xUnit: String? = nil, yUnit: String? = nil) {
        self.name = name; self.x = x; self.y = y; self.yError = yError; self.parameters = parameters
        self.xLabel = xLabel; self.yLabel = yLabel; self.xUnit = xUnit; self.yUnit = yUnit
    }

    private enum CodingKeys: String, CodingKey { case name, x, y, yError, parameters, xLabel, yLabel, xUnit, yUnit }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func numbers(_ k: CodingKeys) throws -> [Double]? {
            try c.decodeIfPresent([FiniteOrNull].self, forKey: k).map { $0.map(\.value) }
        }
        name = try c.decode(String.self, forKey: .name)
        x = try numbers(.x) ?? []
        y = try numbers(.y) ?? []
        yError = try numbers(.yError)
        parameters = try c.decodeIfPresent([String: JSONValue].self, forKey: .parameters) ?? [:]
        xLabel = try c.decodeIfPresent(String.self, forKey: .xLabel)
        yLabel = try c.decodeIfPresent(String.self, forKey: .yLabel)
        xUnit = try c.decodeIfPresent(String.self, forKey: .xUnit)
        yUnit = try c.decodeIfPresent(String.self, forKey: .yUnit)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        func finite(_ v: [Double]) -> [FiniteOrNull] { v.map(FiniteOrNull.init) }
        try c.encode(name, forKey: .name)
        try c.encode(finite(x), forKey: .x)
        try c.encode(finite(y), forKey: .y)
        try c.encodeIfPresent(yError.map(finite), forKey: .yError)
        try c.encode(parameters, forKey: .parameters)
        try c.encodeIfPresent(xLabel, forKey: .xLabel)
        try c.encodeIfPresent(yLabel, forKey: .yLabel)
        try c.encodeIfPresent(xUnit, forKey: .xUnit)
        try c.encodeIfPresent(yUnit, forKey: .yUnit)
    }

    /// NaN-aware equality (two NaNs at the same place are equal, as after a JSON round trip).
    public static func == (a: DataSeries, b: DataSeries) -> Bool {
        func same(_ u: [Double], _ v: [Double]) -> Bool {
            u.count == v.count && zip(u, v).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
        }
        let errorsMatch: Bool
        switch (a.yError, b.yError) {
        case (nil, nil): errorsMatch = true
        case let (u?, v?): errorsMatch = same(u, v)
        default: errorsMatch = false
        }
        return a.name == b.name && same(a.x, b.x) && same(a.y, b.y) && errorsMatch && a.parameters == b.parameters
            && a.xLabel == b.xLabel && a.yLabel == b.yLabel && a.xUnit == b.xUnit && a.yUnit == b.yUnit
    }
}
