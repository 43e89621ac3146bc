import Linalg
import Numerics

/// The scalars a Hamiltonian is built in: Double (real operators) and Complex<Double>.
public protocol HamiltonianScalar: MatrixScalar {
    /// The scalar with this real value.
    init(realValue: Double)
    /// The scalar equal to c, or nil (a real scalar cannot hold Im c ≠ 0).
    static func exactly(_ c: Complex<Double>) -> Self?
}

extension Double: HamiltonianScalar {
    public init(realValue: Double) { self = realValue }
    public static func exactly(_ c: Complex<Double>) -> Double? { c.imaginary == 0 ? c.real : nil }
}

extension Complex: HamiltonianScalar where RealType == Double {
    public init(realValue: Double) { self.init(realValue, 0) }
    public static func exactly(_ c: Complex<Double>) -> Complex<Double>? { c }
}

/// What `SpinHamiltonian.diagonalize` computes.
public enum SpectrumRequest: Sendable, Equatable {
    /// All eigenvalues, no vectors (dsyevr JOBZ='N': tridiagonalization + dsterf).
    case values
    /// All eigenpairs (`symmetricEigen`: dsyevd up to n = 4096, dsyevr RANGE='A' above; zheevr for complex).
    case all
    /// The `count` eigenpairs nearest a target. Dense: plus all eigenvalues, with one
    /// tridiagonalization (`symmetricEigen(_:nearest:to:)`: dsytrd, dsterf, dstemr, dormtr).
    /// Shift-invert (`EigensolverPolicy`): the window only.
    case nearest(count: Int, to: SpectralTarget)
    /// The `count` eigenvalues nearest a target, no vectors. Dense: all eigenvalues
    /// (values-only dsyevr, as `.values`) and the index window `SpectrumWindow.nearest` in
    /// them. Shift-invert: as `.nearest` (the Lanczos vectors are computed and dropped).
    case nearestValues(count: Int, to: SpectralTarget)
}

/// Which solver `SpinHamiltonian.diagonalize` uses: dense LAPACK, or shift-invert (sparse
/// LDLᵀ of H − σ and block Lanczos, `sparseSymmetricEigen`) for the window requests
/// `.nearest` and `.nearestValues` of real Hamiltonians of dimension above
/// `shiftInvertAbove`. `.values` and `.all` (the whole spectrum) are always dense.
///
/// The default threshold, 4096: above every quick- and standard-tier dimension of the
/// claims that measure windows (largest: 3432, the bare XXZ chain L = 14 of
/// eth-purity-scaling; so their numbers stay bitwise those of the dense path) and below
/// every full-tier size that dense ED cannot do cheaply. Shift-invert is already faster
/// at n = 3432 (50 central pairs with vectors: 0.6 s against 9.3 s thread CPU for dsyevr,
/// docs/design/sparse.md), and a dense matrix of 4096² is 128 MiB, of 13728² (bubble L = 14)
/// 1.5 GB per copy.
public struct EigensolverPolicy: Sendable {
    public static let defaultShiftInvertThreshold = 4096
    /// Shift-invert for window requests when the dimension exceeds this.
    public var shiftInvertAbove: Int
    /// Options of the shift-invert solver (and of the spectral-bounds Lanczos for the
    /// centre and fraction targets).
    public var shiftInvert: ShiftInvertOptions

    public init(shiftInvertAbove: Int = EigensolverPolicy.defaultShiftInvertThreshold, shiftInvert: ShiftInvertOptions = .init()) {
        self.shiftInvertAbove = shiftInvertAbove
        self.shiftInvert = shiftInvert
    }

    /// The package default: dense up to 4096, shift-invert above.
    public static let automatic = EigensolverPolicy()
    /// Always dense LAPACK.
    public static let dense = EigensolverPolicy(shiftInvertAbove: .max)

    /// Whether `request` on a real matrix of this dimension goes through shift-invert.
    public func usesShiftInvert(_ request: SpectrumRequest, dimension: Int) -> Bool {
        switch request {
        case .values, .all: return false
        case .nearest, .nearestValues: return dimension > shiftInvertAbove
        }
    }
}

