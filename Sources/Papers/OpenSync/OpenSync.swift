import Foundation
import Kernels
import Linalg
import Numerics
import Verification

/// Claims of open-sync: Zhao, Moore, Thingna, Wächtler, "Quantum synchronization of
/// perturbed oscillating coherences" (../shared/papers/open-sync.txt).
///
/// Models live in Models.swift, the characterization functions χ, χ₂ below; generic
/// kernels (spin operators, Lindblad superoperators, Husimi phase distributions, the
/// App. F random-Liouvillian ensemble) are in Kernels.
public enum OpenSync {
    public static let claims: [Claim] = [
        chiUniform, chiConfigurations, spin1ZeroModes, husimiEq8, syncConfigurations,
        randomPerturbations, spinHalfPair, twoSpin1Oscillators,
    ]

    /// χ of Eq. (9) / (C1): χ = l², l = (3/4π) min_{j∈{0,1,2}} Σ_i argdist(φ_i, φ̄_j),
    /// φ̄_j = (2πj + Σ_k φ_k)/3. (Eq. (9) squares inside the min, (C1) outside: identical,
    /// since l ≥ 0.) `minimizeOverJ: false` keeps j = 0 only (the control of App. C).
    public static func chi(_ p1: Double, _ p2: Double, _ p3: Double, minimizeOverJ: Bool = true) -> Double {
        let l = chiLength(p1, p2, p3, minimizeOverJ: minimizeOverJ)
        return l * l
    }

    /// l = √χ of Eq. (C1).
    public static func chiLength(_ p1: Double, _ p2: Double, _ p3: Double, minimizeOverJ: Bool = true) -> Double {
        let s = p1 + p2 + p3
        var best = Double.infinity
        for j in 0..<(minimizeOverJ ? 3 : 1) {
            let pb = (2 * Double.pi * Double(j) + s) / 3
            let sum = angularDistance(p1, pb) + angularDistance(p2, pb) + angularDistance(p3, pb)
            best = min(best, sum)
        }
        return 3 / (4 * Double.pi) * best
    }

    /// χ₂ of Eq. (D6): argdist(φ′, 0)/π.
    public static func chi2(_ p: Double) -> Double { angularDistance(p, 0) / Double.pi }

    /// The intervals I₁, I₂, I₃ around the χ peaks 0, 1/4, 1 (text before Fig. 3).
    static let intervals: [ClosedRange<Double>] = [0...(2.0 / 16), (3.0 / 16)...(5.0 / 16), (14.0 / 16)...1]

    static func seedParameters(_ ctx: ClaimContext, _ params: inout [String: JSONValue], label: String) {
        params["seedLabel"] = .string(label)
    }

    static func fmt(_ x: Double, _ digits: Int = 4) -> String { formatNumber(x, digits: digits) }

    /// Index of the largest element.
    static func argmax(_ x: [Double]) -> Int {
        var b = 0
        for i in x.indices where x[i] > x[b] { b = i }
        return b
    }

    static func vecInner(_ a: ComplexMatrix, _ b: ComplexMatrix) -> Complex<Double> {
        var s = Complex<Double>.zero
        for k in a.storage.indices { s += a.storage[k].conjugate * b.storage[k] }
        return s
    }

    static func maxAbs(_ a: ComplexMatrix) -> Double { a.storage.map(\.length).max() ?? 0 }
}
