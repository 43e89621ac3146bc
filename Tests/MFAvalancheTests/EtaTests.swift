import Foundation
import Kernels
import Special
import Testing
@testable import MFAvalanche

/// Shared, built once per process: η from the committed table, interpolated (nodes by the
/// order-4 rule: |η₄ − η₈|/η ≤ 3·10⁻¹⁰ over g ∈ [10⁻¹², 10³], measured).
enum SharedEta {
    static let table: ResonanceNormTable? = try? ResonanceNormTable.load()
    static let distribution: TabulatedResonanceDistribution? = try? table?.distribution()
    static let interpolant: EtaInterpolant? = {
        guard let d = distribution else { return nil }
        return try? EtaInterpolant(EntropicEnhancement(d, order: 4), jobs: 2)
    }()
}

/// K(g, g′) evaluated naively (for Monte Carlo).
private func kernel(_ g: Double, _ gp: Double) -> Double {
    let p = TwoLevelResonance.partnerWeight(g), pp = TwoLevelResonance.partnerWeight(gp)
    return (p * pp + (1 - p) * (1 - pp)).squareRoot() + (p * (1 - pp) + (1 - p) * pp).squareRoot()
}

@Suite("mf-avalanche: η(g) of (A27)", .tags(.kernel))
struct EtaTests {
    /// Poisson-level p̃ has an exact sampler, X = √(2π)/|Z|: a direct Monte Carlo average of K
    /// over independent pairs against the product Gauss–Legendre rule.
    @Test("η quadrature equals a direct Monte Carlo average (Poisson-level p̃, exact sampler)")
    func monteCarloPoisson() throws {
        let eta = EntropicEnhancement(PoissonLevelDistribution())
        for (k, g) in [0.02, 0.3, 3].enumerated() {
            var rng = RandomStream(seed: 11, label: "mf-eta-mc", realization: UInt64(k))
            let n = 400_000
            let ks = (0..<n).map { _ -> Double in
                let x = (2 * Double.pi).squareRoot() / abs(rng.normal()), xp = (2 * Double.pi).squareRoot() / abs(rng.normal())
                return kernel(g * x, g * xp)
            }
            let s = SampleSummary(ks)
            let mc = 2 * log(s.mean), se = 2 * s.standardError / s.mean
            let q = try eta.evaluate(g)
            #expect(abs(mc - q.eta) < 4 * se, "g = \(g): MC \(mc) ± \(se), quadrature \(q.eta) ± \(q.quadratureError)")
            #expect(q.quadratureError < 1e-10)
        }
    }

    /// The same against the sampled table, sampling the table by its quantile function.
    @Test("η quadrature on the sampled table equals Monte Carlo by inverse-CDF sampling")
    func monteCarloTable() throws {
        let d = try #require(SharedEta.distribution)
        let eta = EntropicEnhancement(d)
        for (k, g) in [0.05, 0.5].enumerated() {
            var rng = RandomStream(seed: 12, label: "mf-eta-mc-table", realization: UInt64(k))
            let n = 150_000
            let ks = (0..<n).map { _ in kernel(g * d.quantile(rng.uniform()), g * d.quantile(rng.uniform())) }
            let s = SampleSummary(ks)
            let mc = 2 * log(s.mean), se = 2 * s.standardError / s.mean
            let q = try eta.evaluate(g)
            #expect(abs(mc - q.eta) < 4 * se, "g = \(g): MC \(mc) ± \(se), quadrature \(q.eta)")
        }
    }

    /// An independent GSL evaluation: nested adaptive QAGIU (inner and outer over x ∈ (0, ∞)).
    @Test("η product rule equals nested GSL QAGIU (Poisson-level p̃)")
    func nestedQAGS() throws {
        let p = PoissonLevelDistribution()
        for g in [0.01, 0.4] {
            let outer = try Quadrature.integrate({ x in
                let inner = (try? Quadrature.integrate({ xp in p.density(xp) * kernel(g * x, g * xp) }, from: 0,
                                                       relativeTolerance: 1e-11).value) ?? .nan
                return p.density(x) * inner
            }, from: 0, relativeTolerance: 1e-10).value
            let q = try EntropicEnhancement(p).evaluate(g)
            #expect(abs(2 * log(outer) - q.eta) < 1e-8, "g = \(g): nested \(2 * log(outer)), rule \(q.eta)")
        }
    }

