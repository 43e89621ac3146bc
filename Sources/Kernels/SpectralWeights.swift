import Foundation
import Linalg

/// The smallest level spacing (frequency) double precision resolves for a spectrum of
/// spectral radius `radius` = max|E|.
///
/// Backward-stable symmetric eigensolvers (dsyevr/dsyevd/dsyev) return eigenvalues with an
/// absolute error of a few tens of ε‖H‖ (measured: the three drivers differ by up to
/// 27 ε‖H‖ at L = 10); a frequency ω = E_n − E_m is therefore known only to ≈ 50 ε‖H‖.
/// With the default safety factor 1000 a frequency at the threshold carries ≲ 5 % error.
/// Anything below is *unresolved* and must never be compared with a prediction.
public func frequencyResolution(spectralRadius radius: Double, safety: Double = 1000) -> Double {
    safety * Double.ulpOfOne * max(radius, 1)
}

/// All transition frequencies ω_mn = |E_n − E_m| (m < n) of a spectrum, sorted ascending,
/// shared by the spectral functions of several observables (mbl-sync Eq. (12)).
public struct TransitionFrequencies: Sendable {
    public let energies: [Double]
    /// Sorted ascending.
    public let omega: [Double]
    /// Flat column-major position m + n·D of the pair behind omega[k] (m < n).
    public let position: [Int32]

    public init(energies e: [Double]) {
        energies = e
        let d = e.count
        var pairs = [(Double, Int32)]()
        pairs.reserveCapacity(d * (d - 1) / 2)
        for n in 0..<d { for m in 0..<n { pairs.append((abs(e[n] - e[m]), Int32(m + n * d))) } }
        pairs.sort { $0.0 < $1.0 }
        omega = pairs.map(\.0)
        position = pairs.map(\.1)
    }

    /// The folded, signed spectral weights of S_i(ω) (Eq. (12)) given the symmetric weight
    /// matrix W_mn = s_i c_m c_n (σ^z_i)_mn (D×D column-major) of a product initial state with
    /// real eigenvectors.
    ///
    /// Folding: S(ω) = S(−ω) for a real Hamiltonian, so the pair (m, n) and (n, m) are one entry
    /// at ω_mn ≥ 0 with weight 2W_mn; the diagonal Σ_n W_nn sits at ω = 0. The weights sum to
    /// s_i² = 1 (= ∫ S dω/2π). Weights are **signed**: negative weights are kept as they are.
    ///
    /// Median: accumulate the signed weights in ascending ω (ω = 0 first; equal ω summed);
    /// the median frequency is the smallest ω at which the cumulative weight first reaches ½.
    /// It is 0 ("frozen") when the ω = 0 weight s_i⟨σ^z_i⟩_∞ alone is ≥ ½.
    public func medianFrequency(weights w: [Double]) -> (median: Double, zeroWeight: Double) {
        let d = energies.count
        precondition(w.count == d * d)
        var w0 = 0.0
        for n in 0..<d { w0 += w[n + n * d] }
        let target = 0.5 - 1e-12
        if w0 >= target { return (0, w0) }
        var cum = w0
        var k = 0
        let count = omega.count
        while k < count {
            let om = omega[k]
            // sum a group of exactly equal frequencies
            repeat { cum += 2 * w[Int(position[k])]; k += 1 } while k < count && omega[k] == om
            if cum >= target { return (om, w0) }
        }
        return (omega.last ?? 0, w0)
    }

    /// The folded spectral weights as (ω, weight) pairs (ω = 0 first), e.g. for plots.
    public func foldedWeights(weights w: [Double]) -> [(omega: Double, weight: Double)] {
        let d = energies.count
        var out = [(omega: Double, weight: Double)]()
        var w0 = 0.0
        for n in 0..<d { w0 += w[n + n * d] }
        out.append((0, w0))
        for k in 0..<omega.count { out.append((omega[k], 2 * w[Int(position[k])])) }
        return out
    }
}

/// Median frequency of folded, signed (ω ≥ 0, weight) pairs with the convention of
/// `TransitionFrequencies.medianFrequency` (smallest ω where the cumulative signed weight
/// in ascending ω first reaches ½; 0 when the ω = 0 weight is ≥ ½).
public func medianFrequency(omega: [Double], weight: [Double]) -> Double {
    precondition(omega.count == weight.count)
    let order = omega.indices.sorted { omega[$0] < omega[$1] }
    var cum = 0.0
    var k = 0
    while k < order.count {
        let om = omega[order[k]]
        repeat { cum += weight[order[k]]; k += 1 } while k < order.count && omega[order[k]] == om
        if cum >= 0.5 - 1e-12 { return om }
    }
    return order.last.map { omega[$0] } ?? 0
}

/// Diagonal ensemble (infinite-time average, mbl-sync Eq. (13)) of a pure state in one
/// symmetry block: q(r) = Σ_g (Σ_{n∈g} V_rn c_n)², where the groups g chain eigenvalues
/// closer than `degeneracyTolerance` (ascending `energies`). Inside a group the eigenvectors
/// are not unique; this projector form is basis-invariant there. For an operator O diagonal
/// in the basis of V's rows, Ō = Σ_r O(r) q(r).
///
/// Only levels of the *same* symmetry block may be grouped: levels of different blocks that
/// are nearly degenerate (the mirror cat pairs) still dephase at infinite time.
public func diagonalEnsembleProbabilities(energies e: [Double], vectors v: Matrix, overlaps c: [Double],
                                          degeneracyTolerance tol: Double) -> [Double] {
    let n = v.rows, m = v.columns
    precondition(e.count == m && c.count == m)
    var q = [Double](repeating: 0, count: n)
    var amp = [Double](repeating: 0, count: n)
    var g0 = 0
    while g0 < m {
        var g1 = g0 + 1
        while g1 < m && e[g1] - e[g1 - 1] <= tol { g1 += 1 }
        if g1 == g0 + 1 {
            let cc = c[g0] * c[g0]
            let base = g0 * n
            v.storage.withUnsafeBufferPointer { p in
                for r in 0..<n { q[r] += cc * p[base + r] * p[base + r] }
            }
        } else {
            for r in 0..<n { amp[r] = 0 }
            for k in g0..<g1 {
                let ck = c[k], base = k * n
                for r in 0..<n { amp[r] += v.storage[base + r] * ck }
            }
            for r in 0..<n { q[r] += amp[r] * amp[r] }
        }
        g0 = g1
    }
    return q
}

/// The weight matrix W_mn = s c_m c_n (σ^z_i)_mn of Eq. (12) for a product initial state
/// (basis index `state`, σ^z_i(0)|ψ0⟩ = s|ψ0⟩) from real eigenvectors V (basis × levels) of one
/// sector, c_n = V_{state,n}; `sigmaZ` is σ^z_i on the basis. Feed it to
/// `TransitionFrequencies.medianFrequency`. Cost: one dgemm of size D.
public func productStateSpinWeights(vectors v: Matrix, state: Int, sigmaZ z: [Double]) throws -> [Double] {
    let d = v.rows, m = v.columns
    precondition(z.count == d)
    var x = v, zx = v
    for n in 0..<m {
        let c = v[state, n]
        for r in 0..<d { x[r, n] *= c; zx[r, n] = x[r, n] * z[r] }
    }
    let w = try gemm(x, zx, transA: .transpose)
    let s = z[state]
    return w.storage.map { $0 * s }
}
