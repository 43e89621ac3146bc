import Foundation
import Kernels
import Verification

/// Claims of kas-glass: the Kotliar–Anderson–Stein long-range spin glass in a transverse
/// field (Eq. 1). Model: KASModel.swift; resonances: KASResonances.swift; ED:
/// KASExactDiagonalization.swift; SFS field ensembles and exponent estimators:
/// KASFieldEnsemble.swift; claims: FieldClaims, FieldGapClaims, DynamicsClaims, EDClaims.
public enum KASGlass {
    public static let claims: [Claim] = [
        fieldWidth, fieldGapExponent, minFieldScaling,
        avalancheDynamics, twoFlipResonances,
        levelStatistics, edwardsAnderson, remnantPolarization,
    ]

    static func f(_ x: Double, _ d: Int = 3) -> String { formatNumber(x, digits: d) }

    /// Parameter guard for chains of these sizes: each realization holds the L×L couplings.
    static func requireChains(_ sizes: [Int], realizations: Int, _ ctx: ClaimContext) throws {
        guard let big = sizes.max(), sizes.allSatisfy({ $0 >= 4 }) else { throw ClaimError.invalidParameter("chain sizes must be ≥ 4") }
        try MemoryBudget.requireDense(dimension: Double(big), matrices: 1, parallel: min(ctx.jobs, realizations), for: "L = \(big) couplings")
    }

    /// Parameter guard for ED of Eq. (1) in one parity sector (dimension 2^{L−1}): values
    /// only hold H and LAPACK's copy, with vectors also the eigenvectors.
    static func requireED(sites: [Int], vectors: Bool, realizations: Int, _ ctx: ClaimContext) throws {
        guard let big = sites.max(), sites.allSatisfy({ $0 >= 4 }) else {
            throw ClaimError.invalidParameter("ED sizes must be ≥ 4 sites (got \(sites))")
        }
        try MemoryBudget.requireDense(dimension: pow(2, Double(big - 1)), matrices: vectors ? 3 : 2,
                                      parallel: min(ctx.jobs, realizations), for: "ED of L = \(big)")
    }

}
