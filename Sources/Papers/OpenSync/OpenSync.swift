import Verification

/// Claims of open-sync (Zhao, Moore, Thingna, Wächtler). Not implemented yet (issue 4).
public enum OpenSync {
    public static let claims: [Claim] = []
}
