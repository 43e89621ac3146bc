import Foundation
#if canImport(Glibc)
import Glibc
#endif

// The outputs of one run (report, figures folder, results JSON, baseline) are checked,
// locked and written as one set:
//
// 1. `OutputSet.open` resolves every path (symlinks and `..`), refuses two outputs that
//    name the same path or nest, refuses an existing path of the wrong kind or that
//    paperverify does not recognise as its own (a report that is not a paperverify report,
//    a JSON that is not a results JSON, a figures folder without paperverify's manifest),
//    takes an advisory lock (flock) on a lock file beside each output (creating it proves
//    the folder is writable), then finishes the commit of a run that died after its commit
//    point and removes the temporaries that dead runs left. All of this happens before the
//    first claim starts.
// 2. `OutputSet.commit` writes every output to a temporary beside its destination, fsyncs
//    them, then writes a journal (the commit point, one rename) listing the renames that
//    install the new set and the stale figures to delete; then it applies the journal and
//    deletes it. A crash before the commit point leaves the old set untouched (plus
//    temporaries that the next run removes); a crash after it leaves a journal that the next
//    run on the same outputs completes before doing anything else. Figures are renamed
//    before the report, so the report's figure links resolve at every moment.
//
// Names used beside an output `X` in its folder: `.X.paperverify-lock` (kept),
// `.X.paperverify-tmp-<pid>-<n>` (temporary), `.X.paperverify-journal` (pending commit).
// Inside a figures folder: `.paperverify-figures` (manifest: the files paperverify wrote
// there) and `.paperverify-staging-<pid>-<n>/` (temporary).

/// A refused or failed output location: one line, with the path it concerns.
public struct OutputError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public let hint: String
    public init(_ description: String, hint: String = "choose another path") {
        self.description = description
        self.hint = hint
    }
}

/// The path a user named for one output, resolved.
public struct OutputPath: Sendable, Equatable {
    /// The option that named it, e.g. "--output" (for messages).
    public var option: String
    /// As the user wrote it (for messages).
    public var given: String
    /// Absolute, without `.`, `..` or symbolic links.
    public var url: URL

    public var path: String { url.path }

    /// Resolve `given` against `cwd`: the path itself if it exists, else its folder (which
    /// must exist) plus its last component.
    public static func resolve(_ given: String, option: String, cwd: URL) throws -> OutputPath {
        guard !given.isEmpty else { throw OutputError("\(option): empty path") }
        guard !given.contains(where: { $0 == "\n" || $0 == "\r" }) else {
            throw OutputError("\(option): a path with a line break cannot be linked from Markdown")
        }
        let absolute = given.hasPrefix("/") ? given : cwd.path + "/" + given
        if let real = FileSystem.realPath(absolute) {
            return OutputPath(option: option, given: given, url: URL(fileURLWithPath: real))
        }
        if FileSystem.lexists(absolute) {
            throw OutputError("\(option) \(given) is a symbolic link to nothing", hint: "remove it or choose another path")
        }
        let trimmed = absolute.hasSuffix("/") ? String(absolute.dropLast()) : absolute
        let parent = (trimmed as NSString).deletingLastPathComponent
        let last = (trimmed as NSString).lastPathComponent
        guard let realParent = FileSystem.realPath(parent), FileSystem.isDirectory(realParent) else {
            let shown = (given as NSString).deletingLastPathComponent
            throw OutputError("\(option) \(given): folder \(shown.isEmpty ? "." : shown) does not exist", hint: "create it first or choose another path")
        }
        return OutputPath(option: option, given: given, url: URL(fileURLWithPath: realParent).appendingPathComponent(last))
    }

    var folder: URL { url.deletingLastPathComponent() }
    var name: String { url.lastPathComponent }
    /// `.NAME.paperverify-SUFFIX` beside this output.
    func sibling(_ suffix: String) -> URL { folder.appendingPathComponent(".\(name).paperverify-\(suffix)") }
}

