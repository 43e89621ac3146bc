import Verification

/// Claims of mf-avalanche (Crowley & Chandran, PRB 106, 184208 (2022): mean-field theory of
/// failed thermalizing avalanches), issue 11. The 2D-lattice claims of issue 12 are appended
/// by the lead at merge.
public enum MFAvalanche {
    public static let claims: [Claim] = [resonanceTail, etaLimits, etaDirect, intermediateRegime, strongCoupling, twoSpinSelfConsistency, enhancementAdditivity, criticalAlpha, failedAvalancheSize, edVsMeanField, symmetricThreshold]
}
