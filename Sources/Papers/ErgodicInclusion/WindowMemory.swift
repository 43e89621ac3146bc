import Foundation
import Kernels
import Linalg
import Verification

/// The memory guard of the window measurements (`WindowSample.measure`, `GapRatioScan`): what
/// one worker holds for one model, on the path `EigensolverPolicy.automatic` takes for it.
///
/// - Dense (dimension ≤ 4096): `denseMatrices` n×n matrices of 8 bytes (the Hamiltonian,
///   LAPACK's copy and, for the vector windows, the workspace), as before the shift-invert path.
/// - Shift-invert: MUMPS's own estimate of the in-core LDLᵀ (INFOG(17) plus the input
///   triplets, from the symbolic analysis of the model's sparsity pattern with the SCOTCH
///   ordering — the pattern, hence the estimate, is the same for every draw, W, β and g),
///   plus the Krylov basis and the window's vectors, n·(basis + 4K + 16)·8 bytes, plus two
///   CSR copies of H, n·(L + 2n_GOE + 1)·12 bytes each. The analysis runs once per
///   (L, n_GOE) and process (cached); above dimension 2·10⁶ it is refused without analysis.
enum WindowMemory {
    struct Key: Hashable { let sites: Int; let bubble: Int }
    final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var bytes = [Key: Double]()
    }
    static let cache = Cache()

    /// Largest dimension whose factorization is even analysed (a 2·10⁶ sector is far beyond
    /// this machine: the factor of the bare L = 20 chain, n = 1.8·10⁵, is already GBs).
    static let largestAnalysedDimension = 2_000_000.0

    /// MUMPS's estimate (bytes) of the LDLᵀ of a model with these sizes, σ = 0.
    static func factorEstimate(sites l: Int, bubble n: Int) throws -> Double {
        let key = Key(sites: l, bubble: n)
        cache.lock.lock()
        if let b = cache.bytes[key] { cache.lock.unlock(); return b }
        cache.lock.unlock()
        // A generic draw: every structurally possible entry is nonzero (fields, GOE entries).
        var rng = RandomStream(seed: 0x6D656D, label: "window-memory")
        let draw = BubbleChainDraw.draw(sites: l, bubble: n, &rng)
        let model = BubbleChain(draw, disorder: 1, beta: ErgodicInclusion.paperBandwidth(bubble: n) ?? 0.6, coupling: 1)
        let h = try (n > 0 ? model : model.bare).hamiltonian().sparse()
        let e = try estimateSymmetricFactorization(h, shift: 0, options: .init(ordering: .scotch))
        let b = Double(e.bytes)
        cache.lock.lock(); cache.bytes[key] = b; cache.lock.unlock()
        return b
    }

    /// Bytes one worker holds to measure a window of `states` pairs of the model (sites, bubble),
    /// and which path that is.
    static func bytes(sites l: Int, bubble n: Int, states k: Int, denseMatrices: Int,
                      policy: EigensolverPolicy = .automatic) throws -> (bytes: Double, path: String) {
        let d = BubbleChain.dimension(sites: l, bubble: n)
        guard d.isFinite, d >= 1 else { throw ClaimError.invalidParameter("matrix dimension \(d) for L = \(l), n_GOE = \(n)") }
        if d <= Double(policy.shiftInvertAbove) {
            return (Double(denseMatrices) * d * d * 8, "dense")
        }
        guard d <= largestAnalysedDimension else {
            throw ClaimError.invalidParameter("L = \(l), n_GOE = \(n): dimension \(Int(d)) is beyond shift-invert on this machine")
        }
        let factor: Double
        do { factor = try factorEstimate(sites: l, bubble: n) } catch {
            throw ClaimError.invalidParameter("L = \(l), n_GOE = \(n): the sparse factorization cannot be planned: \(error)")
        }
        let p = 4, basis = Double(max(3 * k, k + 6 * p) + p)
        let krylov = d * (basis + 4 * Double(k) + 16) * 8
        let csr = 2 * d * Double(l + 2 * max(n, 1) + 1) * 12
        return (factor + krylov + csr, "shift-invert")
    }

    /// Refuse parameters whose largest window measurement, times the workers running in
    /// parallel, exceeds half the physical memory (`MemoryBudget.require`).
    static func require(models: [(sites: Int, bubble: Int)], states k: Int, denseMatrices: Int,
                        parallel: Int = ProcessInfo.processInfo.activeProcessorCount, for what: String) throws {
        var worst = (bytes: 0.0, path: "", l: 0, n: 0)
        for m in models {
            let b = try bytes(sites: m.sites, bubble: m.bubble, states: k, denseMatrices: denseMatrices)
            if b.bytes > worst.bytes { worst = (b.bytes, b.path, m.sites, m.bubble) }
        }
        let dim = Int(BubbleChain.dimension(sites: worst.l, bubble: worst.n))
        try MemoryBudget.require(worst.bytes * Double(max(1, parallel)),
                                 for: "\(what) (\(worst.path), L = \(worst.l), n_GOE = \(worst.n), dimension \(dim), \(max(1, parallel)) in parallel)")
    }
}
