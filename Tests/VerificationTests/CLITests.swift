import Foundation
import Testing

/// End-to-end checks of the `paperverify` executable built next to the test bundle.
@Suite("paperverify CLI: bad input exits 2 with one line and writes nothing", .tags(.harness), .serialized)
struct CLITests {
    static var executable: URL? {
        // PAPERVERIFY_TEST_EXECUTABLE runs the CLI suites against another build (e.g. an
        // older commit's, to see that each test fails there).
        if let other = ProcessInfo.processInfo.environment["PAPERVERIFY_TEST_EXECUTABLE"], !other.isEmpty {
            return URL(fileURLWithPath: other)
        }
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let u = candidate.appendingPathComponent("paperverify")
            if FileManager.default.isExecutableFile(atPath: u.path) { return u }
        }
        return nil
    }

    func run(_ args: [String], in dir: URL, environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let exe = try #require(Self.executable, "paperverify executable not found next to \(CommandLine.arguments[0])")
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        p.currentDirectoryURL = dir
        // Files, not pipes: a child filling one pipe while we drain the other would deadlock.
        let (o, e) = try Self.outputFiles()
        p.standardOutput = o.handle; p.standardError = e.handle
        try p.run()
        p.waitUntilExit()
        return (p.terminationStatus, try o.read(), try e.read())
    }

    struct OutputFile {
        let url: URL
        let handle: FileHandle
        func read() throws -> String {
            try handle.close()
            defer { try? FileManager.default.removeItem(at: url) }
            return try String(contentsOf: url, encoding: .utf8)
        }
    }

    static func outputFiles() throws -> (OutputFile, OutputFile) {
        func make() throws -> OutputFile {
            let u = FileManager.default.temporaryDirectory.appendingPathComponent("pv-out-\(UUID().uuidString)")
            _ = FileManager.default.createFile(atPath: u.path, contents: nil)
            return OutputFile(url: u, handle: try FileHandle(forWritingTo: u))
        }
        return (try make(), try make())
    }

    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("pv-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    @Test("bad input: one clear line, exit 2, no output file", arguments: [
        (["report", "--only", "nope.claim"], "unknown claim 'nope.claim'"),
        (["report", "--paper", "nope"], "unknown paper 'nope'"),
        (["report", "--jobs", "0"], "--jobs must be at least 1"),
        (["report", "--tier", "huge"], "huge"),
        (["report", "--output", "missing-folder/R.md"], "does not exist"),
        (["report", "--baseline", "nonexistent.json"], "does not exist"),
        (["report", "--baseline", "bad.json"], "malformed"),
        (["compare", "bad.json", "bad.json"], "not a paperverify results JSON"),
        (["report", "--only", "ergodic-inclusion.gap-ratio-goe", "--param", "matrixSize=2000000"], "needs about"),
        (["report", "--shard", "3/2"], "--shard 3/2"),
        (["report", "--figures", "no/such/dir"], "does not exist"),
        (["merge", "bad.json"], "not a paperverify results JSON"),
        (["report", "--only", "ergodic-inclusion.gap-ratio-goe", "--param", "nope=3"], "has no parameter 'nope'"),
        (["report", "--only", "ergodic-inclusion.gap-ratio-goe", "--param", "matrices=\"x\""], "is not of the kind of its default 2000"),
        (["report", "--only", "kas-glass.level-statistics", "--param", "sites=12.5"], "'sites' must be an integer, got 12.50"),
        (["report", "--only", "kas-glass.remnant-polarization", "--param", "chainSizes=[100,\"x\"]"], "is not of the kind"),
        // Refused by the claim itself when it starts (in the child process): still bad input.
        (["report", "--only", "mbl-sync.sync-threshold", "--param", "sites=7"], "mbl-sync.sync-threshold: invalid parameter: 'sites' must be an even integer"),
        (["report", "--only", "kas-glass.level-statistics", "--param", "sites=40"], "ED of L = 40 (2 matrices of dimension"),
        (["report", "--only", "kas-glass.level-statistics", "--param", "sites=2"], "ED sizes must be ≥ 4 sites"),
        (["report", "--only", "mbl-sync.mirror-asymmetry", "--param", "sites=100000"], "'sites' must be an even integer in 6…4000, got 100000"),
        (["report", "--only", "kas-glass.edwards-anderson", "--param", "gridSites=28"], "needs about"),
        (["report", "--only", "kas-glass.remnant-polarization", "--param", "realizations=1"], "realizations must be ≥ 2"),
        (["report", "--only", "open-sync.spin1-zero-modes", "--param", "sites=[3,6]"], "sites must lie in 2…5 and include N = 3"),
    ])
    func badInput(args: [String], message: String) throws {
        let d = try tempDir()
        defer { try? FileManager.default.removeItem(at: d) }
        try Data("{ not json".utf8).write(to: d.appendingPathComponent("bad.json"))
        try Data(CLI.reportText.utf8).write(to: d.appendingPathComponent("REPORT.md"))
        let r = try run(args + (args.first == "report" ? ["--tier", "quick"].filter { _ in !args.contains("--tier") } : []), in: d)
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
        #expect(try String(contentsOf: d.appendingPathComponent("REPORT.md"), encoding: .utf8) == CLI.reportText)
        #expect(!FileManager.default.fileExists(atPath: d.appendingPathComponent("REPORT.figures").path))
    }

    @Test("list and a quick report with a fresh baseline, then no regression, then a regression")
    func reportAndBaseline() throws {
        let d = try tempDir()
        defer { try? FileManager.default.removeItem(at: d) }
        let list = try run(["list"], in: d)
        #expect(list.status == 0 && list.stdout.contains("ergodic-inclusion.gap-ratio-poisson"))
        let args = ["report", "--tier", "quick", "--only", "ergodic-inclusion.gap-ratio-poisson", "--baseline", "b.json",
                    "--json", "r.json", "--jobs", "2"]
        let first = try run(args + ["--update-baseline"], in: d)
        #expect(first.status == 0, "\(first.stderr)")
        let second = try run(args, in: d)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try String(contentsOf: d.appendingPathComponent("REPORT.md"), encoding: .utf8).contains("None: every verdict"))
        // Same seed, other job count: bitwise identical measured value.
        let one = try run(["report", "--tier", "quick", "--only", "ergodic-inclusion.gap-ratio-poisson", "--no-baseline",
                           "--json", "r1.json", "--jobs", "1", "--output", "R1.md"], in: d)
        #expect(one.status == 0)
        let cmp = try run(["compare", "r.json", "r1.json", "--relative-tolerance", "0"], in: d)
        #expect(cmp.status == 0, "\(cmp.stdout)")
        // Another seed is another setting: compared with nothing, said so, exit 0.
        let otherSeed = try run(args + ["--seed", "99"], in: d)
        #expect(otherSeed.status == 0, "\(otherSeed.stderr)")
        #expect(otherSeed.stdout.contains("no baseline for these settings"), "\(otherSeed.stdout)")
        // ... and --update-baseline refuses to store it unless told explicitly.
        let refused = try run(args + ["--seed", "99", "--update-baseline"], in: d)
        #expect(refused.status == 2 && refused.stderr.contains("--allow-nondefault-baseline"), "\(refused.stderr)")
        // A moved accepted value under the same settings is a regression: exit 1, listed in the report.
        var b = try JSONSerialization.jsonObject(with: Data(contentsOf: d.appendingPathComponent("b.json"))) as! [String: Any]
        var entries = b["entries"] as! [[String: Any]]
        var checks = entries[0]["checks"] as! [String: Any]
        var main = checks["main"] as! [String: Any]
        main["measured"] = (main["measured"] as! Double) * 1.001
        checks["main"] = main; entries[0]["checks"] = checks; b["entries"] = entries
        try JSONSerialization.data(withJSONObject: b).write(to: d.appendingPathComponent("b.json"))
        let regressed = try run(args, in: d)
        #expect(regressed.status == 1)
        #expect(regressed.stderr.contains("regression"))
        #expect(try String(contentsOf: d.appendingPathComponent("REPORT.md"), encoding: .utf8).contains("regression(s)"))
    }

    @Test("a crashing claim becomes an error verdict; the other claims and the report survive")
    func crashIsolation() throws {
        let d = try tempDir()
        defer { try? FileManager.default.removeItem(at: d) }
        let r = try run(["report", "--tier", "quick", "--paper", "ergodic-inclusion", "--no-baseline", "--json", "r.json"], in: d,
                        environment: ["PAPERVERIFY_FAULT_INJECTION": "crash:ergodic-inclusion.gap-ratio-goe"])
        #expect(r.status == 0)
        let json = try String(contentsOf: d.appendingPathComponent("r.json"), encoding: .utf8)
        #expect(json.contains("claim process crashed"))
        #expect(r.stdout.contains("error        ergodic-inclusion.gap-ratio-goe"))
        #expect(r.stdout.contains("confirmed    ergodic-inclusion.gap-ratio-poisson"))
    }

    @Test("shards merge into the same results as one run")
    func shardsMerge() throws {
        let d = try tempDir()
        defer { try? FileManager.default.removeItem(at: d) }
        let common = ["report", "--tier", "quick", "--paper", "ergodic-inclusion", "--no-baseline", "--jobs", "2"]
        #expect(try run(common + ["--json", "all.json", "--output", "all.md"], in: d).status == 0)
        #expect(try run(common + ["--shard", "1/2", "--json", "s1.json", "--output", "s1.md"], in: d).status == 0)
        #expect(try run(common + ["--shard", "2/2", "--json", "s2.json", "--output", "s2.md"], in: d).status == 0)
        let merged = try run(["merge", "s2.json", "s1.json", "--json", "merged.json", "--output", "merged.md", "--no-baseline"], in: d)
        #expect(merged.status == 0, "\(merged.stderr)")
        let cmp = try run(["compare", "all.json", "merged.json", "--relative-tolerance", "0"], in: d)
        #expect(cmp.status == 0, "\(cmp.stdout)")
        #expect(!cmp.stdout.split(separator: "\n").contains { $0.hasSuffix(" new") || $0.contains("missing from") })
        #expect(cmp.stdout.contains("no regressions"))
    }

    @Test("GSL's CBLAS calls bind to OpenBLAS, never to gslcblas")
    func cblasBinding() throws {
        let exe = try #require(Self.executable)
        let p = Process()
        p.executableURL = exe
        p.arguments = ["list"]
        var env = ProcessInfo.processInfo.environment
        env["LD_DEBUG"] = "bindings"; env["LD_BIND_NOW"] = "1"
        p.environment = env
        let (o, e) = try Self.outputFiles()
        p.standardError = e.handle; p.standardOutput = o.handle
        try p.run()
        p.waitUntilExit()
        _ = try o.read()
        let log = try e.read()
        let gslCblas = log.split(separator: "\n").filter { $0.contains("binding file") && $0.contains("libgsl.so") && $0.contains("symbol `cblas_") }
        #expect(!gslCblas.isEmpty, "no cblas binding of libgsl seen")
        #expect(gslCblas.allSatisfy { $0.contains("libopenblas") }, "\(gslCblas.filter { !$0.contains("libopenblas") }.prefix(3))")
    }
}
