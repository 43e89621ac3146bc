import Foundation
import Kernels
import Testing
import Verification
@testable import MFAvalanche

@Suite("mf-avalanche: 2D claims' plans and analysis helpers", .tags(.kernel))
struct TwoDimensionalClaimTests {
    @Test("every 2D claim validates and plans each tier's parameters (no work)")
    func plans() throws {
        #expect(MFAvalanche.claims2D.count == 6)
        #expect(Set(MFAvalanche.claims2D.map(\.id)).count == 6)
        for c in MFAvalanche.claims2D {
            for t in Tier.allCases {
                let p = try #require(c.tiers[t])
                try c.validate(p)
                let sets = try c.measurement.plan(ClaimContext(claimID: c.id, tier: t, parameters: p, seed: 1, jobs: 1))
                #expect(c.measurement.isPlanned == !sets.isEmpty, "\(c.id) \(t)")
                #expect(Set(sets.map(\.label)).count == sets.count)
            }
        }
        // Bad values are refused before any work.
        let q = MFAvalanche.claims2D[0]
        var p = q.tiers[.quick]!
        p["amplitudes"] = [50, 40]
        #expect(throws: ClaimError.self) { try q.validate(p) }
        p = q.tiers[.quick]!
        p["grainCouplings"] = [0.5, 1]
        #expect(throws: ClaimError.self) { try q.validate(p) }
    }

    static func sample(_ r: Int, _ w: Double, avalanche: Bool) -> AvalancheSample {
        let n = Double(DiamondLattice.siteCount(radius: r))
        return AvalancheSample(radius: r, amplitude: w, offset: 0, totalEnhancement: [avalanche ? n * log(2.0) : 3],
                               iterations: [1], converged: [true], unresolved: [false], bottleneck: nil)
    }

    @Test("threshold on a W grid: midpoint of the last avalanching and the next W; bounds outside the grid")
    func threshold() {
        typealias C = TwoDimensionalClaims.Cell
        let cells = [(10.0, [true, true]), (20, [true, false]), (30, [false, true]), (40, [false, false]), (50, [false, false])].map { w, a in
            C(radius: 3, amplitude: w, samples: a.map { Self.sample(3, w, avalanche: $0) })
        }
        let t = TwoDimensionalClaims.threshold(cells, reading: 0)
        #expect(t.value == 35 && t.gridHalfStep == 5 && t.isInside)
        // Even samples only: the last avalanching W is 20.
        #expect(TwoDimensionalClaims.threshold(cells, reading: 0) { $0 % 2 == 0 }.value == 25)
        let none = TwoDimensionalClaims.threshold(cells.suffix(2).map { $0 }, reading: 0)
        #expect(none.lastAvalanching == nil && !none.isInside)
        let allAv = TwoDimensionalClaims.threshold([cells[0]], reading: 0)
        #expect(allAv.firstClean == nil && !allAv.isInside)
        #expect(cells[1].avalancheFraction().value == 0.5 && cells[4].avalancheFraction().error == 0.5)
    }

    @Test("ROC area and best cut on hand-checkable cases")
    func roc() {
        #expect(TwoDimensionalClaims.rocArea(positive: [3, 4], negative: [1, 2]).value == 1)
        #expect(TwoDimensionalClaims.rocArea(positive: [1], negative: [1]).value == 0.5)
        #expect(TwoDimensionalClaims.rocArea(positive: [1, 3], negative: [2]).value == 0.5)
        let c = TwoDimensionalClaims.bestCut(positive: [5, 6], negative: [1, 2])
        #expect(c.accuracy == 1 && abs(c.cut - 10.0.squareRoot()) < 1e-12)
        let d = TwoDimensionalClaims.bestCut(positive: [1, 6], negative: [2, 3])
        #expect(d.accuracy == 0.75)
    }
}
