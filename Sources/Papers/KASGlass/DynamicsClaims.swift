import Foundation
import Kernels
import Verification

extension KASGlass {
    /// About 40 log-spaced step numbers in 1…steps (unique, ascending).
    static func logTimes(_ steps: Int, points: Int = 40) -> [Int] {
        var t = Set<Int>()
        for k in 0..<points { t.insert(Int(pow(Double(steps), Double(k) / Double(points - 1)).rounded())) }
        return t.filter { $0 >= 1 && $0 <= steps }.sorted()
    }

    // MARK: 4. avalanche-dynamics

    static let avalancheDynamics = Claim(
        id: "kas-glass.avalanche-dynamics",
        paper: .kasGlass,
        reference: "Fig. 2 (left) and the text before Eq. (6)",
        statement: "In the classical resonance-avalanche process (L = 1000, several α) the number of spins ever resonant grows approximately as the square root of the number of steps from T = ∞ states, while from SFS states it saturates and never exceeds 2% of the spins.",
        comparison: .absolute,
        tiers: [
            .quick: ["alphas": [0.6, 0.7, 0.8, 0.9], "sites": 300, "states": 40, "steps": 1000, "hx": 0.02, "bootstrap": 100],
            .standard: ["alphas": [0.6, 0.7, 0.8, 0.9], "sites": 1000, "states": 200, "steps": 3000, "hx": 0.02, "bootstrap": 200],
            .full: ["alphas": [0.6, 0.7, 0.8, 0.9], "sites": 1000, "states": 200, "steps": 10000, "hx": 0.02, "bootstrap": 200,
                    "hxScan": [0.01, 0.05]],
        ],
        run: { ctx in
            let alphas = try ctx.doubles("alphas"), l = try ctx.int("sites"), n = try ctx.int("states")
            let steps = try ctx.int("steps"), hx = try ctx.double("hx"), nb = try ctx.int("bootstrap")
            try requireChains([l], realizations: n, ctx)
            let times = logTimes(steps)
            func run(_ a: Double, sfs: Bool, h: Double) throws -> [(Int, [Int])] {
                try ctx.realizations(n, label: "a\(a)/\(sfs ? "SFS" : "Tinf")/h\(h)") { _, rng in
                    var c = KASChain(sites: l, alpha: a)
                    c.draw(&rng)
                    if sfs { c.descendToSingleFlipStable(&rng) }
                    return KASResonances.avalanche(&c, hx: h, recordAt: times, &rng)
                }
            }
            var boot = ctx.stream(0, label: "bootstrap")
            /// Exponent of mean (N_ever(t) − N_ever(0)) over t ≥ 10 up to saturation (mean
            /// N_ever ≤ 0.3 L), or over t ≥ 30 through saturation (`throughSaturation`).
            func exponent(_ r: [(Int, [Int])], throughSaturation: Bool = false) -> (slope: Double, error: Double, window: Int) {
                func fit(_ idx: [Int]) -> (Double, Int) {
                    let mean = times.indices.map { ti in Double(idx.reduce(0) { $0 + r[$1].1[ti] - r[$1].0 }) / Double(idx.count) }
                    let tot = times.indices.map { ti in Double(idx.reduce(0) { $0 + r[$1].1[ti] }) / Double(idx.count) }
                    let sel = times.indices.filter { mean[$0] > 0 && (throughSaturation ? times[$0] >= 30 : (times[$0] >= 10 && tot[$0] <= 0.3 * Double(l))) }
                    guard sel.count >= 3, let f = try? powerLawFit(x: sel.map { Double(times[$0]) }, y: sel.map { mean[$0] }) else { return (.nan, sel.count) }
                    return (f.slope, sel.map { times[$0] }.max() ?? 0)
                }
                let all = Array(0..<r.count)
                let (s, w) = fit(all)
                let se = bootstrapStandardError(count: r.count, resamples: nb, rng: &boot, minimumFinite: 3) { fit($0).0 }
                return (s, se, w)
            }
            struct Row { var alpha, infSlope, infErr, sfsSlope, sfsErr, meanFrac, maxFrac, above2, noRes, satSlope: Double; var window: Int; var infMean, sfsMean: [Double] }
            var rows = [Row]()
            for a in alphas {
                let ti = try run(a, sfs: false, h: hx), ts = try run(a, sfs: true, h: hx)
                let ei = exponent(ti), es = exponent(ts)
                let finals = ts.map { Double($0.1.last!) / Double(l) }
                rows.append(Row(alpha: a, infSlope: ei.slope, infErr: ei.error, sfsSlope: es.slope, sfsErr: es.error,
                                meanFrac: finals.reduce(0, +) / Double(n), maxFrac: finals.max()!,
                                above2: Double(finals.filter { $0 > 0.02 }.count) / Double(n),
                                noRes: Double(ts.filter { $0.0 == 0 }.count) / Double(n), satSlope: exponent(ti, throughSaturation: true).slope, window: ei.window,
                                infMean: times.indices.map { k in Double(ti.reduce(0) { $0 + $1.1[k] }) / Double(n) },
                                sfsMean: times.indices.map { k in Double(ts.reduce(0) { $0 + $1.1[k] }) / Double(n) }))
            }
            guard rows.allSatisfy({ $0.infSlope.isFinite && $0.infErr.isFinite }) else { throw ClaimError.nonFinite("T = ∞ growth exponent undefined (too few points before saturation)") }
            let dev = rows.map { abs($0.infSlope - 0.5) + 2 * $0.infErr }
            let w = rows[dev.indices.max { dev[$0] < dev[$1] }!]
            var findings = rows.map { r in
                "α = \(r.alpha): T = ∞ exponent of N_ever − N_0 = \(f(r.infSlope)) ± \(f(r.infErr, 1)) (t = 10…\(r.window), before saturation; \(f(r.satSlope)) when fitted over t = 30…\(steps) through saturation); N_ever(T = \(steps))/L = \(f(r.infMean.last! / Double(l), 2)). SFS: exponent \(f(r.sfsSlope, 2)) ± \(f(r.sfsErr, 1)), mean N_ever(T)/L = \(f(100 * r.meanFrac, 2))%, max over \(n) states = \(f(100 * r.maxFrac, 2))%, states above 2%: \(f(100 * r.above2, 2))%, states with no resonant spin at t = 0: \(f(100 * r.noRes, 2))%."
            }
            let worstMax = rows.map(\.maxFrac).max()!
            if worstMax > 0.02 {
                findings.append("Discrepancy with \"never higher than 2% of all the spins\": at h_x = \(hx) the mean SFS fraction stays ≤ \(f(100 * rows.map(\.meanFrac).max()!, 2))%, but single realizations reach \(f(100 * worstMax, 2))% (the 2% bound holds on average, not for every state). h_x is not stated in the paper; h_x = 0.02 is the largest value of our scan for which the mean stays well below 2% at L = 1000 (at h_x = 0.1 SFS states run away, NOTES).")
            } else {
                findings.append("SFS: no state exceeded 2% of the spins (max \(f(100 * worstMax, 2))%).")
            }
            if let scan = ctx.parameters["hxScan"]?.doubles, let a = alphas.first(where: { $0 == 0.7 }) ?? alphas.first {
                for h in scan {
                    let ts = try run(a, sfs: true, h: h)
                    let finals = ts.map { Double($0.1.last!) / Double(l) }
                    findings.append("h_x = \(h), α = \(a), SFS: mean N_ever(T)/L = \(f(100 * finals.reduce(0, +) / Double(n), 2))%, max \(f(100 * finals.max()!, 2))%.")
                }
            }
            let tooFast = rows.filter { abs($0.infSlope - 0.5) - 2 * $0.infErr > 0.1 }
            if !tooFast.isEmpty {
                findings.append("Discrepancy with \"≈ √(steps)\": before saturation the T = ∞ growth is faster than diffusive, exponent " + rows.map { "\(f($0.infSlope)) (α = \($0.alpha))" }.joined(separator: ", ") + ", increasing with the interaction range; fits that run through saturation (N_ever → \(f(100 * rows.map { $0.infMean.last! / Double(l) }.max()!, 2))% of L) give " + rows.map { f($0.satSlope) }.joined(separator: ", ") + ", which is how an apparent √t arises on a finite chain.")
            }
            let ts = times.map(Double.init)
            var series = [PlotSeries]()
            for r in rows {
                let i = r.infMean.indices.filter { r.infMean[$0] > 0 }, s = r.sfsMean.indices.filter { r.sfsMean[$0] > 0 }
                series.append(PlotSeries(name: "T = ∞, α = \(r.alpha)", x: i.map { ts[$0] }, y: i.map { r.infMean[$0] }, style: .line))
                series.append(PlotSeries(name: "SFS, α = \(r.alpha)", x: s.map { ts[$0] }, y: s.map { r.sfsMean[$0] }, style: .dashed))
            }
            series.append(PlotSeries(name: "2% of L", x: [1, Double(steps)], y: [0.02 * Double(l), 0.02 * Double(l)], style: .dashed))
            let ref = w.infMean[times.firstIndex { $0 >= 10 } ?? 0]
            series.append(PlotSeries(name: "∝ √t", x: [10, Double(steps)], y: [ref, ref * (Double(steps) / 10).squareRoot()], style: .dashed))
            return Evidence(
                check: Check(predicted: 0.5, measured: w.infSlope, uncertainty: w.infErr),
                control: Control("linear (ballistic) growth, exponent 1: every flip recruits a new resonant spin",
                                 Check(predicted: 1, measured: w.infSlope, uncertainty: w.infErr)),
                tolerance: Tolerance(0.1, "0.1: \"approximately √t\" cannot be held tighter than the window dependence of the exponent on a finite chain, measured ±0.07 (local exponent ≈0.69 at t = 10–100 vs ≈0.55 at t = 100–1000 for α = 0.6, L = 1000, groundwork); bootstrap statistics over states enter through the 2σ rule."),
                method: "Per α: \(n) random (T = ∞) and \(n) SFS states of L = \(l); the process of Fig. 2: resonant set R = {|φ_i| < h_x} (h_x = \(hx), criterion as printed), flip a uniformly random member of R (O(L) field update, re-test fused), track N_ever = number of spins ever in R, for \(steps) steps. Exponent: power-law fit of mean N_ever(t) − N_ever(0) over t ≥ 10 until mean N_ever reaches 0.3 L; bootstrap over states. Headline: the α with the largest |exponent − 1/2| + 2σ.",
                parameters: seedParameters(ctx, streams: "\(ctx.claimID)/a<α>/<Tinf|SFS>/h<h_x>, realization k = state k (couplings, Z, [descent], avalanche choices); bootstrap: \(ctx.claimID)/bootstrap"),
                findings: findings,
                series: rows.flatMap { r in [DataSeries(name: "N_ever Tinf alpha=\(r.alpha)", x: ts, y: r.infMean),
                                             DataSeries(name: "N_ever SFS alpha=\(r.alpha)", x: ts, y: r.sfsMean)] },
                figures: [Figure(name: "fig2-left-avalanche", title: "Fig. 2 (left): spins ever resonant vs steps, L = \(l)",
                                 caption: "Mean number of spins that were resonant at some step (h_x = \(hx)), from T = ∞ (solid) and SFS (dashed) states, with √t and 2%-of-L guides.",
                                 plot: Plot(xLabel: "step", yLabel: "N_ever", xLog: true, yLog: true, series: series))],
                correctedForm: tooFast.isEmpty ? nil : "N_ever − N_0 ~ t^γ before saturation with γ = " + rows.map { "\(f($0.infSlope, 2)) (α = \($0.alpha))" }.joined(separator: ", ") + " at L = \(l), h_x = \(hx) (super-diffusive, γ grows as α decreases); ≈ √t only when the fit includes the saturation regime.",
                regressionTolerance: 1e-9)
        })

