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

/// A set of independent realizations of a claim: realization k of the set uses the stream
/// (seed, "<claim id>/<label>", k) — or (seed, "<claim id>", k) when the label is empty —
/// whatever the job count, the shard or the machine. `settings` are what this set varies
/// (a size, an α...), so that a realization needs nothing but its set and its stream.
public struct RealizationSet: Codable, Sendable, Equatable {
    public var label: String
    public var count: Int
    public var settings: [String: JSONValue]
    /// A stream label shared by several claims (e.g. "kas-glass/sfs-ensemble/a0.6/L400"), used
    /// as is instead of "<claim id>/<label>": claims that measure the same ensemble then see
    /// the same realizations (and a run may compute them once).
    public var sharedStream: String?

    public init(label: String, count: Int, settings: [String: JSONValue] = [:], sharedStream: String? = nil) {
        self.label = label; self.count = count; self.settings = settings; self.sharedStream = sharedStream
    }

    public func double(_ key: String) throws -> Double {
        guard let v = settings[key]?.double else { throw ClaimError.invalidParameter("realization set '\(label)': missing number '\(key)'") }
        return v
    }
    public func int(_ key: String) throws -> Int {
        guard let v = settings[key]?.int else { throw ClaimError.invalidParameter("realization set '\(label)': missing integer '\(key)'") }
        return v
    }
    public func doubles(_ key: String) throws -> [Double] {
        guard let v = settings[key]?.doubles else { throw ClaimError.invalidParameter("realization set '\(label)': missing number list '\(key)'") }
        return v
    }
    public func ints(_ key: String) throws -> [Int] {
        guard let v = settings[key]?.ints else { throw ClaimError.invalidParameter("realization set '\(label)': missing integer list '\(key)'") }
        return v
    }
}

/// The per-realization results of a claim's plan, in realization order.
public struct RealizationResults<R: Sendable>: Sendable {
    public let sets: [RealizationSet]
    /// values[i][k] = realization k of sets[i].
    public let values: [[R]]

    public init(sets: [RealizationSet], values: [[R]]) {
        precondition(sets.count == values.count && zip(sets, values).allSatisfy { $0.count == $1.count }, "realization results do not match the plan")
        self.sets = sets; self.values = values
    }

    /// The results of the set with this label.
    public subscript(label: String) -> [R] {
        guard let i = sets.firstIndex(where: { $0.label == label }) else { preconditionFailure("no realization set '\(label)'") }
        return values[i]
    }

    /// (set, results) pairs in plan order.
    public var bySet: [(set: RealizationSet, values: [R])] { Array(zip(sets, values)) }
}

/// Record of the random streams a claim used (full stream label, realization count), kept by the harness.
public final class StreamLog: @unchecked Sendable {
    private var entries = [RealizationSet]()
    private let lock = NSLock()
    public init() {}
    func record(_ label: String, _ count: Int, settings: [String: JSONValue] = [:]) {
        lock.lock(); defer { lock.unlock() }
        if let i = entries.firstIndex(where: { $0.label == label }) { entries[i].count = max(entries[i].count, count) }
        else { entries.append(RealizationSet(label: label, count: count, settings: settings)) }
    }
    public var sets: [RealizationSet] { lock.lock(); defer { lock.unlock() }; return entries }
}

/// Everything a claim's simulation may use.
public struct ClaimContext: Sendable {
    public let claimID: String
    public let tier: Tier
    /// This tier's parameters, as declared by the claim (with `--param` overrides).
    public let parameters: [String: JSONValue]
    /// Master seed (`--seed`).
    public let seed: UInt64
    /// Worker threads for realizations (`--jobs`).
    public let jobs: Int
    /// Reports the fraction of this claim done, in [0, 1].
    public let progress: @Sendable (Double) -> Void
    /// The streams used (recorded by `stream`/`realizations`).
    public let streams: StreamLog

