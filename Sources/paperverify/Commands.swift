import ArgumentParser
import Catalog
import Foundation
import Kernels
import Linalg
import Special
import Verification

/// Bad usage or input: one line on stderr, exit 2, no output written.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    let hint: String
    init(_ description: String, hint: String = "see `paperverify help`") { self.description = description; self.hint = hint }
}

extension Tier: ExpressibleByArgument {}

struct PaperVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paperverify",
        abstract: "Re-check the quantitative claims of five papers on ergodicity breaking and quantum synchronization.",
        discussion: "Exit status: 0 when nothing regressed, 1 on a regression against the baseline, 2 on bad usage or input.",
        subcommands: [List.self, Report.self, Merge.self, Compare.self, RunClaim.self])
}

// MARK: list

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the claims with id, paper, reference and tiers.")

    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        if json {
            struct Item: Encodable {
                let id, paper, reference, statement, comparison: String
                let tiers: [String: [String: JSONValue]]
            }
            let items = Catalog.claims.map { c in
                Item(id: c.id, paper: c.paper.rawValue, reference: c.reference, statement: c.statement,
                     comparison: c.comparison.rawValue,
                     tiers: Dictionary(uniqueKeysWithValues: c.tiers.map { ($0.key.rawValue, $0.value) }))
            }
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try e.encode(items), as: UTF8.self))
            return
        }
        let w = max(12, Catalog.claims.map(\.id.count).max() ?? 0)
        print("id".padding(toLength: w, withPad: " ", startingAt: 0) + "  paper              reference")
        for c in Catalog.claims {
            print(c.id.padding(toLength: w, withPad: " ", startingAt: 0) + "  "
                  + c.paper.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0) + " " + c.reference)
            for t in Tier.allCases {
                let p = c.tiers[t] ?? [:]
                print(String(repeating: " ", count: w + 4) + "\(t.rawValue): "
                      + p.keys.sorted().map { "\($0)=\(p[$0]!)" }.joined(separator: " "))
            }
        }
        let papers = Set(Catalog.claims.map(\.paper))
        let missing = Paper.allCases.filter { !papers.contains($0) }.map(\.rawValue)
        if !missing.isEmpty { print("\npapers without claims yet: " + missing.joined(separator: ", ")) }
    }
}

// MARK: report

/// Where a run's results go: the report, its figures, the results JSON and the baseline.
/// Shared by `report` and `merge`; everything is validated before any work starts.
struct OutputOptions: ParsableArguments {
    @Option(help: "Markdown report to write.") var output: String = "REPORT.md"
    @Option(help: "Folder for the SVG figures (default: <output stem>.figures next to the report).") var figures: String?
    @Option(help: "Also write the results JSON here.") var json: String?
    @Option(help: "Baseline to check against (default: reference-data/baseline.json if it exists).") var baseline: String?
    @Flag(help: "Accept this run: write its verdicts and values into the baseline.") var updateBaseline = false
    @Flag(help: "Skip the baseline check.") var noBaseline = false
    @Flag(help: "With --update-baseline: also accept a run with a non-default seed or --param overrides (stored under its own settings key).")
    var allowNondefaultBaseline = false

    /// Validated destinations and the loaded baseline.
    struct Prepared {
        var report: URL
        var figures: URL
        var json: URL?
        var baselineURL: URL?
        var baseline: Baseline?
    }

    /// The folder that must exist for a file to be written there.
    static func requireFolder(of path: String, option: String) throws -> URL {
        let url = URL(fileURLWithPath: path)
        var isDir: ObjCBool = false
        let dir = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
            throw UsageError("\(option) \(path): folder \(dir.path) does not exist", hint: "create it first or choose another path")
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue {
            throw UsageError("\(option) \(path) is a folder, expected a file path")
        }
        return url
    }

