import Numerics

/// The order in which a flat array lists the entries of a matrix.
///
/// Every `Matrix` and `ComplexMatrix` stores its entries column-major (LAPACK's native
/// order); the storage order of *input* arrays is always explicit in the initializer.
public enum StorageOrder: Sendable {
    /// a[i, j] at index i + j·rows (Fortran/LAPACK order).
    case columnMajor
    /// a[i, j] at index i·columns + j (C order).
    case rowMajor
}

/// A dense real matrix, stored column-major: `self[i, j] == storage[i + j * rows]`.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    /// Column-major entries.
    public var storage: [Double]

    /// The zero matrix.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "negative matrix dimension")
        self.rows = rows
        self.columns = columns
        self.storage = [Double](repeating: 0, count: rows * columns)
    }

    /// A matrix from a flat array in the stated order.
    public init(rows: Int, columns: Int, entries: [Double], order: StorageOrder) {
        precondition(entries.count == rows * columns, "expected \(rows * columns) entries, got \(entries.count)")
        self.rows = rows
        self.columns = columns
        switch order {
        case .columnMajor: storage = entries
        case .rowMajor:
            var s = [Double](repeating: 0, count: rows * columns)
            for i in 0..<rows { for j in 0..<columns { s[i + j * rows] = entries[i * columns + j] } }
            storage = s
        }
    }

    /// A matrix from nested rows, `[[a00, a01], [a10, a11]]`.
    public init(_ rowArrays: [[Double]]) {
        let r = rowArrays.count
        let c = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == c }, "ragged rows")
        self.init(rows: r, columns: c, entries: rowArrays.flatMap { $0 }, order: .rowMajor)
    }

    /// A matrix whose entry (i, j) is `f(i, j)`.
    public init(rows: Int, columns: Int, _ f: (Int, Int) -> Double) {
        self.init(rows: rows, columns: columns)
        for j in 0..<columns { for i in 0..<rows { storage[i + j * rows] = f(i, j) } }
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i + i * n] = 1 }
        return m
    }

    /// A diagonal matrix.
    public static func diagonal(_ d: [Double]) -> Matrix {
        var m = Matrix(rows: d.count, columns: d.count)
        for i in d.indices { m.storage[i + i * d.count] = d[i] }
        return m
    }

    public subscript(i: Int, j: Int) -> Double {
        get { storage[i + j * rows] }
        set { storage[i + j * rows] = newValue }
    }

    public var isSquare: Bool { rows == columns }

    /// Column j as an array.
    public func column(_ j: Int) -> [Double] { Array(storage[(j * rows)..<((j + 1) * rows)]) }

    /// Entries in the requested order.
    public func entries(_ order: StorageOrder) -> [Double] {
        switch order {
        case .columnMajor: return storage
        case .rowMajor: return transposed.storage
        }
    }

    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<columns { for i in 0..<rows { t.storage[j + i * columns] = storage[i + j * rows] } }
        return t
    }

    /// Frobenius norm.
    public var frobeniusNorm: Double {
        var s = 0.0
        for x in storage { s += x * x }
        return s.squareRoot()
    }

    /// Largest absolute entry.
    public var maxAbs: Double { storage.reduce(0) { max($0, abs($1)) } }

    /// Max |a_ij − a_ji|: zero for a symmetric matrix.
    public var asymmetry: Double {
        precondition(isSquare)
        var d = 0.0
        for j in 0..<columns { for i in 0..<j { d = max(d, abs(self[i, j] - self[j, i])) } }
        return d
    }

    public static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns)
        var c = a
        for k in c.storage.indices { c.storage[k] += b.storage[k] }
        return c
    }

    public static func - (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns)
        var c = a
        for k in c.storage.indices { c.storage[k] -= b.storage[k] }
        return c
    }

    public static func * (s: Double, a: Matrix) -> Matrix {
        var c = a
        for k in c.storage.indices { c.storage[k] *= s }
        return c
    }
}