    /// Small g: η = −8g log g + b₁g + O(g² log² g) with, for any p̃ with tail 2/x²,
    /// b₁ = 8(log 2 − 1) + 4μ + 2D, μ = lim(E[X; X<L] − 2 log L), D = E[√(X²+X′²) − X − X′].
    /// Poisson levels: μ = −γ − log π, D = −4 log 2, so b₁ = −8 − 4γ − 4 log π = −14.8878.
    /// Large g: log 2 − η = E[X⁻²]²/(64g⁴) − E[X⁻²]E[X⁻⁴]/(128g⁶) + O(g⁻⁸).
    @Test("η limits: −8g log g + b₁g (b₁ analytic) and log 2 − m₂²/(64g⁴) (Poisson-level p̃)")
    func limitsPoisson() throws {
        let eta = EntropicEnhancement(PoissonLevelDistribution())
        let b1 = -8 - 4 * 0.5772156649015329 - 4 * log(Double.pi)
        for g in [1e-12, 1e-10] {
            let e = try eta.evaluate(g)
            let slope = (e.eta + 8 * g * log(g)) / g
            // Next term −16 g log²g: 1e-10·16·530 < 1e-6.
            #expect(abs(slope - b1) < 2e-6, "g = \(g): (η + 8g log g)/g = \(slope), b₁ = \(b1)")
        }
        let m2 = PoissonLevelDistribution.inverseSquareMoment, m4 = PoissonLevelDistribution.inverseFourthMoment
        for g in [30.0, 100] {
            let e = try eta.evaluate(g)
            let predicted = m2 * m2 / (64 * pow(g, 4)) - m2 * m4 / (128 * pow(g, 6))
            #expect(abs(e.deficit / predicted - 1) < 1e-5, "g = \(g): deficit \(e.deficit), predicted \(predicted)")
        }
        // Control: the leading coefficient 4 (the (A15) tail g₁/g²) is excluded at g = 1e-10.
        let e = try eta.evaluate(1e-10)
        #expect(abs((e.eta + 4 * 1e-10 * log(1e-10)) / 1e-10 - b1) > 50)
    }

    @Test("η from the table: increasing, 0 < η < log 2, −8g log g leading, interpolant accurate")
    func tableEta() throws {
        let ip = try #require(SharedEta.interpolant)
        // Increasing: η on g ≤ 1, and the deficit log 2 − η decreasing above (η itself
        // rounds to log 2 there).
        var prev = 0.0, prevDeficit = Double.infinity
        for u in stride(from: log(1e-16), through: log(1e5), by: 0.37) {
            let g = exp(u)
            #expect(ip.derivative(g) > 0)
            if g <= exp(0.5) {
                let v = ip.eta(g)
                #expect(v > prev && v < log(2.0))
                prev = v
            } else {
                let d = ip.deficit(g)
                #expect(d > 0 && d < prevDeficit)
                prevDeficit = d
            }
        }
        // Small-g coefficient of g log(1/g): (η(g) − η(g/10))... fit-free check: the ratio
        // η/(−8g log g) → 1 like 1 + b₁/(−8 log g).
        let g = 1e-12, e = ip.eta(g)
        #expect(abs(e / (-8 * g * log(g)) - (1 + ip.smallGSlope / (-8 * log(g)))) < 1e-6)
        // Interpolation error at half-way points, across the range (relative, on η for
        // g ≤ 1 and on log 2 − η above).
        var worst = 0.0
        for u in stride(from: log(1e-13) + 0.05, through: log(1e3), by: 2.3) {
            worst = max(worst, try ip.interpolationError(at: exp(u)))
        }
        #expect(worst < 1e-6, "max relative interpolation error \(worst)")
        // Order-4 nodes: the half-order estimate is conservative (|η₄ − η₈| ≤ 3e-10 η measured).
        #expect(ip.maxQuadratureError < 1e-7)
    }
}

