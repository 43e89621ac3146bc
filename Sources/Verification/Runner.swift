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

/// Evaluates claims: runs the simulation, applies the comparison to the headline check and
/// to the control, and turns every failure into an `error` verdict with its message.
public enum Runner {
    /// The default master seed (`--seed`).
    public static let defaultSeed: UInt64 = 20261122

    /// Run one claim in this process. Thrown errors become `error`; a crash (trap) is not
    /// caught here: the CLI runs each claim in a child process for that (see `SubprocessExecutor`).
    public static func evaluate(_ claim: Claim, options: RunOptions,
                                progress: @escaping @Sendable (Double) -> Void = { _ in }) -> ClaimResult {
        let params = claim.tiers[options.tier] ?? [:]
        let context = ClaimContext(claimID: claim.id, tier: options.tier, parameters: params, seed: options.seed,
                                   jobs: options.jobs, progress: progress)
        let start = DispatchTime.now()
        let outcome = Result { () throws -> Evidence in
            try claim.validate(params)
            return try claim.run(context)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        // Every result records the master seed (exactly: a UInt64 above Int.max is written
        // as a decimal string), so each stream (seed, claim/label, realization) can be rebuilt.
        let seed: JSONValue = options.seed <= UInt64(Int.max) ? .int(Int(options.seed)) : .string("\(options.seed)")
        switch outcome {
        case let .failure(error):
            var result = errorResult(claim, tier: options.tier, parameters: params.merging(["seed": seed]) { $1 },
                                     seconds: seconds, message: "\(error)")
            if case ClaimError.invalidParameter = error { result.invalidParameter = true }
            return result
        case var .success(evidence):
            evidence.parameters["seed"] = seed
            return judge(claim, evidence: evidence, tier: options.tier, seconds: seconds)
        }
    }

    /// A result for a claim that could not produce evidence.
    public static func errorResult(_ claim: Claim, tier: Tier, parameters: [String: JSONValue], seconds: Double,
                                   message: String) -> ClaimResult {
        ClaimResult(id: claim.id, paper: claim.paper.rawValue, reference: claim.reference, statement: claim.statement,
                    verdict: .error, comparison: claim.comparison.rawValue, predicted: nil, measured: nil,
                    uncertainty: nil, tolerance: nil, toleranceJustification: nil, statistic: nil, control: nil,
                    parameters: parameters, series: [], seconds: seconds, message: message, method: "",
                    findings: [], correctedForm: nil, regressionTolerance: nil, tier: tier.rawValue, figures: [],
                    extra: [:])
    }

    /// Apply the verdict rules of ARCHITECTURE.md to a claim's evidence.
    public static func judge(_ claim: Claim, evidence e: Evidence, tier: Tier, seconds: Double) -> ClaimResult {
        let cmp = claim.comparison
        let tol = e.tolerance.value
        let stat = cmp.statistic(e.check)
        let controlStat = cmp.statistic(e.control.check)
        let controlDecision = cmp.decide(e.control.check, tolerance: tol)
        var verdict: Verdict
        var message: String? = nil
        if !e.check.isFinite || !e.control.check.isFinite || !tol.isFinite {
            verdict = .error
            message = "non-finite prediction, measurement, uncertainty or tolerance"
        } else if cmp == .zScore && !((e.check.uncertainty ?? 0) > 0 && (e.control.check.uncertainty ?? 0) > 0) {
            verdict = .error
            message = "a z-score comparison needs a positive uncertainty for the check and the control"
        } else if cmp == .ksTest && (e.check.ks == nil || e.control.check.ks == nil) {
            verdict = .error
            message = "a KS comparison needs the KS result of the sample and of the control"
        } else if controlDecision != .fails {
            verdict = .error
            message = "control not rejected (\(controlDecision.rawValue), statistic \(formatNumber(controlStat)) vs tolerance \(formatNumber(tol))): the check has no power at this tier"
        } else if let reason = e.inconclusiveReason {
            verdict = .inconclusive
            message = reason
        } else {
            switch cmp.decide(e.check, tolerance: tol) {
            case .passes: verdict = .confirmed
            case .fails: verdict = .discrepant
            case .undecided:
                verdict = .inconclusive
                message = "statistic \(formatNumber(stat)) is within 2σ (\(formatNumber(cmp.statisticUncertainty(e.check)))) of the tolerance \(formatNumber(tol)): more statistics needed"
            }
        }
        return ClaimResult(
            id: claim.id, paper: claim.paper.rawValue, reference: claim.reference, statement: claim.statement,
            verdict: verdict, comparison: cmp.rawValue, predicted: e.check.predicted.finiteOrNil,
            measured: e.check.measured.finiteOrNil, uncertainty: e.check.uncertainty?.finiteOrNil,
            tolerance: tol.finiteOrNil, toleranceJustification: e.tolerance.justification, statistic: stat.finiteOrNil,
            control: ControlResult(description: e.control.description, predicted: e.control.check.predicted.finiteOrNil,
                                   statistic: controlStat.finiteOrNil,
                                   verdict: controlDecision == .fails ? "rejected" : "not rejected"),
            parameters: e.parameters, series: e.series, seconds: seconds, message: message, method: e.method,
            findings: e.findings, correctedForm: e.correctedForm, regressionTolerance: e.regressionTolerance,
            tier: tier.rawValue, figures: e.figures, extra: e.extra)
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

    public func evaluate(_ claim: Claim, options: RunOptions, progress: @escaping @Sendable (Double) -> Void) -> ClaimResult {
        let start = Date()
        let p = Process()
        p.executableURL = executable
        p.arguments = ["_run-claim", claim.id, "--tier", options.tier.rawValue, "--seed", "\(options.seed)",
                       "--jobs", "\(options.jobs)"] + extraArguments
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
        do { try p.run() } catch {
            return Runner.errorResult(claim, tier: options.tier, parameters: claim.tiers[options.tier] ?? [:],
                                      seconds: 0, message: "could not start \(executable.path): \(error)")
        }
        p.waitUntilExit()
        out.fileHandleForReading.readabilityHandler = nil
        err.fileHandleForReading.readabilityHandler = nil
        stdoutData.append(out.fileHandleForReading.readDataToEndOfFile())
        let seconds = Date().timeIntervalSince(start)
        if p.terminationReason == .exit, p.terminationStatus == 0,
           let r = try? JSONDecoder().decode(ClaimResult.self, from: stdoutData.data) {
            return r
        }
        let how = p.terminationReason == .uncaughtSignal ? "crashed (signal \(p.terminationStatus))"
                                                          : "exited with status \(p.terminationStatus)"
        let tail = stderrTail.lines.suffix(3).joined(separator: " | ")
        return Runner.errorResult(claim, tier: options.tier, parameters: claim.tiers[options.tier] ?? [:],
                                  seconds: seconds, message: "claim process \(how)" + (tail.isEmpty ? "" : ": \(tail)"))
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
    private var done = 0
    private var fraction = 0.0
    private var current = ""
    private let start = Date()
    private let lock = NSLock()
    private let enabled: Bool
    private var timer: DispatchSourceTimer?
    private var drawn = false

    public init(total: Int, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.total = total
        self.enabled = enabled
        guard enabled else { return }
        let t = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        t.schedule(deadline: .now() + 2, repeating: 0.25)
        t.setEventHandler { [weak self] in self?.draw() }
        t.resume()
        timer = t
    }

    public func begin(_ claimID: String) { lock.lock(); current = claimID; fraction = 0; lock.unlock() }
    public func update(_ f: Double) { lock.lock(); fraction = min(max(f, 0), 1); lock.unlock() }
    public func end() { lock.lock(); done += 1; fraction = 0; lock.unlock() }

    private func draw() {
        lock.lock()
        let elapsed = Date().timeIntervalSince(start)
        let progress = (Double(done) + fraction) / Double(max(total, 1))
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