/// Eigenvalues and (a window of) eigenvectors of a Hamiltonian.
public struct Eigenpairs<Scalar: MatrixScalar>: Sendable {
    /// All eigenvalues, ascending; nil on the shift-invert path, which computes the window only.
    public let allValues: [Double]?
    /// 0-based indices of the pairs below in the ascending spectrum (into `allValues` when
    /// present; on the shift-invert path from the inertia of the LDLᵀ factor).
    public let window: ClosedRange<Int>
    /// The window's eigenvalues (dense: computed with the vectors, equal to allValues[window]
    /// to rounding; shift-invert: the Ritz values, residual-checked).
    public let values: [Double]
    /// dimension × window.count, column k belongs to `values[k]`; nil for `.values` and
    /// `.nearestValues`.
    public let vectors: DenseMatrix<Scalar>?
    /// The target energy of a window request (nil for `.values` and `.all`): dense, from all
    /// eigenvalues; shift-invert, from the spectral bounds (`sparseSymmetricSpectralBounds`).
    public let targetEnergy: Double?
    /// Whether shift-invert computed this (see `EigensolverPolicy`).
    public let shiftInvert: Bool

    init(allValues: [Double]?, window: ClosedRange<Int>, values: [Double], vectors: DenseMatrix<Scalar>?,
         targetEnergy: Double? = nil, shiftInvert: Bool = false) {
        self.allValues = allValues; self.window = window; self.values = values; self.vectors = vectors
        self.targetEnergy = targetEnergy; self.shiftInvert = shiftInvert
    }

    /// The window's levels for level statistics: allValues[window] when the whole spectrum was
    /// computed (dsterf's values, what the claims always used), else `values`.
    public var windowLevels: [Double] { allValues.map { Array($0[window]) } ?? values }
}

/// A Hamiltonian (or any Hermitian operator) on a `SpinHalfBasis` sector, optionally ⊗ an
/// attached dense block, from a list of `OperatorTerm`s. Conventions: docs/CONVENTIONS.md.
///
/// The term list is expanded into elementary strings of σ^z, σ^+, σ^- (`CanonicalOperator`)
/// and checked on construction: it must be Hermitian, conserve the number of up spins when
/// the basis fixes it, and be invariant under the basis's spin flip and mirror, string by
/// string to 16ε × the largest coefficient (rounding residues of combined strings pass; a
/// field asymmetry h_{L−1−i} − h_i of 1e-13 does not).
///
/// Matrix elements in a symmetric sector (docs/CONVENTIONS.md, "Symmetry sectors"):
/// ⟨r̃'|H|r̃⟩ = Σ_{t ∈ H|r⟩} H_{t r} χ(g_t) √(n_r / n_{r'}), with t = g_t r' — H is applied to
/// the representative r only. Entry (r', r) sums its contributions in term order, and the
/// diagonal part (strings of σ^z only) is summed separately and added last.
///
/// Index of the tensor product with a block of dimension n: k·n + a (spin sector state k,
/// block state a: the block is the fast index), i.e. H = Σ (spin operator) ⊗ (block matrix)
/// with `kronecker`'s order, spins first — ergodic-inclusion Eq. (1).
public struct SpinHamiltonian: Sendable {
    public let basis: SpinHalfBasis
    /// n, the dimension of the attached block (1 when none).
    public let blockDimension: Int
    let canonical: CanonicalOperator

    /// - Throws: `EDError` for a malformed term, a non-Hermitian list, or a list that breaks a
    ///   symmetry of the basis (U(1), spin flip, mirror).
    public init(basis: SpinHalfBasis, terms: [OperatorTerm]) throws {
        self.basis = basis
        let c = try CanonicalOperator(terms, sites: basis.sites)
        try c.checkHermitian()
        if basis.upSpins != nil { try c.checkMagnetizationConserved() }
        let l = basis.sites
        if basis.spinFlip != nil {
            // F σ^± F = σ^∓, F σ^z F = −σ^z
            try c.checkInvariant(under: { s in
                (ElementaryString(plus: s.minus, minus: s.plus, z: s.z), s.z.nonzeroBitCount % 2 == 0 ? 1 : -1)
            }, name: "spin flip Π σ^x")
        }
        if basis.mirror != nil {
            try c.checkInvariant(under: { s in
                (ElementaryString(plus: SpinHalfBasis.reverseBits(s.plus, sites: l),
                                  minus: SpinHalfBasis.reverseBits(s.minus, sites: l),
                                  z: SpinHalfBasis.reverseBits(s.z, sites: l)), 1)
            }, name: "mirror i ↦ L−1−i")
        }
        canonical = c
        blockDimension = c.blockDimension
    }

