import Linalg
import Numerics

/// Column-stacking vectorization of D × D operators (QuTiP's convention):
///
///     vec(X)[i + D·j] = X[i, j],   so that   vec(A X B) = (Bᵀ ⊗ A) vec(X),
///
/// with `kronecker` ordering (A ⊗ B)[i·p + k, j·q + l] = A[i, j] B[k, l]. Because
/// `ComplexMatrix` is column-major, vec(X) is exactly `X.storage`.
public enum Vectorization {
    public static func vec(_ x: ComplexMatrix) -> [Complex<Double>] { x.storage }

    public static func unvec(_ v: [Complex<Double>], dimension d: Int) -> ComplexMatrix {
        ComplexMatrix(rows: d, columns: d, entries: v, order: .columnMajor)
    }

    /// The superoperator of X ↦ A X B, i.e. Bᵀ ⊗ A.
    public static func sandwich(left a: ComplexMatrix, right b: ComplexMatrix) -> ComplexMatrix {
        kronecker(b.transposed, a)
    }
}

/// The Lindblad generator of open-sync Eq. (1),
///
///     𝓛[ρ] = −i[H, ρ] + Σ_μ (L_μ ρ L_μ† − ½{L_μ†L_μ, ρ}),
///
/// as a D² × D² matrix in the column-stacking convention of `Vectorization`:
///
///     𝓛 = −i(I ⊗ H − Hᵀ ⊗ I) + Σ_μ [ L̄_μ ⊗ L_μ − ½ I ⊗ (L_μ†L_μ) − ½ (L_μ†L_μ)ᵀ ⊗ I ].
///
/// Trace preservation reads vec(I)†𝓛 = 0; Hermiticity preservation 𝓛[ρ†] = 𝓛[ρ]†.
public struct Liouvillian: Sendable {
    /// Hilbert-space dimension D.
    public let dimension: Int
    /// The D² × D² generator.
    public var matrix: ComplexMatrix

    public init(matrix: ComplexMatrix) {
        let d = Int(Double(matrix.rows).squareRoot().rounded())
        precondition(matrix.isSquare && d * d == matrix.rows, "a Liouvillian is D² × D²")
        self.dimension = d
        self.matrix = matrix
    }

    /// Eq. (1) from H and the jump operators, filled entrywise (no D² × D² products).
    public init(hamiltonian h: ComplexMatrix, jumps: [ComplexMatrix]) {
        let d = h.rows
        precondition(h.isSquare && jumps.allSatisfy { $0.rows == d && $0.isSquare })
        var g = ComplexMatrix(rows: d, columns: d)          // Σ L†L
        for l in jumps { g = g + l.adjoint * l }
        // effective non-Hermitian generator: −i(H ρ − ρ H) − ½(Γρ + ρΓ) = A ρ + ρ B
        // with A = −iH − ½Γ, B = iH − ½Γ  →  I ⊗ A + Bᵀ ⊗ I.
        let minusI = Complex<Double>(0, -1), half = Complex<Double>(0.5, 0)
        var m = ComplexMatrix(rows: d * d, columns: d * d)
        let n = d * d
        m.storage.withUnsafeMutableBufferPointer { p in
            for j in 0..<d {
                for i in 0..<d {
                    let a = minusI * h[i, j] - half * g[i, j]            // A[i, j]
                    let b = -minusI * h[j, i] - half * g[j, i]           // Bᵀ[i, j] = B[j, i]
                    // I ⊗ A: row i + d·c, column j + d·c
                    for c in 0..<d { p[(i + d * c) + n * (j + d * c)] += a }
                    // Bᵀ ⊗ I: row c + d·i, column c + d·j
                    for c in 0..<d { p[(c + d * i) + n * (c + d * j)] += b }
                }
            }
            // Σ L̄ ⊗ L: row k + d·i, column l + d·j gets conj(L[i, j])·L[k, l]
            for lmu in jumps {
                let lst = lmu.storage
                for j in 0..<d {
                    for i in 0..<d {
                        let cij = lst[i + d * j].conjugate
                        if cij == .zero { continue }
                        for l in 0..<d {
                            for k in 0..<d {
                                let v = lst[k + d * l]
                                if v == .zero { continue }
                                p[(k + d * i) + n * (l + d * j)] += cij * v
                            }
                        }
                    }
                }
            }
        }
        self.init(matrix: m)
    }

