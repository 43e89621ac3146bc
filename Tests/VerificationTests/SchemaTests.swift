import Foundation
import Testing
@testable import Verification

/// A validator for the subset of JSON Schema (2020-12) that docs/results-schema.json uses:
/// type (one or several), const, enum, required, properties, additionalProperties (bool),
/// items, $ref to #/$defs, oneOf, pattern, minimum. Works on `JSONValue` (JSONDecoder keeps
/// booleans, integers and reals apart on every platform).
struct MiniSchemaValidator {
    let root: JSONValue

    subscript(_ v: JSONValue, _ key: String) -> JSONValue? {
        if case let .object(o) = v { return o[key] }
        return nil
    }

    func validate(_ value: JSONValue, _ schema: JSONValue, path: String = "$") -> [String] {
        if case let .string(ref)? = self[schema, "$ref"] {
            let name = String(ref.dropFirst("#/$defs/".count))
            guard let defs = self[root, "$defs"], let def = self[defs, name] else { return ["\(path): unknown $ref \(ref)"] }
            return validate(value, def, path: path)
        }
        var errors = [String]()
        if case let .array(options)? = self[schema, "oneOf"] {
            let matching = options.filter { validate(value, $0, path: path).isEmpty }.count
            if matching != 1 { errors.append("\(path): matches \(matching) of the oneOf alternatives") }
        }
        if let t = self[schema, "type"] {
            let types = Self.typeNames(t)
            if !types.contains(where: { Self.isType(value, $0) }) { return errors + ["\(path): expected \(types.joined(separator: "|")), got \(Self.brief(value))"] }
        }
        if let c = self[schema, "const"], !Self.equal(c, value) { errors.append("\(path): expected \(c)") }
        if case let .array(e)? = self[schema, "enum"], !e.contains(where: { Self.equal($0, value) }) { errors.append("\(path): \(Self.brief(value)) not in \(e)") }
        if case let .string(p)? = self[schema, "pattern"], case let .string(s) = value,
           s.range(of: p, options: .regularExpression) == nil { errors.append("\(path): '\(s)' does not match \(p)") }
        if let m = self[schema, "minimum"]?.double, let x = value.double, x < m { errors.append("\(path): \(x) < minimum \(m)") }
        if case let .object(o) = value {
            if case let .array(req)? = self[schema, "required"] {
                for case let .string(r) in req where o[r] == nil { errors.append("\(path): missing '\(r)'") }
            }
            let props = self[schema, "properties"]
            for (k, v) in o {
                if let p = props, let sub = self[p, k] { errors += validate(v, sub, path: "\(path).\(k)") }
                else if case .bool(false)? = self[schema, "additionalProperties"] { errors.append("\(path): unexpected key '\(k)'") }
            }
        }
        if case let .array(a) = value, let items = self[schema, "items"] {
            // Fast path for the long numeric arrays of `data`: an items schema that is only a
            // type is checked without recursion (same rule, no per-element path strings).
            if case let .object(o) = items, o.count == 1, let t = o["type"] {
                let types = Self.typeNames(t)
                for (i, v) in a.enumerated() where !types.contains(where: { Self.isType(v, $0) }) {
                    errors.append("\(path)[\(i)]: expected \(types.joined(separator: "|")), got \(Self.brief(v))")
                }
            } else {
                for (i, v) in a.enumerated() { errors += validate(v, items, path: "\(path)[\(i)]") }
            }
        }
        return errors
    }

    /// The type names of a schema's `type` (one string or an array of strings).
    static func typeNames(_ t: JSONValue) -> [String] {
        if case let .string(s) = t { return [s] }
        if case let .array(a) = t { return a.compactMap { if case let .string(s) = $0 { return s }; return nil } }
        return []
    }

    /// A value's kind, or the value itself when short (error messages never print a whole claim).
    static func brief(_ v: JSONValue) -> String {
        switch v {
        case .object(let o): return "an object with \(o.count) keys"
        case .array(let a): return "an array of \(a.count)"
        default: return String(String(describing: v).prefix(80))
        }
    }

    static func isType(_ v: JSONValue, _ t: String) -> Bool {
        switch (t, v) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("integer", .int),
             ("number", .int), ("number", .number): return true
        case let ("integer", .number(x)): return x == x.rounded()
        default: return false
        }
    }
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = a.double, let y = b.double { return x == y }
        return a == b
    }
}