/// Where a run writes, before resolution.
public struct OutputRequest: Sendable {
    /// The Markdown report (nil: none, e.g. a shard that only writes its JSON).
    public var report: String?
    /// The figures folder (nil: `<report stem>.figures` beside the report).
    public var figures: String?
    public var json: String?
    /// The baseline this run reads (regression check) or writes (`--update-baseline`).
    public var baseline: String?
    public var writesBaseline: Bool
    /// Where relative paths start; the figures folder may not contain it.
    public var cwd: URL

    public init(report: String?, figures: String?, json: String?, baseline: String?, writesBaseline: Bool,
                cwd: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.report = report; self.figures = figures; self.json = json; self.baseline = baseline
        self.writesBaseline = writesBaseline; self.cwd = cwd
    }
}

/// The new contents of an output set.
public struct OutputContents: Sendable {
    public var report: Data?
    /// File name inside the figures folder → contents.
    public var figures: [String: Data]
    public var json: Data?
    public var baseline: Data?
    public init(report: Data? = nil, figures: [String: Data] = [:], json: Data? = nil, baseline: Data? = nil) {
        self.report = report; self.figures = figures; self.json = json; self.baseline = baseline
    }
}

/// A checked, locked set of output locations. Keep it alive until the run ends: the locks
/// are released when it is closed or deinitialized (or when the process exits).
public final class OutputSet: @unchecked Sendable {
    public let report: OutputPath?
    public let figures: OutputPath?
    public let json: OutputPath?
    /// The baseline, if this run reads or writes one.
    public let baseline: OutputPath?
    public let writesBaseline: Bool
    private var locks: [Int32] = []

    /// Name of the manifest inside a figures folder.
    public static let figuresManifestName = ".paperverify-figures"
    static let stagingPrefix = ".paperverify-staging-"
    /// The first line of every report paperverify writes starts with this.
    public static let reportSignature = "# paperverify"

    private init(report: OutputPath?, figures: OutputPath?, json: OutputPath?, baseline: OutputPath?, writesBaseline: Bool) {
        self.report = report; self.figures = figures; self.json = json; self.baseline = baseline
        self.writesBaseline = writesBaseline
    }

    deinit { close() }

    /// Release the locks.
    public func close() {
        for fd in locks { Glibc.close(fd) }
        locks = []
    }

    /// The figures folder relative to the report's folder (for the report's image links).
    public var figureLink: String? {
        guard let r = report, let f = figures else { return nil }
        return relativePath(from: r.folder, to: f.url)
    }

    // MARK: checking

    /// Resolve and check every output location, then lock them and clean up after dead runs.
    /// Throws `OutputError` (one line naming the path) before anything is written.
    public static func open(_ request: OutputRequest) throws -> OutputSet {
        let set = try check(request)
        try set.lock()
        try set.recover()
        return set
    }