    /// Eq. (1) evaluated directly on an operator (reference implementation for tests).
    public static func action(hamiltonian h: ComplexMatrix, jumps: [ComplexMatrix], on rho: ComplexMatrix) -> ComplexMatrix {
        let minusI = Complex<Double>(0, -1), half = Complex<Double>(0.5, 0)
        var out = minusI * (h * rho - rho * h)
        for l in jumps {
            let ld = l.adjoint
            let ldl = ld * l
            out = out + l * rho * ld - half * (ldl * rho + rho * ldl)
        }
        return out
    }

    /// 𝓛[ρ] through the matrix (gemv on vec ρ).
    public func apply(_ rho: ComplexMatrix) throws -> ComplexMatrix {
        Vectorization.unvec(try gemv(matrix, Vectorization.vec(rho)), dimension: dimension)
    }

    /// 𝓛 + η·𝓛′.
    public func adding(_ other: Liouvillian, scaledBy eta: Double) -> Liouvillian {
        precondition(other.dimension == dimension)
        var m = matrix
        let e = Complex(eta, 0)
        for k in m.storage.indices { m.storage[k] += e * other.matrix.storage[k] }
        return Liouvillian(matrix: m)
    }

    /// Frobenius norm ‖𝓛‖_F (an upper bound of the spectral norm; scale of the thresholds).
    public var norm: Double { matrix.frobeniusNorm }

    /// The relative threshold of `decayFreeThreshold`.
    public static let decayFreeRelativeTolerance = 1e-9

    /// |Re λ| below which an eigenvalue counts as decay-free: 1e-9 · max(1, ‖𝓛‖_F).
    /// Justification: zgeev's eigenvalue error is O(ε‖𝓛‖·κ) ≈ 1e-14 for the models of
    /// open-sync (measured |Re λ| ≤ 7e-15 on decay-free modes), while the slowest decaying
    /// modes have Re λ ≤ −0.1: the cut sits ≥ 5 decades from both.
    public var decayFreeThreshold: Double { Self.decayFreeRelativeTolerance * max(1, norm) }

    /// Spectrum (zgeev) with the decay-free modes split into steady states (λ = 0) and
    /// oscillating coherences (λ = iω, ω ≠ 0), using `decayFreeThreshold` for both |Re λ|
    /// and, for λ = 0, |Im λ|.
    public func spectrum(vectors: Bool = false) throws -> LiouvillianSpectrum {
        let e = try generalEigen(matrix, right: vectors, left: false)
        return LiouvillianSpectrum(values: e.values, right: e.right, threshold: decayFreeThreshold)
    }

    /// Null space of 𝓛 (SVD, relative rank tolerance): the span of all λ = 0 right eigenmodes
    /// (zero modes, including traceless ones). `rank` reports D² − dim ker.
    public func kernel(relativeTolerance: Double = 1e-10) throws -> NullSpace<ComplexMatrix> {
        try nullSpace(matrix, relativeTolerance: relativeTolerance)
    }

    /// The unique steady state: 𝓛 vec ρ = 0 with Tr ρ = 1, solved (zgesv) with the row of
    /// the diagonal element (0, 0) replaced by the trace row (valid because vec(I)†𝓛 = 0
    /// makes the diagonal rows linearly dependent). Requires a one-dimensional kernel; the
    /// result is Hermitized, (ρ + ρ†)/2. Check uniqueness separately (`kernel`, `spectrum`).
    public func steadyState() throws -> ComplexMatrix {
        let d = dimension, n = d * d
        var a = matrix
        for col in 0..<n { a[0, col] = .zero }
        for i in 0..<d { a[0, i + d * i] = .one }
        var b = [Complex<Double>](repeating: .zero, count: n)
        b[0] = .one
        let x = try solve(a, b)
        let rho = Vectorization.unvec(x, dimension: d)
        return Complex(0.5, 0) * (rho + rho.adjoint)
    }
}

