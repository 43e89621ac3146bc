import Foundation
import Kernels

/// Statistics budget of a run: quick (inside `swift test`, seconds), standard (REPORT.md,
/// minutes), full (publication-scale, hours).
public enum Tier: String, CaseIterable, Codable, Sendable {
    case quick, standard, full
}

/// The five papers. Raw values are the paper keys used in claim ids.
public enum Paper: String, CaseIterable, Codable, Sendable {
    case mblSync = "mbl-sync"
    case mfAvalanche = "mf-avalanche"
    case ergodicInclusion = "ergodic-inclusion"
    case openSync = "open-sync"
    case kasGlass = "kas-glass"

    public var title: String {
        switch self {
        case .mblSync: return "Synchronized oscillations in a mirror-symmetric MBL chain (Li, Tu, Das Sarma)"
        case .mfAvalanche: return "Mean-field theory of failed avalanches"
        case .ergodicInclusion: return "XXZ chain coupled to an ergodic GOE bubble"
        case .openSync: return "Synchronization of perturbed oscillating coherences (Zhao, Moore, Thingna, Wächtler)"
        case .kasGlass: return "Long-range quantum spin glass in a transverse field (KAS model)"
        }
    }
}

/// Outcome of a claim. See ARCHITECTURE.md.
public enum Verdict: String, Codable, Sendable, CaseIterable {
    /// The printed prediction agrees with the simulation within tolerance.
    case confirmed
    /// The printed form fails beyond tolerance (evidence and, where found, a corrected form).
    case discrepant
    /// This tier's statistics cannot decide.
    case inconclusive
    /// NaN/Inf, LAPACK failure, a quantity below numerical resolution, no convergence,
    /// a crash, or a control that was not rejected.
    case error
}

/// How a prediction is compared with a measurement. The statistic is computed from a
/// `Check`; a check passes when the statistic is ≤ the tolerance (≥ for the KS test).
public enum Comparison: String, Codable, Sendable {
    /// |m − p| / |p|.
    case relative
    /// |ln(m / p)| (both positive): for quantities spanning decades.
    case logRatio = "log-ratio"
    /// |m − p|.
    case absolute
    /// |m − p| / σ with σ the measurement's (combined) standard error; fitted exponents too.
    case zScore = "z-score"
    /// Kolmogorov–Smirnov p-value of the sample against the predicted distribution;
    /// passes when p ≥ tolerance (the significance level α).
    case ksTest = "ks-test"

    /// The comparison statistic of a check (+∞ when undefined, e.g. log of a negative).
    public func statistic(_ c: Check) -> Double {
        switch self {
        case .relative: return c.predicted == 0 ? .infinity : abs(c.measured - c.predicted) / abs(c.predicted)
        case .logRatio:
            guard c.measured > 0, c.predicted > 0 else { return .infinity }
            return abs(Foundation.log(c.measured / c.predicted))
        case .absolute: return abs(c.measured - c.predicted)
        case .zScore:
            guard let s = c.uncertainty, s > 0 else { return .infinity }
            return abs(c.measured - c.predicted) / s
        case .ksTest: return c.ks?.pValue ?? 0
        }
    }

    /// The measurement's standard error expressed in units of the statistic (0 where the
    /// statistic already contains it: z-score and KS).
    public func statisticUncertainty(_ c: Check) -> Double {
        guard let s = c.uncertainty, s > 0 else { return 0 }
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

    public enum Decision: String, Sendable { case passes, fails, undecided }
}

/// One prediction–measurement pair.
public struct Check: Codable, Sendable, Equatable {
    public var predicted: Double
    public var measured: Double
    /// Standard error of `measured` (statistical, or combined with the reference value's).
    public var uncertainty: Double?
    /// For `.ksTest`: the KS statistic of the sample against the predicted distribution.
    public var ks: KSResult?

    public init(predicted: Double, measured: Double, uncertainty: Double? = nil, ks: KSResult? = nil) {
        self.predicted = predicted
        self.measured = measured
        self.uncertainty = uncertainty
        self.ks = ks
    }

