import Foundation
import Kernels
import Testing
@testable import Verification

extension Tag {
    @Tag static var harness: Self
}

/// A claim whose evidence is given directly, to exercise the verdict rules.
func stubClaim(comparison: Comparison = .zScore, _ evidence: @escaping @Sendable (ClaimContext) throws -> Evidence) -> Claim {
    Claim(id: "ergodic-inclusion.stub", paper: .ergodicInclusion, reference: "test", statement: "stub",
          comparison: comparison, tiers: [.quick: ["n": 1], .standard: ["n": 2], .full: ["n": 3]], run: evidence)
}

func evidence(measured: Double, sigma: Double?, predicted: Double, control: Double, tol: Double = 3) -> Evidence {
    Evidence(check: Check(predicted: predicted, measured: measured, uncertainty: sigma),
             control: Control("wrong", Check(predicted: control, measured: measured, uncertainty: sigma)),
             tolerance: Tolerance(tol, "test"), method: "stub")
}

@Suite("Verdict rules, baseline, report", .tags(.harness))
struct HarnessTests {
    let quick = RunOptions(tier: .quick, seed: 1, jobs: 1)

    @Test("confirmed when within tolerance and the control is rejected")
    func confirmed() {
        let r = Runner.evaluate(stubClaim { _ in evidence(measured: 1.0, sigma: 0.1, predicted: 1.05, control: 2) }, options: quick)
        #expect(r.verdict == .confirmed)
        #expect(r.main?.control.rejected == true && r.main?.control.weak == false)
        #expect(abs(r.main!.statistic! - 0.5) < 1e-12)
        // z-score power = tolerance·σ = 0.3; control at distance 0.95 = 3.2× the power.
        #expect(abs(r.main!.resolvingPower! - 0.3) < 1e-12)
        #expect(abs(r.main!.control.distanceInPower! - 0.95 / 0.3) < 1e-12)
    }

    @Test("discrepant when the prediction fails beyond tolerance")
    func discrepant() {
        let r = Runner.evaluate(stubClaim { _ in evidence(measured: 1.0, sigma: 0.01, predicted: 1.5, control: 3) }, options: quick)
        #expect(r.verdict == .discrepant)
    }

    @Test("inconclusive when the control is not rejected either (no power at this tier)")
    func noPower() {
        let r = Runner.evaluate(stubClaim { _ in evidence(measured: 1.0, sigma: 1, predicted: 1.0, control: 1.5) }, options: quick)
        #expect(r.verdict == .inconclusive)
        #expect(r.main?.message?.contains("is not rejected either") == true)
    }

    @Test("inconclusive when the control is farther than 10× the resolving power (weak)")
    func weakControl() {
        // power = 3·0.01 = 0.03; control 1.0 away = 33×.
        let r = Runner.evaluate(stubClaim { _ in evidence(measured: 1.0, sigma: 0.01, predicted: 1.0, control: 2.0) }, options: quick)
        #expect(r.verdict == .inconclusive && r.main?.control.weak == true && r.main?.control.rejected == true)
        #expect(r.main?.message?.contains("weak control") == true)
    }

    @Test("exact checks: no weak-control rule, but the control must be rejected and no statistical error is allowed")
    func exactChecks() {
        @Sendable func ev(_ measured: Double, sigma: Double? = nil) -> Evidence {
            Evidence(checks: [StatementCheck(statement: "dim ker = 8", comparison: .absolute, check: Check(predicted: 8, measured: measured, uncertainty: sigma),
                                             tolerance: Tolerance(1e-9, "integer count"), control: Control("2N+1 = 7", Check(predicted: 7, measured: measured, uncertainty: sigma)),
                                             exact: true)], method: "")
        }
        let ok = Runner.evaluate(stubClaim { _ in ev(8) }, options: quick)
        #expect(ok.verdict == .confirmed && ok.main?.exact == true && ok.main?.control.weak == false)
        #expect(Runner.evaluate(stubClaim { _ in ev(7) }, options: quick).verdict == .discrepant)
        #expect(Runner.evaluate(stubClaim { _ in ev(8, sigma: 0.1) }, options: quick).verdict == .error)
    }

