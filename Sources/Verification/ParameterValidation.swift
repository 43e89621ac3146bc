import Foundation

/// One validation phase for every selected claim, before the first simulation starts.
public enum ParameterValidation {
    /// A claim's parameters refused, with the claim id.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public let claimID: String
        public let reason: String
        /// true when the claim refused the size (memory budget), not the kind or range.
        public let isMemoryBudget: Bool
        public var description: String { reason.contains(claimID) ? reason : "\(claimID): \(reason)" }
    }

    /// Apply `overrides` to every claim at `tier` and validate each: (1) every override of
    /// a parameter whose default is an integer (or a list of integers) is a whole number
    /// inside Int's range, (2) the override has its default's kind, (3) the claim's own
    /// `validate` (types, ranges, memory budget) accepts the parameters. Returns the claims
    /// with their overrides; throws the first refusal.
    ///
    /// Claims that check their parameters only inside `run` are not covered by (3); the
    /// child process refuses those when the claim starts (still exit 2, nothing written).
    public static func prepare(_ claims: [Claim], overrides: [String: JSONValue], tier: Tier) throws -> [Claim] {
        var out = [Claim]()
        for c in claims {
            let defaults = c.tiers[tier] ?? [:]
            for key in overrides.keys.sorted() {
                guard let d = defaults[key], let v = overrides[key] else { continue }
                if let problem = integerRangeProblem(v, default: d) {
                    throw Refusal(claimID: c.id, reason: "invalid parameter: '\(key)' = \(v) \(problem)", isMemoryBudget: false)
                }
            }
            let o: Claim
            do { o = try c.overriding(overrides, tier: tier) } catch {
                throw Refusal(claimID: c.id, reason: "\(error)", isMemoryBudget: false)
            }
            do { try Runner.validate(o, tier: tier) } catch {
                let text = "\(error)"
                throw Refusal(claimID: c.id, reason: text, isMemoryBudget: text.contains("more than half of this machine's"))
            }
            out.append(o)
        }
        return out
    }

    /// Why `v` cannot stand for an integer-valued default `d` (nil when it can, or when `d`
    /// is not an integer).
    static func integerRangeProblem(_ v: JSONValue, default d: JSONValue) -> String? {
        switch (d, v) {
        case (.int, .number(let x)):
            return x.rounded() == x && Int(exactly: x) == nil ? "is outside the range of a 64-bit integer" : nil
        case let (.array(ds), .array(vs)):
            guard let first = ds.first, case .int = first else { return nil }
            for x in vs { if let p = integerRangeProblem(x, default: first) { return "holds \(x), which \(p)" } }
            return nil
        default:
            return nil
        }
    }
}
