import Foundation
import Kernels
import Linalg
import Numerics

/// The spin-1 chain of open-sync Eq. (6) (Tindall et al. [19]):
///
///     H = ω Σ_j S_j^z + J Σ_{j<N} (S_j⁺ S_{j+1}⁻ + h.c.) + Δ Σ_{j<N} S_j^z S_{j+1}^z,
///     L_j = √γ (S_j^z)²,  j = 1 … N.
///
/// Strong symmetries (App. B): total magnetization M and, in M = 0, the global flip P.
struct Spin1Chain: Sendable {
    let sites: Int
    var omega = 1.0, j = 0.5, delta = 0.5, gamma = 2.0

    var spins: SpinOperators { SpinOperators(twiceSpin: 2, sites: sites) }

    var hamiltonian: ComplexMatrix {
        let s = spins
        var h = ComplexMatrix(rows: s.dimension, columns: s.dimension)
        for k in 0..<sites { h = h + Complex(omega, 0) * s.z(k) }
        for k in 0..<(sites - 1) {
            let hop = s.plus(k) * s.minus(k + 1)
            h = h + Complex(j, 0) * (hop + hop.adjoint) + Complex(delta, 0) * (s.z(k) * s.z(k + 1))
        }
        return h
    }

    var jumps: [ComplexMatrix] {
        let s = spins
        return (0..<sites).map { k in Complex(gamma.squareRoot(), 0) * (s.z(k) * s.z(k)) }
    }

    var liouvillian: Liouvillian { Liouvillian(hamiltonian: hamiltonian, jumps: jumps) }

    /// Sector labels α in the order −N … −1, 0+, 0−, 1 … N.
    var sectorLabels: [String] {
        (-sites..<0).map { "\($0)" } + ["0+", "0-"] + (1...sites).map { "+\($0)" }
    }

    /// Projectors Π_α onto the strong-symmetry sectors (same order as `sectorLabels`):
    /// Π_M diagonal on total magnetization M, and Π_{0±} = Π₀(1 ± P)/2.
    var sectorProjectors: [ComplexMatrix] {
        let s = spins
        let labels = (0..<s.dimension).map { s.totalMagnetization($0) }
        var out: [ComplexMatrix] = []
        for m in -sites...sites {
            let p = diagonalSectorProjector(labels: labels, value: Double(m))
            if m == 0 {
                let (plus, minus) = paritySplit(p, by: s.globalFlip)
                out.append(plus); out.append(minus)
            } else {
                out.append(p)
            }
        }
        return out
    }

    /// Index of 0+ and 0− in the sector lists.
    var indexZeroPlus: Int { sites }
    var indexZeroMinus: Int { sites + 1 }
}

/// The two spin-1/2 model of open-sync App. D, Eqs. (D1)–(D2):
///
///     H = J(σ₁⁺σ₂⁻ + h.c.) + Δ σ₁^zσ₂^z + B(σ₁^z + σ₂^z),  L₋ = γ(σ₁⁻ + σ₂⁻),
///
/// σ^± = (σ^x ± iσ^y)/2 = S^±, σ^z = 2S^z. (D2) is kept as printed (γ, not √γ: rate γ²).
struct SpinHalfPair: Sendable {
    var j = 1.0, delta = 1.0, b = 0.3, gamma = 0.5

    let spins = SpinOperators(twiceSpin: 1, sites: 2)

    var hamiltonian: ComplexMatrix {
        let s = spins
        let z1 = Complex(2.0, 0) * s.z(0), z2 = Complex(2.0, 0) * s.z(1)
        let hop = s.plus(0) * s.minus(1)
        return Complex(j, 0) * (hop + hop.adjoint) + Complex(delta, 0) * (z1 * z2) + Complex(b, 0) * (z1 + z2)
    }

    var jump: ComplexMatrix { Complex(gamma, 0) * (spins.minus(0) + spins.minus(1)) }
    var liouvillian: Liouvillian { Liouvillian(hamiltonian: hamiltonian, jumps: [jump]) }

    /// Basis |↑↑⟩, |↑↓⟩, |↓↑⟩, |↓↓⟩ (m = +1/2 first).
    static func ket(_ entries: [Double]) -> [Complex<Double>] { entries.map { Complex($0, 0) } }
    /// |v₊⟩ = |↓↓⟩ and |v₋⟩ = (|↑↓⟩ − |↓↑⟩)/√2 of (D4).
    static let vPlus = ket([0, 0, 0, 1])
    static let vMinus = ket([0, 1 / 2.0.squareRoot(), -1 / 2.0.squareRoot(), 0])

    /// P of (D3) as printed: |↑↑⟩⟨↓↓| + |↓↓⟩⟨↑↑| + |↑↓⟩⟨↓↑| + |↓↑⟩⟨↑↓| (= σ₁^xσ₂^x).
    static var printedP: ComplexMatrix {
        var p = ComplexMatrix(rows: 4, columns: 4)
        p[0, 3] = .one; p[3, 0] = .one; p[1, 2] = .one; p[2, 1] = .one
        return p
    }

    static func outer(_ a: [Complex<Double>], _ b: [Complex<Double>]) -> ComplexMatrix {
        ComplexMatrix(rows: a.count, columns: b.count) { i, k in a[i] * b[k].conjugate }
    }
}

