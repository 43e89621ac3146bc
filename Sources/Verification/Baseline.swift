import Foundation

/// reference-data/baseline.json (schema 2): accepted verdicts and measured values, one entry
/// per (claim, tier, seed, settings hash), with one sub-entry per check. A run is compared
/// only with the entry made under the same settings: a changed claim or check verdict, a
/// check that appeared or disappeared, or a measured value that drifts by more than
/// relativeTolerance·|baseline| + absoluteTolerance is a regression.
public struct Baseline: Codable, Sendable, Equatable {
    public struct CheckEntry: Codable, Sendable, Equatable {
        public var verdict: Verdict
        public var measured: Double?
        public var predicted: Double?
        public var relativeTolerance: Double
        public init(verdict: Verdict, measured: Double?, predicted: Double?, relativeTolerance: Double) {
            self.verdict = verdict; self.measured = measured; self.predicted = predicted
            self.relativeTolerance = relativeTolerance
        }
    }

    public struct Entry: Codable, Sendable, Equatable {
        public var claim: String
        public var tier: String
        /// Master seed as a decimal string.
        public var seed: String
        /// `Runner.settingsHash` of the tier's settings the entry was made with.
        public var settingsHash: String
        public var verdict: Verdict
        public var checks: [String: CheckEntry]
        public var absoluteTolerance: Double
        /// Wall time of the claim when the entry was made (for ETAs and work plans, never a regression).
        public var seconds: Double?
        /// Planned claims: seconds per realization set (work plans split claims by it).
        public var setSeconds: [Double]?

        var key: Key { Key(claim: claim, tier: tier, seed: seed, settingsHash: settingsHash) }
    }

    struct Key: Hashable { var claim, tier, seed, settingsHash: String }

    public var schema: Int
    public var entries: [Entry]

    public init(entries: [Entry] = []) { schema = 2; self.entries = entries }

    /// Default regression tolerance (relative). Streams are deterministic, so on one machine
    /// a rerun is bitwise identical; between machines only the BLAS kernels' summation order
    /// moves a value, by ≲ 1e-13 relative for the reductions and fits used (measured: zero
    /// drift between this machine and CI). 1e-9 is four orders above that and far below any
    /// physics effect; a check may loosen it (`StatementCheck.regressionTolerance`) where its
    /// quantity is ill-conditioned (say why in the claim).
    public static let defaultRelativeTolerance = 1e-9
    /// Absolute floor for values that are zero or nearly so.
    public static let defaultAbsoluteTolerance = 1e-12

    public enum LoadError: Error, CustomStringConvertible {
        case missing(String)
        case malformed(String, String)
        public var description: String {
            switch self {
            case let .missing(p): return "baseline \(p) does not exist (create it with --update-baseline, or pass --baseline PATH)"
            case let .malformed(p, why): return "baseline \(p) is malformed: \(why) (fix it, or regenerate with --update-baseline)"
            }
        }
    }

    public static func load(_ url: URL) throws -> Baseline {
        guard FileManager.default.fileExists(atPath: url.path) else { throw LoadError.missing(url.path) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw LoadError.malformed(url.path, "unreadable: \(error.localizedDescription)") }
        struct Head: Decodable { var schema: Int? }
        let head: Head
        do { head = try JSONDecoder().decode(Head.self, from: data) } catch { throw LoadError.malformed(url.path, Self.explain(error)) }
        guard head.schema == 2 else {
            throw LoadError.malformed(url.path, "schema \(head.schema.map(String.init) ?? "missing"), expected 2")
        }
        let b: Baseline
        do { b = try JSONDecoder().decode(Baseline.self, from: data) } catch {
            throw LoadError.malformed(url.path, Self.explain(error))
        }
        var seen = Set<Key>()
        for e in b.entries {
            guard Tier(rawValue: e.tier) != nil else { throw LoadError.malformed(url.path, "claim \(e.claim): unknown tier '\(e.tier)'") }
            guard UInt64(e.seed) != nil else { throw LoadError.malformed(url.path, "claim \(e.claim): seed '\(e.seed)' is not an unsigned integer") }
            guard seen.insert(e.key).inserted else { throw LoadError.malformed(url.path, "claim \(e.claim) tier \(e.tier): duplicate entry for one seed and settings") }
            guard e.absoluteTolerance >= 0, e.absoluteTolerance.isFinite,
                  e.checks.values.allSatisfy({ $0.relativeTolerance >= 0 && $0.relativeTolerance.isFinite }) else {
                throw LoadError.malformed(url.path, "claim \(e.claim) tier \(e.tier): negative or non-finite tolerance")
            }
        }
        return b
    }

    static func explain(_ error: Error) -> String {
        switch error {
        case let DecodingError.dataCorrupted(c): return "invalid JSON (\(c.debugDescription))"
        case let DecodingError.keyNotFound(k, c): return "missing key '\(k.stringValue)' at \(path(c))"
        case let DecodingError.typeMismatch(_, c): return "wrong type at \(path(c)): \(c.debugDescription)"
        case let DecodingError.valueNotFound(_, c): return "missing value at \(path(c))"
        default: return "\(error)"
        }
    }

    static func path(_ c: DecodingError.Context) -> String {
        c.codingPath.isEmpty ? "top level" : c.codingPath.map(\.stringValue).joined(separator: ".")
    }

