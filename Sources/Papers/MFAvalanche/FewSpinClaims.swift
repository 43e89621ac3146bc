import Foundation
import Kernels
import Verification

extension MFAvalanche {
    /// The smallest g with eta(g) ≥ y (bisection in log g on the interpolant).
    static func inverseEta(_ eta: EtaInterpolant, _ y: Double) -> Double {
        if y <= 0 { return 0 }
        if y >= log(2.0) { return .infinity }
        var lo = log(1e-14), hi = log(1e4)
        for _ in 0..<200 { let m = 0.5 * (lo + hi); if eta.eta(exp(m)) < y { lo = m } else { hi = m } }
        return exp(0.5 * (lo + hi))
    }

    static func fewSpinPlan(_ ctx: ClaimContext, spectator: Bool, activeSpins k: Int) throws -> [RealizationSet] {
        let dims = try ctx.ints("grainDimensions"), targets = try ctx.doubles("couplings"), count = try ctx.int("realizations")
        let variant = try ctx.int("variantRealizations")
        var sets = [RealizationSet]()
        for d in dims {
            for g in targets {
                sets.append(FewSpin.set(label: "d\(d)-g\(g)", grainDimension: d, targets: [Double](repeating: g, count: k), spectator: spectator, count: count))
            }
        }
        if variant > 0 {
            for g in targets {
                sets.append(FewSpin.set(label: "gaussian-d\(dims[0])-g\(g)", grainDimension: dims[0], targets: [Double](repeating: g, count: k),
                                        spectator: spectator, count: variant, grainOperator: .gaussian))
            }
        }
        return sets
    }

    static func fewSpinValidate(_ p: [String: JSONValue], activeSpins k: Int) throws {
        guard let dims = p["grainDimensions"]?.ints, !dims.isEmpty, let g = p["couplings"]?.doubles, !g.isEmpty,
              g.allSatisfy({ $0 > 0 && $0 < 20 }), let r = p["realizations"]?.int, r >= 3, let v = p["variantRealizations"]?.int, v >= 0 else {
            throw ClaimError.invalidParameter("need grainDimensions (list, the first is the headline), couplings (target reduced couplings in (0, 20)), realizations ≥ 3 (jackknife), variantRealizations ≥ 0")
        }
        for d in dims { try FewSpin.validate(grainDimension: d, activeSpins: k) }
    }

    // MARK: eta-direct

    static let etaDirect = Claim(
        id: "mf-avalanche.eta-direct",
        paper: .mfAvalanche,
        reference: "Eqs. (8c), (A16)–(A19), (A27)",
        statement: "The reduced coupling of a second (spectator) spin is enhanced by the first: g₂ = g₂,₀e^{η(g₁)/2} (8c), i.e. η(g₁) = 2 log([|V′₂,ab|]/[|V₂,ab|]) (A19), with η of (A27). Measured by ED of Eq. (1) with N = 2: [|V₂,ab|] over the states within ±½ of E_∞ in the eigenbasis of H with V₂ off and V₁ on (primed) and off (the (8c) form with each basis's own ρ as a variant), g₁ by Eq. (3), over a scan of g₁; s from the points with g₁ ≥ 10/d_g and g₁η′(g₁) ≥ 0.05 (g₁ ≲ 0.2: above, η saturates at log 2 and cannot fix a scale; the strong side is claim strong-coupling) and J₁ ≤ R/20 (R the grain's semicircle radius: V₁ must not reshape the spectrum). The comparison is the scale s with η_ED(g₁) = η(s·g₁): s = 1 for (A27) with the tail 2g₁/g² (A4), s = ½ under the (A15) normalization; s from the points with g₁ ≥ 10/d_g and g₁η′(g₁) ≥ 0.05 (η not saturated) at the headline grain dimension (the first), the other grain dimension and the Gaussian σ_g as systematics.",
        comparison: .zScore,
        tiers: [
            .quick: ["grainDimensions": [128], "couplings": [0.1, 0.2, 0.3], "realizations": 8, "variantRealizations": 0],
            .standard: ["grainDimensions": [256, 128], "couplings": [0.05, 0.1, 0.2, 0.3, 1.0], "realizations": 12, "variantRealizations": 6],
            .full: ["grainDimensions": [512, 256, 1024], "couplings": [0.025, 0.05, 0.1, 0.2, 0.3, 1.0], "realizations": 32, "variantRealizations": 16],
        ],
        validate: { p in try fewSpinValidate(p, activeSpins: 1) },
        plan: { ctx in try fewSpinPlan(ctx, spectator: true, activeSpins: 1) },
        realization: { _, set, _, rng in try FewSpin.measure(set, &rng) },
        analyze: { ctx, results in try etaDirectEvidence(ctx, results) })

