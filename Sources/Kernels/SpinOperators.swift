import Linalg
import Numerics

/// Spin-S operators on N sites, dense, in the product basis of S^z eigenstates.
///
/// Conventions (open-sync, below Eq. (6)):
/// - single-site basis ordered m = +S, S−1, …, −S (local index 0 is |S⟩, the top state);
/// - sites joined by Kronecker products kron(site 1, site 2, …): site 1 is the most
///   significant digit of the basis index, a = Σ_j i_j·d^{N−1−j} with d = 2S + 1;
/// - S^z|m⟩ = m|m⟩, S^±|m⟩ = √(S(S+1) − m(m±1)) |m±1⟩, S^x = (S⁺ + S⁻)/2, S^y = (S⁺ − S⁻)/(2i).
/// Works for integer and half-integer S (S = 1/2: σ^a = 2S^a, σ^± = S^±).
public struct SpinOperators: Sendable {
    /// 2S (1 for spin-1/2, 2 for spin-1).
    public let twiceSpin: Int
    public let sites: Int

    public init(twiceSpin: Int, sites: Int) {
        precondition(twiceSpin >= 1 && sites >= 1)
        self.twiceSpin = twiceSpin
        self.sites = sites
    }

    public var spin: Double { Double(twiceSpin) / 2 }
    /// d = 2S + 1.
    public var localDimension: Int { twiceSpin + 1 }
    /// D = d^N.
    public var dimension: Int {
        var d = 1
        for _ in 0..<sites { d *= localDimension }
        return d
    }

    /// m of local index i (i = 0 is m = +S).
    public func m(localIndex i: Int) -> Double { spin - Double(i) }

    /// Local indices (i_1, …, i_N) of basis state a (site 1 first).
    public func localIndices(_ a: Int) -> [Int] {
        var r = [Int](repeating: 0, count: sites)
        var x = a
        for j in stride(from: sites - 1, through: 0, by: -1) { r[j] = x % localDimension; x /= localDimension }
        return r
    }

    /// Magnetic quantum numbers (m_1, …, m_N) of basis state a.
    public func magneticNumbers(_ a: Int) -> [Double] { localIndices(a).map { m(localIndex: $0) } }

    /// Total magnetization M = Σ_j m_j of basis state a.
    public func totalMagnetization(_ a: Int) -> Double { magneticNumbers(a).reduce(0, +) }

    // MARK: single-site matrices (d × d)

    public var localZ: ComplexMatrix {
        ComplexMatrix(rows: localDimension, columns: localDimension) { i, j in i == j ? Complex(m(localIndex: i), 0) : .zero }
    }

    /// S⁺: ⟨m+1|S⁺|m⟩ = √(S(S+1) − m(m+1)); |m+1⟩ has local index i−1.
    public var localPlus: ComplexMatrix {
        let s = spin
        return ComplexMatrix(rows: localDimension, columns: localDimension) { i, j in
            guard i == j - 1 else { return .zero }
            let mm = m(localIndex: j)
            return Complex((s * (s + 1) - mm * (mm + 1)).squareRoot(), 0)
        }
    }

    public var localMinus: ComplexMatrix { localPlus.adjoint }
    public var localX: ComplexMatrix { Complex(0.5, 0) * (localPlus + localMinus) }
    public var localY: ComplexMatrix { Complex(0, -0.5) * (localPlus - localMinus) }

    // MARK: operators on N sites (D × D)

    /// The operator acting as `local` on site j (0-based) and as the identity elsewhere.
    public func onSite(_ local: ComplexMatrix, _ j: Int) -> ComplexMatrix {
        precondition(j >= 0 && j < sites && local.rows == localDimension && local.isSquare)
        var out = ComplexMatrix.identity(1)
        for k in 0..<sites { out = kronecker(out, k == j ? local : .identity(localDimension)) }
        return out
    }

    public func z(_ j: Int) -> ComplexMatrix { onSite(localZ, j) }
    public func plus(_ j: Int) -> ComplexMatrix { onSite(localPlus, j) }
    public func minus(_ j: Int) -> ComplexMatrix { onSite(localMinus, j) }
    public func x(_ j: Int) -> ComplexMatrix { onSite(localX, j) }
    public func y(_ j: Int) -> ComplexMatrix { onSite(localY, j) }

    /// Total magnetization operator M = Σ_j S_j^z (diagonal).
    public var magnetization: ComplexMatrix {
        ComplexMatrix(rows: dimension, columns: dimension) { a, b in a == b ? Complex(totalMagnetization(a), 0) : .zero }
    }

    /// Global spin flip P = ⊗_j (Σ_m |−m⟩⟨m|), the Z₂ symmetry of open-sync App. B (m_j → −m_j on every site).
    public var globalFlip: ComplexMatrix {
        let d = localDimension
        let local = ComplexMatrix(rows: d, columns: d) { i, j in i + j == d - 1 ? .one : .zero }
        var out = ComplexMatrix.identity(1)
        for _ in 0..<sites { out = kronecker(out, local) }
        return out
    }

    /// Site swap of two sites (|m_1 m_2⟩ → |m_2 m_1⟩); requires sites == 2.
    public var siteSwap: ComplexMatrix {
        precondition(sites == 2)
        let d = localDimension
        return ComplexMatrix(rows: d * d, columns: d * d) { a, b in
            (a / d == b % d && a % d == b / d) ? .one : .zero
        }
    }
}

/// Kronecker product A ⊗ B: (A ⊗ B)[i·p + k, j·q + l] = A[i, j]·B[k, l] for B of size p × q.
public func kronecker(_ a: ComplexMatrix, _ b: ComplexMatrix) -> ComplexMatrix {
    var out = ComplexMatrix(rows: a.rows * b.rows, columns: a.columns * b.columns)
    for j in 0..<a.columns {
        for i in 0..<a.rows {
            let aij = a[i, j]
            if aij == .zero { continue }
            for l in 0..<b.columns {
                for k in 0..<b.rows { out[i * b.rows + k, j * b.columns + l] = aij * b[k, l] }
            }
        }
    }
    return out
}
