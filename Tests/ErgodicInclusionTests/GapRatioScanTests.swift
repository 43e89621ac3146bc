import Foundation
import Testing
import Kernels
import Linalg
import Verification
@testable import ErgodicInclusion

@Suite("ergodic-inclusion: gap-ratio scans, crossings and maxima (Fig. 2, Fig. 6)")
struct GapRatioScanTests {
    static func draw(sites l: Int, bubble n: Int) -> BubbleChainDraw {
        var rng = RandomStream(seed: 11, label: "scan-test", realization: 0)
        return BubbleChainDraw.draw(sites: l, bubble: n, &rng)
    }

    /// ⟨r̃⟩ of the K levels nearest (E_min + E_max)/2, by hand: sort, centre, pick by distance.
    static func windowRatio(_ e: [Double], count k: Int) -> Double {
        let c = 0.5 * (e.first! + e.last!)
        let chosen = e.indices.sorted { abs(e[$0] - c) < abs(e[$1] - c) }.prefix(k).sorted()
        let w = chosen.map { e[$0] }
        var s = 0.0
        for i in 1..<(w.count - 1) {
            let a = w[i] - w[i - 1], b = w[i + 1] - w[i]
            s += min(a, b) / max(a, b)
        }
        return s / Double(w.count - 2)
    }

    @Test func scanMatchesBruteForceSectorSpectrum() throws {
        // Draw of 6 fields; points use prefixes of 4 and 6 sites, with and without the bubble.
        let d = Self.draw(sites: 6, bubble: 3)
        let points = [GapRatioPoint(sites: 4, withBubble: true, disorder: 2.5, beta: 0.6, coupling: 0.8),
                      GapRatioPoint(sites: 6, withBubble: true, disorder: 1.5, beta: 0.9, coupling: 1),
                      GapRatioPoint(sites: 6, withBubble: false, disorder: 3)]
        let scan = try GapRatioScan.measure(d, points: points, counts: [7, 50], maximumFraction: 0.5)
        #expect(scan.ratios.count == 2 && scan.ratios.allSatisfy { $0.count == 3 })
        for (p, pt) in points.enumerated() {
            let l = pt.sites
            let h = d.unitFields.prefix(l).map { pt.disorder * $0 }
            let r = pt.withBubble ? d.unitGOE.map { Matrix(rows: 3, columns: 3, entries: $0.map { pt.beta * $0 }, order: .columnMajor) } : []
            let full = bruteForceBubbleChain(fields: h, delta: 1, g: pt.coupling, r: r)
            // Project onto the sector of ⌈L/2⌉ up spins (the brute force never leaves it).
            let nb = pt.withBubble ? 3 : 1
            let states = (0..<(1 << l)).filter { $0.nonzeroBitCount == (l + 1) / 2 }
            let dim = states.count * nb
            var m = Matrix(rows: dim, columns: dim)
            for (k, s) in states.enumerated() { for (k2, s2) in states.enumerated() { for a in 0..<nb { for b in 0..<nb {
                m[k * nb + a, k2 * nb + b] = full[s * nb + a, s2 * nb + b]
            } } } }
            let e = try symmetricEigen(m, vectors: false).values
            for (q, k) in [7, 50].enumerated() {
                let kk = GapRatioScan.windowSize(count: k, dimension: dim, maximumFraction: 0.5)
                #expect(abs(scan.ratios[q][p] - Self.windowRatio(e, count: kk)) < 1e-10, "point \(p), K = \(kk)")
            }
            // Same as the paper-protocol measurement of WindowSample (values only) for the K = 7 window.
            let w = try WindowSample.measure(pt.model(d), count: 7, vectors: false)
            #expect(abs(w.meanGapRatio - scan.ratios[0][p]) < 1e-12)
        }
    }

    @Test func windowSizeIsCapped() {
        #expect(GapRatioScan.windowSize(count: 50, dimension: 70, maximumFraction: 0.25) == 17)
        #expect(GapRatioScan.windowSize(count: 50, dimension: 1008, maximumFraction: 0.25) == 50)
        #expect(GapRatioScan.windowSize(count: 50, dimension: 6, maximumFraction: 0.25) == 3)
    }

    @Test func crossingOfStraightLines() {
        let w = [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]
        // Δ = (0.55 − 0.04W) − (0.5 − 0.02W) = 0.05 − 0.02W: zero at W = 2.5 (a grid point) …
        let a = w.map { 0.5 - 0.02 * $0 }, b = w.map { 0.55 - 0.04 * $0 }
        #expect(abs(GapRatioCrossing.crossing(grid: w, smaller: a, larger: b) - 2.5) < 1e-12)
        // … and at W = 2.75 (between points), both interpolations exact for a linear Δ.
        let b2 = w.map { 0.555 - 0.04 * $0 }
        for form in GapRatioCrossing.Interpolation.allCases {
            #expect(abs(GapRatioCrossing.crossing(grid: w, smaller: a, larger: b2, interpolation: form) - 2.75) < 1e-9)
        }
        // The line fit of a linear Δ is exact too.
        #expect(abs(GapRatioCrossing.crossing(grid: w, smaller: a, larger: b2, interpolation: .lineFit) - 2.75) < 1e-9)
        // No + → − change on the grid: NaN.
        #expect(GapRatioCrossing.crossing(grid: w, smaller: b, larger: a).isNaN)
    }

