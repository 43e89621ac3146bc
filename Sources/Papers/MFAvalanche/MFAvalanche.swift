import Verification

/// Claims of mf-avalanche (mean-field theory of failed avalanches). No issue yet.
public enum MFAvalanche {
    public static let claims: [Claim] = []
}
