import Linalg
import Numerics

/// The random-Liouvillian ensemble of Denisov et al. (PRL 123, 140403 (2019)) as sampled in
/// open-sync App. F, Eqs. (F1)–(F3), with ζ_coh = ζ_diss = 1:
///
///     𝓛₍₁₎[ρ] = −i[H₍₁₎, ρ] + Σ_{m,n=1}^{d} K_mn (F_n ρ F_m† − ½{F_m†F_n, ρ}),   d = D² − 1,
///
/// - H₍₁₎ = (M + M†)/√2, M_ij with Re, Im i.i.d. N(0, 1) (so E|H_ij|² = 2);
/// - K = d·GG†/Tr(GG†), G (d × d) with Re, Im i.i.d. N(0, 1) (Tr K = d);
/// - F_n the traceless basis of Eq. (F3): E_ab (a ≠ b) and E_aa − E_{a+1,a+1}, in the order
///   n = (a−1)D + b skipping a = b = D.
///
/// **(F3) is not orthonormal** as the text claims: the diagonal members have Tr F F† = 2 and
/// neighbours overlap −1. `.printed` uses (F3) as printed ("in practice"); `.orthonormal`
/// replaces the diagonal members by the generalized Gell-Mann matrices
/// (Σ_{k<l} E_kk − l E_ll)/√(l(l+1)), which makes {F_n} orthonormal (the ensemble is then
/// independent of the basis choice because G is unitarily invariant).
///
/// Built in O(d²) besides the one d × d product GG† (zgemm): every F_n has at most two
/// nonzeros (printed basis), so the superoperator Σ K_mn F̄_m ⊗ F_n is a sparse scatter of K.
/// Superoperator convention: `Vectorization` (column stacking).
public enum RandomLiouvillian {
    public enum Basis: String, Sendable { case printed, orthonormal }

    /// One traceless basis matrix as a list of nonzero entries (row, column, value).
    public typealias SparseOperator = [(row: Int, column: Int, value: Double)]

    /// The d = D² − 1 matrices F_n of Eq. (F3) (or the orthonormalized variant).
    public static func basis(dimension D: Int, _ kind: Basis = .printed) -> [SparseOperator] {
        var f: [SparseOperator] = []
        for a in 0..<D {
            for b in 0..<D {
                if a == D - 1 && b == D - 1 { continue }
                if a != b { f.append([(a, b, 1)]); continue }
                switch kind {
                case .printed: f.append([(a, a, 1), (a + 1, a + 1, -1)])
                case .orthonormal:
                    let l = a + 1                       // generalized Gell-Mann, l = 1 … D−1
                    let s = 1 / (Double(l) * Double(l + 1)).squareRoot()
                    var op: SparseOperator = (0..<l).map { ($0, $0, s) }
                    op.append((l, l, -Double(l) * s))
                    f.append(op)
                }
            }
        }
        return f
    }

    /// A draw of H₍₁₎ (Hermitian D × D).
    public static func hamiltonian(dimension D: Int, _ rng: inout RandomStream) -> ComplexMatrix {
        var m = ComplexMatrix(rows: D, columns: D)
        for k in m.storage.indices { m.storage[k] = Complex(rng.normal(), rng.normal()) }
        let s = Complex(1 / 2.0.squareRoot(), 0)
        return s * (m + m.adjoint)
    }

    /// A draw of K = d·GG†/Tr(GG†) (d × d, Hermitian positive semidefinite, Tr K = d).
    public static func kossakowskiMatrix(size d: Int, _ rng: inout RandomStream) throws -> ComplexMatrix {
        try kossakowskiMatrix(ginibre: ginibre(size: d, &rng))
    }

    /// The d × d matrix G of `kossakowskiMatrix` (Re, Im i.i.d. N(0, 1), filled in storage order).
    public static func ginibre(size d: Int, _ rng: inout RandomStream) -> ComplexMatrix {
        var g = ComplexMatrix(rows: d, columns: d)
        for k in g.storage.indices { g.storage[k] = Complex(rng.normal(), rng.normal()) }
        return g
    }

