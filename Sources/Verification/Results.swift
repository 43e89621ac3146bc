import Foundation

/// Where and how a run was made (results JSON "provenance").
public struct Provenance: Codable, Sendable, Equatable {
    public var commit: String
    public var tier: String
    public var swift: String
    public var blas: String
    public var gsl: String
    public var cores: Int
    /// ISO-8601 start time.
    public var started: String
    public var seconds: Double
    public var seed: UInt64
    public var jobs: Int
    /// Why `jobs` is what it is: "--jobs", or the allocation (affinity mask, cgroup quota, SLURM).
    public var jobsSource: String?
    /// OpenBLAS threads per claim process (one: realizations run in parallel instead).
    public var blasThreads: Int?
    /// Of `seconds`, the recorded wall time of claims taken finished from a checkpoint
    /// (`--resume`), nil when none was: `seconds` is this invocation's wall time plus these.
    public var resumedSeconds: Double?

    public init(commit: String, tier: String, swift: String, blas: String, gsl: String, cores: Int, started: String,
                seconds: Double, seed: UInt64, jobs: Int, jobsSource: String? = nil, blasThreads: Int? = 1) {
        self.commit = commit; self.tier = tier; self.swift = swift; self.blas = blas; self.gsl = gsl
        self.cores = cores; self.started = started; self.seconds = seconds; self.seed = seed; self.jobs = jobs
        self.jobsSource = jobsSource; self.blasThreads = blasThreads
    }
}

/// The control's outcome under the check's comparison.
public struct ControlResult: Codable, Sendable, Equatable {
    public var description: String
    @NullCoded public var predicted: Double?
    @NullCoded public var statistic: Double?
    /// true when the comparison rejects the control (the check can tell it from the prediction).
    public var rejected: Bool
    /// |control − prediction| in the prediction's units (or the claim's stated distance).
    @NullCoded public var distance: Double?
    /// `distance` in units of the check's resolving power; above 10 the control is weak.
    @NullCoded public var distanceInPower: Double?
    /// Farther than 10× the resolving power, or the power is unknown: says nothing about
    /// the check's ability to see the nearest wrong answer.
    public var weak: Bool
}

/// One alternative estimate's decision.
public struct EstimateResult: Codable, Sendable, Equatable {
    public var name: String
    @NullCoded public var value: Double?
    @NullCoded public var uncertainty: Double?
    public var decision: Comparison.Decision
}

/// One check of a claim in the results JSON (schema 2).
public struct CheckResult: Codable, Sendable, Equatable {
    public var id: String
    public var statement: String
    public var role: CheckRole
    public var comparison: Comparison
    public var statisticMeaning: String
    @NullCoded public var predicted: Double?
    @NullCoded public var measured: Double?
    /// σ_stat ⊕ σ_syst (null when the measurement has no uncertainty).
    @NullCoded public var uncertainty: Double?
    @NullCoded public var statisticalUncertainty: Double?
    @NullCoded public var systematicUncertainty: Double?
    public var unit: String
    @NullCoded public var tolerance: Double?
    public var toleranceJustification: String
    @NullCoded public var statistic: Double?
    /// 2σ of the statistic that the decision rule allows for (0 for z-score and KS).
    @NullCoded public var statisticUncertainty: Double?
    public var decision: Comparison.Decision
    /// The smallest deviation from the prediction the comparison rejects, in its units.
    @NullCoded public var resolvingPower: Double?
    /// The same relative to |predicted|.
    @NullCoded public var resolvingPowerRelative: Double?
    public var control: ControlResult
    /// A deterministic check (round-off tolerance; the weak-control rule does not apply).
    public var exact: Bool
    public var estimates: [EstimateResult]
    @NullCoded public var scale: ScaleEvidence?
    public var verdict: Verdict
    /// Why the verdict is error/inconclusive, or what else the reader must know.
    @NullCoded public var message: String?
    @NullCoded public var correctedForm: String?
    @NullCoded public var regressionTolerance: Double?
}