    public init(claimID: String, tier: Tier, parameters: [String: JSONValue], seed: UInt64, jobs: Int,
                progress: @escaping @Sendable (Double) -> Void = { _ in }, streams: StreamLog = StreamLog()) {
        self.claimID = claimID; self.tier = tier; self.parameters = parameters
        self.seed = seed; self.jobs = jobs; self.progress = progress; self.streams = streams
    }

    /// The stream label of a realization set.
    public func streamLabel(_ label: String) -> String { label.isEmpty ? claimID : claimID + "/" + label }

    /// The random stream of realization k of this claim (independent of jobs and order).
    public func stream(_ realization: Int, label: String = "") -> RandomStream {
        streams.record(streamLabel(label), realization + 1)
        return RandomStream(seed: seed, label: streamLabel(label), realization: UInt64(realization))
    }

    /// Run `count` realizations in parallel; realization k gets `stream(k, label:)`.
    /// Results come back in realization order, bitwise independent of `jobs`.
    public func realizations<T: Sendable>(_ count: Int, label: String = "",
                                          _ body: @Sendable (Int, inout RandomStream) throws -> T) throws -> [T] {
        let report = progress
        let total = Double(max(count, 1))
        let full = streamLabel(label), seed = self.seed
        streams.record(full, count)
        return try parallelMap(count: count, jobs: jobs, progress: { n in report(Double(n) / total) }) { k in
            var rng = RandomStream(seed: seed, label: full, realization: UInt64(k))
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

/// A claim's measurement, type-erased: a plan of realization sets (from the parameters
/// alone), one realization (a pure function of its set and its stream, with a Codable
/// result so that shards and checkpoints can store it), and the analysis of all results
/// in realization order. Claims written as a single `run` have an empty plan.
public struct ClaimMeasurement: Sendable {
    public let plan: @Sendable (ClaimContext) throws -> [RealizationSet]
    let realize: @Sendable (ClaimContext, RealizationSet, Int, inout RandomStream) throws -> any Sendable
    let encode: @Sendable (any Sendable) throws -> Data
    let decode: @Sendable (Data) throws -> any Sendable
    let analyze: @Sendable (ClaimContext, [RealizationSet], [[any Sendable]]) throws -> Evidence

    /// Whether the claim's realizations can be sharded and checkpointed.
    public let isPlanned: Bool

    /// The encoder of realization results: key-sorted JSON, non-finite numbers as strings.
    /// Swift writes the shortest representation that reads back to the same Double, so a
    /// stored realization reproduces the in-memory one bitwise (tested).
    static func realizationEncoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }
    static func realizationDecoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }

    init<R: Codable & Sendable>(plan: @escaping @Sendable (ClaimContext) throws -> [RealizationSet],
                                realization: @escaping @Sendable (ClaimContext, RealizationSet, Int, inout RandomStream) throws -> R,
                                analyze: @escaping @Sendable (ClaimContext, RealizationResults<R>) throws -> Evidence) {
        self.plan = plan
        self.realize = { ctx, set, k, rng in try realization(ctx, set, k, &rng) }
        self.encode = { value in try ClaimMeasurement.realizationEncoder().encode(value as! R) }
        self.decode = { data in try ClaimMeasurement.realizationDecoder().decode(R.self, from: data) }
        self.analyze = { ctx, sets, values in
            try analyze(ctx, RealizationResults(sets: sets, values: values.map { $0.map { $0 as! R } }))
        }
        isPlanned = true
    }

    init(run: @escaping @Sendable (ClaimContext) throws -> Evidence) {
        plan = { _ in [] }
        realize = { _, _, _, _ in preconditionFailure("a single-run claim has no realizations") }
        encode = { _ in preconditionFailure("a single-run claim has no realizations") }
        decode = { _ in preconditionFailure("a single-run claim has no realizations") }
        analyze = { ctx, _, _ in try run(ctx) }
        isPlanned = false
    }
}

/// One published statement — or a few tied to one equation or figure — that we check.
/// See docs/VERDICTS.md.
public struct Claim: Sendable {
    /// `<paper>.<slug>`, stable forever.
    public let id: String
    public let paper: Paper
    /// Equation / figure / section, e.g. "Eq. (11), Fig. 3".
    public let reference: String
    /// The statement in words.
    public let statement: String
    /// The comparison of checks that do not name their own.
    public let comparison: Comparison
    /// Parameters of each tier (all three must be present).
    public let tiers: [Tier: [String: JSONValue]]
    public let measurement: ClaimMeasurement
    /// Checks a tier's (possibly user-overridden) parameters before anything runs, e.g. that
    /// a system size fits in memory; throws `ClaimError.invalidParameter` with a clear message.
    public let validate: @Sendable ([String: JSONValue]) throws -> Void
    /// OpenBLAS threads of this claim's process: 1 (the default) for claims made of many
    /// small diagonalizations, which run realizations in parallel instead; more for a claim
    /// of few large ones (its child process gets this many BLAS threads and jobs/blasThreads
    /// parallel realizations). A constant of the claim, never the machine's core count, so
    /// that the summation order — every stored number — does not depend on the allocation.
    public let blasThreads: Int