    /// The matrix dimension: sector dimension × block dimension.
    public var dimension: Int { basis.dimension * blockDimension }

    /// Whether every coefficient is real (then `dense()` and `sparse()` work).
    public var isReal: Bool {
        canonical.terms.allSatisfy { t in
            t.scalar.imaginary == 0 && (t.matrix?.storage.allSatisfy { $0.imaginary == 0 } ?? true)
        }
    }

    // MARK: builds

    /// The dense real matrix (column-major `Matrix`).
    public func dense() throws -> Matrix { try build(Double.self).dense }
    /// The dense complex matrix.
    public func denseComplex() -> ComplexMatrix { try! build(Complex<Double>.self).dense }
    /// The real matrix in CSR form, entry for entry equal to `dense()`.
    public func sparse() throws -> CSRMatrix<Double> { try build(Double.self).sparse }
    /// The complex matrix in CSR form.
    public func sparseComplex() -> CSRMatrix<Complex<Double>> { try! build(Complex<Double>.self).sparse }

    /// Builder bound to one scalar type.
    func build<S: HamiltonianScalar>(_: S.Type) throws -> Builder<S> { try Builder<S>(self) }

    // MARK: diagonalization

    /// The diagonal of the real matrix, entry for entry that of `dense()` (no dense matrix built).
    public func diagonal() throws -> [Double] {
        var d = [Double](repeating: 0, count: dimension)
        try build(Double.self).forEachColumn { col, rows, vals in
            for (r, v) in zip(rows, vals) where r == col { d[col] = v }
        }
        return d
    }

    /// Eigenpairs of the real Hamiltonian (+ diag(`diagonalShift`) when given), computing only
    /// what `request` asks for, with the solver `policy` picks (dense LAPACK, or shift-invert
    /// for window requests above its dimension threshold).
    ///
    /// Shift-invert: the CSR matrix (`sparse()`), σ = the target energy (for `.centre` and
    /// `.fraction` from the spectral bounds by Lanczos on H), the `count` pairs nearest σ
    /// (`sparseSymmetricEigen`: residual-checked, bitwise reproducible); `allValues` is nil.
    /// Dense: `diagonalShift` is added to the dense matrix's diagonal, entry by entry.
    public func diagonalize(_ request: SpectrumRequest, policy: EigensolverPolicy = .automatic,
                            diagonalShift: [Double]? = nil) throws -> Eigenpairs<Double> {
        guard dimension > 0 else { throw EDError.invalidSector("the sector is empty: nothing to diagonalize") }
        if let d = diagonalShift, d.count != dimension {
            throw EDError.invalidSector("diagonal shift of length \(d.count) for dimension \(dimension)")
        }
        if policy.usesShiftInvert(request, dimension: dimension) {
            switch request {
            case let .nearest(count, target):
                return try shiftInvertWindow(count: count, target: target, vectors: true, diagonalShift: diagonalShift, options: policy.shiftInvert)
            case let .nearestValues(count, target):
                return try shiftInvertWindow(count: count, target: target, vectors: false, diagonalShift: diagonalShift, options: policy.shiftInvert)
            case .values, .all: break
            }
        }
        var h = try dense()
        let n = h.rows
        if let d = diagonalShift { for q in 0..<n { h[q, q] += d[q] } }
        switch request {
        case .values:
            let e = try symmetricEigen(h, vectors: false)
            return Eigenpairs(allValues: e.values, window: 0...(n - 1), values: e.values, vectors: nil)
        case .all:
            let e = try symmetricEigen(h, vectors: true)
            return Eigenpairs(allValues: e.values, window: 0...(n - 1), values: e.values, vectors: e.vectors)
        case let .nearest(count, target):
            let e = try symmetricEigen(h, nearest: count, to: target)
            return Eigenpairs(allValues: e.allValues, window: e.window, values: e.values, vectors: e.vectors,
                              targetEnergy: target.energy(in: e.allValues))
        case let .nearestValues(count, target):
            let e = try symmetricEigen(h, vectors: false).values
            let t = target.energy(in: e)
            let w = SpectrumWindow.nearest(count: count, to: t, in: e)
            return Eigenpairs(allValues: e, window: w, values: Array(e[w]), vectors: nil, targetEnergy: t)
        }
    }

