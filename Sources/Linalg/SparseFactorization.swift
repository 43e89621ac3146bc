import CMumps
import Foundation
import Numerics

/// Errors of the sparse direct solvers and sparse eigensolvers.
public enum SparseSolverError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Wrong shapes or arguments (the message says which).
    case invalidArgument(String)
    /// An input contains NaN or Inf.
    case nonFinite(String)
    /// The matrix (after the shift) is numerically singular: MUMPS found null pivots
    /// (|pivot| ≤ 10⁻⁵·ε·‖A‖), or a zero pivot it could not avoid.
    case singular(String)
    /// The factorization would need more memory than the budget (estimate from the
    /// analysis phase, before anything large is allocated).
    case memoryBudgetExceeded(estimatedBytes: Int64, budgetBytes: Int64, what: String)
    /// MUMPS returned INFOG(1) < 0 (see the MUMPS user guide, section "Error diagnostics").
    case mumps(phase: String, info: Int32, detail: Int32)
    /// ARPACK returned info < 0 (or another unrecoverable code).
    case arpack(routine: String, info: Int32)
    /// ARPACK stopped at its iteration limit with fewer converged eigenpairs than requested.
    case noConvergence(converged: Int, requested: Int, iterations: Int)
    /// Eigenpairs came back, but a residual ‖A v − λ v‖ exceeds the accepted bound.
    case inaccurate(maxResidual: Double, bound: Double)

    public var description: String {
        switch self {
        case let .invalidArgument(s): return "invalid argument: \(s)"
        case let .nonFinite(s): return "non-finite input: \(s)"
        case let .singular(s): return "singular matrix: \(s)"
        case let .memoryBudgetExceeded(e, b, what):
            return String(format: "%@ needs about %.2f GB (estimated from the symbolic analysis), more than the budget of %.2f GB",
                          what, Double(e) / 1e9, Double(b) / 1e9)
        case let .mumps(phase, info, detail):
            return "MUMPS \(phase) failed: INFOG(1) = \(info), INFOG(2) = \(detail)\(Self.mumpsHint(info))"
        case let .arpack(routine, info): return "ARPACK \(routine) failed (info = \(info))"
        case let .noConvergence(c, r, it):
            return "ARPACK did not converge: \(c) of \(r) eigenpairs after \(it) restarts (raise maxIterations or the number of Lanczos vectors)"
        case let .inaccurate(r, b):
            return String(format: "eigenpair residual %.3g exceeds the accepted bound %.3g", r, b)
        }
    }

    static func mumpsHint(_ info: Int32) -> String {
        switch info {
        case -5, -7, -13: return " (memory allocation failed)"
        case -8, -9, -14, -15, -17, -20: return " (internal workspace too small)"
        case -10: return " (numerically singular matrix)"
        case -16: return " (N out of range)"
        case -6: return " (structurally singular matrix)"
        default: return ""
        }
    }
}

/// Fill-reducing ordering of the sparse factorization (MUMPS ICNTL(7)).
///
/// Measured on the XXZ chain (S^z = 0, random fields, L = 16 and 18, real LDLᵀ) and on the
/// bubble chain: SCOTCH gives the least fill and the fewest flops (L = 18: 4.8·10⁷ factor
/// entries, 1.0·10¹¹ flops; PORD 6.5·10⁷ / 2.2·10¹¹; AMD 3× more fill at L = 16). On the
/// open-sync Liouvillians (complex LU) PORD is slightly ahead (N = 5: 5.3·10⁷ entries against
/// SCOTCH's 5.9·10⁷). Debian's sequential MUMPS has no METIS.
public enum SparseOrdering: String, Sendable, CaseIterable {
    case amd, scotch, pord, automatic

    var icntl7: Int32 {
        switch self {
        case .amd: return 0
        case .scotch: return 3
        case .pord: return 4
        case .automatic: return 7
        }
    }

    /// The name of the ordering MUMPS reports in INFOG(7).
    static func name(ofUsed code: Int32) -> String {
        switch code {
        case 0: return "AMD"
        case 1: return "user"
        case 2: return "AMF"
        case 3: return "SCOTCH"
        case 4: return "PORD"
        case 5: return "METIS"
        case 6: return "QAMD"
        default: return "ordering \(code)"
        }
    }
}

/// The memory a sparse factorization may use.
public enum SparseMemory {
    /// Half the physical memory (the rule of `MemoryBudget` in Verification).
    public static var defaultBudgetBytes: Int64 { Int64(ProcessInfo.processInfo.physicalMemory / 2) }
}