/// The two spin-1 oscillators of open-sync App. E (Roulet & Bruder [33]), Eqs. (E1)–(E2):
///
///     H_j = ω S_j^z,  L₁^g = √(γ₁^g/2) S₁⁺S₁^z,  L₂^d = √(γ₂^d/2) S₂⁻S₂^z          (E1)
///     H₍₁₎ = (iε/2)(S₁⁺S₂⁻ − S₁⁻S₂⁺) + Σ_j Δ_j S_j^z,
///     L₁^d = √(γ₁^d/2) S₁⁻S₁^z,  L₂^g = √(γ₂^g/2) S₂⁺S₂^z                           (E2)
///
/// The paper gives no values for the weak couplings; we scale them by one strength t:
/// ε = 2t, Δ₁ = t, Δ₂ = −t, γ₁^d = γ₂^g = t, with ω = γ₁^g = γ₂^d = 1.
struct TwoSpin1Oscillators: Sendable {
    var omega = 1.0, gain1 = 1.0, damp2 = 1.0
    let spins = SpinOperators(twiceSpin: 2, sites: 2)

    func liouvillian(epsilon: Double, delta1: Double, delta2: Double, damp1: Double, gain2: Double) -> Liouvillian {
        let s = spins
        var h = Complex(omega, 0) * (s.z(0) + s.z(1))
        h = h + Complex(0, epsilon / 2) * (s.plus(0) * s.minus(1) - s.minus(0) * s.plus(1))
        h = h + Complex(delta1, 0) * s.z(0) + Complex(delta2, 0) * s.z(1)
        var jumps = [Complex((gain1 / 2).squareRoot(), 0) * (s.plus(0) * s.z(0)),
                     Complex((damp2 / 2).squareRoot(), 0) * (s.minus(1) * s.z(1))]
        if damp1 != 0 { jumps.append(Complex((damp1 / 2).squareRoot(), 0) * (s.minus(0) * s.z(0))) }
        if gain2 != 0 { jumps.append(Complex((gain2 / 2).squareRoot(), 0) * (s.plus(1) * s.z(1))) }
        return Liouvillian(hamiltonian: h, jumps: jumps)
    }

    /// The decoupled Liouvillian 𝓛₁ + 𝓛₂ of (E1).
    var decoupled: Liouvillian { liouvillian(epsilon: 0, delta1: 0, delta2: 0, damp1: 0, gain2: 0) }

    /// The model with all weak couplings of (E2) scaled by t.
    func coupled(_ t: Double, epsilonScale: Double = 2) -> Liouvillian {
        liouvillian(epsilon: epsilonScale * t, delta1: t, delta2: -t, damp1: t, gain2: t)
    }

    /// |m₁, m₂⟩⟨m₁′, m₂′| in the basis m = +1, 0, −1 per site (site 1 most significant).
    static func transition(_ m1: Int, _ m2: Int, _ n1: Int, _ n2: Int) -> ComplexMatrix {
        var x = ComplexMatrix(rows: 9, columns: 9)
        x[3 * (1 - m1) + (1 - m2), 3 * (1 - n1) + (1 - n2)] = .one
        return x
    }
}

// MARK: strong-symmetry blocks of the spin-1 chain (open-sync App. B)

extension ComplexMatrix {
    /// The submatrix on the given rows and columns.
    func sub(_ rows: [Int], _ columns: [Int]) -> ComplexMatrix {
        ComplexMatrix(rows: rows.count, columns: columns.count) { i, j in self[rows[i], columns[j]] }
    }
}

extension Spin1Chain {
    /// Basis indices of each total-magnetization sector, M = −N … N.
    var magnetizationSectors: [(m: Int, indices: [Int])] {
        let s = spins
        let labels = (0..<s.dimension).map { Int(s.totalMagnetization($0).rounded()) }
        return (-sites...sites).map { m in (m, labels.indices.filter { labels[$0] == m }) }
    }

    /// 𝓛 restricted to B_{M,M′} = {|a⟩⟨b| : a ∈ `rows`, b ∈ `columns`}, which the strong
    /// symmetry M leaves invariant (H and every L_j conserve M): on X (D_r × D_c, column
    /// stacking) 𝓛X = A X + X B + Σ_j L_j X L_j† with A = −iH − ½Γ, B = iH − ½Γ, Γ = Σ L†L,
    /// i.e. I ⊗ A + Bᵀ ⊗ I + Σ_j L̄_j ⊗ L_j on the blocks.
    static func blockGenerator(rows r: [Int], columns c: [Int], hamiltonian h: ComplexMatrix,
                               jumps: [ComplexMatrix]) -> ComplexMatrix {
        let dr = r.count, dc = c.count, n = dr * dc
        var gamma = ComplexMatrix(rows: h.rows, columns: h.columns)
        for l in jumps { gamma = gamma + l.adjoint * l }
        let iu = Complex<Double>(0, 1), half = Complex<Double>(0.5, 0)
        let a = ComplexMatrix(rows: dr, columns: dr) { i, j in -iu * h[r[i], r[j]] - half * gamma[r[i], r[j]] }
        let b = ComplexMatrix(rows: dc, columns: dc) { i, j in iu * h[c[i], c[j]] - half * gamma[c[i], c[j]] }
        var m = ComplexMatrix(rows: n, columns: n)
        for q in 0..<dc { for i in 0..<dr { for j in 0..<dr { m[i + dr * q, j + dr * q] += a[i, j] } } }      // I ⊗ A
        for p in 0..<dc { for q in 0..<dc { for i in 0..<dr { m[i + dr * p, i + dr * q] += b[q, p] } } }      // Bᵀ ⊗ I
        for l in jumps {
            let lr = l.sub(r, r), lc = l.sub(c, c)
            for p in 0..<dc { for q in 0..<dc where lc[p, q] != .zero {
                let w = lc[p, q].conjugate
                for i in 0..<dr { for j in 0..<dr where lr[i, j] != .zero { m[i + dr * p, j + dr * q] += w * lr[i, j] } }
            } }
        }
        return m
    }
}
