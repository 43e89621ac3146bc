import Foundation

/// Which shard of which selection a results JSON is (`report --shard k/n`): the optional
/// "shard" object of the results JSON. `merge` assembles a report only from a complete,
/// consistent set of shards of one selection.
public struct ShardInfo: Codable, Sendable, Equatable {
    /// k of k/n (1 ≤ k ≤ n).
    public var index: Int
    /// n of k/n.
    public var count: Int
    /// The run that was split.
    public var selection: Selection
    /// The claims of this shard, in catalog order (those of the selection at positions ≡ k−1 mod n).
    public var claims: [String]

    /// Everything that decides a shard's numbers besides the claim code.
    public struct Selection: Codable, Sendable, Equatable {
        public var tier: String
        public var seed: UInt64
        /// Every selected claim (all shards together), in catalog order.
        public var claims: [String]
        /// `--param` overrides (key → value).
        public var parameters: [String: JSONValue]
        public var commit: String
        public init(tier: String, seed: UInt64, claims: [String], parameters: [String: JSONValue], commit: String) {
            self.tier = tier; self.seed = seed; self.claims = claims; self.parameters = parameters; self.commit = commit
        }
    }

    public init(index: Int, count: Int, selection: Selection) {
        self.index = index; self.count = count; self.selection = selection
        self.claims = Self.assign(selection.claims, index: index, count: count)
    }

    /// Round-robin in catalog order: a claim's shard depends only on the selection.
    public static func assign<T>(_ items: [T], index: Int, count: Int) -> [T] {
        items.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }

    /// Check that `parts` (path, result) are exactly the n shards of one selection, each
    /// once, each holding its claims; returns the merged claims in catalog order. The error
    /// names the problem and the file.
    public static func merge(_ parts: [(path: String, result: RunResult)]) throws -> (selection: Selection, claims: [ClaimResult]) {
        guard !parts.isEmpty else { throw MergeError("no shard files given") }
        var infos = [(String, ShardInfo)]()
        for (path, r) in parts {
            guard let s = r.shard else {
                throw MergeError("\(path) is not a shard: it was written without --shard (or by an older paperverify)")
            }
            guard s.count >= 1, s.index >= 1, s.index <= s.count else { throw MergeError("\(path): shard \(s.index)/\(s.count) is not a valid k/n") }
            infos.append((path, s))
        }
        let (p0, s0) = infos[0]
        for (path, s) in infos.dropFirst() {
            if s.count != s0.count { throw MergeError("\(path) is shard \(s.index)/\(s.count), \(p0) is shard \(s0.index)/\(s0.count): different splits") }
            let a = s0.selection, b = s.selection
            let differences = [
                a.tier != b.tier ? "tier \(b.tier) vs \(a.tier)" : nil,
                a.seed != b.seed ? "seed \(b.seed) vs \(a.seed)" : nil,
                a.commit != b.commit ? "commit \(b.commit) vs \(a.commit)" : nil,
                a.claims != b.claims ? "selected claims differ" : nil,
                a.parameters != b.parameters ? "--param overrides differ" : nil,
            ].compactMap { $0 }
            if !differences.isEmpty {
                throw MergeError("\(path) is a shard of another run than \(p0): \(differences.joined(separator: ", "))")
            }
        }
        var byIndex = [Int: String]()
        for (path, s) in infos {
            if let other = byIndex[s.index] { throw MergeError("shard \(s.index)/\(s.count) given twice: \(other) and \(path)") }
            byIndex[s.index] = path
        }
        let missing = (1...s0.count).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            throw MergeError("incomplete set: shard\(missing.count == 1 ? "" : "s") \(missing.map(String.init).joined(separator: ", ")) of \(s0.count) missing")
        }
        var claims = [ClaimResult]()
        for ((path, s), (_, r)) in zip(infos, parts) {
            let expected = assign(s.selection.claims, index: s.index, count: s.count)
            guard s.claims == expected, r.claims.map(\.id) == expected else {
                throw MergeError("\(path): its claims are not those of shard \(s.index)/\(s.count) of its selection")
            }
            guard r.provenance.tier == s.selection.tier, r.provenance.seed == s.selection.seed else {
                throw MergeError("\(path): provenance (tier \(r.provenance.tier), seed \(r.provenance.seed)) disagrees with its shard record")
            }
            claims += r.claims
        }
        let order = Dictionary(uniqueKeysWithValues: s0.selection.claims.enumerated().map { ($1, $0) })
        claims.sort { order[$0.id]! < order[$1.id]! }
        return (s0.selection, claims)
    }

    public struct MergeError: Error, CustomStringConvertible, Sendable {
        public let description: String
        init(_ d: String) { description = d }
    }
}
