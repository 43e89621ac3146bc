import Verification

/// Claims of kas-glass (long-range quantum spin glass). Not implemented yet (issue 5).
public enum KASGlass {
    public static let claims: [Claim] = []
}