    /// Resolution and checks only (no lock, nothing created).
    public static func check(_ request: OutputRequest) throws -> OutputSet {
        let cwd = URL(fileURLWithPath: FileSystem.realPath(request.cwd.path) ?? request.cwd.path)
        let report = try request.report.map { try OutputPath.resolve($0, option: "--output", cwd: cwd) }
        var figures: OutputPath? = nil
        if let f = request.figures {
            figures = try OutputPath.resolve(f, option: "--figures", cwd: cwd)
        } else if let r = report {
            let stem = r.url.deletingPathExtension().lastPathComponent
            figures = OutputPath(option: "--figures", given: ((r.given as NSString).deletingLastPathComponent as NSString)
                                    .appendingPathComponent(stem + ".figures"),
                                 url: r.folder.appendingPathComponent(stem + ".figures"))
        }
        let json = try request.json.map { try OutputPath.resolve($0, option: "--json", cwd: cwd) }
        let baseline = try request.baseline.map { try OutputPath.resolve($0, option: "--baseline", cwd: cwd) }

        // Two outputs naming the same path, or one inside the other.
        let named = [report, figures, json, baseline].compactMap { $0 }
        for i in named.indices {
            for j in named.indices where j > i {
                let a = named[i], b = named[j]
                if a.url.path == b.url.path {
                    throw OutputError("\(a.option) \(a.given) and \(b.option) \(b.given) are the same path (\(a.path))",
                                      hint: "give each output its own path")
                }
                if FileSystem.contains(a.url, b.url) || FileSystem.contains(b.url, a.url) {
                    let (outer, inner) = FileSystem.contains(a.url, b.url) ? (a, b) : (b, a)
                    throw OutputError("\(inner.option) \(inner.given) is inside \(outer.option) \(outer.given)",
                                      hint: "give each output its own path")
                }
            }
        }
        for o in named where o.name.hasPrefix(".") && o.name.contains(".paperverify-") {
            throw OutputError("\(o.option) \(o.given): paperverify keeps its own lock and temporary files under such names")
        }

        if let r = report { try checkFile(r, recognise: isReport, kind: "a paperverify report (its first line starts with \"\(reportSignature)\")") }
        if let j = json { try checkFile(j, recognise: isResultsJSON, kind: "a paperverify results JSON") }
        if let b = baseline, request.writesBaseline { try checkFile(b, recognise: { _ in true }, kind: "a baseline") }
        if let f = figures {
            if FileSystem.contains(f.url, cwd) || f.url.path == cwd.path {
                throw OutputError("\(f.option) \(f.given) contains the current folder \(cwd.path)",
                                  hint: "choose a folder of its own, e.g. REPORT.figures")
            }
            guard FileSystem.isDirectory(f.folder.path) else {
                throw OutputError("\(f.option) \(f.given): folder \(f.folder.path) does not exist", hint: "create it first or choose another path")
            }
            if FileSystem.lexists(f.path) {
                guard FileSystem.isDirectory(f.path) else {
                    throw OutputError("\(f.option) \(f.given) is a file, expected a figures folder", hint: "choose a new folder, e.g. REPORT.figures")
                }
                _ = try figuresOwnedFiles(f)
            }
        }
        return OutputSet(report: report, figures: figures, json: json, baseline: baseline, writesBaseline: request.writesBaseline)
    }

    static func checkFile(_ o: OutputPath, recognise: (URL) -> Bool, kind: String) throws {
        guard FileSystem.lexists(o.path) else { return }
        if FileSystem.isDirectory(o.path) {
            throw OutputError("\(o.option) \(o.given) is a folder, expected a file path")
        }
        guard FileSystem.isRegularFile(o.path) else {
            throw OutputError("\(o.option) \(o.given) is not a regular file")
        }
        guard FileSystem.size(o.path) == 0 || recognise(o.url) else {
            throw OutputError("\(o.option) \(o.given) exists and is not \(kind); paperverify replaces only its own files",
                              hint: "move it away or choose another path")
        }
    }

    /// The first line starts with "# paperverify".
    static func isReport(_ url: URL) -> Bool {
        FileSystem.prefix(url.path, 64).starts(with: Data(reportSignature.utf8))
    }

    /// A JSON object whose first 4 KB hold the keys "schema" and "provenance" (a baseline
    /// or any other JSON does not).
    static func isResultsJSON(_ url: URL) -> Bool {
        let head = String(decoding: FileSystem.prefix(url.path, 4096), as: UTF8.self)
        return head.drop(while: { $0.isWhitespace }).first == "{" && head.contains("\"schema\"") && head.contains("\"provenance\"")
    }

