import Foundation
import Kernels
import Linalg
import Special
import Testing
@testable import MFAvalanche

extension Tag {
    @Tag static var kernel: Self
}

@Suite("mf-avalanche: two-level resonance forms (A10)–(A14)", .tags(.kernel))
struct TwoLevelResonanceTests {
    @Test("P, Q, S, (P−Q)² against their textbook forms; stable forms agree; S⁻¹ inverts S")
    func forms() {
        for g in [1e-3, 0.1, 0.5, 1, 3, 30] {
            let naiveP = 0.5 * (1 - 1 / (1 + 4 * g * g).squareRoot())
            #expect(abs(TwoLevelResonance.partnerWeight(g) - naiveP) < 1e-14)
            #expect(abs(TwoLevelResonance.halfMinusPartnerWeight(g) - (0.5 - naiveP)) < 1e-14)
            let q = 1 - naiveP
            #expect(abs(TwoLevelResonance.autocorrelatorWeight(g) - (naiveP - q) * (naiveP - q)) < 1e-14)
            #expect(abs(TwoLevelResonance.entropy(g) - (-naiveP * log(naiveP) - q * log(q))) < 1e-13)
            let s = TwoLevelResonance.entropy(g)
            #expect(abs(TwoLevelResonance.norm(forEntropy: s) - g) < 1e-7 * g)
            // Derivative by central differences.
            let h = 1e-5 * g
            let fd = (TwoLevelResonance.entropy(g + h) - TwoLevelResonance.entropy(g - h)) / (2 * h)
            #expect(abs(TwoLevelResonance.entropyDerivative(g) - fd) < 1e-6 * max(1, abs(fd)))
        }
        // Small-g: P ≈ g² with full relative precision.
        #expect(abs(TwoLevelResonance.partnerWeight(1e-9) / 1e-18 - 1) < 1e-12)
        #expect(TwoLevelResonance.entropy(0) == 0)
        #expect(abs(TwoLevelResonance.entropy(1e9) - log(2.0)) < 1e-15)
    }

    @Test("the kernel K of (A24)–(A26): both stable forms equal √(PP′+QQ′) + √(PQ′+QP′)")
    func kernel() {
        for g in [0.05, 0.3, 1, 4] {
            for gp in [0.01, 0.7, 2, 9] {
                let p = TwoLevelResonance.partnerWeight(g), pp = TwoLevelResonance.partnerWeight(gp)
                let k = (p * pp + (1 - p) * (1 - pp)).squareRoot() + (p * (1 - pp) + (1 - p) * pp).squareRoot()
                #expect(abs(TwoLevelResonance.kernelMinusOne(p, pp) - (k - 1)) < 1e-14)
                let d = TwoLevelResonance.halfMinusPartnerWeight(g), dp = TwoLevelResonance.halfMinusPartnerWeight(gp)
                #expect(abs(TwoLevelResonance.oneMinusScaledKernel(d, dp) - (1 - k / 2.0.squareRoot())) < 1e-14)
            }
        }
        // K = 1 with no resonance, √2 with two maximal ones.
        #expect(TwoLevelResonance.kernelMinusOne(0, 0) == 0)
        #expect(TwoLevelResonance.oneMinusScaledKernel(0, 0.5) == 0)
    }

    /// The constants behind (7b): with the tail p ~ A g₁/g², [S] → A g₁ ∫S/g² and
    /// 1 − C̄ → A g₁ ∫(1 − (P − Q)²)/g². Both integrals are π (GSL QAGS + QAGIU), so the
    /// Appendix forms give [S] = 2πg₁ and k = 2π with the tail of (A4) (A = 2), and πg₁, π
    /// with the tail of (A15) (A = 1); (7b) prints 2πg₁ log 2.
    @Test("∫₀^∞ S(g)/g² dg = π and ∫₀^∞ 4/(1 + 4g²) dg = π (the intermediate-regime slopes)")
    func intermediateRegimeIntegrals() throws {
        let s = try Quadrature.integrate({ TwoLevelResonance.entropy($0) / ($0 * $0) }, from: 0, to: 1).value
            + Quadrature.integrate({ TwoLevelResonance.entropy($0) / ($0 * $0) }, from: 1).value
        #expect(abs(s - Double.pi) < 1e-9)
        let c = try Quadrature.integrate({ 4 / (1 + 4 * $0 * $0) }, from: 0).value
        #expect(abs(c - Double.pi) < 1e-10)
        // Control: the printed constant 2π log 2 would need ∫S/g² = π log 2 — excluded.
        #expect(abs(s - Double.pi * log(2.0)) > 0.9)
    }
}

