import Foundation
import Kernels
import Linalg

/// Exact diagonalization of Eq. (1) on a periodic ring in the two sectors of the global
/// spin flip P = Π_i X_i, which commutes with H (Z_i Z_j is P-even, X_i commutes with P).
///
/// Built on the Kernels ED layer (docs/CONVENTIONS.md): Z_i = σ^z_i (bit i = 1 is Z_i = +1),
/// H = Σ_{i<j} (K_ij, "zz", [i, j]) + Σ_i (−h_x, "x", [i]) in `SpinHalfBasis(spinFlip: ±1)`.
/// Sector representatives are the states with bit L−1 = 0 (dimension 2^{L−1}), ascending;
/// the sector-p state is (|s⟩ + p|s̄⟩)/√2 with s̄ the complement. X_i for i < L−1 maps a
/// representative to a representative; X_{L−1} maps s to the representative s ⊕ (2^{L−1} − 1)
/// with phase p. (Before the ED layer this code used bit 1 = Z = −1; the representatives are
/// the same integers, i.e. the flipped product states, and every sector basis vector changes
/// by the global sign p, so the sector matrices are entry for entry the same.)
public struct KASParitySectors: Sendable {
    public let sites: Int
    /// 2^{L−1}.
    public let dimension: Int
    /// K_ij row-major L×L.
    public let couplings: [Double]
    /// The P = +1 and P = −1 sectors.
    let even: SpinHalfBasis, odd: SpinHalfBasis

    /// - Parameter couplings: K_ij row-major L×L (symmetric, zero diagonal), e.g.
    ///   `KASChain.couplings`.
    public init(sites l: Int, couplings k: [Double]) {
        precondition(l >= 2 && l <= 24 && k.count == l * l)
        sites = l
        couplings = k
        even = try! SpinHalfBasis(sites: l, spinFlip: 1)     // valid for every L ≥ 1
        odd = try! SpinHalfBasis(sites: l, spinFlip: -1)
        dimension = even.dimension
    }

    /// Eq. (1) as ED-layer terms: Σ_{i<j} K_ij Z_iZ_j (i, then j ascending), then −h_x Σ_i X_i.
    public static func terms(sites l: Int, couplings k: [Double], hx: Double) -> [OperatorTerm] {
        var t = [OperatorTerm]()
        for i in 0..<l { for j in (i + 1)..<max(i + 1, l) { t.append(OperatorTerm(k[i * l + j], "zz", [i, j])) } }
        for i in 0..<l { t.append(OperatorTerm(-hx, "x", [i])) }
        return t
    }

    /// The sector Hamiltonian H_p (p = ±1) as a dense symmetric matrix.
    public func hamiltonian(parity p: Int, hx: Double) throws -> Matrix {
        precondition(p == 1 || p == -1)
        return try SpinHamiltonian(basis: p == 1 ? even : odd, terms: Self.terms(sites: sites, couplings: couplings, hx: hx)).dense()
    }

    /// z_i of representative s (both sectors list the same representatives).
    @inline(__always) public func z(_ s: Int, _ i: Int) -> Double { even.sigmaZ(s, site: i) }

    /// The full 2^L Hamiltonian from its definition (tests only; bit i = 1 is Z_i = +1).
    public static func fullHamiltonian(sites l: Int, couplings k: [Double], hx: Double) -> Matrix {
        let n = 1 << l
        var h = Matrix(rows: n, columns: n)
        for s in 0..<n {
            var e = 0.0
            for i in 0..<l {
                for j in (i + 1)..<l {
                    e += k[i * l + j] * (((s >> i) & 1) == 1 ? 1 : -1) * (((s >> j) & 1) == 1 ? 1 : -1)
                }
            }
            h[s, s] = e
            for i in 0..<l { h[s ^ (1 << i), s] -= hx }
        }
        return h
    }

    /// The global flip P = Π X_i on the full space (tests only).
    public static func globalFlip(sites l: Int) -> Matrix {
        let n = 1 << l
        var p = Matrix(rows: n, columns: n)
        for s in 0..<n { p[s ^ (n - 1), s] = 1 }
        return p
    }
}

