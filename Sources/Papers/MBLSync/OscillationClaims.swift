import Foundation
import Kernels
import Linalg
import Verification

extension MBLSync {
    // MARK: 1. single-particle oscillation (Eqs. (3)–(4), Fig. 1(a))

    static let singleParticleOscillation = Claim(
        id: "mbl-sync.single-particle-oscillation",
        paper: .mblSync,
        reference: "Eqs. (3)–(4), Fig. 1(a)",
        statement: "A particle started at site j oscillates between j and its mirror j̄: at W = 8, L = 6 the time-averaged weight on {j, j̄} is close to 1 and the oscillation frequency equals the splitting of the symmetric/antisymmetric orbital pair.",
        comparison: .absolute,
        tiers: [
            .quick: ["sites": 6, "disorder": 8.0, "realizations": 200, "twoParticleRealizations": 200, "twoParticleDelta": 0.01],
            .standard: ["sites": 6, "disorder": 8.0, "realizations": 2000, "twoParticleRealizations": 2000, "twoParticleDelta": 0.01],
            .full: ["sites": 6, "disorder": 8.0, "realizations": 100_000, "twoParticleRealizations": 20_000, "twoParticleDelta": 0.01],
        ],
        run: { ctx in
            let l = try ctx.int("sites"), w = try ctx.double("disorder"), count = try ctx.int("realizations")
            guard l % 2 == 0, l >= 4, count >= 20 else { throw ClaimError.invalidParameter("need even sites ≥ 4, realizations ≥ 20") }
            try MemoryBudget.requireDense(dimension: Double(l) * Double(l - 1) / 2, matrices: 3, parallel: min(ctx.jobs, count),
                                          for: "two-particle sector of L = \(l)")
            let n = l / 2
            let res = frequencyResolution(spectralRadius: w + 1)
            struct R: Sendable { var fields: [Double]; var pair: [Double]; var hit: [Bool]; var ctrl: [Bool]; var medHit: [Bool]; var resolved: [Bool] }
            let rs = try ctx.realizations(count, label: "fields") { _, rng -> R in
                let hl = leftFields(n, disorder: w, &rng)
                let orb = try MirrorOrbitals(leftFields: hl)
                let u = orb.orbitals
                var out = R(fields: hl, pair: [], hit: [], ctrl: [], medHit: [], resolved: [])
                for j in 0..<n {
                    let jb = l - 1 - j
                    var pj = 0.0, pjb = 0.0
                    for m in 0..<l {
                        let a = u[j, m] * u[j, m]
                        pj += a * a; pjb += u[jb, m] * u[jb, m] * a
                    }
                    let (om, wt) = freeFermionSpinWeights(energies: orb.energies, orbitals: u, occupied: [j], site: j)
                    var kmax = 1
                    for k in 1..<wt.count where wt[k] > wt[kmax] { kmax = k }
                    let peak = om[kmax], med = medianFrequency(omega: om, weight: wt)
                    let split = orb.pairSplitting(site: j)
                    out.pair.append(pj + pjb)
                    out.resolved.append(split > res)
                    out.hit.append(abs(peak / split - 1) < 1e-6)
                    out.ctrl.append(abs(peak / (split / 2) - 1) < 1e-6)
                    out.medHit.append(abs(med / split - 1) < 1e-6)
                }
                return out
            }
            var hits = [Int](), ctrlHits = [Int](), totals = [Int](), medHits = [Int]()
            var pairByJ = [[Double]](repeating: [], count: n)
            var unresolved = 0
            for r in rs {
                var h = 0, c = 0, t = 0, m = 0
                for j in 0..<n {
                    pairByJ[j].append(r.pair[j])
                    guard r.resolved[j] else { unresolved += 1; continue }
                    t += 1; if r.hit[j] { h += 1 }; if r.ctrl[j] { c += 1 }; if r.medHit[j] { m += 1 }
                }
                hits.append(h); ctrlHits.append(c); totals.append(t); medHits.append(m)
            }
            guard totals.reduce(0, +) > 0 else { throw ClaimError.belowResolution("every pair splitting is below \(res)") }
            let (f, fe) = clusteredFraction(hits: hits, totals: totals)
            let (fc, fce) = clusteredFraction(hits: ctrlHits, totals: totals)
            let (fm, _) = clusteredFraction(hits: medHits, totals: totals)
            let allPairs = pairByJ.flatMap { $0 }.sorted()
            let pairMedian = quantile(sortedValues: allPairs, 0.5)
            var findings = [
                "Oscillation frequency (largest peak of S_j(ω)) = pair splitting |ε₊ − ε₋| (rel. 1e-6) in a fraction \(formatNumber(f, digits: 4)) ± \(formatNumber(fe, digits: 2)) of \(totals.reduce(0, +)) (realization, j) cases; the median frequency of S_j equals it in \(formatNumber(fm, digits: 3)) (resonant realizations put weight on a second pair). \(unresolved) splittings below the resolution \(formatNumber(res, digits: 2)) were excluded.",
                "Time-averaged weight on {j, j̄}: median \(formatNumber(pairMedian, digits: 3)) over all j; 5% quantile \(formatNumber(quantile(sortedValues: allPairs, 0.05), digits: 3)). 'Close to 1' holds as a typical statement, not for every realization (resonances).",
            ]
            for j in 0..<n {
                let s = pairByJ[j].sorted()
                findings.append("j = \(j + 1): mean weight on {j, j̄} \(formatNumber(SampleSummary(s).mean, digits: 3)), 5% quantile \(formatNumber(quantile(sortedValues: s, 0.05), digits: 3)).")
            }
            // Fig. 1(b): two particles at sites 1, 2 with Δ small; where ω_1(0), ω_2(0) < Δ both spins
            // should oscillate at ω_1ω_2/Δ (Eq. (11) with j0 = 2).
            let twoCount = try ctx.int("twoParticleRealizations"), d2 = try ctx.double("twoParticleDelta")
            let chain2 = MirrorXXZChain(sites: l, particles: 2)
            let st2 = chain2.basis.index(of: SpinHalfBasis.state(up: [0, 1]))!
            let two = try ctx.realizations(twoCount, label: "two-particle") { _, rng -> (fields: [Double], f0: [Double], f1: [Double], res: Double) in
                let hl = leftFields(n, disorder: w, &rng)
                let h = MirrorXXZChain.mirrorFields(left: hl)
                let s0 = try chain2.diagonalize(fields: h, delta: 0)
                let s1 = try chain2.diagonalize(fields: h, delta: d2)
                let f0 = try chain2.medianFrequencies(s0, state: st2, sites: [0, 1]).map(\.median)
                let f1 = try chain2.medianFrequencies(s1, state: st2, sites: [0, 1]).map(\.median)
                return (hl, f0, f1, frequencyResolution(spectralRadius: max(s0.spectralRadius, s1.spectralRadius)))
            }
            let inRegime = two.filter { $0.f0.max()! < d2 && $0.f0.min()! > $0.res && $0.f1.min()! > $0.res }
            if !inRegime.isEmpty {
                let lr = inRegime.map { Foundation.log($0.f1[0] / ($0.f0[0] * $0.f0[1] / d2)) }.sorted()
                let same = inRegime.filter { abs(Foundation.log($0.f1[0] / $0.f1[1])) < 1e-6 }.count
                findings.append("Fig. 1(b): two particles at sites 1, 2, Δ = \(formatNumber(d2)), \(inRegime.count) of \(twoCount) realizations with ω_1(0), ω_2(0) < Δ: ln(ω/(ω_1ω_2/Δ)) median \(formatNumber(quantile(sortedValues: lr, 0.5), digits: 3)), 5–95% \(formatNumber(quantile(sortedValues: lr, 0.05), digits: 2)) … \(formatNumber(quantile(sortedValues: lr, 0.95), digits: 2)); the two spins share one frequency (rel. 1e-6) in \(same) of them.")
            }
            var params = seedParameters(ctx, "fields, two-particle")
            params["fields"] = json(rs.map(\.fields))
            params["twoParticleFields"] = json(two.map(\.fields))
            let edges = (0...20).map { 0.0 + Double($0) / 20 }
            let hist = Histogram(allPairs, edges: edges)
            return Evidence(
                check: Check(predicted: 1, measured: f, uncertainty: fe),
                control: Control("frequency = half the splitting (reading ω_i of Eq. (3) as the oscillation frequency of |c_k|²)",
                                 Check(predicted: 1, measured: fc, uncertainty: fce)),
                tolerance: Tolerance(0.03, "A resonance (two orbitals of comparable weight on j) can move the largest peak to another pair; the prototype measured this in < 1% of cases at W = 8 (R = 2000), so a 3% shortfall is three times the measured rate."),
                method: "Δ = 0: exact symmetric/antisymmetric orbitals from the two L/2-site parity blocks (hopping ½, fields h_j and h_j̄ = h_j, dstevr). A particle at site j: time-averaged occupation p_k = Σ_m U_km² U_jm²; S_j(ω) from the free-fermion weights of s_j⟨σ^z_j(t)⟩; the oscillation frequency is the largest-weight peak. Pair = the even and the odd orbital each with the largest weight on j; measured = fraction of cases where the peak equals the pair splitting.",
                parameters: params, findings: findings,
                series: [DataSeries(name: "weight on {j, j̄} histogram", x: hist.centres, y: hist.density)],
                figures: [Figure(name: "pair-weight", title: "Time-averaged weight on {j, j̄} (W = \(formatNumber(w)), L = \(l))",
                                 caption: "Distribution of p_j + p_j̄ over realizations and j: concentrated near 1 with a resonance tail.",
                                 plot: Plot(xLabel: "p_j + p_j̄", yLabel: "density",
                                            series: [PlotSeries(name: "ED (free fermions)", x: hist.centres, y: hist.density, yError: hist.densityError, style: .points)]))],
                regressionTolerance: 1e-9,
                extra: ["pairWeightMedian": .number(pairMedian), "medianEqualsSplittingFraction": .number(fm)])
        })

