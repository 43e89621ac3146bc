import Verification

/// Claims of mf-avalanche (Crowley & Chandran, PRB 106, 184208 (2022): mean-field theory of
/// failed thermalizing avalanches): the central grain, η(g) and the 1D mean-field avalanche
/// (issue 11), then the 2D-lattice claims of issue 12 (`claims2D`, TwoDimensionalClaims.swift).
public enum MFAvalanche {
    public static let claims: [Claim] = [resonanceTail, etaLimits, etaDirect, intermediateRegime, strongCoupling, twoSpinSelfConsistency, enhancementAdditivity, criticalAlpha, failedAvalancheSize, edVsMeanField, symmetricThreshold] + claims2D
}