/// ⟨r⟩ and m_EA of one disorder realization, binned in the scaled energy density.
public struct KASSpectrumBins: Sendable {
    /// Σ r and count per ε bin (r_n binned by the ε of its middle level).
    public var rSum: [Double]
    public var rCount: [Int]
    /// Σ m_EA(n) and count per ε bin (empty when vectors were not computed).
    public var mSum: [Double]
    public var mCount: [Int]

    public init(bins: Int) {
        rSum = [Double](repeating: 0, count: bins); rCount = [Int](repeating: 0, count: bins)
        mSum = [Double](repeating: 0, count: bins); mCount = [Int](repeating: 0, count: bins)
    }

    public var rMean: [Double] { zip(rSum, rCount).map { $1 > 0 ? $0 / Double($1) : .nan } }
    public var mMean: [Double] { zip(mSum, mCount).map { $1 > 0 ? $0 / Double($1) : .nan } }
}

public enum KASSpectrum {
    /// Scaled energy density ε = (E − E_min)/(E_max − E_min) with E_min, E_max over both
    /// sectors: 0 is the ground state and ≈ 0.5 infinite temperature (Tr H = 0). The
    /// text's "ε = E/L" is garbled; the caption ("0 means ground state and 0.5 is infinite
    /// temperature") fixes this scaling. J → −J is a symmetry of the ensemble, so both
    /// ends of [0, 1] are glassy.
    ///
    /// Gap ratios r_n = min(δ_n, δ_{n+1})/max(δ_n, δ_{n+1}) are formed inside one sector
    /// (the sectors' levels are uncorrelated: mixing them would push ⟨r⟩ toward Poisson).
    /// m_EA(n) = (1/L²) Σ_{i,j} ⟨n|Z_i Z_j|n⟩² (Fig. 3 right); the i = j terms give a
    /// floor of exactly 1/L, so "vanishes" means L·m_EA → O(1). Computed by one GEMM:
    /// C = (V∘V)ᵀ·ZZ with ZZ the table of z_i z_j (i < j) over representatives.
    public static func bins(_ sectors: KASParitySectors, hx: Double, bins nb: Int, edwardsAnderson: Bool) throws -> KASSpectrumBins {
        let l = sectors.sites, n = sectors.dimension
        var spectra = [[Double]]()
        var vecs = [Matrix]()
        for p in [1, -1] {
            let e = try symmetricEigen(try sectors.hamiltonian(parity: p, hx: hx), vectors: edwardsAnderson)
            spectra.append(e.values)
            if let v = e.vectors { vecs.append(v) }
        }
        let emin = min(spectra[0].first!, spectra[1].first!)
        let emax = max(spectra[0].last!, spectra[1].last!)
        let width = emax - emin
        guard width > 0, width.isFinite else { throw ClaimErrorKAS.degenerateSpectrum }
        @inline(__always) func bin(_ e: Double) -> Int { min(nb - 1, max(0, Int((e - emin) / width * Double(nb)))) }
        var out = KASSpectrumBins(bins: nb)
        for ev in spectra {
            for k in 0..<(ev.count - 2) {
                let a = ev[k + 1] - ev[k], b = ev[k + 2] - ev[k + 1]
                let hi = max(a, b)
                guard hi > 0 else { continue }
                let bk = bin(ev[k + 1])
                out.rSum[bk] += min(a, b) / hi; out.rCount[bk] += 1
            }
        }
        if edwardsAnderson {
            let pairs = l * (l - 1) / 2
            var zz = Matrix(rows: n, columns: pairs)
            var c = 0
            for i in 0..<l {
                for j in (i + 1)..<l {
                    for s in 0..<n { zz.storage[c * n + s] = sectors.z(s, i) * sectors.z(s, j) }
                    c += 1
                }
            }
            for (v, ev) in zip(vecs, spectra) {
                var w = v
                for k in w.storage.indices { w.storage[k] *= w.storage[k] }
                let corr = try gemm(w, zz, transA: .transpose)   // n_states × pairs
                for st in 0..<ev.count {
                    var sum = 0.0
                    for q in 0..<pairs { let x = corr.storage[q * ev.count + st]; sum += x * x }
                    let m = (Double(l) + 2 * sum) / Double(l * l)
                    let bk = bin(ev[st])
                    out.mSum[bk] += m; out.mCount[bk] += 1
                }
            }
        }
        return out
    }
}

