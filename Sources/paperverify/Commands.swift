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

/// Semantic version of paperverify (results schema 2, baseline schema 2).
let paperverifyVersion = "0.4.0"

struct PaperVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paperverify",
        abstract: "Re-check the quantitative claims of five papers on ergodicity breaking and quantum synchronization.",
        discussion: "Exit status: 0 when nothing regressed, 1 on a regression against the baseline, 2 on bad usage or input.",
        version: CommandLine.arguments.contains("--version") ? "paperverify \(paperverifyVersion) (commit \(Environment.commit()), results schema \(RunResult.currentSchema), BLAS: \(BLAS.configuration), kernels: \(OpenBLASCore.provenance))" : paperverifyVersion,
        subcommands: [List.self, Report.self, Plan.self, Merge.self, Compare.self, RunClaim.self, Bench.self, BLASCore.self])
}

// MARK: blas-core

/// Prints the OpenBLAS core this process runs with (after the Prescott-fallback correction of
/// `OpenBLASCore`). `ci/test` exports it as OPENBLAS_CORETYPE for the test process, which
/// cannot re-execute itself.
struct BLASCore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blas-core",
        abstract: "Print the OpenBLAS core (kernel family) paperverify runs with.",
        shouldDisplay: false)
    func run() throws { print(OpenBLASCore.name) }
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
/// Shared by `report` and `merge`. Everything is checked and locked before any work starts
/// (`OutputSet`), and written as one set at the end.
struct OutputOptions: ParsableArguments {
    @Option(help: "Markdown report to write (default: REPORT.md; a --shard run writes one only when this is given).") var output: String?
    @Option(help: "Folder for the SVG figures: a new folder or one paperverify wrote (default: <output stem>.figures next to the report).") var figures: String?
    @Option(help: "Also write the results JSON here.") var json: String?
    @Option(help: "Baseline to check against (default: reference-data/baseline.json of the paperverify package containing the current folder).") var baseline: String?
    @Flag(help: "Accept this run: write its verdicts and values into the baseline.") var updateBaseline = false
    @Flag(help: "Skip the baseline check.") var noBaseline = false
    @Flag(help: "With --update-baseline: also accept a run with a non-default seed or --param overrides (stored under its own settings key).")
    var allowNondefaultBaseline = false
    @Option(parsing: .upToNextOption, help: "Results JSON of the same claims at another tier (e.g. reference-data/results-full.json), shown beside this run's verdicts in the report.")
    var otherTier: [String] = []

    /// Checked, locked destinations and the loaded baseline.
    struct Prepared {
        var outputs: OutputSet
        var baseline: Baseline?
        /// Why no baseline is in use (printed with the summary), when it was not asked for.
        var noBaselineNote: String?
        /// `--other-tier` results, loaded and checked before any work.
        var otherTiers: [(label: String, run: RunResult)] = []
    }

    func validateFlags() throws {
        if updateBaseline && noBaseline {
            throw UsageError("--update-baseline and --no-baseline contradict each other", hint: "drop one of them")
        }
    }

    /// Resolve the baseline, then check and lock every output (`writeReport`: false for a
    /// shard without --output). Throws `UsageError` before anything is written.
    func prepare(writeReport: Bool) throws -> Prepared {
        try validateFlags()
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if !writeReport && figures != nil {
            throw UsageError("--figures without a report: a --shard run writes a report only when --output is given")
        }
        var baselinePath: String? = nil
        var note: String? = nil
        if noBaseline {
            note = nil
        } else if let b = baseline {
            baselinePath = b
        } else if let root = PackageRoot.find(from: cwd) {
            let path = root.appendingPathComponent("reference-data/baseline.json").path
            if FileManager.default.fileExists(atPath: path) || updateBaseline { baselinePath = path }
            else { note = "no baseline in use: \(path) does not exist; regressions were not checked" }
        } else if updateBaseline {
            throw UsageError("--update-baseline: no baseline to update (\(cwd.path) is not inside the paperverify package)",
                             hint: "pass --baseline PATH")
        } else {
            note = "no baseline in use: \(cwd.path) is not inside the paperverify package and no --baseline was given; regressions were not checked"
        }
        var loaded: Baseline? = nil
        if let path = baselinePath {
            if FileManager.default.fileExists(atPath: path) {
                do { loaded = try Baseline.load(URL(fileURLWithPath: path)) } catch {
                    throw UsageError("\(error)", hint: "pass --no-baseline to skip the check")
                }
            } else if updateBaseline {
                loaded = Baseline()
            } else {
                throw UsageError("baseline \(path) does not exist", hint: "create it with --update-baseline, or omit --baseline")
            }
        }
        var others = [(label: String, run: RunResult)]()
        for path in otherTier {
            guard let data = FileManager.default.contents(atPath: path) else { throw UsageError("--other-tier \(path): cannot read the file") }
            do {
                let r = try RunResult.decode(data)
                others.append((label: r.provenance.tier, run: r))
            } catch {
                throw UsageError("--other-tier \(path): not a paperverify results JSON (\(error))")
            }
        }
        let request = OutputRequest(report: writeReport ? (output ?? "REPORT.md") : nil, figures: writeReport ? figures : nil,
                                    json: json, baseline: baselinePath, writesBaseline: updateBaseline, cwd: cwd)
        do {
            return Prepared(outputs: try OutputSet.open(request), baseline: loaded, noBaselineNote: note, otherTiers: others)
        } catch let e as OutputError {
            throw UsageError(e.description, hint: e.hint)
        }
    }

