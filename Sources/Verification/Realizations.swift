import Foundation

/// The raw realizations `lower..<upper` of one claim's plan (a realization-range shard, or a
/// checkpoint's content): each value is the realization's JSON text, in task order.
public struct RealizationRecords: Codable, Sendable, Equatable {
    public var claim: String
    public var tier: String
    public var seed: String
    public var settingsHash: String
    /// The plan the realizations belong to (checked on merge).
    public var sets: [RealizationSet]
    /// Realizations in the whole plan.
    public var total: Int
    public var lower: Int
    public var upper: Int
    public var values: [String]
    /// Wall time spent on these realizations.
    public var seconds: Double
    /// Seconds per realization set spent in this range (summed over workers).
    public var setSeconds: [Double]?
}

/// Why a set of shards cannot be merged.
public enum ShardError: Error, CustomStringConvertible, Sendable {
    case incomplete(String)
    case duplicated(String)
    case inconsistent(String)
    /// A realization range could not be computed (its process crashed or failed).
    case failed(String)
    public var description: String {
        switch self {
        case let .incomplete(s): return "incomplete shards: \(s)"
        case let .duplicated(s): return "duplicated shards: \(s)"
        case let .inconsistent(s): return "inconsistent shards: \(s)"
        case let .failed(s): return "realizations failed: \(s)"
        }
    }
}

/// Where finished realizations are kept while a claim runs, so that an interrupted run
/// resumes without recomputing them.
public protocol RealizationCheckpoint: Sendable {
    /// Realizations already stored (task index → encoded value).
    func load() -> [Int: Data]
    /// Store one finished realization (called from worker threads).
    func save(task: Int, value: Data)
}

/// A checkpoint file of one claim run: JSON lines {"t": task, "v": "<value JSON>"} after a
/// header line naming the claim, tier, seed, settings and plan. Lines are appended as
/// realizations finish and flushed to the kernel at once; a torn last line (a kill while
/// writing) is ignored on load. A file made for other settings or another plan is ignored
/// (and replaced) — never merged.
public final class RealizationCheckpointFile: RealizationCheckpoint, @unchecked Sendable {
    public let url: URL
    private let header: String
    private let lock = NSLock()
    private var handle: FileHandle?

    struct Header: Codable, Equatable { var claim, tier, seed, settingsHash: String; var plan: [RealizationSet] }
    struct Line: Codable { var t: Int; var v: String }

    /// `plan` is the claim's plan under these settings.
    public init(url: URL, claim: String, tier: String, seed: String, settingsHash: String, plan: [RealizationSet]) throws {
        self.url = url
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        header = String(decoding: try e.encode(Header(claim: claim, tier: tier, seed: seed, settingsHash: settingsHash, plan: plan)), as: UTF8.self)
    }

    public func load() -> [Int: Data] {
        lock.lock(); defer { lock.unlock() }
        var out = [Int: Data]()
        if let text = try? String(contentsOf: url, encoding: .utf8) {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.first.map(String.init) == header {
                lines.removeFirst()
                for l in lines where !l.isEmpty {
                    guard let line = try? JSONDecoder().decode(Line.self, from: Data(l.utf8)) else { continue }
                    out[line.t] = Data(line.v.utf8)
                }
            } else {
                out = [:]
            }
        }
        // Rewrite the file with the header and the valid lines (drops a torn tail or a stale plan).
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var body = header + "\n"
        for t in out.keys.sorted() {
            if let d = try? e.encode(Line(t: t, v: String(decoding: out[t]!, as: UTF8.self))) { body += String(decoding: d, as: UTF8.self) + "\n" }
        }
        try? writeAtomically(Data(body.utf8), to: url)
        handle = try? FileHandle(forWritingTo: url)
        _ = try? handle?.seekToEnd()
        return out
    }

    public func save(task: Int, value: Data) {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let d = try? e.encode(Line(t: task, v: String(decoding: value, as: UTF8.self))) else { return }
        lock.lock(); defer { lock.unlock() }
        try? handle?.write(contentsOf: d + Data("\n".utf8))
    }

    deinit { try? handle?.close() }
}

/// Wall seconds spent per realization set (summed over workers).
public final class SetTiming: @unchecked Sendable {
    private var totals = [Double]()
    private let lock = NSLock()
    public init() {}
    func reset(_ n: Int) { lock.lock(); totals = [Double](repeating: 0, count: n); lock.unlock() }
    func add(set i: Int, seconds: Double) { lock.lock(); if i < totals.count { totals[i] += seconds }; lock.unlock() }
    /// nil when no realization ran (single-run claims).
    public var seconds: [Double]? { lock.lock(); defer { lock.unlock() }; return totals.isEmpty ? nil : totals }
}