    /// The figures that paperverify wrote in an existing folder: its manifest's list; for a
    /// folder written before manifests existed, its files if every one is a paperverify
    /// figure (`<paper>.<claim>--<name>.svg` starting with an SVG root element). Throws when
    /// the folder is not recognisably paperverify's.
    static func figuresOwnedFiles(_ f: OutputPath) throws -> [String] {
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: f.path) } catch {
            throw OutputError("\(f.option) \(f.given): cannot read the folder (\(error.localizedDescription))")
        }
        let manifestURL = f.url.appendingPathComponent(figuresManifestName)
        if entries.contains(figuresManifestName) {
            guard let m = FiguresManifest.read(manifestURL) else {
                throw OutputError("\(f.option) \(f.given): its \(figuresManifestName) is not a paperverify figures manifest",
                                  hint: "move the folder away or choose another path")
            }
            return m.files
        }
        let foreign = entries.filter { !$0.hasPrefix(stagingPrefix) && !isLegacyFigure(f.url.appendingPathComponent($0)) }
        guard foreign.isEmpty else {
            let shown = foreign.sorted().prefix(3).joined(separator: ", ") + (foreign.count > 3 ? ", …" : "")
            throw OutputError("\(f.option) \(f.given) is a folder that paperverify did not write (it holds \(shown)); paperverify writes figures only into a new folder or one of its own",
                              hint: "choose a new folder, e.g. REPORT.figures")
        }
        return entries.filter { !$0.hasPrefix(stagingPrefix) }.sorted()
    }

    static func isLegacyFigure(_ url: URL) -> Bool {
        let name = url.lastPathComponent
        guard name.hasSuffix(".svg"), name.contains("--"),
              Paper.allCases.contains(where: { name.hasPrefix($0.rawValue + ".") }),
              FileSystem.isRegularFile(url.path) else { return false }
        return FileSystem.prefix(url.path, 64).starts(with: Data("<svg xmlns=\"http://www.w3.org/2000/svg\"".utf8))
    }

    // MARK: locking

    /// Every output file path, in a fixed order (the lock order).
    private var lockedPaths: [OutputPath] {
        ([report, figures, json] + (writesBaseline ? [baseline] : [])).compactMap { $0 }.sorted { $0.path < $1.path }
    }

    private func lock() throws {
        for o in lockedPaths { locks.append(try Self.lockFile(o.sibling("lock"), for: o)) }
    }

    /// Open (creating it) and flock a lock file; records our pid in it.
    static func lockFile(_ url: URL, for o: OutputPath) throws -> Int32 {
        let fd = Glibc.open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw OutputError("\(o.option) \(o.given): cannot write in folder \(o.folder.path) (\(String(cString: strerror(errno))))",
                              hint: "choose a writable folder")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = String(decoding: FileSystem.prefix(url.path, 32), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            Glibc.close(fd)
            throw OutputError("\(o.option) \(o.given) is being written by another paperverify run\(holder.isEmpty ? "" : " (pid \(holder))")",
                              hint: "wait for it to finish, or choose other outputs")
        }
        _ = ftruncate(fd, 0)
        let pid = Data("\(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        return fd
    }

    // MARK: recovery and cleanup

    /// Finish a commit that a dead run left half-applied (its journal), then remove the
    /// temporaries of dead runs. Runs under our locks: a writer of these outputs holds them,
    /// so every temporary found here belongs to a dead run.
    private func recover() throws {
        let files = ([report, json] + (writesBaseline ? [baseline] : [])).compactMap { $0 }
        for o in files {
            let journal = o.sibling("journal")
            if FileSystem.lexists(journal.path) {
                try recoverJournal(journal, for: o)
            }
        }
        for o in files {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: o.folder.path)) ?? [] {
                let u = o.folder.appendingPathComponent(entry)
                if entry.hasPrefix(".\(o.name).paperverify-tmp-") || entry.hasPrefix(".\(o.name).paperverify-journal.tmp-") {
                    if FileSystem.isRegularFile(u.path) { try? FileManager.default.removeItem(at: u) }
                } else if let pid = Self.legacyTemporaryPID(entry, name: o.name, suffixes: ["tmp"]), !FileSystem.isAlive(pid),
                          FileSystem.isRegularFile(u.path),
                          FileSystem.size(u.path) == 0 || Self.isReport(u) || Self.isResultsJSON(u) || FileSystem.prefix(u.path, 1) == Data("{".utf8) {
                    // `.NAME.tmp-PID` of the former writer (before output sets), its process gone.
                    try? FileManager.default.removeItem(at: u)
                }
            }
        }
        if let f = figures {
            if FileSystem.isDirectory(f.path) {
                for entry in (try? FileManager.default.contentsOfDirectory(atPath: f.path)) ?? [] where entry.hasPrefix(Self.stagingPrefix) {
                    Self.removeStaging(f.url.appendingPathComponent(entry))
                }
            }
            // `.NAME.tmp-PID` / `.NAME.old-PID` folders of the former figures writer.
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: f.folder.path)) ?? [] {
                guard let pid = Self.legacyTemporaryPID(entry, name: f.name, suffixes: ["tmp", "old"]), !FileSystem.isAlive(pid) else { continue }
                let u = f.folder.appendingPathComponent(entry)
                let inside = (try? FileManager.default.contentsOfDirectory(atPath: u.path)) ?? ["?"]
                if FileSystem.isDirectory(u.path), inside.allSatisfy({ Self.isLegacyFigure(u.appendingPathComponent($0)) }) {
                    try? FileManager.default.removeItem(at: u)
                }
            }
        }
    }

    /// The pid of `.NAME.SUFFIX-PID`, or nil.
    static func legacyTemporaryPID(_ entry: String, name: String, suffixes: [String]) -> Int32? {
        for s in suffixes {
            let prefix = ".\(name).\(s)-"
            if entry.hasPrefix(prefix), let pid = Int32(entry.dropFirst(prefix.count)), pid > 0 { return pid }
        }
        return nil
    }

    /// Remove a staging folder of a dead run: only regular files directly inside it.
    static func removeStaging(_ dir: URL) {
        guard FileSystem.isDirectory(dir.path) else { return }
        let inside = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        for e in inside where FileSystem.isRegularFile(dir.appendingPathComponent(e).path) {
            unlink(dir.appendingPathComponent(e).path)
        }
        rmdir(dir.path)
    }

    private func recoverJournal(_ url: URL, for o: OutputPath) throws {
        guard let data = FileManager.default.contents(atPath: url.path),
              let journal = try? JSONDecoder().decode(CommitJournal.self, from: data), journal.paperverify == CommitJournal.tag else {
            throw OutputError("\(o.option) \(o.given): \(url.path) is not a paperverify commit journal",
                              hint: "remove it by hand if no paperverify run is writing there")
        }
        // Lock what the journal touches that we do not hold already (a dead run may have
        // written other outputs than ours). A figure's lock is its folder's.
        let mine = Set(lockedPaths.map(\.path))
        var targets = Set<String>()
        for t in journal.renames.map(\.to) + journal.remove {
            let parent = URL(fileURLWithPath: t).deletingLastPathComponent().path
            targets.insert(parent == journal.figuresFolder ? parent : t)
        }
        var extra = [Int32]()
        defer { for fd in extra { Glibc.close(fd) } }
        for t in targets.subtracting(mine).sorted() {
            let op = OutputPath(option: "the interrupted commit of", given: t, url: URL(fileURLWithPath: t))
            extra.append(try Self.lockFile(op.sibling("lock"), for: op))
        }
        do { try Self.apply(journal, journalURL: url, faults: nil) } catch {
            throw OutputError("\(o.option) \(o.given): could not complete the commit interrupted in \(url.path): \(error)",
                              hint: "fix the cause, then run again")
        }
    }

    // MARK: commit

    /// Write the new set: temporaries, journal (the commit point), renames, cleanup.
    /// `interrupted` is asked at the commit point: when it returns true the temporaries are
    /// removed, the old set stays, and `OutputError` is thrown.
    public func commit(_ contents: OutputContents, interrupted: () -> Bool = { false }) throws {
        let faults = FaultInjection.fromEnvironment()
        let pid = getpid()
        let tag = "\(pid)-\(UInt32.random(in: 0...UInt32.max))"
        var journal = CommitJournal(pid: pid)
        var staging: URL? = nil
        var temporaries = [URL]()
        do {
            // 1. Figures: into a staging folder inside the figures folder (same file system).
            if let f = figures {
                if !FileSystem.lexists(f.path) {
                    try faults.step("create figures folder")
                    try FileSystem.makeDirectory(f.url)
                    try faults.step("write empty manifest")
                    try FileSystem.writeNew(FiguresManifest(files: []).encoded(), to: f.url.appendingPathComponent(Self.figuresManifestName))
                    try FileSystem.syncDirectory(f.folder)
                }
                let old = try Self.figuresOwnedFiles(f)
                let s = f.url.appendingPathComponent(Self.stagingPrefix + tag)
                try faults.step("create staging folder")
                try FileSystem.makeDirectory(s)
                staging = s
                for name in contents.figures.keys.sorted() {
                    guard Self.isPlainFileName(name), !name.hasPrefix("."), name != Self.figuresManifestName else {
                        throw OutputError("figure file name \(name) is not allowed")
                    }
                    let dest = f.url.appendingPathComponent(name)
                    if FileSystem.lexists(dest.path) && !FileSystem.isRegularFile(dest.path) {
                        throw OutputError("\(f.option) \(f.given): \(name) exists and is not a file")
                    }
                    try faults.step("stage figure \(name)")
                    try FileSystem.writeNew(contents.figures[name]!, to: s.appendingPathComponent(name))
                    journal.renames.append(.init(from: s.appendingPathComponent(name).path, to: f.url.appendingPathComponent(name).path))
                }
                try faults.step("stage manifest")
                try FileSystem.writeNew(FiguresManifest(files: contents.figures.keys.sorted()).encoded(),
                                        to: s.appendingPathComponent(Self.figuresManifestName))
                journal.renames.append(.init(from: s.appendingPathComponent(Self.figuresManifestName).path,
                                             to: f.url.appendingPathComponent(Self.figuresManifestName).path))
                journal.remove = old.filter { contents.figures[$0] == nil && Self.isPlainFileName($0) && $0 != Self.figuresManifestName }
                    .map { f.url.appendingPathComponent($0).path }
                journal.removeDirectories = [s.path]
                journal.figuresFolder = f.path
                try FileSystem.syncDirectory(s)
            }
            // 2. Files: a temporary beside each destination. The report comes last, so that it
            // is replaced only once everything it refers to is in place.
            for (o, data) in [(json, contents.json), (writesBaseline ? baseline : nil, contents.baseline), (report, contents.report)] {
                guard let o, let data else { continue }
                let tmp = o.sibling("tmp-\(tag)")
                try faults.step("write temporary \(o.name)")
                try FileSystem.writeNew(data, to: tmp)
                temporaries.append(tmp)
                journal.renames.append(.init(from: tmp.path, to: o.path))
            }
            for dir in Set(temporaries.map { $0.deletingLastPathComponent().path }) { try FileSystem.syncDirectory(URL(fileURLWithPath: dir)) }
            if interrupted() { throw Interrupted() }
            // 3. The commit point: the journal appears atomically.
            guard let anchor else {
                // Nothing but figures (cannot happen from the CLI): apply directly.
                try Self.apply(journal, journalURL: nil, faults: faults)
                return
            }
            let journalURL = anchor.sibling("journal")
            let journalTmp = anchor.sibling("journal.tmp-\(tag)")
            try faults.step("write journal")
            try FileSystem.writeNew(try JSONEncoder().encode(journal), to: journalTmp)
            temporaries.append(journalTmp)
            try faults.step("commit (rename journal)")
            try FileSystem.rename(journalTmp, journalURL)
            try FileSystem.syncDirectory(anchor.folder)
        } catch {
            // Before the commit point: remove our temporaries; the old set is untouched.
            for t in temporaries { unlink(t.path) }
            if let s = staging { Self.removeStaging(s) }
            if error is Interrupted { throw OutputError("interrupted before the outputs were replaced; the previous outputs are unchanged", hint: "run again") }
            throw error
        }
        try Self.apply(journal, journalURL: anchor?.sibling("journal"), faults: faults)
    }

    /// The output beside which the journal lives.
    private var anchor: OutputPath? { [report, json, writesBaseline ? baseline : nil].compactMap { $0 }.first }

    struct Interrupted: Error {}

    /// A name that stays inside its folder: not empty, not . or .., no slash or NUL.
    static func isPlainFileName(_ n: String) -> Bool {
        !n.isEmpty && n != "." && n != ".." && !n.contains("/") && !n.contains("\0")
    }

    /// Apply a journal: renames in order (skipping those already done), removals, then
    /// delete the journal. Idempotent, so a crash inside it is finished by the next run.
    static func apply(_ journal: CommitJournal, journalURL: URL?, faults: FaultInjection?) throws {
        var touched = Set<String>()
        for r in journal.renames {
            guard FileSystem.lexists(r.from) else { continue }   // done before a crash
            try faults?.step("rename \(URL(fileURLWithPath: r.to).lastPathComponent)")
            try FileSystem.rename(URL(fileURLWithPath: r.from), URL(fileURLWithPath: r.to))
            touched.insert(URL(fileURLWithPath: r.to).deletingLastPathComponent().path)
        }
        for d in touched.sorted() { try FileSystem.syncDirectory(URL(fileURLWithPath: d)) }
        // Stale figures: only files and symbolic links (a folder put there by hand stays).
        for p in journal.remove where FileSystem.isRegularFile(p) || FileSystem.isSymbolicLink(p) {
            try faults?.step("remove stale \(URL(fileURLWithPath: p).lastPathComponent)")
            if unlink(p) != 0 && errno != ENOENT { throw FileSystem.posixError("remove", p) }
        }
        for d in journal.removeDirectories where FileSystem.lexists(d) {
            try faults?.step("remove staging folder")
            removeStaging(URL(fileURLWithPath: d))
        }
        if let j = journalURL, FileSystem.lexists(j.path) {
            try faults?.step("remove journal")
            if unlink(j.path) != 0 && errno != ENOENT { throw FileSystem.posixError("remove", j.path) }
            try FileSystem.syncDirectory(j.deletingLastPathComponent())
        }
    }
}