    /// Check regressions, write the outputs as one set, print the summary; exit 1 on a regression.
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
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let out = p.outputs
        var contents = OutputContents()
        do {
            if let link = out.figureLink {
                let writer = ReportWriter(result: run, regressions: regressions,
                                          baselinePath: out.baseline.map { relativePath(from: cwd, to: $0.url) }, command: command,
                                          otherTiers: p.otherTiers)
                contents.report = Data(writer.markdown(figureLink: link).utf8)
                contents.figures = writer.renderedFigures()
            }
            if out.json != nil { contents.json = try run.encoded() }
            if updateBaseline, var b = p.baseline {
                b.update(with: run.claims, replacingOtherSettings: !allowNondefaultBaseline)
                contents.baseline = try b.encoded()
            }
        } catch {
            throw UsageError("could not encode the outputs: \(error)")
        }
        Interrupts.shared.enterCritical()
        do {
            try out.commit(contents, interrupted: { Interrupts.shared.pending != nil })
        } catch {
            Interrupts.shared.leaveCritical(note: "the previous outputs are unchanged")
            if let e = error as? OutputError { throw UsageError("could not write the outputs: \(e.description)", hint: e.hint) }
            throw UsageError("could not write the outputs: \(error)")
        }
        Interrupts.shared.leaveCritical(note: "the new outputs were written completely")
        for r in run.claims {
            let m = r.main?.measured.map { formatNumber($0, digits: 5) } ?? "—"
            let extra = r.checks.count > 1 ? " [\(r.checks.count) checks: " + r.checks.map { "\($0.id) \($0.verdict.rawValue)" }.joined(separator: ", ") + "]" : ""
            print("\(r.verdict.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(r.id)  measured \(m)  (\(String(format: "%.1f", r.seconds)) s)"
                  + extra + (r.message.map { "  — \($0)" } ?? ""))
        }
        if !updateBaseline, let b = p.baseline {
            for (id, why) in b.unmatched(run.claims) { print("note: \(id): \(why) — not compared") }
        }
        let written = [out.report?.given, out.figures?.given, out.json?.given].compactMap { $0 }
        print("wrote " + written.joined(separator: " and "))
        if updateBaseline, let u = out.baseline { print("baseline \(u.given) updated for tier \(run.provenance.tier)") }
        if let n = p.noBaselineNote { print(n) }
        if let r = regressions, !r.isEmpty {
            FileHandle.standardError.write(Data("paperverify: \(r.count) regression(s) against \(out.baseline!.given):\n".utf8))
            for x in r { FileHandle.standardError.write(Data("  \(x)\n".utf8)) }
            throw ExitCode(1)
        }
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run claims, write the Markdown report (and results JSON), check the baseline.")