    /// Pretty, key-sorted, entries in (claim, tier, seed, hash) order: diffs stay readable.
    public func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var sorted = self
        sorted.entries.sort { ($0.claim, $0.tier, $0.seed, $0.settingsHash) < ($1.claim, $1.tier, $1.seed, $1.settingsHash) }
        return try e.encode(sorted)
    }

    /// The entry made under exactly this result's settings, if any.
    public func entry(for r: ClaimResult) -> Entry? {
        entries.first { $0.claim == r.id && $0.tier == r.tier && $0.seed == r.seed && $0.settingsHash == r.settingsHash }
    }

    /// Record (or replace) the results of a run. `replacingOtherSettings`: also drop the
    /// entries of the same claim, tier and seed made under other settings (a claim whose
    /// default parameters changed).
    public mutating func update(with results: [ClaimResult], replacingOtherSettings: Bool = true) {
        for r in results {
            entries.removeAll { $0.claim == r.id && $0.tier == r.tier && $0.seed == r.seed
                && ($0.settingsHash == r.settingsHash || replacingOtherSettings) }
            var checks = [String: CheckEntry]()
            for c in r.checks {
                checks[c.id] = CheckEntry(verdict: c.verdict, measured: c.measured, predicted: c.predicted,
                                          relativeTolerance: c.regressionTolerance ?? Self.defaultRelativeTolerance)
            }
            entries.append(Entry(claim: r.id, tier: r.tier, seed: r.seed, settingsHash: r.settingsHash, verdict: r.verdict,
                                 checks: checks, absoluteTolerance: Self.defaultAbsoluteTolerance, seconds: r.seconds,
                                 setSeconds: r.setSeconds))
        }
    }

    /// A regression of one claim against its baseline entry.
    public struct Regression: Sendable, Equatable, CustomStringConvertible {
        public var id: String
        public var tier: String
        public var detail: String
        public var description: String { "\(id) [\(tier)]: \(detail)" }
    }

    /// Regressions of `results` against the entries made under the same settings; results
    /// without such an entry are listed in `unmatched`, never as regressions.
    public func regressions(_ results: [ClaimResult]) -> [Regression] {
        results.flatMap { r -> [Regression] in
            guard let e = entry(for: r) else { return [] }
            return Self.regressions(id: r.id, tier: r.tier, old: e, new: r)
        }
    }

    /// Results that have no entry under their settings, with what the baseline has instead.
    public func unmatched(_ results: [ClaimResult]) -> [(id: String, detail: String)] {
        results.compactMap { r in
            guard entry(for: r) == nil else { return nil }
            let others = entries.filter { $0.claim == r.id && $0.tier == r.tier }
            if others.isEmpty { return (r.id, "no baseline entry for tier \(r.tier)") }
            return (r.id, "no baseline for these settings (seed \(r.seed), settings \(r.settingsHash)); the baseline has "
                    + others.map { "seed \($0.seed), settings \($0.settingsHash)" }.joined(separator: "; "))
        }
    }

    /// The drift rule shared by the baseline check and `paperverify compare`.
    public static func regressions(id: String, tier: String, old: Entry, new r: ClaimResult,
                                   relativeOverride: Double? = nil) -> [Regression] {
        var out = [Regression]()
        if old.verdict != r.verdict {
            out.append(Regression(id: id, tier: tier, detail: "verdict changed \(old.verdict.rawValue) → \(r.verdict.rawValue)"))
        }
        let newIDs = Set(r.checks.map(\.id)), oldIDs = Set(old.checks.keys)
        if newIDs != oldIDs {
            let added = newIDs.subtracting(oldIDs).sorted(), removed = oldIDs.subtracting(newIDs).sorted()
            out.append(Regression(id: id, tier: tier, detail: "checks changed"
                + (added.isEmpty ? "" : ": new " + added.joined(separator: ", "))
                + (removed.isEmpty ? "" : "; gone " + removed.joined(separator: ", "))))
        }
        for c in r.checks {
            guard let o = old.checks[c.id] else { continue }
            if let reg = regression(id: id, tier: tier, check: c.id, old: (o.verdict, o.measured), new: (c.verdict, c.measured),
                                    relative: relativeOverride ?? o.relativeTolerance, absolute: old.absoluteTolerance) {
                out.append(reg)
            }
        }
        return out
    }

    /// Verdict change or drift of one check.
    public static func regression(id: String, tier: String, check: String, old: (Verdict, Double?), new: (Verdict, Double?),
                                  relative: Double, absolute: Double) -> Regression? {
        let which = check == "main" ? "" : "check '\(check)': "
        if old.0 != new.0 {
            return Regression(id: id, tier: tier, detail: which + "verdict changed \(old.0.rawValue) → \(new.0.rawValue)")
        }
        switch (old.1, new.1) {
        case (nil, nil): return nil
        case let (a?, b?):
            let allowed = relative * abs(a) + absolute
            if abs(b - a) > allowed {
                return Regression(id: id, tier: tier,
                                  detail: which + "measured drifted \(formatNumber(a, digits: 10)) → \(formatNumber(b, digits: 10)) (|Δ| = \(formatNumber(abs(b - a))) > allowed \(formatNumber(allowed)))")
            }
            return nil
        default:
            return Regression(id: id, tier: tier, detail: which + "measured value appeared or disappeared")
        }
    }
}