/// Settings of a sparse factorization.
public struct SparseFactorizationOptions: Sendable {
    /// Fill-reducing ordering.
    public var ordering: SparseOrdering
    /// Refuse (throw `memoryBudgetExceeded`) when the analysis estimates more than this.
    public var memoryBudgetBytes: Int64

    public init(ordering: SparseOrdering = .scotch, memoryBudgetBytes: Int64 = SparseMemory.defaultBudgetBytes) {
        self.ordering = ordering
        self.memoryBudgetBytes = memoryBudgetBytes
    }
}

/// What a sparse factorization cost (numbers from MUMPS's INFOG/RINFOG and the clock).
public struct SparseFactorizationStatistics: Sendable, CustomStringConvertible {
    /// "LDLᵀ" (symmetric indefinite, 1×1 and 2×2 pivots) or "LU" (threshold partial pivoting).
    public let method: String
    public let dimension: Int
    /// Entries handed to MUMPS (one triangle for LDLᵀ, plus the n shifted diagonal entries).
    public let inputEntries: Int
    /// The ordering MUMPS used (INFOG(7)).
    public let ordering: String
    /// Entries of the factors predicted by the analysis (INFOG(20)) and stored (INFOG(29)).
    public let estimatedFactorEntries: Int64
    public let factorEntries: Int64
    /// Bytes of all MUMPS data estimated by the analysis for the in-core factorization
    /// (INFOG(17)) plus the input triplets: the number the memory guard compares.
    public let estimatedBytes: Int64
    /// Bytes MUMPS actually allocated during the factorization (INFOG(22)).
    public let allocatedBytes: Int64
    /// Floating-point operations of the elimination (RINFOG(3)).
    public let flops: Double
    /// ICNTL(14): the workspace relaxation (percent) the successful factorization used.
    public let workspaceRelaxationPercent: Int
    public let analysisSeconds: Double
    public let factorizationSeconds: Double

    public var description: String {
        String(format: "%@ of n = %d (%d input entries), %@ ordering: %lld factor entries, %.2f GB allocated (estimate %.2f GB), %.3g flops, analysis %.2f s, factorization %.2f s",
               method, dimension, inputEntries, ordering, factorEntries, Double(allocatedBytes) / 1e9,
               Double(estimatedBytes) / 1e9, flops, analysisSeconds, factorizationSeconds)
    }
}

/// What the symbolic analysis predicts for a factorization, before any of it is allocated.
public struct SparseFactorizationEstimate: Sendable, CustomStringConvertible {
    /// "LDLᵀ" or "LU".
    public let method: String
    public let dimension: Int
    public let inputEntries: Int
    /// The ordering MUMPS used (INFOG(7)).
    public let ordering: String
    /// Entries of the factors (INFOG(20)).
    public let factorEntries: Int64
    /// All MUMPS data of the in-core factorization (INFOG(17)) plus the input triplets: what
    /// the memory guard compares with the budget.
    public let bytes: Int64
    /// Floating-point operations of the elimination (RINFOG(1)).
    public let flops: Double
    public let analysisSeconds: Double

    public var description: String {
        String(format: "%@ of n = %d (%d input entries), %@ ordering: %lld factor entries, %.2f GB, %.3g flops (analysis %.2f s)",
               method, dimension, inputEntries, ordering, factorEntries, Double(bytes) / 1e9, flops, analysisSeconds)
    }
}

/// The symbolic analysis of the LDLᵀ of a real symmetric A − σI (upper triangle read):
/// predicted factor size, memory and flops, without factoring — to plan sizes, or to see
/// where fill-in makes a problem infeasible.
public func estimateSymmetricFactorization(_ a: CSRMatrix<Double>, shift: Double = 0,
                                           options: SparseFactorizationOptions = .init()) throws -> SparseFactorizationEstimate {
    try mumpsAnalyse(a, shift: shift, symmetry: .symmetric, options: options, what: "LDLᵀ analysis").estimate
}

/// The symbolic analysis of the LU of a real or complex A − σI (see `estimateSymmetricFactorization`).
public func estimateLUFactorization<Scalar: MatrixScalar>(_ a: CSRMatrix<Scalar>, shift: Scalar = .zero,
                                                          options: SparseFactorizationOptions = .init()) throws -> SparseFactorizationEstimate {
    try mumpsAnalyse(a, shift: shift, symmetry: .general, options: options, what: "LU analysis").estimate
}