@Suite("Results JSON schema (docs/results-schema.json)", .tags(.harness))
struct SchemaTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func validator() throws -> MiniSchemaValidator {
        MiniSchemaValidator(root: try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: repo.appendingPathComponent("docs/results-schema.json"))))
    }

    func errors(_ data: Data) throws -> [String] {
        let v = try Self.validator()
        return v.validate(try JSONDecoder().decode(JSONValue.self, from: data), v.root)
    }

    @Test("a fresh run (with checks, scale, estimates, a shard record and raw realizations) validates")
    func freshRun() throws {
        let evidence = Evidence(checks: [
            StatementCheck(statement: "x → 1", check: Check(predicted: 1, measured: 1.01, uncertainty: 0.01, systematic: 0.02),
                           tolerance: Tolerance(3, "t"), control: Control("x → 1.2", Check(predicted: 1.2, measured: 1.01, uncertainty: 0.01, systematic: 0.02)),
                           scale: ScaleEvidence(variable: "L", sizes: [8, 16, 32], values: [0.9, .nan, 1.0], errors: [0.01, 0.01, 0.01],
                                                extrapolations: [Estimate("1/L", 1.01, uncertainty: 0.01), Estimate("free exponent", 1.02)], paperLargest: 64)),
            StatementCheck("identity", statement: "sum rule", role: .consistency, comparison: .absolute, check: Check(predicted: 0, measured: 1e-15),
                           tolerance: Tolerance(1e-12, "rounding"), control: Control("off by 1e-10", Check(predicted: 1e-10, measured: 1e-15))),
        ], method: "m", parameters: ["headline": "L = 32"], findings: ["f"],
           series: [DataSeries(name: "s", x: [1, 2], y: [.nan, 3], parameters: ["L": 8], xLabel: "L", yLabel: "x")])
        let r = Runner.evaluate(Claim(id: "ergodic-inclusion.schema-stub", paper: .ergodicInclusion, reference: "r", statement: "s",
                                      comparison: .zScore, tiers: [.quick: ["n": 1], .standard: ["n": 1], .full: ["n": 1]], run: { _ in evidence }),
                                options: RunOptions(tier: .quick, seed: 3, jobs: 1))
        let records = try Runner.realizationShard(plannedStub, options: RunOptions(tier: .quick, seed: 3, jobs: 1), tasks: 0..<5)
        let sel = ShardInfo.Selection(tier: "quick", seed: 3, claims: [r.id, plannedStub.id], parameters: [:], commit: "c")
        var run = RunResult(provenance: Provenance(commit: "c", tier: "quick", swift: "s", blas: "b", gsl: "g", cores: 2, started: "t",
                                                   seconds: 1, seed: 3, jobs: 2, jobsSource: "--jobs"),
                            claims: [r], shard: ShardInfo(index: 1, count: 1, selection: sel, plan: WorkPlan(shards: [[
                                WorkItem(claim: r.id, seconds: 1), WorkItem(claim: plannedStub.id, lower: 0, upper: 5, seconds: 1)]])))
        run.realizations = [records]
        #expect(try errors(try run.encoded()) == [])
    }

    @Test("the validator has power: a missing field, a wrong type and an unknown key are each reported")
    func control() throws {
        let r = Runner.evaluate(plannedStub, options: RunOptions(tier: .quick, seed: 3, jobs: 1))
        let run = RunResult(provenance: Provenance(commit: "c", tier: "quick", swift: "s", blas: "b", gsl: "g", cores: 2, started: "t",
                                                   seconds: 1, seed: 3, jobs: 2), claims: [r])
        var o = try JSONSerialization.jsonObject(with: try run.encoded()) as! [String: Any]
        var claims = o["claims"] as! [[String: Any]]
        claims[0]["verdict"] = "maybe"
        claims[0].removeValue(forKey: "settingsHash")
        claims[0]["extraKey"] = 1
        var checks = claims[0]["checks"] as! [[String: Any]]
        checks[0]["measured"] = "1.0"
        claims[0]["checks"] = checks
        o["claims"] = claims
        let e = try errors(try JSONSerialization.data(withJSONObject: o))
        #expect(e.contains { $0.contains("verdict") } && e.contains { $0.contains("missing 'settingsHash'") }
                && e.contains { $0.contains("unexpected key 'extraKey'") } && e.contains { $0.contains("measured") }, "\(e)")
    }

    @Test("every results JSON committed in reference-data validates")
    func committed() throws {
        let dir = Self.repo.appendingPathComponent("reference-data")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }
        var checked = 0
        for f in files.sorted() {
            let d = try Data(contentsOf: dir.appendingPathComponent(f))
            guard let o = try? JSONSerialization.jsonObject(with: d) as? [String: Any], o["provenance"] != nil else { continue }
            #expect(try errors(d) == [], "\(f)")
            checked += 1
        }
        #expect(checked >= 1, "no results JSON found in reference-data")
    }
}