/// Eigenvalues of a Liouvillian with the decay-free modes classified (open-sync, text after Eq. (1)):
/// B_free = B_∞ ⊕ B_osc, steady states λ = 0 and oscillating coherences λ = iω.
///
/// `zeroModes` is the whole λ = 0 eigenspace. It may contain traceless "ω = 0 oscillating
/// coherences" besides the steady states (e.g. |0,0⟩⟨1,−1| in open-sync App. E); which
/// combinations are called steady states is a choice of basis that needs the model's
/// structure (symmetry sectors, product states), so it is made in the paper module. The
/// unique steady state of a perturbed Liouvillian is `Liouvillian.steadyState()`.
public struct LiouvillianSpectrum: Sendable {
    public let values: [Complex<Double>]
    public let right: ComplexMatrix?
    /// |Re λ| (and |Im λ| for λ = 0) below this is zero.
    public let threshold: Double
    /// Indices with |Re λ| ≤ threshold.
    public let decayFree: [Int]
    /// Decay-free with |Im λ| ≤ threshold (zero modes).
    public let zeroModes: [Int]
    /// Decay-free with |Im λ| > threshold.
    public let oscillating: [Int]

    public init(values: [Complex<Double>], right: ComplexMatrix?, threshold: Double) {
        self.values = values
        self.right = right
        self.threshold = threshold
        decayFree = values.indices.filter { abs(values[$0].real) <= threshold }
        zeroModes = decayFree.filter { abs(values[$0].imaginary) <= threshold }
        oscillating = decayFree.filter { abs(values[$0].imaginary) > threshold }
    }

    /// Largest |Re λ| among decay-free modes (their numerical zero).
    public var decayFreeResidual: Double { decayFree.map { abs(values[$0].real) }.max() ?? 0 }
    /// Re λ of the slowest decaying mode (−gap), or nil if all modes are decay-free.
    public var slowestDecay: Double? {
        values.indices.filter { abs(values[$0].real) > threshold }.map { values[$0].real }.max()
    }
    /// The oscillation frequencies Im λ of the oscillating coherences, sorted.
    public var frequencies: [Double] { oscillating.map { values[$0].imaginary }.sorted() }
    /// |λ| sorted ascending (smallest first): the steady state and the gap.
    public var sortedMagnitudes: [Double] { values.map(\.length).sorted() }
}

// MARK: strong-symmetry sectors (open-sync App. B)

/// Diagonal projector Π onto the basis states whose label (e.g. total magnetization M) is `value`.
public func diagonalSectorProjector(labels: [Double], value: Double, tolerance: Double = 1e-9) -> ComplexMatrix {
    let d = labels.count
    return ComplexMatrix(rows: d, columns: d) { i, j in i == j && abs(labels[i] - value) <= tolerance ? .one : .zero }
}

/// Split a projector Π by a unitary involution U (U² = 1, [U, Π] = 0): Π_± = Π(1 ± U)/2.
public func paritySplit(_ projector: ComplexMatrix, by parity: ComplexMatrix) -> (plus: ComplexMatrix, minus: ComplexMatrix) {
    let pu = projector * parity
    let half = Complex<Double>(0.5, 0)
    return (half * (projector + pu), half * (projector - pu))
}

/// The maximally mixed state of a sector, 1_α = Π_α / Tr Π_α (App. B).
public func maximallyMixedState(_ projector: ComplexMatrix) -> ComplexMatrix {
    let t = projector.trace.real
    precondition(t > 0.5, "empty sector")
    return Complex(1 / t, 0) * projector
}

// MARK: sparse Liouvillians (CSR), sparse steady states and slow modes

/// The Lindblad generator of open-sync Eq. (1) as a sparse D² × D² matrix (`CSRMatrix`), in
/// the column-stacking convention of `Vectorization`:
///
///     𝓛 = I ⊗ A + Bᵀ ⊗ I + Σ_μ L̄_μ ⊗ L_μ,   A = −iH − ½Γ,  B = iH − ½Γ,  Γ = Σ_μ L_μ†L_μ.
///
/// Every stored entry is bitwise equal to the entry of the dense `Liouvillian(hamiltonian:jumps:)`
/// (same Γ, same expressions, same summation order per entry); the entries the dense matrix
/// holds as exact zeros are not stored. For the open-sync spin-1 chains, N = 4 (D² = 6561)
/// has 41 414 nonzeros (0.1 %), N = 5 (59 049) has 4.9·10⁵.
public struct SparseLiouvillian: Sendable {
    /// Hilbert-space dimension D.
    public let dimension: Int
    /// The D² × D² generator.
    public let matrix: CSRMatrix<Complex<Double>>

