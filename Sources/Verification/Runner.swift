import Foundation
import Kernels
import Linalg

/// Options of one run.
public struct RunOptions: Sendable {
    public var tier: Tier
    public var seed: UInt64
    public var jobs: Int
    public init(tier: Tier, seed: UInt64 = 20261122, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.tier = tier; self.seed = seed; self.jobs = jobs
    }
}

/// Evaluates claims: runs the measurement (plan → realizations in parallel → analysis),
/// judges every check (docs/VERDICTS.md), and turns every failure into an `error` verdict
/// with its message.
public enum Runner {
    /// The default master seed (`--seed`).
    public static let defaultSeed: UInt64 = 20261122

    /// How a claim's verdict summarizes its checks (recorded in every result).
    public static let verdictRule = "error if any check is error or a consistency check fails; else discrepant if any confirmation check is discrepant; else inconclusive if any confirmation check is inconclusive or there is none; else confirmed. Alternative readings and passing consistency checks do not count."

    /// FNV-1a 64 of the canonical (key-sorted) JSON of a claim's settings, in hex.
    public static func settingsHash(_ settings: [String: JSONValue]) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = (try? e.encode(settings)).map { String(decoding: $0, as: UTF8.self) } ?? "\(settings)"
        return String(format: "%016llx", RandomStream.fnv1a64(text))
    }

    /// Check a claim's (possibly overridden) settings without running anything: its
    /// `validate`, then its plan (which reads every parameter it needs). Throws
    /// `ClaimError.invalidParameter` for bad input.
    public static func validate(_ claim: Claim, tier: Tier, seed: UInt64 = defaultSeed) throws {
        let params = claim.tiers[tier] ?? [:]
        try claim.validate(params)
        let ctx = ClaimContext(claimID: claim.id, tier: tier, parameters: params, seed: seed, jobs: 1)
        let sets = try claim.measurement.plan(ctx)
        for s in sets where s.count < 0 { throw ClaimError.invalidParameter("\(claim.id): realization set '\(s.label)' has count \(s.count)") }
    }

    /// A claim's plan under a tier's settings (empty for single-run claims).
    public static func plan(_ claim: Claim, options: RunOptions) throws -> [RealizationSet] {
        let params = claim.tiers[options.tier] ?? [:]
        return try claim.measurement.plan(ClaimContext(claimID: claim.id, tier: options.tier, parameters: params,
                                                       seed: options.seed, jobs: 1))
    }

    /// Run one claim in this process. Thrown errors become `error`; a crash (trap) is not
    /// caught here: the CLI runs each claim in a child process for that (see `SubprocessExecutor`).
    public static func evaluate(_ claim: Claim, options: RunOptions, checkpoint: RealizationCheckpoint? = nil,
                                progress: @escaping @Sendable (Double) -> Void = { _ in }) -> ClaimResult {
        let params = claim.tiers[options.tier] ?? [:]
        let streams = StreamLog()
        let context = ClaimContext(claimID: claim.id, tier: options.tier, parameters: params, seed: options.seed,
                                   jobs: options.jobs, progress: progress, streams: streams)
        let start = DispatchTime.now()
        let timing = SetTiming()
        let outcome = Result { () throws -> Evidence in
            try claim.validate(params)
            return try measure(claim.measurement, context: context, checkpoint: checkpoint, timing: timing)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        switch outcome {
        case let .failure(error):
            var result = errorResult(claim, tier: options.tier, seed: options.seed, settings: params, seconds: seconds,
                                     message: "\(error)")
            result.streams = streams.sets
            if case ClaimError.invalidParameter = error { result.invalidParameter = true }
            return result
        case let .success(evidence):
            var r = judge(claim, evidence: evidence, tier: options.tier, seed: options.seed, settings: params, seconds: seconds)
            r.streams = streams.sets
            r.setSeconds = timing.seconds
            r.blasThreads = BLAS.threads
            return r
        }
    }

    /// Plan, realizations (in parallel, reduced in realization order), analysis.
    ///
    /// Every realization is encoded to JSON as soon as it is computed and the analysis reads
    /// the decoded values: the analysis therefore sees exactly the same numbers whether the
    /// realizations were computed here, read back from a checkpoint, or merged from shards.
    static func measure(_ m: ClaimMeasurement, context ctx: ClaimContext,
                        checkpoint: RealizationCheckpoint? = nil, timing: SetTiming? = nil) throws -> Evidence {
        guard m.isPlanned else { return try m.analyze(ctx, [], []) }
        let sets = try m.plan(ctx)
        let encoded = try realize(m, sets: sets, tasks: 0..<sets.reduce(0) { $0 + $1.count }, context: ctx,
                                  checkpoint: checkpoint, progressScale: 0.98, timing: timing)
        let evidence = try analyze(m, sets: sets, encoded: encoded, context: ctx)
        ctx.progress(1)
        return evidence
    }

    /// The realizations `tasks` of a plan (task index = realization index within the
    /// concatenation of the plan's sets), as encoded JSON, computed in parallel; those a
    /// checkpoint already holds are read instead of computed, and new ones are saved to it.
    static func realize(_ m: ClaimMeasurement, sets: [RealizationSet], tasks: Range<Int>, context ctx: ClaimContext,
                        checkpoint: RealizationCheckpoint?, progressScale: Double, timing: SetTiming? = nil) throws -> [Data] {
        let offsets = sets.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        precondition(tasks.lowerBound >= 0 && tasks.upperBound <= offsets.last!, "task range outside the plan")
        for s in sets { ctx.streams.record(s.sharedStream ?? ctx.streamLabel(s.label), s.count, settings: s.settings) }
        var stored = checkpoint?.load() ?? [:]
        // Shared ensembles another claim of this run has already computed.
        let shared = SharedRealizationStore.fromEnvironment()
        if let store = shared {
            for (i, s) in sets.enumerated() where s.sharedStream != nil && tasks.overlaps(offsets[i]..<offsets[i + 1]) {
                guard let values = store.load(s, seed: ctx.seed) else { continue }
                for (k, v) in values.enumerated() where tasks.contains(offsets[i] + k) && stored[offsets[i] + k] == nil {
                    stored[offsets[i] + k] = v
                }
            }
        }
        let stored0 = stored
        let report = ctx.progress
        let n = tasks.count
        let seed = ctx.seed
        timing?.reset(sets.count)
        let encoded = try parallelMap(count: n, jobs: ctx.jobs, progress: { d in report(progressScale * Double(d) / Double(max(n, 1))) }) { j -> Data in
            let t = tasks.lowerBound + j
            if let d = stored0[t] { return d }
            var i = 0
            while offsets[i + 1] <= t { i += 1 }
            let k = t - offsets[i]
            var rng = RandomStream(seed: seed, label: sets[i].sharedStream ?? ctx.streamLabel(sets[i].label), realization: UInt64(k))
            let start = DispatchTime.now().uptimeNanoseconds
            let data = try m.encode(try m.realize(ctx, sets[i], k, &rng))
            timing?.add(set: i, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            checkpoint?.save(task: t, value: data)
            return data
        }
        if let store = shared {
            for (i, s) in sets.enumerated() where s.sharedStream != nil
                && tasks.lowerBound <= offsets[i] && offsets[i + 1] <= tasks.upperBound {
                store.save(s, seed: seed, values: Array(encoded[(offsets[i] - tasks.lowerBound)..<(offsets[i + 1] - tasks.lowerBound)]))
            }
        }
        return encoded
    }

    /// Decode all realizations of a plan (task order) and run the analysis.
    static func analyze(_ m: ClaimMeasurement, sets: [RealizationSet], encoded: [Data], context ctx: ClaimContext) throws -> Evidence {
        let offsets = sets.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        precondition(encoded.count == offsets.last!, "realizations do not cover the plan")
        let values = try sets.indices.map { i in try encoded[offsets[i]..<offsets[i + 1]].map { try m.decode($0) } }
        return try m.analyze(ctx, sets, values)
    }

    /// Run only the realizations `tasks` of a planned claim and return them raw (a
    /// realization-range shard); `evaluate(_:options:records:)` merges shards.
    public static func realizationShard(_ claim: Claim, options: RunOptions, tasks requested: Range<Int>,
                                        checkpoint: RealizationCheckpoint? = nil,
                                        progress: @escaping @Sendable (Double) -> Void = { _ in }) throws -> RealizationRecords {
        let params = claim.tiers[options.tier] ?? [:]
        let ctx = ClaimContext(claimID: claim.id, tier: options.tier, parameters: params, seed: options.seed,
                               jobs: options.jobs, progress: progress)
        guard claim.measurement.isPlanned else {
            throw ClaimError.invalidParameter("\(claim.id) is not measured as independent realizations; shard it by claim (--shard), not by realization")
        }
        try claim.validate(params)
        let sets = try claim.measurement.plan(ctx)
        let total = sets.reduce(0) { $0 + $1.count }
        let tasks = min(requested.lowerBound, total)..<min(requested.upperBound, total)
        let start = DispatchTime.now()
        let timing = SetTiming()
        let data = try realize(claim.measurement, sets: sets, tasks: tasks, context: ctx, checkpoint: checkpoint, progressScale: 1,
                               timing: timing)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return RealizationRecords(claim: claim.id, tier: options.tier.rawValue, seed: String(options.seed),
                                  settingsHash: settingsHash(params), sets: sets, total: total,
                                  lower: tasks.lowerBound, upper: tasks.upperBound,
                                  values: data.map { String(decoding: $0, as: UTF8.self) }, seconds: seconds,
                                  setSeconds: timing.seconds)
    }

    /// The claim's result from realization shards that together cover its plan exactly once
    /// (bitwise that of one unsharded run). Throws `ShardError` for an incomplete,
    /// overlapping or inconsistent set.
    public static func evaluate(_ claim: Claim, options: RunOptions, records: [RealizationRecords]) throws -> ClaimResult {
        let params = claim.tiers[options.tier] ?? [:]
        let hash = settingsHash(params)
        let streams = StreamLog()
        let ctx = ClaimContext(claimID: claim.id, tier: options.tier, parameters: params, seed: options.seed,
                               jobs: options.jobs, streams: streams)
        let sets = try claim.measurement.plan(ctx)
        let total = sets.reduce(0) { $0 + $1.count }
        for r in records {
            guard r.claim == claim.id, r.tier == options.tier.rawValue, r.seed == String(options.seed), r.settingsHash == hash else {
                throw ShardError.inconsistent("\(r.claim) [\(r.tier), seed \(r.seed), settings \(r.settingsHash)] does not belong to \(claim.id) [\(options.tier.rawValue), seed \(options.seed), settings \(hash)]")
            }
            guard r.sets == sets, r.total == total, r.values.count == r.upper - r.lower else {
                throw ShardError.inconsistent("\(claim.id): realizations \(r.lower)..<\(r.upper) were made with another plan")
            }
        }
        let sorted = records.sorted { $0.lower < $1.lower }
        var next = 0
        for r in sorted where r.upper > r.lower {
            if r.lower > next { throw ShardError.incomplete("\(claim.id): realizations \(next)..<\(r.lower) of \(total) are missing") }
            if r.lower < next { throw ShardError.duplicated("\(claim.id): realizations \(r.lower)..<\(min(next, r.upper)) appear twice") }
            next = r.upper
        }
        if next < total { throw ShardError.incomplete("\(claim.id): realizations \(next)..<\(total) of \(total) are missing") }
        let encoded = sorted.flatMap { $0.values.map { Data($0.utf8) } }
        for s in sets { streams.record(s.sharedStream ?? ctx.streamLabel(s.label), s.count, settings: s.settings) }
        let seconds = records.reduce(0) { $0 + $1.seconds }
        let start = DispatchTime.now()
        do {
            let evidence = try analyze(claim.measurement, sets: sets, encoded: encoded, context: ctx)
            let analysis = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            var r = judge(claim, evidence: evidence, tier: options.tier, seed: options.seed, settings: params, seconds: seconds + analysis)
            r.streams = streams.sets
            r.setSeconds = sets.indices.map { i in records.reduce(0) { $0 + ($1.setSeconds?[i] ?? 0) } }
            return r
        } catch {
            return errorResult(claim, tier: options.tier, seed: options.seed, settings: params, seconds: seconds, message: "\(error)")
        }
    }

    /// A result for a claim that could not produce evidence.
    public static func errorResult(_ claim: Claim, tier: Tier, seed: UInt64, settings: [String: JSONValue], seconds: Double,
                                   message: String) -> ClaimResult {
        ClaimResult(id: claim.id, paper: claim.paper.rawValue, reference: claim.reference, statement: claim.statement,
                    tier: tier.rawValue, seed: String(seed), settings: settings, settingsHash: settingsHash(settings),
                    streams: [], verdict: .error, verdictRule: verdictRule, message: message, checks: [], method: "",
                    choices: [:], findings: [], series: [], figures: [], data: [:], seconds: seconds)
    }

    /// Judge one check (docs/VERDICTS.md).
    public static func judge(_ sc: StatementCheck, defaultComparison: Comparison, claimStatement: String) -> CheckResult {
        let cmp = sc.comparison ?? defaultComparison
        let c = sc.check, ctl = sc.control.check
        let tol = sc.tolerance.value
        let stat = cmp.statistic(c)
        let decision = cmp.decide(c, tolerance: tol)
        let ctlStat = cmp.statistic(ctl)
        let ctlDecision = cmp.decide(ctl, tolerance: tol)
        var power = sc.resolvingPower ?? cmp.resolvingPower(c, tolerance: tol)
        if power == nil, cmp == .ksTest, let ks = c.ks, ks.effectiveSize > 0, tol > 0, tol < 1 {
            // Smallest KS distance rejected at significance α: c(α)/√n_eff, c(α) = √(−ln(α/2)/2).
            power = (-Foundation.log(tol / 2) / 2).squareRoot() / ks.effectiveSize.squareRoot()
        }
        let distance = sc.control.distance ?? abs(ctl.predicted - c.predicted)
        let ratio = power.flatMap { $0 > 0 ? distance / $0 : nil }
        let weak = sc.exact ? false : (ratio.map { $0 > 10 } ?? true)
        let estimates = sc.estimates.isEmpty ? (sc.scale?.extrapolations ?? []) : sc.estimates
        let estimateResults = estimates.map { e in
            EstimateResult(name: e.name, value: e.value.finiteOrNil, uncertainty: e.uncertainty?.finiteOrNil,
                           decision: cmp.decide(Check(predicted: c.predicted, measured: e.value, uncertainty: e.uncertainty, ks: e.ks), tolerance: tol))
        }
        var verdict: Verdict
        var message: String? = nil
        if !c.isFinite || !ctl.isFinite || !tol.isFinite {
            verdict = .error
            message = "non-finite prediction, measurement, uncertainty or tolerance"
        } else if cmp == .zScore && !((c.totalUncertainty ?? 0) > 0 && (ctl.totalUncertainty ?? 0) > 0) {
            verdict = .error
            message = "a z-score comparison needs a positive uncertainty for the check and the control"
        } else if cmp == .ksTest && (c.ks == nil || ctl.ks == nil) {
            verdict = .error
            message = "a KS comparison needs the KS result of the sample and of the control"
        } else if sc.exact && ((c.uncertainty ?? 0) > 0 || cmp == .zScore || cmp == .ksTest) {
            verdict = .error
            message = "an exact check compares a deterministic number within a resolution bound: no statistical uncertainty, no z-score or KS test"
        } else if let reason = sc.inconclusiveReason {
            verdict = .inconclusive
            message = reason
        } else {
            switch decision {
            case .passes:
                if ctlDecision != .fails {
                    verdict = .inconclusive
                    message = "the control (\(sc.control.description)) is not rejected either (statistic \(formatNumber(ctlStat)) vs tolerance \(formatNumber(tol))): at this tier the check cannot tell the prediction from the nearest wrong answer"
                } else if weak {
                    verdict = .inconclusive
                    message = ratio.map { "weak control: it lies \(formatNumber($0, digits: 3))× the resolving power from the prediction (> 10), so agreement says little" }
                        ?? "the resolving power of this check is not stated, so its control cannot be judged"
                } else {
                    verdict = .confirmed
                }
            case .fails:
                let holdouts = zip(estimates, estimateResults).filter { $0.1.decision != .fails }.map(\.0.name)
                if !holdouts.isEmpty {
                    verdict = .inconclusive
                    message = "the headline estimate excludes the prediction, but " + holdouts.joined(separator: ", ") + " do\(holdouts.count == 1 ? "es" : "") not: discrepant only when every defensible estimate excludes it"
                } else {
                    verdict = .discrepant
                    if ctlDecision != .fails { message = "the measurement agrees with the control instead: \(sc.control.description)" }
                }
            case .undecided:
                verdict = .inconclusive
                message = "statistic \(formatNumber(stat)) is within 2σ (\(formatNumber(2 * cmp.statisticUncertainty(c)))) of the tolerance \(formatNumber(tol)): more statistics needed"
            }
        }
        return CheckResult(
            id: sc.id, statement: sc.statement.isEmpty ? claimStatement : sc.statement, role: sc.role, comparison: cmp,
            statisticMeaning: cmp.statisticMeaning, predicted: c.predicted.finiteOrNil, measured: c.measured.finiteOrNil,
            uncertainty: c.totalUncertainty?.finiteOrNil, statisticalUncertainty: c.uncertainty?.finiteOrNil,
            systematicUncertainty: c.systematic?.finiteOrNil, unit: sc.unit, tolerance: tol.finiteOrNil,
            toleranceJustification: sc.tolerance.justification, statistic: stat.finiteOrNil,
            statisticUncertainty: (2 * cmp.statisticUncertainty(c)).finiteOrNil, decision: decision,
            resolvingPower: power?.finiteOrNil,
            resolvingPowerRelative: power.flatMap { c.predicted != 0 ? ($0 / abs(c.predicted)).finiteOrNil : nil },
            control: ControlResult(description: sc.control.description, predicted: ctl.predicted.finiteOrNil,
                                   statistic: ctlStat.finiteOrNil, rejected: ctlDecision == .fails,
                                   distance: distance.finiteOrNil, distanceInPower: ratio?.finiteOrNil, weak: weak),
            exact: sc.exact, estimates: estimateResults, scale: sc.scale, verdict: verdict, message: message,
            correctedForm: sc.correctedForm, regressionTolerance: sc.regressionTolerance)
    }

    /// The claim's verdict from its checks (`verdictRule`), with a one-line reason.
    public static func summarize(_ checks: [CheckResult]) -> (Verdict, String?) {
        if let e = checks.first(where: { $0.verdict == .error }) {
            return (.error, "check '\(e.id)': \(e.message ?? "error")")
        }
        if let k = checks.first(where: { $0.role == .consistency && $0.verdict == .discrepant }) {
            return (.error, "consistency check '\(k.id)' failed: the project's own identity or derivation does not hold")
        }
        let confirmations = checks.filter { $0.role == .confirmation }
        let n = confirmations.count
        func count(_ v: Verdict) -> Int { confirmations.filter { $0.verdict == v }.count }
        let mainNote = checks.first.map { "main statement \($0.verdict.rawValue)" } ?? ""
        if count(.discrepant) > 0 {
            return (.discrepant, "\(count(.discrepant)) of \(n) confirmation checks discrepant; \(mainNote)")
        }
        if n == 0 { return (.inconclusive, "only consistency checks: nothing of the paper is confirmed by them") }
        if count(.inconclusive) > 0 {
            return (.inconclusive, "\(count(.inconclusive)) of \(n) confirmation checks inconclusive; \(mainNote)")
        }
        return (.confirmed, n > 1 ? "all \(n) confirmation checks confirmed" : nil)
    }

    /// Apply the verdict rules to a claim's evidence.
    public static func judge(_ claim: Claim, evidence e: Evidence, tier: Tier, seed: UInt64,
                             settings: [String: JSONValue], seconds: Double) -> ClaimResult {
        let checks = e.checks.map { judge($0, defaultComparison: claim.comparison, claimStatement: claim.statement) }
        let (verdict, message) = summarize(checks)
        return ClaimResult(
            id: claim.id, paper: claim.paper.rawValue, reference: claim.reference, statement: claim.statement,
            tier: tier.rawValue, seed: String(seed), settings: settings, settingsHash: settingsHash(settings),
            streams: [], verdict: verdict, verdictRule: verdictRule, message: message, checks: checks,
            method: e.method, choices: e.parameters.filter { settings[$0.key] != $0.value },
            findings: e.findings, series: e.series, figures: e.figures, data: e.extra, seconds: seconds)
    }
}

/// Runs one claim in a child process (`paperverify _run-claim ID ...`) so that a crash
/// (trap, signal, out of memory) becomes an `error` verdict instead of ending the run.
/// The child prints the ClaimResult JSON on stdout and "progress <fraction>" lines on stderr.
public struct SubprocessExecutor: Sendable {
    public let executable: URL
    /// Passed to the child after the standard options (e.g. `--param` overrides).
    public let extraArguments: [String]
    public init(executable: URL, extraArguments: [String] = []) {
        self.executable = executable
        self.extraArguments = extraArguments
    }

    /// Run `_run-claim` in a child with these arguments; its stdout on success, else why not.
    func runChild(_ arguments: [String], blasThreads: Int, progress: @escaping @Sendable (Double) -> Void) -> (output: Data?, failure: String?) {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments + extraArguments
        var env = [BLAS.threadsVariable: "\(blasThreads)"]
        if let v = getenv(SharedRealizationStore.environmentVariable) { env[SharedRealizationStore.environmentVariable] = String(cString: v) }
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        let stderrTail = TailBuffer()
        let stdoutData = DataBox()
        err.fileHandleForReading.readabilityHandler = { h in
            let d = h.availableData
            guard !d.isEmpty, let s = String(data: d, encoding: .utf8) else { return }
            for line in s.split(separator: "\n") {
                if line.hasPrefix("progress "), let f = Double(line.dropFirst(9)) { progress(f) }
                else { stderrTail.append(String(line)) }
            }
        }
        out.fileHandleForReading.readabilityHandler = { h in stdoutData.append(h.availableData) }
        do { try p.run() } catch { return (nil, "could not start \(executable.path): \(error)") }
        p.waitUntilExit()
        out.fileHandleForReading.readabilityHandler = nil
        err.fileHandleForReading.readabilityHandler = nil
        stdoutData.append(out.fileHandleForReading.readDataToEndOfFile())
        if p.terminationReason == .exit, p.terminationStatus == 0 { return (stdoutData.data, nil) }
        let how = p.terminationReason == .uncaughtSignal ? "crashed (signal \(p.terminationStatus))"
                                                          : "exited with status \(p.terminationStatus)"
        let tail = stderrTail.lines.suffix(3).joined(separator: " | ")
        return (nil, "claim process \(how)" + (tail.isEmpty ? "" : ": \(tail)"))
    }

    /// The child of a claim with `blasThreads` > 1 runs jobs/blasThreads realizations at once.
    func baseArguments(_ claim: Claim, _ options: RunOptions, checkpoint: URL?) -> [String] {
        ["_run-claim", claim.id, "--tier", options.tier.rawValue, "--seed", "\(options.seed)",
         "--jobs", "\(max(1, options.jobs / claim.blasThreads))"]
            + (checkpoint.map { ["--checkpoint-file", $0.path] } ?? [])
    }

    public func evaluate(_ claim: Claim, options: RunOptions, checkpoint: URL? = nil,
                         progress: @escaping @Sendable (Double) -> Void) -> ClaimResult {
        let start = Date()
        let (data, failure) = runChild(baseArguments(claim, options, checkpoint: checkpoint), blasThreads: claim.blasThreads, progress: progress)
        if let d = data, let r = try? JSONDecoder().decode(ClaimResult.self, from: d) { return r }
        return Runner.errorResult(claim, tier: options.tier, seed: options.seed, settings: claim.tiers[options.tier] ?? [:],
                                  seconds: Date().timeIntervalSince(start),
                                  message: failure ?? "claim process printed no result")
    }

    /// The realizations `tasks` of a planned claim, computed in a child process.
    public func realizationShard(_ claim: Claim, options: RunOptions, tasks: Range<Int>, checkpoint: URL? = nil,
                                 progress: @escaping @Sendable (Double) -> Void) throws -> RealizationRecords {
        let (data, failure) = runChild(baseArguments(claim, options, checkpoint: checkpoint)
                                       + ["--realizations", "\(tasks.lowerBound):\(tasks.upperBound)"], blasThreads: claim.blasThreads, progress: progress)
        guard let d = data else { throw ShardError.failed("\(claim.id) realizations \(tasks.lowerBound):\(tasks.upperBound): \(failure ?? "no output")") }
        return try JSONDecoder().decode(RealizationRecords.self, from: d)
    }
}

final class TailBuffer: @unchecked Sendable {
    private var storage = [String]()
    private let lock = NSLock()
    func append(_ s: String) { lock.lock(); storage.append(s); if storage.count > 50 { storage.removeFirst() }; lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return storage }
}

final class DataBox: @unchecked Sendable {
    private var storage = Data()
    private let lock = NSLock()
    func append(_ d: Data) { lock.lock(); storage.append(d); lock.unlock() }
    var data: Data { lock.lock(); defer { lock.unlock() }; return storage }
}

/// A one-line progress display on stderr (claims done/total, current claim, elapsed, ETA),
/// redrawn at most 4 times a second, only when stderr is a terminal and the run has
/// lasted more than 2 seconds.
public final class ProgressLine: @unchecked Sendable {
    private let total: Int
    /// Expected seconds of each item (the baseline's recorded times); the ETA weighs items by them.
    private let expected: [Double]
    private var done = 0
    private var fraction = 0.0
    private var current = ""
    private let start = Date()
    private let lock = NSLock()
    private let enabled: Bool
    private var timer: DispatchSourceTimer?
    private var drawn = false

    public init(total: Int, expected: [Double]? = nil, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.total = total
        self.expected = expected.flatMap { $0.count == total && $0.allSatisfy { $0 > 0 } ? $0 : nil } ?? [Double](repeating: 1, count: total)
        self.enabled = enabled
        guard enabled else { return }
        let t = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        t.schedule(deadline: .now() + 2, repeating: 0.25)
        t.setEventHandler { [weak self] in self?.draw() }
        t.resume()
        timer = t
    }

    /// One line on stderr (a finished claim), above the progress line when one is drawn.
    public func log(_ line: String) {
        lock.lock(); let d = drawn; lock.unlock()
        FileHandle.standardError.write(Data(((enabled && d) ? "\r\u{1B}[2K" : "") .utf8) + Data("paperverify: \(line)\n".utf8))
    }

    public func begin(_ claimID: String) { lock.lock(); current = claimID; fraction = 0; lock.unlock() }
    public func update(_ f: Double) { lock.lock(); fraction = min(max(f, 0), 1); lock.unlock() }
    public func end() { lock.lock(); done += 1; fraction = 0; lock.unlock() }

    private func draw() {
        lock.lock()
        let elapsed = Date().timeIntervalSince(start)
        // Progress in expected seconds: finished items plus the current one's (monotone) fraction.
        let all = expected.reduce(0, +)
        let finished = expected.prefix(done).reduce(0, +) + (done < expected.count ? expected[done] * fraction : 0)
        let progress = all > 0 ? finished / all : 0
        let eta = progress > 0.01 ? elapsed / progress - elapsed : .nan
        let line = String(format: "[%d/%d] %@  %3.0f%%  elapsed %@  ETA %@", done, total, current, 100 * fraction,
                          Self.clock(elapsed), eta.isFinite ? Self.clock(eta) : "--")
        drawn = true
        lock.unlock()
        FileHandle.standardError.write(("\r\u{1B}[2K" + line).data(using: .utf8)!)
    }

    public func finish() {
        timer?.cancel()
        timer = nil
        lock.lock(); let d = drawn; lock.unlock()
        if enabled && d { FileHandle.standardError.write("\r\u{1B}[2K".data(using: .utf8)!) }
    }

    static func clock(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 3600 ? String(format: "%dh%02dm", t / 3600, (t % 3600) / 60) : String(format: "%dm%02ds", t / 60, t % 60)
    }
}