    struct EtaPoint { let label: String; let d: Int; let g: Double; let gErr: Double; let eta: Double; let etaErr: Double; let s: Double; let sErr: Double
        let etaElements: Double; let jOverR: Double }

    static func etaPoints(_ results: RealizationResults<ActiveSpinsSample>, eta: EtaInterpolant, prefix: String = "d", elementRatio: Bool = true) -> [EtaPoint] {
        results.bySet.filter { $0.set.label.hasPrefix(prefix) }.map { set, v in
            let g = FewSpin.stat(v) { FewSpin.bare($0, spin: 0) }
            let e = FewSpin.stat(v) { 2 * log(elementRatio ? FewSpin.spectatorElementRatio($0) : FewSpin.spectatorRatio($0)) }
            let inv = inverseEta(eta, e.value)
            let s = inv / g.value
            // σ_s: from σ_η through dη/dlog g at the inverse, ⊕ the relative error of g₁.
            let slope = inv.isFinite ? eta.derivative(inv) * inv : 0
            let sErr = slope > 0 ? s * ((e.error / slope) * (e.error / slope) + (g.error / g.value) * (g.error / g.value)).squareRoot() : .infinity
            return EtaPoint(label: set.label, d: (try? set.int("grainDimension")) ?? 0, g: g.value, gErr: g.error, eta: e.value, etaErr: e.error, s: s, sErr: sErr,
                            etaElements: 2 * log(FewSpin.spectatorRatio(v)), jOverR: FewSpin.couplingOverBandwidth(set))
        }
    }

    static func weightedScale(_ p: [EtaPoint]) -> (s: Double, error: Double) {
        let use = p.filter { $0.sErr.isFinite && $0.sErr > 0 }
        let w = use.map { 1 / ($0.sErr * $0.sErr) }
        let sw = w.reduce(0, +)
        guard sw > 0 else { return (.nan, .nan) }
        return (zip(use, w).map { $0.s * $1 }.reduce(0, +) / sw, 1 / sw.squareRoot())
    }