    /// K = d·GG†/Tr(GG†) from a given G.
    public static func kossakowskiMatrix(ginibre g: ComplexMatrix) throws -> ComplexMatrix {
        let d = g.rows
        var k = try gemm(g, g, transA: .none, transB: .adjoint)
        var tr = 0.0
        for i in 0..<d { tr += k[i, i].real }
        let s = Complex(Double(d) / tr, 0)
        for i in k.storage.indices { k.storage[i] *= s }
        return k
    }

    /// The superoperator of −i[H, ·] + Σ K_mn (F_n · F_m† − ½{F_m†F_n, ·}) (column stacking).
    public static func superoperator(hamiltonian h: ComplexMatrix, kossakowski k: ComplexMatrix,
                                     basis f: [SparseOperator]) -> Liouvillian {
        let D = h.rows, n = D * D, d = f.count
        precondition(k.rows == d && k.columns == d)
        var m = ComplexMatrix(rows: n, columns: n)
        var gamma = ComplexMatrix(rows: D, columns: D)      // Γ = Σ K_mn F_m† F_n
        k.storage.withUnsafeBufferPointer { kp in
            m.storage.withUnsafeMutableBufferPointer { p in
                for mi in 0..<d {
                    let fm = f[mi]
                    for ni in 0..<d {
                        let kmn = kp[mi + d * ni]
                        let fn = f[ni]
                        // K_mn F̄_m ⊗ F_n: row i + D j, column k + D l gets K F_n[i,k] conj(F_m[j,l]) (F real)
                        for (j, l, vm) in fm {
                            for (i, kk, vn) in fn {
                                p[(i + D * j) + n * (kk + D * l)] += kmn * Complex(vm * vn, 0)
                            }
                        }
                        // Γ[p, q] += K_mn Σ_r F_m[r, p] F_n[r, q]
                        for (r, pp, vm) in fm {
                            for (r2, q, vn) in fn where r2 == r {
                                gamma[pp, q] += kmn * Complex(vm * vn, 0)
                            }
                        }
                    }
                }
            }
        }
        // −iH − ½Γ acting from the left, +iH − ½Γ from the right: I ⊗ A + Bᵀ ⊗ I
        let half = Complex<Double>(0.5, 0), iu = Complex<Double>(0, 1)
        m.storage.withUnsafeMutableBufferPointer { p in
            for j in 0..<D {
                for i in 0..<D {
                    let a = -iu * h[i, j] - half * gamma[i, j]
                    let bt = iu * h[j, i] - half * gamma[j, i]
                    for c in 0..<D {
                        p[(i + D * c) + n * (j + D * c)] += a
                        p[(c + D * i) + n * (c + D * j)] += bt
                    }
                }
            }
        }
        return Liouvillian(matrix: m)
    }

    /// One draw of 𝓛₍₁₎ (Eq. (F1), ζ_coh = ζ_diss = 1): H₍₁₎ first, then G, from `rng`.
    public static func draw(dimension D: Int, basis kind: Basis = .printed, _ rng: inout RandomStream) throws -> Liouvillian {
        let h = hamiltonian(dimension: D, &rng)
        let k = try kossakowskiMatrix(size: D * D - 1, &rng)
        return superoperator(hamiltonian: h, kossakowski: k, basis: basis(dimension: D, kind))
    }

    /// Jump operators of Eq. (F4), L_μ = √κ_μ Σ_ν V_μν F_ν from K = V† diag(κ) V (for tests:
    /// `Liouvillian(hamiltonian:jumps:)` of these must equal `superoperator`).
    public static func jumpOperators(kossakowski k: ComplexMatrix, basis f: [SparseOperator], dimension D: Int) throws -> [ComplexMatrix] {
        let e = try hermitianEigen(k, vectors: true)
        let u = e.vectors!                                  // K = U diag(κ) U†, so V = U†
        var out: [ComplexMatrix] = []
        for mu in 0..<f.count {
            let kappa = max(0, e.values[mu])
            var l = ComplexMatrix(rows: D, columns: D)
            for nu in 0..<f.count {
                let v = u[nu, mu].conjugate * Complex(kappa.squareRoot(), 0)   // V_μν = conj(U_νμ)
                for (r, c, x) in f[nu] { l[r, c] += v * Complex(x, 0) }
            }
            out.append(l)
        }
        return out
    }
}