/// A dense complex matrix, stored column-major: `self[i, j] == storage[i + j * rows]`.
/// `Complex<Double>` has the memory layout of C's `double complex`, so `storage` is
/// handed to LAPACK without copying.
public struct ComplexMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    /// Column-major entries.
    public var storage: [Complex<Double>]

    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "negative matrix dimension")
        self.rows = rows
        self.columns = columns
        self.storage = [Complex<Double>](repeating: .zero, count: rows * columns)
    }

    public init(rows: Int, columns: Int, entries: [Complex<Double>], order: StorageOrder) {
        precondition(entries.count == rows * columns, "expected \(rows * columns) entries, got \(entries.count)")
        self.rows = rows
        self.columns = columns
        switch order {
        case .columnMajor: storage = entries
        case .rowMajor:
            var s = [Complex<Double>](repeating: .zero, count: rows * columns)
            for i in 0..<rows { for j in 0..<columns { s[i + j * rows] = entries[i * columns + j] } }
            storage = s
        }
    }

    public init(_ rowArrays: [[Complex<Double>]]) {
        let r = rowArrays.count
        let c = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == c }, "ragged rows")
        self.init(rows: r, columns: c, entries: rowArrays.flatMap { $0 }, order: .rowMajor)
    }

    public init(rows: Int, columns: Int, _ f: (Int, Int) -> Complex<Double>) {
        self.init(rows: rows, columns: columns)
        for j in 0..<columns { for i in 0..<rows { storage[i + j * rows] = f(i, j) } }
    }

    /// The complex matrix with the entries of a real one.
    public init(_ real: Matrix) {
        self.init(rows: real.rows, columns: real.columns,
                  entries: real.storage.map { Complex($0, 0) }, order: .columnMajor)
    }

    public static func identity(_ n: Int) -> ComplexMatrix {
        var m = ComplexMatrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i + i * n] = .one }
        return m
    }

    public subscript(i: Int, j: Int) -> Complex<Double> {
        get { storage[i + j * rows] }
        set { storage[i + j * rows] = newValue }
    }

    public var isSquare: Bool { rows == columns }

    public func column(_ j: Int) -> [Complex<Double>] { Array(storage[(j * rows)..<((j + 1) * rows)]) }

    public var transposed: ComplexMatrix {
        var t = ComplexMatrix(rows: columns, columns: rows)
        for j in 0..<columns { for i in 0..<rows { t.storage[j + i * columns] = storage[i + j * rows] } }
        return t
    }

    /// Conjugate transpose A†.
    public var adjoint: ComplexMatrix {
        var t = ComplexMatrix(rows: columns, columns: rows)
        for j in 0..<columns { for i in 0..<rows { t.storage[j + i * columns] = storage[i + j * rows].conjugate } }
        return t
    }

    public var frobeniusNorm: Double {
        var s = 0.0
        for z in storage { s += z.lengthSquared }
        return s.squareRoot()
    }

    /// Max |a_ij − conj(a_ji)|: zero for a Hermitian matrix.
    public var antiHermiticity: Double {
        precondition(isSquare)
        var d = 0.0
        for j in 0..<columns { for i in 0...j { d = max(d, (self[i, j] - self[j, i].conjugate).length) } }
        return d
    }

    /// Trace.
    public var trace: Complex<Double> {
        precondition(isSquare)
        var t = Complex<Double>.zero
        for i in 0..<rows { t += self[i, i] }
        return t
    }

    public static func + (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.rows == b.rows && a.columns == b.columns)
        var c = a
        for k in c.storage.indices { c.storage[k] += b.storage[k] }
        return c
    }

    public static func - (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.rows == b.rows && a.columns == b.columns)
        var c = a
        for k in c.storage.indices { c.storage[k] -= b.storage[k] }
        return c
    }

    public static func * (s: Complex<Double>, a: ComplexMatrix) -> ComplexMatrix {
        var c = a
        for k in c.storage.indices { c.storage[k] *= s }
        return c
    }
}
