import Foundation
import Kernels
import Special

/// The Kotliar–Anderson–Stein chain of Eq. (1),
///
///     H = Σ_{i<j} J_ij / r_ij^α · Z_i Z_j − h_x Σ_i X_i,   J_ij = J_ji ~ N(0, 1) i.i.d.,
///
/// with the distance convention used everywhere in this module unless a claim asks for a
/// boundary variant (`KASGeometry`): a ring of L sites, periodic minimum image
/// r_ij = min(|i − j|, L − |i − j|); for even L the pair at r = L/2 is one bond (counted
/// once). J has unit standard deviation for every L (the paper's footnote: no 1/√L
/// scaling). K_ij = J_ij r_ij^{−α} is stored as a dense symmetric row-major L×L array
/// with zero diagonal (rows are needed for O(L) updates).
///
/// Effective fields, Eq. (2) (garbled in the text as "Z‘Z:J ZZ_ZZQS“ o; = Z\z i Zj";
/// reconstructed from "each spin is subject to a random z-field φ_i arising from the
/// interaction term"): Σ_{i<j} K_ij Z_i Z_j = ½ Σ_i Z_i φ_i with φ_i = Σ_{j≠i} K_ij Z_j.
/// Flipping spin i costs ΔE_i = −2 Z_i φ_i; flipping k changes φ_j by −2 Z_k K_jk
/// (O(L)) and leaves φ_k unchanged.
public struct KASChain: Sendable {
    public let sites: Int
    public let alpha: Double
    public let geometry: KASGeometry
    /// r(d)^{−α} for the index difference d = |i − j| = 0…L−1 (entry 0 unused), r(d) the
    /// geometry's distance.
    public let inversePowers: [Double]
    /// K_ij = J_ij / r_ij^α, row-major, zero diagonal.
    public var couplings: [Double]
    /// Z_i = ±1.
    public var spins: [Double]
    /// φ_i = Σ_j K_ij Z_j (kept up to date by `flip`).
    public var fields: [Double]

    /// Minimum-image distance on the ring.
    @inline(__always) public static func distance(_ i: Int, _ j: Int, sites l: Int) -> Int {
        let d = abs(i - j)
        return min(d, l - d)
    }

    /// An empty chain (buffers allocated, couplings zero).
    public init(sites: Int, alpha: Double, geometry: KASGeometry = .ring) {
        precondition(sites >= 2)
        self.sites = sites
        self.alpha = alpha
        self.geometry = geometry
        var w = [Double](repeating: 0, count: sites)
        for d in 1..<sites { w[d] = pow(geometry.distance(d, sites: sites), -alpha) }
        inversePowers = w
        couplings = [Double](repeating: 0, count: sites * sites)
        spins = [Double](repeating: 1, count: sites)
        fields = [Double](repeating: 0, count: sites)
    }

    /// A chain with given couplings K (row-major) and spins; fields recomputed.
    public init(sites: Int, alpha: Double, geometry: KASGeometry = .ring, couplings: [Double], spins: [Double]) {
        self.init(sites: sites, alpha: alpha, geometry: geometry)
        precondition(couplings.count == sites * sites && spins.count == sites)
        self.couplings = couplings
        self.spins = spins
        recomputeFields()
    }

