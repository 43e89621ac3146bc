import Verification

/// Claims of mbl-sync (Li, Tu, Das Sarma): synchronized oscillations in a mirror-symmetric
/// MBL chain. Not implemented yet (issue 3).
public enum MBLSync {
    public static let claims: [Claim] = []
}
