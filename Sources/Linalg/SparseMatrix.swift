/// A sparse matrix in compressed sparse row (CSR) form, 0-based indices:
/// the entries of row i are `values[rowStart[i]..<rowStart[i+1]]` in the columns
/// `columnIndices[rowStart[i]..<rowStart[i+1]]`, ascending, each column at most once.
///
/// The one sparse format of the package: the ED layer builds Hamiltonians in it, the
/// Lindblad layer builds Liouvillians in it, and the sparse factorizations read it.
public struct CSRMatrix<Scalar: MatrixScalar>: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    /// rowStart.count == rows + 1, rowStart[0] == 0, rowStart[rows] == values.count.
    public var rowStart: [Int]
    public var columnIndices: [Int32]
    public var values: [Scalar]

    public var nonzeroCount: Int { values.count }

    /// A CSR matrix from its arrays (checked: lengths, bounds, ascending unique columns).
    public init(rows: Int, columns: Int, rowStart: [Int], columnIndices: [Int32], values: [Scalar]) {
        precondition(rows >= 0 && columns >= 0 && columns <= Int(Int32.max), "bad CSR dimension")
        precondition(rowStart.count == rows + 1 && rowStart.first == 0 && rowStart.last == values.count
                     && columnIndices.count == values.count, "inconsistent CSR arrays")
        for i in 0..<rows {
            var previous: Int32 = -1
            for p in rowStart[i]..<rowStart[i + 1] {
                let c = columnIndices[p]
                precondition(c > previous && Int(c) < columns, "CSR row \(i): columns must ascend within 0..<\(columns)")
                previous = c
            }
        }
        self.rows = rows; self.columns = columns
        self.rowStart = rowStart; self.columnIndices = columnIndices; self.values = values
    }

    /// A CSR matrix from (row, column, value) triplets in any order; duplicates are summed,
    /// exact zeros after summation are kept out.
    public init(rows: Int, columns: Int, triplets: [(row: Int, column: Int, value: Scalar)]) {
        let sorted = triplets.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
        var start = [Int](repeating: 0, count: rows + 1)
        var cols = [Int32](), vals = [Scalar]()
        cols.reserveCapacity(sorted.count); vals.reserveCapacity(sorted.count)
        var k = 0
        for i in 0..<rows {
            start[i] = vals.count
            while k < sorted.count && sorted[k].row == i {
                let c = sorted[k].column
                var v = Scalar.zero
                while k < sorted.count && sorted[k].row == i && sorted[k].column == c { v += sorted[k].value; k += 1 }
                if v != .zero { cols.append(Int32(c)); vals.append(v) }
            }
        }
        precondition(k == sorted.count, "triplet outside 0..<\(rows) rows")
        start[rows] = vals.count
        self.init(rows: rows, columns: columns, rowStart: start, columnIndices: cols, values: vals)
    }

    /// y = A x.
    public func multiply(_ x: [Scalar]) -> [Scalar] {
        precondition(x.count == columns, "CSR multiply: vector length \(x.count), expected \(columns)")
        var y = [Scalar](repeating: .zero, count: rows)
        for i in 0..<rows {
            var s = Scalar.zero
            for p in rowStart[i]..<rowStart[i + 1] { s += values[p] * x[Int(columnIndices[p])] }
            y[i] = s
        }
        return y
    }

    /// The dense matrix with the same entries.
    public var dense: DenseMatrix<Scalar> {
        var m = DenseMatrix<Scalar>(rows: rows, columns: columns)
        for i in 0..<rows {
            for p in rowStart[i]..<rowStart[i + 1] { m.storage[i + Int(columnIndices[p]) * rows] = values[p] }
        }
        return m
    }
}