/// Build the MUMPS input of A − σ·I and run the symbolic analysis. The triplets of A are read
/// from CSR (1-based for MUMPS); LDLᵀ keeps the upper triangle; the n diagonal entries −σ are
/// appended and summed by MUMPS with A's own diagonal.
func mumpsAnalyse<Scalar: MatrixScalar>(_ a: CSRMatrix<Scalar>, shift: Scalar, symmetry: MumpsSymmetry,
                                         options: SparseFactorizationOptions,
                                         what: String) throws -> (mumps: MumpsInstance, estimate: SparseFactorizationEstimate,
                                                                  mumpsBytes: Int64, tripletBytes: Int64) {
    guard a.rows == a.columns else {
        throw SparseSolverError.invalidArgument("\(what): the matrix is \(a.rows)×\(a.columns), not square")
    }
    guard a.rows > 0 else { throw SparseSolverError.invalidArgument("\(what): empty matrix") }
    let arithmetic: MumpsArithmetic
    if Scalar.self == Double.self { arithmetic = .real }
    else if Scalar.self == Complex<Double>.self { arithmetic = .complex }
    else { throw SparseSolverError.invalidArgument("\(what): scalars must be Double or Complex<Double>") }
    let n = a.rows
    let upperOnly = symmetry == .symmetric
    var count = n
    for i in 0..<n {
        for p in a.rowStart[i]..<a.rowStart[i + 1] {
            if !a.values[p].isFiniteScalar { throw SparseSolverError.nonFinite("\(what): entry (\(i), \(a.columnIndices[p])) is \(a.values[p])") }
            if !upperOnly || Int(a.columnIndices[p]) >= i { count += 1 }
        }
    }
    guard shift.isFiniteScalar else { throw SparseSolverError.nonFinite("\(what): shift \(shift)") }
    let scalarBytes = MemoryLayout<Scalar>.stride
    let tripletBytes = Int64(count) * Int64(8 + scalarBytes)
    let irn = UnsafeMutablePointer<Int32>.allocate(capacity: count)
    let jcn = UnsafeMutablePointer<Int32>.allocate(capacity: count)
    let vals = UnsafeMutableRawPointer.allocate(byteCount: count * scalarBytes, alignment: 16)
    let typed = vals.bindMemory(to: Scalar.self, capacity: count)
    var k = 0
    for i in 0..<n {
        for p in a.rowStart[i]..<a.rowStart[i + 1] {
            let j = Int(a.columnIndices[p])
            if upperOnly && j < i { continue }
            irn[k] = Int32(i + 1); jcn[k] = Int32(j + 1); (typed + k).initialize(to: a.values[p]); k += 1
        }
    }
    let minusShift = Scalar.zero - shift
    for i in 0..<n { irn[k] = Int32(i + 1); jcn[k] = Int32(i + 1); (typed + k).initialize(to: minusShift); k += 1 }
    precondition(k == count)

    let m = try MumpsInstance(arithmetic: arithmetic, symmetry: symmetry, n: n, nnz: count, irn: irn, jcn: jcn, values: vals)
    m.setICNTL(7, options.ordering.icntl7)
    // Null-pivot detection: pivots |p| ≤ 10⁻⁵·ε·‖A‖ (CNTL(3) = 0, MUMPS's default threshold)
    // are counted in INFOG(28) instead of producing a useless factor.
    m.setICNTL(24, 1)
    m.setCNTL(3, 0)

    let clock = ContinuousClock()
    let t0 = clock.now
    try m.run(job: 1, phase: "analysis")
    let analysisSeconds = (clock.now - t0).seconds
    let mumpsBytes = Int64(m.infog(17)) * 1_000_000
    let estimate = SparseFactorizationEstimate(
        method: symmetry == .symmetric ? "LDLᵀ" : "LU", dimension: n, inputEntries: count,
        ordering: SparseOrdering.name(ofUsed: m.infog(7)), factorEntries: m.infogCount(20),
        bytes: mumpsBytes + tripletBytes, flops: m.rinfog(1), analysisSeconds: analysisSeconds)
    return (m, estimate, mumpsBytes, tripletBytes)
}