    var isFinite: Bool {
        predicted.isFinite && measured.isFinite && (uncertainty?.isFinite ?? true)
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

/// A deliberately wrong prediction that the same comparison must reject.
public struct Control: Codable, Sendable, Equatable {
    /// What is wrong about it, e.g. "Δ^{j0} instead of Δ^{j0−1}".
    public var description: String
    public var check: Check
    public init(_ description: String, _ check: Check) {
        self.description = description
        self.check = check
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

/// What a claim's simulation returns: the headline check, its control, the tolerance,
/// and everything needed to rebuild and to show it.
public struct Evidence: Sendable {
    public var check: Check
    public var control: Control
    public var tolerance: Tolerance
    /// How the measurement was made (a paragraph for the report).
    public var method: String
    /// Everything needed to rebuild the simulation, including seeds and disorder draws.
    public var parameters: [String: JSONValue]
    /// Findings in words (one bullet each), beyond the headline.
    public var findings: [String]
    /// Named numeric series (also exported to the results JSON).
    public var series: [DataSeries]
    public var figures: [Figure]
    /// When discrepant: the corrected form that fits, if found.
    public var correctedForm: String?
    /// Set when this tier cannot decide for a reason the comparison cannot see.
    public var inconclusiveReason: String?
    /// Relative drift allowed against the baseline (default 1e-6).
    public var regressionTolerance: Double?
    /// Additional result fields for the JSON.
    public var extra: [String: JSONValue]

    public init(check: Check, control: Control, tolerance: Tolerance, method: String,
                parameters: [String: JSONValue] = [:], findings: [String] = [], series: [DataSeries] = [],
                figures: [Figure] = [], correctedForm: String? = nil, inconclusiveReason: String? = nil,
                regressionTolerance: Double? = nil, extra: [String: JSONValue] = [:]) {
        self.check = check
        self.control = control
        self.tolerance = tolerance
        self.method = method
        self.parameters = parameters
        self.findings = findings
        self.series = series
        self.figures = figures
        self.correctedForm = correctedForm
        self.inconclusiveReason = inconclusiveReason
        self.regressionTolerance = regressionTolerance
        self.extra = extra
    }
}

/// A named numeric series {name, x, y[, yError]} of the results JSON.
///
/// JSON has no NaN or Inf: a non-finite entry (e.g. the standard error of a single
/// realization) is written as `null` and read back as NaN.
public struct DataSeries: Codable, Sendable, Equatable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    public var yError: [Double]?
    public init(name: String, x: [Double], y: [Double], yError: [Double]? = nil) {
        self.name = name; self.x = x; self.y = y; self.yError = yError
    }

    private enum CodingKeys: String, CodingKey { case name, x, y, yError }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func numbers(_ k: CodingKeys) throws -> [Double]? {
            try c.decodeIfPresent([Double?].self, forKey: k).map { $0.map { $0 ?? .nan } }
        }
        name = try c.decode(String.self, forKey: .name)
        x = try numbers(.x) ?? []
        y = try numbers(.y) ?? []
        yError = try numbers(.yError)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        func finite(_ v: [Double]) -> [Double?] { v.map { $0.isFinite ? $0 : nil } }
        try c.encode(name, forKey: .name)
        try c.encode(finite(x), forKey: .x)
        try c.encode(finite(y), forKey: .y)
        try c.encodeIfPresent(yError.map(finite), forKey: .yError)
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
        return a.name == b.name && same(a.x, b.x) && same(a.y, b.y) && errorsMatch
    }
}

/// Everything a claim's simulation may use.
public struct ClaimContext: Sendable {
    public let claimID: String
    public let tier: Tier
    /// This tier's parameters, as declared by the claim.
    public let parameters: [String: JSONValue]
    /// Master seed (`--seed`).
    public let seed: UInt64
    /// Worker threads for realizations (`--jobs`).
    public let jobs: Int
    /// Reports the fraction of this claim done, in [0, 1].
    public let progress: @Sendable (Double) -> Void

    public init(claimID: String, tier: Tier, parameters: [String: JSONValue], seed: UInt64, jobs: Int,
                progress: @escaping @Sendable (Double) -> Void = { _ in }) {
        self.claimID = claimID; self.tier = tier; self.parameters = parameters
        self.seed = seed; self.jobs = jobs; self.progress = progress
    }

    /// The random stream of realization k of this claim (independent of jobs and order).
    public func stream(_ realization: Int, label: String = "") -> RandomStream {
        RandomStream(seed: seed, label: label.isEmpty ? claimID : claimID + "/" + label, realization: UInt64(realization))
    }

    /// Run `count` realizations in parallel; realization k gets `stream(k, label:)`.
    /// Results come back in realization order, bitwise independent of `jobs`.
    public func realizations<T: Sendable>(_ count: Int, label: String = "",
                                          _ body: @Sendable (Int, inout RandomStream) throws -> T) throws -> [T] {
        let report = progress
        let total = Double(max(count, 1))
        return try parallelMap(count: count, jobs: jobs, progress: { n in report(Double(n) / total) }) { k in
            var rng = stream(k, label: label)
            return try body(k, &rng)
        }
    }

    /// A required numeric parameter of this tier.
    public func double(_ key: String) throws -> Double {
        guard let v = parameters[key]?.double else { throw ClaimError.invalidParameter(parameters[key].map { "'\(key)' must be a number, got \($0)" } ?? "\(claimID): missing number '\(key)' for tier \(tier.rawValue)") }
        return v
    }

    /// A required integer parameter of this tier.
    public func int(_ key: String) throws -> Int {
        guard let v = parameters[key]?.int else { throw ClaimError.invalidParameter(parameters[key].map { "'\(key)' must be an integer, got \($0)" } ?? "\(claimID): missing integer '\(key)' for tier \(tier.rawValue)") }
        return v
    }

    public func doubles(_ key: String) throws -> [Double] {
        guard let v = parameters[key]?.doubles else { throw ClaimError.invalidParameter(parameters[key].map { "'\(key)' must be a number list, got \($0)" } ?? "\(claimID): missing number list '\(key)' for tier \(tier.rawValue)") }
        return v
    }

    public func ints(_ key: String) throws -> [Int] {
        guard let v = parameters[key]?.ints else { throw ClaimError.invalidParameter(parameters[key].map { "'\(key)' must be an integer list, got \($0)" } ?? "\(claimID): missing integer list '\(key)' for tier \(tier.rawValue)") }
        return v
    }
}

/// One published statement we check. See ARCHITECTURE.md ("A claim").
public struct Claim: Sendable {
    /// `<paper>.<slug>`, stable forever.
    public let id: String
    public let paper: Paper
    /// Equation / figure / section, e.g. "Eq. (11), Fig. 3".
    public let reference: String
    /// The statement in words.
    public let statement: String
    public let comparison: Comparison
    /// Parameters of each tier (all three must be present).
    public let tiers: [Tier: [String: JSONValue]]
    /// The simulation and the comparison inputs.
    public let run: @Sendable (ClaimContext) throws -> Evidence
    /// Checks a tier's (possibly user-overridden) parameters before anything runs, e.g. that
    /// a system size fits in memory; throws `ClaimError.invalidParameter` with a clear message.
    public let validate: @Sendable ([String: JSONValue]) throws -> Void

    public init(id: String, paper: Paper, reference: String, statement: String, comparison: Comparison,
                tiers: [Tier: [String: JSONValue]],
                validate: @escaping @Sendable ([String: JSONValue]) throws -> Void = { _ in },
                run: @escaping @Sendable (ClaimContext) throws -> Evidence) {
        precondition(id.hasPrefix(paper.rawValue + "."), "claim id \(id) must start with \(paper.rawValue).")
        precondition(Set(tiers.keys) == Set(Tier.allCases), "claim \(id) must define quick, standard and full tiers")
        self.id = id; self.paper = paper; self.reference = reference; self.statement = statement
        self.comparison = comparison; self.tiers = tiers; self.validate = validate; self.run = run
    }

    /// This claim with some tier parameters replaced (`paperverify report --param key=value`).
    /// Only keys the tier already declares can be overridden.
    public func overriding(_ overrides: [String: JSONValue], tier: Tier) throws -> Claim {
        guard !overrides.isEmpty else { return self }
        var params = tiers[tier] ?? [:]
        for (k, v) in overrides {
            guard let d = params[k] else {
                throw ClaimError.invalidParameter("\(id) has no parameter '\(k)' at tier \(tier.rawValue) (it has: \(params.keys.sorted().joined(separator: ", ")))")
            }
            guard Self.sameKind(v, as: d) else {
                throw ClaimError.invalidParameter("\(id): parameter '\(k)' = \(v) is not of the kind of its default \(d)")
            }
            params[k] = v
        }
        var t = tiers
        t[tier] = params
        return Claim(id: id, paper: paper, reference: reference, statement: statement, comparison: comparison,
                     tiers: t, validate: validate, run: run)
    }

    /// An override must have its default's JSON kind: a number for a number, a list of such
    /// for a list, a string, a boolean.
    static func sameKind(_ v: JSONValue, as d: JSONValue) -> Bool {
        switch (d, v) {
        // Integer and real defaults accept either (a claim may read an integer-looking default
        // as a real); whether a real is acceptable where an integer is needed is checked when
        // the claim reads it (`ClaimContext.int`), also before its simulation starts.
        case (.int, .int), (.int, .number), (.number, .int), (.number, .number), (.string, .string), (.bool, .bool), (.null, _), (.object, .object):
            return true
        case let (.array(ds), .array(vs)):
            guard let first = ds.first else { return true }
            return vs.allSatisfy { sameKind($0, as: first) }
        default:
            return false
        }
    }
}

/// Memory guard for parameter validation: the bytes a run needs against the machine's memory.
public enum MemoryBudget {
    /// Physical memory of this machine in bytes.
    public static var physical: UInt64 { ProcessInfo.processInfo.physicalMemory }

    /// Throw a clear `invalidParameter` error when `bytes` exceed half the physical memory
    /// (the rest is left for the OS, LAPACK workspaces and parallel realizations).
    public static func require(_ bytes: Double, for what: String) throws {
        let limit = Double(physical) / 2
        if bytes > limit {
            throw ClaimError.invalidParameter(String(format: "%@ needs about %.1f GiB, more than half of this machine's %.1f GiB", what, bytes / 1_073_741_824, Double(physical) / 1_073_741_824))
        }
    }

    /// `matrices` dense n×n matrices (`bytesPerEntry` each entry) held at once by each of
    /// `parallel` realizations. `dimension` is a Double so that 2^L or a binomial of a
    /// mistyped L is refused instead of overflowing.
    public static func requireDense(dimension: Double, matrices: Int, bytesPerEntry: Int = 8, parallel: Int,
                                    for what: String) throws {
        guard dimension.isFinite, dimension >= 1 else { throw ClaimError.invalidParameter("\(what): matrix dimension \(dimension)") }
        try require(Double(matrices) * dimension * dimension * Double(bytesPerEntry) * Double(max(1, parallel)),
                    for: "\(what) (\(matrices) matrices of dimension \(Int(min(dimension, 1e18))), \(max(1, parallel)) in parallel)")
    }
}
