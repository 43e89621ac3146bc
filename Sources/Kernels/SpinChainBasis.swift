import Foundation
import Linalg

/// The fixed-magnetization (U(1)) sector of an open spin-1/2 chain of `sites` sites with
/// `particles` up spins, with O(1) state ↔ index lookup.
///
/// Conventions: sites are 0-based in code (paper site i is code site i − 1); site i is bit i
/// of the state integer; bit 1 = spin up = σ^z = +1 = a particle (Jordan–Wigner fermion).
/// Basis states are listed in ascending integer order. Used for the XXZ chains of
/// mbl-sync Eqs. (1)–(2).
public struct FixedParticleBasis: Sendable {
    public let sites: Int
    public let particles: Int
    /// Basis states (bit patterns), ascending.
    public let states: [UInt32]
    /// lookup[state] = index in `states`, or −1 when the state is outside the sector.
    private let lookup: [Int32]

    public init(sites: Int, particles: Int) {
        precondition(sites >= 1 && sites <= 24, "FixedParticleBasis supports 1…24 sites")
        precondition(particles >= 0 && particles <= sites)
        self.sites = sites
        self.particles = particles
        var st = [UInt32]()
        var lk = [Int32](repeating: -1, count: 1 << sites)
        for s in 0..<(UInt32(1) << UInt32(sites)) where s.nonzeroBitCount == particles {
            lk[Int(s)] = Int32(st.count)
            st.append(s)
        }
        states = st
        lookup = lk
    }

    /// Sector dimension C(L, N).
    public var count: Int { states.count }

    /// Index of a bit pattern, nil when it is not in this sector.
    @inline(__always) public func index(of state: UInt32) -> Int? {
        let k = lookup[Int(state)]
        return k < 0 ? nil : Int(k)
    }

    /// The bit pattern with up spins exactly on `occupied` (0-based sites).
    public static func state(occupying occupied: [Int]) -> UInt32 {
        occupied.reduce(UInt32(0)) { $0 | (UInt32(1) << UInt32($1)) }
    }

    /// σ^z_i (±1) of basis state k.
    @inline(__always) public func sigmaZ(_ k: Int, site i: Int) -> Double {
        (states[k] >> UInt32(i)) & 1 == 1 ? 1 : -1
    }

    /// The σ^z string ∏_{i ∈ sites} σ^z_i of basis state k.
    public func sigmaZString(_ k: Int, sites list: [Int]) -> Double {
        var v = 1.0
        for i in list { v *= sigmaZ(k, site: i) }
        return v
    }

    /// σ^z_i for every basis state (a diagonal operator as a vector).
    public func sigmaZDiagonal(site i: Int) -> [Double] { (0..<count).map { sigmaZ($0, site: i) } }

    /// Index of the mirror image of basis state k (site i ↦ L − 1 − i). In the spin language
    /// the mirror is a plain site permutation (no Jordan–Wigner sign).
    public func mirrorIndex(_ k: Int) -> Int {
        let s = states[k]
        var r: UInt32 = 0
        for i in 0..<sites where (s >> UInt32(i)) & 1 == 1 { r |= UInt32(1) << UInt32(sites - 1 - i) }
        return index(of: r)!
    }

    /// Nearest-neighbour hops: every (from, to) with `to` obtained from `from` by moving one
    /// particle across a bond (i, i+1) of `bonds` (the matrix element of ¼(σ^xσ^x + σ^yσ^y)
    /// between them is ½). Both directions are listed.
    public func hops(bonds: [Int]) -> [(from: Int, to: Int)] {
        var out = [(from: Int, to: Int)]()
        for k in 0..<count {
            let s = states[k]
            for i in bonds {
                let m = (UInt32(1) << UInt32(i)) | (UInt32(1) << UInt32(i + 1))
                let b = s & m
                if b != 0 && b != m { out.append((k, index(of: s ^ m)!)) }
            }
        }
        return out
    }

    /// Diagonal of H_diag = ¼ Σ_{bonds} Δ σ^z_i σ^z_{i+1} + ½ Σ_i h_i σ^z_i (the σ^z part of Eq. (2)).
    public func xxzDiagonal(bonds: [Int], delta: Double, fields h: [Double]) -> [Double] {
        precondition(h.count == sites)
        var d = [Double](repeating: 0, count: count)
        for k in 0..<count {
            let s = states[k]
            var e = 0.0
            for i in 0..<sites { e += 0.5 * h[i] * ((s >> UInt32(i)) & 1 == 1 ? 1 : -1) }
            for i in bonds {
                let same = ((s >> UInt32(i)) & 1) == ((s >> UInt32(i + 1)) & 1)
                e += 0.25 * delta * (same ? 1 : -1)
            }
            d[k] = e
        }
        return d
    }

    /// Dense sector Hamiltonian of the open XXZ chain
    /// H = Σ_{i ∈ bonds} ¼(σ^x_iσ^x_{i+1} + σ^y_iσ^y_{i+1} + Δ σ^z_iσ^z_{i+1}) + ½ Σ_i h_i σ^z_i
    /// (mbl-sync Eq. (2) conventions: fermion hopping ½, on-site energy h_i).
    public func xxzHamiltonian(delta: Double, fields h: [Double], bonds: [Int]? = nil) -> Matrix {
        let b = bonds ?? Array(0..<(sites - 1))
        var m = Matrix.diagonal(xxzDiagonal(bonds: b, delta: delta, fields: h))
        for (f, t) in hops(bonds: b) { m[t, f] = 0.5 }
        return m
    }
}