    func prepare() throws -> Prepared {
        let reportURL = try Self.requireFolder(of: output, option: "--output")
        let figuresURL = figures.map { URL(fileURLWithPath: $0) } ?? reportURL.deletingPathExtension().appendingPathExtension("figures")
        var isDir: ObjCBool = false
        let figuresParent = figuresURL.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: figuresParent.path, isDirectory: &isDir), isDir.boolValue else {
            throw UsageError("--figures \(figuresURL.path): folder \(figuresParent.path) does not exist", hint: "create it first or choose another path")
        }
        let jsonURL = try json.map { try Self.requireFolder(of: $0, option: "--json") }
        var prepared = Prepared(report: reportURL, figures: figuresURL, json: jsonURL)
        guard !noBaseline else { return prepared }
        let path = baseline ?? "reference-data/baseline.json"
        let url = URL(fileURLWithPath: path)
        if FileManager.default.fileExists(atPath: url.path) {
            do { prepared.baseline = try Baseline.load(url) } catch { throw UsageError("\(error)", hint: "pass --no-baseline to skip the check") }
            prepared.baselineURL = url
        } else if baseline != nil && !updateBaseline {
            throw UsageError("baseline \(path) does not exist", hint: "create it with --update-baseline, or omit --baseline")
        } else if updateBaseline {
            _ = try Self.requireFolder(of: path, option: "--baseline")
            prepared.baselineURL = url
            prepared.baseline = Baseline()
        }
        return prepared
    }

    /// Check regressions, write JSON, figures, report and (if asked) the baseline, print
    /// the summary; exit 1 on a regression.
    func publish(_ run: RunResult, to p: Prepared, command: String) throws {
        if updateBaseline && !allowNondefaultBaseline {
            let nondefault = run.claims.filter { r in
                guard let c = Catalog.claim(r.id), let t = Tier(rawValue: r.tier) else { return true }
                return r.seed != String(Runner.defaultSeed) || r.settingsHash != Runner.settingsHash(c.tiers[t] ?? [:])
            }
            if let first = nondefault.first {
                throw UsageError("--update-baseline: \(nondefault.count) claim(s) ran with a non-default seed or parameters (first: \(first.id), seed \(first.seed)); the baseline holds default runs",
                                 hint: "add --allow-nondefault-baseline to store them under their own settings key")
            }
        }
        let regressions = (updateBaseline || p.baseline == nil) ? nil : p.baseline!.regressions(run.claims)
        do {
            if let j = p.json { try writeAtomically(try run.encoded(), to: j) }
            let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let writer = ReportWriter(result: run, regressions: regressions,
                                      baselinePath: p.baselineURL.map { relativePath(from: cwd, to: $0) }, command: command)
            try writer.write(report: p.report, figures: p.figures)
            if updateBaseline, var b = p.baseline, let u = p.baselineURL {
                b.update(with: run.claims, replacingOtherSettings: !allowNondefaultBaseline)
                try writeAtomically(try b.encoded(), to: u)
            }
        } catch let e as UsageError { throw e } catch {
            throw UsageError("could not write the outputs: \(error.localizedDescription)")
        }
        for r in run.claims {
            let m = r.main?.measured.map { formatNumber($0, digits: 5) } ?? "—"
            let extra = r.checks.count > 1 ? " [\(r.checks.count) checks: " + r.checks.map { "\($0.id) \($0.verdict.rawValue)" }.joined(separator: ", ") + "]" : ""
            print("\(r.verdict.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(r.id)  measured \(m)  (\(String(format: "%.1f", r.seconds)) s)"
                  + extra + (r.message.map { "  — \($0)" } ?? ""))
        }
        if !updateBaseline, let b = p.baseline {
            for (id, why) in b.unmatched(run.claims) { print("note: \(id): \(why) — not compared") }
        }
        print("wrote \(output) and \(p.figures.path)" + (json.map { " and \($0)" } ?? ""))
        if updateBaseline, let u = p.baselineURL { print("baseline \(u.path) updated for tier \(run.provenance.tier)") }
        if let r = regressions, !r.isEmpty {
            FileHandle.standardError.write(Data("paperverify: \(r.count) regression(s) against \(p.baselineURL!.path):\n".utf8))
            for x in r { FileHandle.standardError.write(Data("  \(x)\n".utf8)) }
            throw ExitCode(1)
        }
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run claims, write the Markdown report (and results JSON), check the baseline.")

    @Option(help: "quick (seconds), standard (REPORT.md, minutes) or full (hours).") var tier: Tier = .standard
    @Option(parsing: .upToNextOption, help: "Run only these claim ids.") var only: [String] = []
    @Option(parsing: .upToNextOption, help: "Run only the claims of these papers.") var paper: [String] = []
    @Option(help: "Worker threads for realizations (default: the number of cores).") var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Master seed; realization k of claim C always uses the stream (seed, C, k).") var seed: UInt64 = Runner.defaultSeed
    @Option(help: "Run only shard k of n (k = 1…n) of the selected claims, e.g. 2/8 for a job array; combine the shards' --json files with `paperverify merge`.")
    var shard: String?
    @Flag(help: "Run claims in this process instead of one child process per claim (a crash then ends the run).") var inProcess = false
    @Option(name: .customLong("param"), help: "Override a tier parameter of the selected claims, key=value (value as JSON: 12, 0.5, [8,10]); repeatable.")
    var params: [String] = []
    @OptionGroup var out: OutputOptions

    func validate() throws {
        guard jobs >= 1 else { throw UsageError("--jobs must be at least 1, got \(jobs)", hint: "use --jobs 1 for a serial run") }
        _ = try parsedShard()
    }

    /// (k, n) with 1 ≤ k ≤ n, or nil.
    func parsedShard() throws -> (Int, Int)? {
        guard let s = shard else { return nil }
        let parts = s.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else {
            throw UsageError("--shard \(s): expected k/n with 1 ≤ k ≤ n", hint: "e.g. --shard 2/8")
        }
        return (k, n)
    }

    func selectedClaims() throws -> [Claim] {
        for id in only where Catalog.claim(id) == nil {
            throw UsageError("unknown claim '\(id)'", hint: "run `paperverify list` for the claim ids")
        }
        for key in paper where Paper(rawValue: key) == nil {
            throw UsageError("unknown paper '\(key)'", hint: "paper keys: " + Paper.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var claims = Catalog.claims
        if !paper.isEmpty { claims = claims.filter { paper.contains($0.paper.rawValue) } }
        if !only.isEmpty { claims = claims.filter { only.contains($0.id) } }
        if let (k, n) = try parsedShard() {
            // Claims are dealt round-robin in catalog order: a claim's shard depends only on
            // the selection, and each claim's numbers only on (seed, claim, realization).
            claims = claims.enumerated().filter { $0.offset % n == k - 1 }.map(\.element)
        }
        if !params.isEmpty {
            let overrides = try parseParamOverrides(params)
            claims = try claims.map { c in
                do { return try c.overriding(overrides, tier: tier) } catch { throw UsageError("\(error)", hint: "see `paperverify list` for each claim's parameters") }
            }
        }
        for c in claims {
            do { try Runner.validate(c, tier: tier, seed: seed) } catch {
                throw UsageError("\(c.id): \(error)", hint: "choose smaller parameters")
            }
        }
        if claims.isEmpty {
            throw UsageError("no claims selected (\(paper.isEmpty ? "" : "paper \(paper.joined(separator: ", ")) has none yet"))",
                             hint: "run `paperverify list`")
        }
        return claims
    }

    func run() throws {
        // 1. Validate everything before any work, so bad input never touches an output file.
        let claims = try selectedClaims()
        if out.updateBaseline && !out.allowNondefaultBaseline && (seed != Runner.defaultSeed || !params.isEmpty) {
            throw UsageError("--update-baseline with --seed or --param: the baseline holds default runs",
                             hint: "add --allow-nondefault-baseline to store this run under its own settings key")
        }
        let prepared = try out.prepare()

        // 2. Run, one claim at a time (each uses all cores for its realizations).
        let options = RunOptions(tier: tier, seed: seed, jobs: jobs)
        let started = ISO8601DateFormatter().string(from: Date())
        let t0 = Date()
        let progress = ProgressLine(total: claims.count)
        let executor = inProcess ? nil : SubprocessExecutor(executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(),
                                                            extraArguments: params.flatMap { ["--param", $0] })
        var results = [ClaimResult]()
        for c in claims {
            progress.begin(c.id)
            let update: @Sendable (Double) -> Void = { progress.update($0) }
            let result = executor?.evaluate(c, options: options, progress: update) ?? Runner.evaluate(c, options: options, progress: update)
            progress.end()
            // Parameters a claim refuses (checked before its simulation starts) are bad input:
            // stop here, exit 2, write nothing.
            if result.invalidParameter == true {
                progress.finish()
                throw UsageError("\(c.id): \(result.message ?? "invalid parameter")",
                                 hint: "see `paperverify list --json` for each claim's parameters")
            }
            results.append(result)
        }
        progress.finish()
        let provenance = Provenance(commit: Environment.commit(), tier: tier.rawValue, swift: Environment.swiftVersion(),
                                    blas: BLAS.configuration, gsl: GSL.version,
                                    cores: ProcessInfo.processInfo.activeProcessorCount, started: started,
                                    seconds: Date().timeIntervalSince(t0), seed: seed, jobs: jobs)

        // 3. Outputs and exit status.
        var cmd = "paperverify report --tier \(tier.rawValue)"
        if !only.isEmpty { cmd += " --only " + only.joined(separator: " ") }
        if !paper.isEmpty { cmd += " --paper " + paper.joined(separator: " ") }
        if let s = shard { cmd += " --shard \(s)" }
        if seed != Runner.defaultSeed { cmd += " --seed \(seed)" }
        for p in params { cmd += " --param \(p)" }
        try out.publish(RunResult(provenance: provenance, claims: results), to: prepared, command: cmd)
    }
}

// MARK: merge

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the results JSON of shards (`report --shard k/n --json ...`) into one report.")

    @Argument(help: "The shards' results JSON files.") var shards: [String]
    @OptionGroup var out: OutputOptions

    func run() throws {
        guard !shards.isEmpty else { throw UsageError("no shard files given", hint: "paperverify merge s1.json s2.json ...") }
        let parts = try shards.map { try Compare.load($0) }
        let prepared = try out.prepare()
        let first = parts[0].provenance
        for (path, p) in zip(shards, parts) where p.provenance.tier != first.tier || p.provenance.seed != first.seed {
            throw UsageError("\(path) is tier \(p.provenance.tier), seed \(p.provenance.seed); \(shards[0]) is tier \(first.tier), seed \(first.seed)",
                             hint: "merge only shards of one run")
        }
        var seen = Set<String>()
        var claims = [ClaimResult]()
        for (path, p) in zip(shards, parts) {
            for c in p.claims {
                guard seen.insert(c.id).inserted else { throw UsageError("claim \(c.id) appears twice (again in \(path))") }
                claims.append(c)
            }
        }
        // Catalog order, whatever the shard order.
        let order = Dictionary(uniqueKeysWithValues: Catalog.claims.enumerated().map { ($1.id, $0) })
        claims.sort { (order[$0.id] ?? Int.max, $0.id) < (order[$1.id] ?? Int.max, $1.id) }
        var provenance = first
        provenance.seconds = parts.reduce(0) { $0 + $1.provenance.seconds }
        provenance.commit = Set(parts.map(\.provenance.commit)).sorted().joined(separator: ",")
        try out.publish(RunResult(provenance: provenance, claims: claims), to: prepared,
                        command: "paperverify merge " + shards.joined(separator: " "))
    }
}

/// `--param key=value` pairs; values are JSON (numbers, lists, strings, booleans), a bare word is a string.
func parseParamOverrides(_ params: [String]) throws -> [String: JSONValue] {
    var out = [String: JSONValue]()
    for p in params {
        guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
            throw UsageError("--param \(p): expected key=value", hint: "e.g. --param matrixSize=400")
        }
        let key = String(p[..<eq]), raw = String(p[p.index(after: eq)...])
        let value = (try? JSONDecoder().decode(JSONValue.self, from: Data(raw.utf8))) ?? .string(raw)
        out[key] = value
    }
    return out
}

