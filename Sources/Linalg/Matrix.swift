import Numerics

/// The order in which a flat array lists the entries of a matrix.
///
/// Every matrix stores its entries column-major (LAPACK's native order); the storage
/// order of *input* arrays is always explicit in the initializer.
public enum StorageOrder: Sendable {
    /// a[i, j] at index i + j·rows (Fortran/LAPACK order).
    case columnMajor
    /// a[i, j] at index i·columns + j (C order).
    case rowMajor
}

/// The scalars a dense matrix can hold: `Double` and swift-numerics' `Complex<Double>`
/// (which has the memory layout of C's `double complex`, so storage goes to LAPACK as is).
public protocol MatrixScalar: Sendable, Equatable, AdditiveArithmetic {
    static var one: Self { get }
    /// |x|².
    var magnitudeSquared: Double { get }
    /// Complex conjugate (identity for real scalars).
    var conjugated: Self { get }
    static func * (lhs: Self, rhs: Self) -> Self
}

extension Double: MatrixScalar {
    public static var one: Double { 1 }
    public var magnitudeSquared: Double { self * self }
    public var conjugated: Double { self }
}

extension Complex: MatrixScalar where RealType == Double {
    public var magnitudeSquared: Double { lengthSquared }
    public var conjugated: Complex<Double> { conjugate }
}

/// A dense matrix, stored column-major: `self[i, j] == storage[i + j * rows]`.
public struct DenseMatrix<Scalar: MatrixScalar>: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    /// Column-major entries.
    public var storage: [Scalar]

    /// The zero matrix.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "negative matrix dimension")
        self.rows = rows
        self.columns = columns
        self.storage = [Scalar](repeating: .zero, count: rows * columns)
    }

    /// A matrix from a flat array in the stated order.
    public init(rows: Int, columns: Int, entries: [Scalar], order: StorageOrder) {
        precondition(entries.count == rows * columns, "expected \(rows * columns) entries, got \(entries.count)")
        self.rows = rows
        self.columns = columns
        switch order {
        case .columnMajor: storage = entries
        case .rowMajor:
            var s = [Scalar](repeating: .zero, count: rows * columns)
            for i in 0..<rows { for j in 0..<columns { s[i + j * rows] = entries[i * columns + j] } }
            storage = s
        }
    }

    /// A matrix from nested rows, `[[a00, a01], [a10, a11]]`.
    public init(_ rowArrays: [[Scalar]]) {
        let c = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == c }, "ragged rows")
        self.init(rows: rowArrays.count, columns: c, entries: rowArrays.flatMap { $0 }, order: .rowMajor)
    }

    /// A matrix whose entry (i, j) is `f(i, j)`.
    public init(rows: Int, columns: Int, _ f: (Int, Int) -> Scalar) {
        self.init(rows: rows, columns: columns)
        for j in 0..<columns { for i in 0..<rows { storage[i + j * rows] = f(i, j) } }
    }

    public static func identity(_ n: Int) -> Self {
        var m = Self(rows: n, columns: n)
        for i in 0..<n { m.storage[i + i * n] = .one }
        return m
    }

    /// A diagonal matrix.
    public static func diagonal(_ d: [Scalar]) -> Self {
        var m = Self(rows: d.count, columns: d.count)
        for i in d.indices { m.storage[i + i * d.count] = d[i] }
        return m
    }

    public subscript(i: Int, j: Int) -> Scalar {
        get { storage[i + j * rows] }
        set { storage[i + j * rows] = newValue }
    }

    public var isSquare: Bool { rows == columns }

    /// Column j as an array.
    public func column(_ j: Int) -> [Scalar] { Array(storage[(j * rows)..<((j + 1) * rows)]) }

    /// Entries in the requested order.
    public func entries(_ order: StorageOrder) -> [Scalar] {
        order == .columnMajor ? storage : transposed.storage
    }

    public var transposed: Self {
        var t = Self(rows: columns, columns: rows)
        for j in 0..<columns { for i in 0..<rows { t.storage[j + i * columns] = storage[i + j * rows] } }
        return t
    }

    /// Conjugate transpose A† (= Aᵀ for real matrices).
    public var adjoint: Self {
        var t = Self(rows: columns, columns: rows)
        for j in 0..<columns { for i in 0..<rows { t.storage[j + i * columns] = storage[i + j * rows].conjugated } }
        return t
    }

    /// Frobenius norm.
    public var frobeniusNorm: Double { storage.reduce(0) { $0 + $1.magnitudeSquared }.squareRoot() }

    /// Largest absolute entry.
    public var maxAbs: Double { storage.reduce(0) { max($0, $1.magnitudeSquared) }.squareRoot() }

    /// Max |a_ij − conj(a_ji)|: zero for a symmetric (real) or Hermitian (complex) matrix.
    public var antiHermiticity: Double {
        precondition(isSquare)
        var d = 0.0
        for j in 0..<columns { for i in 0...j { d = max(d, (self[i, j] - self[j, i].conjugated).magnitudeSquared) } }
        return d.squareRoot()
    }

    /// Trace.
    public var trace: Scalar {
        precondition(isSquare)
        var t = Scalar.zero
        for i in 0..<rows { t += self[i, i] }
        return t
    }

    public static func + (a: Self, b: Self) -> Self {
        precondition(a.rows == b.rows && a.columns == b.columns)
        var c = a
        for k in c.storage.indices { c.storage[k] += b.storage[k] }
        return c
    }

    public static func - (a: Self, b: Self) -> Self {
        precondition(a.rows == b.rows && a.columns == b.columns)
        var c = a
        for k in c.storage.indices { c.storage[k] -= b.storage[k] }
        return c
    }

    public static func * (s: Scalar, a: Self) -> Self {
        var c = a
        for k in c.storage.indices { c.storage[k] = s * c.storage[k] }
        return c
    }
}

/// A dense real matrix (column-major).
public typealias Matrix = DenseMatrix<Double>

/// A dense complex matrix (column-major), `Complex<Double>` entries.
public typealias ComplexMatrix = DenseMatrix<Complex<Double>>

extension DenseMatrix where Scalar == Double {
    /// Max |a_ij − a_ji|: zero for a symmetric matrix.
    public var asymmetry: Double { antiHermiticity }
}

extension DenseMatrix where Scalar == Complex<Double> {
    /// The complex matrix with the entries of a real one.
    public init(_ real: Matrix) {
        self.init(rows: real.rows, columns: real.columns, entries: real.storage.map { Complex($0, 0) }, order: .columnMajor)
    }
}
