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

    public init(commit: String, tier: String, swift: String, blas: String, gsl: String, cores: Int, started: String,
                seconds: Double, seed: UInt64, jobs: Int) {
        self.commit = commit; self.tier = tier; self.swift = swift; self.blas = blas; self.gsl = gsl
        self.cores = cores; self.started = started; self.seconds = seconds; self.seed = seed; self.jobs = jobs
    }
}

/// The control's outcome under the claim's comparison.
public struct ControlResult: Codable, Sendable, Equatable {
    public var description: String
    public var predicted: Double?
    public var statistic: Double?
    /// "rejected" (the check has power) or "not rejected".
    public var verdict: String
}

/// One claim's entry of the results JSON (ARCHITECTURE.md schema 1, plus descriptive fields).
public struct ClaimResult: Codable, Sendable, Equatable {
    public var id: String
    public var paper: String
    public var reference: String
    public var statement: String
    public var verdict: Verdict
    public var comparison: String
    public var predicted: Double?
    public var measured: Double?
    public var uncertainty: Double?
    public var tolerance: Double?
    public var toleranceJustification: String?
    /// The comparison statistic of the headline check.
    public var statistic: Double?
    public var control: ControlResult?
    public var parameters: [String: JSONValue]
    public var series: [DataSeries]
    public var seconds: Double
    /// Why the verdict is error/inconclusive (nil otherwise).
    public var message: String?
    public var method: String
    public var findings: [String]
    public var correctedForm: String?
    public var regressionTolerance: Double?
    public var tier: String
    public var figures: [Figure]
    public var extra: [String: JSONValue]
    /// true when the claim refused its parameters (`ClaimError.invalidParameter`, also a
    /// memory budget): bad input, which the CLI turns into exit 2 without writing anything.
    public var invalidParameter: Bool? = nil
}

/// A whole run: the results JSON document.
public struct RunResult: Codable, Sendable {
    public var schema: Int = 1
    public var provenance: Provenance
    public var claims: [ClaimResult]
    /// Set by `report --shard k/n`: which shard of which selection this is (for `merge`).
    public var shard: ShardInfo? = nil

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
        out += Data(",\n\"claims\":[\n".utf8)
        for (k, c) in claims.enumerated() {
            out += try e.encode(c)
            out += Data((k + 1 < claims.count ? ",\n" : "\n").utf8)
        }
        out += Data("]}\n".utf8)
        return out
    }

    public static func decode(_ data: Data) throws -> RunResult {
        try JSONDecoder().decode(RunResult.self, from: data)
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
