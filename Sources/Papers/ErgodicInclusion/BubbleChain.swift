import Foundation
import Kernels
import Linalg

/// One disorder draw of the chain–bubble model of Eqs. (1)–(4), in units: the fields as
/// fractions u_i ∈ [−1, 1) of the disorder strength (h_i = W·u_i) and the three GOE matrices
/// at unit bandwidth (R_l = β·G_l). One draw can be evaluated at several W, β or g (common
/// random numbers: the curves ⟨r⟩(W), ⟨r⟩(β) of one draw are smooth, and differences between
/// grid points have far smaller errors than the points).
///
/// Stream order (fixed, so that a realization is reproducible): u_0 … u_{L−1} (uniform), then
/// G_0, G_1, G_2 (`RandomMatrix.goe`, column by column) when n_GOE > 0.
public struct BubbleChainDraw: Codable, Sendable, Equatable {
    /// u_i ∈ [−1, 1): h_i = W·u_i (box distribution on [−W, W], Eq. (2)).
    public var unitFields: [Double]
    /// G_0, G_1, G_2 (column-major n×n), each distributed as (A + Aᵀ)/2 with A_ij ~ N(0, 1):
    /// Eq. (4) with β = 1. Empty without a bubble.
    public var unitGOE: [[Double]]
    public var bubble: Int

    public init(unitFields: [Double], unitGOE: [[Double]], bubble: Int) {
        self.unitFields = unitFields; self.unitGOE = unitGOE; self.bubble = bubble
    }

    public var sites: Int { unitFields.count }

    /// Draw L unit fields and, for n_GOE > 0, three unit GOE matrices of size n_GOE.
    public static func draw(sites l: Int, bubble n: Int, _ rng: inout RandomStream) -> BubbleChainDraw {
        let u = (0..<l).map { _ in 2 * rng.uniform() - 1 }
        let g = n > 0 ? (0..<3).map { _ in RandomMatrix.goe(n, &rng).storage } : []
        return BubbleChainDraw(unitFields: u, unitGOE: g, bubble: n)
    }
}

/// The model of Eqs. (1)–(4): the random-field XXZ chain of L spins ½ (J = 1, anisotropy Δ,
/// fields h_i), optionally ⊗ a GOE bubble of dimension n_GOE coupled to spins 0 and L − 1:
///
///   H = H_XXZ ⊗ 1 + 1 ⊗ R₀ + g [S^z_0 S^z_{L−1} ⊗ R₁ + (S^+_0 S^-_{L−1} ⊗ R₂ + h.c.)],
///   H_XXZ = Σ_i [½(S^+_i S^-_{i+1} + h.c.) + Δ S^z_i S^z_{i+1}] + Σ_i h_i S^z_i,
///   R_l = (β/2)(A + Aᵀ),  A_ij ~ N(0, 1).
///
/// Spins are S = σ/2 (Eq. (2) writes Ŝ; the supplement's Eq. (9) uses σ, see
/// `LocatorExpansion`). Site i of the paper is site i of the code; the bubble is the fast
/// tensor factor (docs/CONVENTIONS.md §2: row = k·n + a, "the first factor refers to the
/// chain"). The coupling conserves the chain's S^z (Eq. (3)), so the Hamiltonian is built in
/// the sector of N = ⌈L/2⌉ up spins: S^z = 0 for even L and S^z = +½ for odd L (the paper's
/// "S_z = 1 for L odd" is Σσ^z = 1, the same sector; its dimension n_GOE·C(L, ⌊L/2⌋) is this
/// sector's).
public struct BubbleChain: Sendable {
    public var fields: [Double]
    public var anisotropy: Double
    /// n_GOE (0: the bare XXZ chain).
    public var bubble: Int
    /// g, the chain–bubble coupling of Eq. (1) (never stated in the paper).
    public var coupling: Double
    /// R₀, R₁, R₂ (nil without a bubble).
    public var bubbleMatrices: [Matrix]

    public var sites: Int { fields.count }

    public init(fields: [Double], anisotropy: Double = 1, bubble: Int = 0, coupling: Double = 0, bubbleMatrices: [Matrix] = []) {
        precondition(bubble == 0 ? bubbleMatrices.isEmpty : bubbleMatrices.count == 3 && bubbleMatrices.allSatisfy { $0.rows == bubble && $0.columns == bubble },
                     "a bubble of dimension n needs three n×n matrices")
        self.fields = fields; self.anisotropy = anisotropy; self.bubble = bubble
        self.coupling = coupling; self.bubbleMatrices = bubbleMatrices
    }