    @Option(help: "quick (seconds), standard (REPORT.md, minutes) or full (hours).") var tier: Tier = .standard
    @Option(parsing: .upToNextOption, help: "Run only these claim ids (also comma-separated).",
            completion: .list(Catalog.claims.map(\.id))) var only: [String] = []
    @Option(parsing: .upToNextOption, help: "Run only the claims of these papers (also comma-separated).",
            completion: .list(Paper.allCases.map(\.rawValue))) var paper: [String] = []
    @Option(parsing: .unconditional, help: "Worker threads for realizations (default: the CPUs this process may use: affinity mask, cgroup quota, SLURM_CPUS_PER_TASK).") var jobs: Int?
    @Option(parsing: .unconditional, help: "Master seed, 0 … 2^64−1; realization k of claim C always uses the stream (seed, C, k).")
    var seed: String = "\(Runner.defaultSeed)"
    @Option(help: "Run only shard k of n (k = 1…n) of the selected claims, e.g. 2/8 for a job array: shards follow a work plan balanced by the baseline's recorded times (`paperverify plan`); writes --json (and a report only with --output); combine the shards with `paperverify merge`.")
    var shard: String?
    @Flag(help: "With --shard: also split claims longer than a shard's fair share into realization ranges (merge runs their analysis).")
    var splitRealizations = false
    @Option(help: "Save each finished realization and claim under this folder as the run goes (for --resume after a kill or a walltime limit).")
    var checkpoint: String?
    @Flag(help: "With --checkpoint: reuse the finished claims and realizations found there (same tier, seed and settings); the result is bitwise that of an uninterrupted run.")
    var resume = false
    @Flag(help: "Run claims in this process instead of one child process per claim (a crash then ends the run).") var inProcess = false
    @Option(name: .customLong("param"), help: "Override a tier parameter of the selected claims, key=value (value as JSON: 12, 0.5, [8,10]); repeatable.")
    var params: [String] = []
    @OptionGroup var out: OutputOptions

    func validate() throws {
        if let j = jobs, j < 1 { throw UsageError("--jobs must be at least 1, got \(j)", hint: "use --jobs 1 for a serial run") }
        if resume && checkpoint == nil { throw UsageError("--resume needs --checkpoint DIR (the folder of the interrupted run)") }
        if splitRealizations && shard == nil { throw UsageError("--split-realizations needs --shard k/n") }
        _ = try masterSeed()
        _ = try parsedShard()
        try out.validateFlags()
        if shard != nil && out.updateBaseline {
            throw UsageError("--update-baseline with --shard: a shard holds only part of the run",
                             hint: "update the baseline from the merged shards: paperverify merge ... --update-baseline")
        }
        if out.updateBaseline && !out.allowNondefaultBaseline && (seed != String(Runner.defaultSeed) || !params.isEmpty) {
            throw UsageError("--update-baseline with --seed or --param: the baseline holds default runs; add --allow-nondefault-baseline to store this run under its own settings key",
                             hint: "see `paperverify report --help`")
        }
        if shard != nil && out.json == nil {
            throw UsageError("--shard needs --json: the shards' results JSON files are what `paperverify merge` combines")
        }
    }

    func masterSeed() throws -> UInt64 {
        guard let v = UInt64(seed) else {
            throw UsageError("--seed must be a whole number from 0 to \(UInt64.max), got '\(seed)'")
        }
        return v
    }

    /// (k, n) with 1 ≤ k ≤ n, or nil.
    func parsedShard() throws -> (Int, Int)? {
        guard let s = shard else { return nil }
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else {
            throw UsageError("--shard \(s): expected k/n with 1 ≤ k ≤ n", hint: "e.g. --shard 2/8")
        }
        return (k, n)
    }

    /// `--only` / `--paper` values, comma-separated lists split, duplicates dropped (first kept).
    static func list(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.flatMap { $0.split(separator: ",").map(String.init) }.filter { seen.insert($0).inserted }
    }

    /// The selection: every selected claim, parameters applied and validated in one phase
    /// before anything runs.
    func selectedClaims() throws -> [Claim] {
        try Self.select(only: only, paper: paper, params: params, tier: tier)
    }