    public init(matrix: CSRMatrix<Complex<Double>>) {
        let d = Int(Double(matrix.rows).squareRoot().rounded())
        precondition(matrix.rows == matrix.columns && d * d == matrix.rows, "a Liouvillian is D² × D²")
        self.dimension = d
        self.matrix = matrix
    }

    /// Eq. (1) from H and the jump operators (dense D × D operators; the D² × D² generator is
    /// assembled row by row, never densely).
    public init(hamiltonian h: ComplexMatrix, jumps: [ComplexMatrix]) {
        let d = h.rows
        precondition(h.isSquare && jumps.allSatisfy { $0.rows == d && $0.isSquare })
        var g = ComplexMatrix(rows: d, columns: d)          // Σ L†L, as the dense builder forms it
        for l in jumps { g = g + l.adjoint * l }
        let minusI = Complex<Double>(0, -1), half = Complex<Double>(0.5, 0)
        // Row-wise nonzeros of A (I ⊗ A) and of Bᵀ (Bᵀ ⊗ I), with the dense builder's expressions.
        var aRows = [[(Int, Complex<Double>)]](repeating: [], count: d)
        var btRows = [[(Int, Complex<Double>)]](repeating: [], count: d)
        for i in 0..<d {
            for j in 0..<d {
                let a = minusI * h[i, j] - half * g[i, j]            // A[i, j]
                let b = -minusI * h[j, i] - half * g[j, i]           // Bᵀ[i, j] = B[j, i]
                if a != .zero { aRows[i].append((j, a)) }
                if b != .zero { btRows[i].append((j, b)) }
            }
        }
        let jumpRows: [[[(Int, Complex<Double>)]]] = jumps.map { l in
            (0..<d).map { i in (0..<d).compactMap { j in l[i, j] == .zero ? nil : (j, l[i, j]) } }
        }
        let n = d * d
        var rowStart = [Int](repeating: 0, count: n + 1)
        var columns: [Int32] = [], values: [Complex<Double>] = []
        var accumulator = [Complex<Double>](repeating: .zero, count: n)
        var touched = [Bool](repeating: false, count: n)
        var list: [Int] = []
        for r in 0..<n {
            let r0 = r % d, r1 = r / d
            func add(_ s: Int, _ v: Complex<Double>) {
                if !touched[s] { touched[s] = true; list.append(s) }
                accumulator[s] += v
            }
            // Per entry the dense builder sums: the I ⊗ A term and the Bᵀ ⊗ I term (their
            // order is immaterial: x + y = y + x in IEEE arithmetic, and the first lands on
            // an exact zero), then one L̄_μ ⊗ L_μ product per jump, in jump order.
            for (j, a) in aRows[r0] { add(j + d * r1, a) }           // row r0 + d·c, column j + d·c, c = r1
            for (j, b) in btRows[r1] { add(r0 + d * j, b) }          // row c + d·r1, column c + d·j, c = r0
            for rowsOfL in jumpRows {                                // row k + d·i: conj(L[i, j])·L[k, l] at l + d·j
                for (j, lij) in rowsOfL[r1] {
                    let cij = lij.conjugate
                    for (l, v) in rowsOfL[r0] { add(l + d * j, cij * v) }
                }
            }
            list.sort()
            for s in list {
                if accumulator[s] != .zero { columns.append(Int32(s)); values.append(accumulator[s]) }
                accumulator[s] = .zero; touched[s] = false
            }
            list.removeAll(keepingCapacity: true)
            rowStart[r + 1] = values.count
        }
        self.init(matrix: CSRMatrix(rows: n, columns: n, rowStart: rowStart, columnIndices: columns, values: values))
    }

    /// 𝓛[ρ] (CSR product on vec ρ).
    public func apply(_ rho: ComplexMatrix) -> ComplexMatrix {
        Vectorization.unvec(matrix.multiply(Vectorization.vec(rho)), dimension: dimension)
    }

    /// QuTiP's weight of the trace condition: the mean |entry| over the stored entries of 𝓛
    /// (qutip/solver/steadystate.py, `_steadystate_direct`: `mean_abs_nonzero`).
    public var traceWeight: Double {
        matrix.values.reduce(0) { $0 + $1.length } / Double(max(1, matrix.nonzeroCount))
    }

