import Foundation
import Testing
@testable import MFAvalanche

@Suite("mf-avalanche: fits of the η(g) limits", .tags(.kernel))
struct EtaLimitFitTests {
    /// Synthetic η with the structure of (A27)'s expansion: Y = 4gL + A₁g + E₂g², η = 2 log(1 + Y).
    /// The implied forms return a = 8 to the size of the neglected terms; the generic 1/L form
    /// is biased by the g L term it lacks; a form fitted to a = 4 data returns 4.
    @Test("small-g forms recover the leading coefficient of a synthetic η")
    func smallG() throws {
        let g = stride(from: -10.0, through: -4.0, by: 0.25).map { pow(10, $0) }
        for (a, a1) in [(8.0, -6.9), (4.0, -3.0)] {
            let y = g.map { a / 2 * $0 * log(1 / $0) + a1 * $0 + 5 * $0 * $0 }
            let eta = y.map { 2 * log1p($0) }
            let k = try EtaLimitFits.smallG(g: g, eta: eta, kernelExcess: y, form: .kernelExcess)
            #expect(abs(k.a - a) < 1e-9, "kernel-excess form: \(k.a)")
            #expect(abs(2 * k.coefficients[1] - 2 * a1) < 1e-6)
            let e = try EtaLimitFits.smallG(g: g, eta: eta, kernelExcess: y, form: .etaImplied)
            #expect(abs(e.a - a) < 1e-5, "η implied form: \(e.a)")
            for f in [EtaLimitFits.SmallForm.inverseLog, .inverseLogSquared, .inverseLogAndG] {
                let r = try EtaLimitFits.smallG(g: g, eta: eta, kernelExcess: y, form: f)
                #expect(abs(r.a - a) < 0.05 * a, "\(f): \(r.a)")
            }
        }
        // Too few points for the parameters: a clear error.
        #expect(throws: EtaLimitFits.FitError.self) {
            try EtaLimitFits.smallG(g: [1e-6, 1e-5, 1e-4], eta: [1, 1, 1], kernelExcess: [1, 1, 1], form: .etaImplied)
        }
    }

    @Test("large-g forms recover the exponent of C g^{-p}(1 − r g⁻²); the g⁻⁴ log g rival reads lower")
    func largeG() throws {
        let g = stride(from: 0.5, through: 2.5, by: 0.125).map { pow(10, $0) }
        for p in [4.0, 2.0] {
            let d = g.map { 1.5e-4 * pow($0, -p) * (1 - 0.05 / ($0 * $0)) }
            let r = try EtaLimitFits.largeG(g: g, deficit: d, form: .impliedTwo)
            #expect(abs(r.p - p) < 1e-5 && abs(r.c / 1.5e-4 - 1) < 1e-4, "p = \(r.p), C = \(r.c)")
            #expect(abs(try EtaLimitFits.largeG(g: g, deficit: d, form: .pureLaw).p - p) < 0.01)
        }
        let c = try EtaLimitFits.largeGCoefficient(g: g, deficit: g.map { 2e-4 / pow($0, 4) * (1 + 0.1 / ($0 * $0)) })
        // log(1 + 0.1g⁻²) is linear in g⁻² only to O(g⁻⁴·0.005): bias ~10⁻⁹.
        #expect(abs(c / 2e-4 - 1) < 1e-8)
        let rival = try EtaLimitFits.largeG(g: g, deficit: g.map { log($0) / pow($0, 4) }, form: .implied)
        #expect(rival.p > 3.5 && rival.p < 3.9)
    }
}

@Suite("mf-avalanche: single-spin forms at tiny g", .tags(.kernel))
struct TinyCouplingTests {
    /// Below 10⁻¹⁵⁰ the forms switch to their exact leading terms Aπg; across the switch they
    /// agree to the O(g log g) corrections, and a subnormal coupling (0.3⁶⁰⁰·0.5) works.
    @Test("[S] and 1 − C̄ continue as 2πg below the quadrature's range")
    func asymptote() throws {
        let d = try #require(SharedEta.distribution)
        let f = SingleSpinForms(d)
        let above = try f.meanEntropy(reducedCoupling: 1.01e-150).value / 1.01e-150
        let below = try f.meanEntropy(reducedCoupling: 0.99e-150).value / 0.99e-150
        #expect(abs(above / below - 1) < 1e-10 && abs(below - 2 * Double.pi) < 1e-12)
        let c = try f.autocorrelatorDeficit(reducedCoupling: 1.01e-150).value / 1.01e-150
        #expect(abs(c / (2 * Double.pi) - 1) < 1e-10)
        let tiny = 0.5 * pow(0.3, 600)
        #expect(try f.meanEntropy(reducedCoupling: tiny).value > 0)
        #expect(throws: ScaleOutOfRange.self) { try ResonanceQuadratureRule(d, scale: Double.leastNormalMagnitude / 16) }
    }
}

@Suite("mf-avalanche: the shared η interpolant", .tags(.kernel))
struct SharedInterpolantTests {
    /// The claims' interpolant (step 0.2) against direct order-8 quadrature at mid-node points.
    @Test("MFReference.eta() is within 5·10⁻⁶ of direct quadrature")
    func accuracy() throws {
        let ip = try MFReference.eta()
        let direct = EntropicEnhancement(try MFReference.distribution(.printed), order: 8)
        var worst = 0.0
        for u in stride(from: log(1e-12) + 0.1, through: log(1e3), by: 2.9) {
            let g = exp(u), e = try direct.evaluate(g)
            worst = max(worst, g > 1.6 ? abs(ip.deficit(g) / e.deficit - 1) : abs(ip.eta(g) / e.eta - 1))
        }
        #expect(worst < 5e-6, "worst relative error \(worst)")
    }
}