    // MARK: 2. frequency scaling ω_j(0) ~ e^{−(L−2j)/ξ}

    static let frequencyScaling = Claim(
        id: "mbl-sync.frequency-scaling",
        paper: .mblSync,
        reference: "Text below Eq. (2), Eq. (7), Fig. 4 caption (ξ = 0.725 at W = 4)",
        statement: "The Δ = 0 oscillation frequency of site j decays as ω_j(0) ~ e^{−(L−2j)/ξ} with ξ the non-interacting localization length (ξ = 0.725 at W = 4).",
        comparison: .relative,
        tiers: [
            .quick: ["sites": 20, "disorder": 4.0, "realizations": 2000, "tmSteps": 100_000, "fitMin": 4, "fitMax": 14, "bootstrap": 200],
            .standard: ["sites": 20, "disorder": 4.0, "realizations": 10_000, "tmSteps": 1_000_000, "fitMin": 4, "fitMax": 14, "bootstrap": 200],
            .full: ["sites": 20, "disorder": 4.0, "realizations": 100_000, "tmSteps": 4_000_000, "fitMin": 4, "fitMax": 14, "bootstrap": 400],
        ],
        run: { ctx in
            let l = try ctx.int("sites"), w = try ctx.double("disorder"), count = try ctx.int("realizations")
            let steps = try ctx.int("tmSteps"), x0 = try ctx.int("fitMin"), x1 = try ctx.int("fitMax"), nb = try ctx.int("bootstrap")
            guard l % 2 == 0, l >= 10, count >= 50 else { throw ClaimError.invalidParameter("need even sites ≥ 10, realizations ≥ 50") }
            try requireSingleParticle(sites: l, realizations: count, ctx)
            let res = frequencyResolution(spectralRadius: w + 1)
            var tmRng = ctx.stream(0, label: "transfer-matrix")
            let loc = try AndersonLocalization(boxDisorder: w, hopping: hopping, steps: steps, rng: &tmRng)
            func splittings(_ len: Int, _ label: String) throws -> [(fields: [Double], lnOmega: [Double])] {
                try ctx.realizations(count, label: label) { _, rng in
                    let hl = leftFields(len / 2, disorder: w, &rng)
                    let orb = try MirrorOrbitals(leftFields: hl)
                    // unresolved splittings are censored to −∞ (they sit below every resolved one)
                    return (hl, (0..<(len / 2)).map { j in let s = orb.pairSplitting(site: j); return s > res ? Foundation.log(s) : -.infinity })
                }
            }
            let main = try splittings(l, "L\(l)")
            let small = try splittings(10, "L10")
            func medians(_ rows: [(fields: [Double], lnOmega: [Double])], _ idx: [Int]) -> [Double] {
                let n = rows[0].lnOmega.count
                return (0..<n).map { j in quantile(sortedValues: idx.map { rows[$0].lnOmega[j] }.sorted(), 0.5) }
            }
            let n = l / 2
            let xs = (1...n).map { Double(l - 2 * $0) }          // L − 2j, paper j = 1…L/2
            let window = xs.indices.filter { xs[$0] >= Double(x0) && xs[$0] <= Double(x1) }
            let all = Array(0..<count)
            let med = medians(main, all)
            for j in window {
                let cens = Double(main.filter { !$0.lnOmega[j].isFinite }.count) / Double(count)
                if cens >= 0.5 { throw ClaimError.belowResolution("more than half of the ω_j at L − 2j = \(Int(xs[j])) are below \(formatNumber(res, digits: 2)); the median is unresolved") }
            }
            func slope(_ m: [Double], _ ws: [Int], _ x: [Double]) -> Double {
                (try? linearFit(x: ws.map { x[$0] }, y: ws.map { m[$0] }).slope) ?? .nan
            }
            let s = slope(med, window, xs)
            var bRng = ctx.stream(0, label: "bootstrap")
            let se = bootstrapStandardError(count: count, resamples: nb, rng: &bRng) { idx in slope(medians(main, idx), window, xs) }
            let xs10 = (1...5).map { Double(10 - 2 * $0) }
            let med10 = medians(small, all)
            let s10all = slope(med10, Array(0..<5), xs10)
            let s10bulk = slope(med10, Array(0..<4), xs10)
            let censFrac: [Double] = (0..<n).map { (j: Int) -> Double in
                let c: Int = main.filter { !$0.lnOmega[j].isFinite }.count
                return Double(c) / Double(count)
            }
            let gbar = loc.dosAveragedGamma, g0 = loc.bandCentreGamma
            let sigma = (se * se + loc.dosAveragedGammaError * loc.dosAveragedGammaError).squareRoot()
            let local: [Double] = (0..<(n - 1)).map { (k: Int) -> Double in
                let dy: Double = med[k] - med[k + 1]
                let dx: Double = xs[k] - xs[k + 1]
                return dy / dx
            }
            let findings = [
                "Slope of the median ln ω_j(0) against L − 2j (L = \(l), \(x0) ≤ L − 2j ≤ \(x1), \(count) realizations): \(formatNumber(s, digits: 4)) ± \(formatNumber(se, digits: 2)) → ξ_fit = \(formatNumber(-1 / s, digits: 4)).",
                "ξ at W = \(formatNumber(w)): transfer matrix DOS-averaged ξ_DOS = 1/⟨γ⟩_DOS = \(formatNumber(1 / gbar, digits: 4)) (γ̄ = \(formatNumber(gbar, digits: 4)) ± \(formatNumber(loc.dosAveragedGammaError, digits: 2))); band-centre ξ(E=0) = \(formatNumber(1 / g0, digits: 4)); paper: ξ = 0.725.",
                "The paper's 0.725 is not the bulk transfer-matrix value. It is reproduced by an end-to-end fit at L = 10 over all five spins (L − 2j = 0…8, including the steep centre bond): slope \(formatNumber(s10all, digits: 4)) → ξ = \(formatNumber(-1 / s10all, digits: 4)); without the centre spin (2…8): ξ = \(formatNumber(-1 / s10bulk, digits: 4)).",
                "Local slopes (outer → centre): " + local.map { formatNumber($0, digits: 3) }.joined(separator: ", ") + "; the last step (centre bond, L − 2j = 2 → 0) is steeper: H_cp is not a perturbation at the centre.",
                "Measured systematics of the slope: the L = 10 bulk fit (2 ≤ L − 2j ≤ 8) differs from the L = \(l) fit by \(formatNumber(abs(s10bulk / s - 1) * 100, digits: 2))%; the local slopes in the fit window scatter by ±\(formatNumber(SampleSummary(window.dropLast().map { local[$0] }).standardDeviation / abs(s) * 100, digits: 2))% (statistics included).",
                "Censored (ω < \(formatNumber(res, digits: 2)), unresolved) fraction per j: " + censFrac.map { formatNumber($0, digits: 2) }.joined(separator: ", ") + "; the median is exact while this is < ½.",
            ]
            var params = seedParameters(ctx, "L\(l), L10, transfer-matrix, bootstrap")
            params["fields"] = json(main.map(\.fields))
            params["fieldsL10"] = json(small.map(\.fields))
            let fitLine = window.map { xs[$0] }
            let a = (try? linearFit(x: window.map { xs[$0] }, y: window.map { med[$0] }))
            return Evidence(
                check: Check(predicted: -gbar, measured: s, uncertainty: sigma),
                control: Control("band-centre localization length ξ(E = 0) = 1/γ(0) = \(formatNumber(1 / g0, digits: 3)) in place of the DOS average",
                                 Check(predicted: -g0, measured: s, uncertainty: sigma)),
                tolerance: Tolerance(0.04, "Measured systematic spread of the slope (median vs DOS-mean estimator, L = 10 vs 20, fit window) is ≤ 2% in the prototype; 4% is twice that. Statistics enter through the 2σ rule."),
                method: "Δ = 0 splittings ω_j(0) = |ε₊ − ε₋| of the orbital pair of each left site, from exact parity-block orbitals (dstevr, L/2 sites each, hopping ½). Typical (median over realizations) ln ω_j fitted linearly in L − 2j over the bulk window; bootstrap error over realizations. Prediction −1/ξ from the transfer-matrix Lyapunov exponent γ(E) of the same single-particle problem (hopping ½, box [−W, W]), averaged over the density of states (an orbital at j has energy ≈ h_j spread over the band).",
                parameters: params, findings: findings,
                series: [DataSeries(name: "median ln omega_j(0) vs L-2j (L=\(l))", x: xs, y: med),
                         DataSeries(name: "median ln omega_j(0) vs L-2j (L=10)", x: xs10, y: med10),
                         DataSeries(name: "gamma(E) transfer matrix", x: loc.lyapunov.energies, y: loc.lyapunov.gamma, yError: loc.lyapunov.standardError)],
                figures: [Figure(name: "ln-omega-vs-distance", title: "Δ = 0 frequencies vs distance from the centre (W = \(formatNumber(w)))",
                                 caption: "Median ln ω_j(0) against L − 2j (L = \(l) and L = 10), the bulk fit, and slopes −1/ξ_DOS (transfer matrix) and −1/0.725 (paper) through the fit's centre.",
                                 plot: Plot(xLabel: "L − 2j", yLabel: "median ln ω_j(0)", series: [
                                    PlotSeries(name: "L = \(l)", x: xs, y: med, style: .points),
                                    PlotSeries(name: "L = 10", x: xs10, y: med10, style: .points),
                                    PlotSeries(name: "fit, slope \(formatNumber(s, digits: 3))", x: fitLine, y: fitLine.map { a?.value(at: $0) ?? .nan }, style: .line),
                                    PlotSeries(name: "−1/ξ_DOS (TM)", x: fitLine, y: fitLine.map { (a?.value(at: 9) ?? 0) - gbar * ($0 - 9) }, style: .dashed),
                                    PlotSeries(name: "−1/0.725 (paper)", x: fitLine, y: fitLine.map { (a?.value(at: 9) ?? 0) - ($0 - 9) / 0.725 }, style: .dashed),
                                 ]))],
                regressionTolerance: 1e-9,
                extra: ["xiDOS": .number(1 / gbar), "xiBandCentre": .number(1 / g0), "xiFit": .number(-1 / s),
                        "xiEndToEndL10": .number(-1 / s10all), "xiPaper": .number(0.725)])
        })
}