    static func etaDirectEvidence(_ ctx: ClaimContext, _ results: RealizationResults<ActiveSpinsSample>) throws -> Evidence {
        let eta = try MFReference.eta()
        let dims = try ctx.ints("grainDimensions")
        let all = etaPoints(results, eta: eta)
        // The intermediate regime, where η is steep enough to fix the scale (above g ≈ 0.3 it
        // saturates at log 2 and dη/dlog g → 0), with J₁ well inside the grain's band (the regime of
        // the Appendix: V₁ must not reshape the density of states).
        func inRange(_ p: EtaPoint) -> Bool { p.g >= 10 / Double(p.d) && p.g * eta.derivative(p.g) >= 0.05 && p.jOverR <= 0.05 }
        let head = all.filter { $0.d == dims[0] && inRange($0) }
        guard !head.isEmpty else { throw ClaimError.invalidParameter("no coupling of the headline grain dimension \(dims[0]) lies in g₁ ≥ 10/d_g with g₁η′(g₁) ≥ 0.05 and J₁ ≤ R/20") }
        let s = weightedScale(head)
        var estimates = [Estimate("(A19) element ratio, weighted mean over g₁ ≥ 10/d_g with g₁η′ ≥ 0.05, d_g = \(dims[0])", s.s, uncertainty: s.error)]
        let withDensity = etaPoints(results, eta: eta, elementRatio: false).filter { $0.d == dims[0] && inRange($0) }
        let sd = weightedScale(withDensity)
        if sd.s.isFinite { estimates.append(Estimate("(8c) ratio of Eq. (3) couplings (each basis with its own ρ), d_g = \(dims[0])", sd.s, uncertainty: sd.error)) }
        for d in dims.dropFirst() {
            let o = weightedScale(all.filter { $0.d == d && inRange($0) })
            if o.s.isFinite { estimates.append(Estimate("d_g = \(d)", o.s, uncertainty: o.error)) }
        }
        let gauss = etaPoints(results, eta: eta, prefix: "gaussian").filter(inRange)
        if !gauss.isEmpty { let o = weightedScale(gauss); estimates.append(Estimate("Gaussian σ_g, d_g = \(dims[0])", o.s, uncertainty: o.error)) }
        for p in head { estimates.append(Estimate("g₁ = \(formatNumber(p.g, digits: 3)), d_g = \(p.d)", p.s, uncertainty: p.sErr)) }
        let variants = estimates.prefix(while: { !$0.name.hasPrefix("g₁ =") })
        let syst = variants.count > 1 ? (variants.map(\.value).max()! - variants.map(\.value).min()!) / 2 : 0
        let poissonEta = EntropicEnhancement(PoissonLevelDistribution(), order: 4)
        let pointsText = all.map { p in "\(p.label): g₁ = \(formatNumber(p.g, digits: 3)) ± \(formatNumber(p.gErr, digits: 1)) (J₁/R = \(formatNumber(p.jOverR, digits: 2))), 2 log([|V′₂|]/[|V₂|]) = \(formatNumber(p.eta, digits: 4)) ± \(formatNumber(p.etaErr, digits: 1)) (2 log(g₂/g₂,₀) with each basis's own ρ: \(formatNumber(p.etaElements, digits: 4))), η(A27) = \(formatNumber(eta.eta(p.g), digits: 4)), s = \(formatNumber(p.s, digits: 3))" }
        let curve = (0...80).map { pow(10, -2.5 + 3.5 * Double($0) / 80) }
        let check = StatementCheck(
            "main", statement: "g₂ = g₂,₀e^{η(g₁)/2}: η(g₁) of (A27) equals 2 log([|V′₂|]/[|V₂|]) (scale s = 1)",
            check: Check(predicted: 1, measured: s.s, uncertainty: s.error, systematic: syst),
            tolerance: Tolerance(3, "|z| ≤ 3, σ = jackknife over realizations (η_ED and g₁, propagated through dη/d log g) ⊕ half-range over the grain dimensions and σ_g"),
            control: Control("s = ½: the (A15) normalization g_n/g² of the tail (η(g₁/2))", Check(predicted: 0.5, measured: s.s, uncertainty: s.error, systematic: syst)),
            estimates: estimates,
            scale: ScaleEvidence(variable: "d_g", sizes: dims.map(Double.init), values: dims.map { d in weightedScale(all.filter { $0.d == d && inRange($0) }).s },
                                 extrapolations: Array(variants), paperLargest: 8, note: "values: the scale s at each grain dimension"),
            regressionTolerance: 1e-6)
        return Evidence(
            checks: [check],
            method: "ED of Eq. (1) with N = 2 (GOE grain, rms eigenvalue 1; h_n ∈ 0.5 ± 0.05; σ_g Pauli on a grain qubit): with V₂ off, σ₂^z is conserved and the two sectors are copies of H₁ = H_g + Σh σ^z + V₁ shifted by ±h₂, so one diagonalization of H₁ (eigenpairs in the window only) gives ⟨b,↓₂|V₂|a,↑₂⟩ = 2J₂(Wᵀ(A⊗1)W)_ba; with V₁ off too the basis is the product basis. [|V₂|] over ordered pairs of the states within ±½ of E_∞ (zeros included), pooled over realizations; η_ED = 2 log of the ratio; g₁ by Eq. (3) with V₁ on its own. Each point gives s = η⁻¹(η_ED)/g₁ (η of (A27), sampled p̃); s is their inverse-variance mean.",
            parameters: ["window": 0.5, "scaleRange": "g₁ ≥ 10/d_g, g₁η′(g₁) ≥ 0.05, J₁ ≤ R/20", "headlineGrainDimension": .int(dims[0])],
            findings: pointsText + [
                "Poisson-level p̃ for comparison: η(0.1) = \(formatNumber(try poissonEta(0.1), digits: 4)) against the GOE table's \(formatNumber(eta.eta(0.1), digits: 4)).",
            ],
            series: dims.map { d in
                let p = all.filter { $0.d == d }
                return DataSeries(name: "eta_ED d=\(d)", x: p.map(\.g), y: p.map(\.eta), yError: p.map(\.etaErr), parameters: ["grainDimension": .int(d)], xLabel: "g₁", yLabel: "2 log([|V′₂|]/[|V₂|])")
            },
            figures: [Figure(name: "eta-direct", title: "η measured by ED against (A27)",
                             caption: "2 log([|V′₂|]/[|V₂|]) from ED (points, ±1σ jackknife) against g₁ (Eq. 3), with η(g) of (A27) (line) and the (A15) reading η(g/2) (dashed).",
                             plot: Plot(xLabel: "g_1", yLabel: "η", xLog: true, series: dims.map { d in
                                 let p = all.filter { $0.d == d }
                                 return PlotSeries(name: "ED d_g = \(d)", x: p.map(\.g), y: p.map(\.eta), yError: p.map(\.etaErr), style: .points)
                             } + [
                                 PlotSeries(name: "(A27)", x: curve, y: curve.map { eta.eta($0) }, style: .line),
                                 PlotSeries(name: "η(g/2) ((A15))", x: curve, y: curve.map { eta.eta($0 / 2) }, style: .dashed),
                             ]))])
    }

