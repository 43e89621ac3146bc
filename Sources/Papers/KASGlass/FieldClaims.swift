import Foundation
import Kernels
import Special
import Verification

extension KASGlass {
    // MARK: 1. field-width

    static let fieldWidth = Claim(
        id: "kas-glass.field-width",
        paper: .kasGlass,
        reference: "Text after Eq. (2) (\"Effective fields\")",
        statement: "At T = ∞ (random Z_i = ±1) the effective fields φ_i are normal distributed with standard deviation σ_∞ = √(2ζ(2α)) in the infinite chain, which diverges as 1/√(α − 1/2).",
        comparison: .zScore,
        tiers: [
            .quick: ["alphas": [0.55, 0.6, 0.7, 0.8, 0.9], "sites": 100, "states": 400, "ksStates": 10],
            .standard: ["alphas": [0.55, 0.6, 0.7, 0.8, 0.9], "sites": 1000, "states": 100, "ksStates": 10],
            .full: ["alphas": [0.55, 0.6, 0.7, 0.8, 0.9], "sites": 4000, "states": 100, "ksStates": 10],
        ],
        run: { ctx in
            let alphas = try ctx.doubles("alphas"), l = try ctx.int("sites"), n = try ctx.int("states"), nks = try ctx.int("ksStates")
            guard n >= 20, l >= 10 else { throw ClaimError.invalidParameter("need states ≥ 20 and sites ≥ 10") }
            try requireChains([l], realizations: n, ctx)
            struct Cell { var alpha, measured, se, finite, infinite, asymptotic, ksP: Double; var sfsKsP: Double; var sample: [Double] }
            var cells = [Cell]()
            for a in alphas {
                let varL = try KASLattice.fieldVariance(sites: l, alpha: a)
                let sL = varL.squareRoot()
                // Per state: mean φ² over sites (E φ = 0 exactly); SFS fields of the first states for the KS control.
                let res = try ctx.realizations(n, label: "a\(a)") { k, rng -> (Double, [Double], [Double]) in
                    var c = KASChain(sites: l, alpha: a)
                    c.draw(&rng)
                    let v = c.fields.reduce(0) { $0 + $1 * $1 } / Double(l)
                    guard k < nks else { return (v, [], []) }
                    let t = c.fields.map { $0 / sL }
                    c.descendToSingleFlipStable(&rng)
                    return (v, t, c.fields.map { $0 / sL })
                }
                let s = SampleSummary(res.map(\.0))
                let sd = s.mean.squareRoot(), se = s.standardError / (2 * sd)
                let vinf = try KASLattice.infiniteFieldVariance(alpha: a)
                let asym = vinf - 2 * pow(Double(l) / 2, 1 - 2 * a) / (2 * a - 1)
                let ks = ksTest(res.flatMap(\.1), cdf: SpecialFunctions.normalCDF)
                let ksS = ksTest(res.flatMap(\.2), cdf: SpecialFunctions.normalCDF)
                cells.append(Cell(alpha: a, measured: sd, se: se, finite: sL, infinite: vinf.squareRoot(),
                                  asymptotic: asym.squareRoot(), ksP: ks.pValue, sfsKsP: ksS.pValue, sample: res.flatMap(\.1)))
            }
            let z = cells.map { abs($0.measured - $0.finite) / $0.se }
            let worst = z.indices.max { z[$0] < z[$1] }!
            let w = cells[worst]
            var findings = cells.map { c in
                "α = \(c.alpha): std φ = \(f(c.measured, 5)) ± \(f(c.se, 2)) vs finite-L lattice sum √(Σ_{j≠i} r^{−2α}) = \(f(c.finite, 5)) (z = \(f((c.measured - c.finite) / c.se, 2))); vs √(2ζ(2α)) = \(f(c.infinite, 5)) the ratio is \(f(c.measured / c.infinite, 4)); asymptotic finite-L form √(2ζ(2α) − 2(L/2)^{1−2α}/(2α−1)) = \(f(c.asymptotic, 5)); KS p (φ/σ_L vs N(0,1), \(nks) states) = \(f(c.ksP, 3)); KS p of SFS fields (control) = \(f(c.sfsKsP, 2))."
            }
            findings.append("The printed L = ∞ width √(2ζ(2α)) is approached slowly: the deficit 2(L/2)^{1−2α}/(2α−1) decays as L^{1−2α}, so at α ≤ 0.7 the raw comparison with √(2ζ(2α)) fails at L = \(l) (ratio \(f(cells[0].measured / cells[0].infinite, 3)) at α = \(cells[0].alpha)); the headline compares with the exact finite-L lattice sum, whose L → ∞ limit is √(2ζ(2α)) (Hurwitz-ζ tail).")
            let div = try [0.501, 0.51, 0.55, 0.6, 0.7].map { a in (a, (try KASLattice.infiniteFieldVariance(alpha: a)).squareRoot() * (a - 0.5).squareRoot()) }
            findings.append("Divergence 1/√(α − ½): √(2ζ(2α))·√(α − ½) = " + div.map { "\(f($0.1, 4)) (α = \($0.0))" }.joined(separator: ", ") + " → 1 as α → ½ (ζ(s) ≈ 1/(s − 1)).")
            findings.append("L → ∞ value: adding the analytic lattice tail 2(L/2)^{1−2α}/(2α−1) to the measured variance gives σ_∞ estimates " + cells.map { c -> String in
                let tail = 2 * pow(Double(l) / 2, 1 - 2 * c.alpha) / (2 * c.alpha - 1)
                let est = (c.measured * c.measured + tail).squareRoot(), se = c.se * c.measured / est
                return "\(f(est, 4)) ± \(f(se, 2)) vs √(2ζ(2α)) = \(f(c.infinite, 4)) (z = \(f((est - c.infinite) / se, 2)), α = \(c.alpha))"
            }.joined(separator: "; ") + ".")
            let minKS = cells.map(\.ksP).min()!
            findings.append("Normality: smallest KS p over α = \(f(minKS, 3)); the SFS fields through the same KS test give p ≤ \(f(cells.map(\.sfsKsP).max()!, 2)) (the test has power).")
            let grid = stride(from: -4.0, through: 4.0, by: 0.1).map { $0 }
            let h = Histogram(w.sample, bins: 40, lower: -4, upper: 4)
            var params = seedParameters(ctx, streams: "\(ctx.claimID)/a<α>, realization k = state k (couplings + random Z; first ksStates states also descend to SFS for the KS control)")
            params["headlineAlpha"] = .number(w.alpha)
            return Evidence(
                check: Check(predicted: w.finite, measured: w.measured, uncertainty: w.se),
                control: Control("one-sided lattice sum √(Σ_{r≥1} r^{−2α}) (width too small by √2), same α",
                                 Check(predicted: (w.finite * w.finite / 2).squareRoot(), measured: w.measured, uncertainty: w.se)),
                tolerance: Tolerance(3.5, "|z| ≤ 3.5 for the largest |z| of \(cells.count) α cells (family-wise false-alarm ≈ 0.2%); σ is the measured standard error of the per-state mean φ² (spread over states), NOTES measured |z| ≤ 1.8 over 15 cells."),
                method: "For each α draw couplings K_ij = J_ij/r_ij^α (minimum-image ring of L = \(l)) and a random configuration Z, compute φ = K·Z, and average φ² per state; std = √⟨φ²⟩ with its standard error from the spread of per-state means. The prediction at finite L is the exact lattice sum σ_L² = Σ_{j≠i} r_ij^{−2α} = 2[ζ(2α) − ζ(2α, R+1)] (+ (L/2)^{−2α} for even L), whose L → ∞ limit is the printed 2ζ(2α). Headline: the α cell with the largest |z|. Normality: KS test of φ/σ_L against N(0,1).",
                parameters: params, findings: findings,
                series: [DataSeries(name: "std phi vs alpha", x: cells.map(\.alpha), y: cells.map(\.measured), yError: cells.map(\.se)),
                         DataSeries(name: "finite-L lattice sum", x: cells.map(\.alpha), y: cells.map(\.finite)),
                         DataSeries(name: "sqrt(2 zeta(2 alpha))", x: cells.map(\.alpha), y: cells.map(\.infinite))],
                figures: [Figure(name: "field-width", title: "T = ∞ field width vs α", caption: "Measured std of φ (L = \(l)) with the finite-L lattice sum and the printed infinite-chain value √(2ζ(2α)).",
                                 plot: Plot(xLabel: "α", yLabel: "std φ", series: [
                                    PlotSeries(name: "measured", x: cells.map(\.alpha), y: cells.map(\.measured), yError: cells.map(\.se), style: .points),
                                    PlotSeries(name: "finite-L lattice sum", x: cells.map(\.alpha), y: cells.map(\.finite), style: .line),
                                    PlotSeries(name: "√(2ζ(2α))", x: cells.map(\.alpha), y: cells.map(\.infinite), style: .dashed)])),
                          Figure(name: "field-distribution", title: "φ/σ_L at α = \(w.alpha)", caption: "Histogram of T = ∞ fields scaled by the lattice-sum width, with N(0,1).",
                                 plot: Plot(xLabel: "φ/σ_L", yLabel: "density", series: [
                                    PlotSeries(name: "T = ∞ fields", x: h.centres, y: h.density, yError: h.densityError, style: .points),
                                    PlotSeries(name: "N(0,1)", x: grid, y: grid.map { exp(-$0 * $0 / 2) / (2 * Double.pi).squareRoot() }, style: .line)]))],
                regressionTolerance: 1e-9,
                extra: ["ksPValues": .init(cells.map(\.ksP))])
        })