/// Analyse and factor A − σ·I with MUMPS, refusing before the factorization when the
/// analysis' estimate plus `extraBytes` exceeds the budget.
func mumpsFactor<Scalar: MatrixScalar>(_ a: CSRMatrix<Scalar>, shift: Scalar, symmetry: MumpsSymmetry,
                                        options: SparseFactorizationOptions, extraBytes: Int64,
                                        what: String) throws -> (MumpsInstance, SparseFactorizationStatistics) {
    let (m, analysed, mumpsEstimate, tripletBytes) = try mumpsAnalyse(a, shift: shift, symmetry: symmetry, options: options, what: what)
    let clock = ContinuousClock()
    let analysisSeconds = analysed.analysisSeconds, n = analysed.dimension, count = analysed.inputEntries
    let estimate = analysed.bytes + extraBytes
    if estimate > options.memoryBudgetBytes {
        throw SparseSolverError.memoryBudgetExceeded(estimatedBytes: estimate, budgetBytes: options.memoryBudgetBytes, what: what)
    }

    // Factorization. Delayed pivots can outgrow the analysis' workspace estimate (INFO −8,
    // −9, −14, −15, −17, −20): retry with twice the relaxation ICNTL(14) while the scaled
    // estimate stays within the budget.
    let t1 = clock.now
    var attempt = 0
    while true {
        do {
            try m.run(job: 2, phase: "factorization")
            break
        } catch let SparseSolverError.mumps(_, info, detail) where [-8, -9, -14, -15, -17, -20].contains(info) && attempt < 3 {
            let relax = max(Int(m.icntl(14)), 20)
            let grown = Int64(Double(mumpsEstimate) * Double(100 + 2 * relax) / Double(100 + relax)) + tripletBytes + extraBytes
            if grown > options.memoryBudgetBytes {
                throw SparseSolverError.memoryBudgetExceeded(estimatedBytes: grown, budgetBytes: options.memoryBudgetBytes,
                                                            what: "\(what) (workspace grown after MUMPS error \(info), \(detail))")
            }
            m.setICNTL(14, Int32(2 * relax))
            attempt += 1
        } catch let SparseSolverError.mumps(_, info, detail) where info == -10 || info == -6 {
            throw SparseSolverError.singular("\(what): MUMPS error \(info) (\(info == -6 ? "structurally" : "numerically") singular; \(detail) pivots eliminated) at shift \(shift)")
        }
    }
    let factorizationSeconds = (clock.now - t1).seconds
    let nullPivots = Int(m.infog(28))
    if nullPivots > 0 {
        throw SparseSolverError.singular("\(what): \(nullPivots) null pivot\(nullPivots == 1 ? "" : "s") (|pivot| ≤ 10⁻⁵·ε·‖A‖) at shift \(shift)")
    }
    m.releaseTriplets()
    let stats = SparseFactorizationStatistics(
        method: symmetry == .symmetric ? "LDLᵀ" : "LU", dimension: n, inputEntries: count,
        ordering: SparseOrdering.name(ofUsed: m.infog(7)),
        estimatedFactorEntries: m.infogCount(20), factorEntries: m.infogCount(29),
        estimatedBytes: estimate, allocatedBytes: Int64(m.infog(22)) * 1_000_000, flops: m.rinfog(3),
        workspaceRelaxationPercent: Int(m.icntl(14)),
        analysisSeconds: analysisSeconds, factorizationSeconds: factorizationSeconds)
    return (m, stats)
}

/// Sparse LDLᵀ factorization of a real symmetric, possibly indefinite matrix shifted by σ:
/// P(A − σI)Pᵀ = L D Lᵀ, D with 1×1 and 2×2 blocks (MUMPS, SYM = 2, threshold pivoting).
///
/// Only the upper triangle of `a` (entries with column ≥ row) is read. Refuses with
/// `SparseSolverError.memoryBudgetExceeded` when the symbolic analysis estimates more
/// memory than `options.memoryBudgetBytes`, and with `.singular` when A − σI has null pivots.
/// All MUMPS calls of the process are serialized (MUMPS is not reentrant).
public final class SparseSymmetricFactorization {
    public let dimension: Int
    public let shift: Double
    public let statistics: SparseFactorizationStatistics
    /// Negative pivots of D (INFOG(12)): by Sylvester's law of inertia, the number of
    /// eigenvalues of A below σ.
    public let eigenvaluesBelowShift: Int
    let mumps: MumpsInstance

    public convenience init(_ a: CSRMatrix<Double>, shift: Double = 0, options: SparseFactorizationOptions = .init()) throws {
        try self.init(a, shift: shift, options: options, extraBytes: 0, what: "LDLᵀ of a \(a.rows)×\(a.columns) symmetric matrix")
    }

    init(_ a: CSRMatrix<Double>, shift: Double, options: SparseFactorizationOptions, extraBytes: Int64, what: String) throws {
        let (m, s) = try mumpsFactor(a, shift: shift, symmetry: .symmetric, options: options, extraBytes: extraBytes, what: what)
        mumps = m; statistics = s; dimension = a.rows; self.shift = shift
        eigenvaluesBelowShift = Int(m.infog(12))
    }