    @Test func cubicInterpolationIsExactForACubicDifference() {
        let w = [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]
        let root = 2.3
        // Δ(W) = −(W − root)(1 + 0.3(W − 2)²): one root, + below, − above.
        let delta = w.map { -($0 - root) * (1 + 0.3 * ($0 - 2) * ($0 - 2)) }
        let a = w.map { _ in 0.4 }, b = zip(a, delta).map { $0 + $1 }
        let cubic = GapRatioCrossing.crossing(grid: w, smaller: a, larger: b, interpolation: .cubic)
        let linear = GapRatioCrossing.crossing(grid: w, smaller: a, larger: b, interpolation: .linear)
        #expect(abs(cubic - root) < 1e-9)
        #expect(abs(linear - root) > 1e-4)   // the linear form has an interpolation error here
    }

    @Test func firstDownwardCrossingIsTaken() {
        let w = [1.0, 2.0, 3.0, 4.0, 5.0]
        let a = [0.0, 0.0, 0.0, 0.0, 0.0]
        // Δ: −, +, −, +, −: the first + → − change is between W = 2 and 3.
        let b = [-0.01, 0.02, -0.02, 0.01, -0.01]
        #expect(abs(GapRatioCrossing.crossing(grid: w, smaller: a, larger: b) - 2.5) < 1e-12)
    }

    @Test func parabolaVertex() {
        let x = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
        let y = x.map { 0.5 - 2 * ($0 - 0.57) * ($0 - 0.57) }
        for h in 1...3 { #expect(abs(quadraticPeak(x: x, y: y, halfWidth: h) - 0.57) < 1e-10) }
        // Maximum at the grid edge: not bracketed.
        #expect(quadraticPeak(x: x, y: x.map { $0 }, halfWidth: 2).isNaN)
        // An upward parabola has its grid maximum at an end: NaN.
        #expect(quadraticPeak(x: x, y: x.map { ($0 - 0.6) * ($0 - 0.6) }, halfWidth: 2).isNaN)
        // A noisy interior maximum whose least-squares parabola opens upward: NaN.
        #expect(quadraticPeak(x: x, y: [0, 0.9, 0.1, 1.0, 0.1, 0.9, 0, 0, 0], halfWidth: 2).isNaN)
    }

    @Test func chainSpreadRatio() {
        // √((3/16 + 3.5²/12)/(3/16 + 1.5²/12)) ≈ 1.795.
        let r = ErgodicInclusion.chainSiteSpread(disorder: 3.5) / ErgodicInclusion.chainSiteSpread(disorder: 1.5)
        #expect(abs(r - 1.7951) < 1e-3)
    }
}

@Suite("ergodic-inclusion: crossing-shift and bandwidth-choice parameters")
struct GapRatioClaimParameterTests {
    @Test func quickAndStandardTiersValidate() throws {
        for c in [ErgodicInclusion.crossingShift, ErgodicInclusion.bandwidthChoice] {
            for t in [Tier.quick, .standard] { try c.validate(c.tiers[t]!) }
        }
    }

    @Test func badParametersAreRefused() {
        var p = ErgodicInclusion.crossingShift.tiers[.quick]!
        p["pairs"] = [7]
        #expect(throws: ClaimError.self) { try ErgodicInclusion.crossingShift.validate(p) }
        p = ErgodicInclusion.crossingShift.tiers[.quick]!
        p["realizations"] = [40, 40]   // one count per pair
        #expect(throws: ClaimError.self) { try ErgodicInclusion.crossingShift.validate(p) }
        // Pair 20 (bubble L = 22, 2.8·10⁶ states) is beyond shift-invert on this machine: refused.
        var full = ErgodicInclusion.crossingShift.tiers[.full]!
        full["pairs"] = [20]; full["realizations"] = [2000]; full["scanPair"] = 20
        #expect(throws: ClaimError.self) { try ErgodicInclusion.crossingShift.validate(full) }
        var b = ErgodicInclusion.bandwidthChoice.tiers[.quick]!
        b["disorders"] = [0.5, 2.5]   // the statement is about 1 < W < 4
        #expect(throws: ClaimError.self) { try ErgodicInclusion.bandwidthChoice.validate(b) }
        b = ErgodicInclusion.bandwidthChoice.tiers[.quick]!
        b["bubbles"] = [7]            // no printed β
        #expect(throws: ClaimError.self) { try ErgodicInclusion.bandwidthChoice.validate(b) }
    }
}