    /// The model of a draw at disorder W, bandwidth β and coupling g (Δ = 1 unless given).
    public init(_ d: BubbleChainDraw, disorder w: Double, beta: Double, coupling g: Double, anisotropy: Double = 1) {
        let m = d.unitGOE.map { Matrix(rows: d.bubble, columns: d.bubble, entries: $0.map { beta * $0 }, order: .columnMajor) }
        self.init(fields: d.unitFields.map { w * $0 }, anisotropy: anisotropy, bubble: d.bubble, coupling: g, bubbleMatrices: m)
    }

    /// The bare chain of the same fields (no bubble).
    public var bare: BubbleChain { BubbleChain(fields: fields, anisotropy: anisotropy) }

    /// N = ⌈L/2⌉: the largest sector (S^z = 0 for even L, +½ for odd L).
    public static func upSpins(sites l: Int) -> Int { (l + 1) / 2 }

    /// Sector dimension × n_GOE (n_GOE·C(L, ⌊L/2⌋) with the bubble).
    public static func dimension(sites l: Int, bubble n: Int) -> Double {
        var c = 1.0
        let k = l / 2
        for j in 0..<k { c = c * Double(l - j) / Double(j + 1) }
        return c * Double(max(n, 1))
    }

    /// Eqs. (2)–(3) as operator terms (docs/CONVENTIONS.md §3, S = σ/2).
    public var terms: [OperatorTerm] {
        let l = sites
        var t = [OperatorTerm]()
        for i in 0..<l { t.append(OperatorTerm(fields[i] / 2, "z", [i])) }
        for i in 0..<(l - 1) {
            t.append(OperatorTerm(0.5, "+-", [i, i + 1]))
            t.append(OperatorTerm(0.5, "-+", [i, i + 1]))
            t.append(OperatorTerm(anisotropy / 4, "zz", [i, i + 1]))
        }
        if bubble > 0 {
            t.append(OperatorTerm(block: bubbleMatrices[0]))
            if l >= 2 {
                t.append(OperatorTerm(coupling / 4, "zz", [0, l - 1], block: bubbleMatrices[1]))
                let hop = OperatorTerm(coupling, "+-", [0, l - 1], block: bubbleMatrices[2])
                t.append(hop)
                t.append(hop.adjoint)
            }
        }
        return t
    }

    /// The Hamiltonian in the sector of ⌈L/2⌉ up spins (or the full 2^L space, `sector: false`).
    public func hamiltonian(sector: Bool = true, extraTerms: [OperatorTerm] = []) throws -> SpinHamiltonian {
        let basis = try SpinHalfBasis(sites: sites, upSpins: sector ? Self.upSpins(sites: sites) : nil)
        return try SpinHamiltonian(basis: basis, terms: terms + extraTerms)
    }
}

/// ⟨S^z_i⟩ of eigenvectors (columns of `vectors`, dimension = basis × n) for every site.
/// Result[k][i] = ⟨ψ_k|S^z_i ⊗ 1|ψ_k⟩ = Σ_{s, a} |ψ_k(s, a)|² (b_i(s) − ½).
public func siteMagnetizations(vectors: Matrix, basis: SpinHalfBasis, blockDimension n: Int) -> [[Double]] {
    let dim = basis.dimension * n
    precondition(vectors.rows == dim, "vectors of dimension \(vectors.rows) for a basis of \(dim)")
    let l = basis.sites
    var out = [[Double]]()
    out.reserveCapacity(vectors.columns)
    vectors.storage.withUnsafeBufferPointer { p in
        for c in 0..<vectors.columns {
            var up = [Double](repeating: 0, count: l)
            var total = 0.0
            let base = c * dim
            for k in 0..<basis.dimension {
                var w = 0.0
                for a in 0..<n { let x = p[base + k * n + a]; w += x * x }
                total += w
                var s = basis.states[k]
                var i = 0
                while s != 0 {
                    if s & 1 == 1 { up[i] += w }
                    s >>= 1; i += 1
                }
            }
            out.append(up.map { $0 - 0.5 * total })
        }
    }
    return out
}

/// Eq. (5): the single-site purity Tr ρ_i² of a state with a definite total S^z,
/// γ_i = 2⟨S^z_i⟩² + ½.
@inline(__always) public func purity(magnetization m: Double) -> Double { 2 * m * m + 0.5 }