    init(id: String, paper: Paper, reference: String, statement: String, comparison: Comparison,
         tiers: [Tier: [String: JSONValue]], validate: @escaping @Sendable ([String: JSONValue]) throws -> Void,
         measurement: ClaimMeasurement, blasThreads: Int = 1) {
        precondition(id.hasPrefix(paper.rawValue + "."), "claim id \(id) must start with \(paper.rawValue).")
        precondition(Set(tiers.keys) == Set(Tier.allCases), "claim \(id) must define quick, standard and full tiers")
        self.id = id; self.paper = paper; self.reference = reference; self.statement = statement
        self.comparison = comparison; self.tiers = tiers; self.validate = validate; self.measurement = measurement
        precondition((1...64).contains(blasThreads), "claim \(id): blasThreads must be 1…64")
        self.blasThreads = blasThreads
    }

    /// A claim whose simulation is one function (not shardable by realization).
    public init(id: String, paper: Paper, reference: String, statement: String, comparison: Comparison,
                tiers: [Tier: [String: JSONValue]], blasThreads: Int = 1,
                validate: @escaping @Sendable ([String: JSONValue]) throws -> Void = { _ in },
                run: @escaping @Sendable (ClaimContext) throws -> Evidence) {
        self.init(id: id, paper: paper, reference: reference, statement: statement, comparison: comparison,
                  tiers: tiers, validate: validate, measurement: ClaimMeasurement(run: run), blasThreads: blasThreads)
    }

    /// A claim measured as independent realizations: `plan` lists the realization sets from
    /// the tier's parameters alone, `realization` computes one (a pure function of its set
    /// and stream), `analyze` turns all of them, in realization order, into evidence. The
    /// realizations can be run in shards and checkpointed; the merged result is bitwise that
    /// of one run.
    public init<R: Codable & Sendable>(id: String, paper: Paper, reference: String, statement: String,
                                       comparison: Comparison = .zScore, tiers: [Tier: [String: JSONValue]],
                                       blasThreads: Int = 1,
                                       validate: @escaping @Sendable ([String: JSONValue]) throws -> Void = { _ in },
                                       plan: @escaping @Sendable (ClaimContext) throws -> [RealizationSet],
                                       realization: @escaping @Sendable (ClaimContext, RealizationSet, Int, inout RandomStream) throws -> R,
                                       analyze: @escaping @Sendable (ClaimContext, RealizationResults<R>) throws -> Evidence) {
        self.init(id: id, paper: paper, reference: reference, statement: statement, comparison: comparison,
                  tiers: tiers, validate: validate,
                  measurement: ClaimMeasurement(plan: plan, realization: realization, analyze: analyze), blasThreads: blasThreads)
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
                     tiers: t, validate: validate, measurement: measurement, blasThreads: blasThreads)
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
