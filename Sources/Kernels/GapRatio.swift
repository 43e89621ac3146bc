import Foundation

/// Adjacent-gap ratios of a spectrum (Oganesyan & Huse, PRB 75, 155111 (2007)):
/// r̃_n = min(s_n, s_{n+1}) / max(s_n, s_{n+1}) with s_n = E_{n+1} − E_n, for sorted levels.
/// No unfolding is needed: the ratio is independent of the local density of states.
/// A pair of exactly degenerate neighbours (both gaps 0) is skipped.
public func gapRatios(sortedLevels e: [Double]) -> [Double] {
    guard e.count >= 3 else { return [] }
    var r = [Double]()
    r.reserveCapacity(e.count - 2)
    for n in 0..<(e.count - 2) {
        let s1 = e[n + 1] - e[n], s2 = e[n + 2] - e[n + 1]
        let hi = max(s1, s2)
        if hi > 0 { r.append(min(s1, s2) / hi) }
    }
    return r
}

/// Mean adjacent-gap ratio ⟨r̃⟩ of sorted levels (NaN with fewer than three levels).
public func meanGapRatio(sortedLevels e: [Double]) -> Double {
    let r = gapRatios(sortedLevels: e)
    return r.isEmpty ? .nan : r.reduce(0, +) / Double(r.count)
}

/// Reference values and distributions of the gap ratio r̃ ∈ [0, 1].
public enum GapRatioReference {
    /// Poisson (uncorrelated) levels: ⟨r̃⟩ = 2 ln 2 − 1 ≈ 0.38629 (exact; Atas et al.,
    /// PRL 110, 084101 (2013)).
    public static let poissonMean = 2 * Foundation.log(2.0) - 1

    /// GOE, large N: ⟨r̃⟩ = 0.5307(1) (numerics of Atas et al. 2013, Table I).
    public static let goeMean = 0.5307
    /// Uncertainty of `goeMean` as quoted (last digit).
    public static let goeMeanUncertainty = 0.0001

    /// GOE 3×3 Wigner-like surmise: ⟨r̃⟩ = 4 − 2√3 ≈ 0.5359 (Atas et al. 2013, Eq. 7):
    /// 1% above the large-N value, a natural wrong prediction.
    public static let goeSurmiseMean = 4 - 2 * 3.0.squareRoot()

    /// Poisson density of r̃: P(r̃) = 2/(1 + r̃)²; CDF F(r̃) = 2r̃/(1 + r̃).
    public static func poissonCDF(_ r: Double) -> Double { r <= 0 ? 0 : (r >= 1 ? 1 : 2 * r / (1 + r)) }
    public static func poissonDensity(_ r: Double) -> Double { 2 / ((1 + r) * (1 + r)) }

    /// GOE surmise density of r̃: P(r̃) = 2·(27/8)(r̃ + r̃²)/(1 + r̃ + r̃²)^{5/2}.
    public static func goeSurmiseDensity(_ r: Double) -> Double {
        2 * (27.0 / 8.0) * (r + r * r) / Foundation.pow(1 + r + r * r, 2.5)
    }
}
