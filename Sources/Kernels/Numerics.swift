import Foundation
import Linalg
import Numerics

// Small generic numerical helpers shared by the paper folders (one implementation each).

/// Index of the largest element (the first one on ties); nil for an empty array.
public func argmax(_ x: [Double]) -> Int? {
    guard !x.isEmpty else { return nil }
    var best = 0
    for i in x.indices where x[i] > x[best] { best = i }
    return best
}

/// Frobenius (Hilbert–Schmidt) inner product ⟨A, B⟩ = Tr(A†B) = Σ conj(a_ij) b_ij.
public func frobeniusInner(_ a: ComplexMatrix, _ b: ComplexMatrix) -> Complex<Double> {
    precondition(a.rows == b.rows && a.columns == b.columns, "frobeniusInner: shape mismatch")
    var s = Complex<Double>.zero
    for k in a.storage.indices { s += a.storage[k].conjugate * b.storage[k] }
    return s
}

/// The empirical distribution function of a finite set of values (each with weight 1/n):
/// F(x) = #{v ≤ x}/n. Used as the law of a deterministic statistic tabulated on a grid.
public struct EmpiricalCDF: Sendable {
    public let sorted: [Double]

    public init(_ values: [Double]) {
        precondition(!values.isEmpty && values.allSatisfy(\.isFinite), "EmpiricalCDF needs finite values")
        sorted = values.sorted()
    }

    public var count: Int { sorted.count }

    /// F(x) = #{v ≤ x}/n (binary search).
    public func callAsFunction(_ x: Double) -> Double {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] <= x { lo = mid + 1 } else { hi = mid }
        }
        return Double(lo) / Double(sorted.count)
    }

    /// F(x−) = #{v < x}/n.
    public func leftLimit(_ x: Double) -> Double {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return Double(lo) / Double(sorted.count)
    }

    /// sup_x |F(x) − G(x)| for a continuous CDF G (exact: the supremum is attained at the
    /// jumps of F, from the left or the right).
    public func supDistance(to g: (Double) -> Double) -> Double {
        let n = Double(sorted.count)
        var d = 0.0
        for (i, v) in sorted.enumerated() {
            let gv = g(v)
            d = max(d, Double(i + 1) / n - gv, gv - Double(i) / n)
        }
        return d
    }
}

extension RandomStream {
    /// Gamma(shape a, scale 1) for a ≥ 1 (Marsaglia & Tsang, ACM TOMS 26, 363 (2000)):
    /// d = a − 1/3, c = 1/√(9d); x ~ N(0, 1) (ziggurat), v = (1 + cx)³, accept d·v when
    /// ln u < x²/2 + d − d·v + d ln v. Acceptance > 95% for every a ≥ 1.
    public mutating func gamma(shape a: Double) -> Double {
        precondition(a >= 1, "gamma(shape:) needs a ≥ 1")
        let d = a - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat { x = normalZiggurat(); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = uniform()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if Foundation.log(u) < 0.5 * x * x + d * (1 - v + Foundation.log(v)) { return d * v }
        }
    }
}
