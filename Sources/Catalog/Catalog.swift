import ErgodicInclusion
import KASGlass
import MBLSync
import MFAvalanche
import OpenSync
import Verification

/// Every claim of every paper, in report order (paper, then the paper's own order).
public enum Catalog {
    public static let claims: [Claim] = {
        let all = MBLSync.claims + MFAvalanche.claims + ErgodicInclusion.claims + OpenSync.claims + KASGlass.claims
        let ids = all.map(\.id)
        precondition(Set(ids).count == ids.count, "duplicate claim id in the catalog")
        return Paper.allCases.flatMap { p in all.filter { $0.paper == p } }
    }()

    public static func claim(_ id: String) -> Claim? { claims.first { $0.id == id } }
}
