import Foundation
import Kernels
import Verification

/// Claims of kas-glass: the Kotliar–Anderson–Stein long-range spin glass in a transverse
/// field (Eq. 1). Model: KASModel.swift; resonances: KASResonances.swift; ED:
/// KASExactDiagonalization.swift; claims: FieldClaims, DynamicsClaims, EDClaims.
public enum KASGlass {
    public static let claims: [Claim] = [
        fieldWidth, fieldGapExponent, minFieldScaling,
        avalancheDynamics, twoFlipResonances,
        levelStatistics, edwardsAnderson, remnantPolarization,
    ]

    /// Stream and model bookkeeping common to every claim (the Runner adds the seed).
    static func seedParameters(_ ctx: ClaimContext, streams: String) -> [String: JSONValue] {
        var p = ctx.parameters
        p["streams"] = .string(streams)
        p["distance"] = "periodic minimum image r_ij = min(|i−j|, L−|i−j|)"
        p["couplingDraw"] = "J_ij ~ N(0,1) (ziggurat on Philox), drawn for i<j row by row; K_ij = J_ij r_ij^-α"
        return p
    }

    static func f(_ x: Double, _ d: Int = 3) -> String { formatNumber(x, digits: d) }

    static func seconds(since t: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9 }
}