/// The journal of a commit: what installs the new set.
struct CommitJournal: Codable {
    static let tag = "commit-journal"
    struct Rename: Codable { var from: String; var to: String }
    var paperverify = CommitJournal.tag
    var pid: Int32
    var renames: [Rename] = []
    /// Stale figures (in the old manifest, not in the new one).
    var remove: [String] = []
    var removeDirectories: [String] = []
    var figuresFolder: String? = nil
    init(pid: Int32) { self.pid = pid }
}

/// `.paperverify-figures`: the files paperverify wrote in a figures folder.
struct FiguresManifest: Codable {
    static let tag = "figures"
    var paperverify = FiguresManifest.tag
    var note = "Written by paperverify with the figures in this folder; paperverify replaces only the files listed here."
    var files: [String]
    init(files: [String]) { self.files = files }

    func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(self) + Data("\n".utf8)
    }

    static func read(_ url: URL) -> FiguresManifest? {
        guard let d = FileManager.default.contents(atPath: url.path),
              let m = try? JSONDecoder().decode(FiguresManifest.self, from: d), m.paperverify == tag else { return nil }
        return m
    }
}

/// Crash testing of the commit: `PAPERVERIFY_FAULT_INJECTION=commit-step:K` kills the
/// process (SIGKILL, as a power cut would stop it) just before the K-th step (0-based) of
/// `OutputSet.commit`; `commit-pause:K` waits 3 s there instead (to deliver a signal
/// during the commit).
struct FaultInjection {
    let killAt: Int?
    var pauseAt: Int? = nil
    private let counter = Counter()

