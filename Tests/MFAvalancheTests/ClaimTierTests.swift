import Foundation
import Testing
import Verification
@testable import MFAvalanche

@Suite("mf-avalanche: claim parameters", .tags(.kernel))
struct ClaimTierTests {
    /// Every tier (full included) validates and plans in the parent, before any work; a bad value
    /// is refused with a clear error.
    @Test("every tier validates and plans; bad parameters are refused")
    func tiers() throws {
        #expect(MFAvalanche.claims.count == 17)          // 11 of issue 11, 6 in 2D (issue 12)
        #expect(Set(MFAvalanche.claims.map(\.id)).count == 17)
        for c in MFAvalanche.claims {
            for t in Tier.allCases {
                let p = try #require(c.tiers[t])
                try c.validate(p)
                let ctx = ClaimContext(claimID: c.id, tier: t, parameters: p, seed: 1, jobs: 1)
                let sets = try c.measurement.plan(ctx)
                #expect(c.measurement.isPlanned == !sets.isEmpty, "\(c.id) \(t)")
            }
        }
        let drh = try #require(MFAvalanche.claims.first { $0.id == "mf-avalanche.ed-vs-mean-field" })
        var bad = drh.tiers[.quick]!
        bad["alphas"] = [0.5, 0.6]          // no α_c: nothing to fit g₁,₀ at
        #expect(throws: ClaimError.self) { try drh.validate(bad) }
        let limits = try #require(MFAvalanche.claims.first { $0.id == "mf-avalanche.eta-limits" })
        var odd = limits.tiers[.quick]!
        odd["order"] = 5
        #expect(throws: ClaimError.self) { try limits.validate(odd) }
    }
}
