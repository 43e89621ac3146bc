import Foundation

/// One unit of sharded work: a whole claim, or the realizations `lower..<upper` of a planned
/// claim (task indices run over the concatenation of the claim's realization sets).
public struct WorkItem: Codable, Sendable, Equatable, Hashable {
    public var claim: String
    public var lower: Int?
    public var upper: Int?
    /// Expected wall seconds (from the baseline's recorded times; see `ClaimCost`).
    public var seconds: Double

    public init(claim: String, lower: Int? = nil, upper: Int? = nil, seconds: Double) {
        self.claim = claim; self.lower = lower; self.upper = upper; self.seconds = seconds
    }

    public var isWholeClaim: Bool { lower == nil }
    public var range: Range<Int>? { lower.flatMap { l in upper.map { l..<$0 } } }
    /// `ID` or `ID@a..<b`.
    public var label: String { range.map { "\(claim)@\($0.lowerBound)..<\($0.upperBound)" } ?? claim }
}

/// What a claim is expected to cost: its wall time and, for a planned claim, the expected
/// seconds of each realization set and the sets' sizes.
public struct ClaimCost: Sendable, Equatable {
    public var claim: String
    public var seconds: Double
    /// Realizations per set (empty for single-run claims, which cannot be split).
    public var setCounts: [Int]
    /// Expected seconds per set (same length as setCounts).
    public var setSeconds: [Double]
    /// Where the estimate comes from ("baseline quick", "scaled from standard", "default").
    public var source: String

    public init(claim: String, seconds: Double, setCounts: [Int] = [], setSeconds: [Double] = [], source: String) {
        self.claim = claim; self.seconds = seconds; self.setCounts = setCounts; self.setSeconds = setSeconds; self.source = source
    }

    var tasks: Int { setCounts.reduce(0, +) }

    /// Expected seconds of task t (uniform within a set).
    func taskSeconds(_ t: Int) -> Double {
        var base = 0
        for (c, s) in zip(setCounts, setSeconds) {
            if t < base + c { return c > 0 ? s / Double(c) : 0 }
            base += c
        }
        return 0
    }
}

/// The shards of a run: which work items each shard runs, balanced by expected time
/// (longest first onto the least-loaded shard). Deterministic: every array task that builds
/// the plan from the same selection and costs gets the same plan, and merge checks that all
/// shards carry the same one.
public struct WorkPlan: Codable, Sendable, Equatable {
    public var shards: [[WorkItem]]

    public init(shards: [[WorkItem]]) { self.shards = shards }

    public var expectedSeconds: [Double] { shards.map { $0.reduce(0) { $0 + $1.seconds } } }

    /// Balanced plan for `count` shards. `splitRealizations`: a planned claim whose expected
    /// time exceeds a shard's fair share (total / count) is cut into contiguous realization
    /// ranges of about half a share each (equal expected time); otherwise whole claims only.
    public static func balanced(_ costs: [ClaimCost], count: Int, splitRealizations: Bool) -> WorkPlan {
        precondition(count >= 1)
        let total = costs.reduce(0) { $0 + $1.seconds }
        let share = total / Double(count)
        var items = [WorkItem]()
        for c in costs {
            guard splitRealizations, c.tasks > 1, c.seconds > share, share > 0 else {
                items.append(WorkItem(claim: c.claim, seconds: c.seconds)); continue
            }
            // Pieces of about half a share, so that longest-first packing can even out the shards.
            let pieces = min(c.tasks, Int((2 * c.seconds / share).rounded(.up)))
            let perTask = (0..<c.tasks).map(c.taskSeconds)
            let sum = perTask.reduce(0, +)
            // Cut where the cumulative expected time crosses multiples of sum/pieces.
            var cuts = [0], acc = 0.0
            for (t, s) in perTask.enumerated() where cuts.count < pieces {
                acc += s
                if acc >= sum * Double(cuts.count) / Double(pieces) && t + 1 < c.tasks { cuts.append(t + 1) }
            }
            cuts.append(c.tasks)
            for (a, b) in zip(cuts, cuts.dropFirst()) where b > a {
                let seconds = sum > 0 ? perTask[a..<b].reduce(0, +) * c.seconds / sum : c.seconds * Double(b - a) / Double(c.tasks)
                items.append(WorkItem(claim: c.claim, lower: a, upper: b, seconds: seconds))
            }
        }
        // Longest processing time first; ties by position (the selection's order).
        let order = items.indices.sorted { (items[$0].seconds, -$0) > (items[$1].seconds, -$1) }
        var shards = [[WorkItem]](repeating: [], count: count)
        var load = [Double](repeating: 0, count: count)
        for i in order {
            let s = load.indices.min { (load[$0], $0) < (load[$1], $1) }!
            shards[s].append(items[i]); load[s] += items[i].seconds
        }
        // Within a shard, keep the selection's order (claims) and realization order (ranges).
        let position = Dictionary(uniqueKeysWithValues: items.enumerated().map { ($1, $0) })
        return WorkPlan(shards: shards.map { $0.sorted { position[$0]! < position[$1]! } })
    }

    /// The expected cost of each claim at a tier: the baseline's recorded time under the
    /// claim's default settings at that tier; else its standard-tier time scaled by the ratio
    /// of realization counts; else 60 s (unknown).
    public static func costs(of claims: [Claim], tier: Tier, seed: UInt64, baseline: Baseline?) -> [ClaimCost] {
        claims.map { c in
            let plan = (try? Runner.plan(c, options: RunOptions(tier: tier, seed: seed, jobs: 1))) ?? []
            let counts = plan.map(\.count)
            func entry(_ t: Tier) -> Baseline.Entry? {
                let hash = Runner.settingsHash(c.tiers[t] ?? [:])
                return baseline?.entries.first { $0.claim == c.id && $0.tier == t.rawValue && $0.settingsHash == hash && $0.seconds != nil }
            }
            func perSet(_ e: Baseline.Entry, scale: Double) -> [Double] {
                if let s = e.setSeconds, s.count == counts.count { return s.map { $0 * scale } }
                let total = Double(max(counts.reduce(0, +), 1))
                return counts.map { e.seconds! * scale * Double($0) / total }
            }
            if let e = entry(tier) {
                return ClaimCost(claim: c.id, seconds: e.seconds!, setCounts: counts, setSeconds: perSet(e, scale: 1),
                                 source: "baseline \(tier.rawValue)")
            }
            if tier != .standard, let e = entry(.standard), !counts.isEmpty,
               let std = try? Runner.plan(c, options: RunOptions(tier: .standard, seed: seed, jobs: 1)), std.count == counts.count {
                // Scale each set by its realization-count ratio (same sets, more draws).
                let base = perSet(e, scale: 1)
                let scaled = zip(base, zip(counts, std.map(\.count))).map { s, n in n.1 > 0 ? s * Double(n.0) / Double(n.1) : s }
                return ClaimCost(claim: c.id, seconds: scaled.reduce(0, +), setCounts: counts, setSeconds: scaled,
                                 source: "scaled from standard")
            }
            return ClaimCost(claim: c.id, seconds: 60, setCounts: counts,
                             setSeconds: counts.map { 60 * Double($0) / Double(max(counts.reduce(0, +), 1)) }, source: "default 60 s")
        }
    }
}