    // MARK: intermediate-regime

    static let intermediateRegime = Claim(
        id: "mf-avalanche.intermediate-regime",
        paper: .mfAvalanche,
        reference: "Eq. (7b); Appendix A1, Eqs. (A11)–(A15); Fig. 1(c)",
        statement: "For 1/d_g ≪ g₁ ≪ 1 the spin's mean eigenstate entropy and late-time memory are [S₁ₐ] = 2πg₁ log 2 and C̄₁^zz = 1 − kg₁ (7b), neglecting O(g₁²), with k 'calculable'; the Appendix forms (A13), (A14) with the tail (A4) give [S] = 2πg₁ and k = 2π (∫S(g)/g² dg = ∫4/(1 + 4g²) dg = π), with (A15)'s tail πg₁ and π. Measured by ED (N = 1) over the states within ±½ of E_∞: the slopes s_S = 2π·[S]_ED/[S]_(A13)(g₁) and k = 2π·(1 − C̄)_ED/(1 − C̄)_(A14)(g₁) (the Appendix curves carry the O(g₁² log g₁) corrections), averaged over g₁ ≥ 7/d_g at the headline grain dimension; the smaller grain dimension as the finite-d_g control.",
        comparison: .zScore,
        tiers: [
            .quick: ["grainDimensions": [128], "couplings": [0.06, 0.1], "realizations": 12, "variantRealizations": 0],
            .standard: ["grainDimensions": [256, 128], "couplings": [0.03, 0.05, 0.1], "realizations": 24, "variantRealizations": 0],
            .full: ["grainDimensions": [512, 256, 1024], "couplings": [0.015, 0.03, 0.05, 0.1], "realizations": 48, "variantRealizations": 16],
        ],
        validate: { p in try fewSpinValidate(p, activeSpins: 1) },
        plan: { ctx in try fewSpinPlan(ctx, spectator: false, activeSpins: 1) },
        realization: { _, set, _, rng in try FewSpin.measure(set, &rng) },
        analyze: { ctx, results in try intermediateEvidence(ctx, results) })

