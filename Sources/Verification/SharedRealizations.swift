import Foundation
import Kernels

/// Realizations of shared streams, computed once per run and reused by every claim that
/// measures the same ensemble (issue 15: kas-glass's field-gap-exponent and min-field-scaling
/// share the SFS ensemble, and each claim runs in its own child process, so an in-memory cache
/// cannot help).
///
/// Contract (`RealizationSet.sharedStream`): a realization of a set with a shared stream depends
/// only on (master seed, stream, the set's settings, realization index) — never on the claim
/// that asks for it. A set is stored as one file once all its realizations are computed
/// (written atomically: a reader sees a whole set or none), keyed by the seed, the stream, the
/// settings hash and the count; a file whose header differs is ignored. The values are the
/// realizations' encoded JSON texts, so a claim reading them analyses exactly the bytes it
/// would have computed (bitwise-identical results).
///
/// The store lives in a folder the run creates (a fresh temporary folder, removed at the end,
/// or `<checkpoint>/shared` with --checkpoint, kept for --resume); child processes find it in
/// the environment variable `PAPERVERIFY_SHARED_REALIZATIONS`.
public final class SharedRealizationStore: @unchecked Sendable {
    public static let environmentVariable = "PAPERVERIFY_SHARED_REALIZATIONS"
    public let url: URL

    struct Header: Codable, Equatable { var seed: String; var stream: String; var settingsHash: String; var count: Int }
    struct Content: Codable { var header: Header; var values: [String] }

    public init(url: URL) { self.url = url }

    /// The store named by the environment of this process, if any.
    public static func fromEnvironment() -> SharedRealizationStore? {
        guard let p = getenv(environmentVariable).map({ String(cString: $0) }), !p.isEmpty else { return nil }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue else { return nil }
        return SharedRealizationStore(url: URL(fileURLWithPath: p))
    }

    static func header(_ set: RealizationSet, seed: UInt64) -> Header? {
        guard let s = set.sharedStream else { return nil }
        return Header(seed: String(seed), stream: s, settingsHash: Runner.settingsHash(set.settings), count: set.count)
    }

    func file(_ h: Header) -> URL {
        let name = String(format: "%016llx", RandomStream.fnv1a64("\(h.seed)|\(h.stream)|\(h.settingsHash)|\(h.count)"))
        return url.appendingPathComponent("set-\(name).json")
    }

    /// The stored realizations of a shared set (all of them), or nil.
    public func load(_ set: RealizationSet, seed: UInt64) -> [Data]? {
        guard let h = Self.header(set, seed: seed), let d = try? Data(contentsOf: file(h)),
              let c = try? JSONDecoder().decode(Content.self, from: d), c.header == h, c.values.count == set.count else { return nil }
        return c.values.map { Data($0.utf8) }
    }

    /// Store all realizations of a shared set (no-op for other sets or an existing entry).
    public func save(_ set: RealizationSet, seed: UInt64, values: [Data]) {
        guard let h = Self.header(set, seed: seed), values.count == set.count else { return }
        let f = file(h)
        if FileManager.default.fileExists(atPath: f.path) { return }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let d = try? e.encode(Content(header: h, values: values.map { String(decoding: $0, as: UTF8.self) })) {
            try? writeAtomically(d, to: f)
        }
    }
}
