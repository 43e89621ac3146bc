import Foundation
import Testing
@testable import Verification
#if canImport(Glibc)
import Glibc
#endif

/// Issue 8, sections 1, 2 and 4: outputs never destroy what paperverify does not own, are
/// checked before any work, written as one set, locked, and survive a crash at any step.
@Suite("paperverify CLI: outputs are safe, checked first and written as one set", .tags(.harness), .serialized)
struct OutputSafetyTests {
    // MARK: 1. data loss

    /// A scratch folder that looks like a checkout: .git, a baseline, notes, a subfolder.
    func checkout() throws -> URL {
        let d = try CLI.tempDir()
        try CLI.write("ref: refs/heads/main\n", d.appendingPathComponent(".git/HEAD"))
        try CLI.write("{\"entries\":[],\"schema\":2}\n", d.appendingPathComponent("reference-data/baseline.json"))
        try CLI.write("my notes\n", d.appendingPathComponent("notes.txt"))
        try CLI.write("{\"mine\": true}\n", d.appendingPathComponent("out.json"))
        try CLI.write("unrelated\n", d.appendingPathComponent("stuff/keep.txt"))
        try CLI.write("unrelated too\n", d.appendingPathComponent("stuff/deeper/keep2.txt"))
        try FileManager.default.createDirectory(at: d.appendingPathComponent("sub"), withIntermediateDirectories: true)
        return d
    }

    @Test("a figures path that is not paperverify's is refused before any work, and nothing in it is touched", arguments: [
        (["--figures", "."], "", "is inside --figures ."),
        (["--figures", ".."], "sub", "is inside --figures .."),
        (["--figures", "reference-data", "--baseline", "reference-data/baseline.json"], "", "is inside --figures reference-data"),
        (["--figures", "out.json"], "", "is a file, expected a figures folder"),
        (["--figures", "stuff"], "", "is a folder that paperverify did not write (it holds deeper, keep.txt)"),
        (["--figures", "stuff/../stuff/"], "", "is a folder that paperverify did not write"),
        (["--figures", "..", "--output", "../../pv-never-written.md"], "sub", "contains the current folder"),
    ])
    func figuresRefused(extra: [String], subfolder: String, message: String) throws {
        let d = try checkout()
        defer { try? FileManager.default.removeItem(at: d) }
        let scratch = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let shard = try CLI.run(["report"] + CLI.tiny + ["--shard", "1/1", "--json", "s.json", "--no-baseline"], in: scratch)
        #expect(shard.status == 0, "\(shard.stderr)")
        let before = CLI.tree(d)
        let cwd = subfolder.isEmpty ? d : d.appendingPathComponent(subfolder)
        for command in [["report"] + CLI.tiny, ["merge", scratch.appendingPathComponent("s.json").path]] {
            let r = try CLI.run(command + extra, in: cwd)
            #expect(r.status == 2, "\(command) \(extra): \(r.stderr)")
            #expect(r.stderrLines.count == 1 && r.stderr.contains(message), "\(r.stderr)")
            #expect(r.stdout.isEmpty)
            // Everything survives, byte for byte; nothing was added but lock files.
            let after = CLI.tree(d).filter { !$0.key.hasSuffix(".paperverify-lock") }
            #expect(after == before, "changed: \(Set(after.keys).symmetricDifference(before.keys))")
        }
    }

