import Foundation
import Testing
import Kernels
import Linalg
@testable import ErgodicInclusion

@Suite("ergodic-inclusion: avalanche theory (SM Sec. D)")
struct AvalancheTheoryTests {
    @Test func rootOfEquation8IsHalfLogNOverGap() throws {
        for n in [3.0, 4, 5, 6, 8] {
            for u in [1e-3, 0.05, 0.3, 2] {
                let xi = AvalancheTheory.xi(inverseGap: u)
                let r = try #require(AvalancheTheory.solveResonance(xi: xi, bubble: n))
                let closed = 0.5 * log(n) / u
                #expect(abs(r.length - closed) <= max(r.error, 1e-12 * closed) * 4, "n = \(n), u = \(u): \(r.length) vs \(closed)")
                // The site-by-site avalanche stops at the first integer past the root.
                let d = try #require(AvalancheTheory.discreteLength(xi: xi, bubble: n))
                #expect(Double(d) > r.length - 1e-9 && Double(d) <= r.length + 1 + 1e-9)
                // d_therm = n·4^{ℓ_c} with the root is the printed n^{1/(1−ξ/ξ⋆)}.
                #expect(abs(AvalancheTheory.thermalExponent(length: r.length, bubble: n) - AvalancheTheory.printedThermalExponent(xi: xi))
                        <= 1e-9 * AvalancheTheory.printedThermalExponent(xi: xi))
            }
        }
    }

    @Test func printedFormAgreesWithRootOnlyAtGapOneQuarter() {
        // printed/root = 2√u: equal at u = 1/4, a factor 2√u apart elsewhere.
        for u in [0.01, 0.25, 1.0] {
            let ratio = AvalancheTheory.printedLength(inverseGap: u, bubble: 4) / AvalancheTheory.closedFormLength(inverseGap: u, bubble: 4)
            #expect(abs(ratio - 2 * u.squareRoot()) < 1e-12)
        }
    }

    @Test func noStopAtOrBeyondCriticalLength() {
        #expect(AvalancheTheory.solveResonance(xi: AvalancheTheory.criticalLength * 1.01, bubble: 4) == nil)
        #expect(AvalancheTheory.discreteLength(xi: AvalancheTheory.criticalLength * 1.01, bubble: 4, limit: 10_000) == nil)
    }

    @Test func divergenceExponents() throws {
        let w = 1e-3...1e-2
        let root = try #require(AvalancheTheory.divergenceExponent(window: w, points: 11) { AvalancheTheory.closedFormLength(inverseGap: $0, bubble: 4) })
        let printed = try #require(AvalancheTheory.divergenceExponent(window: w, points: 11) { AvalancheTheory.printedLength(inverseGap: $0, bubble: 4) })
        #expect(abs(root + 1) < 1e-12)
        #expect(abs(printed + 0.5) < 1e-12)
    }
}

/// The chain–bubble Hamiltonian of Eqs. (1)–(3) element by element in the full space
/// 2^L ⊗ n (bit i of s = site i, bit 1 = up; row = s·n + a), independent of the ED layer.
func bruteForceBubbleChain(fields h: [Double], delta: Double, g: Double, r: [Matrix]) -> Matrix {
    let l = h.count, n = r.isEmpty ? 1 : r[0].rows
    let dim = (1 << l) * n
    var m = Matrix(rows: dim, columns: dim)
    func b(_ s: Int, _ i: Int) -> Double { Double((s >> i) & 1) - 0.5 }  // S^z_i
    for s in 0..<(1 << l) {
        var diag = 0.0
        for i in 0..<l { diag += h[i] * b(s, i) }
        for i in 0..<(l - 1) { diag += delta * b(s, i) * b(s, i + 1) }
        for a in 0..<n { m[s * n + a, s * n + a] += diag }
        for i in 0..<(l - 1) where ((s >> i) & 1) != ((s >> (i + 1)) & 1) {
            let t = s ^ (1 << i) ^ (1 << (i + 1))
            for a in 0..<n { m[t * n + a, s * n + a] += 0.5 }
        }
        guard !r.isEmpty else { continue }
        for a in 0..<n { for c in 0..<n { m[s * n + a, s * n + c] += r[0][a, c] + g * b(s, 0) * b(s, l - 1) * r[1][a, c] } }
        // S^+_0 S^-_{L−1} ⊗ R₂: site 0 down → up, site L−1 up → down.
        if (s & 1) == 0 && ((s >> (l - 1)) & 1) == 1 {
            let t = s ^ 1 ^ (1 << (l - 1))
            for a in 0..<n { for c in 0..<n {
                m[t * n + a, s * n + c] += g * r[2][a, c]
                m[s * n + c, t * n + a] += g * r[2][a, c]  // h.c.
            } }
        }
    }
    return m
}