    /// Draw new couplings and a random (T = ∞) configuration from `rng`, computing the
    /// fields in the same pass. Draw order (part of the reproducibility contract): for
    /// i = 0…L−1, for j = i+1…L−1, J_ij = rng.normalZiggurat(); then Z_i = ±1 from one
    /// bit each of successive 32-bit words. Cost: L²/2 normals + O(L²) memory traffic.
    public mutating func draw(_ rng: inout RandomStream) {
        let l = sites
        for i in 0..<l { spins[i] = (rng.next32() & 1) == 0 ? 1 : -1 }
        for i in 0..<l { fields[i] = 0 }
        // One row's normals drawn in a batch (same numbers, same order as one call each).
        var normals = [Double](repeating: 0, count: max(l, 1))
        couplings.withUnsafeMutableBufferPointer { k in
            fields.withUnsafeMutableBufferPointer { phi in
                spins.withUnsafeBufferPointer { z in
                    inversePowers.withUnsafeBufferPointer { w in
                      normals.withUnsafeMutableBufferPointer { g in
                        for i in 0..<l {
                            let row = i * l
                            let zi = z[i]
                            var acc = 0.0
                            k[row + i] = 0
                            if l - i - 1 > 0 { rng.fillNormalZiggurat(UnsafeMutableBufferPointer(rebasing: g[0..<(l - i - 1)])) }
                            for j in (i + 1)..<max(i + 1, l) {
                                let kij = g[j - i - 1] * w[j - i]
                                k[row + j] = kij
                                acc += kij * z[j]
                                phi[j] += kij * zi
                            }
                            phi[i] += acc
                        }
                      }
                        // Mirror the upper triangle into the lower one, tile by tile.
                        let b = 64
                        var bi = 0
                        while bi < l {
                            var bj = bi
                            while bj < l {
                                for i in bi..<min(bi + b, l) {
                                    for j in max(bj, i + 1)..<max(max(bj, i + 1), min(bj + b, l)) {
                                        k[j * l + i] = k[i * l + j]
                                    }
                                }
                                bj += b
                            }
                            bi += b
                        }
                    }
                }
            }
        }
    }

    /// Recompute φ = K·Z from scratch (O(L²); used by tests and after setting spins).
    public mutating func recomputeFields() {
        let l = sites
        for i in 0..<l {
            var acc = 0.0
            for j in 0..<l { acc += couplings[i * l + j] * spins[j] }
            fields[i] = acc
        }
    }

    /// Classical energy Σ_{i<j} K_ij Z_i Z_j = ½ Σ_i Z_i φ_i.
    public var classicalEnergy: Double {
        var e = 0.0
        for i in 0..<sites { e += spins[i] * fields[i] }
        return 0.5 * e
    }

    /// Flip spin k and update every field in O(L): φ_j −= 2 Z_k K_kj.
    @inline(__always)
    public mutating func flip(_ k: Int) {
        let l = sites
        let c = -2 * spins[k]
        couplings.withUnsafeBufferPointer { kk in
            fields.withUnsafeMutableBufferPointer { phi in
                let row = k * l
                for j in 0..<l { phi[j] += c * kk[row + j] }
            }
        }
        spins[k] = -spins[k]
    }

    /// True when every spin is anti-aligned with its field (Z_i φ_i < 0): single-spin-flip
    /// stable (SFS), i.e. no single flip lowers the energy.
    public var isSingleFlipStable: Bool {
        for i in 0..<sites where spins[i] * fields[i] >= 0 { return false }
        return true
    }

    /// Zero-temperature single-flip descent to an SFS state: repeatedly flip a uniformly
    /// random unstable spin (Z_i φ_i > 0) until none is left. Every flip lowers the energy
    /// by 2|φ_i|, so it terminates; ≈0.65 L flips of O(L) each: O(L²) per state. The rule
    /// ("uniformly random unstable spin") is our choice: the paper does not state it, and
    /// greedy descent gives a smaller x (NOTES). Returns the number of flips.
    ///
    /// Hot path (issue 15, item 5): each flip streams one random row of K (32 KB at L = 4000,
    /// from a 128 MB matrix), so the loop is bounded by memory bandwidth. It is written as a
    /// branch-free pass (field update and one instability byte per site, which the compiler
    /// vectorizes) and a pass comparing the bytes 8 at a time with the previous ones; the
    /// unstable set is updated in ascending site order exactly as a fused loop would, so
    /// the flips, the random draws and every field are bitwise those of the fused loop
    /// (KASGlassTests). Measured: ≈ 1.2× the time of a bare random-row axpy.
    @discardableResult
    public mutating func descendToSingleFlipStable(_ rng: inout RandomStream) -> Int {
        let l = sites
        var set = SpinSubset(capacity: l)
        let padded = (l + 7) / 8 * 8
        let flags = UnsafeMutableRawPointer.allocate(byteCount: 2 * padded, alignment: 8)
        defer { flags.deallocate() }
        flags.initializeMemory(as: UInt8.self, repeating: 0, count: 2 * padded)
        let old = flags.assumingMemoryBound(to: UInt8.self), new = old + padded
        for i in 0..<l where spins[i] * fields[i] > 0 { set.insert(i); old[i] = 1 }
        var flips = 0
        while set.count > 0 {
            let k = set.element(rng.integer(below: set.count))
            let c = -2 * spins[k]
            spins[k] = -spins[k]
            couplings.withUnsafeBufferPointer { kk in
                fields.withUnsafeMutableBufferPointer { phi in
                    spins.withUnsafeBufferPointer { z in
                        let row = kk.baseAddress! + k * l, p = phi.baseAddress!, zz = z.baseAddress!
                        for j in 0..<l {
                            let f = p[j] + c * row[j]
                            p[j] = f
                            new[j] = zz[j] * f > 0 ? 1 : 0
                        }
                    }
                }
            }
            var w = 0
            while w < padded {
                if flags.loadUnaligned(fromByteOffset: w, as: UInt64.self)
                    != flags.loadUnaligned(fromByteOffset: padded + w, as: UInt64.self) {
                    for j in w..<min(w + 8, l) where old[j] != new[j] {
                        if new[j] == 1 { set.insert(j) } else { set.remove(j) }
                        old[j] = new[j]
                    }
                }
                w += 8
            }
            flips += 1
        }
        return flips
    }

