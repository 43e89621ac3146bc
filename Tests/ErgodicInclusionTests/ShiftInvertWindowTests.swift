import Foundation
import Testing
import Kernels
import Linalg
import Verification
@testable import ErgodicInclusion

/// The shift-invert path of the window measurements (`EigensolverPolicy`), forced on small
/// matrices by a threshold of 0, against the dense path on the same models.
@Suite("ergodic-inclusion: shift-invert windows against dense")
struct ShiftInvertWindowTests {
    static let sparse = EigensolverPolicy(shiftInvertAbove: 0)

    static func bubbleChain(sites l: Int, disorder w: Double, seed: UInt64) -> BubbleChain {
        var rng = RandomStream(seed: seed, label: "shift-invert-window")
        return BubbleChain(BubbleChainDraw.draw(sites: l, bubble: 4, &rng), disorder: w, beta: 0.6, coupling: 1)
    }

    @Test("the policy: dense up to 4096 and for whole spectra, shift-invert for windows above")
    func policy() {
        let p = EigensolverPolicy.automatic
        #expect(!p.usesShiftInvert(.nearest(count: 50, to: .centre), dimension: 4096))
        #expect(p.usesShiftInvert(.nearest(count: 50, to: .centre), dimension: 4097))
        #expect(p.usesShiftInvert(.nearestValues(count: 50, to: .centre), dimension: 13728))
        #expect(!p.usesShiftInvert(.values, dimension: 13728) && !p.usesShiftInvert(.all, dimension: 13728))
        #expect(!EigensolverPolicy.dense.usesShiftInvert(.nearest(count: 50, to: .centre), dimension: 1 << 40))
    }