@Suite("ergodic-inclusion: chain–bubble model (Eqs. (1)–(5))")
struct BubbleChainTests {
    static func model(sites l: Int, bubble n: Int, seed: UInt64 = 7) -> BubbleChain {
        var rng = RandomStream(seed: seed, label: "test", realization: 0)
        let d = BubbleChainDraw.draw(sites: l, bubble: n, &rng)
        return BubbleChain(d, disorder: 3, beta: 0.6, coupling: 0.8)
    }

    @Test(arguments: [(4, 3), (5, 2), (5, 0)]) func sectorHamiltonianIsProjectionOfBruteForce(_ c: (Int, Int)) throws {
        let (l, n) = c
        let m = Self.model(sites: l, bubble: n)
        let h = try m.hamiltonian()
        let dense = try h.dense()
        let full = bruteForceBubbleChain(fields: m.fields, delta: 1, g: m.coupling, r: m.bubbleMatrices)
        let nb = max(n, 1)
        #expect(h.basis.dimension * nb == Int(BubbleChain.dimension(sites: l, bubble: n)))
        var worst = 0.0
        for (k, s) in h.basis.states.enumerated() { for (k2, s2) in h.basis.states.enumerated() {
            for a in 0..<nb { for b in 0..<nb {
                worst = max(worst, abs(dense[k * nb + a, k2 * nb + b] - full[Int(s) * nb + a, Int(s2) * nb + b]))
            } }
        } }
        #expect(worst < 1e-13)
        // The coupling conserves S^z: no full-space element leaves the sector.
        let inSector = Set(h.basis.states.map(Int.init))
        var leak = 0.0
        for s in 0..<(1 << l) where !inSector.contains(s) { for t in inSector { for a in 0..<nb { for b in 0..<nb {
            leak = max(leak, abs(full[s * nb + a, t * nb + b]))
        } } } }
        #expect(leak == 0)
    }

    /// Tr ρ_i² of a full-space vector (2^L ⊗ n) from the explicit partial trace.
    static func partialTracePurity(_ psi: [Double], sites l: Int, block n: Int, site i: Int) -> Double {
        var r00 = 0.0, r11 = 0.0, r01 = 0.0
        for s in 0..<(1 << l) where (s >> i) & 1 == 0 {
            let t = s | (1 << i)
            for a in 0..<n {
                let x = psi[s * n + a], y = psi[t * n + a]
                r00 += x * x; r11 += y * y; r01 += x * y
            }
        }
        return r00 * r00 + r11 * r11 + 2 * r01 * r01
    }

