import Foundation

/// Which shard of which run a results JSON is (`report --shard k/n`): the optional "shard"
/// object of the results JSON. Shards follow a `WorkPlan` balanced by expected time; `merge`
/// assembles a report only from a complete, consistent set of shards of one run, and runs the
/// analysis of claims whose realizations were split across shards.
public struct ShardInfo: Codable, Sendable, Equatable {
    /// k of k/n (1 ≤ k ≤ n).
    public var index: Int
    /// n of k/n.
    public var count: Int
    /// The run that was split.
    public var selection: Selection
    /// The whole plan (every shard's items): identical in every shard of one run.
    public var plan: WorkPlan

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

    public init(index: Int, count: Int, selection: Selection, plan: WorkPlan) {
        precondition(plan.shards.count == count && index >= 1 && index <= count, "shard \(index)/\(count) of a plan of \(plan.shards.count)")
        self.index = index; self.count = count; self.selection = selection; self.plan = plan
    }

    /// This shard's work items.
    public var items: [WorkItem] { plan.shards[index - 1] }

    /// What `merge` hands back: the whole claims in selection order, and the realization
    /// ranges of claims that were split (to be analysed with the claim's code).
    public struct Merged: Sendable {
        public var selection: Selection
        public var claims: [ClaimResult]
        /// claim id → its realization ranges (together covering the claim's plan).
        public var split: [String: [RealizationRecords]]
    }

    /// Check that `parts` (path, result) are exactly the n shards of one run, each once, each
    /// holding exactly its plan's items. The error names the problem and the file.
    public static func merge(_ parts: [(path: String, result: RunResult)]) throws -> Merged {
        guard !parts.isEmpty else { throw MergeError("no shard files given") }
        var infos = [(String, ShardInfo)]()
        for (path, r) in parts {
            guard let s = r.shard else {
                throw MergeError("\(path) is not a shard: it was written without --shard (or by an older paperverify)")
            }
            guard s.count >= 1, s.index >= 1, s.index <= s.count, s.plan.shards.count == s.count else {
                throw MergeError("\(path): shard \(s.index)/\(s.count) is not a valid k/n of its plan")
            }
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
                s.plan != s0.plan ? "different work plans (the baseline's recorded times changed between shards?)" : nil,
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
        // The plan itself must cover the selection: each claim whole once, or split into ranges.
        let planned = s0.plan.shards.flatMap { $0 }
        guard Set(planned.map(\.claim)) == Set(s0.selection.claims),
              Set(planned.filter(\.isWholeClaim).map(\.claim)).isDisjoint(with: Set(planned.filter { !$0.isWholeClaim }.map(\.claim))),
              planned.filter(\.isWholeClaim).count == Set(planned.filter(\.isWholeClaim).map(\.claim)).count else {
            throw MergeError("\(p0): its work plan does not cover the selected claims exactly once")
        }
        var claims = [ClaimResult]()
        var split = [String: [RealizationRecords]]()
        for ((path, s), (_, r)) in zip(infos, parts) {
            let whole = s.items.filter(\.isWholeClaim).map(\.claim)
            let ranges = s.items.filter { !$0.isWholeClaim }
            let records = r.realizations ?? []
            guard r.claims.map(\.id) == whole,
                  records.map({ WorkItem(claim: $0.claim, lower: $0.lower, upper: $0.upper, seconds: 0) })
                    == ranges.map({ WorkItem(claim: $0.claim, lower: $0.lower, upper: $0.upper, seconds: 0) }) else {
                throw MergeError("\(path): its results are not the work items of shard \(s.index)/\(s.count) of its plan")
            }
            guard r.provenance.tier == s.selection.tier, r.provenance.seed == s.selection.seed else {
                throw MergeError("\(path): provenance (tier \(r.provenance.tier), seed \(r.provenance.seed)) disagrees with its shard record")
            }
            claims += r.claims
            for x in records { split[x.claim, default: []].append(x) }
        }
        let order = Dictionary(uniqueKeysWithValues: s0.selection.claims.enumerated().map { ($1, $0) })
        claims.sort { order[$0.id]! < order[$1.id]! }
        return Merged(selection: s0.selection, claims: claims, split: split)
    }

    public struct MergeError: Error, CustomStringConvertible, Sendable {
        public let description: String
        init(_ d: String) { description = d }
    }
}