// MARK: compare

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the drift table between two results JSON files (exit 1 if anything regressed).")

    @Argument(help: "The reference results JSON.") var reference: String
    @Argument(help: "The new results JSON.") var candidate: String
    @Option(help: "Relative drift allowed (default: each claim's regression tolerance, else 1e-6).") var relativeTolerance: Double?

    static func load(_ path: String) throws -> RunResult {
        guard let d = FileManager.default.contents(atPath: path) else { throw UsageError("cannot read \(path)") }
        do { return try RunResult.decode(d) } catch {
            throw UsageError("\(path) is not a paperverify results JSON (schema \(RunResult.currentSchema)): \(error)")
        }
    }

    func run() throws {
        if let t = relativeTolerance, !(t.isFinite && t >= 0) {
            throw UsageError("--relative-tolerance must be a finite number ≥ 0, got \(t)")
        }
        let a = try Self.load(reference), b = try Self.load(candidate)
        let old = Dictionary(a.claims.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        print("tiers: \(a.provenance.tier) → \(b.provenance.tier); commits: \(a.provenance.commit) → \(b.provenance.commit)")
        let idWidth = 58
        print("claim / check".padding(toLength: idWidth, withPad: " ", startingAt: 0) + " verdict                     measured (ref → new)                 rel. drift  status")
        var regressions = 0
        for c in b.claims {
            guard let o = old[c.id] else {
                print(c.id.padding(toLength: idWidth, withPad: " ", startingAt: 0) + " new"); continue
            }
            var reference = Baseline(); reference.update(with: [o])
            let regs = Baseline.regressions(id: c.id, tier: c.tier, old: reference.entries[0], new: c, relativeOverride: relativeTolerance)
            regressions += regs.count
            let oldChecks = Dictionary(o.checks.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
            let verdict = o.verdict == c.verdict ? o.verdict.rawValue : "\(o.verdict.rawValue) → \(c.verdict.rawValue)"
            print(c.id.padding(toLength: idWidth, withPad: " ", startingAt: 0) + " " + verdict.padding(toLength: 27, withPad: " ", startingAt: 0)
                  + (regs.isEmpty ? "" : String(repeating: " ", count: 49) + "REGRESSION: " + regs.map(\.detail).joined(separator: "; ")))
            for k in c.checks {
                let ok = oldChecks[k.id]
                let drift: String
                if let x = ok?.measured, let y = k.measured { drift = formatNumber(x == 0 ? abs(y) : abs(y - x) / abs(x), digits: 2) } else { drift = "—" }
                let kv = ok.map { $0.verdict == k.verdict ? k.verdict.rawValue : "\($0.verdict.rawValue) → \(k.verdict.rawValue)" } ?? "new"
                let meas = "\(ok?.measured.map { formatNumber($0, digits: 8) } ?? "—") → \(k.measured.map { formatNumber($0, digits: 8) } ?? "—")"
                print(("  " + k.id).padding(toLength: idWidth, withPad: " ", startingAt: 0) + " "
                      + kv.padding(toLength: 27, withPad: " ", startingAt: 0) + " "
                      + meas.padding(toLength: 36, withPad: " ", startingAt: 0) + " " + drift)
            }
        }
        for id in old.keys.sorted() where !b.claims.contains(where: { $0.id == id }) {
            print(id.padding(toLength: idWidth, withPad: " ", startingAt: 0) + " missing from \(candidate)")
        }
        if regressions > 0 {
            print("\(regressions) regression(s)")
            throw ExitCode(1)
        }
        print("no regressions")
    }
}

// MARK: _run-claim (internal: one claim in a child process)

struct RunClaim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_run-claim", abstract: "Internal: run one claim and print its result JSON.", shouldDisplay: false)

    @Argument var id: String
    @Option var tier: Tier = .standard
    @Option var seed: UInt64 = Runner.defaultSeed
    @Option var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(name: .customLong("param")) var params: [String] = []

    func run() throws {
        guard var claim = Catalog.claim(id) else { throw UsageError("unknown claim '\(id)'") }
        claim = try claim.overriding(try parseParamOverrides(params), tier: tier)
        // Fault injection for the crash-isolation test: PAPERVERIFY_FAULT_INJECTION=crash:<claim id>.
        if ProcessInfo.processInfo.environment["PAPERVERIFY_FAULT_INJECTION"] == "crash:\(id)" {
            fatalError("fault injection: deliberate crash of \(id)")
        }
        guard jobs >= 1 else { throw UsageError("--jobs must be at least 1") }
        let last = Counter()
        let result = Runner.evaluate(claim, options: RunOptions(tier: tier, seed: seed, jobs: jobs)) { f in
            // At most ~100 progress lines per claim.
            let step = Int(f * 100)
            if step > last.current { while last.current < step { last.increment() }
                FileHandle.standardError.write(Data("progress \(f)\n".utf8)) }
        }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        FileHandle.standardOutput.write(try e.encode(result))
    }
}

// MARK: environment facts for the provenance header

enum Environment {
    static func capture(_ args: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let d = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return String(decoding: d, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func commit() -> String {
        if let env = ProcessInfo.processInfo.environment["PAPERVERIFY_COMMIT"], !env.isEmpty { return env }
        guard let c = capture(["git", "rev-parse", "--short=12", "HEAD"]) else { return "unknown" }
        let dirty = (capture(["git", "status", "--porcelain", "--untracked-files=no"]) ?? "").isEmpty ? "" : "-dirty"
        return c + dirty
    }

    static func swiftVersion() -> String {
        capture(["swift", "--version"])?.split(separator: "\n").first.map(String.init) ?? "unknown"
    }
}