    /// x = (A − σI)⁻¹ b.
    public func solve(_ b: [Double]) throws -> [Double] {
        try solve(Matrix(rows: b.count, columns: 1, entries: b, order: .columnMajor)).storage
    }

    /// X = (A − σI)⁻¹ B for several right-hand sides at once.
    public func solve(_ b: Matrix) throws -> Matrix {
        guard b.rows == dimension else { throw SparseSolverError.invalidArgument("solve: B has \(b.rows) rows, A is \(dimension)×\(dimension)") }
        guard b.storage.allSatisfy(\.isFinite) else { throw SparseSolverError.nonFinite("solve: right-hand side") }
        if b.columns == 0 { return b }
        var x = b.storage + [Double](repeating: 0, count: overreadPadding(dimension))
        try x.withUnsafeMutableBytes { try mumps.solve($0.baseAddress!, count: b.columns) }
        x.removeSubrange((dimension * b.columns)...)
        return Matrix(rows: dimension, columns: b.columns, entries: x, order: .columnMajor)
    }

    /// In place on `count` contiguous right-hand sides (the Krylov drivers' hot path).
    func solveInPlace(_ p: UnsafeMutablePointer<Double>, count: Int = 1) throws {
        try mumps.solve(UnsafeMutableRawPointer(p), count: count)
    }
}

/// Sparse LU factorization of a general real or complex matrix shifted by σ:
/// P(A − σI)Q = LU (MUMPS, SYM = 0, threshold partial pivoting). Used for complex Hermitian
/// matrices too (MUMPS has no Hermitian LDLᴴ) and for non-Hermitian Liouvillians.
///
/// `Scalar` must be `Double` or `Complex<Double>`. Memory guard and errors as
/// `SparseSymmetricFactorization`.
public final class SparseLUFactorization<Scalar: MatrixScalar> {
    public let dimension: Int
    public let shift: Scalar
    public let statistics: SparseFactorizationStatistics
    let mumps: MumpsInstance

    public convenience init(_ a: CSRMatrix<Scalar>, shift: Scalar = .zero, options: SparseFactorizationOptions = .init()) throws {
        try self.init(a, shift: shift, options: options, extraBytes: 0, what: "LU of a \(a.rows)×\(a.columns) sparse matrix")
    }

    init(_ a: CSRMatrix<Scalar>, shift: Scalar, options: SparseFactorizationOptions, extraBytes: Int64, what: String) throws {
        let (m, s) = try mumpsFactor(a, shift: shift, symmetry: .general, options: options, extraBytes: extraBytes, what: what)
        mumps = m; statistics = s; dimension = a.rows; self.shift = shift
    }

    /// x = (A − σI)⁻¹ b.
    public func solve(_ b: [Scalar]) throws -> [Scalar] {
        try solve(DenseMatrix<Scalar>(rows: b.count, columns: 1, entries: b, order: .columnMajor)).storage
    }

    /// X = (A − σI)⁻¹ B for several right-hand sides at once.
    public func solve(_ b: DenseMatrix<Scalar>) throws -> DenseMatrix<Scalar> {
        guard b.rows == dimension else { throw SparseSolverError.invalidArgument("solve: B has \(b.rows) rows, A is \(dimension)×\(dimension)") }
        guard b.storage.allSatisfy(\.isFiniteScalar) else { throw SparseSolverError.nonFinite("solve: right-hand side") }
        if b.columns == 0 { return b }
        var x = b.storage + [Scalar](repeating: .zero, count: overreadPadding(dimension))
        try x.withUnsafeMutableBytes { try mumps.solve($0.baseAddress!, count: b.columns) }
        x.removeSubrange((dimension * b.columns)...)
        return DenseMatrix<Scalar>(rows: dimension, columns: b.columns, entries: x, order: .columnMajor)
    }

    /// In place on `count` contiguous right-hand sides (the Krylov drivers' hot path).
    func solveInPlace(_ p: UnsafeMutablePointer<Scalar>, count: Int = 1) throws {
        try mumps.solve(UnsafeMutableRawPointer(p), count: count)
    }
}

extension MatrixScalar {
    /// Neither NaN nor ±Inf (both parts, for complex scalars).
    var isFiniteScalar: Bool {
        if let x = self as? Double { return x.isFinite }
        if let z = self as? Complex<Double> { return z.isFinite }
        return !magnitudeSquared.isNaN
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