    /// The shift-invert window of `diagonalize`.
    func shiftInvertWindow(count: Int, target: SpectralTarget, vectors: Bool, diagonalShift: [Double]?,
                           options: ShiftInvertOptions) throws -> Eigenpairs<Double> {
        var h = try sparse()
        if let d = diagonalShift { h = h.addingDiagonal(d) }
        let sigma: Double
        switch target {
        case let .energy(e): sigma = e
        case .centre, .fraction:
            let b = try sparseSymmetricSpectralBounds(h, options: options)
            sigma = target.energy(in: [b.lowest, b.highest])
        }
        let r = try sparseSymmetricEigen(h, count: count, near: sigma, options: options)
        guard let first = r.firstIndex else { throw EDError.invalidSector("shift-invert returned no inertia") }
        return Eigenpairs(allValues: nil, window: first...(first + count - 1), values: r.values,
                          vectors: vectors ? r.vectors : nil, targetEnergy: sigma, shiftInvert: true)
    }

    /// Eigenpairs of the (complex) Hermitian Hamiltonian (always dense).
    public func diagonalizeComplex(_ request: SpectrumRequest) throws -> Eigenpairs<Complex<Double>> {
        guard dimension > 0 else { throw EDError.invalidSector("the sector is empty: nothing to diagonalize") }
        let h = denseComplex()
        let n = h.rows
        switch request {
        case .values:
            let e = try hermitianEigen(h, vectors: false)
            return Eigenpairs(allValues: e.values, window: 0...(n - 1), values: e.values, vectors: nil)
        case .all:
            let e = try hermitianEigen(h, vectors: true)
            return Eigenpairs(allValues: e.values, window: 0...(n - 1), values: e.values, vectors: e.vectors)
        case let .nearest(count, target):
            let e = try hermitianEigen(h, nearest: count, to: target)
            return Eigenpairs(allValues: e.allValues, window: e.window, values: e.values, vectors: e.vectors,
                              targetEnergy: target.energy(in: e.allValues))
        case let .nearestValues(count, target):
            let e = try hermitianEigen(h, vectors: false).values
            let t = target.energy(in: e)
            let w = SpectrumWindow.nearest(count: count, to: t, in: e)
            return Eigenpairs(allValues: e, window: w, values: Array(e[w]), vectors: nil, targetEnergy: t)
        }
    }
}

extension CSRMatrix where Scalar == Double {
    /// A + diag(d): existing diagonal entries get d_i added, missing ones are inserted (exact
    /// zeros kept, so the pattern has the whole diagonal).
    func addingDiagonal(_ d: [Double]) -> CSRMatrix<Double> {
        precondition(d.count == rows && rows == columns, "diagonal of length \(d.count) for a \(rows)×\(columns) matrix")
        var start = [Int](repeating: 0, count: rows + 1)
        var cols = [Int32](), vals = [Double]()
        cols.reserveCapacity(values.count + rows); vals.reserveCapacity(values.count + rows)
        for i in 0..<rows {
            var placed = false
            for p in rowStart[i]..<rowStart[i + 1] {
                let c = Int(columnIndices[p])
                if !placed && c >= i {
                    if c == i { cols.append(Int32(c)); vals.append(values[p] + d[i]); placed = true; continue }
                    cols.append(Int32(i)); vals.append(d[i]); placed = true
                }
                cols.append(columnIndices[p]); vals.append(values[p])
            }
            if !placed { cols.append(Int32(i)); vals.append(d[i]) }
            start[i + 1] = vals.count
        }
        return CSRMatrix(rows: rows, columns: columns, rowStart: start, columnIndices: cols, values: vals)
    }
}

