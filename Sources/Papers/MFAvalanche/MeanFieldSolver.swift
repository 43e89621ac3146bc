import Foundation
import Special

/// The self-consistent mean-field equations (11),
///
///     g_n = g_{n,0} exp(½ Σ_{m≠n} η(g_m)),
///
/// solved by the paper's iteration (13): g_{n,k+1} = g_{n,0} exp(½ Σ_{m≠n} η(g_{m,k})),
/// g_{n,0} the bare couplings (DRH chain, Eq. 12: g_{n,0} = g_{1,0}α^{n−1}; 2D lattice,
/// Eq. 18: g_{n,0} = g₀|φ_{n0}|).
///
/// Convergence. η is increasing, so the map is monotone; starting from the bare couplings
/// (a lower bound of every solution, η ≥ 0) the iterates increase monotonically to the
/// *least* solution, and are bounded (η < log 2 gives g_n < g_{n,0}2^{(N−1)/2}). The
/// undamped iteration therefore always converges; damping (log g ← (1−λ)log g + λ log g_new)
/// keeps monotonicity and is offered only for experiments. The test: with
/// Δ_k = max_n |log g_{n,k+1} − log g_{n,k}| and r = Δ_k/Δ_{k−1} < 1, the remaining distance
/// to the fixed point is bounded by the geometric tail Δ_k r/(1 − r); the iteration stops
/// when Δ_k and that tail are both below `tolerance`. At a fold (the threshold itself)
/// convergence is algebraic, r → 1, and the solver throws `notConverged` after
/// `maxIterations` rather than return an unconverged number.
///
/// Range. The iteration runs in log g and is exact for any size of the enhancement; only
/// the returned g_n = exp(log g_n) can overflow: a spin enhanced by e^{η_tot/2} with
/// log g_n > log(Double.greatestFiniteMagnitude) ≈ 709.78 (η_tot ≳ 2048 log 2: a thermal
/// chain of N ≳ 2000 spins, or a failed avalanche that thermalized that many) has g_n = +∞
/// in `couplings` and its exact value in `logCouplings`. η(+∞) = log 2 and the single-spin
/// forms' large-g expansions (`SingleSpinForms.asymptoticAbove`) are exact there.
public struct MeanFieldSolver: Sendable {
    /// On max_n |Δ log g_n| and on the geometric-tail estimate of the remaining distance.
    public var tolerance: Double
    public var maxIterations: Int
    /// λ ∈ (0, 1]; 1 = the paper's iteration (13).
    public var damping: Double

    public init(tolerance: Double = 1e-12, maxIterations: Int = 1_000_000, damping: Double = 1) {
        precondition(tolerance > 0 && maxIterations > 0 && damping > 0 && damping <= 1)
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.damping = damping
    }

    public enum SolverError: Error, CustomStringConvertible, Equatable {
        case invalidCoupling(index: Int, value: Double)
        case notConverged(iterations: Int, lastStep: Double, contraction: Double)
        case nonFinite(iteration: Int)
        public var description: String {
            switch self {
            case let .invalidCoupling(i, v): return "mean field: bare coupling g_{\(i + 1),0} = \(v) must be finite and ≥ 0"
            case let .notConverged(k, d, r):
                return "mean field: no convergence after \(k) iterations (last max |Δ log g| = \(d), contraction \(r))"
            case let .nonFinite(k): return "mean field: non-finite coupling at iteration \(k)"
            }
        }
    }

    /// The least solution of (11) for the bare couplings `bare`.
    public func solve(bare: [Double], eta: some EnhancementFunction) throws -> MeanFieldSolution {
        for (i, g) in bare.enumerated() where !(g.isFinite && g >= 0) { throw SolverError.invalidCoupling(index: i, value: g) }
        return try iterate(bare: bare, logBare: bare.map { $0 > 0 ? log($0) : -Double.infinity }, eta: eta)
    }

    /// The least solution of (11) for bare couplings given by their logs (−∞ for a zero
    /// coupling): exact also for bare couplings below the double range (a DRH chain of
    /// thousands of spins has g_{n,0} = g_{1,0}α^{n−1} < 10⁻³⁰⁸, yet a large bubble still
    /// enhances the couplings of its edge to O(1)).
    public func solve(logBare: [Double], eta: some EnhancementFunction) throws -> MeanFieldSolution {
        for (i, l) in logBare.enumerated() where l.isNaN || l == .infinity { throw SolverError.invalidCoupling(index: i, value: exp(l)) }
        return try iterate(bare: logBare.map { exp($0) }, logBare: logBare, eta: eta)
    }

