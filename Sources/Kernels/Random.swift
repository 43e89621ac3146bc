import Numerics
import Linalg

/// Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as
/// 1, 2, 3", SC'11): a counter-based generator. Block k of the stream with key (k0, k1)
/// is Philox(counter = (k_lo, k_hi, c2, c3), key); ten rounds of
/// (L', R') = (mulhi(M,R) ⊕ L ⊕ key, mullo(M,R)) on two 32-bit lanes, with Weyl key bumps.
/// Known-answer vectors from Random123 are checked in the tests.
public struct Philox4x32: Sendable {
    public static let m0: UInt32 = 0xD251_1F53
    public static let m1: UInt32 = 0xCD9E_8D57
    public static let w0: UInt32 = 0x9E37_79B9
    public static let w1: UInt32 = 0xBB67_AE85

    /// The Philox4x32-10 bijection of one 128-bit counter under a 64-bit key.
    @inline(__always)
    public static func block(counter c: (UInt32, UInt32, UInt32, UInt32), key k: (UInt32, UInt32))
        -> (UInt32, UInt32, UInt32, UInt32) {
        var (c0, c1, c2, c3) = c
        var (k0, k1) = k
        for round in 0..<10 {
            if round > 0 { k0 &+= w0; k1 &+= w1 }
            let p0 = UInt64(m0) &* UInt64(c0)
            let p1 = UInt64(m1) &* UInt64(c2)
            let hi0 = UInt32(truncatingIfNeeded: p0 >> 32), lo0 = UInt32(truncatingIfNeeded: p0)
            let hi1 = UInt32(truncatingIfNeeded: p1 >> 32), lo1 = UInt32(truncatingIfNeeded: p1)
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
        }
        return (c0, c1, c2, c3)
    }
}

/// A deterministic random stream: one per (master seed, claim id, realization).
///
/// Key = (low, high) 32-bit halves of SplitMix64(seed ⊕ FNV-1a-64(claim id)); counter =
/// (block index: 64 bits, realization: 64 bits). Realization k of claim C is therefore the
/// same stream whatever `--jobs`, shard or evaluation order: nothing is shared between
/// realizations and no generator state is passed along.
public struct RandomStream: RandomNumberGenerator, Sendable {
    public let key: (UInt32, UInt32)
    public let realization: UInt64
    private var blockIndex: UInt64 = 0
    private var buffer: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
    private var used = 4
    private var spareNormal: Double? = nil

    /// The stream of `realization` for the claim `label` under the master `seed`.
    public init(seed: UInt64, label: String, realization: UInt64 = 0) {
        let k = RandomStream.splitMix64(seed ^ RandomStream.fnv1a64(label))
        self.key = (UInt32(truncatingIfNeeded: k), UInt32(truncatingIfNeeded: k >> 32))
        self.realization = realization
    }

    /// A sub-stream (e.g. the bootstrap of a claim) that is independent of this one.
    public func substream(_ label: String) -> RandomStream {
        let k = UInt64(key.0) | (UInt64(key.1) << 32)
        return RandomStream(seed: k, label: label, realization: realization)
    }

