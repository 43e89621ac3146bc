import Foundation
import Kernels
import Verification

/// The combinatorial factor of SM Sec. E, Eq. (23): ⟨η_aη_bη_cη_d⟩ − ⟨η_aη_b⟩⟨η_cη_d⟩ over the
/// uniform measure on the configurations of a fixed magnetization sector (the eigenstates of
/// the localized chain in one S^z sector, each configuration once).
public enum SectorCorrelation {
    /// Exact enumeration over all L-bit states with N set bits (η = +1 for a set bit) of the
    /// connected correlation of the pairs (i, i+1) and (j, j+1) (sites mod L).
    public static func enumerate(sites l: Int, upSpins n: Int, i: Int, j: Int) -> Double {
        precondition(l >= 4 && l <= 40 && n >= 0 && n <= l)
        let a = i % l, b = (i + 1) % l, c = j % l, d = (j + 1) % l
        var count = 0.0, sab = 0.0, scd = 0.0, sabcd = 0.0
        // Gosper's hack over all N-subsets of L bits.
        guard n > 0 else { return 0 }
        var s: UInt64 = (1 << UInt64(n)) - 1
        let limit: UInt64 = 1 << UInt64(l)
        @inline(__always) func eta(_ s: UInt64, _ k: Int) -> Double { (s >> UInt64(k)) & 1 == 1 ? 1 : -1 }
        while s < limit {
            let ab = eta(s, a) * eta(s, b), cd = eta(s, c) * eta(s, d)
            count += 1; sab += ab; scd += cd; sabcd += ab * cd
            let t = s & (~s &+ 1)
            let r = s &+ t
            s = (((r ^ s) >> 2) / t) | r
        }
        return sabcd / count - (sab / count) * (scd / count)
    }

    /// This project's closed form at zero magnetization (four distinct sites, N = L/2):
    /// 3/((L−1)(L−3)) − 1/(L−1)² = 2L/((L−1)²(L−3)) = (2/L²)(1 + 5/L + O(L^{−2})).
    public static func closedForm(sites l: Int) -> Double {
        let x = Double(l)
        return 2 * x / ((x - 1) * (x - 1) * (x - 3))
    }
}