    static func select(only: [String], paper: [String], params: [String], tier: Tier) throws -> [Claim] {
        let ids = list(only), papers = list(paper)
        for (option, values) in [("--only", only), ("--paper", paper)]
        where values.contains(where: { $0.isEmpty || $0.hasPrefix(",") || $0.hasSuffix(",") || $0.contains(",,") }) {
            throw UsageError("\(option): an empty value", hint: "give ids separated by spaces or commas")
        }
        for id in ids where Catalog.claim(id) == nil {
            throw UsageError("unknown claim '\(id)'", hint: "run `paperverify list` for the claim ids")
        }
        for key in papers where Paper(rawValue: key) == nil {
            throw UsageError("unknown paper '\(key)'", hint: "paper keys: " + Paper.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var claims = Catalog.claims
        if !papers.isEmpty { let p = Set(papers); claims = claims.filter { p.contains($0.paper.rawValue) } }
        if !ids.isEmpty { let o = Set(ids); claims = claims.filter { o.contains($0.id) } }
        if claims.isEmpty {
            throw UsageError("no claims selected (\(papers.isEmpty ? "" : "paper \(papers.joined(separator: ", ")) has none yet"))",
                             hint: "run `paperverify list`")
        }
        let overrides = try parseParamOverrides(params)
        do {
            claims = try ParameterValidation.prepare(claims, overrides: overrides, tier: tier)
        } catch let r as ParameterValidation.Refusal {
            throw UsageError(r.description, hint: r.isMemoryBudget ? "choose smaller parameters"
                                                                   : "see `paperverify list` for each claim's parameters and their defaults")
        }
        return claims
    }

    /// The baseline whose recorded times balance a work plan: --baseline, else the package's.
    static func costBaseline(_ given: String?) -> Baseline? {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let path = given ?? PackageRoot.find(from: cwd).map { $0.appendingPathComponent("reference-data/baseline.json").path }
        return path.flatMap { try? Baseline.load(URL(fileURLWithPath: $0)) }
    }

    /// Name the run's shared-realization folder in the environment (inherited by the claim
    /// processes): `<checkpoint>/shared`, or a fresh temporary folder — returned, so that the
    /// run removes it at its end. Nothing is done when the variable is already set.
    static func prepareSharedRealizations(checkpoint: CheckpointFolder?, resume: Bool) throws -> URL? {
        if let v = getenv(SharedRealizationStore.environmentVariable), !String(cString: v).isEmpty { return nil }
        let fm = FileManager.default
        let folder: URL
        var temporary: URL? = nil
        if let c = checkpoint {
            folder = c.url.appendingPathComponent("shared")
            // Without --resume this run starts afresh (the code may have changed since).
            if !resume { try? fm.removeItem(at: folder) }
        } else {
            folder = fm.temporaryDirectory.appendingPathComponent("paperverify-shared-\(getpid())-\(UUID().uuidString.prefix(8))")
            temporary = folder
        }
        do { try fm.createDirectory(at: folder, withIntermediateDirectories: true) }
        catch { return nil }  // no sharing: every claim computes its own ensembles
        setenv(SharedRealizationStore.environmentVariable, folder.path, 1)
        return temporary
    }

    func run() throws {
        // 1. Validate everything before any work, so bad input never touches an output file.
        let selection = try selectedClaims()
        let seed = try masterSeed()
        let shardSpec = try parsedShard()
        let prepared = try out.prepare(writeReport: shard == nil || out.output != nil)
        let store = try checkpoint.map { try CheckpointFolder(path: $0, resume: resume) }
        Interrupts.shared.install()
        // Ensembles shared by several claims are computed once per run (unless the caller
        // already names a store, e.g. one folder for all tasks of a job array).
        let sharedFolder = try Self.prepareSharedRealizations(checkpoint: store, resume: resume)
        defer { if let f = sharedFolder { try? FileManager.default.removeItem(at: f) } }

        // 2. The work: every selected claim, or this shard's items of a balanced plan.
        let allocation = Allocation.cpus()
        let options = RunOptions(tier: tier, seed: seed, jobs: jobs ?? allocation.count)
        var plan: WorkPlan? = nil
        var items = selection.map { WorkItem(claim: $0.id, seconds: 0) }
        if let (k, n) = shardSpec {
            let costs = WorkPlan.costs(of: selection, tier: tier, seed: seed, baseline: Self.costBaseline(out.baseline))
            plan = WorkPlan.balanced(costs, count: n, splitRealizations: splitRealizations)
            items = plan!.shards[k - 1]
        }
        let byID = Dictionary(uniqueKeysWithValues: selection.map { ($0.id, $0) })
        if plan == nil {
            let costs = WorkPlan.costs(of: selection, tier: tier, seed: seed, baseline: Self.costBaseline(out.baseline))
            items = zip(selection, costs).map { WorkItem(claim: $0.id, seconds: $1.seconds) }
        }

        // 3. Run, one item at a time (each uses all allotted cores for its realizations).
        let started = ISO8601DateFormatter().string(from: Date())
        let t0 = Date()
        // The commit is read once, when the run starts (the binary was built before it): a
        // commit that lands while a long run goes on must not be recorded as its code.
        // ci/report and ci/bench pin it at build time through PAPERVERIFY_COMMIT.
        let commit = Environment.commit()
        let progress = ProgressLine(total: items.count, expected: items.map(\.seconds))
        let executor = inProcess ? nil : SubprocessExecutor(executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(),
                                                            extraArguments: params.flatMap { ["--param", $0] } + ["--parent-pid", "\(getpid())"])
        var results = [ClaimResult]()
        var records = [RealizationRecords]()
        var resumedSeconds = 0.0   // recorded wall time of claims taken finished from the checkpoint
        for (n, item) in items.enumerated() {
            let c = byID[item.claim]!
            progress.begin(item.label)
            let update: @Sendable (Double) -> Void = { progress.update($0) }
            let settingsHash = Runner.settingsHash(c.tiers[tier] ?? [:])
            let ckpt = try store.flatMap { s in try s.realizationFile(claim: c, options: options) }
            let t = Date()
            if let range = item.range {
                let r: RealizationRecords
                do {
                    r = try executor?.realizationShard(c, options: options, tasks: range, checkpoint: ckpt?.url, progress: update)
                        ?? Runner.realizationShard(c, options: options, tasks: range, checkpoint: ckpt, progress: update)
                } catch {
                    progress.finish()
                    throw UsageError("\(item.label): \(error)", hint: "rerun this shard (with --checkpoint/--resume to keep finished realizations)")
                }
                records.append(r)
                progress.end()
                progress.log("[\(n + 1)/\(items.count)] \(item.label): \(r.values.count) realizations (\(String(format: "%.1f", Date().timeIntervalSince(t))) s)")
                continue
            }
            if let old = store?.finishedResult(claim: c.id, tier: tier, seed: seed, settingsHash: settingsHash) {
                results.append(old)
                resumedSeconds += old.seconds
                progress.end()
                progress.log("[\(n + 1)/\(items.count)] \(c.id): \(old.verdict.rawValue) (resumed from \(store!.url.path))")
                continue
            }
            let result = executor?.evaluate(c, options: options, checkpoint: ckpt?.url, progress: update)
                ?? Runner.evaluate(c, options: options, checkpoint: ckpt, progress: update)
            progress.end()
            // Parameters a claim refuses inside its run (checked before its simulation
            // starts) are bad input: stop here, exit 2, write nothing.
            if result.invalidParameter == true {
                progress.finish()
                throw UsageError("\(c.id): \(result.message ?? "invalid parameter")",
                                 hint: "see `paperverify list --json` for each claim's parameters")
            }
            if result.verdict != .error || !(result.message ?? "").hasPrefix("claim process") { store?.saveResult(result) }
            results.append(result)
            progress.log("[\(n + 1)/\(items.count)] \(c.id): \(result.verdict.rawValue) (\(String(format: "%.1f", result.seconds)) s)")
        }
        progress.finish()
        var provenance = Provenance(commit: commit, tier: tier.rawValue, swift: Environment.swiftVersion(),
                                    blas: "\(BLAS.configuration); kernels: \(OpenBLASCore.provenance)", gsl: GSL.version,
                                    cores: ProcessInfo.processInfo.activeProcessorCount, started: started,
                                    seconds: Date().timeIntervalSince(t0) + resumedSeconds, seed: seed, jobs: options.jobs,
                                    jobsSource: jobs != nil ? "--jobs" : allocation.source)
        provenance.resumedSeconds = resumedSeconds > 0 ? resumedSeconds : nil
        var shardInfo: ShardInfo? = nil
        if let (k, n) = shardSpec, let p = plan {
            shardInfo = ShardInfo(index: k, count: n, selection: .init(tier: tier.rawValue, seed: seed, claims: selection.map(\.id),
                                                                     parameters: try parseParamOverrides(params), commit: commit), plan: p)
        }

        // 4. Outputs and exit status.
        var cmd = "paperverify report --tier \(tier.rawValue)"
        let ids = Self.list(only), papers = Self.list(paper)
        if !ids.isEmpty { cmd += " --only " + ids.joined(separator: " ") }
        if !papers.isEmpty { cmd += " --paper " + papers.joined(separator: " ") }
        if let s = shard { cmd += " --shard \(s)" + (splitRealizations ? " --split-realizations" : "") }
        if seed != Runner.defaultSeed { cmd += " --seed \(seed)" }
        for p in params { cmd += " --param \(p)" }
        var run = RunResult(provenance: provenance, claims: results, shard: shardInfo)
        if shardSpec != nil { run.realizations = records }
        try out.publish(run, to: prepared, command: cmd)
    }
}

// MARK: plan

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the work plan of `report --shard k/n`: which claims (or realization ranges) each shard runs, balanced by the baseline's recorded times.")

    @Option(help: "quick, standard or full.") var tier: Tier = .standard
    @Option(parsing: .upToNextOption, help: "Only these claim ids.", completion: .list(Catalog.claims.map(\.id))) var only: [String] = []
    @Option(parsing: .upToNextOption, help: "Only the claims of these papers.", completion: .list(Paper.allCases.map(\.rawValue))) var paper: [String] = []
    @Option(name: .customLong("param"), help: "Tier parameter overrides, key=value (as for report).") var params: [String] = []
    @Option(help: "Number of shards (the job array's size).") var shards: Int
    @Flag(help: "Split claims longer than a shard's fair share into realization ranges.") var splitRealizations = false
    @Option(help: "Baseline whose recorded times are used (default: the package's).") var baseline: String?
    @Flag(help: "Print the plan as JSON.") var json = false

    func validate() throws {
        guard shards >= 1 else { throw UsageError("--shards must be at least 1, got \(shards)") }
    }

    func run() throws {
        let claims = try Report.select(only: only, paper: paper, params: params, tier: tier)
        let costs = WorkPlan.costs(of: claims, tier: tier, seed: Runner.defaultSeed, baseline: Report.costBaseline(baseline))
        let plan = WorkPlan.balanced(costs, count: shards, splitRealizations: splitRealizations)
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try e.encode(plan), as: UTF8.self))
            return
        }
        func clock(_ s: Double) -> String { s >= 3600 ? String(format: "%.1f h", s / 3600) : s >= 60 ? String(format: "%.1f min", s / 60) : String(format: "%.0f s", s) }
        let total = costs.reduce(0) { $0 + $1.seconds }
        print("tier \(tier.rawValue): \(claims.count) claims, expected \(clock(total)) in all on this machine's recorded speed; \(shards) shards" + (splitRealizations ? " (realization ranges allowed)" : ""))
        for c in costs where c.source != "baseline \(tier.rawValue)" { print("  cost of \(c.claim): \(c.source), \(clock(c.seconds))") }
        for (k, items) in plan.shards.enumerated() {
            print("shard \(k + 1)/\(shards): expected \(clock(plan.expectedSeconds[k]))")
            for i in items { print("    \(i.label)  \(clock(i.seconds))") }
        }
    }
}

