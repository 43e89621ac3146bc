import Foundation
import Linalg

/// The minimum-cost perfect matching of an n × n cost matrix (the linear assignment
/// problem), by the Hungarian method in its shortest-augmenting-path form with dual
/// potentials (Kuhn–Munkres as arranged by Jonker and Volgenant): O(n³) time, O(n²) memory
/// for the costs. Ties are broken by the lowest column index (deterministic).
public enum LinearAssignment {
    /// `cost[i * n + j]` (row-major). Returns column[i], the column matched to row i.
    public static func minimumCost(_ cost: [Double], n: Int) -> [Int] {
        precondition(cost.count == n * n, "cost matrix must be n × n")
        precondition(cost.allSatisfy(\.isFinite), "assignment costs must be finite")
        if n == 0 { return [] }
        // 1-based rows/columns; index 0 is the virtual start column.
        var u = [Double](repeating: 0, count: n + 1), v = u
        var rowOfColumn = [Int](repeating: 0, count: n + 1)
        var way = [Int](repeating: 0, count: n + 1)
        var minv = [Double](repeating: 0, count: n + 1)
        var used = [Bool](repeating: false, count: n + 1)
        cost.withUnsafeBufferPointer { a in
            for i in 1...n {
                rowOfColumn[0] = i
                var j0 = 0
                for j in 0...n { minv[j] = .infinity; used[j] = false }
                repeat {
                    used[j0] = true
                    let i0 = rowOfColumn[j0]
                    var delta = Double.infinity, j1 = 0
                    let base = (i0 - 1) * n - 1
                    for j in 1...n where !used[j] {
                        let cur = a[base + j] - u[i0] - v[j]
                        if cur < minv[j] { minv[j] = cur; way[j] = j0 }
                        if minv[j] < delta { delta = minv[j]; j1 = j }
                    }
                    for j in 0...n {
                        if used[j] { u[rowOfColumn[j]] += delta; v[j] -= delta } else { minv[j] -= delta }
                    }
                    j0 = j1
                } while rowOfColumn[j0] != 0
                repeat {
                    let j1 = way[j0]
                    rowOfColumn[j0] = rowOfColumn[j1]
                    j0 = j1
                } while j0 != 0
            }
        }
        var column = [Int](repeating: -1, count: n)
        for j in 1...n { column[rowOfColumn[j] - 1] = j - 1 }
        return column
    }

    /// Σ_i cost[i, column[i]].
    public static func total(_ cost: [Double], n: Int, _ column: [Int]) -> Double {
        (0..<n).reduce(0) { $0 + cost[$1 * n + column[$1]] }
    }
}

/// Positions of the orbitals f_n = Σ_m φ_{nm} c_m of H_2D on the lattice (Eq. 16). Only the
/// spatial quantities depend on this: the [S_n] maps of Fig. 4, the radius of Eq. (17)'s
/// r_n and the collar of Eq. (20). η_tot, f_aval and the multiset of couplings g_{n,0} do not
/// (they are sums or statistics over all orbitals).
public struct OrbitalPositions: Sendable {
    /// The paper's labelling (Sec. VII): the site assigned to each orbital by the permutation
    /// maximizing Π_n |φ_{n,σ(n)}| (a linear assignment on −log|φ|; the paper cites Blossom).
    public let assignedSite: [Int]
    /// The site where each orbital has its largest |φ| (not a permutation in general).
    public let peakSite: [Int]
    /// Σ_m |φ_{nm}|² |m|₁: the orbital's mean taxicab distance from the grain's site.
    public let meanDistance: [Double]

    /// Smallest |φ| the cost −log|φ| distinguishes (components below are rounding noise).
    public static let costFloor = 1e-300

    /// `vectors`: the N × N eigenvector matrix (column k = orbital k in site order).
    public init(vectors z: Matrix, lattice: DiamondLattice) {
        let n = z.rows
        precondition(z.columns == n && n == lattice.count, "one eigenvector per site")
        var cost = [Double](repeating: 0, count: n * n)
        var peak = [Int](repeating: 0, count: n), mean = [Double](repeating: 0, count: n)
        z.storage.withUnsafeBufferPointer { s in
            for k in 0..<n {
                var best = -1.0, arg = 0, d = 0.0
                for m in 0..<n {
                    let a = abs(s[m + k * n])
                    cost[k * n + m] = -log(max(a, Self.costFloor))
                    if a > best { best = a; arg = m }
                    d += a * a * Double(lattice.distance(m))
                }
                peak[k] = arg
                mean[k] = d
            }
        }
        assignedSite = LinearAssignment.minimumCost(cost, n: n)
        peakSite = peak
        meanDistance = mean
    }
}