    // MARK: shared SFS ensembles

    static func ensembles(_ ctx: ClaimContext) throws -> (alphas: [Double], sizes: [Int], byAlpha: [[KASFieldEnsemble]]) {
        let alphas = try ctx.doubles("alphas"), sizes = try ctx.ints("sizes"), states = try ctx.ints("states")
        guard sizes.count == states.count, sizes.count >= 3 else { throw ClaimError.invalidParameter("need ≥ 3 sizes with a state count each") }
        try requireChains(sizes, realizations: states.max() ?? 1, ctx)
        let total = Double(alphas.count * sizes.count)
        var done = 0.0
        let e = try alphas.map { a in
            try zip(sizes, states).map { l, n -> KASFieldEnsemble in
                let r = try KASEnsembleCache.shared.ensemble(sites: l, alpha: a, states: n, seed: ctx.seed, jobs: ctx.jobs)
                done += 1; ctx.progress(done / total)
                return r
            }
        }
        return (alphas, sizes, e)
    }

    static let ensembleTiers: [Tier: [String: JSONValue]] = [
        .quick: ["alphas": [0.6, 0.7, 0.8, 0.9], "sizes": [100, 200, 400], "states": [6000, 3000, 1500]],
        .standard: ["alphas": [0.6, 0.7, 0.8, 0.9], "sizes": [400, 800, 1600], "states": [5000, 2500, 1250]],
        .full: ["alphas": [0.6, 0.7, 0.8, 0.9], "sizes": [1000, 2000, 4000], "states": [100000, 30000, 10000]],
    ]

