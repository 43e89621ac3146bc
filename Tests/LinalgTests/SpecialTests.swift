import Foundation
import Special
import Testing

@Suite("GSL wrappers: special functions, quadrature, root finding", .tags(.kernel))
struct SpecialTests {
    @Test("ζ(2) = π²/6, ζ(4) = π⁴/90, Hurwitz tail identity, Γ(5) = 24")
    func zeta() throws {
        #expect(abs(try SpecialFunctions.zeta(2).value - Double.pi * Double.pi / 6) < 4e-15)
        #expect(abs(try SpecialFunctions.zeta(4).value - pow(Double.pi, 4) / 90) < 1e-14)
        // Σ_{r=1}^{10} r^{-1.4} = ζ(1.4) − ζ(1.4, 11)
        let direct = (1...10).reduce(0.0) { $0 + pow(Double($1), -1.4) }
        let viaHurwitz = try SpecialFunctions.zeta(1.4).value - SpecialFunctions.hurwitzZeta(1.4, 11).value
        #expect(abs(direct - viaHurwitz) < 1e-12)
        #expect(abs(try SpecialFunctions.gamma(5).value - 24) < 1e-12)
        #expect(throws: GSLError.self) { try SpecialFunctions.zeta(1) }   // the pole is an error, not a number
    }

    @Test("Adaptive quadrature: singular end point, semi-infinite and infinite ranges")
    func quadrature() throws {
        let s = try Quadrature.integrate({ 1 / $0.squareRoot() }, from: 0, to: 1)
        #expect(abs(s.value - 2) < 1e-10 && s.error < 1e-8)
        let g = try Quadrature.integrate({ exp(-$0 * $0) }, from: 0, toInfinity: ())
        #expect(abs(g.value - Double.pi.squareRoot() / 2) < 1e-12)
        let l = try Quadrature.integrateOverRealLine({ 1 / (1 + $0 * $0) })
        #expect(abs(l.value - Double.pi) < 1e-10)
        let (x, w) = try Quadrature.gaussLegendre(points: 20, from: 0, to: Double.pi)
        let integral = zip(x, w).reduce(0.0) { $0 + $1.1 * pow(sin($1.0), 4) }   // ∫₀^π sin⁴ = 3π/8
        #expect(abs(integral - 3 * Double.pi / 8) < 1e-13)
    }

    @Test("Brent root and minimum")
    func solvers() throws {
        #expect(abs(try Solve1D.root({ cos($0) }, bracket: 1, 2) - Double.pi / 2) < 1e-12)
        let m = try Solve1D.minimum({ ($0 - 1.3) * ($0 - 1.3) + 3 }, bracket: 0, 3, guess: 1)
        #expect(abs(m.x - 1.3) < 1e-6 && abs(m.value - 3) < 1e-12)
        #expect(throws: GSLError.self) { try Solve1D.root({ $0 * $0 + 1 }, bracket: -1, 1) }
    }
}
