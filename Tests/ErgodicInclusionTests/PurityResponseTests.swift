import Foundation
import Testing
import Kernels
import Linalg
@testable import ErgodicInclusion

@Suite("ergodic-inclusion: purity response to the bubble (Figs. 3, 5, 8, 9; Eq. (6))")
struct PurityResponseTests {
    /// One draw serves every cell: replaying the stream order (fields, then three GOE matrices
    /// per bubble size ascending) rebuilds each cell's model, and the sample equals a direct
    /// measurement of it; the bare chain is the same fields without the bubble.
    @Test func oneDrawServesTheGrid() throws {
        let cells = [PurityCell(disorder: 2, bubble: 4, beta: 0.6), PurityCell(disorder: 5, bubble: 4, beta: 0.6),
                     PurityCell(disorder: 2, bubble: 3, beta: 0.55)]
        var rng = RandomStream(seed: 5, label: "response", realization: 0)
        let s = try PurityResponseSample.measure(sites: 6, cells: cells, coupling: 1, states: 8, &rng)
        var replay = RandomStream(seed: 5, label: "response", realization: 0)
        let u = (0..<6).map { _ in 2 * replay.uniform() - 1 }
        let g3 = (0..<3).map { _ in RandomMatrix.goe(3, &replay).storage }
        let g4 = (0..<3).map { _ in RandomMatrix.goe(4, &replay).storage }
        let uLong = u + (0..<2).map { _ in 2 * replay.uniform() - 1 }
        #expect(s.disorders == [2, 5])
        for c in cells {
            let d = BubbleChainDraw(unitFields: u, unitGOE: c.bubble == 3 ? g3 : g4, bubble: c.bubble)
            let k = PurityResponseSample.windowCount(8, dimension: BubbleChain.dimension(sites: 6, bubble: c.bubble))
            let direct = try WindowSample.measure(BubbleChain(d, disorder: c.disorder, beta: c.beta, coupling: 1), count: k)
            #expect(s.bubble(at: c.disorder, size: c.bubble) == direct)
        }
        let bare = try WindowSample.measure(BubbleChain(fields: u.map { 5 * $0 }), count: 6)  // 20 states / 3
        #expect(s.bare(at: 5) == bare)
        #expect(s.bare(at: 5).states == 6)
        let long = try WindowSample.measure(BubbleChain(fields: uLong.map { 2 * $0 }), count: 8)  // 70 states
        #expect(s.longBare(at: 2) == long)
    }

    /// Mirror pooling by hand: L = 5 (odd) has distances 0, 1, 2, the middle site alone.
    @Test func mirrorPooledProfile() {
        // m_i chosen per site; one eigenstate: γ_i = 2m_i² + ½.
        let m: [Double] = [0.5, 0.1, -0.2, 0.3, 0.4]
        let s = WindowSample(levels: [0, 1, 3], magnetizations: [m])
        let g = m.map { 2 * $0 * $0 + 0.5 }
        let p = PurityProfile.profile(s)
        #expect(p.count == 3)
        #expect(abs(p[0] - (g[0] + g[4]) / 2) < 1e-15)
        #expect(abs(p[1] - (g[1] + g[3]) / 2) < 1e-15)
        #expect(abs(p[2] - g[2]) < 1e-15)
        #expect(abs(PurityProfile.siteAverage(s) - g.reduce(0, +) / 5) < 1e-15)
    }

    /// The Fig. 9 fit recovers exact parameters (ξ on its grid) from noiseless data.
    @Test func offsetExponentialFitRecoversParameters() {
        let xi = OffsetExponentialFit.lengthGrid[35]
        let x = (0..<7).map(Double.init)
        let y = x.map { 0.03 + 0.12 * exp(-$0 / xi) }
        let f = OffsetExponentialFit.fit(x: x, y: y, sigma: [Double](repeating: 0.01, count: 7))
        #expect(abs(f.offset - 0.03) < 1e-10 && abs(f.amplitude - 0.12) < 1e-10 && f.length == xi && f.chiSquared < 1e-16)
    }

    /// Eq. (6) by hand: at i = 0 only p·d_therm^{−1/2} survives; d_therm's two branches; the
    /// main text's sign makes the p = 1 purity rise with i, the supplement's makes it fall.
    @Test func avalancheModelByHand() {
        let xiStar = 1 / log(2.0)
        let main = AvalanchePurityModel(sign: 1, bubble: 4, sites: 10), supp = AvalanchePurityModel(sign: -1, bubble: 4, sites: 10)
        let xi = 0.5 * xiStar  // d_therm = 4^{1/(1 − 1/2)} = 16
        #expect(abs(main.logThermalDimension(xi: xi) - log(16.0)) < 1e-12)
        #expect(abs(main.logThermalDimension(xi: 2) - log(4.0 * 1024)) < 1e-12)
        #expect(abs(main.excess(distance: 0, p: 0.3, xi: xi, localizedExcess: 0.4) - 0.3 / 4) < 1e-14)
        // i = 1: (1 − p)(1 − e^{−1/ξ})·0.4 + p·(e^{−2/ξ}·16)^{−1/2} = … + p e^{1/ξ}/4.
        let e1 = exp(-1 / xi)
        #expect(abs(main.excess(distance: 1, p: 0.3, xi: xi, localizedExcess: 0.4) - (0.7 * (1 - e1) * 0.4 + 0.3 / (4 * e1))) < 1e-14)
        #expect(abs(supp.excess(distance: 1, p: 0.3, xi: xi, localizedExcess: 0.4) - (0.7 * (1 - e1) * 0.4 + 0.3 * e1 / 4)) < 1e-14)
        for x in [0.3, 1.0, 3.0] {
            #expect(main.excess(distance: 2, p: 1, xi: x, localizedExcess: 0.4) > main.excess(distance: 1, p: 1, xi: x, localizedExcess: 0.4))
            #expect(supp.excess(distance: 2, p: 1, xi: x, localizedExcess: 0.4) < supp.excess(distance: 1, p: 1, xi: x, localizedExcess: 0.4))
        }
    }

    @Test func avalancheModelFitRecoversParameters() {
        let m = AvalanchePurityModel(sign: 1, bubble: 4, sites: 10)
        let xi = AvalanchePurityModel.lengthGrid[40]
        let x = (0..<5).map(Double.init)
        let y = x.map { m.excess(distance: $0, p: 0.2, xi: xi, localizedExcess: 0.35) }
        let f = m.fit(distances: x, excess: y, sigma: [Double](repeating: 1e-3, count: 5), localizedExcess: [Double](repeating: 0.35, count: 5))
        #expect(abs(f.p - 0.2) < 1e-10 && f.xi == xi && f.chiSquared < 1e-12)
    }

    /// C_bubble − C_bare of a set against itself is zero; against a set with uncorrelated
    /// purities it is the set's own mean C(r ≥ 1).
    @Test func correlationEnhancementOfIdenticalSetsIsZero() throws {
        var rng = RandomStream(seed: 9, label: "corr", realization: 0)
        let samples = try (0..<4).map { _ in
            try WindowSample.measure(BubbleChain(fields: (0..<6).map { _ in 3 * (2 * rng.uniform() - 1) }), count: 6)
        }
        let e = purityCorrelationEnhancement(bubble: samples, bare: samples)
        #expect(e.mean == 0)
        #expect(abs(e.bubble[0] - 1) < 1e-12)
    }
}