    static let ensembleStreams = "RandomStream(seed, label: \"kas-glass/sfs-ensemble/a<α>/L<L>\", realization: k) for state k (shared by field-gap-exponent and min-field-scaling); couplings, random Z (T = ∞ sample), then random single-flip descent (SFS sample)"

    // MARK: 2. field-gap-exponent

    static let fieldGapExponent = Claim(
        id: "kas-glass.field-gap-exponent",
        paper: .kasGlass,
        reference: "Eq. (3), Eq. (5), Fig. 1 and inset",
        statement: "In single-spin-flip-stable states p(φ) ~ |φ|^x at small |φ| (extrapolated L → ∞ with 1/L to second order, fitted for |φ| < 1); x(α) satisfies the avalanche-stability bound x > 1/α − 1 of Eq. (5) for all 1/2 < α < 1, close to but not saturating it.",
        comparison: .absolute,
        tiers: ensembleTiers,
        run: { ctx in
            let t0 = DispatchTime.now().uptimeNanoseconds
            let (alphas, sizes, ens) = try ensembles(ctx)
            let sys = 0.03
            struct Row { var alpha, bound, x, err, xInf, errInf, xOrder1, xWindow2: Double; var perL: [(Double, Double)] }
            var rows = [Row]()
            for (a, e) in zip(alphas, ens) {
                let r = KASFieldExponent.extrapolated(e)
                let c = KASFieldExponent.extrapolated(e, sfs: false)
                let o1 = KASFieldExponent.extrapolated(Array(e.suffix(2)), order: 1)
                let w2 = KASFieldExponent.extrapolated(e, lo: 0.02, hi: 0.5)
                rows.append(Row(alpha: a, bound: 1 / a - 1, x: r.x, err: r.jackknifeError, xInf: c.x, errInf: c.jackknifeError,
                                xOrder1: o1.x, xWindow2: w2.x, perL: e.map { KASFieldExponent.finiteSize($0) }))
            }
            guard rows.allSatisfy({ $0.x.isFinite && $0.err.isFinite }) else { throw ClaimError.nonFinite("power-law fit of the extrapolated density failed") }
            // One-sided bound test in the absolute comparison: measured = min(x, b); the
            // check passes iff x − 2σ ≥ b − tol and fails iff x + 2σ < b − tol.
            func oneSided(_ x: Double, _ s: Double, _ b: Double) -> Check {
                Check(predicted: b, measured: min(x, b), uncertainty: x >= b ? max(0, s - (x - b) / 2) : s)
            }
            let margin = rows.map { $0.bound - $0.x + 2 * $0.err }
            let wi = margin.indices.max { margin[$0] < margin[$1] }!
            let w = rows[wi]
            var findings = rows.map { r in
                "α = \(r.alpha): x_∞ = \(f(r.x)) ± \(f(r.err, 2)) (jackknife), bound 1/α − 1 = \(f(r.bound)), x − bound = \(f(r.x - r.bound, 2)) (\(f((r.x - r.bound) / r.err, 2))σ); systematics: order 1 on the two largest L \(f(r.xOrder1)), window [0.02, 0.5] \(f(r.xWindow2)); finite-L x in [0.03, 1]: " + zip(sizes, r.perL).map { "L=\($0): \(f($1.0))±\(f($1.1, 1))" }.joined(separator: ", ") + "; T = ∞ control x = \(f(r.xInf, 2)) ± \(f(r.errInf, 1))."
            }
            let below = rows.filter { $0.x + 2 * $0.err < $0.bound - sys }
            if !below.isEmpty {
                findings.append("Discrepancy: x is below the stability bound beyond the tolerance at α = " + below.map { "\($0.alpha) (x = \(f($0.x)) ± \(f($0.err, 2)) vs \(f($0.bound)))" }.joined(separator: ", ") + ". At α = 0.6 the finite-L exponents still rise with L (corrections ~ L^{1−2α} = L^{−0.2}, not 1/L), so the 1/L extrapolation of the caption underestimates x there; the paper's inset (x above the bound at every α) is not reproduced at these sizes.")
            }
            // Performance: O(L²) per SFS state.
            let e0 = ens[alphas.firstIndex(of: 0.7) ?? 0]
            let cpu = e0.map(\.cpuSecondsPerState)
            if let tf = try? powerLawFit(x: sizes.map(Double.init), y: cpu) {
                findings.append("Cost per SFS state (α = \(e0[0].alpha), CPU s/state): " + zip(sizes, cpu).map { "L=\($0): \(f($1 * 1e3, 3)) ms" }.joined(separator: ", ") + "; fitted exponent of time vs L = \(f(tf.slope)) ± \(f(tf.slopeError, 1)) (O(L²) expected: L²/2 normals + ≈0.65 L flips × O(L)). Throughput " + zip(sizes, e0).map { "L=\($0): \(f(Double($1.states) / $1.wallSeconds, 3)) states/s" }.joined(separator: ", ") + " on \(ctx.jobs) workers.")
            }
            findings.append("Flips per spin in the descent: " + zip(sizes, e0).map { "L=\($0): \(f($1.meanFlipsPerSpin))" }.joined(separator: ", ") + " (O(L) flips); E/L of the SFS states: " + zip(sizes, e0).map { "\(f($1.meanEnergyPerSpin, 4))" }.joined(separator: ", ") + ".")
            findings.append("The SFS descent rule is ours (uniformly random unstable spin; the paper does not state it). Greedy descent gives x smaller by ≈0.03 (NOTES), of the order of the tolerance.")
            // Fig. 1 for α = 0.7 (or the first α).
            let fi = alphas.firstIndex(of: 0.7) ?? 0
            let fe = ens[fi]
            let fr = KASFieldExponent.extrapolated(fe)
            let cs = KASFieldEnsemble.centres
            var fig1 = [PlotSeries]()
            for e in fe {
                let d = e.density(sfs: true).p
                let idx = d.indices.filter { d[$0] > 0 && $0 > 0 }
                fig1.append(PlotSeries(name: "SFS L = \(e.sites) (\(e.states) states)", x: idx.map { cs[$0] }, y: idx.map { d[$0] }, style: .points))
            }
            let pinf = fr.extrapolatedDensity
            let ii = pinf.indices.filter { pinf[$0] > 0 && $0 > 0 }
            fig1.append(PlotSeries(name: "L = ∞ (1/L to 2nd order)", x: ii.map { cs[$0] }, y: ii.map { pinf[$0] }, style: .line))
            let fitx = stride(from: log10(0.03), through: 0.0, by: 0.1).map { pow(10, $0) }
            fig1.append(PlotSeries(name: "fit |φ|^x, x = \(f(fr.x))", x: fitx, y: fitx.map { fr.amplitude * pow($0, fr.x) }, style: .dashed))
            let dinf = fe.last!.density(sfs: false).p
            let ji = dinf.indices.filter { dinf[$0] > 0 && $0 > 0 }
            fig1.append(PlotSeries(name: "T = ∞, L = \(fe.last!.sites)", x: ji.map { cs[$0] }, y: ji.map { dinf[$0] }, style: .dashed))
            let ag = stride(from: 0.55, through: 1.0, by: 0.01).map { $0 }
            let inset = Plot(xLabel: "α", yLabel: "x", series: [
                PlotSeries(name: "x (SFS, L → ∞)", x: rows.map(\.alpha), y: rows.map(\.x), yError: rows.map(\.err), style: .points),
                PlotSeries(name: "1/α − 1 (Eq. 5)", x: ag, y: ag.map { 1 / $0 - 1 }, style: .dashed),
                PlotSeries(name: "x at T = ∞ (control)", x: rows.map(\.alpha), y: rows.map(\.xInf), yError: rows.map(\.errInf), style: .points)])
            var params = seedParameters(ctx, streams: ensembleStreams)
            params["headlineAlpha"] = .number(w.alpha)
            params["fitWindow"] = [0.03, 1.0]
            params["bins"] = "[0,1e-4) + 55 log bins (10/decade) from 1e-4 to 10^1.5; 16 jackknife chunks (state k mod 16)"
            params["elapsedSeconds"] = .number(seconds(since: t0))
            return Evidence(
                check: oneSided(w.x, w.err, w.bound),
                control: Control("T = ∞ fields (x ≈ 0) through the same pipeline against the bound at α = \(w.alpha)",
                                 oneSided(w.xInf, w.errInf, w.bound)),
                tolerance: Tolerance(sys, "0.03 = the spread of x_∞ over fit windows ([0.02,0.5], [0.03,1]) and extrapolation orders measured in the Python groundwork at α = 0.7–0.9 (systematic); statistics enter through the 2σ jackknife rule. One-sided: x may exceed the bound by any amount."),
                method: "Per α and L: sample SFS states (random couplings and Z, then flip uniformly random unstable spins with O(L) field updates until every spin is anti-aligned with its field), histogram |φ| in log bins, extrapolate each bin in 1/L to second order over the sizes \(sizes), fit ln p_∞ vs ln φ in [0.03, 1] with count weights, jackknife over 16 chunks. Headline: the α whose one-sided test x ≥ 1/α − 1 − tol is worst (largest b − x + 2σ), encoded as measured = min(x, b) against b (absolute, uncertainty reduced by the margin when x > b, so that the test is exactly one-sided).",
                parameters: params, findings: findings,
                series: rows.map { DataSeries(name: "x finite-L alpha=\($0.alpha)", x: sizes.map(Double.init), y: $0.perL.map(\.0), yError: $0.perL.map(\.1)) }
                    + [DataSeries(name: "x_inf vs alpha", x: rows.map(\.alpha), y: rows.map(\.x), yError: rows.map(\.err)),
                       DataSeries(name: "x_inf T=inf control", x: rows.map(\.alpha), y: rows.map(\.xInf), yError: rows.map(\.errInf))],
                figures: [Figure(name: "fig1-field-distribution", title: "Fig. 1: p(|φ|) in SFS states, α = \(alphas[fi])",
                                 caption: "Field distribution of SFS states for several L, the 1/L (second-order) extrapolation and its power-law fit in [0.03, 1]; the T = ∞ distribution (flat at small φ) for reference.",
                                 plot: Plot(xLabel: "|φ|", yLabel: "p(|φ|)", xLog: true, yLog: true, series: fig1, xRange: 1e-4...20, yRange: 1e-3...1.5)),
                          Figure(name: "fig1-inset-x-alpha", title: "Fig. 1 inset: x(α) and the bound 1/α − 1",
                                 caption: "Extrapolated exponent x (±jackknife) against the stability bound of Eq. (5); T = ∞ control near 0.", plot: inset)],
                correctedForm: below.isEmpty ? nil : "x(α) ≥ 1/α − 1 holds at α ≥ 0.7 within errors (" + rows.filter { $0.alpha >= 0.7 }.map { "x(\($0.alpha)) = \(f($0.x))" }.joined(separator: ", ") + "), but at α = " + below.map { "\($0.alpha)" }.joined(separator: ", ") + " the 1/L-extrapolated x lies below the bound at L ≤ \(sizes.last!).",
                regressionTolerance: 1e-9)
        })

