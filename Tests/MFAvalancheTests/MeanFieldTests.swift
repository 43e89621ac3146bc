import Foundation
import Kernels
import Special
import Testing
@testable import MFAvalanche

/// A closed-form stand-in for η (increasing, 0 → log 2) for solver tests that must not
/// depend on the table.
struct ToyEnhancement: EnhancementFunction {
    func eta(_ g: Double) -> Double { log(2.0) * (1 - exp(-3 * g)) }
    func derivative(_ g: Double) -> Double { 3 * log(2.0) * exp(-3 * g) }
}

@Suite("mf-avalanche: mean-field solver (11)/(13) and the symmetric threshold (21)–(22)", .tags(.kernel))
struct MeanFieldTests {
    @Test("N = 1: g₁ = g₁,₀ (no other spin); η_tot = η(g₁,₀)")
    func singleSpin() throws {
        let s = try MeanFieldSolver().solve(bare: [0.3], eta: ToyEnhancement())
        #expect(s.couplings == [0.3])
        #expect(s.totalEnhancement == ToyEnhancement().eta(0.3))
    }

    /// N = 2 reduces to one scalar equation g₁ = g₁,₀ exp(η(g₂,₀ e^{η(g₁)/2})/2): its least root
    /// (scan up from g₁,₀ to the first sign change, then Brent) against the iteration.
    @Test("N = 2 against the scalar reduction solved by Brent")
    func twoSpins() throws {
        for eta in [ToyEnhancement() as any EnhancementFunction] + (SharedEta.interpolant.map { [$0] } ?? []) {
            for (g10, g20) in [(0.05, 0.02), (0.4, 0.3), (2.0, 0.01)] {
                let sol = try MeanFieldSolver().solve(bare: [g10, g20], eta: eta)
                let f: (Double) -> Double = { g1 in g10 * exp(0.5 * eta.eta(g20 * exp(0.5 * eta.eta(g1)))) - g1 }
                var lo = g10, hi = g10 * 1.01
                while f(hi) > 0 { lo = hi; hi *= 1.01 }
                let g1 = try Solve1D.root(f, bracket: lo, hi, relativeTolerance: 1e-14)
                #expect(abs(sol.couplings[0] / g1 - 1) < 1e-10)
                #expect(abs(sol.couplings[1] / (g20 * exp(0.5 * eta.eta(g1))) - 1) < 1e-10)
                #expect(sol.residual < 1e-11)
                // The paper's remark after (9): g₂ ≥ g₂,₀ e^{η(g₁,₀)/2} (beyond the one-sided enhancement).
                #expect(sol.couplings[1] >= g20 * exp(0.5 * eta.eta(g10)))
            }
        }
    }

    @Test("symmetric couplings: the vector iteration equals the scalar equation with M = N − 1")
    func symmetricConsistency() throws {
        let eta = ToyEnhancement()
        let n = 7, g0 = 0.02
        let sol = try MeanFieldSolver().solve(bare: [Double](repeating: g0, count: n), eta: eta)
        let g = try #require(SymmetricCoupling.leastSolution(bare: g0, spins: n, convention: .selfConsistent, eta: eta))
        #expect(sol.couplings.allSatisfy { abs($0 / g - 1) < 1e-11 })
        let printed = try #require(SymmetricCoupling.leastSolution(bare: g0, spins: n, convention: .printed, eta: eta))
        #expect(printed > g * (1 + 1e-6))     // (21) as printed counts N, not N − 1, spins
    }

    @Test("damping changes the path, not the fixed point; non-convergence and bad input throw")
    func dampingAndErrors() throws {
        let eta = ToyEnhancement()
        let bare = (0..<12).map { 0.3 * pow(0.8, Double($0)) }
        let a = try MeanFieldSolver().solve(bare: bare, eta: eta)
        let b = try MeanFieldSolver(damping: 0.5).solve(bare: bare, eta: eta)
        #expect(zip(a.couplings, b.couplings).allSatisfy { abs($0 / $1 - 1) < 1e-10 })
        #expect(b.iterations > a.iterations)
        #expect(throws: MeanFieldSolver.SolverError.self) { try MeanFieldSolver(maxIterations: 2).solve(bare: bare, eta: eta) }
        #expect(throws: MeanFieldSolver.SolverError.self) { try MeanFieldSolver().solve(bare: [0.1, .nan], eta: eta) }
        #expect(throws: MeanFieldSolver.SolverError.self) { try MeanFieldSolver().solve(bare: [0.1, -1], eta: eta) }
        // Zero couplings stay zero.
        let z = try MeanFieldSolver().solve(bare: [0.2, 0, 0.1], eta: eta)
        #expect(z.couplings[1] == 0 && z.enhancements[1] == 0)
    }

    /// The fold of (21): just below g_c the least solution is localized (η_tot = O(1)); just
    /// above, the iteration runs to the thermal branch (η_tot → N log 2).
    @Test("symmetric threshold: localized below g_c, thermal above; no fold for M·max gη′ ≤ 2")
    func threshold() throws {
        let eta = try #require(SharedEta.interpolant)
        let peak = try SymmetricCoupling.peakLogDerivative(eta)
        #expect(peak.value > 0 && peak.value < 1)
        for n in [30, 300] {
            let c = try #require(try SymmetricCoupling.criticalCoupling(spins: n, convention: .selfConsistent, eta: eta))
            let below = try MeanFieldSolver().solve(bare: [Double](repeating: 0.98 * c.gc, count: n), eta: eta)
            let above = try MeanFieldSolver().solve(bare: [Double](repeating: 1.02 * c.gc, count: n), eta: eta)
            #expect(below.totalEnhancement < 0.5 * Double(n) * log(2.0))
            #expect(above.totalEnhancement > 0.9 * Double(n) * log(2.0))
            #expect(below.couplings[0] < c.gStar * 1.0001)
        }
        // No fold when M · max gη′ ≤ 2.
        let mMin = Int((2 / peak.value).rounded(.down))
        #expect(try SymmetricCoupling.criticalCoupling(spins: mMin, convention: .printed, eta: eta) == nil)
        #expect(try SymmetricCoupling.criticalCoupling(spins: mMin + 1, convention: .printed, eta: eta) != nil)
    }
}