    final class Counter: @unchecked Sendable { var value = 0 }

    static func fromEnvironment() -> FaultInjection {
        let v = ProcessInfo.processInfo.environment["PAPERVERIFY_FAULT_INJECTION"] ?? ""
        if v.hasPrefix("commit-pause:"), let k = Int(v.dropFirst("commit-pause:".count)) { return FaultInjection(killAt: nil, pauseAt: k) }
        guard v.hasPrefix("commit-step:"), let k = Int(v.dropFirst("commit-step:".count)) else { return FaultInjection(killAt: nil) }
        return FaultInjection(killAt: k)
    }

    func step(_ what: String) throws {
        defer { counter.value += 1 }
        if let k = killAt, counter.value == k {
            FileHandle.standardError.write(Data("paperverify: fault injection: killed before commit step \(k) (\(what))\n".utf8))
            kill(getpid(), SIGKILL)
        }
        if let k = pauseAt, counter.value == k {
            FileHandle.standardError.write(Data("paperverify: fault injection: pausing before commit step \(k) (\(what))\n".utf8))
            sleep(3)
        }
    }
}

/// Atomic single-file replacement (temporary beside the file, fsync, rename, fsync of the folder).
func replaceFileAtomically(_ data: Data, at url: URL) throws {
    let tmp = url.deletingLastPathComponent()
        .appendingPathComponent(".\(url.lastPathComponent).paperverify-tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    do {
        try FileSystem.writeNew(data, to: tmp)
        try FileSystem.rename(tmp, url)
        try FileSystem.syncDirectory(url.deletingLastPathComponent())
    } catch {
        unlink(tmp.path)
        throw error
    }
}

