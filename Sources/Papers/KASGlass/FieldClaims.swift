import Foundation
import Kernels
import Special
import Verification

/// One T = ∞ state's effective fields (a realization of field-width): couplings and a
/// random configuration, φ = K·Z.
struct KASWidthSample: Codable, Sendable, Equatable {
    /// (1/L) Σ_i φ_i².
    var meanSquare: Double
    /// The fields themselves (kept for the first states at the largest size: KS test).
    var fields: [Double]

    static func measure(sites l: Int, alpha: Double, keepFields: Bool, _ rng: inout RandomStream) -> KASWidthSample {
        var c = KASChain(sites: l, alpha: alpha)
        c.draw(&rng)
        return KASWidthSample(meanSquare: c.fields.reduce(0) { $0 + $1 * $1 } / Double(l), fields: keepFields ? c.fields : [])
    }
}

extension KASGlass {
    // MARK: 1. field-width

    /// σ_L² per size at one α, grouped in 16 chunks (state k in chunk k mod 16) for the jackknife.
    struct WidthSeries {
        var alpha: Double
        var sizes: [Int]
        /// chunkSums[size][chunk] = (Σ meanSquare, states).
        var chunkSums: [[(Double, Int)]]
        var lattice: [Double]
        var chord: [Double]

        func variance(_ i: Int, dropping drop: Int?) -> Double {
            var s = 0.0, n = 0
            for (c, v) in chunkSums[i].enumerated() where c != drop { s += v.0; n += v.1 }
            return s / Double(n)
        }
        /// σ_∞ from the extrapolation of σ_L² with `form`, jackknifed.
        func infinite(_ form: KASFieldExponent.Form) -> (value: Double, error: Double, omega: Double?) {
            var omega: Double?
            let sig = sizes.indices.map { i in KASFieldExponent.jackknife { variance(i, dropping: $0) }.error }
            let r = KASFieldExponent.jackknife { drop in
                let v = sizes.indices.map { variance($0, dropping: drop) }
                let e = KASFieldExponent.extrapolate(sizes: sizes.map(Double.init), values: v, sigma: sig, form: form, alpha: alpha)
                if drop == nil { omega = e.omega }
                return e.value > 0 ? e.value.squareRoot() : .nan
            }
            return (r.value, r.error, omega)
        }
    }

    static let fieldWidth = Claim(
        id: "kas-glass.field-width",
        paper: .kasGlass,
        reference: "Text after Eq. (2) (\"Effective fields\")",
        statement: "At T = ∞ (random Z_i = ±1) the effective fields φ_i are normal distributed with standard deviation σ_∞ = √(2ζ(2α)) in the infinite chain, which diverges as 1/√(α − 1/2). Checks: σ_∞ at α = 0.6 (main: the smallest α of the SFS grid, near the divergence, fixed before the run) and at α = 0.55 (the grid's α nearest the divergence), from the measured finite-chain widths extrapolated to L = ∞; consistency: the finite-chain width equals the lattice sum Σ_{j≠i} r_ij^{−2α} and the fields are normal (both identities of the sampling).",
        comparison: .zScore,
        tiers: [
            .quick: ["alphas": [0.55, 0.6, 0.7, 0.8, 0.9], "sizes": [100, 200, 400, 800], "states": [160, 80, 40, 32], "ksStates": 4],
            .standard: ["alphas": [0.55, 0.6, 0.7, 0.8, 0.9], "sizes": [250, 500, 1000, 2000, 4000], "states": [640, 320, 160, 64, 32], "ksStates": 8],
            .full: ["alphas": [0.55, 0.6, 0.7, 0.8, 0.9], "sizes": [250, 500, 1000, 2000, 4000, 8000], "states": [6400, 3200, 1600, 800, 400, 200], "ksStates": 16],
        ],
        validate: { p in
            guard let a = p["alphas"]?.doubles, a.contains(0.6), a.contains(0.55), a.allSatisfy({ $0 > 0.5 && $0 < 1 }) else {
                throw ClaimError.invalidParameter("alphas must lie in (1/2, 1) and contain the checked 0.55 and 0.6")
            }
            guard let l = p["sizes"]?.ints, let n = p["states"]?.ints, l.count >= 3, l.count == n.count, l.allSatisfy({ $0 >= 10 }),
                  l == l.sorted(), n.allSatisfy({ $0 >= 16 }), let k = p["ksStates"]?.int, k >= 1, k <= n.last! else {
                throw ClaimError.invalidParameter("need ≥ 3 ascending sizes ≥ 10, ≥ 16 states each, 1 ≤ ksStates ≤ states at the largest size")
            }
            try MemoryBudget.requireDense(dimension: Double(l.max()!), matrices: 1, parallel: ProcessInfo.processInfo.activeProcessorCount,
                                          for: "L = \(l.max()!) couplings")
        },
        plan: { ctx in
            let l = try ctx.ints("sizes"), n = try ctx.ints("states")
            return try ctx.doubles("alphas").flatMap { a in
                zip(l, n).map { RealizationSet(label: "a\(a)/L\($0)", count: $1, settings: ["alpha": .number(a), "L": .int($0)]) }
            }
        },
        realization: { ctx, set, k, rng in
            let l = try set.int("L")
            let largest = try ctx.ints("sizes").max()!, nks = try ctx.int("ksStates")
            return KASWidthSample.measure(sites: l, alpha: try set.double("alpha"), keepFields: l == largest && k < nks, &rng)
        },
        analyze: { ctx, results in try fieldWidthEvidence(ctx, results) })

