import Foundation
import Kernels
import Linalg
import Verification

/// The locator expansion of SM Sec. E, Eqs. (9)–(21), for the bubble-less chain.
///
/// Conventions: the supplement's Eq. (9) is H = Σ h_i σ^z_i + J(σ⁺_i σ⁻_{i+1} + h.c.) + J_z σ^z_i σ^z_{i+1};
/// the main text's Eq. (2) with S = σ/2 is the same with J_sup = J/2, J_z = JΔ/4, h_sup = h/2
/// (S⁺ = σ⁺ for spin ½). η_i = ±1 are σ^z eigenvalues; P_i = ⟨σ^z_i⟩² (Eq. (18)), so the
/// single-site purity is γ_i = ½(1 + P_i).
///
/// Every function returns 1 − P_i (or Z_i) of one classical configuration η at site i for an
/// open chain (a neighbour η_j outside 0…L−1 counts as 0; the claim uses interior sites only).
public enum LocatorPurity {
    /// η_j, 0 outside the chain.
    @inline(__always) static func eta(_ e: [Int], _ j: Int) -> Double { j >= 0 && j < e.count ? Double(e[j]) : 0 }

    /// This project's second-order result for the bond (i, i+1): the first-order amplitude is
    /// |⟨η'|Ψ⟩| = J / (2|h_{i+1} − h_i + J_z(η_{i+2} − η_{i−1})|) when η_i ≠ η_{i+1} (E(η) − E(η') =
    /// 2η_i[(h_i − h_{i+1}) + J_z(η_{i−1} − η_{i+2})]), and 1 − P_i = 4 Σ_bonds |amplitude|².
    /// `jzFactor` scales the J_z term of the denominator (1 derived; ½ is what Eq. (12)'s
    /// 4(h_{i+1} − h_i) + 2J_z(…) amounts to).
    public static func bondAmplitude(_ e: [Int], h: [Double], j: Double, jz: Double, bond i: Int, jzFactor: Double = 1) -> Double {
        guard e[i] != e[i + 1] else { return 0 }
        let d = h[i + 1] - h[i] + jzFactor * jz * (eta(e, i + 2) - eta(e, i - 1))
        return j / (2 * abs(d))
    }

    /// 1 − P_i at second order (derived): 4(|a_{i−1,i}|² + |a_{i,i+1}|²).
    public static func derived(_ e: [Int], h: [Double], j: Double, jz: Double, site i: Int, jzFactor: Double = 1) -> Double {
        var s = 0.0
        for b in [i - 1, i] where b >= 0 && b + 1 < e.count {
            let a = bondAmplitude(e, h: h, j: j, jz: jz, bond: b, jzFactor: jzFactor)
            s += 4 * a * a
        }
        return s
    }

    /// The two squared brackets of Eqs. (16) and (19) as printed:
    /// t₊ = [J(η_i − η_{i+1})/(h_{i+1} − h_i + 2J_z(η_{i+2} − η_{i−1}))]²,
    /// t₋ = [J(η_i − η_{i−1})/(h_i − h_{i−1} + 2J_z(η_{i+1} − η_{i−2}))]².
    static func printedBrackets(_ e: [Int], h: [Double], j: Double, jz: Double, site i: Int) -> (plus: Double, minus: Double) {
        let ei = eta(e, i)
        let p = j * (ei - eta(e, i + 1)) / (h[i + 1] - h[i] + 2 * jz * (eta(e, i + 2) - eta(e, i - 1)))
        let m = j * (ei - eta(e, i - 1)) / (h[i] - h[i - 1] + 2 * jz * (eta(e, i + 1) - eta(e, i - 2)))
        return (p * p, m * m)
    }

    /// 1 − P_i of Eq. (19), the second bracket with the sign of Eq. (21) (−; the printed + in
    /// Eq. (19) would allow P_i > 1, which Eq. (17) forbids, so it is read as a typo).
    public static func eq19(_ e: [Int], h: [Double], j: Double, jz: Double, site i: Int) -> Double {
        let t = printedBrackets(e, h: h, j: j, jz: jz, site: i)
        return 2 * t.plus + 2 * t.minus
    }

    /// Z_i of Eq. (16): −2η_i t₊ − 2η_i t₋ (the shift of ⟨σ^z_i⟩ from η_i, Eq. (17)).
    public static func eq16(_ e: [Int], h: [Double], j: Double, jz: Double, site i: Int) -> Double {
        let t = printedBrackets(e, h: h, j: j, jz: jz, site: i)
        return -2 * eta(e, i) * (t.plus + t.minus)
    }