    @Test("a folder of unrelated files given as --figures survives; paperverify's own figures folder keeps files it did not write")
    func unrelatedFilesSurvive() throws {
        let d = try checkout()
        defer { try? FileManager.default.removeItem(at: d) }
        let r = try CLI.run(["report"] + CLI.tiny + ["--figures", "stuff", "--no-baseline"], in: d)
        #expect(r.status == 2)
        #expect(CLI.read(d.appendingPathComponent("stuff/keep.txt")) == "unrelated\n")
        #expect(CLI.read(d.appendingPathComponent("stuff/deeper/keep2.txt")) == "unrelated too\n")
        #expect(!FileManager.default.fileExists(atPath: d.appendingPathComponent("REPORT.md").path))

        // A new folder becomes paperverify's (manifest); a file added there later is kept,
        // a figure that a later run no longer makes is removed.
        let first = try CLI.run(["report"] + CLI.tiny + ["--figures", "figs", "--no-baseline"], in: d)
        #expect(first.status == 0, "\(first.stderr)")
        let figs = d.appendingPathComponent("figs")
        #expect(FileManager.default.fileExists(atPath: figs.appendingPathComponent(".paperverify-figures").path))
        try CLI.write("added by hand\n", figs.appendingPathComponent("mine.txt"))
        let second = try CLI.run(["report", "--tier", "quick", "--only", "ergodic-inclusion.gap-ratio-goe", "--param", "matrixSize=10",
                                  "--param", "matrices=30", "--jobs", "1", "--figures", "figs", "--no-baseline"], in: d)
        #expect(second.status == 0, "\(second.stderr)")
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: figs.path))
        #expect(names == [".paperverify-figures", "mine.txt", "ergodic-inclusion.gap-ratio-goe--r-histogram.svg"])
        #expect(CLI.read(figs.appendingPathComponent("mine.txt")) == "added by hand\n")
    }

    @Test("a figures folder written before manifests existed (only paperverify figures) is adopted")
    func legacyFiguresFolder() throws {
        let d = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: d) }
        let figs = d.appendingPathComponent("REPORT.figures")
        try CLI.write("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\"></svg>\n", figs.appendingPathComponent("kas-glass.old-claim--fig.svg"))
        let r = try CLI.run(["report"] + CLI.tiny + ["--no-baseline"], in: d)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: figs.path))
                == [".paperverify-figures", "ergodic-inclusion.gap-ratio-poisson--r-histogram.svg"])
        // An SVG that is not paperverify's makes the folder foreign.
        try CLI.write("<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n", d.appendingPathComponent("other/logo.svg"))
        let o = try CLI.run(["report"] + CLI.tiny + ["--no-baseline", "--figures", "other"], in: d)
        #expect(o.status == 2 && o.stderr.contains("did not write"))
    }

    @Test("two outputs naming the same path or nesting are refused (symlinks and .. resolved)", arguments: [
        (["--json", "REPORT.md"], "are the same path"),
        (["--json", "sub/../REPORT.md"], "are the same path"),
        (["--json", "alias.md"], "are the same path"),
        (["--json", "reference-data/baseline.json", "--baseline", "reference-data/baseline.json"], "are the same path"),
        (["--json", "link-to-data/baseline.json", "--baseline", "reference-data/baseline.json"], "are the same path"),
        (["--output", "figs/R.md", "--figures", "figs"], "is inside --figures figs"),
        (["--json", "R.figures/r.json", "--output", "R.md"], "is inside --figures"),
        (["--output", "reference-data/R.md", "--figures", "reference-data/x", "--baseline", "reference-data/x/b.json", "--update-baseline", "--allow-nondefault-baseline"], "is inside --figures"),
    ])
    func samePathOrNested(extra: [String], message: String) throws {
        let d = try checkout()
        defer { try? FileManager.default.removeItem(at: d) }
        try CLI.write(CLI.reportText, d.appendingPathComponent("REPORT.md"))
        try FileManager.default.createSymbolicLink(atPath: d.appendingPathComponent("alias.md").path, withDestinationPath: "REPORT.md")
        try FileManager.default.createSymbolicLink(atPath: d.appendingPathComponent("link-to-data").path, withDestinationPath: "reference-data")
        try FileManager.default.createDirectory(at: d.appendingPathComponent("figs"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: d.appendingPathComponent("R.figures"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: d.appendingPathComponent("reference-data/x"), withIntermediateDirectories: true)
        let before = CLI.tree(d)
        let r = try CLI.run(["report"] + CLI.tiny + extra, in: d)
        #expect(r.status == 2, "\(extra): \(r.stdout) \(r.stderr)")
        #expect(r.stderrLines.count == 1 && r.stderr.contains(message), "\(r.stderr)")
        #expect(CLI.tree(d).filter { !$0.key.hasSuffix(".paperverify-lock") } == before)
    }

    @Test("an existing file that is not paperverify's is never replaced by --output or --json", arguments: [
        (["--output", "notes.txt"], "--output notes.txt exists and is not a paperverify report"),
        (["--json", "out.json"], "--json out.json exists and is not a paperverify results JSON"),
        (["--json", "reference-data/baseline.json", "--no-baseline"], "is not a paperverify results JSON"),
        (["--output", "stuff"], "is a folder, expected a file path"),
    ])
    func foreignFilesKept(extra: [String], message: String) throws {
        let d = try checkout()
        defer { try? FileManager.default.removeItem(at: d) }
        let before = CLI.tree(d)
        let r = try CLI.run(["report"] + CLI.tiny + extra, in: d)
        #expect(r.status == 2 && r.stderrLines.count == 1 && r.stderr.contains(message), "\(r.stderr)")
        #expect(CLI.tree(d).filter { !$0.key.hasSuffix(".paperverify-lock") } == before)
    }

    // MARK: 2. checked first, one set, locked, signals

    @Test("an output location that cannot be written is refused before the first claim starts, naming the path")
    func unwritableFirst() throws {
        let d = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: d) }
        // /proc/self is a folder nobody can create files in, root included; the slow claim
        // would take minutes if it started.
        for extra in [["--json", "/proc/self/r.json"], ["--output", "/proc/self/R.md"], ["--figures", "/proc/self/figs"]] {
            let r = try CLI.run(CLI.slow + extra, in: d)
            #expect(r.status == 2, "\(extra): \(r.stderr)")
            #expect(r.stderrLines.count == 1 && r.stderr.contains("cannot write in folder /proc/"), "\(r.stderr)")
            #expect(r.seconds < 20, "the claim ran before the check: \(r.seconds) s")
        }
        if geteuid() != 0 {
            let ro = d.appendingPathComponent("ro")
            try FileManager.default.createDirectory(at: ro, withIntermediateDirectories: true)
            chmod(ro.path, 0o555)
            defer { chmod(ro.path, 0o755) }
            let r = try CLI.run(CLI.slow + ["--json", "ro/r.json"], in: d)
            #expect(r.status == 2 && r.stderr.contains("cannot write in folder"))
        }
    }

    /// The visible output set (report, JSON, baseline, figures with manifest), no lock files
    /// or temporaries.
    func outputSet(_ d: URL) -> [String: Data] {
        CLI.tree(d).filter { k, _ in
            ["REPORT.md", "r.json", "b.json"].contains(k) || (k.hasPrefix("REPORT.figures/") && !k.contains("/.paperverify-staging-"))
        }
    }

    /// Every image link of the report resolves to a file.
    func linksResolve(_ d: URL) -> Bool {
        guard let md = CLI.read(d.appendingPathComponent("REPORT.md")) else { return true }
        return md.components(separatedBy: "](<").dropFirst().allSatisfy { part in
            guard let end = part.firstIndex(of: ">") else { return false }
            return FileManager.default.fileExists(atPath: d.appendingPathComponent(String(part[..<end])).path)
        }
    }

    @Test("killed at every step of the commit: the old set stays, or the next run completes the new one; leftovers are cleaned")
    func crashAtEveryStep() throws {
        let d = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: d) }
        // Two different results (different claims, so the figure set changes too).
        let a = try CLI.run(["report"] + CLI.tiny + ["--shard", "1/1", "--json", "sa.json", "--no-baseline"], in: d)
        let b = try CLI.run(["report", "--tier", "quick", "--only", "ergodic-inclusion.gap-ratio-goe", "--param", "matrixSize=10",
                             "--param", "matrices=30", "--jobs", "1", "--shard", "1/1", "--json", "sb.json", "--no-baseline"], in: d)
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        let out = ["--json", "r.json", "--baseline", "b.json", "--update-baseline", "--allow-nondefault-baseline"]
        let oldDir = d.appendingPathComponent("old"), newDir = d.appendingPathComponent("new")
        for x in [oldDir, newDir] {
            try FileManager.default.createDirectory(at: x, withIntermediateDirectories: true)
            #expect(try CLI.run(["merge", "../sa.json"] + out, in: x).status == 0)
        }
        let oldSet = outputSet(oldDir)
        #expect(oldSet.keys.contains("REPORT.figures/ergodic-inclusion.gap-ratio-poisson--r-histogram.svg"))
        #expect(try CLI.run(["merge", "../sb.json"] + out, in: newDir).status == 0)
        let newSet = outputSet(newDir)
        #expect(newSet != oldSet && newSet.keys.contains("REPORT.figures/ergodic-inclusion.gap-ratio-goe--r-histogram.svg"))
        #expect(!newSet.keys.contains("REPORT.figures/ergodic-inclusion.gap-ratio-poisson--r-histogram.svg"))

        var step = 0, sawJournal = false
        while step < 60 {
            let t = d.appendingPathComponent("t\(step)")
            try FileManager.default.copyItem(at: oldDir, to: t)
            let r = try CLI.run(["merge", "../sb.json"] + out, in: t, environment: ["PAPERVERIFY_FAULT_INJECTION": "commit-step:\(step)"])
            if r.reason == .exit && r.status == 0 {
                #expect(outputSet(t) == newSet)
                break
            }
            #expect(r.reason == .uncaughtSignal && r.status == SIGKILL, "step \(step): \(r.status) \(r.stderr)")
            #expect(linksResolve(t), "step \(step): a report link points nowhere")
            let journal = FileManager.default.fileExists(atPath: t.appendingPathComponent(".REPORT.md.paperverify-journal").path)
            if !journal {
                #expect(outputSet(t) == oldSet, "step \(step): killed before the commit point, but the old set changed")
            } else {
                sawJournal = true
                // The next run completes the commit before anything else (here it is then
                // killed before its own commit starts).
                let rec = try CLI.run(["merge", "../sb.json"] + out, in: t, environment: ["PAPERVERIFY_FAULT_INJECTION": "commit-step:0"])
                #expect(rec.reason == .uncaughtSignal)
                #expect(outputSet(t) == newSet, "step \(step): the interrupted commit was not completed")
            }
            // A complete later run leaves no temporaries behind, whatever the dead run left.
            let clean = try CLI.run(["merge", "../sa.json"] + out, in: t)
            #expect(clean.status == 0, "\(clean.stderr)")
            let hidden = CLI.tree(t).keys.filter { $0.split(separator: "/").last!.hasPrefix(".") && !$0.hasSuffix(".paperverify-lock")
                                                    && !$0.hasSuffix("/.paperverify-figures") }
            #expect(hidden.isEmpty, "step \(step): leftovers \(hidden)")
            // (The baseline accumulates entries, so it is not the old one.)
            #expect(outputSet(t).filter { $0.key != "b.json" } == oldSet.filter { $0.key != "b.json" })
            step += 1
        }
        #expect(step >= 10 && step < 60, "commit steps: \(step)")
        #expect(sawJournal)
    }

    @Test("temporaries of dead runs of the former writer are removed; those of other files are not")
    func legacyLeftovers() throws {
        let d = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: d) }
        let dead = try CLI.deadPID()
        try CLI.write(CLI.reportText, d.appendingPathComponent(".REPORT.md.tmp-\(dead)"))
        try CLI.write("<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n", d.appendingPathComponent(".REPORT.figures.old-\(dead)/kas-glass.x--f.svg"))
        try CLI.write("<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n", d.appendingPathComponent(".REPORT.figures.tmp-\(dead)/kas-glass.x--f.svg"))
        try CLI.write("not ours\n", d.appendingPathComponent(".notes.txt.tmp-\(dead)"))
        try CLI.write("alive\n", d.appendingPathComponent(".REPORT.md.tmp-\(getpid())"))
        let r = try CLI.run(["report"] + CLI.tiny + ["--no-baseline"], in: d)
        #expect(r.status == 0, "\(r.stderr)")
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: d.path))
        #expect(!names.contains(".REPORT.md.tmp-\(dead)") && !names.contains(".REPORT.figures.old-\(dead)")
                && !names.contains(".REPORT.figures.tmp-\(dead)"))
        #expect(names.contains(".notes.txt.tmp-\(dead)") && names.contains(".REPORT.md.tmp-\(getpid())"))
    }

    @Test("a second run writing the same outputs exits 2 at once; Ctrl-C stops the claim processes and writes nothing")
    func lockAndInterrupt() throws {
        let d = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: d) }
        try CLI.write(CLI.reportText, d.appendingPathComponent("REPORT.md"))
        let first = try CLI.start(CLI.slow + ["--json", "r.json"], in: d)
        var child: Int32 = 0
        #expect(CLI.eventually(20) { child = CLI.children(of: first.pid).first ?? 0; return child != 0 }, "no claim process started")
        for extra in [["--json", "other.json"], ["--output", "R2.md", "--json", "r.json"]] {
            let second = try CLI.run(["report"] + CLI.tiny + ["--no-baseline"] + extra, in: d)
            #expect(second.status == 2 && second.stderrLines.count == 1, "\(second.stderr)")
            #expect(second.stderr.contains("is being written by another paperverify run (pid \(first.pid))"), "\(second.stderr)")
        }
        // Ctrl-C reaches the parent only (the child has its own process group).
        kill(first.pid, SIGINT)
        let r = try first.wait()
        #expect(r.reason == .exit && r.status == 130, "\(r.status) \(r.stderr)")
        #expect(r.stderr.contains("interrupted by SIGINT; stopped 1 claim process; no output was written"), "\(r.stderr)")
        #expect(!CLI.isAlive(child), "the claim process survived Ctrl-C")
        #expect(CLI.read(d.appendingPathComponent("REPORT.md")) == CLI.reportText)
        #expect(!FileManager.default.fileExists(atPath: d.appendingPathComponent("r.json").path))
        // Lock released: the same outputs can be written now.
        #expect(try CLI.run(["report"] + CLI.tiny + ["--no-baseline", "--json", "r.json"], in: d).status == 0)
    }

    @Test("SIGTERM is forwarded too (exit 143); a parent killed outright takes its claim process with it")
    func termAndParentDeath() throws {
        let d = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: d) }
        let a = try CLI.start(CLI.slow, in: d)
        var child: Int32 = 0
        #expect(CLI.eventually(20) { child = CLI.children(of: a.pid).first ?? 0; return child != 0 })
        kill(a.pid, SIGTERM)
        let r = try a.wait()
        #expect(r.status == 143 && !CLI.isAlive(child), "\(r.status) \(r.stderr)")

        let b = try CLI.start(CLI.slow, in: d)
        #expect(CLI.eventually(20) { child = CLI.children(of: b.pid).first ?? 0; return child != 0 })
        kill(b.pid, SIGKILL)
        _ = try b.wait()
        #expect(CLI.eventually(3) { !CLI.isAlive(child) }, "the claim process outlived its parent")
        if CLI.isAlive(child) { kill(child, SIGKILL) }
    }

    @Test("a signal during the commit: before the commit point the old outputs stay, after it the new set is completed; exit 130")
    func signalDuringCommit() throws {
        let d = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: d) }
        #expect(try CLI.run(["report"] + CLI.tiny + ["--no-baseline", "--json", "r.json"], in: d).status == 0)
        let old = CLI.tree(d).filter { !$0.key.hasPrefix(".") }
        // Step 0 (staging) comes before the commit point, step 7 (the first rename) after it.
        for (step, keepsOld) in [(0, true), (7, false)] {
            let run = try CLI.start(["report"] + CLI.tiny + ["--no-baseline", "--json", "r.json", "--seed", "\(step + 1)"], in: d,
                                    environment: ["PAPERVERIFY_FAULT_INJECTION": "commit-pause:\(step)"])
            #expect(CLI.eventually(20) { (CLI.read(run.err.url) ?? "").contains("pausing before commit step") })
            kill(run.pid, SIGINT)
            let r = try run.wait()
            #expect(r.reason == .exit && r.status == 130, "\(r.status) \(r.stderr)")
            let now = CLI.tree(d).filter { !$0.key.hasPrefix(".") }
            if keepsOld {
                #expect(r.stderr.contains("the previous outputs are unchanged"), "\(r.stderr)")
                #expect(now == old)
            } else {
                #expect(r.stderr.contains("the new outputs were written completely"), "\(r.stderr)")
                #expect(now != old && (CLI.read(d.appendingPathComponent("REPORT.md")) ?? "").contains("--seed 8"))
            }
            let hidden = CLI.tree(d).keys.filter { $0.split(separator: "/").last!.hasPrefix(".") && !$0.hasSuffix(".paperverify-lock")
                                                    && !$0.hasSuffix("/.paperverify-figures") }
            #expect(hidden.isEmpty, "leftovers \(hidden)")
        }
    }

    // MARK: 4. working directory, baseline flags, links

    @Test("from a subfolder the package's baseline is found (a regression exits 1); outside any package the run says no baseline is in use")
    func packageRootBaseline() throws {
        let d = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: d) }
        try CLI.write("// swift-tools-version: 6.0\nlet package = Package(\n    name: \"paperverify\")\n", d.appendingPathComponent("Package.swift"))
        try FileManager.default.createDirectory(at: d.appendingPathComponent("reference-data"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: d.appendingPathComponent("sub/deeper"), withIntermediateDirectories: true)
        let make = try CLI.run(["report", "--tier", "quick", "--only", "ergodic-inclusion.gap-ratio-poisson", "--jobs", "1",
                                "--update-baseline"], in: d)
        #expect(make.status == 0, "\(make.stderr)")
        #expect(FileManager.default.fileExists(atPath: d.appendingPathComponent("reference-data/baseline.json").path))
        // Falsify the accepted value: every "measured" number of the baseline moves by 1%.
        let url = d.appendingPathComponent("reference-data/baseline.json")
        func shift(_ v: Any) -> Any {
            if var o = v as? [String: Any] {
                for (k, x) in o { o[k] = (k == "measured" ? (x as? Double).map { $0 * 1.01 } as Any : shift(x)) }
                return o
            }
            if let a = v as? [Any] { return a.map(shift) }
            return v
        }
        let shifted = shift(try JSONSerialization.jsonObject(with: Data(contentsOf: url)))
        try JSONSerialization.data(withJSONObject: shifted, options: [.sortedKeys]).write(to: url)
        let args = ["report", "--tier", "quick", "--only", "ergodic-inclusion.gap-ratio-poisson", "--jobs", "1", "--json", "r.json"]
        let sub = try CLI.run(args, in: d.appendingPathComponent("sub/deeper"))
        #expect(sub.status == 1, "a regression run from a subfolder: \(sub.status) \(sub.stderr)")
        #expect(sub.stderr.contains("regression"))
        let json = CLI.read(d.appendingPathComponent("sub/deeper/r.json")) ?? ""
        #expect(!json.contains("\"commit\":\"unknown\""), "commit unknown")

        let elsewhere = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let e = try CLI.run(args, in: elsewhere)
        #expect(e.status == 0)
        #expect(e.stdout.contains("no baseline in use:") && e.stdout.contains("regressions were not checked"), "\(e.stdout)")
        #expect(!(CLI.read(elsewhere.appendingPathComponent("r.json")) ?? "").contains("\"commit\":\"unknown\""))
        let update = try CLI.run(args + ["--update-baseline"], in: elsewhere)
        #expect(update.status == 2 && update.stderr.contains("no baseline to update"))
    }

    @Test("--update-baseline with --no-baseline is refused")
    func updateAndNoBaseline() throws {
        let d = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: d) }
        for cmd in [["report"] + CLI.tiny, ["merge", "x.json"]] {
            let r = try CLI.run(cmd + ["--update-baseline", "--no-baseline"], in: d)
            #expect(r.status == 2 && r.stderrLines.count == 1 && r.stderr.contains("--update-baseline and --no-baseline contradict"), "\(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: d.path).isEmpty)
    }

    @Test("paths with spaces and parentheses give CommonMark image links")
    func linksWithSpaces() throws {
        let d = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: d) }
        try FileManager.default.createDirectory(at: d.appendingPathComponent("my results (v2)"), withIntermediateDirectories: true)
        let r = try CLI.run(["report"] + CLI.tiny + ["--no-baseline", "--output", "my results (v2)/a report.md"], in: d)
        #expect(r.status == 0, "\(r.stderr)")
        let md = CLI.read(d.appendingPathComponent("my results (v2)/a report.md")) ?? ""
        #expect(md.contains("](<a report.figures/ergodic-inclusion.gap-ratio-poisson--r-histogram.svg>)"), "\(md)")
        #expect(FileManager.default.fileExists(atPath: d.appendingPathComponent("my results (v2)/a report.figures/ergodic-inclusion.gap-ratio-poisson--r-histogram.svg").path))
        let r2 = try CLI.run(["report"] + CLI.tiny + ["--no-baseline", "--output", "R.md", "--figures", "my results (v2)/f (1)"], in: d)
        #expect(r2.status == 0)
        #expect((CLI.read(d.appendingPathComponent("R.md")) ?? "").contains("](<my results (v2)/f (1)/ergodic-inclusion.gap-ratio-poisson--r-histogram.svg>)"))
    }

    @Test("link destinations: angle brackets, with <, > and backslash escaped (CommonMark)")
    func linkDestination() {
        #expect(markdownLinkDestination("a b (1)/x.svg") == "<a b (1)/x.svg>")
        #expect(markdownLinkDestination("a<b>c\\d/x.svg") == "<a\\<b\\>c\\\\d/x.svg>")
    }
}