/// The matrix elements of a `SpinHamiltonian` in one scalar type, generated column by column.
struct Builder<S: HamiltonianScalar> {
    let basis: SpinHalfBasis
    let nb: Int
    /// Off-diagonal strings: masks, identity part, block matrix (column-major n×n or empty).
    var offPlus = [UInt64](), offMinus = [UInt64](), offZ = [UInt64](), offScalar = [S](), offMatrix = [[S]]()
    /// Diagonal strings.
    var diagZ = [UInt64](), diagScalar = [S](), diagMatrix = [[S]]()
    /// √(n_r / n_r') for orbit sizes 1, 2, 4 (index log₂ n).
    let ratio: [[Double]] = [1.0, 2, 4].map { a in [1.0, 2, 4].map { b in (a / b).squareRoot() } }

    init(_ h: SpinHamiltonian) throws {
        basis = h.basis
        nb = h.blockDimension
        for t in h.canonical.terms {
            guard let sc = S.exactly(t.scalar) else {
                throw EDError.notReal("\(h.canonical.describe(t.string)) has the complex coefficient \(t.scalar); build the complex matrix")
            }
            var m = [S]()
            if let mat = t.matrix {
                m = try mat.storage.map { c in
                    guard let v = S.exactly(c) else { throw EDError.notReal("a block factor has a complex entry \(c); build the complex matrix") }
                    return v
                }
            }
            if t.string.isDiagonal {
                diagZ.append(t.string.z); diagScalar.append(sc); diagMatrix.append(m)
            } else {
                offPlus.append(t.string.plus); offMinus.append(t.string.minus); offZ.append(t.string.z)
                offScalar.append(sc); offMatrix.append(m)
            }
        }
    }

    @inline(__always) static func log2(_ n: Int) -> Int { n == 1 ? 0 : (n == 2 ? 1 : 2) }

    /// Spin-sector contributions to column c: (row, weight, string) with weight =
    /// ±χ·√(n_c/n_r), in string order; diagonal strings are returned separately.
    @inline(__always)
    func offDiagonalContributions(_ c: Int, into out: inout [(row: Int, weight: Double, term: Int)]) {
        out.removeAll(keepingCapacity: true)
        let s = basis.states[c]
        let nc = Self.log2(Int(basis.orbitSizes[c]))
        for k in offPlus.indices {
            let p = offPlus[k], m = offMinus[k]
            guard s & p == 0, s & m == m else { continue }
            let t = s ^ (p | m)
            guard let (r, chi, nr) = basis.locateForBuild(t) else { continue }
            let sign: Double = (~s & offZ[k]).nonzeroBitCount & 1 == 0 ? 1 : -1
            out.append((r, sign * chi * ratio[nc][Self.log2(nr)], k))
        }
    }

    /// The identity-on-the-block part of the diagonal entry of column c: Σ_k scalar_k·(±1),
    /// in string order.
    @inline(__always) func diagonalScalar(_ c: Int) -> S {
        let s = basis.states[c]
        var d = S.zero
        for k in diagZ.indices where diagScalar[k] != .zero {
            d += (~s & diagZ[k]).nonzeroBitCount & 1 == 0 ? diagScalar[k] : S.zero - diagScalar[k]
        }
        return d
    }