    @Test("discrepant, and the measurement that agrees with the control is said so")
    func agreesWithControl() {
        let r = Runner.evaluate(stubClaim { _ in evidence(measured: 2.0, sigma: 0.1, predicted: 1.0, control: 2.0) }, options: quick)
        #expect(r.verdict == .discrepant)
        #expect(r.main?.message?.contains("agrees with the control") == true)
    }

    @Test("discrepant only when every defensible estimate excludes the prediction")
    func estimates() {
        @Sendable func ev(_ alt: Double) -> Evidence {
            Evidence(checks: [StatementCheck(statement: "x = 1", check: Check(predicted: 1, measured: 1.5, uncertainty: 0.05),
                                             tolerance: Tolerance(3, "t"), control: Control("x = 1.5", Check(predicted: 1.5, measured: 1.5, uncertainty: 0.05)),
                                             estimates: [Estimate("1/L", 1.5, uncertainty: 0.05), Estimate("free exponent", alt, uncertainty: 0.1)])],
                     method: "")
        }
        #expect(Runner.evaluate(stubClaim { _ in ev(1.6) }, options: quick).verdict == .discrepant)
        let holdout = Runner.evaluate(stubClaim { _ in ev(1.1) }, options: quick)
        #expect(holdout.verdict == .inconclusive && holdout.main?.message?.contains("free exponent") == true)
    }

    @Test("claim verdict: consistency checks never confirm; a failed one is an error; alternative readings do not count")
    func summary() {
        @Sendable func check(_ id: String, _ role: CheckRole, measured: Double) -> StatementCheck {
            StatementCheck(id, statement: id, role: role, check: Check(predicted: 1, measured: measured, uncertainty: 0.1),
                           tolerance: Tolerance(3, "t"), control: Control("1.5", Check(predicted: 1.5, measured: measured, uncertainty: 0.1)))
        }
        let onlyConsistency = Runner.evaluate(stubClaim { _ in Evidence(checks: [check("main", .consistency, measured: 1)], method: "") }, options: quick)
        #expect(onlyConsistency.verdict == .inconclusive)
        let brokenIdentity = Runner.evaluate(stubClaim { _ in Evidence(checks: [check("main", .confirmation, measured: 1), check("identity", .consistency, measured: 3)], method: "") }, options: quick)
        #expect(brokenIdentity.verdict == .error)
        let otherReading = Runner.evaluate(stubClaim { _ in Evidence(checks: [check("main", .confirmation, measured: 1), check("pauli", .alternativeReading, measured: 3)], method: "") }, options: quick)
        #expect(otherReading.verdict == .confirmed && otherReading.checks[1].verdict == .discrepant)
        let detail = Runner.evaluate(stubClaim { _ in Evidence(checks: [check("main", .confirmation, measured: 1), check("detail", .confirmation, measured: 3)], method: "") }, options: quick)
        #expect(detail.verdict == .discrepant && detail.message?.contains("main statement confirmed") == true)
    }

    @Test("error on a thrown error, on NaN, and on a below-resolution quantity")
    func errors() {
        let thrown = Runner.evaluate(stubClaim { _ in throw ClaimError.belowResolution("ω = 1e-17 < ulp") }, options: quick)
        #expect(thrown.verdict == .error && thrown.message!.contains("below numerical resolution"))
        let nan = Runner.evaluate(stubClaim { _ in evidence(measured: .nan, sigma: 0.1, predicted: 1, control: 2) }, options: quick)
        #expect(nan.verdict == .error)
        #expect(nan.main?.measured == nil)   // never NaN in the JSON
    }

    @Test("error when a z-score has no uncertainty (it would otherwise look infinitely discrepant)")
    func zScoreWithoutSigma() {
        let r = Runner.evaluate(stubClaim { _ in evidence(measured: 1.0, sigma: nil, predicted: 1.5, control: 3) }, options: quick)
        #expect(r.verdict == .error && r.message!.contains("uncertainty"))
    }

    @Test("inconclusive when the measurement's error straddles the tolerance")
    func inconclusive() {
        // relative: statistic 0.1, σ_stat 0.05, tolerance 0.12: within 2σ of the edge.
        let c = stubClaim(comparison: .relative) { _ in
            evidence(measured: 1.1, sigma: 0.05, predicted: 1.0, control: 3.0, tol: 0.12)
        }
        #expect(Runner.evaluate(c, options: quick).verdict == .inconclusive)
    }