/// One claim's entry of the results JSON (schema 2; see docs/results-schema.json).
public struct ClaimResult: Codable, Sendable, Equatable {
    public var id: String
    public var paper: String
    public var reference: String
    public var statement: String
    public var tier: String
    /// Master seed, as a decimal string (exact for every UInt64).
    public var seed: String
    /// The tier's parameters as run (with `--param` overrides).
    public var settings: [String: JSONValue]
    /// FNV-1a 64 of the canonical JSON of `settings` (baseline key).
    public var settingsHash: String
    /// The random streams used: label "<claim id>/<set label>", realization count, the set's settings.
    public var streams: [RealizationSet]
    /// Summary over the checks (see `verdictRule`).
    public var verdict: Verdict
    public var verdictRule: String
    /// Why the claim verdict is what it is, in one line.
    @NullCoded public var message: String?
    public var checks: [CheckResult]
    public var method: String
    /// Choices the analysis made that are not tier settings (headline cell, conventions).
    public var choices: [String: JSONValue]
    public var findings: [String]
    public var series: [DataSeries]
    public var figures: [Figure]
    /// Bulky data (disorder draws, samples).
    public var data: [String: JSONValue]
    public var seconds: Double
    /// Planned claims: wall seconds spent on the realizations of each set (summed over
    /// workers), for work plans and ETAs.
    @NullCoded public var setSeconds: [Double]?
    /// OpenBLAS threads of the process that ran the claim (`Claim.blasThreads`).
    public var blasThreads: Int = 1
    /// true when the claim refused its parameters (`ClaimError.invalidParameter`, also a
    /// memory budget): bad input, which the CLI turns into exit 2 without writing anything.
    public var invalidParameter: Bool? = nil

    /// The claim's first check (the paper's main statement).
    public var main: CheckResult? { checks.first }
    public func check(_ id: String) -> CheckResult? { checks.first { $0.id == id } }
}

/// A whole run: the results JSON document.
public struct RunResult: Codable, Sendable {
    public var schema: Int = RunResult.currentSchema
    public var provenance: Provenance
    public var claims: [ClaimResult]
    /// Set by `report --shard k/n`: which shard of which selection this is (for `merge`).
    public var shard: ShardInfo? = nil
    /// Raw realization ranges of claims split across shards (`report --shard k/n --split-realizations`).
    public var realizations: [RealizationRecords]? = nil

    /// Schema 2: one entry per check (`checks`), settings apart from data, seeds as strings.
    public static let currentSchema = 2

    public init(provenance: Provenance, claims: [ClaimResult], shard: ShardInfo? = nil) {
        self.provenance = provenance
        self.claims = claims
        self.shard = shard
    }

    /// Key-sorted JSON (non-finite numbers never appear: they are nulls). Compact, one
    /// claim per line: runs record every disorder draw, which pretty-printing would put on
    /// millions of lines.
    public func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let head = try e.encode(provenance)
        var out = Data("{\"schema\":\(schema),\n\"provenance\":".utf8) + head
        if let s = shard { out += Data(",\n\"shard\":".utf8) + (try e.encode(s)) }
        if let r = realizations {
            out += Data(",\n\"realizations\":[\n".utf8)
            for (k, x) in r.enumerated() { out += try e.encode(x); out += Data((k + 1 < r.count ? ",\n" : "\n").utf8) }
            out += Data("]".utf8)
        }
        out += Data(",\n\"claims\":[\n".utf8)
        for (k, c) in claims.enumerated() {
            out += try e.encode(c)
            out += Data((k + 1 < claims.count ? ",\n" : "\n").utf8)
        }
        out += Data("]}\n".utf8)
        return out
    }

    public enum SchemaError: Error, CustomStringConvertible {
        case unsupported(Int)
        public var description: String {
            switch self {
            case let .unsupported(s): return "results schema \(s), this paperverify reads schema \(RunResult.currentSchema) (regenerate the file with this version)"
            }
        }
    }

    public static func decode(_ data: Data) throws -> RunResult {
        struct Head: Decodable { var schema: Int }
        let head = try JSONDecoder().decode(Head.self, from: data)
        guard head.schema == currentSchema else { throw SchemaError.unsupported(head.schema) }
        return try JSONDecoder().decode(RunResult.self, from: data)
    }
}

extension Double {
    /// nil for NaN/Inf (JSON has no such numbers).
    var finiteOrNil: Double? { isFinite ? self : nil }
}

/// Write data atomically: a temporary file in the same folder (fsynced), then rename(2),
/// then an fsync of the folder. A failure leaves any existing file untouched. (A run's
/// outputs as a set are written by `OutputSet`.)
public func writeAtomically(_ data: Data, to url: URL) throws {
    try replaceFileAtomically(data, at: url)
}

/// An optional that the results JSON writes as `null` when absent (never omits the key), so
/// that every record has the same fields; a missing key still reads as nil.
@propertyWrapper
public struct NullCoded<T: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var wrappedValue: T?
    public init(wrappedValue: T?) { self.wrappedValue = wrappedValue }
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        wrappedValue = c.decodeNil() ? nil : try c.decode(T.self)
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if let v = wrappedValue { try c.encode(v) } else { try c.encodeNil() }
    }
}

extension KeyedDecodingContainer {
    public func decode<T>(_ type: NullCoded<T>.Type, forKey key: Key) throws -> NullCoded<T> {
        try decodeIfPresent(type, forKey: key) ?? NullCoded(wrappedValue: nil)
    }
}
