import Foundation

/// A folder where a run saves every finished claim result and every finished realization as
/// it goes (`report --checkpoint DIR`), so that `--resume` continues a killed run (walltime,
/// node failure) and gives bitwise the results of an uninterrupted one. The folder holds only
/// files paperverify wrote (a marker file says so); a non-empty folder without the marker is
/// refused. Entries are keyed by claim, tier, seed and settings hash: another run's entries
/// are never used.
public final class CheckpointFolder: @unchecked Sendable {
    public let url: URL
    let resume: Bool
    public static let markerName = ".paperverify-checkpoint"

    public enum Problem: Error, CustomStringConvertible {
        case foreign(String), notFolder(String), cannotCreate(String)
        public var description: String {
            switch self {
            case let .foreign(p): return "--checkpoint \(p) holds files paperverify did not write (no \(CheckpointFolder.markerName)); use an empty or new folder"
            case let .notFolder(p): return "--checkpoint \(p) is not a folder"
            case let .cannotCreate(p): return "--checkpoint \(p) cannot be created or written"
            }
        }
    }

    /// Open (creating it if missing, its parent must exist). Without `resume`, this run's
    /// own earlier entries in it are replaced as the run goes.
    public init(path: String, resume: Bool) throws {
        let fm = FileManager.default
        url = URL(fileURLWithPath: path).standardizedFileURL
        self.resume = resume
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: url.path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw Problem.notFolder(path) }
            let contents = (try? fm.contentsOfDirectory(atPath: url.path)) ?? []
            if !contents.isEmpty && !contents.contains(Self.markerName) { throw Problem.foreign(path) }
        } else {
            do { try fm.createDirectory(at: url, withIntermediateDirectories: false) } catch { throw Problem.cannotCreate(path) }
        }
        let marker = url.appendingPathComponent(Self.markerName)
        if !fm.fileExists(atPath: marker.path) {
            guard fm.createFile(atPath: marker.path, contents: Data("paperverify checkpoint folder: finished claims and realizations of interrupted runs\n".utf8)) else {
                throw Problem.cannotCreate(path)
            }
        }
        guard fm.isWritableFile(atPath: url.path) else { throw Problem.cannotCreate(path) }
    }

    func stem(_ claim: String, _ tier: String, _ seed: String, _ hash: String) -> String {
        "\(claim).\(tier).\(seed).\(hash)"
    }

    /// The realization checkpoint file of a claim under these options. Without --resume an
    /// existing one is emptied first.
    public func realizationFile(claim: Claim, options: RunOptions) throws -> RealizationCheckpointFile? {
        guard claim.measurement.isPlanned else { return nil }
        let hash = Runner.settingsHash(claim.tiers[options.tier] ?? [:])
        let file = url.appendingPathComponent(stem(claim.id, options.tier.rawValue, String(options.seed), hash) + ".realizations.jsonl")
        if !resume { try? FileManager.default.removeItem(at: file) }
        return try RealizationCheckpointFile(url: file, claim: claim.id, tier: options.tier.rawValue, seed: String(options.seed),
                                             settingsHash: hash, plan: try Runner.plan(claim, options: options))
    }

    /// A finished result of an earlier (interrupted) run under the same settings, if resuming.
    public func finishedResult(claim: String, tier: Tier, seed: UInt64, settingsHash: String) -> ClaimResult? {
        guard resume else { return nil }
        let file = url.appendingPathComponent(stem(claim, tier.rawValue, String(seed), settingsHash) + ".result.json")
        guard let d = try? Data(contentsOf: file), let r = try? JSONDecoder().decode(ClaimResult.self, from: d),
              r.id == claim, r.tier == tier.rawValue, r.seed == String(seed), r.settingsHash == settingsHash else { return nil }
        return r
    }

    /// Save a finished claim result (atomically).
    public func saveResult(_ r: ClaimResult) {
        let file = url.appendingPathComponent(stem(r.id, r.tier, r.seed, r.settingsHash) + ".result.json")
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let d = try? e.encode(r) { try? writeAtomically(d, to: file) }
    }
}