enum ClaimErrorKAS: Error, CustomStringConvertible {
    case degenerateSpectrum
    var description: String { "spectrum has zero width" }
}

/// Fig. 2 (right): exact dynamics of the L_s most resonant spins of a configuration, the
/// other spins frozen (their fields enter as longitudinal fields).
///
///     H_S = Σ_{I<J∈S} K_IJ Z_I Z_J + Σ_{I∈S} b_I Z_I − h_x Σ_{I∈S} X_I,
///     b_I = φ_I − Σ_{J∈S} K_IJ Z_J   (the field of the frozen spins).
///
/// Late-time polarization from the diagonal ensemble (infinite-time average of ⟨Z_I(t)⟩
/// for a non-degenerate spectrum): P_I = Z_I(0) Σ_n |⟨n|ψ0⟩|² ⟨n|Z_I|n⟩, ψ0 the product
/// state of the configuration. No symmetry (b ≠ 0): full 2^{L_s} diagonalization with
/// vectors.
public enum KASResonantSubsystem {
    /// The indices of the `count` spins with the smallest |φ| (most resonant first; ties by index).
    public static func mostResonant(_ chain: KASChain, count: Int) -> [Int] {
        Array((0..<chain.sites).sorted { (abs(chain.fields[$0]), $0) < (abs(chain.fields[$1]), $1) }.prefix(count))
    }

    /// P_I of the first `observed` spins of S = the `subsystem` most resonant spins.
    public static func remnantPolarization(_ chain: KASChain, subsystem ls: Int, observed: Int, hx: Double) throws -> [Double] {
        let s = mostResonant(chain, count: ls)
        let l = chain.sites
        let d = 1 << ls
        var b = [Double](repeating: 0, count: ls)
        for a in 0..<ls {
            var inside = 0.0
            for c in 0..<ls { inside += chain.couplings[s[a] * l + s[c]] * chain.spins[s[c]] }
            b[a] = chain.fields[s[a]] - inside
        }
        // Z_a = σ^z_a (bit a = 1 is Z_a = +1, docs/CONVENTIONS.md); diagonal terms in the order
        // b_a Z_a, K_ac Z_aZ_c (c > a) for a = 0, 1, …; then −h_x X_a.
        var terms = [OperatorTerm]()
        for a in 0..<ls {
            terms.append(OperatorTerm(b[a], "z", [a]))
            for c in (a + 1)..<max(a + 1, ls) { terms.append(OperatorTerm(chain.couplings[s[a] * l + s[c]], "zz", [a, c])) }
        }
        for a in 0..<ls { terms.append(OperatorTerm(-hx, "x", [a])) }
        let h = try SpinHamiltonian(basis: try SpinHalfBasis(sites: ls), terms: terms).dense()
        let eig = try symmetricEigen(h, vectors: true)
        guard let v = eig.vectors else { throw ClaimErrorKAS.degenerateSpectrum }
        var psi0 = 0
        for a in 0..<ls where chain.spins[s[a]] > 0 { psi0 |= 1 << a }
        var p = [Double](repeating: 0, count: observed)
        v.storage.withUnsafeBufferPointer { vv in
            for n in 0..<d {
                let c2 = vv[n * d + psi0] * vv[n * d + psi0]
                guard c2 > 1e-300 else { continue }
                for a in 0..<observed {
                    var zexp = 0.0
                    for st in 0..<d {
                        let x = vv[n * d + st]
                        zexp += ((st >> a) & 1) == 1 ? x * x : -x * x
                    }
                    p[a] += c2 * zexp
                }
            }
        }
        for a in 0..<observed { p[a] *= chain.spins[s[a]] }
        return p
    }
}