/// A CommonMark link destination for a relative path: in angle brackets, so that spaces
/// and parentheses need no escaping; `<`, `>` and `\` are backslash-escaped. (Paths with
/// line breaks are refused by `OutputPath.resolve`.)
public func markdownLinkDestination(_ path: String) -> String {
    var s = "<"
    for ch in path {
        if ch == "<" || ch == ">" || ch == "\\" { s.append("\\") }
        s.append(ch)
    }
    return s + ">"
}

/// The root of the paperverify package (the folder whose Package.swift declares
/// `name: "paperverify"`), searched from `start` upwards.
public enum PackageRoot {
    public static func find(from start: URL) -> URL? {
        var dir = URL(fileURLWithPath: FileSystem.realPath(start.path) ?? start.path)
        while true {
            let manifest = dir.appendingPathComponent("Package.swift")
            if let d = FileManager.default.contents(atPath: manifest.path),
               String(decoding: d, as: UTF8.self).contains("name: \"paperverify\"") {
                return dir
            }
            let up = dir.deletingLastPathComponent()
            if up.path == dir.path || dir.path == "/" { return nil }
            dir = up
        }
    }
}

/// Thin POSIX helpers.
enum FileSystem {
    static func realPath(_ p: String) -> String? {
        guard let r = realpath(p, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }

    static func lexists(_ p: String) -> Bool { var s = stat(); return lstat(p, &s) == 0 }

    static func isDirectory(_ p: String) -> Bool {
        var s = stat()
        return stat(p, &s) == 0 && (s.st_mode & S_IFMT) == S_IFDIR
    }

    static func isRegularFile(_ p: String) -> Bool {
        var s = stat()
        return lstat(p, &s) == 0 && (s.st_mode & S_IFMT) == S_IFREG
    }

    static func isSymbolicLink(_ p: String) -> Bool {
        var s = stat()
        return lstat(p, &s) == 0 && (s.st_mode & S_IFMT) == S_IFLNK
    }

    static func size(_ p: String) -> Int {
        var s = stat()
        return stat(p, &s) == 0 ? Int(s.st_size) : -1
    }

    /// `inner` lies strictly inside `outer` (both resolved).
    static func contains(_ outer: URL, _ inner: URL) -> Bool {
        let o = outer.path.hasSuffix("/") ? outer.path : outer.path + "/"
        return inner.path.hasPrefix(o)
    }

    /// The first `n` bytes of a file (empty if unreadable).
    static func prefix(_ p: String, _ n: Int) -> Data {
        let fd = open(p, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return Data() }
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: n)
        let got = read(fd, &buf, n)
        return got > 0 ? Data(buf[0..<got]) : Data()
    }

    static func isAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

    static func posixError(_ what: String, _ path: String) -> OutputError {
        OutputError("cannot \(what) \(path): \(String(cString: strerror(errno)))")
    }

    /// Create a file that must not exist, write all of `data`, fsync.
    static func writeNew(_ data: Data, to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw posixError("create", url.path) }
        defer { close(fd) }
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var off = 0
            while off < raw.count {
                let n = write(fd, raw.baseAddress! + off, raw.count - off)
                if n < 0 { if errno == EINTR { continue }; throw posixError("write", url.path) }
                off += n
            }
        }
        guard fsync(fd) == 0 else { throw posixError("fsync", url.path) }
    }

    static func makeDirectory(_ url: URL) throws {
        guard mkdir(url.path, 0o777) == 0 else { throw posixError("create folder", url.path) }
    }

    static func rename(_ from: URL, _ to: URL) throws {
        guard Glibc.rename(from.path, to.path) == 0 else { throw posixError("rename \(from.path) to", to.path) }
    }

    static func syncDirectory(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw posixError("open folder", url.path) }
        defer { close(fd) }
        _ = fsync(fd)
    }
}