    @Test("KS comparison passes on p ≥ α and the control must have p < α")
    func ks() {
        let good = KSResult(statistic: 0.01, effectiveSize: 1000, pValue: 0.5)
        let bad = KSResult(statistic: 0.2, effectiveSize: 1000, pValue: 1e-9)
        let c = stubClaim(comparison: .ksTest) { _ in
            Evidence(check: Check(predicted: 0.5, measured: 0.5, ks: good), control: Control("other law", Check(predicted: 0.3, measured: 0.5, ks: bad)),
                     tolerance: Tolerance(0.01, "α"), method: "")
        }
        #expect(Runner.evaluate(c, options: quick).verdict == .confirmed)
    }

    @Test("Tier parameters reach the claim; the tier is recorded")
    func tiers() throws {
        let c = stubClaim { ctx in evidence(measured: try ctx.double("n"), sigma: 0.1, predicted: 2, control: 10) }
        let r = Runner.evaluate(c, options: RunOptions(tier: .standard, seed: 1, jobs: 1))
        #expect(r.main?.measured == 2 && r.tier == "standard")
    }

    @Test("The runner records the master seed exactly, also above Int.max and for errors")
    func seedRecorded() {
        let ok = Runner.evaluate(stubClaim { _ in evidence(measured: 1.0, sigma: 0.1, predicted: 1.0, control: 2) },
                                 options: RunOptions(tier: .quick, seed: 42, jobs: 1))
        #expect(ok.seed == "42")
        let big = Runner.evaluate(stubClaim { _ in throw ClaimError.nonConvergence("x") },
                                  options: RunOptions(tier: .quick, seed: UInt64.max, jobs: 1))
        #expect(big.seed == "18446744073709551615")
    }

    @Test("Baseline: verdict change and drift are regressions; small drift is not; other settings are not compared")
    func baseline() {
        var b = Baseline()
        let r = Runner.evaluate(stubClaim { _ in evidence(measured: 1.0, sigma: 0.3, predicted: 1.0, control: 2) }, options: quick)
        b.update(with: [r])
        #expect(b.regressions([r]).isEmpty)
        var drift = r; drift.checks[0].measured = 1.0 + 1e-3
        #expect(b.regressions([drift]).count == 1)
        var tiny = r; tiny.checks[0].measured = 1.0 + 1e-11
        #expect(b.regressions([tiny]).isEmpty)
        var changed = r; changed.verdict = .discrepant
        #expect(b.regressions([changed]).first?.detail.contains("verdict changed") == true)
        var otherSeed = drift; otherSeed.seed = "7"
        #expect(b.regressions([otherSeed]).isEmpty)
        #expect(b.unmatched([otherSeed]).first?.detail.contains("no baseline for these settings") == true)
        var otherParams = drift; otherParams.settingsHash = "0"
        #expect(b.regressions([otherParams]).isEmpty && b.unmatched([otherParams]).count == 1)
    }