// MARK: merge

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the results JSON of all shards of one run (`report --shard k/n --json ...`) into one report.")

    @Argument(help: "The shards' results JSON files (every shard k = 1…n of one run, each once).") var shards: [String] = []
    @OptionGroup var out: OutputOptions

    func validate() throws { try out.validateFlags() }

    func run() throws {
        guard !shards.isEmpty else { throw UsageError("no shard files given", hint: "paperverify merge s1.json s2.json ...") }
        let parts = try shards.map { ($0, try Compare.load($0)) }
        let merged: ShardInfo.Merged
        do { merged = try ShardInfo.merge(parts.map { (path: $0.0, result: $0.1) }) } catch {
            throw UsageError("\(error)", hint: "merge exactly the shards 1…n of one `report --shard k/n` run")
        }
        guard let tier = Tier(rawValue: merged.selection.tier) else { throw UsageError("unknown tier '\(merged.selection.tier)' in the shards") }
        // Claims split into realization ranges: their analysis runs here, on the merged realizations.
        var claims = merged.claims
        for (id, records) in merged.split {
            guard let base = Catalog.claim(id) else { throw UsageError("shards hold realizations of unknown claim '\(id)'", hint: "merge with the paperverify that wrote them") }
            let claim: Claim
            do { claim = try base.overriding(merged.selection.parameters, tier: tier) } catch {
                throw UsageError("\(id): \(error)")
            }
            do {
                claims.append(try Runner.evaluate(claim, options: RunOptions(tier: tier, seed: merged.selection.seed, jobs: 1), records: records))
            } catch {
                throw UsageError("\(error)", hint: "merge exactly the shards 1…n of one `report --shard k/n` run")
            }
        }
        let order = Dictionary(uniqueKeysWithValues: merged.selection.claims.enumerated().map { ($1, $0) })
        claims.sort { order[$0.id]! < order[$1.id]! }
        let prepared = try out.prepare(writeReport: true)
        Interrupts.shared.install()
        var provenance = parts[0].1.provenance
        provenance.seconds = parts.reduce(0) { $0 + $1.1.provenance.seconds }
        provenance.commit = merged.selection.commit
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
    @Option(parsing: .unconditional, help: "Relative drift allowed, ≥ 0 (default: each check's regression tolerance, else 1e-9).") var relativeTolerance: Double?
    @Flag(help: "Require bitwise equality of every verdict and every check's numbers (shards vs one run, resumed vs uninterrupted).") var exact = false

    /// Every difference between two runs' verdicts and check numbers (bitwise; NaN equals NaN).
    static func exactDifferences(_ a: [ClaimResult], _ b: [ClaimResult]) -> [String] {
        func same(_ x: Double?, _ y: Double?) -> Bool {
            switch (x, y) {
            case (nil, nil): return true
            case let (u?, v?): return u.bitPattern == v.bitPattern || (u.isNaN && v.isNaN)
            default: return false
            }
        }
        var out = [String]()
        if a.map(\.id) != b.map(\.id) { out.append("claims differ: \(a.map(\.id)) vs \(b.map(\.id))") }
        let old = Dictionary(a.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        for c in b {
            guard let o = old[c.id] else { continue }
            if o.verdict != c.verdict { out.append("\(c.id): verdict \(o.verdict.rawValue) vs \(c.verdict.rawValue)") }
            if o.checks.map(\.id) != c.checks.map(\.id) { out.append("\(c.id): checks differ"); continue }
            for (x, y) in zip(o.checks, c.checks) {
                let pairs: [(String, Double?, Double?)] = [("predicted", x.predicted, y.predicted), ("measured", x.measured, y.measured),
                                                           ("uncertainty", x.uncertainty, y.uncertainty), ("statistic", x.statistic, y.statistic)]
                for (name, u, v) in pairs where !same(u, v) {
                    out.append("\(c.id)/\(x.id): \(name) \(u.map { "\($0)" } ?? "null") vs \(v.map { "\($0)" } ?? "null")")
                }
                if x.verdict != y.verdict { out.append("\(c.id)/\(x.id): verdict \(x.verdict.rawValue) vs \(y.verdict.rawValue)") }
            }
            if o.series != c.series { out.append("\(c.id): data series differ") }
        }
        return out
    }

    /// The results JSON schema this paperverify reads.
    static let schema = RunResult.currentSchema

    static func load(_ path: String) throws -> RunResult {
        guard let d = FileManager.default.contents(atPath: path) else { throw UsageError("cannot read \(path)") }
        let r: RunResult
        do { r = try RunResult.decode(d) } catch let RunResult.SchemaError.unsupported(s) {
            throw UsageError("\(path) is a results JSON of schema \(s); this paperverify reads schema \(schema)",
                             hint: "use the paperverify that wrote it")
        } catch {
            throw UsageError("\(path) is not a paperverify results JSON (schema \(schema)): \(error.localizedDescription)")
        }
        guard r.schema == schema else {
            throw UsageError("\(path) is a results JSON of schema \(r.schema); this paperverify reads schema \(schema)",
                             hint: "use the paperverify that wrote it")
        }
        return r
    }

    func validate() throws {
        if let t = relativeTolerance, !(t.isFinite && t >= 0) {
            throw UsageError("--relative-tolerance must be a finite number ≥ 0, got \(t)", hint: "e.g. --relative-tolerance 1e-9")
        }
    }

    func run() throws {
        let a = try Self.load(reference), b = try Self.load(candidate)
        if exact {
            let differences = Self.exactDifferences(a.claims, b.claims)
            for d in differences { print(d) }
            if !differences.isEmpty { print("\(differences.count) difference(s)"); throw ExitCode(1) }
            print("identical: \(b.claims.count) claims, \(b.claims.reduce(0) { $0 + $1.checks.count }) checks, bit for bit")
            return
        }
        let old = Dictionary(a.claims.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        print("tiers: \(a.provenance.tier) → \(b.provenance.tier); commits: \(a.provenance.commit) → \(b.provenance.commit)")
        let idWidth = 58
        print("claim / check".padding(toLength: idWidth, withPad: " ", startingAt: 0) + " verdict                     measured (ref → new)                 rel. drift")
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
                  + (regs.isEmpty ? "" : " REGRESSION: " + regs.map(\.detail).joined(separator: "; ")))
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
    /// The run that started this child: end when it dies.
    @Option var parentPid: Int32?
    /// Realization checkpoint of this claim (read and appended).
    @Option var checkpointFile: String?
    /// Only these realizations (a:b, half-open): print their raw records instead of a result.
    @Option var realizations: String?

    func run() throws {
        if let p = parentPid { ParentWatch.start(parent: p) }
        guard var claim = Catalog.claim(id) else { throw UsageError("unknown claim '\(id)'") }
        claim = try claim.overriding(try parseParamOverrides(params), tier: tier)
        // Fault injection for the crash-isolation test: PAPERVERIFY_FAULT_INJECTION=crash:<claim id>.
        if ProcessInfo.processInfo.environment["PAPERVERIFY_FAULT_INJECTION"] == "crash:\(id)" {
            fatalError("fault injection: deliberate crash of \(id)")
        }
        guard jobs >= 1 else { throw UsageError("--jobs must be at least 1") }
        let last = Counter()
        let progress: @Sendable (Double) -> Void = { f in
            // At most ~100 progress lines per claim.
            let step = Int(f * 100)
            if step > last.current { while last.current < step { last.increment() }
                FileHandle.standardError.write(Data("progress \(f)\n".utf8)) }
        }
        let options = RunOptions(tier: tier, seed: seed, jobs: jobs)
        let checkpoint = try checkpointFile.map { path in
            try RealizationCheckpointFile(url: URL(fileURLWithPath: path), claim: claim.id, tier: tier.rawValue, seed: String(seed),
                                          settingsHash: Runner.settingsHash(claim.tiers[tier] ?? [:]), plan: try Runner.plan(claim, options: options))
        }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        if let spec = realizations {
            guard let range = parseRealizationRange(spec) else { throw UsageError("--realizations \(spec): expected a:b with 0 ≤ a ≤ b") }
            let records = try Runner.realizationShard(claim, options: options, tasks: range, checkpoint: checkpoint, progress: progress)
            FileHandle.standardOutput.write(try e.encode(records))
            return
        }
        let result = Runner.evaluate(claim, options: options, checkpoint: checkpoint, progress: progress)
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

    /// The source tree's commit: PAPERVERIFY_COMMIT when set (ci/report and ci/bench set it
    /// to the tree they build, just before building), else that of the package holding this
    /// executable, else that of the package holding the current folder, else "unknown".
    /// The git fallback reads the tree as it is now, so `report` calls this when its run
    /// starts, never when it writes.
    static func commit() -> String {
        if let env = ProcessInfo.processInfo.environment["PAPERVERIFY_COMMIT"], !env.isEmpty { return env }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        guard let root = PackageRoot.find(from: exe) ?? PackageRoot.find(from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)),
              let c = capture(["git", "-C", root.path, "rev-parse", "--short=12", "HEAD"]) else { return "unknown" }
        let dirty = (capture(["git", "-C", root.path, "status", "--porcelain", "--untracked-files=no"]) ?? "").isEmpty ? "" : "-dirty"
        return c + dirty
    }

    static func swiftVersion() -> String {
        capture(["swift", "--version"])?.split(separator: "\n").first.map(String.init) ?? "unknown"
    }
}

/// "a:b" or "a..<b" (half-open, 0 ≤ a ≤ b).
func parseRealizationRange(_ s: String) -> Range<Int>? {
    let parts = s.contains("..<") ? s.components(separatedBy: "..<") : s.components(separatedBy: ":")
    guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a >= 0, b >= a else { return nil }
    return a..<b
}