    @Test func eq5PurityEqualsPartialTraceForEveryEigenstate() throws {
        let (l, n) = (5, 3)
        let m = Self.model(sites: l, bubble: n)
        let h = try m.hamiltonian()
        let p = try h.diagonalize(.all)
        let v = try #require(p.vectors)
        let mags = siteMagnetizations(vectors: v, basis: h.basis, blockDimension: n)
        var worst = 0.0
        for c in 0..<v.columns {
            var full = [Double](repeating: 0, count: (1 << l) * n)
            for (k, s) in h.basis.states.enumerated() { for a in 0..<n { full[Int(s) * n + a] = v[k * n + a, c] } }
            for i in 0..<l {
                worst = max(worst, abs(purity(magnetization: mags[c][i]) - Self.partialTracePurity(full, sites: l, block: n, site: i)))
            }
        }
        #expect(worst < 1e-12)
        // The ED layer's diagonal expectation agrees with siteMagnetizations.
        for i in 0..<l {
            let e = h.basis.diagonalExpectation(v, blockDimension: n) { s in Double((s >> UInt64(i)) & 1) - 0.5 }
            for c in 0..<v.columns { #expect(abs(e[c] - mags[c][i]) < 1e-12) }
        }
    }

    @Test func eq5FailsForAStateMixingSectors() {
        // (|↑↓⟩ + |↓↑⟩)/√2 ⊗ e_0 is in one sector; (|↑↑⟩ + |↑↓⟩)/√2 is not: on site 1 it has
        // m = 0 but Tr ρ² = 1, while Eq. (5) gives ½.
        let inv = 1 / 2.0.squareRoot()
        var psi = [Double](repeating: 0, count: 4)
        psi[0b11] = inv; psi[0b01] = inv
        #expect(abs(Self.partialTracePurity(psi, sites: 2, block: 1, site: 1) - 1) < 1e-15)
        #expect(abs(purity(magnetization: 0) - 0.5) < 1e-15)
    }

    @Test func windowSampleSumsAndCorrelation() throws {
        let m = Self.model(sites: 6, bubble: 3)
        let s = try WindowSample.measure(m, count: 10)
        #expect(s.states == 10 && s.sumM2.count == 6)
        #expect(s.meanGapRatio > 0 && s.meanGapRatio < 1)
        // C(0) = 1 by definition.
        let c = purityCorrelation([s, s])
        #expect(abs(c[0] - 1) < 1e-9)
        let values = try WindowSample.measure(m, count: 10, vectors: false)
        #expect(abs(values.meanGapRatio - s.meanGapRatio) < 1e-9)
    }
}

@Suite("ergodic-inclusion: locator expansion (SM Sec. E)")
struct LocatorPurityTests {
    @Test func derivedSecondOrderMatchesTwoSiteExact() {
        // Two sites, one domain wall: ⟨σ^z_0⟩² = Δh²/(Δh² + J²) exactly, 1 − P = J²/(Δh² + J²).
        let j = 0.5, h = [1.3, -2.1]
        let dh = h[1] - h[0]
        let exact = j * j / (dh * dh + j * j)
        let derived = LocatorPurity.derived([1, -1], h: h, j: j, jz: 0, site: 0)
        #expect(abs(derived - j * j / (dh * dh)) < 1e-15)
        #expect(abs(derived / exact - 1) < 2 * j * j / (dh * dh))
    }

    @Test func printedFormsAreEightAndSixteenTimesTheDerivedAtJzZero() {
        let e = [1, 1, -1, 1, 1], h = [0.3, -4.0, 2.5, 7.1, -1.2], j = 0.5
        let d = LocatorPurity.derived(e, h: h, j: j, jz: 0, site: 2)
        #expect(abs(LocatorPurity.eq21(e, h: h, j: j, site: 2) / d - 8) < 1e-12)
        #expect(abs(LocatorPurity.eq19(e, h: h, j: j, jz: 0, site: 2) / d - 8) < 1e-12)
        // Z_i = −2η_i Σ|a|² derived, i.e. −η_i(1 − P_i)/2.
        #expect(abs(LocatorPurity.eq16(e, h: h, j: j, jz: 0, site: 2) / (-0.5 * Double(e[2]) * d) - 16) < 1e-12)
    }