extension ErgodicInclusion {
    static let residualCorrelation = Claim(
        id: "ergodic-inclusion.residual-correlation",
        paper: .ergodicInclusion,
        reference: "SM Sec. E, Eq. (23); main text Sec. IV (\"of order C/L²\")",
        statement: "The expression between brackets of Eq. (23), ⟨η_iη_{i+1}η_jη_{j+1}⟩ − ⟨η_iη_{i+1}⟩⟨η_jη_{j+1}⟩ for i, j far apart in the S^z = 0 sector, \"is computed explicitly, yielding the value 2/L²\". The main text's \"of order C/L²\" fixes the reading as the leading large-L behaviour (main check: L²× it → 2); read as an exact value at the paper's chain length L = 18 of Fig. 9 it is the alternative reading (second check). Enumerated exactly over all C(L, L/2) configurations; no randomness.",
        comparison: .relative,
        tiers: [
            .quick: ["sizes": [12, 14, 16, 18, 20, 22, 24], "paperSize": 18],
            .standard: ["sizes": [16, 18, 20, 22, 24, 26, 28], "paperSize": 18],
            .full: ["sizes": [20, 22, 24, 26, 28, 30, 32], "paperSize": 18],
        ],
        validate: { p in
            guard let s = p["sizes"]?.ints, s.count >= 4, s.allSatisfy({ $0 >= 8 && $0 <= 34 && $0 % 2 == 0 }),
                  let q = p["paperSize"]?.int, q >= 8, q <= 28, q % 2 == 0 else {
                throw ClaimError.invalidParameter("need ≥ 4 even sizes in 8 … 34 and an even paperSize in 8 … 28")
            }
        },
        run: { ctx in
            let sizes = try ctx.ints("sizes").sorted(), paper = try ctx.int("paperSize")
            let cov = sizes.map { SectorCorrelation.enumerate(sites: $0, upSpins: $0 / 2, i: 0, j: $0 / 2) }
            let scaled = zip(sizes, cov).map { Double($0.0 * $0.0) * $0.1 }
            let x = sizes.map { 1 / Double($0) }
            // Extrapolations of L²·cov to 1/L → 0 (the exact values are a series in 1/L): the
            // polynomial in 1/L through the k largest sizes, k = 2, 3, 4, evaluated at 1/L = 0.
            func extrapolate(_ k: Int) -> Double {
                let idx = Array((sizes.count - k)..<sizes.count)
                var v = 0.0
                for m in idx {
                    var w = scaled[m]
                    for q in idx where q != m { w *= (0 - x[q]) / (x[m] - x[q]) }
                    v += w
                }
                return v
            }
            let estimates = [Estimate("linear in 1/L, two largest sizes", extrapolate(2)),
                             Estimate("quadratic in 1/L, three largest sizes", extrapolate(3)),
                             Estimate("cubic in 1/L, four largest sizes", extrapolate(4))]
            let spread = (estimates.map(\.value).max()! - estimates.map(\.value).min()!) / 2
            let headline = estimates[2].value
            let tol = max(3 * spread / 2, 1e-9)
            let covPaper = SectorCorrelation.enumerate(sites: paper, upSpins: paper / 2, i: 0, j: paper / 2)
            let printedPaper = 2 / Double(paper * paper)
            let closedWorst = zip(sizes, cov).map { abs($0.1 / SectorCorrelation.closedForm(sites: $0.0) - 1) }.max()!
            let checks = [
                StatementCheck(
                    statement: "L²·(⟨η_iη_{i+1}η_jη_{j+1}⟩ − ⟨η_iη_{i+1}⟩⟨η_jη_{j+1}⟩) → 2 (the value 2/L² at large L)",
                    comparison: .relative,
                    check: Check(predicted: 2, measured: headline, systematic: spread),
                    tolerance: Tolerance(tol, "3× the measured half-spread \(formatNumber(spread, digits: 2)) of the three 1/L extrapolations (headline: the cubic, the highest order the sizes support), relative to 2 (the enumeration itself is exact)."),
                    control: Control("3/L², the four-point term alone (the disconnected part dropped)",
                                     Check(predicted: 3, measured: headline, systematic: spread)),
                    scale: ScaleEvidence(variable: "L", sizes: sizes.map(Double.init), values: scaled, extrapolations: estimates, paperLargest: 20,
                                         note: "exact per-size values L²·cov = 2L³/((L−1)²(L−3)) = 2(1 + 5/L + …) approach 2 from above")),
                StatementCheck(
                    "paper-size",
                    statement: "the value 2/L² read as exact, at the paper's L = \(paper) (Fig. 9): \(formatNumber(printedPaper, digits: 4))",
                    role: .alternativeReading,
                    comparison: .relative,
                    check: Check(predicted: printedPaper, measured: covPaper),
                    tolerance: Tolerance(1e-9, "exact enumeration over C(L, L/2) configurations: rounding only."),
                    control: Control("2/(L−1)², the other natural finite-L reading",
                                     Check(predicted: 2 / Double((paper - 1) * (paper - 1)), measured: covPaper)),
                    correctedForm: "⟨η_iη_{i+1}η_jη_{j+1}⟩ − ⟨η_iη_{i+1}⟩⟨η_jη_{j+1}⟩ = 3/((L−1)(L−3)) − 1/(L−1)² = 2L/((L−1)²(L−3)) = (2/L²)(1 + 5/L + O(L^{−2})) in the S^z = 0 sector"),
                StatementCheck(
                    "closed-form",
                    statement: "enumeration = this project's closed form 2L/((L−1)²(L−3)) at every size",
                    role: .consistency,
                    comparison: .absolute,
                    check: Check(predicted: 0, measured: closedWorst),
                    tolerance: Tolerance(1e-12, "largest relative difference over the sizes; exact arithmetic up to rounding of ≤ 10⁷ terms."),
                    control: Control("the relative difference to 2/L² at the smallest size", Check(predicted: abs(Double(sizes[0] * sizes[0]) * SectorCorrelation.closedForm(sites: sizes[0]) / 2 - 1), measured: closedWorst))),
            ]
            return Evidence(
                checks: checks,
                method: "Enumerate all configurations η of the L-site S^z = 0 sector (Gosper's subset walk), each with equal weight, and compute ⟨η_0η_1η_{L/2}η_{L/2+1}⟩ − ⟨η_0η_1⟩⟨η_{L/2}η_{L/2+1}⟩ exactly; extrapolate L²× it in 1/L.",
                parameters: ["pairs": "(0, 1) and (L/2, L/2 + 1)"],
                findings: ["Per size (L: exact cov, 2/L², ratio): " + zip(sizes, cov).map { "\($0.0): \(formatNumber($0.1, digits: 5)), \(formatNumber(2 / Double($0.0 * $0.0), digits: 5)), \(formatNumber($0.1 * Double($0.0 * $0.0) / 2, digits: 4))" }.joined(separator: "; "),
                           "At the paper's sizes the printed 2/L² is 25–35% below the exact value; the leading large-L coefficient 2 is right.",
                           "The W-dependence C ∝ 1/W² of the residual purity correlation (Eq. (23) with the locator ensemble, and in ED) is not measured here."],
                series: [DataSeries(name: "L² × connected correlation", x: sizes.map(Double.init), y: scaled, xLabel: "L", yLabel: "L²·cov")])
        })
}
