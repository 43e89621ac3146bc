import Foundation
import Special

/// The mean-field description of the DRH chain (Sec. VI): bare couplings g_{n,0} = g_{1,0}α^{n−1}
/// (Eq. 12 in reduced form), the least solution of (11) by the iteration (13), and the end
/// spin's mean entropy [S_N] by (A13) with p_{g_Na} = p̃(g/g_N)/g_N.
public struct DRHMeanField: Sendable {
    public let eta: EtaInterpolant
    public let forms: SingleSpinForms
    public let solver: MeanFieldSolver

    public init(eta: EtaInterpolant, forms: SingleSpinForms, solver: MeanFieldSolver = MeanFieldSolver()) {
        self.eta = eta; self.forms = forms; self.solver = solver
    }

    /// The least solution, from the bare couplings in log form (`drhLogBareCouplings`: the
    /// chain's far end lies below the double range for N ≳ 2100 near α_c, and a linear
    /// g_{n,0} = 0 there would cut the chain short).
    public func solve(alpha: Double, firstCoupling g10: Double, spins n: Int) throws -> MeanFieldSolution {
        precondition(g10 > 0 && alpha > 0, "DRH chain needs g₁,₀ > 0 and α > 0")
        return try solver.iterate(bare: drhBareCouplings(first: g10, alpha: alpha, spins: n),
                                  logBare: drhLogBareCouplings(first: g10, alpha: alpha, spins: n), eta: eta)
    }

    /// [S_N]/log 2 of the end spin.
    public func endEntropyFraction(alpha: Double, firstCoupling g10: Double, spins n: Int) throws -> Double {
        let s = try solve(alpha: alpha, firstCoupling: g10, spins: n)
        return try forms.meanEntropy(reducedCoupling: s.couplings[n - 1]).value / log(2.0)
    }

    /// The α at which [S_N]/log 2 = q (it increases with α), by Brent on α ∈ [lo, hi].
    public func crossing(level q: Double, firstCoupling g10: Double, spins n: Int, bracket lo: Double = 0.2,
                         _ hi: Double = 0.99, tolerance: Double = 1e-9) throws -> Double {
        precondition(q > 0 && q < 1)
        // Solver errors become NaN inside the root finder; they are rethrown below.
        let f: (Double) -> Double = { a in ((try? self.endEntropyFraction(alpha: a, firstCoupling: g10, spins: n)) ?? .nan) - q }
        guard f(lo) < 0, f(hi) > 0 else {
            throw MeanFieldSolver.SolverError.notConverged(iterations: 0, lastStep: .nan, contraction: .nan)
        }
        let a = try Solve1D.root(f, bracket: lo, hi, absoluteTolerance: tolerance, relativeTolerance: 0)
        _ = try endEntropyFraction(alpha: a, firstCoupling: g10, spins: n)   // rethrow a solver error at the root
        return a
    }

    /// The mean entropies [S_n] (A13) of every spin, nats.
    public func entropies(_ s: MeanFieldSolution) throws -> [Double] {
        try s.couplings.map { try forms.meanEntropy(reducedCoupling: $0).value }
    }
}