    @Test func strongDisorderEDAgreesWithDerivedForm() throws {
        var rng = RandomStream(seed: 3, label: "locator", realization: 0)
        let s = try PerturbativePuritySample.measure(sites: 8, disorder: 40, anisotropy: 1, cutoff: 0.15, &rng)
        #expect(s.pairs > 50)
        #expect(abs(s.derived - 1) < 0.05)
        #expect(abs(s.eq19 - 0.125) < 0.01)
    }
}

@Suite("ergodic-inclusion: sector correlation (SM Sec. E, Eq. (23))")
struct SectorCorrelationTests {
    /// Brute force over all 2^L states, keeping those with N up spins.
    static func bruteForce(sites l: Int, i: Int, j: Int) -> Double {
        var n = 0.0, ab = 0.0, cd = 0.0, abcd = 0.0
        for s in 0..<(1 << l) where s.nonzeroBitCount == l / 2 {
            func e(_ k: Int) -> Double { (s >> (k % l)) & 1 == 1 ? 1 : -1 }
            let x = e(i) * e(i + 1), y = e(j) * e(j + 1)
            n += 1; ab += x; cd += y; abcd += x * y
        }
        return abcd / n - (ab / n) * (cd / n)
    }

    @Test(arguments: [6, 8, 10, 12]) func enumerationMatchesBruteForceAndClosedForm(_ l: Int) {
        let e = SectorCorrelation.enumerate(sites: l, upSpins: l / 2, i: 0, j: l / 2)
        #expect(abs(e - Self.bruteForce(sites: l, i: 0, j: l / 2)) < 1e-14)
        #expect(abs(e / SectorCorrelation.closedForm(sites: l) - 1) < 1e-12)
    }
}

@Suite("ergodic-inclusion: purity excess (Eq. (5), ETH/RMT)")
struct ExcessPurityTests {
    @Test func randomVectorsGiveOneOverDPlusTwo() throws {
        // L = 8, d = 70: the random-vector average over K = 17 vectors and 8 sites, 40 draws.
        var sum = 0.0, sum2 = 0.0
        let n = 40
        for k in 0..<n {
            var rng = RandomStream(seed: 11, label: "excess", realization: UInt64(k))
            let s = try ExcessPuritySample.measure(sites: 8, disorder: 0.5, states: 40, &rng)
            #expect(s.dimension == 70)
            #expect(s.eigenstates > 0 && s.eigenstatesCentre > 0)
            sum += s.randomVectors; sum2 += s.randomVectors * s.randomVectors
        }
        let mean = sum / Double(n), se = ((sum2 / Double(n) - mean * mean) / Double(n - 1)).squareRoot()
        #expect(abs(mean - 1.0 / 72) < 4 * se, "mean \(mean) ± \(se) vs 1/72")
    }
}

@Suite("ergodic-inclusion: Eq. (5) identity measurement")
struct PurityIdentitySampleTests {
    @Test func holdsInTheSectorAndFailsWhenSzIsBroken() throws {
        var rng = RandomStream(seed: 5, label: "identity", realization: 0)
        let s = try PurityIdentitySample.measure(sites: 4, bubble: 2, beta: 0.6, coupling: 1, disorder: 3, breaking: 0.1, &rng)
        #expect(s.withBubble < 1e-12 && s.bare < 1e-12)
        #expect(s.broken > 1e-6)
    }
}

@Suite("ergodic-inclusion: residual purity correlation (SM Sec. E, Eqs. (22), (23))")
struct ResidualPurityCorrelationTests {
    @Test func farPairsAreInteriorAndAtLeastTheMinimumDistanceApart() {
        let p = PurityMoments.farPairs(sites: 10, minimumDistance: 5)
        #expect(p.map { [$0.0, $0.1] } == [[1, 6], [1, 7], [1, 8], [2, 7], [2, 8], [3, 8]])
        #expect(PurityMoments.farPairs(sites: 8, minimumDistance: 5).map { [$0.0, $0.1] } == [[1, 6]])
        #expect(PurityMoments.farPairs(sites: 6, minimumDistance: 5).isEmpty)
    }