    /// FNV-1a, 64-bit, over the UTF-8 bytes.
    public static func fnv1a64(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// SplitMix64 finalizer (Steele, Lea & Flood 2014).
    public static func splitMix64(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Next 32 random bits.
    @inline(__always)
    public mutating func next32() -> UInt32 {
        if used == 4 {
            buffer = Philox4x32.block(
                counter: (UInt32(truncatingIfNeeded: blockIndex), UInt32(truncatingIfNeeded: blockIndex >> 32),
                          UInt32(truncatingIfNeeded: realization), UInt32(truncatingIfNeeded: realization >> 32)),
                key: key)
            blockIndex &+= 1
            used = 0
        }
        defer { used += 1 }
        switch used {
        case 0: return buffer.0
        case 1: return buffer.1
        case 2: return buffer.2
        default: return buffer.3
        }
    }

    /// Next 64 random bits (RandomNumberGenerator).
    public mutating func next() -> UInt64 {
        let hi = UInt64(next32())
        return (hi << 32) | UInt64(next32())
    }

    /// Uniform on [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform on [a, b).
    @inline(__always)
    public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }

    /// Uniform integer in 0..<n (Lemire's nearly divisionless method, unbiased).
    public mutating func integer(below n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let t = (0 &- bound) % bound
            while m.low < t { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// Standard normal N(0, 1) by the Box–Muller transform (both variates are used, in order).
    public mutating func normal() -> Double {
        if let z = spareNormal { spareNormal = nil; return z }
        let u1 = 1.0 - uniform()          // (0, 1]: log is finite
        let u2 = uniform()
        let r = (-2.0 * Double.log(u1)).squareRoot()
        let t = 2.0 * Double.pi * u2
        spareNormal = r * Double.sin(t)
        return r * Double.cos(t)
    }

    /// N(mean, σ²).
    public mutating func normal(mean: Double, standardDeviation sd: Double) -> Double { mean + sd * normal() }

    /// Exponential with unit mean.
    public mutating func exponential() -> Double { -Double.log(1.0 - uniform()) }

    /// Standard complex normal: E|z|² = 1 (real and imaginary parts N(0, 1/2)).
    public mutating func complexNormal() -> Complex<Double> {
        let s = 0.5.squareRoot()
        return Complex(s * normal(), s * normal())
    }

    /// An element of 0..<n chosen uniformly; a Fisher–Yates shuffle of an array.
    public mutating func shuffle<T>(_ a: inout [T]) {
        if a.count < 2 { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, integer(below: i + 1)) }
    }
}

/// Random-matrix ensembles on top of `RandomStream`.
public enum RandomMatrix {
    /// GOE: H = (A + Aᵀ)/2 with A_ij ~ N(0, 1): off-diagonal variance 1/2, diagonal variance 1,
    /// density ∝ exp(−tr H²/2). Semicircle radius √(2n).
    public static func goe(_ n: Int, _ rng: inout RandomStream) -> Matrix {
        var h = Matrix(rows: n, columns: n)
        for j in 0..<n {
            for i in 0..<j {
                let x = rng.normal() * 0.5.squareRoot()
                h[i, j] = x; h[j, i] = x
            }
            h[j, j] = rng.normal()
        }
        return h
    }

    /// GUE: H = (M + M†)/2 with M_ij standard complex normal (E|M_ij|² = 1): off-diagonal
    /// E|H_ij|² = 1/2, diagonal real N(0, 1/2). Density ∝ exp(−tr H²).
    public static func gue(_ n: Int, _ rng: inout RandomStream) -> ComplexMatrix {
        var m = ginibre(n, &rng)
        let a = m.adjoint
        for k in m.storage.indices { m.storage[k] = (m.storage[k] + a.storage[k]) * Complex(0.5, 0) }
        return m
    }

    /// Complex Ginibre: i.i.d. standard complex normal entries (E|G_ij|² = 1).
    public static func ginibre(_ n: Int, _ rng: inout RandomStream) -> ComplexMatrix {
        ginibre(rows: n, columns: n, &rng)
    }

    /// Complex Ginibre rows × columns.
    public static func ginibre(rows: Int, columns: Int, _ rng: inout RandomStream) -> ComplexMatrix {
        var g = ComplexMatrix(rows: rows, columns: columns)
        for k in g.storage.indices { g.storage[k] = rng.complexNormal() }
        return g
    }

    /// Real Ginibre: i.i.d. N(0, 1) entries.
    public static func realGinibre(_ n: Int, _ rng: inout RandomStream) -> Matrix {
        var g = Matrix(rows: n, columns: n)
        for k in g.storage.indices { g.storage[k] = rng.normal() }
        return g
    }
}
