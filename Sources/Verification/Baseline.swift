import Foundation

/// reference-data/baseline.json: per claim and tier, the accepted verdict and measured
/// value with a regression tolerance. A changed verdict, or a measured value that drifts
/// by more than relativeTolerance·|baseline| + absoluteTolerance, is a regression.
public struct Baseline: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var verdict: Verdict
        public var measured: Double?
        public var predicted: Double?
        public var relativeTolerance: Double
        public var absoluteTolerance: Double
        public init(verdict: Verdict, measured: Double?, predicted: Double?, relativeTolerance: Double,
                    absoluteTolerance: Double) {
            self.verdict = verdict; self.measured = measured; self.predicted = predicted
            self.relativeTolerance = relativeTolerance; self.absoluteTolerance = absoluteTolerance
        }
    }

    public var schema: Int
    /// claim id → tier → entry.
    public var claims: [String: [String: Entry]]

    public init(claims: [String: [String: Entry]] = [:]) { schema = 1; self.claims = claims }

    /// Default regression tolerance. Streams are deterministic, so drift comes only from
    /// floating-point differences between BLAS kernels/machines; 1e-6 relative is far
    /// above that (≲1e-12 for the reductions used) and far below any physics effect.
    public static let defaultRelativeTolerance = 1e-6
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
        let b: Baseline
        do { b = try JSONDecoder().decode(Baseline.self, from: data) } catch {
            throw LoadError.malformed(url.path, Self.explain(error))
        }
        guard b.schema == 1 else { throw LoadError.malformed(url.path, "schema \(b.schema), expected 1") }
        for (id, tiers) in b.claims {
            for (t, e) in tiers {
                guard Tier(rawValue: t) != nil else { throw LoadError.malformed(url.path, "claim \(id): unknown tier '\(t)'") }
                guard e.relativeTolerance >= 0, e.absoluteTolerance >= 0 else {
                    throw LoadError.malformed(url.path, "claim \(id) tier \(t): negative tolerance")
                }
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

    public func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(self)
    }

    /// Record (or replace) the results of a run at their tier.
    public mutating func update(with results: [ClaimResult]) {
        for r in results {
            claims[r.id, default: [:]][r.tier] = Entry(
                verdict: r.verdict, measured: r.measured, predicted: r.predicted,
                relativeTolerance: r.regressionTolerance ?? Self.defaultRelativeTolerance,
                absoluteTolerance: Self.defaultAbsoluteTolerance)
        }
    }

    /// A regression of one claim against its baseline entry.
    public struct Regression: Sendable, Equatable, CustomStringConvertible {
        public var id: String
        public var tier: String
        public var detail: String
        public var description: String { "\(id) [\(tier)]: \(detail)" }
    }

    /// Regressions of `results` against this baseline; claims absent from it are new, not regressions.
    public func regressions(_ results: [ClaimResult]) -> [Regression] {
        results.compactMap { r in
            guard let e = claims[r.id]?[r.tier] else { return nil }
            return Self.regression(id: r.id, tier: r.tier, old: (e.verdict, e.measured), new: (r.verdict, r.measured),
                                   relative: e.relativeTolerance, absolute: e.absoluteTolerance)
        }
    }

    /// The drift rule shared by the baseline check and `paperverify compare`.
    public static func regression(id: String, tier: String, old: (Verdict, Double?), new: (Verdict, Double?),
                                  relative: Double, absolute: Double) -> Regression? {
        if old.0 != new.0 {
            return Regression(id: id, tier: tier, detail: "verdict changed \(old.0.rawValue) → \(new.0.rawValue)")
        }
        switch (old.1, new.1) {
        case (nil, nil): return nil
        case let (a?, b?):
            let allowed = relative * abs(a) + absolute
            if abs(b - a) > allowed {
                return Regression(id: id, tier: tier,
                                  detail: "measured drifted \(formatNumber(a, digits: 10)) → \(formatNumber(b, digits: 10)) (|Δ| = \(formatNumber(abs(b - a))) > allowed \(formatNumber(allowed)))")
            }
            return nil
        default:
            return Regression(id: id, tier: tier, detail: "measured value appeared or disappeared")
        }
    }
}