    static func intermediateEvidence(_ ctx: ClaimContext, _ results: RealizationResults<ActiveSpinsSample>) throws -> Evidence {
        let forms = try MFReference.singleSpinForms()
        let dims = try ctx.ints("grainDimensions")
        struct Point { let label: String; let d: Int; let g: Double; let s: (value: Double, error: Double); let c: (value: Double, error: Double); let sPred: Double; let cPred: Double }
        var points = [Point]()
        for (set, v) in results.bySet {
            let g = FewSpin.bare(v, spin: 0)
            let sPred = try forms.meanEntropy(reducedCoupling: g).value
            let cPred = try forms.autocorrelatorDeficit(reducedCoupling: g).value
            // The ratio to the Appendix curve at this realization subset's own g₁ (jackknife).
            let sr = try FewSpin.stat(v) { sub in FewSpin.entropy(sub, spin: 0) / (try forms.meanEntropy(reducedCoupling: FewSpin.bare(sub, spin: 0)).value) }
            let cr = try FewSpin.stat(v) { sub in (1 - FewSpin.autocorrelator(sub, spin: 0)) / (try forms.autocorrelatorDeficit(reducedCoupling: FewSpin.bare(sub, spin: 0)).value) }
            points.append(Point(label: set.label, d: try set.int("grainDimension"), g: g, s: sr, c: cr, sPred: sPred, cPred: cPred))
        }
        func mean(_ p: [Point], _ key: (Point) -> (value: Double, error: Double)) -> (Double, Double) {
            let w = p.map { 1 / (key($0).error * key($0).error) }, sw = w.reduce(0, +)
            return (zip(p, w).map { key($0).value * $1 }.reduce(0, +) / sw, 1 / sw.squareRoot())
        }
        let use: (Point) -> Bool = { $0.g >= 7 / Double($0.d) && $0.g <= 0.15 }
        let head = points.filter { $0.d == dims[0] && use($0) }
        guard !head.isEmpty else { throw ClaimError.invalidParameter("no coupling of the headline grain dimension lies in [7/d_g, 0.15]") }
        let (rs, rsErr) = mean(head, \.s), (rc, rcErr) = mean(head, \.c)
        var sEst = [Estimate("d_g = \(dims[0]), g₁ ∈ [7/d_g, 0.15]", 2 * Double.pi * rs, uncertainty: 2 * Double.pi * rsErr)]
        var cEst = [Estimate("d_g = \(dims[0]), g₁ ∈ [7/d_g, 0.15]", 2 * Double.pi * rc, uncertainty: 2 * Double.pi * rcErr)]
        for d in dims.dropFirst() {
            let o = points.filter { $0.d == d && use($0) }
            if o.isEmpty { continue }
            let (a, ae) = mean(o, \.s), (b, be) = mean(o, \.c)
            sEst.append(Estimate("d_g = \(d)", 2 * Double.pi * a, uncertainty: 2 * Double.pi * ae))
            cEst.append(Estimate("d_g = \(d)", 2 * Double.pi * b, uncertainty: 2 * Double.pi * be))
        }
        // An extrapolation that does not use the Appendix's curvature: [S]/g₁ = s₁ + c·g₁ log g₁
        // through the headline points (needs two).
        if head.count >= 2 {
            let rows = head.map { [1, $0.g * log($0.g)] }
            let rawSlopes = head.map { $0.s.value * $0.sPred / $0.g }
            if let c = try? EtaLimitFits.solveExact(rows.count > 2 ? rows : Array(rows.prefix(2)), rows.count > 2 ? rawSlopes : Array(rawSlopes.prefix(2))) {
                sEst.append(Estimate("[S]/g₁ = s₁ + c·g₁ log g₁, d_g = \(dims[0])", c[0], uncertainty: 2 * Double.pi * rsErr))
            }
        }
        let sVariants = sEst, cVariants = cEst
        let sSyst = sVariants.count > 1 ? (sVariants.map(\.value).max()! - sVariants.map(\.value).min()!) / 2 : 0
        let cSyst = cVariants.count > 1 ? (cVariants.map(\.value).max()! - cVariants.map(\.value).min()!) / 2 : 0
        let slope = 2 * Double.pi * rs, slopeErr = 2 * Double.pi * rsErr
        let k = 2 * Double.pi * rc, kErr = 2 * Double.pi * rcErr
        let twoPiLog2 = 2 * Double.pi * log(2.0)
        let printed = StatementCheck(
            "entropy-printed", statement: "(7b): [S₁ₐ] = 2πg₁ log 2",
            check: Check(predicted: twoPiLog2, measured: slope, uncertainty: slopeErr, systematic: sSyst),
            tolerance: Tolerance(3, "|z| ≤ 3, σ = jackknife over realizations ⊕ half-range over grain dimensions"),
            control: Control("2πg₁, what (A11)–(A13) with the tail (A4) integrate to", Check(predicted: 2 * Double.pi, measured: slope, uncertainty: slopeErr, systematic: sSyst)),
            estimates: sEst,
            correctedForm: "[S₁ₐ] = 2πg₁ + O(g₁² log g₁) (nats), as (A13) with (A4) gives: the printed factor log 2 is spurious",
            regressionTolerance: 1e-6)
        let appendix = StatementCheck(
            "entropy-appendix", statement: "(A11)–(A13) with the tail (A4): [S₁ₐ] = 2πg₁ + O(g₁²)",
            check: Check(predicted: 2 * Double.pi, measured: slope, uncertainty: slopeErr, systematic: sSyst),
            tolerance: Tolerance(3, "|z| ≤ 3, σ = jackknife over realizations ⊕ half-range over grain dimensions"),
            control: Control("2πg₁ log 2, the printed (7b)", Check(predicted: twoPiLog2, measured: slope, uncertainty: slopeErr, systematic: sSyst)),
            estimates: sEst,
            regressionTolerance: 1e-6)
        let kCheck = StatementCheck(
            "k", statement: "(7b): C̄₁^zz = 1 − kg₁ with k calculable: (A14) with (A4) gives k = 2π",
            check: Check(predicted: 2 * Double.pi, measured: k, uncertainty: kErr, systematic: cSyst),
            tolerance: Tolerance(3, "|z| ≤ 3, σ = jackknife over realizations ⊕ half-range over grain dimensions"),
            control: Control("k = 2π log 2 (the constant of the printed entropy slope)", Check(predicted: twoPiLog2, measured: k, uncertainty: kErr, systematic: cSyst)),
            estimates: cEst,
            regressionTolerance: 1e-6)
        // Fig. 1(c): the entropy distribution at the headline's largest coupling against (A12).
        let figSet = results.bySet.filter { $0.set.label.hasPrefix("d\(dims[0])-") }.last!
        let bins = ActiveSpinsSample.histogramBins
        let counts = (0..<bins).map { b in figSet.values.reduce(0) { $0 + $1.entropyHistogram[b] } }
        let total = Double(counts.reduce(0, +))
        let gFig = FewSpin.bare(figSet.values, spin: 0)
        let centres = (0..<bins).map { (Double($0) + 0.5) / Double(bins) }
        let predicted = (0..<bins).map { b in forms.entropyProbability(reducedCoupling: gFig, from: log(2.0) * Double(b) / Double(bins), to: log(2.0) * Double(b + 1) / Double(bins)) }
        return Evidence(
            checks: [printed, appendix, kCheck],
            method: "ED of Eq. (1) with N = 1 (GOE grain, rms eigenvalue 1, h₁ ∈ 0.5 ± 0.05, σ_g Pauli on a grain qubit), H diagonalized in the energy window ±½ around E_∞ (values and vectors only there); S₁ₐ (nats) and ⟨σ₁^z⟩² per window state; g₁ by Eq. (3) with V₁ off. C̄^zz is the mean of ⟨a|σ^z|a⟩² over the window states (the infinite-time average of ⟨σ^z(t)σ^z⟩ at maximum entropy).",
            parameters: ["window": 0.5, "range": "7/d_g ≤ g₁ ≤ 0.15", "headlineGrainDimension": .int(dims[0])],
            findings: points.map { p in "\(p.label): g₁ = \(formatNumber(p.g, digits: 3)); [S]_ED/g₁ = \(formatNumber(p.s.value * p.sPred / p.g, digits: 4)); [S]_ED/[S]_(A13) = \(formatNumber(p.s.value, digits: 4)) ± \(formatNumber(p.s.error, digits: 2)) ([S]_(A13) = \(formatNumber(p.sPred, digits: 4)), 2πg₁ = \(formatNumber(2 * Double.pi * p.g, digits: 4))); (1 − C̄)_ED/(1 − C̄)_(A14) = \(formatNumber(p.c.value, digits: 4)) ± \(formatNumber(p.c.error, digits: 2))" } + [
                "Slopes: [S]/g₁ → \(formatNumber(slope, digits: 4)) ± \(formatNumber(slopeErr, digits: 2)) (2π = 6.283, printed 2π log 2 = \(formatNumber(twoPiLog2, digits: 4))); k = \(formatNumber(k, digits: 4)) ± \(formatNumber(kErr, digits: 2)).",
                "The distribution of S over window states is bimodal (Fig. 1(c)): at g₁ = \(formatNumber(gFig, digits: 3)) the ED histogram against (A12) is shown below.",
            ],
            series: [DataSeries(name: "p(S) ED", x: centres, y: counts.map { Double($0) / total }, parameters: ["g1": .number(gFig), "grainDimension": .int(dims[0])], xLabel: "S/log 2", yLabel: "fraction of states per bin")],
            figures: [Figure(name: "entropy-distribution", title: "Distribution of the spin's eigenstate entropy (Fig. 1(c))",
                             caption: "Fraction of window eigenstates per bin of S₁ₐ/log 2 from ED (points) at g₁ = \(formatNumber(gFig, digits: 3)) (d_g = \(dims[0])) against (A12) with the sampled p̃ (line): a mode at 0 (perturbed states) and one at log 2 (resonances).",
                             plot: Plot(xLabel: "S/log 2", yLabel: "fraction per bin", yLog: true, series: [
                                 PlotSeries(name: "ED", x: centres, y: counts.map { Double($0) / total }, style: .points),
                                 PlotSeries(name: "(A12)", x: centres, y: predicted, style: .line),
                             ]))])
    }
}