    /// Visits every column of the full matrix (sector ⊗ block) with its entries (rows
    /// ascending, each once, exact zeros left out). Entry (r, c) of the spin part is the sum
    /// of its off-diagonal contributions in string order, plus (for r = c) the diagonal
    /// scalar part and then the block-matrix diagonal strings.
    func forEachColumn(_ body: (_ column: Int, _ rows: [Int], _ values: [S]) -> Void) {
        var contrib = [(row: Int, weight: Double, term: Int)]()
        var groups = [(row: Int, range: Range<Int>)]()
        var rows = [Int](), vals = [S]()
        let n = nb
        var col = [S](repeating: .zero, count: n)
        for c in 0..<basis.dimension {
            offDiagonalContributions(c, into: &contrib)
            if contrib.count > 1 {
                // stable sort by row (few entries: insertion sort)
                for i in 1..<contrib.count {
                    let x = contrib[i]
                    var j = i
                    while j > 0 && contrib[j - 1].row > x.row { contrib[j] = contrib[j - 1]; j -= 1 }
                    contrib[j] = x
                }
            }
            groups.removeAll(keepingCapacity: true)
            var i = 0, diagonalSeen = false
            while i < contrib.count {
                let r = contrib[i].row
                var j = i
                while j < contrib.count && contrib[j].row == r { j += 1 }
                if !diagonalSeen && r >= c {
                    if r > c { groups.append((c, i..<i)) }
                    diagonalSeen = true
                }
                groups.append((r, i..<j))
                i = j
            }
            if !diagonalSeen { groups.append((c, contrib.count..<contrib.count)) }
            let d = diagonalScalar(c)
            let sc = basis.states[c]
            for b in 0..<n {
                rows.removeAll(keepingCapacity: true); vals.removeAll(keepingCapacity: true)
                for (r, range) in groups {
                    if n == 1 {
                        var v = S.zero
                        for q in range {
                            let x = contrib[q]
                            let w = S(realValue: x.weight)
                            if offScalar[x.term] != .zero { v += offScalar[x.term] * w }
                            if !offMatrix[x.term].isEmpty { v += offMatrix[x.term][0] * w }
                        }
                        if r == c {
                            v += d
                            for k in diagZ.indices where !diagMatrix[k].isEmpty {
                                let m = diagMatrix[k][0]
                                v += (~sc & diagZ[k]).nonzeroBitCount & 1 == 0 ? m : S.zero - m
                            }
                        }
                        if v != .zero { rows.append(r); vals.append(v) }
                    } else {
                        // column b of the n×n block (r, c): rows r·n + b′
                        for bp in 0..<n { col[bp] = .zero }
                        for q in range {
                            let x = contrib[q]
                            let w = S(realValue: x.weight)
                            if offScalar[x.term] != .zero { col[b] += offScalar[x.term] * w }
                            let m = offMatrix[x.term]
                            if !m.isEmpty { for bp in 0..<n { col[bp] += m[bp + b * n] * w } }
                        }
                        if r == c {
                            col[b] += d
                            for k in diagZ.indices where !diagMatrix[k].isEmpty {
                                let sg = S(realValue: (~sc & diagZ[k]).nonzeroBitCount & 1 == 0 ? 1 : -1)
                                let m = diagMatrix[k]
                                for bp in 0..<n { col[bp] += m[bp + b * n] * sg }
                            }
                        }
                        for bp in 0..<n where col[bp] != .zero { rows.append(r * n + bp); vals.append(col[bp]) }
                    }
                }
                body(c * n + b, rows, vals)
            }
        }
    }

    var dense: DenseMatrix<S> {
        let dim = basis.dimension * nb
        var h = DenseMatrix<S>(rows: dim, columns: dim)
        h.storage.withUnsafeMutableBufferPointer { p in
            forEachColumn { col, rows, vals in
                let base = col * dim
                for (r, v) in zip(rows, vals) { p[base + r] = v }
            }
        }
        return h
    }

    /// CSR through the columns (CSC) and one counting-sort transpose: O(nnz), entry for entry
    /// the dense matrix.
    var sparse: CSRMatrix<S> {
        let dim = basis.dimension * nb
        var colStart = [Int](repeating: 0, count: dim + 1)
        var cscRows = [Int32](), cscVals = [S]()
        forEachColumn { col, rows, vals in
            for (r, v) in zip(rows, vals) { cscRows.append(Int32(r)); cscVals.append(v) }
            colStart[col + 1] = cscVals.count
        }
        var rowCount = [Int](repeating: 0, count: dim + 1)
        for r in cscRows { rowCount[Int(r) + 1] += 1 }
        for i in 0..<dim { rowCount[i + 1] += rowCount[i] }
        var next = rowCount
        var cols = [Int32](repeating: 0, count: cscVals.count)
        var vals = [S](repeating: .zero, count: cscVals.count)
        for c in 0..<dim {
            for p in colStart[c]..<colStart[c + 1] {
                let r = Int(cscRows[p])
                cols[next[r]] = Int32(c); vals[next[r]] = cscVals[p]
                next[r] += 1
            }
        }
        return CSRMatrix(rows: dim, columns: dim, rowStart: rowCount, columnIndices: cols, values: vals)
    }
}