@Suite("mf-avalanche: DRH mean-field helpers", .tags(.kernel))
struct DRHHelperTests {
    @Test("bare couplings (12); the half-entropy crossing interpolates linearly")
    func helpers() {
        #expect(drhBareCouplings(first: 0.5, alpha: 0.5, spins: 3) == [0.5, 0.25, 0.125])
        #expect(MeanFieldSolution.crossing([0.7, 0.6, 0.2, 0.1], below: 0.4) == 2.5)
        #expect(MeanFieldSolution.crossing([0.1], below: 0.4) == 1)
        #expect(MeanFieldSolution.crossing([0.7, 0.6], below: 0.4) == nil)
    }
}

extension DRHHelperTests {
    /// Couplings near the bottom of the double range (0.3⁹⁹⁹ ≈ 10⁻⁵²² underflows to 0,
    /// 0.3⁶⁰⁰ is subnormal): the iteration runs in log g and still converges.
    @Test("the solver converges with subnormal and underflowed bare couplings")
    func subnormal() throws {
        let s = try MeanFieldSolver().solve(bare: drhBareCouplings(first: 0.5, alpha: 0.3, spins: 1000), eta: ToyEnhancement())
        #expect(s.iterations < 100)
        #expect(s.residual < 1e-12)
    }
}

extension DRHHelperTests {
    /// The full tier of critical-alpha trapped here: Brent's upper bracket α = 0.99 at N = 3000
    /// thermalizes the whole chain, log g_N = log ½ + (N − 1)(log α + ½ log 2) ≈ 1009 > 709.78,
    /// so g_N overflows to +∞ (failed-avalanche-size hits the same overflow at δα = −0.001,
    /// N = 40 000, where the failed bubble's η_tot ≈ 1650 nats lifts g₁ to e^{825}). The
    /// single-spin forms then trapped on a non-finite quadrature scale.
    @Test("couplings beyond the double range: thermal DRH chain N = 3000, α = 0.99 (the full-tier crash)")
    func overflowingCouplings() throws {
        let eta = try #require(SharedEta.interpolant), d = try #require(SharedEta.distribution)
        let mf = DRHMeanField(eta: eta, forms: SingleSpinForms(d))
        let n = 3000
        let s = try mf.solve(alpha: 0.99, firstCoupling: 0.5, spins: n)
        #expect(s.residual < 1e-11)
        #expect(s.logCouplings.allSatisfy { $0.isFinite })
        // Fully thermal: every η = log 2 to the last bit beyond g ≈ 10⁴, so log g_N is the
        // closed form up to the few spins at the chain's start that are not yet saturated.
        let closed = log(0.5) + Double(n - 1) * (log(0.99) + 0.5 * log(2.0))
        #expect(abs(s.logCouplings[n - 1] - closed) < 1)
        #expect(s.logCouplings[n - 1] > log(Double.greatestFiniteMagnitude))
        #expect(s.couplings[n - 1] == .infinity)
        #expect(abs(s.totalEnhancement / (Double(n) * log(2.0)) - 1) < 1e-3)
        // [S_N] = log 2 exactly (the correction m₂/(8g²) is below 10⁻³⁰⁰), and every [S_n] is a
        // number in [0, log 2].
        #expect(try mf.endEntropyFraction(alpha: 0.99, firstCoupling: 0.5, spins: n) == 1)
        let ent = try mf.entropies(s)
        #expect(ent.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= log(2.0) })
        #expect(ent.filter { $0 == log(2.0) }.count > n / 2)
    }
}

extension DRHHelperTests {
    /// The second full-tier defect: g_{N,0} = ½α^{N−1} underflows to 0 for N ≳ 2100 near α_c
    /// (log g_{3000,0} ≈ −1040), so the end spin dropped out and [S_end] jumped from 0 to log 2
    /// where the *bare* coupling became representable (α ≈ 0.7803 at N = 3000) instead of at
    /// the crossover. With log bare couplings (α_½ − 1/√2)·N continues the N = 300, 1000
    /// values −1.2298, −1.2287 (drift ≈ 10⁻³ per decade; ±0.01 allowed); the underflowed
    /// chain gave +219.
    @Test("DRH chain beyond the double range: N = 3000 crossover at 1/√2 − 1.228/N, log bare couplings")
    func underflowingBareCouplings() throws {
        let eta = try #require(SharedEta.interpolant), d = try #require(SharedEta.distribution)
        let mf = DRHMeanField(eta: eta, forms: SingleSpinForms(d))
        let n = 3000
        let lb = drhLogBareCouplings(first: 0.5, alpha: 0.7, spins: n), b = drhBareCouplings(first: 0.5, alpha: 0.7, spins: n)
        #expect(lb.allSatisfy { $0.isFinite })
        #expect(zip(b, lb).allSatisfy { $0 < Double.leastNormalMagnitude || log($0) == $1 })
        #expect(abs(lb[n - 1] - (log(0.5) + Double(n - 1) * log(0.7))) < 1e-9)
        let half = try mf.crossing(level: 0.5, firstCoupling: 0.5, spins: n)
        #expect(abs((half - 1 / 2.0.squareRoot()) * Double(n) + 1.2285) < 0.01, "α_½ = \(half)")
    }
}
