import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Running the built `paperverify` on scratch folders (shared by the CLI suites).
enum CLI {
    struct Outcome {
        var status: Int32
        var reason: Process.TerminationReason
        var stdout: String
        var stderr: String
        var seconds: Double
        var stderrLines: [Substring] { stderr.split(separator: "\n") }
    }

    /// A started run (not waited for).
    struct Running {
        let process: Process
        let out: CLITests.OutputFile
        let err: CLITests.OutputFile
        let started: Date
        var pid: Int32 { process.processIdentifier }

        func wait() throws -> Outcome {
            process.waitUntilExit()
            return Outcome(status: process.terminationStatus, reason: process.terminationReason, stdout: try out.read(),
                           stderr: try err.read(), seconds: Date().timeIntervalSince(started))
        }
    }

    static func start(_ args: [String], in dir: URL, environment: [String: String] = [:]) throws -> Running {
        let exe = try #require(CLITests.executable, "paperverify executable not found next to \(CommandLine.arguments[0])")
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        var env = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        env["PAPERVERIFY_FAULT_INJECTION"] = environment["PAPERVERIFY_FAULT_INJECTION"]
        p.environment = env
        p.currentDirectoryURL = dir
        let (o, e) = try CLITests.outputFiles()
        p.standardOutput = o.handle; p.standardError = e.handle
        p.standardInput = FileHandle.nullDevice
        let t0 = Date()
        try p.run()
        return Running(process: p, out: o, err: e, started: t0)
    }

    static func run(_ args: [String], in dir: URL, environment: [String: String] = [:]) throws -> Outcome {
        try start(args, in: dir, environment: environment).wait()
    }

    static func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("pv-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return URL(fileURLWithPath: d.resolvingSymlinksInPath().path)
    }

    static func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    static func read(_ url: URL) -> String? {
        FileManager.default.contents(atPath: url.path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Every file under `dir` (relative path → contents), hidden ones included.
    static func tree(_ dir: URL) -> [String: Data] {
        var out = [String: Data]()
        guard let e = FileManager.default.enumerator(atPath: dir.path) else { return out }
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            let p = dir.appendingPathComponent(rel).path
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue {
                out[rel] = FileManager.default.contents(atPath: p) ?? Data()
            }
        }
        return out
    }

    /// Live (not zombie) child processes of `pid`.
    static func children(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { p in
            guard let (state, ppid) = stat(p) else { return false }
            return ppid == pid && state != "Z" && state != "X"
        }
    }

    static func isAlive(_ pid: Int32) -> Bool {
        guard let (state, _) = stat(pid) else { return false }
        return state != "Z" && state != "X"
    }

    static func stat(_ pid: Int32) -> (Character, Int32)? {
        guard let d = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
              let text = String(data: d, encoding: .utf8), let close = text.lastIndex(of: ")") else { return nil }
        let f = text[text.index(after: close)...].split(separator: " ")
        guard f.count > 2, let s = f[0].first, let pp = Int32(f[1]) else { return nil }
        return (s, pp)
    }

    /// Poll until `condition` holds (true) or `seconds` pass (false).
    static func eventually(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    /// A pid that belonged to a process which has exited.
    static func deadPID() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    /// The cheapest claim, made tinier still.
    static let tiny = ["--tier", "quick", "--only", "ergodic-inclusion.gap-ratio-poisson", "--param", "spectra=40", "--jobs", "1"]
    /// A run that lasts minutes unless stopped (for lock and signal tests).
    static let slow = ["report", "--tier", "quick", "--only", "ergodic-inclusion.gap-ratio-goe", "--param", "matrices=2000000",
                       "--jobs", "1", "--no-baseline"]
    /// A paperverify report's first line (what `--output` may replace).
    static let reportText = "# paperverify validation report\n\n(previous run)\n"
}