    /// 1 − P_i of Eq. (21) (J_z = 0): (2J/(h_{i+1} − h_i))²(1 − η_iη_{i+1}) + (2J/(h_{i−1} − h_i))²(1 − η_iη_{i−1}).
    public static func eq21(_ e: [Int], h: [Double], j: Double, site i: Int) -> Double {
        let a = 2 * j / (h[i + 1] - h[i]), b = 2 * j / (h[i - 1] - h[i])
        return a * a * (1 - eta(e, i) * eta(e, i + 1)) + b * b * (1 - eta(e, i) * eta(e, i - 1))
    }
}

/// One disorder realization of the bubble-less chain at strong disorder, eigenstate by
/// eigenstate against the locator expansion: per form, the median over (eigenstate, interior
/// site) pairs of the ratio ED / formula of 1 − P_i (Z_i for Eq. (16)), over eigenstates that
/// are non-resonant (every first-order amplitude below `cutoff`).
public struct PerturbativePuritySample: Codable, Sendable, Equatable {
    public var derived: Double
    /// The derived form with Eq. (12)'s J_z coefficient (½ of the derived one).
    public var derivedEq12: Double
    public var eq19: Double
    public var eq16: Double
    public var eq21: Double
    /// (eigenstate, site) pairs used.
    public var pairs: Int
    /// Eigenstates kept (non-resonant) out of all.
    public var keptStates: Int
    public var states: Int

    /// Main-text chain (Eq. (2), J = 1, anisotropy Δ, h_i = W·u_i) of L sites in the sector of
    /// ⌈L/2⌉ up spins, all eigenpairs; η of an eigenstate is its largest-weight basis state.
    public static func measure(sites l: Int, disorder w: Double, anisotropy delta: Double, cutoff: Double,
                               _ rng: inout RandomStream) throws -> PerturbativePuritySample {
        precondition(l >= 6, "interior sites 2 … L−3 need L ≥ 6")
        let fields = (0..<l).map { _ in w * (2 * rng.uniform() - 1) }
        let chain = BubbleChain(fields: fields, anisotropy: delta)
        let ham = try chain.hamiltonian()
        let p = try ham.diagonalize(.all)
        guard let v = p.vectors else { throw ClaimError.nonConvergence("no eigenvectors") }
        let mags = siteMagnetizations(vectors: v, basis: ham.basis, blockDimension: 1)
        // Supplement conventions.
        let j = 0.5, jz = delta / 4, h = fields.map { $0 / 2 }
        var r: [[Double]] = Array(repeating: [], count: 5)
        var kept = 0
        let dim = ham.basis.dimension
        for c in 0..<v.columns {
            var best = 0, bw = -1.0
            for k in 0..<dim { let x = v[k, c] * v[k, c]; if x > bw { bw = x; best = k } }
            let s = ham.basis.states[best]
            let e = (0..<l).map { (s >> UInt64($0)) & 1 == 1 ? 1 : -1 }
            var maxAmp = 0.0
            for b in 0..<(l - 1) { maxAmp = max(maxAmp, LocatorPurity.bondAmplitude(e, h: h, j: j, jz: jz, bond: b)) }
            guard maxAmp < cutoff else { continue }
            kept += 1
            for i in 2..<(l - 2) {
                let sz = 2 * mags[c][i]
                let dED = 1 - sz * sz
                let forms = [LocatorPurity.derived(e, h: h, j: j, jz: jz, site: i),
                             LocatorPurity.derived(e, h: h, j: j, jz: jz, site: i, jzFactor: 0.5),
                             LocatorPurity.eq19(e, h: h, j: j, jz: jz, site: i),
                             0,
                             LocatorPurity.eq21(e, h: h, j: j, site: i)]
                guard forms[0] > 0 else { continue }
                for f in [0, 1, 2, 4] { r[f].append(dED / forms[f]) }
                r[3].append((sz - Double(e[i])) / LocatorPurity.eq16(e, h: h, j: j, jz: jz, site: i))
            }
        }
        let med = r.map { $0.isEmpty ? Double.nan : median($0) }
        return PerturbativePuritySample(derived: med[0], derivedEq12: med[1], eq19: med[2], eq16: med[3], eq21: med[4],
                                        pairs: r[0].count, keptStates: kept, states: v.columns)
    }

    static func median(_ x: [Double]) -> Double {
        let s = x.sorted(), n = s.count
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2])
    }
}