    /// The unique steady state: 𝓛 vec ρ = 0 with Tr ρ = 1, by a sparse LU (MUMPS) of 𝓛 with
    /// the row of the diagonal element (0, 0) replaced by w·vec(I)ᵀ and right-hand side w·e₀,
    /// w = `traceWeight` — the weighting QuTiP's sparse `steadystate` uses (QuTiP adds the
    /// weighted trace row to row 0; replacing it gives the same solution because vec(I)†𝓛 = 0
    /// makes row 0 minus the sum of the other diagonal rows, and is what the dense
    /// `Liouvillian.steadyState()` does, with weight 1). The result is Hermitized, (ρ + ρ†)/2.
    ///
    /// `reduceToComponent`: solve only on the connected component of the system's sparsity
    /// graph (rows and columns, undirected) that holds row 0. The system is block diagonal
    /// over its components and the right-hand side lives on that one, so the solution is zero
    /// on all others — provided they are nonsingular, which they are when the steady state is
    /// unique. For Liouvillians with a weak U(1) symmetry this is the ΔM = 0 block: open-sync's
    /// chains with U(1)-covariant jumps reduce 6561 → 1107 unknowns (N = 4), 59 049 → 8953
    /// (N = 5). A decay-free mode confined to another component (a traceless zero mode with no
    /// path to the populations) is then not seen: the full solve would throw `.singular` on it.
    ///
    /// Throws `SparseSolverError.singular` when the solved system is singular (null pivots, or
    /// a solution that misses Tr ρ = 1 or 𝓛ρ = 0 by more than 1e-8: several steady states,
    /// e.g. strong symmetries) and `memoryBudgetExceeded` when the factor would not fit.
    /// Default ordering PORD (the least fill on open-sync's chains).
    public func steadyState(options: SparseFactorizationOptions = .init(ordering: .pord),
                            reduceToComponent: Bool = true) throws -> SparseSteadyState {
        let d = dimension, n = d * d
        let w = traceWeight
        let m = matrix
        // Row 0 → w at the diagonal positions i + d·i.
        var rowStart = m.rowStart, cols = m.columnIndices, vals = m.values
        let drop = m.rowStart[1]
        cols.replaceSubrange(0..<drop, with: (0..<d).map { Int32($0 + d * $0) })
        vals.replaceSubrange(0..<drop, with: [Complex<Double>](repeating: Complex(w, 0), count: d))
        for r in 1...n { rowStart[r] += d - drop }
        var a = CSRMatrix(rows: n, columns: n, rowStart: rowStart, columnIndices: cols, values: vals)
        let clock = ContinuousClock(), t0 = clock.now
        let component = reduceToComponent ? Self.component(containing: 0, of: a) : Array(0..<n)
        if component.count < n { a = Self.submatrix(a, component) }
        let lu = try SparseLUFactorization<Complex<Double>>(a, options: options)
        var b = [Complex<Double>](repeating: .zero, count: component.count)
        b[0] = Complex(w, 0)                                  // row 0 is the component's first index
        let y = try lu.solve(b)
        var x = [Complex<Double>](repeating: .zero, count: n)
        for (k, i) in component.enumerated() { x[i] = y[k] }
        let seconds = (clock.now - t0) / .seconds(1)
        let raw = Vectorization.unvec(x, dimension: d)
        let rho = Complex(0.5, 0) * (raw + raw.adjoint)
        let residual = m.multiply(rho.storage).reduce(0) { $0 + $1.lengthSquared }.squareRoot()
        let traceError = (rho.trace - .one).length
        let scale = rho.frobeniusNorm * max(1, m.infinityNorm)
        if !(traceError <= 1e-8) || !(residual <= 1e-8 * scale) {
            throw SparseSolverError.singular(String(format: "steady state of a %d×%d Liouvillian is not unique or ill-conditioned: |Tr ρ − 1| = %.3g, ‖𝓛ρ‖ = %.3g (‖ρ‖_F = %.3g)", n, n, traceError, residual, rho.frobeniusNorm))
        }
        return SparseSteadyState(rho: rho, residual: residual, traceError: traceError, traceWeight: w,
                                 hermiticityDefect: (raw - raw.adjoint).maxAbs, solvedDimension: component.count,
                                 factorization: lu.statistics, seconds: seconds)
    }