    /// Single-flip descent to an SFS state under `rule` (the paper does not state its rule;
    /// the variants measure that systematic). `.randomUnstable` is
    /// `descendToSingleFlipStable(_:)` and the only rule that draws from `rng`. Returns the
    /// number of flips.
    @discardableResult
    public mutating func descendToSingleFlipStable(rule: KASDescentRule, _ rng: inout RandomStream) -> Int {
        switch rule {
        case .randomUnstable: return descendToSingleFlipStable(&rng)
        case .mostUnstable: return descendGreedy()
        case .sequential: return descendSequential()
        }
    }

    /// Greedy descent: always flip the unstable spin with the largest Z_i φ_i (the largest
    /// energy drop 2|φ_i|; ties to the lower index). O(#unstable) to pick + O(L) to update.
    mutating func descendGreedy() -> Int {
        let l = sites
        var set = SpinSubset(capacity: l)
        for i in 0..<l where spins[i] * fields[i] > 0 { set.insert(i) }
        var flips = 0
        while set.count > 0 {
            var k = -1
            var best = -Double.infinity
            for e in 0..<set.count {
                let i = set.element(e)
                let g = spins[i] * fields[i]
                if g > best || (g == best && i < k) { best = g; k = i }
            }
            flip(k)
            for j in 0..<l {
                let unstable = spins[j] * fields[j] > 0
                if unstable != set.contains(j) { if unstable { set.insert(j) } else { set.remove(j) } }
            }
            flips += 1
        }
        return flips
    }

    /// Sequential descent: sweep i = 0…L−1, flipping each spin aligned with its field when
    /// the sweep reaches it ("flip each spin aligned with the local field"), until a sweep
    /// flips nothing.
    mutating func descendSequential() -> Int {
        var flips = 0
        var changed = true
        while changed {
            changed = false
            for i in 0..<sites where spins[i] * fields[i] > 0 {
                flip(i); flips += 1; changed = true
            }
        }
        return flips
    }
}

/// How the distance r_ij enters K_ij = J_ij r_ij^{−α} (boundary conditions). The paper
/// states periodic boundary conditions for its ED and nothing for its large-L classical
/// runs; `.ring` is this module's convention, the others are systematics. A periodic
/// (Ewald-like) image sum Σ_n |i − j + nL|^{−α} does not exist for α ≤ 1 (it diverges),
/// so the second periodic variant is the chord distance.
public enum KASGeometry: String, Codable, Sendable, CaseIterable {
    /// Ring, minimum image r = min(d, L − d).
    case ring
    /// Ring, chord distance r = (L/π) sin(πd/L) (≈ d for d ≪ L; r(L/2) = L/π).
    case chord
    /// Open chain, r = d (edge sites have fewer and farther partners).
    case open

