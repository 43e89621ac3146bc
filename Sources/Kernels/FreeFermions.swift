import Foundation
import Linalg

/// Single-particle orbitals of an open tight-binding chain H = Σ_k ε_k n_k + t Σ_k (c†_k c_{k+1} + h.c.):
/// the Jordan–Wigner image of the Δ = 0 XXZ chain of mbl-sync Eq. (2) with t = ½, ε_k = h_k.
/// Orbitals are the columns of `orbitals` (site × orbital), energies ascending.
public func tightBindingOrbitals(onsite: [Double], hopping t: Double) throws -> SymmetricEigen {
    try tridiagonalEigen(diagonal: onsite, offDiagonal: [Double](repeating: t, count: max(0, onsite.count - 1)))
}

/// Free-fermion (Δ = 0) autocorrelation weights of s_i⟨σ^z_i(t)⟩ for a Fock product state with
/// particles on `occupied` sites, folded as in `TransitionFrequencies.medianFrequency`.
///
/// ⟨n_i(t)⟩ = Σ_kl U_ik U_il M_kl e^{i(ε_k−ε_l)t}, M_kl = Σ_{o∈occ} U_ok U_ol, and σ^z = 2n − 1, so the pair
/// (k < l) carries 2·s·2U_ik U_il M_kl at |ε_k − ε_l| and ω = 0 carries s(2Σ_k U_ik² M_kk − 1).
/// Weights sum to 1. Equal to the many-body S_i(ω) of Eq. (12) at Δ = 0.
public func freeFermionSpinWeights(energies e: [Double], orbitals u: Matrix, occupied: [Int], site i: Int)
    -> (omega: [Double], weight: [Double]) {
    let l = e.count
    precondition(u.rows == l && u.columns == l)
    let s: Double = occupied.contains(i) ? 1 : -1
    var mkl = [Double](repeating: 0, count: l * l)
    for k in 0..<l { for q in 0...k {
        var v = 0.0
        for o in occupied { v += u[o, k] * u[o, q] }
        mkl[k + q * l] = v; mkl[q + k * l] = v
    } }
    var om = [0.0], w = [0.0]
    var w0 = 0.0
    for k in 0..<l { w0 += 2 * u[i, k] * u[i, k] * mkl[k + k * l] }
    w[0] = s * (w0 - 1)
    for q in 0..<l { for k in 0..<q {
        om.append(abs(e[q] - e[k]))
        w.append(s * 4 * u[i, k] * u[i, q] * mkl[k + q * l])
    } }
    return (om, w)
}