@Suite("mf-avalanche: single-spin forms (A12)–(A14)", .tags(.kernel))
struct SingleSpinFormTests {
    @Test("[S] → 2πg and 1 − C̄ → 2πg as g → 0 (tail 2/x²); p_S normalized")
    func intermediate() throws {
        let d = try #require(SharedEta.distribution)
        for dist in [d as any ResonanceNormDistribution, PoissonLevelDistribution()] {
            let f = SingleSpinForms(dist)
            let g = 1e-6
            let s = try f.meanEntropy(reducedCoupling: g).value / g
            let c = try f.autocorrelatorDeficit(reducedCoupling: g).value / g
            // Corrections O(g log g) ≈ 1e-5.
            #expect(abs(s - 2 * Double.pi) < 2e-3, "\(dist.name): [S]/g = \(s)")
            #expect(abs(c - 2 * Double.pi) < 2e-3, "\(dist.name): (1 − C)/g = \(c)")
            // Control: the printed slope 2π log 2 is excluded.
            #expect(abs(s - 2 * Double.pi * log(2.0)) > 1)
        }
        // The entropy distribution integrates to the probability of S ∈ (s₁, s₂).
        let f = SingleSpinForms(d)
        let g = 0.2
        // Composite 8-point Gauss–Legendre on 400 pieces (the tabulated density has kinks at
        // the table's nodes, which adaptive QAGS reports as round-off).
        let gl = try Quadrature.gaussLegendre(points: 8, from: 0, to: 1)
        var integral = 0.0
        for k in 0..<400 {
            let a = 0.05 + 0.55 * Double(k) / 400, h = 0.55 / 400
            for i in 0..<8 { integral += h * gl.weights[i] * f.entropyDensity(reducedCoupling: g, entropy: a + h * gl.nodes[i]) }
        }
        #expect(abs(integral - f.entropyProbability(reducedCoupling: g, from: 0.05, to: 0.6)) < 1e-6)
        #expect(abs(f.entropyProbability(reducedCoupling: g, from: 0, to: log(2.0)) - 1) < 1e-12)
        // Strong coupling: [S] → log 2, C̄ → 0.
        #expect(abs(try f.meanEntropy(reducedCoupling: 1e3).value - log(2.0)) < 1e-5)
        #expect(try f.autocorrelator(reducedCoupling: 1e3).value < 1e-5)
    }

    /// Above `asymptoticAbove` (and at g = +∞, an overflowed mean-field coupling) the forms use
    /// [S] = log 2 − m₂/(8g²), C̄ = m₂/(4g²). The quadrature below the switch agrees with the
    /// expansion to its rounding ([S]: m₂/(8g²) < 10⁻²² is below the last bit; the normalized
    /// sum over ~10³ nodes rounds to 1.1–1.2·10⁻¹⁵ above log 2 at g = 10¹⁰ and 5·10⁹⁹, so
    /// 4·10⁻¹⁵) and to 10⁻⁹ relative (C̄: its O(g⁻⁴) term is 10⁻²⁰ relative at g = 10¹⁰); the
    /// factor-2 neighbour m₂/(2g²) is excluded by the same comparison.
    @Test("large g: [S] → log 2 − m₂/(8g²), C̄ → m₂/(4g²), continuous at the switch, exact at g = +∞")
    func largeCoupling() throws {
        let d = try #require(SharedEta.distribution)
        let f = SingleSpinForms(d)
        let m2 = try f.inverseSquareMoment()
        #expect(abs(m2 - 0.09681) < 2e-4)   // E[X⁻²] of the table (design note: 0.09681 ± 0.00005)
        for g in [1e10, 1e100, 0.5 * SingleSpinForms.asymptoticAbove] {
            let s = try f.meanEntropy(reducedCoupling: g)
            #expect(abs(s.value - log(2.0)) < 4e-15, "[S](\(g)) = \(s.value)")
            let c = try f.autocorrelator(reducedCoupling: g).value
            #expect(abs(c / (m2 / 4 / g / g) - 1) < 1e-9, "C̄(\(g)) = \(c)")
            #expect(abs(c / (m2 / 2 / g / g) - 1) > 0.4)
        }
        let above = SingleSpinForms.asymptoticAbove
        #expect(try f.meanEntropy(reducedCoupling: above).value == log(2.0))
        #expect(abs(try f.autocorrelator(reducedCoupling: above).value / (m2 / 4 / above / above) - 1) < 1e-15)
        #expect(try f.meanEntropy(reducedCoupling: .infinity).value == log(2.0))
        #expect(try f.autocorrelator(reducedCoupling: .infinity).value == 0)
        #expect(try f.autocorrelatorDeficit(reducedCoupling: .infinity).value == 1)
    }
}