    // MARK: 5. two-flip-resonances

    /// Effective exponent of the finite-L estimate N_2 ∝ L·Σ_{r≤L/2} r^{−α} over the sizes.
    static func latticeTwoFlipExponent(_ sizes: [Int], alpha: Double) throws -> Double {
        let y = sizes.map { l in Double(l) * (1...(l / 2)).reduce(0.0) { $0 + pow(Double($1), -alpha) } }
        return try powerLawFit(x: sizes.map(Double.init), y: y).slope
    }

    static let twoFlipResonances = Claim(
        id: "kas-glass.two-flip-resonances",
        paper: .kasGlass,
        reference: "Eq. (6) and the text after it",
        statement: "The number of genuine two-spin-flip resonances (|A_12| > 1 with neither spin single-flip resonant) grows as L^{2−α} at T = ∞ (verified for L ≤ 4000) and slower than L in SFS states.",
        comparison: .absolute,
        tiers: [
            .quick: ["alpha": 0.7, "hx": 0.1, "sizes": [125, 250, 500], "statesInf": [450, 225, 120], "statesSFS": [400, 200, 100]],
            .standard: ["alpha": 0.7, "hx": 0.1, "sizes": [250, 500, 1000, 2000], "statesInf": [240, 120, 60, 40], "statesSFS": [800, 400, 200, 100]],
            .full: ["alpha": 0.7, "hx": 0.1, "sizes": [250, 500, 1000, 2000, 4000], "statesInf": [400, 200, 100, 100, 100],
                    "statesSFS": [4000, 2000, 1000, 1000, 1000]],
        ],
        run: { ctx in
            let a = try ctx.double("alpha"), hx = try ctx.double("hx"), sizes = try ctx.ints("sizes")
            let ni = try ctx.ints("statesInf"), ns = try ctx.ints("statesSFS")
            guard sizes.count >= 3, ni.count == sizes.count, ns.count == sizes.count else { throw ClaimError.invalidParameter("need ≥ 3 sizes with state counts") }
            try requireChains(sizes, realizations: max(ni.max() ?? 1, ns.max() ?? 1), ctx)
            struct Cell { var mean, se, prefilter, medianR: Double }
            func measure(_ l: Int, _ n: Int, sfs: Bool) throws -> Cell {
                let r = try ctx.realizations(n, label: "L\(l)/\(sfs ? "SFS" : "Tinf")") { _, rng -> (Int, Double, [Int]) in
                    var c = KASChain(sites: l, alpha: a)
                    c.draw(&rng)
                    if sfs { c.descendToSingleFlipStable(&rng) }
                    let t = KASResonances.twoFlipResonances(c, hx: hx, keepDistances: true)
                    return (t.genuine, t.prefilterFraction, t.distances)
                }
                let s = SampleSummary(r.map { Double($0.0) })
                let d = r.flatMap(\.2).map(Double.init)
                return Cell(mean: s.mean, se: max(s.standardError, 1e-9), prefilter: r.map(\.1).reduce(0, +) / Double(n), medianR: d.isEmpty ? .nan : median(d))
            }
            let tInf = try zip(sizes, ni).map { try measure($0, $1, sfs: false) }
            let tS = try zip(sizes, ns).map { try measure($0, $1, sfs: true) }
            let xs = sizes.map(Double.init)
            guard tInf.allSatisfy({ $0.mean > 0 }) else { throw ClaimError.belowResolution("no T = ∞ two-flip resonance at some L") }
            let fi = try powerLawFit(x: xs, y: tInf.map(\.mean), sigma: tInf.map(\.se))
            let okS = tS.indices.filter { tS[$0].mean > 0 }
            let fs = okS.count >= 3 ? try powerLawFit(x: okS.map { xs[$0] }, y: okS.map { tS[$0].mean }, sigma: okS.map { tS[$0].se }) : nil
            let gEff = try latticeTwoFlipExponent(sizes, alpha: a)
            let drift = gEff - (2 - a)
            var findings = [
                "T = ∞: N_2 = " + zip(sizes, tInf).map { "\(f($1.mean, 4)) ± \(f($1.se, 2)) (L=\($0))" }.joined(separator: ", ") + "; fitted exponent \(f(fi.slope)) ± \(f(fi.slopeError, 2)) vs printed 2 − α = \(f(2 - a)); the finite-L estimate L·Σ_{r≤L/2} r^{−α} has effective exponent \(f(gEff)) over the same sizes (drift \(f(drift, 2)) above 2 − α). Prefilter |den| < 2h_x keeps " + tInf.map { f(100 * $0.prefilter, 2) + "%" }.joined(separator: ", ") + " of pairs; median pair distance " + tInf.map { f($0.medianR, 3) }.joined(separator: ", ") + ".",
                "SFS: N_2 = " + zip(sizes, tS).map { "\(f($1.mean, 3)) ± \(f($1.se, 2)) (L=\($0))" }.joined(separator: ", ") + (fs.map { "; fitted exponent \(f($0.slope)) ± \(f($0.slopeError, 2)): slower than L " + ($0.slope + 2 * $0.slopeError < 1 ? "(confirmed: exponent + 2σ < 1)" : "not established at this tier (exponent + 2σ ≥ 1)") } ?? "; too few nonzero sizes for a fit") + "; median pair distance " + tS.map { f($0.medianR, 2) }.joined(separator: ", ") + " (short-range pairs).",
                "h_x = \(hx) (not stated in the paper); Eq. (6) reconstructed as A_12 = h_x²(1/φ̃_1 + 1/φ̃_2)/(−φ̃_1 − φ̃_2 + 2K_12 Z_1Z_2), φ̃ = Zφ, counted in one O(L²) pass with an exact prefilter (validated against brute-force recomputation in the tests).",
            ]
            let rc = pow(2 / hx, 1 / a)
            findings.append("Local T = ∞ exponents: " + (1..<sizes.count).map { k in "\(sizes[k - 1])→\(sizes[k]): \(f(log(tInf[k].mean / tInf[k - 1].mean) / log(xs[k] / xs[k - 1])))" }.joined(separator: ", ") + ". The estimate N_2 ∝ L·Σ r^{−α} (effective exponent \(f(gEff)) here) assumes the bond term |2K_12| ≪ |φ|; |2K_12| ~ 2r^{−α} exceeds h_x = \(hx) up to r ≈ (2/h_x)^{1/α} ≈ \(f(rc, 2)), a regime the estimate does not cover — a possible origin of the excess. The paper's h_x is not stated; the full tier (L ≤ 4000) gave local exponents 1.41–1.46 with no drift toward 2 − α.")
            if let fs, fs.slope + 2 * fs.slopeError >= 1 { findings.append("SFS exponent not below 1 within 2σ at this tier.") }
            let lg = stride(from: log(Double(sizes.first!)), through: log(Double(sizes.last!)), by: 0.1).map { exp($0) }
            var plot = [PlotSeries(name: "T = ∞", x: xs, y: tInf.map(\.mean), yError: tInf.map(\.se), style: .points),
                        PlotSeries(name: "SFS", x: okS.map { xs[$0] }, y: okS.map { tS[$0].mean }, yError: okS.map { tS[$0].se }, style: .points),
                        PlotSeries(name: "∝ L^{2−α}", x: lg, y: lg.map { tInf[0].mean * pow($0 / xs[0], 2 - a) }, style: .dashed)]
            if let o = okS.first { plot.append(PlotSeries(name: "∝ L", x: lg, y: lg.map { tS[o].mean * $0 / xs[o] }, style: .dashed)) }
            return Evidence(
                check: Check(predicted: 2 - a, measured: fi.slope, uncertainty: fi.slopeError),
                control: Control("linear growth N_2 ~ L (short-range pairs only), exponent 1", Check(predicted: 1, measured: fi.slope, uncertainty: fi.slopeError)),
                tolerance: Tolerance(drift + 0.05, "\(f(drift + 0.05, 2)) = the finite-size drift of the estimate itself (effective exponent of L·Σ_{r≤L/2} r^{−α} over these sizes minus 2 − α = \(f(drift, 2))) + 0.05, the difference between the measured exponent and that finite-L estimate in the groundwork (1.38 vs 1.345 over L = 250–4000); statistics enter through the 2σ rule."),
                method: "α = \(a), h_x = \(hx): for each L draw couplings and a random (T = ∞) or SFS configuration and count genuine two-flip resonances of Eq. (6) over all pairs i < j in one O(L²) pass; mean and standard error over states; weighted power-law fit of mean N_2 vs L.",
                parameters: seedParameters(ctx, streams: "\(ctx.claimID)/L<L>/<Tinf|SFS>, realization k = state k"),
                findings: findings,
                series: [DataSeries(name: "N2 Tinf", x: xs, y: tInf.map(\.mean), yError: tInf.map(\.se)),
                         DataSeries(name: "N2 SFS", x: xs, y: tS.map(\.mean), yError: tS.map(\.se))],
                figures: [Figure(name: "two-flip-resonances", title: "Genuine two-spin-flip resonances vs L (α = \(a), h_x = \(hx))",
                                 caption: "Mean number of genuine two-flip resonances at T = ∞ and in SFS states, with L^{2−α} and L guides.",
                                 plot: Plot(xLabel: "L", yLabel: "N_2", xLog: true, yLog: true, series: plot))],
                correctedForm: abs(fi.slope - (2 - a)) - 2 * fi.slopeError > drift + 0.05
                    ? "N_2 ~ L^{\(f(fi.slope))±\(f(fi.slopeError, 1))} at T = ∞ over L = \(sizes.first!)…\(sizes.last!) (finite-L estimate L·Σ_{r≤L/2} r^{−α}: \(f(gEff))); still faster than L, so the qualitative contrast with SFS states stands." : nil,
                regressionTolerance: 1e-9)
        })
}