    /// Bubble chain L = 8, n_GOE = 4 (dimension 280), 30 pairs nearest the centre and nearest a
    /// fixed energy: same index window, eigenvalues to 1e-10, per-eigenstate magnetizations to 1e-8.
    @Test("bubble chain L = 8: eigenvalues to 1e-10, window magnetizations to 1e-8")
    func windowPairs() throws {
        for (seed, w) in [(UInt64(1), 2.0), (2, 5.0)] {
            let model = Self.bubbleChain(sites: 8, disorder: w, seed: seed)
            let h = try model.hamiltonian()
            for target in [SpectralTarget.centre, .energy(0.3)] {
                let d = try h.diagonalize(.nearest(count: 30, to: target), policy: .dense)
                let s = try h.diagonalize(.nearest(count: 30, to: target), policy: Self.sparse)
                #expect(!d.shiftInvert && s.shiftInvert && s.allValues == nil && d.allValues != nil)
                #expect(d.window == s.window)
                #expect(abs(d.targetEnergy! - s.targetEnergy!) < 1e-10)
                #expect(zip(d.windowLevels, s.windowLevels).map { abs($0 - $1) }.max()! < 1e-10)
                let md = siteMagnetizations(vectors: try #require(d.vectors), basis: h.basis, blockDimension: 4)
                let ms = siteMagnetizations(vectors: try #require(s.vectors), basis: h.basis, blockDimension: 4)
                let dm = zip(md, ms).map { a, b in zip(a, b).map { abs($0 - $1) }.max()! }.max()!
                #expect(dm < 1e-8, "max |Δm| = \(dm)")
            }
            // The claims' measurement: gap ratio and the magnetization sums.
            let a = try WindowSample.measure(model, count: 30, policy: .dense)
            let b = try WindowSample.measure(model, count: 30, policy: Self.sparse)
            #expect(a.states == b.states && abs(a.meanGapRatio - b.meanGapRatio) < 1e-10)
            for (x, y) in [(a.sumM, b.sumM), (a.sumM2, b.sumM2), (a.sumGammaEnd0, b.sumGammaEnd0)] {
                #expect(zip(x, y).allSatisfy { abs($0 - $1) < 1e-8 })
            }
            let av = try WindowSample.measure(model, count: 30, vectors: false, policy: .dense)
            let bv = try WindowSample.measure(model, count: 30, vectors: false, policy: Self.sparse)
            #expect(av.states == bv.states && abs(av.meanGapRatio - bv.meanGapRatio) < 1e-10)
            // The default policy is dense at this size: bitwise the dense sample.
            #expect(try WindowSample.measure(model, count: 30) == a)
        }
    }

    /// The gap-ratio scan (crossing-shift's and bandwidth-choice's measurement): the W-shifted
    /// diagonal on the sparse path, nested windows of 20 and 50 levels.
    @Test("gap-ratio scan: shift-invert against dense to 1e-10")
    func gapRatioScan() throws {
        var rng = RandomStream(seed: 3, label: "shift-invert-scan")
        let draw = BubbleChainDraw.draw(sites: 10, bubble: 4, &rng)
        let points = [1.5, 3.5].flatMap { w in
            [GapRatioPoint(sites: 8, withBubble: true, disorder: w, beta: 0.6, coupling: 1),
             GapRatioPoint(sites: 10, withBubble: false, disorder: w)]
        }
        let d = try GapRatioScan.measure(draw, points: points, counts: [20, 50], maximumFraction: 0.25, policy: .dense)
        let s = try GapRatioScan.measure(draw, points: points, counts: [20, 50], maximumFraction: 0.25, policy: Self.sparse)
        for e in 0..<2 { for p in points.indices { #expect(abs(d.ratios[e][p] - s.ratios[e][p]) < 1e-10) } }
        #expect(try GapRatioScan.measure(draw, points: points, counts: [20, 50], maximumFraction: 0.25) == d)
    }

    /// diagonal() is the dense matrix's; a diagonal shift on the shift-invert path (inserted
    /// where H has zero diagonal entries, as the bare chain at W = 0) gives the dense spectrum.
    @Test("diagonal() and the diagonal shift of both paths agree")
    func diagonalHelpers() throws {
        let h = try Self.bubbleChain(sites: 9, disorder: 0, seed: 4).bare.hamiltonian()   // 8 bonds: zero diagonals
        let dense = try h.dense()
        let diag = try h.diagonal()
        #expect((0..<h.dimension).allSatisfy { diag[$0] == dense[$0, $0] })
        #expect(diag.contains(0))
        let shift = (0..<h.dimension).map { 0.3 * sin(Double($0)) }
        let a = try h.diagonalize(.nearestValues(count: 20, to: .centre), policy: .dense, diagonalShift: shift)
        let b = try h.diagonalize(.nearestValues(count: 20, to: .centre), policy: Self.sparse, diagonalShift: shift)
        #expect(a.window == b.window && b.vectors == nil)
        #expect(zip(a.windowLevels, b.windowLevels).allSatisfy { abs($0 - $1) < 1e-10 })
    }

    /// The full tiers at the paper's L = 16 with n_GOE = 4 validate from MUMPS's estimate (the
    /// dense guard refused them: 3 × 51480² × 8 B = 64 GB per worker); far sizes are refused.
    @Test("memory: L = 16, n_GOE = 4 validates through the factor estimate; L = 22 is refused")
    func memoryGuard() throws {
        let b = try WindowMemory.bytes(sites: 16, bubble: 4, states: 100, denseMatrices: 3)
        #expect(b.path == "shift-invert" && b.bytes > 1e8 && b.bytes < 4e9)
        #expect(try WindowMemory.bytes(sites: 10, bubble: 4, states: 100, denseMatrices: 3).bytes == 3 * 1008.0 * 1008 * 8)
        var p = ErgodicInclusion.purityModel.tiers[.full]!
        #expect(p["sites"]?.int == 16)
        try ErgodicInclusion.purityModel.validate(p)
        p["sites"] = 22
        #expect(throws: ClaimError.self) { try ErgodicInclusion.purityModel.validate(p) }
    }
}
