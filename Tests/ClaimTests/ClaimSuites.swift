import Catalog
import Foundation
import Testing
import Verification

extension Tag {
    @Tag static var claim: Self
    @Tag static var mblSync: Self
    @Tag static var mfAvalanche: Self
    @Tag static var ergodicInclusion: Self
    @Tag static var openSync: Self
    @Tag static var kasGlass: Self
}

/// The accepted verdicts and values, reference-data/baseline.json.
let baseline: Baseline? = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("reference-data/baseline.json")
    return try? Baseline.load(url)
}()


/// Run a claim at the quick tier and hold it to its baseline entry (same seed and settings):
/// same verdicts, measured values within the regression tolerance, and every confirmed
/// check's control rejected (a confirmation needs power).
func checkQuickTier(_ id: String) throws {
    let claim = try #require(Catalog.claim(id))
    let r = Runner.evaluate(claim, options: RunOptions(tier: .quick, seed: Runner.defaultSeed, jobs: 2))
    guard let entry = baseline?.entry(for: r) else {
        Issue.record("no quick-tier baseline for \(id) under its default settings (\(r.settingsHash)): run `paperverify report --tier quick --only \(id) --update-baseline`")
        return
    }
    #expect(!r.checks.isEmpty, "\(id): \(r.message ?? "no checks")")
    // A confirmation needs power: a confirmed check's control was rejected and is not weak
    // (an inconclusive check may have an unrejected control: that is why it is inconclusive).
    for k in r.checks where k.verdict == .confirmed {
        #expect(k.control.rejected && (!k.control.weak || k.exact), "\(id)/\(k.id): confirmed without a rejected, near control — \(k.message ?? "")")
    }
    for regression in Baseline.regressions(id: id, tier: "quick", old: entry, new: r) {
        Issue.record("\(regression)")
    }
}

/// One suite per paper, named by the paper key, with one test per claim named by the claim
/// id (Tests/ClaimTests/ClaimTests.generated.swift, written by ci/claim-tests), so that
/// `swift test --filter open-sync` runs a paper and `--filter open-sync.chi-uniform` a
/// claim. Serialized: every claim already uses all cores for its realizations.
@Suite("Claims at the quick tier", .serialized, .tags(.claim))
struct ClaimSuites {
    @Suite(.tags(.mblSync)) struct `mbl-sync` {}
    @Suite(.tags(.ergodicInclusion)) struct `ergodic-inclusion` {}
    @Suite(.tags(.openSync)) struct `open-sync` {}
    @Suite(.tags(.kasGlass)) struct `kas-glass` {}
    @Suite(.tags(.mfAvalanche)) struct `mf-avalanche` {}

    @Test("the generated claim tests cover the catalog (rerun ci/claim-tests after adding a claim)")
    func generatedTestsCoverCatalog() {
        #expect(generatedClaimIDs == Catalog.claims.map(\.id))
    }

    @Test("every claim id is <paper>.<slug>, unique, with all three tiers")
    func catalogShape() {
        let all = Catalog.claims.map(\.id)
        #expect(Set(all).count == all.count)
        for c in Catalog.claims {
            #expect(c.id.hasPrefix(c.paper.rawValue + "."))
            #expect(Set(c.tiers.keys) == Set(Tier.allCases))
        }
    }

    @Test("the baseline has no entries for claims that no longer exist")
    func baselineKeys() throws {
        let b = try #require(baseline, "reference-data/baseline.json is missing or malformed")
        for e in b.entries { #expect(Catalog.claim(e.claim) != nil, "baseline has unknown claim \(e.claim)") }
    }
}

/// reference-data/paper-values.json: every printed number has a paper, a provenance and
/// names only claims that exist (or are planned in an open issue and listed by id).
@Test("paper-values.json is well formed", .tags(.claim))
func paperValues() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("reference-data/paper-values.json")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    let values = try #require(json["values"] as? [[String: Any]])
    #expect(!values.isEmpty)
    for v in values {
        let paper = try #require(v["paper"] as? String)
        #expect(Paper(rawValue: paper) != nil, "unknown paper \(paper)")
        #expect((v["provenance"] as? String)?.isEmpty == false, "\(v["quantity"] ?? "?") has no provenance")
        #expect(v["value"] != nil)
        for id in (v["claims"] as? [String]) ?? [] {
            #expect(id.split(separator: ".").count == 2 && Paper(rawValue: String(id.split(separator: ".")[0])) != nil)
        }
    }
}