    /// The iteration (13) from the bare couplings: `bare` is the first iterate (as given, so that
    /// a caller holding exact couplings starts from them), `logBare` their logs (authoritative:
    /// a coupling is absent only where its log is −∞).
    func iterate(bare: [Double], logBare: [Double], eta: some EnhancementFunction) throws -> MeanFieldSolution {
        precondition(bare.count == logBare.count)
        let n = bare.count
        // Work in log g (exact for couplings near the bottom of the double range, where
        // exp∘log would not round-trip); zero couplings stay zero.
        var lg = logBare
        var g = bare
        var e = g.map { eta.eta($0) }
        var previousStep = Double.infinity
        for k in 1...maxIterations {
            var total = 0.0
            for m in 0..<n { total += e[m] }
            var step = 0.0
            for m in 0..<n where logBare[m] > -Double.infinity {
                var next = logBare[m] + 0.5 * (total - e[m])
                if damping < 1 { next = (1 - damping) * lg[m] + damping * next }
                guard next.isFinite else { throw SolverError.nonFinite(iteration: k) }
                step = max(step, abs(next - lg[m]))
                lg[m] = next
            }
            for m in 0..<n where logBare[m] > -Double.infinity { g[m] = exp(lg[m]); e[m] = eta.eta(g[m]) }
            let r = step / previousStep
            if step == 0 || (step < tolerance && r < 1 && step * r / (1 - r) < tolerance) {
                return MeanFieldSolution(bare: bare, couplings: g, logCouplings: lg, enhancements: e, iterations: k,
                                         residual: residual(logBare, lg, e))
            }
            previousStep = step
            if k == maxIterations { throw SolverError.notConverged(iterations: k, lastStep: step, contraction: r) }
        }
        fatalError("unreachable")
    }

    /// max_n |log g_n − log g_{n,0} − ½ Σ_{m≠n} η(g_m)| of a candidate solution (logs given).
    func residual(_ logBare: [Double], _ lg: [Double], _ e: [Double]) -> Double {
        let total = e.reduce(0, +)
        var r = 0.0
        for m in logBare.indices where logBare[m] > -Double.infinity {
            r = max(r, abs(lg[m] - logBare[m] - 0.5 * (total - e[m])))
        }
        return r
    }
}

/// A converged solution of (11).
public struct MeanFieldSolution: Sendable {
    public let bare: [Double]
    /// g_n = exp(log g_n); +∞ where log g_n > 709.78 (see `MeanFieldSolver`, Range).
    public let couplings: [Double]
    /// log g_n, exact where g_n overflows; −∞ for a zero bare coupling.
    public let logCouplings: [Double]
    /// η(g_n).
    public let enhancements: [Double]
    public let iterations: Int
    /// Fixed-point residual in log g (see `MeanFieldSolver.residual`).
    public let residual: Double

    /// η_tot = Σ_n η(g_n) (Eq. 14).
    public var totalEnhancement: Double { enhancements.reduce(0, +) }

    /// The avalanche size as η_tot/log 2 (the paper's "η_tot ~ n⋆ log 2", Sec. VI).
    public var thermalizedCount: Double { totalEnhancement / log(2.0) }

    /// The first position (1-based, linearly interpolated between sites) where `values`
    /// falls below `level`, scanning from n = 1 — e.g. [S_n] against log 2/2, the
    /// half-entropy definition of n⋆; nil if it never does.
    public static func crossing(_ values: [Double], below level: Double) -> Double? {
        guard let k = values.firstIndex(where: { $0 < level }) else { return nil }
        if k == 0 { return 1 }
        let a = values[k - 1], b = values[k]
        return Double(k) + (a - level) / (a - b)
    }

    /// Mean entanglement entropies [S_n] (A13) of every spin, with p_{g_na} = p̃(g/g_n)/g_n
    /// (the mean-field approximation: the distribution of spin n's norms is that of one spin
    /// with reduced coupling g_n).
    public func meanEntropies(_ forms: SingleSpinForms) throws -> [QuadratureValue] {
        try couplings.map { try forms.meanEntropy(reducedCoupling: $0) }
    }
}

/// Bare couplings of the DRH chain, Eq. (12) in reduced-coupling form: g_{n,0} = g_{1,0}α^{n−1}
/// (Sec. VI, the mean-field input of Figs. 2–3).
public func drhBareCouplings(first g10: Double, alpha: Double, spins n: Int) -> [Double] {
    (0..<n).map { g10 * pow(alpha, Double($0)) }
}