    static func fieldWidthEvidence(_ ctx: ClaimContext, _ results: RealizationResults<KASWidthSample>) throws -> Evidence {
        let alphas = try ctx.doubles("alphas"), sizes = try ctx.ints("sizes"), nks = try ctx.int("ksStates")
        var rows = [WidthSeries]()
        var samples = [Double: [Double]]()
        for a in alphas {
            var chunks = [[(Double, Int)]]()
            for l in sizes {
                let r = results["a\(a)/L\(l)"]
                var c = [(Double, Int)](repeating: (0, 0), count: KASFieldData.chunks)
                for (k, v) in r.enumerated() { c[k % c.count].0 += v.meanSquare; c[k % c.count].1 += 1 }
                chunks.append(c)
                if l == sizes.last! { samples[a] = r.flatMap(\.fields) }
            }
            rows.append(WidthSeries(alpha: a, sizes: sizes, chunkSums: chunks,
                                    lattice: try sizes.map { try KASLattice.fieldVariance(sites: $0, alpha: a) },
                                    chord: try sizes.map { try KASLattice.fieldVariance(sites: $0, alpha: a, geometry: .chord) }))
        }
        var checks = [StatementCheck]()
        var findings = [String]()
        let forms: [KASFieldExponent.Form] = [.model, .freeExponent, .inverseL, .inverseL2]
        for (id, a) in [("main", 0.6), ("a0.55", 0.55)] {
            guard let w = rows.first(where: { $0.alpha == a }) else { continue }
            let printed = (try KASLattice.infiniteFieldVariance(alpha: a)).squareRoot()
            let ex = forms.map { ($0, w.infinite($0)) }
            let head = ex[0].1
            // The model fixes the correction (Hurwitz-ζ tail ∝ L^{1−2α}); the free exponent tests it. 1/L forms are listed, not defensible here.
            let sys = halfRange([head.value, ex[1].1.value])
            let lmax = sizes.last!
            let finiteMax = w.lattice.last!.squareRoot()
            let perSize = sizes.indices.map { i in KASFieldExponent.jackknife { w.variance(i, dropping: $0) } }
            checks.append(StatementCheck(
                id, statement: "σ_∞ = √(2ζ(2α)) at α = \(a), L → ∞",
                check: Check(predicted: printed, measured: head.value, uncertainty: head.error, systematic: sys),
                tolerance: Tolerance(2, "2σ; σ = jackknife (16 chunks of states) of the extrapolated width ⊕ half the difference between the L^{1−2α} and the free-exponent extrapolation (\(f(sys, 2)))."),
                control: Control("no growth beyond the largest chain: the exact width of the L = \(lmax) ring, √(Σ_{j≠i} r^{−2α}) = \(f(finiteMax, 4))",
                                 Check(predicted: finiteMax, measured: head.value, uncertainty: head.error, systematic: sys)),
                estimates: ex.map { Estimate("σ_L² extrapolated with \($0.0.rawValue)" + ($0.1.omega.map { " (ω = \(f($0, 3)))" } ?? ""), $0.1.value, uncertainty: $0.1.error) },
                scale: ScaleEvidence(variable: "L", sizes: sizes.map(Double.init), values: perSize.map { $0.value.squareRoot() },
                                     errors: perSize.map { $0.error / (2 * $0.value.squareRoot()) },
                                     extrapolations: ex.map { Estimate($0.0.rawValue, $0.1.value, uncertainty: $0.1.error) }, paperLargest: nil,
                                     note: "the deficit of the finite ring, 2(L/2)^{1−2α}/(2α−1) in σ², decays as L^{\(f(1 - 2 * a, 2))}; at L = \(lmax) the width is \(f(100 * finiteMax / printed, 3))% of σ_∞.")))
            findings.append("α = \(a): σ_∞ extrapolations " + ex.map { "\($0.0.rawValue): \(f($0.1.value, 4)) ± \(f($0.1.error, 2))" + ($0.1.omega.map { " (ω = \(f($0, 3)); model 2α − 1 = \(f(2 * a - 1, 2)))" } ?? "") }.joined(separator: "; ") + " vs printed √(2ζ(2α)) = \(f(printed, 4)).")
        }
        // Consistency 1: every cell against the exact lattice sum; the check at (0.6, L_max), the control the chord-distance sum there.
        var worst = (z: 0.0, text: "")
        for w in rows {
            var cells = [String]()
            for i in w.sizes.indices {
                let r = KASFieldExponent.jackknife { w.variance(i, dropping: $0) }
                let z = (r.value - w.lattice[i]) / r.error
                if abs(z) > abs(worst.z) { worst = (z, "α = \(w.alpha), L = \(w.sizes[i])") }
                cells.append("L=\(w.sizes[i]): \(f(r.value.squareRoot(), 5)) vs \(f(w.lattice[i].squareRoot(), 5)) (z = \(f(z, 2)))")
            }
            findings.append("α = \(w.alpha), std φ vs the ring's lattice sum: " + cells.joined(separator: ", ") + ".")
        }
        if let w = rows.first(where: { $0.alpha == 0.6 }) {
            let i = w.sizes.count - 1
            let r = KASFieldExponent.jackknife { w.variance(i, dropping: $0) }
            checks.append(StatementCheck(
                "finite-L", statement: "finite ring: ⟨φ²⟩ = Σ_{j≠i} r_ij^{−2α} (minimum image), α = 0.6, L = \(w.sizes[i])", role: .consistency,
                check: Check(predicted: w.lattice[i], measured: r.value, uncertainty: r.error),
                tolerance: Tolerance(3, "|z| ≤ 3 (σ: jackknife over 16 chunks of states); over all \(rows.count * sizes.count) cells the largest |z| is \(f(abs(worst.z), 2)) (\(worst.text))."),
                control: Control("the other ring convention: chord distance r = (L/π) sin(π|i−j|/L), lattice sum \(f(w.chord[i], 5))",
                                 Check(predicted: w.chord[i], measured: r.value, uncertainty: r.error))))
            // Consistency 2: normality (J_ij normal and independent of Z: each term of φ_i is exactly normal).
            let sL = w.lattice[i].squareRoot()
            let sample = samples[0.6] ?? []
            let ks = ksTest(sample.map { $0 / sL }, cdf: SpecialFunctions.normalCDF)
            let sInf = (try KASLattice.infiniteFieldVariance(alpha: 0.6)).squareRoot()
            let ksWrong = ksTest(sample.map { $0 / sInf }, cdf: SpecialFunctions.normalCDF)
            let dist = stride(from: -5.0, through: 5.0, by: 0.001).map { abs(SpecialFunctions.normalCDF($0) - SpecialFunctions.normalCDF($0 * sL / sInf)) }.max()!
            let kp = (-log(0.01 / 2) / 2).squareRoot() / Double(max(sample.count, 1)).squareRoot()
            checks.append(StatementCheck(
                "normal", statement: "fields normal: φ/σ_L ~ N(0, 1) (α = 0.6, L = \(w.sizes[i]), \(nks) states)", role: .consistency, comparison: .ksTest,
                check: Check(predicted: 0, measured: ks.statistic, ks: ks),
                tolerance: Tolerance(0.01, "KS significance 1%; the fields of one state are weakly dependent (shared Z), so n_eff ≈ n."),
                control: Control("normal with the L = ∞ width σ_∞ = √(2ζ(1.2)) instead of the chain's (KS distance \(f(dist, 3)) from N(0, σ_L²))",
                                 Check(predicted: dist, measured: ksWrong.statistic, ks: ksWrong), distance: dist),
                resolvingPower: kp))
            findings.append("Normality at α = 0.6, L = \(w.sizes[i]): KS D = \(f(ks.statistic, 3)), p = \(f(ks.pValue, 3)) over \(sample.count) fields; against N(0, σ_∞²): D = \(f(ksWrong.statistic, 3)), p = \(f(ksWrong.pValue, 2)).")
        }
        let div = try [0.501, 0.51, 0.55, 0.6, 0.7].map { a in (a, (try KASLattice.infiniteFieldVariance(alpha: a)).squareRoot() * (a - 0.5).squareRoot()) }
        findings.append("Divergence 1/√(α − ½): √(2ζ(2α))·√(α − ½) = " + div.map { "\(f($0.1, 4)) (α = \($0.0))" }.joined(separator: ", ") + " → 1 as α → ½ (ζ(s) ≈ 1/(s − 1)); a property of the printed formula, tested here through σ_∞ at α = 0.55 and 0.6.")
        let ag = stride(from: 0.52, through: 0.95, by: 0.01).map { $0 }
        var series = [PlotSeries(name: "√(2ζ(2α))", x: ag, y: try ag.map { (try KASLattice.infiniteFieldVariance(alpha: $0)).squareRoot() }, style: .line)]
        for (i, l) in sizes.enumerated() {
            series.append(PlotSeries(name: "L = \(l)", x: rows.map(\.alpha), y: rows.map { $0.variance(i, dropping: nil).squareRoot() }, style: .points))
        }
        let ex = rows.map { $0.infinite(.model) }
        series.append(PlotSeries(name: "L → ∞ (L^{1−2α} extrapolation)", x: rows.map(\.alpha), y: ex.map(\.value), yError: ex.map(\.error), style: .points))
        return Evidence(
            checks: checks,
            method: "Per α and L: couplings K_ij = J_ij/r_ij^α (minimum-image ring) and a random configuration Z per state, φ = K·Z, (1/L)Σφ² per state; σ_L² = mean over states (16-chunk jackknife). σ_∞ from σ_L² = σ_∞² + c·L^{1−2α} fitted over the sizes (the ring's deficit is the Hurwitz-ζ tail ∝ L^{1−2α}); the free-exponent fit enters the systematic; 1/L forms are listed. Normality: KS of φ/σ_L against N(0, 1) for the first \(nks) states at the largest L.",
            parameters: ["checkedAlphas": [0.6, 0.55]],
            findings: findings,
            series: rows.map { w in DataSeries(name: "sigma_L alpha=\(w.alpha)", x: sizes.map(Double.init), y: sizes.indices.map { w.variance($0, dropping: nil).squareRoot() },
                                               parameters: ["alpha": .number(w.alpha)], xLabel: "L", yLabel: "σ_L") },
            figures: [Figure(name: "field-width", title: "T = ∞ field width vs α",
                             caption: "Measured std of φ at each L, its L → ∞ extrapolation, and the printed infinite-chain value √(2ζ(2α)) (diverging at α = ½).",
                             plot: Plot(xLabel: "α", yLabel: "σ", series: series))])
    }
}