    /// Two realizations of three "states" on four sites, far pair (1, 2): the estimators
    /// against the covariances written out by hand.
    @Test func estimatorsMatchHandComputedCovariances() {
        let pairs = [(1, 2)]
        let a: [[Double]] = [[0, 1, 0, 0], [0, 0.5, 0.5, 0], [0, 0, 1, 0]]
        let b: [[Double]] = [[0, 1, 1, 0], [0, 1, 1, 0], [0, 0.5, 0, 0]]
        let ma = PurityMoments(purities: a, farPairs: pairs), mb = PurityMoments(purities: b, farPairs: pairs)
        // within a: means 1/2, 1/2; E[P1 P2] = 0.25/3 → cov = 1/12 − 1/4 = −1/6
        #expect(abs(ma.farWithinCovariance - (-1.0 / 6)) < 1e-15)
        // within b: means 5/6, 2/3; E[P1 P2] = 2/3 → cov = 2/3 − 5/9 = 1/9
        #expect(abs(mb.farWithinCovariance - 1.0 / 9) < 1e-15)
        let e = ResidualCorrelationEstimate([ma, mb], farPairs: pairs)
        #expect(abs(e.covariance - (-1.0 / 6 + 1.0 / 9) / 2) < 1e-15)
        // pooled over six states: P1 = 1, .5, 0, 1, 1, .5; P2 = 0, .5, 1, 1, 1, 0
        let p1 = [1, 0.5, 0, 1, 1, 0.5], p2 = [0, 0.5, 1, 1, 1, 0.0]
        func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }
        let c12 = mean(zip(p1, p2).map { $0 * $1 }) - mean(p1) * mean(p2)
        let v1 = mean(p1.map { $0 * $0 }) - mean(p1) * mean(p1), v2 = mean(p2.map { $0 * $0 }) - mean(p2) * mean(p2)
        // interior sites 1, 2: the variance is their mean
        #expect(abs(e.variance - (v1 + v2) / 2) < 1e-15)
        #expect(abs(e.pooledPearson - c12 / ((v1 + v2) / 2)) < 1e-15)
        #expect(abs(e.pearson - e.covariance / e.variance) < 1e-15)
        // the jackknife replica without b is a alone
        let onlyA = ResidualCorrelationEstimate([ma, mb], farPairs: pairs, excluding: 1)
        #expect(onlyA == ResidualCorrelationEstimate([ma], farPairs: pairs))
    }

    /// One wall between two sites: the two-level result ⟨σ^z⟩² = ε²/(ε² + J²), the exact
    /// purity of the two-site chain (hopping J/2 between |↑↓⟩ and |↓↑⟩, splitting ε = h_0 − h_1).
    @Test func locatorWallIsTheExactTwoSitePurity() throws {
        let h = [0.7, -0.4]
        let p = LocatorEnsemble.purities(state: 0b01, fields: h, anisotropy: 0)
        let eps = h[0] - h[1]
        #expect(abs(p[0] - eps * eps / (eps * eps + 1)) < 1e-15 && abs(p[1] - p[0]) < 1e-15)
        let ham = try BubbleChain(fields: h, anisotropy: 0).hamiltonian()
        let v = try ham.diagonalize(.all).vectors!
        for m in siteMagnetizations(vectors: v, basis: ham.basis, blockDimension: 1) {
            #expect(abs(4 * m[0] * m[0] - p[0]) < 1e-12)
        }
        // no wall: purity 1
        #expect(LocatorEnsemble.purities(state: 0b11, fields: h, anisotropy: 0) == [1, 1])
    }

    /// At strong disorder the far-pair covariance of ED agrees with the locator ensemble on
    /// the same fields (the consistency the claim checks at the headline).
    @Test func strongDisorderEDMatchesLocatorCovariance() throws {
        var rng = RandomStream(seed: 7, label: "test.residual", realization: 0)
        var samples = [ResidualCorrelationSample]()
        for _ in 0..<60 { samples.append(try ResidualCorrelationSample.measure(sites: 10, disorder: 40, anisotropy: 1, minimumDistance: 5, &rng)) }
        let pairs = PurityMoments.farPairs(sites: 10, minimumDistance: 5)
        let ed = ResidualCorrelationEstimate(samples.map(\.ed), farPairs: pairs)
        let loc = ResidualCorrelationEstimate(samples.map(\.locator), farPairs: pairs)
        #expect(abs(ed.variance / loc.variance - 1) < 0.1)
        #expect(ed.covariance > 0 && loc.covariance > 0)
    }
}
