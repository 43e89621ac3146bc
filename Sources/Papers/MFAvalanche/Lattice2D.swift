import Foundation
import Kernels
import Linalg

/// The finite lattice of Sec. VII: the square-lattice sites n = (n₁, n₂) within lattice
/// radius R of the grain's site, |n₁| + |n₂| ≤ R, so N = 2R² + 2R + 1.
///
/// Site order (one convention, used everywhere): by taxicab distance |n|₁, then n₁, then n₂;
/// index 0 is the origin n = 0, the site the grain couples to (Eq. 15).
public struct DiamondLattice: Sendable, Equatable {
    public let radius: Int
    /// n₁ and n₂ of each site, in site order.
    public let first: [Int]
    public let second: [Int]
    /// Nearest-neighbour bonds (i < j), each once.
    public let bonds: [(Int, Int)]

    public init(radius r: Int) {
        precondition(r >= 0, "lattice radius must be ≥ 0")
        var sites = [(Int, Int)]()
        for a in -r...r { for b in -r...r where abs(a) + abs(b) <= r { sites.append((a, b)) } }
        sites.sort { (abs($0.0) + abs($0.1), $0.0, $0.1) < (abs($1.0) + abs($1.1), $1.0, $1.1) }
        radius = r
        first = sites.map(\.0)
        second = sites.map(\.1)
        // Index lookup on the (2R+1)² bounding square.
        let w = 2 * r + 1
        var lookup = [Int](repeating: -1, count: w * w)
        for (i, s) in sites.enumerated() { lookup[(s.0 + r) * w + (s.1 + r)] = i }
        var b = [(Int, Int)]()
        for (i, s) in sites.enumerated() {
            for (d1, d2) in [(1, 0), (0, 1)] {
                let a = s.0 + d1, c = s.1 + d2
                guard abs(a) + abs(c) <= r else { continue }
                let j = lookup[(a + r) * w + (c + r)]
                b.append((min(i, j), max(i, j)))
            }
        }
        bonds = b
    }

    public static func == (l: DiamondLattice, r: DiamondLattice) -> Bool { l.radius == r.radius }

    /// N = 2R² + 2R + 1.
    public static func siteCount(radius r: Int) -> Int { 2 * r * r + 2 * r + 1 }
    public var count: Int { first.count }

    /// |n|₁ of site i.
    public func distance(_ i: Int) -> Int { abs(first[i]) + abs(second[i]) }

    /// The site index of (n₁, n₂), nil outside the lattice.
    public func index(_ n1: Int, _ n2: Int) -> Int? {
        guard abs(n1) + abs(n2) <= radius else { return nil }
        return first.indices.first { first[$0] == n1 && second[$0] == n2 }
    }
}

/// The periodic potential of Sec. VII: the asymmetric triangular wave of amplitude W through
/// V(0) = W, V(2π/q₁) = −W, V(2π) = W (linear in between, period 2π). It has no inversion
/// centre; sampled at uniform θ it is uniform on [−W, W] (each value is hit once on each
/// linear piece, with weights proportional to the pieces' lengths and inverse slopes).
public struct TriangularWave: Sendable, Equatable {
    public let amplitude: Double
    /// θ of the minimum, 2π/q₁ = 2/(1 + √5) ≈ 0.618.
    public static let minimumPhase = 2 * Double.pi / LatticePotential.wavevector.0

    public init(amplitude w: Double) { amplitude = w }

    public func callAsFunction(_ theta: Double) -> Double {
        let a = Self.minimumPhase, period = 2 * Double.pi
        var t = theta.truncatingRemainder(dividingBy: period)
        if t < 0 { t += period }
        if t < a { return amplitude - 2 * amplitude * t / a }
        return -amplitude + 2 * amplitude * (t - a) / (period - a)
    }
}

/// The phases θ_n of Eq. (15)'s two ensembles.
public enum LatticePotential {
    /// q = π(1 + √5, 1 + √3).
    public static let wavevector = (Double.pi * (1 + 5.0.squareRoot()), Double.pi * (1 + 3.0.squareRoot()))

    /// Quasiperiodic: θ_n = q·n + θ₀.
    public static func quasiperiodicPhases(_ lattice: DiamondLattice, offset theta0: Double) -> [Double] {
        (0..<lattice.count).map { i in
            wavevector.0 * Double(lattice.first[i]) + wavevector.1 * Double(lattice.second[i]) + theta0
        }
    }

    /// Random: θ_n i.i.d. uniform on [0, 2π), drawn in site order.
    public static func randomPhases(_ lattice: DiamondLattice, _ rng: inout RandomStream) -> [Double] {
        (0..<lattice.count).map { _ in 2 * Double.pi * rng.uniform() }
    }
}

/// H_2D of Eq. (15): nearest-neighbour hopping of unit amplitude plus V(θ_n) on site n, as a
/// dense N × N matrix in site order. (The hopping sign is immaterial for every quantity used
/// here: the lattice is bipartite, and (−1)^{n₁+n₂} maps +1 to −1 without changing |φ|.)
public func latticeHamiltonian(_ lattice: DiamondLattice, phases: [Double], amplitude w: Double) -> Matrix {
    precondition(phases.count == lattice.count, "one phase per site")
    let n = lattice.count
    let v = TriangularWave(amplitude: w)
    var h = Matrix(rows: n, columns: n)
    for i in 0..<n { h.storage[i + i * n] = v(phases[i]) }
    for (i, j) in lattice.bonds { h.storage[i + j * n] = 1; h.storage[j + i * n] = 1 }
    return h
}

/// The orbitals' overlaps with the grain's site, |φ_{n0}| of Eq. (16), for every orbital n
/// (in ascending orbital energy): the eigenvectors' first components (dsytrd + dstevr, no
/// eigenvector matrix formed). The bare couplings of Eq. (18) are g_{n,0} = g₀|φ_{n0}|.
///
/// Resolution: the components carry an absolute error of order ε‖H‖/gap ≈ 10⁻¹⁵; orbitals
/// localized far from the origin have true overlaps far below that, and their computed
/// values are rounding noise. `AvalancheSample` checks that no outcome depends on them.
public func originOverlaps(_ h: Matrix) throws -> [Double] {
    try symmetricEigenFirstComponents(h).firstComponents.map { abs($0) }
}