@Suite("mf-avalanche: p̃ densities", .tags(.kernel))
struct ResonanceDistributionTests {
    /// (A3) as printed is not a normalized density: GSL QAGIU gives ∫p̃ = 2/π + 4c₁/π³ +
    /// 4c₂/π⁴ = 1.7803 for c₁ = 5.3, c₂ = 11.2 (the leading term alone: 2/π).
    @Test("(A3) as printed integrates to 1.780, not 1 (GSL QAGIU against the closed form)")
    func printedA3IsNotNormalized() throws {
        let a3 = PrintedA3Distribution()
        let mass = try Quadrature.integrate({ a3.density($0) }, from: 0, to: 1).value
            + Quadrature.integrate({ a3.density($0) }, from: 1).value
        #expect(abs(mass - a3.printedMass) < 1e-9)
        #expect(abs(a3.printedMass - (2 / Double.pi + 4 * 5.3 / pow(Double.pi, 3) + 4 * 11.2 / pow(Double.pi, 4))) < 1e-12)
        #expect(abs(mass - 1.7802683) < 1e-6)
        let leading = PrintedA3Distribution(c1: 0, c2: 0)
        let m0 = try Quadrature.integrate({ leading.density($0) }, from: 0, to: 1).value
            + Quadrature.integrate({ leading.density($0) }, from: 1).value
        #expect(abs(m0 - 2 / Double.pi) < 1e-10)
        // Its closed-form cumulative agrees with quadrature.
        for x in [1.0, 2, 5] {
            let q = try Quadrature.integrate({ a3.density($0) }, from: 0, to: x).value
            #expect(abs(q - a3.cumulative(x)) < 1e-10)
        }
        // The normalized variant is normalized.
        let n = PrintedA3Distribution(normalized: true)
        #expect(abs(n.cumulative(1e12) - 1) < 1e-10)
    }

    @Test("Poisson-level p̃ = 2/x² e^{−π/x²}: normalized, CDF erfc(√π/x), quadrature rule exact")
    func poissonLevels() throws {
        let p = PoissonLevelDistribution()
        let mass = try Quadrature.integrate({ p.density($0) }, from: 0, to: 1).value
            + Quadrature.integrate({ p.density($0) }, from: 1).value
        #expect(abs(mass - 1) < 1e-10)
        for x in [0.5, 1.0, 3, 50, 500] {
            let q = try Quadrature.integrate({ p.density($0) }, from: 0, to: x).value
            #expect(abs(q - p.cumulative(x)) < 1e-10)
        }
        for g in [1e-9, 1e-3, 0.05, 1, 1e3] {
            let rule = try ResonanceQuadratureRule(p, scale: g)
            #expect(abs(rule.mass - 1) < 1e-12)
            // E[X⁻²] = 1/(2π) exactly.
            let m2 = rule.expectation(scale: 1) { 1 / ($0 * $0) }
            #expect(abs(m2 - PoissonLevelDistribution.inverseSquareMoment) < 1e-12)
        }
    }
}

@Suite("mf-avalanche: samplers (gamma, tridiagonal GOE)", .tags(.kernel))
struct SamplerTests {
    @Test("Marsaglia–Tsang gamma against GSL's regularized incomplete gamma (KS)")
    func gamma() throws {
        for a in [0.5, 1, 3.5, 60] {
            var rng = RandomStream(seed: 5, label: "mf-gamma-\(a)")
            let x = (0..<40_000).map { _ in rng.gammaAnyShape(a) }
            let ks = ksTest(x) { v in v <= 0 ? 0 : 1 - ((try? SpecialFunctions.gammaQ(a, v).value) ?? .nan) }
            #expect(ks.pValue > 1e-3, "shape \(a): KS p = \(ks.pValue)")
            let s = SampleSummary(x)
            #expect(abs(s.mean - a) < 5 * s.standardError)
        }
    }

    /// Dumitriu–Edelman β = 1 against the dense GOE of `RandomMatrix.goe`: exact identities
    /// E Σλ² = n(n + 1)/2, and two-sample KS of λ_max and of the middle gap.
    @Test("tridiagonal GOE eigenvalues have the dense GOE's law")
    func tridiagonalGOE() throws {
        let n = 6, m = 3000
        var tri = [[Double]](), dense = [[Double]]()
        for r in 0..<m {
            var a = RandomStream(seed: 9, label: "tri", realization: UInt64(r))
            tri.append(try TridiagonalGOE.eigenvalues(n, &a))
            var b = RandomStream(seed: 9, label: "dense", realization: UInt64(r))
            dense.append(try symmetricEigen(RandomMatrix.goe(n, &b), vectors: false).values)
        }
        let sq = SampleSummary(tri.map { $0.reduce(0) { $0 + $1 * $1 } })
        #expect(abs(sq.mean - Double(n * (n + 1)) / 2) < 4 * sq.standardError)
        #expect(ksTest(tri.map { $0[n - 1] }, dense.map { $0[n - 1] }).pValue > 1e-3)
        #expect(ksTest(tri.map { $0[n / 2] - $0[n / 2 - 1] }, dense.map { $0[n / 2] - $0[n / 2 - 1] }).pValue > 1e-3)
        // Control: a GOE of the wrong size (n + 1) is rejected by the same λ_max test.
        var wrong = [Double]()
        for r in 0..<m { var b = RandomStream(seed: 9, label: "dense+1", realization: UInt64(r))
            wrong.append(try symmetricEigen(RandomMatrix.goe(n + 1, &b), vectors: false).values[n]) }
        #expect(ksTest(tri.map { $0[n - 1] }, wrong).pValue < 1e-6)
    }

    @Test("unfolded levels have unit mean spacing in the sampled window (1/D-corrected semicircle)")
    func unfolding() throws {
        let s = try ResonanceNormSampler()
        var sp = [Double]()
        for r in 0..<60 { var g = RandomStream(seed: 3, label: "spacing", realization: UInt64(r)); sp.append(try s.meanSpacing(&g)) }
        let m = SampleSummary(sp)
        #expect(abs(m.mean - 1) < 4 * m.standardError + 1e-4)
    }
}
