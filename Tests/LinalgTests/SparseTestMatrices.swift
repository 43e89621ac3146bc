import Kernels
import Linalg
import Numerics

/// Test matrices of the sparse-solver tests, built without Kronecker products.
enum SparseTestMatrices {
    /// The XXZ chain H = Σ_i J(S^x_i S^x_{i+1} + S^y_i S^y_{i+1} + Δ S^z_i S^z_{i+1}) + Σ_i h_i S^z_i
    /// (open chain, S = 1/2) on the basis states |b⟩ with bit i of b = spin i up, either all
    /// 2^L states (`magnetization` nil) or those with popcount = L/2 + magnetization.
    /// A nonzero `twist` φ gives the hopping J/2·e^{iφ} S⁺_i S⁻_{i+1} + h.c. (complex Hermitian).
    static func xxzStates(sites l: Int, magnetization: Int?) -> [Int] {
        (0..<(1 << l)).filter { magnetization == nil || $0.nonzeroBitCount == l / 2 + magnetization! }
    }

    static func xxz(sites l: Int, delta: Double, fields h: [Double], magnetization: Int? = 0) -> CSRMatrix<Double> {
        let states = xxzStates(sites: l, magnetization: magnetization)
        var index = [Int: Int]()
        for (k, s) in states.enumerated() { index[s] = k }
        var triplets: [(row: Int, column: Int, value: Double)] = []
        for (k, s) in states.enumerated() {
            var diag = 0.0
            for i in 0..<l {
                let zi = (s >> i) & 1 == 1 ? 0.5 : -0.5
                diag += h[i] * zi
                guard i + 1 < l else { continue }
                let zj = (s >> (i + 1)) & 1 == 1 ? 0.5 : -0.5
                diag += delta * zi * zj
                if zi != zj { triplets.append((k, index[s ^ (3 << i)]!, 0.5)) }
            }
            triplets.append((k, k, diag))
        }
        return CSRMatrix(rows: states.count, columns: states.count, triplets: triplets)
    }

    /// The XXZ chain with twisted hopping (complex Hermitian).
    static func twistedXXZ(sites l: Int, delta: Double, fields h: [Double], twist phi: Double) -> CSRMatrix<Complex<Double>> {
        let states = xxzStates(sites: l, magnetization: 0)
        var index = [Int: Int]()
        for (k, s) in states.enumerated() { index[s] = k }
        var triplets: [(row: Int, column: Int, value: Complex<Double>)] = []
        let forward = Complex(0.5 * Double.cos(phi), 0.5 * Double.sin(phi))
        for (k, s) in states.enumerated() {
            var diag = 0.0
            for i in 0..<l {
                let zi = (s >> i) & 1 == 1 ? 0.5 : -0.5
                diag += h[i] * zi
                guard i + 1 < l else { continue }
                let zj = (s >> (i + 1)) & 1 == 1 ? 0.5 : -0.5
                diag += delta * zi * zj
                if zi != zj {
                    // S⁺_i S⁻_{i+1} raises i, lowers i+1: ⟨s'|H|s⟩ = J/2·e^{iφ} when i is down in s.
                    let target = index[s ^ (3 << i)]!
                    triplets.append((target, k, zi < 0 ? forward : forward.conjugate))
                }
            }
            triplets.append((k, k, Complex(diag, 0)))
        }
        return CSRMatrix(rows: states.count, columns: states.count, triplets: triplets)
    }

    /// A random sparse symmetric matrix: a random diagonal plus `perRow` random off-diagonal
    /// pairs per row, entries N(0, 1).
    static func randomSymmetric(_ n: Int, perRow: Int, seed: UInt64) -> CSRMatrix<Double> {
        var rng = RandomStream(seed: seed, label: "sparse-test-symmetric")
        var t: [(row: Int, column: Int, value: Double)] = []
        for i in 0..<n {
            t.append((i, i, rng.normal()))
            for _ in 0..<perRow {
                let j = rng.integer(below: n)
                if j == i { continue }
                let v = rng.normal()
                t.append((i, j, v)); t.append((j, i, v))
            }
        }
        return CSRMatrix(rows: n, columns: n, triplets: t)
    }

    /// A random sparse complex matrix (Hermitian if `hermitian`), entries complex N(0, 1).
    static func randomComplex(_ n: Int, perRow: Int, hermitian: Bool, seed: UInt64) -> CSRMatrix<Complex<Double>> {
        var rng = RandomStream(seed: seed, label: "sparse-test-complex")
        var t: [(row: Int, column: Int, value: Complex<Double>)] = []
        for i in 0..<n {
            t.append((i, i, hermitian ? Complex(rng.normal(), 0) : Complex(rng.normal(), rng.normal())))
            for _ in 0..<perRow {
                let j = rng.integer(below: n)
                if j == i { continue }
                let v = Complex(rng.normal(), rng.normal())
                t.append((i, j, v))
                if hermitian { t.append((j, i, v.conjugate)) }
            }
        }
        return CSRMatrix(rows: n, columns: n, triplets: t)
    }

    /// Real CSR as complex CSR.
    static func complexified(_ a: CSRMatrix<Double>) -> CSRMatrix<Complex<Double>> {
        CSRMatrix(rows: a.rows, columns: a.columns, rowStart: a.rowStart, columnIndices: a.columnIndices,
                  values: a.values.map { Complex($0, 0) })
    }
}

/// ‖A − B B†A‖_F for two n × k matrices with orthonormal columns: the Frobenius norm of
/// sin Θ between their column spans (zero when they span the same subspace, whatever basis
/// each uses inside degenerate clusters), with no square root of rounding noise.
func subspaceDistance(_ a: Matrix, _ b: Matrix) throws -> Double {
    let c = try gemm(b, a, transA: .transpose)
    return (a - (try gemm(b, c))).frobeniusNorm
}

func subspaceDistance(_ a: ComplexMatrix, _ b: ComplexMatrix) throws -> Double {
    let c = try gemm(b, a, transA: .adjoint)
    return (a - (try gemm(b, c))).frobeniusNorm
}

/// max |V†V − 1|.
func orthonormalityDefect<S: MatrixScalar>(_ v: DenseMatrix<S>) -> Double {
    var worst = 0.0
    for a in 0..<v.columns {
        for b in 0..<v.columns {
            var s = S.zero
            for i in 0..<v.rows { s += v[i, a].conjugated * v[i, b] }
            if a == b { s -= S.one }
            worst = max(worst, s.magnitudeSquared.squareRoot())
        }
    }
    return worst
}