    // MARK: 3. min-field-scaling

    static let minFieldScaling = Claim(
        id: "kas-glass.min-field-scaling",
        paper: .kasGlass,
        reference: "Text after Eq. (3)",
        statement: "Since p(φ) ~ |φ|^x, the smallest field in a system of size L scales as φ_min ~ L^{−1/(x+1)}.",
        comparison: .absolute,
        tiers: ensembleTiers.mapValues { var p = $0; p["headlineAlpha"] = 0.7; p["bootstrap"] = 200; return p },
        run: { ctx in
            let (alphas, sizes, ens) = try ensembles(ctx)
            let ha = try ctx.double("headlineAlpha"), nb = try ctx.int("bootstrap")
            var boot = ctx.stream(0, label: "bootstrap")
            func slope(_ mins: [[Double]]) throws -> LinearFit {
                var med = [Double](), sig = [Double]()
                for m in mins {
                    let md = median(m)
                    let se = bootstrapStandardError(count: m.count, resamples: nb, rng: &boot) { idx in log(median(idx.map { m[$0] })) }
                    med.append(md); sig.append(max(se, 1e-12) * md)
                }
                return try powerLawFit(x: sizes.map(Double.init), y: med, sigma: sig)
            }
            struct Row { var alpha, slope, err, pred, predErr, infSlope, infErr: Double; var medians: [Double] }
            var rows = [Row]()
            for (a, e) in zip(alphas, ens) {
                let s = try slope(e.map(\.sfsMinimum))
                let si = try slope(e.map(\.infiniteTMinimum))
                let x = KASFieldExponent.extrapolated(e)
                let p = -1 / (1 + x.x), pe = x.jackknifeError / ((1 + x.x) * (1 + x.x))
                rows.append(Row(alpha: a, slope: s.slope, err: s.slopeError, pred: p, predErr: pe, infSlope: si.slope, infErr: si.slopeError,
                                medians: e.map { median($0.sfsMinimum) }))
            }
            guard let w = rows.first(where: { $0.alpha == ha }) else { throw ClaimError.invalidParameter("headlineAlpha \(ha) not among alphas") }
            let sigma = (w.err * w.err + w.predErr * w.predErr).squareRoot()
            var findings = rows.map { r in
                "α = \(r.alpha): fitted slope of ln median(φ_min) vs ln L = \(f(r.slope)) ± \(f(r.err, 2)); predicted −1/(1+x) = \(f(r.pred)) ± \(f(r.predErr, 1)) (x from field-gap-exponent, same data); difference \(f(r.slope - r.pred, 2)); −α (marginal stability) = \(f(-r.alpha)); T = ∞ slope \(f(r.infSlope)) ± \(f(r.infErr, 1)) (−1 expected for x = 0)."
            }
            findings.append("At these sizes the min-field exponent cannot separate −1/(1+x) from the marginal value −α (they differ by ≤ 0.1); the headline is α = \(ha), the α the paper shows in Fig. 1.")
            return Evidence(
                check: Check(predicted: w.pred, measured: w.slope, uncertainty: sigma),
                control: Control("T = ∞ prediction x = 0 (φ_min ~ 1/L)", Check(predicted: -1, measured: w.slope, uncertainty: sigma)),
                tolerance: Tolerance(0.04, "0.04 = drift of the fitted slope between L ranges (100–1600 vs 400–1600) measured in the groundwork at α = 0.7–0.9; statistics (bootstrap of the median ⊕ jackknife of x) enter through the 2σ rule."),
                method: "From the same SFS ensembles as field-gap-exponent: φ_min = min_i |φ_i| per state; median per L with bootstrap errors (\(nb) resamples); weighted fit of ln median vs ln L over L = \(sizes); compared with −1/(1+x) using the extrapolated x of the same data (errors combined).",
                parameters: seedParameters(ctx, streams: ensembleStreams + "; bootstrap: \(ctx.claimID)/bootstrap realization 0"),
                findings: findings,
                series: rows.map { DataSeries(name: "median phi_min alpha=\($0.alpha)", x: sizes.map(Double.init), y: $0.medians) },
                figures: [Figure(name: "min-field", title: "Median smallest field vs L", caption: "Median of min_i |φ_i| in SFS states with the predicted slopes −1/(1+x) (dashed) anchored at the smallest L.",
                                 plot: Plot(xLabel: "L", yLabel: "median φ_min", xLog: true, yLog: true,
                                            series: rows.flatMap { r in [
                                                PlotSeries(name: "α = \(r.alpha)", x: sizes.map(Double.init), y: r.medians, style: .points),
                                                PlotSeries(name: "L^{−1/(1+x)}, α = \(r.alpha)", x: sizes.map(Double.init),
                                                           y: sizes.map { r.medians[0] * pow(Double($0) / Double(sizes[0]), r.pred) }, style: .dashed)] }))],
                regressionTolerance: 1e-9)
        })
}
