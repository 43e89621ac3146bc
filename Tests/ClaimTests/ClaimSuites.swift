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

func ids(_ paper: Paper) -> [String] { Catalog.claims.filter { $0.paper == paper }.map(\.id) }

/// Run a claim at the quick tier and hold it to its baseline entry: same verdict, measured
/// value within the regression tolerance, and the control rejected (the check has power).
func checkQuickTier(_ id: String) throws {
    let claim = try #require(Catalog.claim(id))
    let r = Runner.evaluate(claim, options: RunOptions(tier: .quick, seed: Runner.defaultSeed, jobs: 2))
    let entry = try #require(baseline?.claims[id]?["quick"],
                             "no quick-tier baseline for \(id): run `paperverify report --tier quick --only \(id) --update-baseline`")
    #expect(r.control?.verdict == "rejected", "\(id): control not rejected — \(r.message ?? "")")
    #expect(r.verdict == entry.verdict, "\(id): verdict \(r.verdict.rawValue), baseline \(entry.verdict.rawValue) — \(r.message ?? "")")
    if let regression = Baseline.regression(id: id, tier: "quick", old: (entry.verdict, entry.measured),
                                            new: (r.verdict, r.measured), relative: entry.relativeTolerance,
                                            absolute: entry.absoluteTolerance) {
        Issue.record("\(regression)")
    }
}

/// One suite per paper, each parameterized over the paper's claims at the quick tier.
/// Serialized: every claim already uses all cores for its realizations.
@Suite("Claims at the quick tier", .serialized, .tags(.claim))
struct ClaimSuites {
    @Suite("mbl-sync", .tags(.mblSync))
    struct MBLSyncClaims {
        @Test(.timeLimit(.minutes(3)), arguments: ids(.mblSync)) func quickTier(_ id: String) throws { try checkQuickTier(id) }
    }

    @Suite("ergodic-inclusion", .tags(.ergodicInclusion))
    struct ErgodicInclusionClaims {
        @Test(.timeLimit(.minutes(3)), arguments: ids(.ergodicInclusion)) func quickTier(_ id: String) throws { try checkQuickTier(id) }
    }

    @Suite("open-sync", .tags(.openSync))
    struct OpenSyncClaims {
        @Test(.timeLimit(.minutes(3)), arguments: ids(.openSync)) func quickTier(_ id: String) throws { try checkQuickTier(id) }
    }

    @Suite("kas-glass", .tags(.kasGlass))
    struct KASGlassClaims {
        @Test(.timeLimit(.minutes(3)), arguments: ids(.kasGlass)) func quickTier(_ id: String) throws { try checkQuickTier(id) }
    }

    @Suite("mf-avalanche", .tags(.mfAvalanche))
    struct MFAvalancheClaims {
        @Test(.timeLimit(.minutes(3)), arguments: ids(.mfAvalanche)) func quickTier(_ id: String) throws { try checkQuickTier(id) }
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
        for id in b.claims.keys { #expect(Catalog.claim(id) != nil, "baseline has unknown claim \(id)") }
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