/// log g_{n,0} of the DRH chain (12), finite for every n: the log of `drhBareCouplings` where
/// that is a normal double (the same input, bit for bit), log g_{1,0} + (n − 1) log α below,
/// where g_{1,0}α^{n−1} is subnormal or underflows to 0 (n ≳ 2100 at α ≈ 1/√2).
public func drhLogBareCouplings(first g10: Double, alpha: Double, spins n: Int) -> [Double] {
    let l0 = log(g10), la = log(alpha)
    return drhBareCouplings(first: g10, alpha: alpha, spins: n).enumerated().map { k, g in
        g >= Double.leastNormalMagnitude ? log(g) : l0 + Double(k) * la
    }
}

/// The symmetric-coupling case of Eqs. (21)–(22): g_{n,0} = g₀ for all N spins, g_n = g,
///
///     g = g₀ e^{M η(g)/2},
///
/// with M = N − 1 from (11) (the sum runs over m ≠ n) or M = N as (21) prints it.
/// The localized (least) solution exists while g₀ < g_c, the value of φ(g) = g e^{−Mη(g)/2}
/// at its first local maximum, where (M/2) g η′(g) = 1. A fold (sharp threshold) exists
/// only if M · max_g gη′(g) > 2; below that φ is increasing and the least solution moves
/// continuously from localized to thermal.
public enum SymmetricCoupling {
    /// How many other spins enhance each spin's bath.
    public enum Convention: String, Sendable, Codable {
        /// M = N − 1: Eq. (11) with equal couplings.
        case selfConsistent
        /// M = N: Eq. (21) as printed.
        case printed
        public func others(_ spins: Int) -> Int { self == .printed ? spins : spins - 1 }
    }

    /// max_g g η′(g) and where it is attained (Brent minimization in log g).
    public static func peakLogDerivative(_ eta: some EnhancementFunction) throws -> (g: Double, value: Double) {
        // Coarse scan for a bracket, then Brent.
        let grid = stride(from: log(1e-12), through: log(1e3), by: 0.05).map { $0 }
        let vals = grid.map { u in exp(u) * eta.derivative(exp(u)) }
        let k = vals.indices.max(by: { vals[$0] < vals[$1] })!
        precondition(k > 0 && k < grid.count - 1, "g η′(g) peaks at the end of the scan")
        let best = try Solve1D.minimum({ u in -exp(u) * eta.derivative(exp(u)) }, bracket: grid[k - 1], grid[k + 1],
                                       guess: grid[k])
        return (exp(best.x), -best.value)
    }

    /// g_c for N spins: the first local maximum of φ(g) = g e^{−Mη(g)/2}; nil when there is
    /// no fold (M · max gη′ ≤ 2).
    public static func criticalCoupling(spins: Int, convention: Convention,
                                        eta: some EnhancementFunction) throws -> (gc: Double, gStar: Double)? {
        let m = Double(convention.others(spins))
        let peak = try peakLogDerivative(eta)
        if m * peak.value <= 2 { return nil }
        // 1 − (M/2) g η′(g) changes sign between g → 0 (where it is 1) and the peak.
        let f: (Double) -> Double = { u in 1 - 0.5 * m * exp(u) * eta.derivative(exp(u)) }
        var lo = log(peak.g) - 1
        while f(lo) <= 0 { lo -= 1 }
        let u = try Solve1D.root(f, bracket: lo, log(peak.g), absoluteTolerance: 1e-14, relativeTolerance: 1e-14)
        let gs = exp(u)
        return (gs * exp(-0.5 * m * eta.eta(gs)), gs)
    }

    /// The least solution g of g = g₀ e^{Mη(g)/2} (by the monotone scalar iteration from g₀,
    /// with the same convergence test as `MeanFieldSolver`), or nil if it does not converge
    /// within `maxIterations` (at the fold).
    public static func leastSolution(bare g0: Double, spins: Int, convention: Convention, eta: some EnhancementFunction,
                                     tolerance: Double = 1e-13, maxIterations: Int = 10_000_000) -> Double? {
        let m = Double(convention.others(spins))
        var g = g0, prev = Double.infinity
        for _ in 0..<maxIterations {
            let ng = g0 * exp(0.5 * m * eta.eta(g))
            let step = abs(log(ng) - log(g))
            let r = step / prev
            g = ng
            if step == 0 || (step < tolerance && r < 1 && step * r / (1 - r) < tolerance) { return g }
            prev = step
        }
        return nil
    }
}