    /// The indices (ascending) of the connected component of `start` in the undirected graph
    /// with an edge i — j for every stored entry (i, j) of `a`.
    static func component(containing start: Int, of a: CSRMatrix<Complex<Double>>) -> [Int] {
        let n = a.rows
        // Column adjacency (the transpose's rows) for the incoming edges.
        var colStart = [Int](repeating: 0, count: n + 1)
        for c in a.columnIndices { colStart[Int(c) + 1] += 1 }
        for i in 0..<n { colStart[i + 1] += colStart[i] }
        var fill = colStart, colRows = [Int32](repeating: 0, count: a.nonzeroCount)
        for i in 0..<n { for p in a.rowStart[i]..<a.rowStart[i + 1] { let c = Int(a.columnIndices[p]); colRows[fill[c]] = Int32(i); fill[c] += 1 } }
        var seen = [Bool](repeating: false, count: n)
        var stack = [start]
        seen[start] = true
        var members: [Int] = []
        while let i = stack.popLast() {
            members.append(i)
            for p in a.rowStart[i]..<a.rowStart[i + 1] { let j = Int(a.columnIndices[p]); if !seen[j] { seen[j] = true; stack.append(j) } }
            for p in colStart[i]..<colStart[i + 1] { let j = Int(colRows[p]); if !seen[j] { seen[j] = true; stack.append(j) } }
        }
        return members.sorted()
    }

    /// The principal submatrix on `indices` (ascending), renumbered 0..<indices.count.
    static func submatrix(_ a: CSRMatrix<Complex<Double>>, _ indices: [Int]) -> CSRMatrix<Complex<Double>> {
        var position = [Int32](repeating: -1, count: a.rows)
        for (k, i) in indices.enumerated() { position[i] = Int32(k) }
        var rowStart = [0], cols: [Int32] = [], vals: [Complex<Double>] = []
        for i in indices {
            for p in a.rowStart[i]..<a.rowStart[i + 1] {
                let k = position[Int(a.columnIndices[p])]
                precondition(k >= 0, "a component is closed under the sparsity graph")
                cols.append(k); vals.append(a.values[p])
            }
            rowStart.append(vals.count)
        }
        return CSRMatrix(rows: indices.count, columns: indices.count, rowStart: rowStart, columnIndices: cols, values: vals)
    }

    /// The `count` eigenmodes of 𝓛 nearest `shift` (right eigenvectors, unit norm; sorted by
    /// |λ − σ|), by shift-invert (MUMPS LU of 𝓛 − σ, ARPACK znaupd). The default σ is
    /// 10⁻³·w (w = `traceWeight`) on the positive real axis: right of the spectrum
    /// (Re λ ≤ 0), so 𝓛 − σ is never singular, and close to 0, so the modes returned are those
    /// of smallest |λ|: the steady state(s) λ = 0 first, then the slowest modes near the
    /// origin. Modes with small |Re λ| but large |Im λ| need a shift near iω instead.
    public func modes(count: Int, near shift: Complex<Double>? = nil,
                      options: ShiftInvertOptions = .init(factorization: .init(ordering: .pord))) throws -> SparseGeneralEigenpairs {
        try sparseGeneralEigen(matrix, count: count, near: shift ?? Complex(1e-3 * traceWeight, 0), options: options)
    }
}

/// A steady state from `SparseLiouvillian.steadyState()` with its quality measures.
public struct SparseSteadyState: Sendable {
    /// ρ, Hermitized, Tr ρ = 1.
    public let rho: ComplexMatrix
    /// ‖𝓛 vec ρ‖₂.
    public let residual: Double
    /// |Tr ρ − 1|.
    public let traceError: Double
    /// The weight w of the trace row.
    public let traceWeight: Double
    /// max |ρ − ρ†| of the solution before Hermitization (rounding-level for a good solve).
    public let hermiticityDefect: Double
    /// Unknowns of the solved system (D², or the connected component's size).
    public let solvedDimension: Int
    public let factorization: SparseFactorizationStatistics
    /// Wall time of factorization and solve.
    public let seconds: Double
}