    /// r for index difference d = |i − j| ∈ 1…L−1.
    @inline(__always) public func distance(_ d: Int, sites l: Int) -> Double {
        switch self {
        case .ring: return Double(min(d, l - d))
        case .chord: return Double(l) / Double.pi * sin(Double.pi * Double(d) / Double(l))
        case .open: return Double(d)
        }
    }
}

/// The rule of the single-flip descent to an SFS state (the paper: "we start with a random
/// state and flip each spin aligned with the local field, until each spin is anti-aligned
/// with the on-site field"; the order is not stated).
public enum KASDescentRule: String, Codable, Sendable, CaseIterable {
    /// A uniformly random unstable spin at each step (this module's headline rule).
    case randomUnstable = "random"
    /// The most unstable spin first (largest Z_i φ_i).
    case mostUnstable = "greedy"
    /// Sweeps in site order.
    case sequential
}

/// A subset of 0..<n with O(1) insert, remove, membership and uniform random element
/// (dense array + position table, swap-remove). Iteration order is deterministic.
public struct SpinSubset: Sendable {
    public private(set) var elements: [Int32]
    private var position: [Int32]
    public private(set) var count = 0

    public init(capacity n: Int) {
        elements = [Int32](repeating: 0, count: n)
        position = [Int32](repeating: -1, count: n)
    }

    @inline(__always) public func contains(_ i: Int) -> Bool { position[i] >= 0 }
    @inline(__always) public func element(_ k: Int) -> Int { Int(elements[k]) }

    @inline(__always) public mutating func insert(_ i: Int) {
        guard position[i] < 0 else { return }
        elements[count] = Int32(i); position[i] = Int32(count); count += 1
    }

    @inline(__always) public mutating func remove(_ i: Int) {
        let p = Int(position[i])
        guard p >= 0 else { return }
        let last = elements[count - 1]
        elements[p] = last; position[Int(last)] = Int32(p)
        position[i] = -1; count -= 1
    }
}

/// Lattice sums of the model.
public enum KASLattice {
    /// Site-averaged finite-L variance of φ_i at T = ∞, (1/L) Σ_i Σ_{j≠i} r_ij^{−2α}, for
    /// any geometry (direct O(L) sum; the ring value equals `fieldVariance(sites:alpha:)`).
    public static func fieldVariance(sites l: Int, alpha: Double, geometry: KASGeometry) throws -> Double {
        if geometry == .ring { return try fieldVariance(sites: l, alpha: alpha) }
        var s = 0.0
        for d in 1..<l {
            let w = pow(geometry.distance(d, sites: l), -2 * alpha)
            // Ring geometries: every site has one partner at each d. Open chain: L − d pairs at d, each counted for both sites.
            s += geometry == .open ? 2 * Double(l - d) / Double(l) * w : w
        }
        return s
    }

    /// Exact finite-L variance of φ_i at T = ∞: σ_L² = Σ_{j≠i} r_ij^{−2α} on the ring
    /// (the same for every site), via Σ_{r≤R} r^{−s} = ζ(s) − ζ(s, R + 1):
    /// odd L: 2 Σ_{r≤(L−1)/2} r^{−2α}; even L: 2 Σ_{r<L/2} r^{−2α} + (L/2)^{−2α}.
    public static func fieldVariance(sites l: Int, alpha: Double) throws -> Double {
        let s = 2 * alpha
        func partial(_ r: Int) throws -> Double {
            r <= 0 ? 0 : try SpecialFunctions.zeta(s).value - SpecialFunctions.hurwitzZeta(s, Double(r + 1)).value
        }
        if l % 2 == 1 { return 2 * (try partial((l - 1) / 2)) }
        return 2 * (try partial(l / 2 - 1)) + pow(Double(l / 2), -s)
    }

    /// The infinite-chain variance σ_∞² = 2ζ(2α) (the text's "or— = 1/2¢(2c)",
    /// reconstructed as σ_∞ = √(2ζ(2α)): the sum of r^{−2α} over both sides of a site),
    /// which diverges as 1/(α − ½) (ζ(s) ≈ 1/(s − 1)).
    public static func infiniteFieldVariance(alpha: Double) throws -> Double {
        2 * (try SpecialFunctions.zeta(2 * alpha).value)
    }
}