    @Test("Baseline: a malformed file is a clear error")
    func malformedBaseline() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let u = dir.appendingPathComponent("b.json")
        try Data("{\"schema\": 2, \"entries\": [{\"claim\": \"x\", \"verdict\": \"maybe\"}]}".utf8).write(to: u)
        #expect(throws: Baseline.LoadError.self) { try Baseline.load(u) }
        try Data("{\"schema\": 1, \"claims\": {}}".utf8).write(to: u)
        #expect(throws: Baseline.LoadError.self) { try Baseline.load(u) }
        try Data("not json".utf8).write(to: u)
        #expect(throws: Baseline.LoadError.self) { try Baseline.load(u) }
        #expect(throws: Baseline.LoadError.self) { try Baseline.load(dir.appendingPathComponent("missing.json")) }
    }

    @Test("Results JSON round-trips and contains no NaN")
    func json() throws {
        let r = Runner.evaluate(stubClaim { _ in evidence(measured: .infinity, sigma: 0.1, predicted: 1, control: 2) }, options: quick)
        let run = RunResult(provenance: Provenance(commit: "c", tier: "quick", swift: "s", blas: "b", gsl: "g", cores: 2,
                                                   started: "t", seconds: 1, seed: 1, jobs: 1), claims: [r])
        let data = try run.encoded()
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("NaN") && !text.contains("inf"))
        #expect(try RunResult.decode(data).claims.first?.id == "ergodic-inclusion.stub")
        #expect(text.hasPrefix("{\"schema\":2,"))
        #expect((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["claims"] != nil)
    }

    @Test("A data series with NaN entries is written with null and reads back as NaN")
    func seriesWithNaN() throws {
        let series = DataSeries(name: "P", x: [100, 300], y: [0.5, .nan], yError: [.nan, 0.02])
        let data = try JSONEncoder().encode(series)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("nan") && !text.contains("NaN") && text.contains("null"))
        let back = try JSONDecoder().decode(DataSeries.self, from: data)
        #expect(back == series)
        #expect(back.y[1].isNaN && back.yError?[0].isNaN == true && back.yError?[1] == 0.02)
        #expect(back != DataSeries(name: "P", x: [100, 300], y: [0.5, 0.5], yError: [.nan, 0.02]))
    }

    @Test("Report and SVG written as one output set, with the figures manifest; a bad location is refused")
    func reportWriting() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var e = evidence(measured: 1.0, sigma: 0.1, predicted: 1.0, control: 2)
        e.figures = [Figure(name: "f", title: "t <&>", caption: "c", plot: Plot(xLabel: "x", yLabel: "y", xLog: true, yLog: true,
            series: [PlotSeries(name: "a", x: [1, 10, 100], y: [1, 0.1, 0.01], yError: [0.1, 0.01, 0.001])]))]
        let fixed = e
        let r = Runner.evaluate(stubClaim { _ in fixed }, options: quick)
        let run = RunResult(provenance: Provenance(commit: "c", tier: "quick", swift: "s", blas: "b", gsl: "g", cores: 2,
                                                   started: "t", seconds: 1, seed: 1, jobs: 1), claims: [r])
        let w = ReportWriter(result: run, regressions: [], baselinePath: "b.json", command: "test")
        let report = dir.appendingPathComponent("REPORT.md"), figs = dir.appendingPathComponent("REPORT.figures")
        let set = try OutputSet.open(OutputRequest(report: "REPORT.md", figures: nil, json: nil, baseline: nil, writesBaseline: false, cwd: dir))
        #expect(set.figureLink == "REPORT.figures")
        try set.commit(OutputContents(report: Data(w.markdown(figureLink: set.figureLink!).utf8), figures: w.renderedFigures()))
        set.close()
        let md = try String(contentsOf: report, encoding: .utf8)
        #expect(md.contains("| [stub](#ergodic-inclusion-stub) |"))
        #expect(md.contains("](<REPORT.figures/ergodic-inclusion.stub--f.svg>)"))
        let svg = try String(contentsOf: figs.appendingPathComponent("ergodic-inclusion.stub--f.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("t &lt;&amp;&gt;") && svg.hasSuffix("</svg>\n"))
        #expect(FileManager.default.fileExists(atPath: figs.appendingPathComponent(OutputSet.figuresManifestName).path))
        // A report in a folder that does not exist is refused before anything is written.
        #expect(throws: OutputError.self) {
            try OutputSet.open(OutputRequest(report: "missing/REPORT.md", figures: nil, json: nil, baseline: nil, writesBaseline: false, cwd: dir))
        }
        #expect(try String(contentsOf: report, encoding: .utf8) == md)
    }

    @Test("SVG of a heat map is well-formed XML")
    func heatMapXML() throws {
        let h = HeatMap(xLabel: "ε", yLabel: "h", colorLabel: "⟨r⟩", x: [0.1, 0.2, 0.3], y: [0.01, 0.1], values: [[0.4, 0.5, 0.53], [0.39, .nan, 0.5]], yLog: true)
        let svg = SVGRenderer.render(Figure(name: "h", title: "map", caption: "", heatMap: h))
        #expect(svg.components(separatedBy: "<rect").count > 6)
        #expect(!svg.contains("nan"))
    }

    @Test("relativePath between folders")
    func relPath() {
        #expect(relativePath(from: URL(fileURLWithPath: "/a/b"), to: URL(fileURLWithPath: "/a/b/c/d")) == "c/d")
        #expect(relativePath(from: URL(fileURLWithPath: "/a/b"), to: URL(fileURLWithPath: "/a/x")) == "../x")
    }
}
