import Foundation
import Kernels
import Linalg
import Numerics
import Verification

extension OpenSync {
    // MARK: 7. two spin-1/2 (App. D, Fig. 5)

    static let fig5Bins = 20

    static let spinHalfPair = Claim(
        id: "open-sync.spin-half-pair",
        paper: .openSync,
        reference: "App. D, Eqs. (D1)–(D6), Fig. 5 (J = 1, Δ = 1, B = 0.3, γ = 0.5); main text after Fig. 3",
        statement: "Under generic weak perturbations the two spin-1/2 model (D1)–(D2) always shows steady-state synchronization with π difference (χ₂ concentrated at 1 for η/J ≲ 1e-2, S_max > 0), uniform χ₂ for η/J ≳ 0.1; P of (D3) is a strong symmetry; |v₊⟩, |v₋⟩ are dark states with energies Δ − 2B and −2J − Δ; |v₊⟩⟨v₋| oscillates at ω = 2(J − Δ + B) with σ₁^x, σ₂^x π-locked; (D5): S_d(φ′) = −2πc₋ cos φ′, S_max = c₋.",
        comparison: .absolute,
        tiers: [
            .quick: ["draws": 200, "etas": [1e-4, 1e-2, 1e-1, 1.0], "grid": 360, "r": 0.95, "singleEta": 1e-7],
            .standard: ["draws": 2000, "etas": [1e-4, 1e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0, 10.0], "grid": 360, "r": 0.95, "singleEta": 1e-7],
            .full: ["draws": 10000, "etas": [1e-4, 1e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0, 10.0], "grid": 360, "r": 0.95, "singleEta": 1e-7],
        ],
        validate: { p in
            guard let d = p["draws"]?.int, d >= 40, let etas = p["etas"]?.doubles, etas.count >= 2, etas == etas.sorted(), etas.first! > 0,
                  etas.contains(where: { abs($0 - 0.1) < 1e-12 }), let g = p["grid"]?.int, g >= 12, g % 4 == 0,
                  let r = p["r"]?.double, r > 0, r < 1, let s = p["singleEta"]?.double, s > 0, s < 1e-3 else {
                throw ClaimError.invalidParameter("need draws ≥ 40, ascending positive etas including 0.1 (the printed onset of uniformity), grid ≥ 12 divisible by 4, 0 < r < 1, 0 < singleEta < 1e-3")
            }
        },
        plan: { ctx in
            // The streams of the former single-run claim: (seed, "…/D5", 0) and (seed, "…/fig5", k).
            [RealizationSet(label: "D5", count: 1), RealizationSet(label: "fig5", count: try ctx.int("draws"))]
        },
        realization: { ctx, set, _, rng in
            set.label == "D5"
                ? try PairRealization.measureD5(eta: try ctx.double("singleEta"), grid: try ctx.int("grid"), &rng)
                : try PairRealization.measureEnsemble(etas: try ctx.doubles("etas"), grid: try ctx.int("grid"), r: try ctx.double("r"), bins: fig5Bins, &rng)
        },
        analyze: { ctx, results in
            let etas = try ctx.doubles("etas"), r = try ctx.double("r"), singleEta = try ctx.double("singleEta")
            let d5 = results["D5"][0].d5!
            let rows = results["fig5"].map(\.etas)
            let draws = rows.count
            let model = SpinHalfPair()
            let text = try PairStructure.measure(model)
            let xx = try PairStructure.measure(SpinHalfPair(j: 2 * model.j))
            let j = model.j, delta = model.delta, b = model.b
            let printedOmega = 2 * (j - delta + b)
            let nd = Double(draws)

            struct Row { var eta: Double; var ks: KSResult; var meanChi: Double; var near: Double; var s: SampleSummary; var cPred: Double; var hist: [Double]; var nearPi: Int }
            var stats: [Row] = []
            for ie in etas.indices {
                let col = rows.map { $0[ie] }
                let chis = col.map(\.sample.chiAtMax)
                stats.append(Row(eta: etas[ie], ks: ksTest(chis, cdf: { min(1, max(0, $0)) }), meanChi: chis.reduce(0, +) / nd,
                                 near: col.map { $0.sample.p[0] }.reduce(0, +) / nd, s: SampleSummary(col.map(\.sample.sMax)),
                                 cPred: Double.pi * col.map(\.cMinus).reduce(0, +) / nd / 32,
                                 hist: (0..<fig5Bins).map { bb in col.map { $0.sample.hist[bb] }.reduce(0, +) / nd * Double(fig5Bins) },
                                 nearPi: chis.filter { $0 >= 0.9 }.count))
            }
            let weakest = stats[0]
            let i01 = etas.firstIndex { abs($0 - 0.1) < 1e-12 }!
            let onset = stats[i01]
            let unique = rows.flatMap { $0 }.filter { $0.zeroModes == 1 }.count
            let minGapRatio = etas.indices.map { ie in rows.map { $0[ie].second }.min()! / etas[ie] }.min()!
            let minSMax = rows.flatMap { $0.map(\.sample.sMax) }.min()!

            var findings = [
                "(D3): P as printed equals σ₁^xσ₂^x and is not a symmetry: max(|[H, P]|, |[P, L₋]|) = \(fmt(text.commutatorPrinted, 3)). The site swap |↑↑⟩⟨↑↑| + |↓↓⟩⟨↓↓| + |↑↓⟩⟨↓↑| + |↓↑⟩⟨↑↓| commutes (\(fmt(text.commutatorSwap, 2))) and has exactly the sectors H± of (D4).",
                "Dark states: |v₊⟩ = |↓↓⟩, |v₋⟩ = singlet are eigenstates of H annihilated by L₋ (max residual \(fmt(text.darkResidual, 2))); E(v₊) = \(fmt(text.energyPlus, 6)) (printed Δ − 2B = \(fmt(delta - 2 * b, 4)) ✓); E(v₋) = \(fmt(text.energyMinus, 6)) with σ^± = (σ^x ± iσ^y)/2 as printed, = −J − Δ; the printed −2J − Δ = \(fmt(-2 * j - delta, 4)) holds for the coupling J(σ₁^xσ₂^x + σ₁^yσ₂^y) (hopping 2J): \(fmt(xx.energyMinus, 6)).",
                "Spectrum of 𝓛: decay-free eigenvalues Im λ = \(text.decayFree.map { fmt($0, 6) }.joined(separator: ", ")); slowest decaying Re λ = \(fmt(text.slowestDecay, 4)). 𝓛[|v₊⟩⟨v₋|] = (\(fmt(text.oscillationDecay, 2)) ± \(fmt(text.omega, 10))i)|v₊⟩⟨v₋| (residual \(fmt(text.oscillationResidual, 2))): |ω| = E(v₊) − E(v₋) = J + 2Δ − 2B = \(fmt(j + 2 * delta - 2 * b, 4)); printed 2(J − Δ + B) = \(fmt(printedOmega, 4)); with the hopping 2J, |ω| = \(fmt(xx.omega, 4)) = 2(J + Δ − B), the difference of the printed energies. The printed ω matches neither.",
                "π-locking: Tr[σ₁^x ρ^osc] = \(fmt(text.overlaps[0], 6)), Tr[σ₂^x ρ^osc] = \(fmt(text.overlaps[1], 6)) (opposite sign: ⟨σ₁^x(t)⟩ = −⟨σ₂^x(t)⟩ at late times ✓).",
                "(D5) on one draw at η = \(fmt(singleEta, 1)): c₋ = ⟨v₋|ρ|v₋⟩ = \(fmt(d5.cMinus, 6)); max over φ′ of |S_d − [1/(2π) − (πc₋/32) cos φ′]| = \(fmt(d5.correctedResidual, 2)) (O(η)); S_max = \(fmt(d5.sMax, 7)) at φ′ = \(fmt(d5.argmax, 8)) (π = \(fmt(Double.pi, 8))) vs πc₋/32 = \(fmt(Double.pi * d5.cMinus / 32, 7)). Printed: S_d = −2πc₋ cos φ′ (amplitude \(fmt(2 * Double.pi * d5.cMinus, 4)), 64× the normalized one, constant 1/(2π) missing) and S_max = c₋ — which contradicts (D5)'s own S_d (whose maximum would be 2πc₋).",
                "Fig. 5 ensemble (\(draws) draws, D_H = 4): exactly one zero mode in \(unique)/\(draws * etas.count) (draw, η) spectra; smallest second |λ|/η = \(fmt(minGapRatio, 3)); S_max > 0 in every case (min \(fmt(minSMax, 2))).",
            ]
            for s in stats {
                findings.append("η/J = \(fmt(s.eta, 1)): χ₂ at the maximum: mean \(fmt(s.meanChi, 4)), ≥ 0.9 in \(s.nearPi)/\(draws) draws, KS vs U(0,1) D = \(fmt(s.ks.statistic, 3)), p = \(fmt(s.ks.pValue, 2)); threshold weight with χ₂ ≥ 0.9: \(fmt(s.near, 3)) (0.1 if uniform); ⟨S_max⟩ = \(fmt(s.s.mean, 4)) ± \(fmt(s.s.standardError, 2)) (π⟨c₋⟩/32 = \(fmt(s.cPred, 4))).")
            }
            if let u = stats.indices.first(where: { i in stats[i...].allSatisfy { $0.ks.pValue >= 0.01 } }) {
                findings.append("Uniformity: KS p ≥ 0.01 for every η/J ≥ \(fmt(stats[u].eta, 2)) in this tier; at the printed onset η/J = 0.1 the χ₂ at the maximum still has mean \(fmt(onset.meanChi, 3)) (uniform: 0.5).")
            } else {
                findings.append("Uniformity: KS rejects uniformity (p < 0.01) even at the largest η/J = \(fmt(etas.last!, 2)) at this sample size.")
            }

            // ---- checks
            let fracPi = Double(weakest.nearPi) / nd
            let main = StatementCheck(
                statement: "weak perturbations always give steady-state synchronization with π difference: fraction of draws whose S_d maximum has χ₂ ≥ 0.9 at η/J = \(fmt(weakest.eta, 1)) (the weakest η)",
                check: Check(predicted: 1, measured: fracPi),
                tolerance: Tolerance(0.5 / nd, "A fraction of \(draws) draws is resolved to 1/\(draws): half of it decides equality with 1 ('always')."),
                control: Control("no preference between in-phase and anti-phase locking (the two angles an S^x correlation can select): half the draws at χ₂ ≥ 0.9",
                                 Check(predicted: 0.5, measured: fracPi)))
            let uniformCheck = StatementCheck(
                "uniform-onset",
                statement: "χ₂ is uniform for η/J ≳ 10⁻¹ (Fig. 5a): χ₂ at the S_d maximum at the printed onset η/J = 0.1 against U(0, 1)",
                comparison: .ksTest,
                check: Check(predicted: 0.5, measured: onset.meanChi, ks: onset.ks),
                tolerance: Tolerance(0.01, "KS significance α = 0.01 over \(draws) independent draws, one value per draw."),
                control: Control("the weak-η law (all draws at χ₂ = 1: synchronization persisting), KS distance 1 from uniform",
                                 Check(predicted: 1, measured: onset.meanChi, ks: ksTest(rows.map { $0[i01].sample.chiAtMax }, cdf: { $0 >= 1 ? 1 : 0 })),
                                 distance: 1),
                correctedForm: "χ₂ at the S_d maximum becomes uniform only around η/J ≈ 1 (KS p ≥ 0.01 from η/J = \(stats.first { $0.ks.pValue >= 0.01 }.map { fmt($0.eta, 2) } ?? "—") in this tier); at η/J = 0.1 its mean is \(fmt(onset.meanChi, 3)) and \(fmt(onset.near, 2)) of the threshold weight lies at χ₂ ≥ 0.9 (uniform: 0.1).")
            let freq = StatementCheck(
                "frequency",
                statement: "|v₊⟩⟨v₋| oscillates at ω = 2(J − Δ + B) (σ^± = (σ^x ± iσ^y)/2 as printed)",
                check: Check(predicted: printedOmega, measured: text.omega),
                tolerance: exactTolerance(text.oscillationResidual, what: "The eigenvalue of |v₊⟩⟨v₋| (exact 𝓛 applied to it)"),
                control: Control("2(J + Δ − B) = 3.4, the difference of the paper's printed dark-state energies", Check(predicted: 2 * (j + delta - b), measured: text.omega)),
                correctedForm: "ω = E(v₊) − E(v₋) = J + 2Δ − 2B (= 2.4) with σ^± = (σ^x ± iσ^y)/2; 2(J + Δ − B) (= 3.4) for the coupling J(σ^xσ^x + σ^yσ^y); the printed 2(J − Δ + B) = 0.6 matches neither.")
            let freqXX = StatementCheck(
                "frequency-xx",
                statement: "the same with the hopping read as J(σ₁^xσ₂^x + σ₁^yσ₂^y) (the convention of the printed E(v₋))",
                role: .alternativeReading,
                check: Check(predicted: printedOmega, measured: xx.omega),
                tolerance: exactTolerance(xx.oscillationResidual, what: "The eigenvalue of |v₊⟩⟨v₋|"),
                control: Control("2(J + Δ − B)", Check(predicted: 2 * (j + delta - b), measured: xx.omega)))
            let energy = StatementCheck(
                "energy-minus",
                statement: "E(v₋) = −2J − Δ (σ^± = (σ^x ± iσ^y)/2 as printed)",
                check: Check(predicted: -2 * j - delta, measured: text.energyMinus),
                tolerance: exactTolerance(text.darkResidual, what: "⟨v₋|H|v₋⟩"),
                control: Control("−J − Δ: the singlet energy of J(σ₁⁺σ₂⁻ + h.c.) with σ^± = (σ^x ± iσ^y)/2", Check(predicted: -j - delta, measured: text.energyMinus)),
                correctedForm: "E(v₋) = −J − Δ for H as printed with σ^± = (σ^x ± iσ^y)/2; −2J − Δ holds for the coupling J(σ₁^xσ₂^x + σ₁^yσ₂^y) = 2J(σ₁⁺σ₂⁻ + h.c.).")
            let energyXX = StatementCheck(
                "energy-minus-xx",
                statement: "E(v₋) = −2J − Δ with the coupling read as J(σ₁^xσ₂^x + σ₁^yσ₂^y)",
                role: .alternativeReading,
                check: Check(predicted: -2 * j - delta, measured: xx.energyMinus),
                tolerance: exactTolerance(xx.darkResidual, what: "⟨v₋|H|v₋⟩"),
                control: Control("−J − Δ", Check(predicted: -j - delta, measured: xx.energyMinus)))
            let symmetry = StatementCheck(
                "symmetry",
                statement: "P of (D3) is a strong symmetry: [H, P] = [P, L₋] = 0",
                check: Check(predicted: 0, measured: text.commutatorPrinted),
                tolerance: exactTolerance(text.commutatorSwap, what: "The commutators"),
                control: Control("P = σ₁^xσ₂^x as printed flips both spins: max(|[H, P]|, |[P, L₋]|) = max(4B, γ) (the field term changes sign)", Check(predicted: max(4 * b, model.gamma), measured: text.commutatorPrinted)),
                correctedForm: "P = |↑↑⟩⟨↑↑| + |↓↓⟩⟨↓↓| + |↑↓⟩⟨↓↑| + |↓↑⟩⟨↑↓| (the site swap); the printed |↑↑⟩⟨↓↓| + |↓↓⟩⟨↑↑| + … is σ₁^xσ₂^x, which commutes with neither H (B ≠ 0) nor L₋.")
            let dark = StatementCheck(
                "dark-states",
                statement: "|v₊⟩ = |↓↓⟩ and |v₋⟩ = singlet are dark eigenstates (L₋|v±⟩ = 0) with E(v₊) = Δ − 2B",
                check: Check(predicted: delta - 2 * b, measured: text.energyPlus),
                tolerance: exactTolerance(text.darkResidual, what: "L₋|v±⟩ and ⟨v₊|H|v₊⟩"),
                control: Control("Δ + 2B (|↑↑⟩ as the dark state)", Check(predicted: delta + 2 * b, measured: text.energyPlus)))
            let d5Check = StatementCheck(
                "d5-smax",
                statement: "(D5): S_max = c₋ (S normalized as App. A states)",
                check: Check(predicted: d5.cMinus, measured: d5.sMax),
                tolerance: Tolerance(100 * singleEta, "The steady state at η = \(fmt(singleEta, 1)) differs from the η → 0 limit by O(η): measured |S_d − corrected form| = \(fmt(d5.correctedResidual, 2)); tolerance 100η."),
                control: Control("πc₋/32: S_d = 1/(2π) − (πc₋/32) cos φ′ from the normalized Husimi kernel", Check(predicted: Double.pi * d5.cMinus / 32, measured: d5.sMax)),
                correctedForm: "S(φ₁, φ₂) = (2π)⁻² − (c₋/64) cos(φ₁ − φ₂), S_d(φ′) = 1/(2π) − (πc₋/32) cos φ′, S_max = πc₋/32 (maximum at φ′ = π as printed). The printed S_max = c₋ also contradicts the printed S_d = −2πc₋ cos φ′ (maximum 2πc₋).",
                // measured: 1.07e-9 relative drift between BLAS kernel sets/drivers (quick and standard); 10× that
                regressionTolerance: 1.1e-8)
            let centres = (0..<fig5Bins).map { (Double($0) + 0.5) / Double(fig5Bins) }
            let figures = [
                Figure(name: "fig5a-chi2", title: "Fig. 5a: distribution of χ_2 vs η",
                       caption: "Average density of the threshold-sampled χ₂ (r = \(fmt(r, 2))) over \(draws) draws per η (rows): concentrated at χ₂ = 1 (π difference) at weak η, uniform near η/J ≈ 1.",
                       heatMap: HeatMap(xLabel: "χ_2", yLabel: "η/J", colorLabel: "density", x: centres, y: etas, values: stats.map(\.hist), yLog: true)),
                Figure(name: "fig5b-smax", title: "Fig. 5b: ⟨S_max⟩ vs η",
                       caption: "Mean S_max (±1σ) and the perturbative π⟨c₋⟩/32 (corrected (D5)); the printed S_max = c₋ would be 32/π ≈ 10× larger.",
                       plot: Plot(xLabel: "η/J", yLabel: "S_max", xLog: true, yLog: true, series: [
                        PlotSeries(name: "⟨S_max⟩", x: etas, y: stats.map(\.s.mean), yError: stats.map(\.s.standardError), group: "S"),
                        PlotSeries(name: "π⟨c_-⟩/32", x: etas, y: stats.map(\.cPred), style: .dashed, group: "S"),
                       ])),
                Figure(name: "fig5-ks", title: "KS p-value of χ_2 at the maximum vs uniform", caption: "p < 0.01 rejects uniformity of χ₂ (p floored at 1e-300, the double-precision underflow).",
                       plot: Plot(xLabel: "η/J", yLabel: "KS p", xLog: true, yLog: true, series: [
                        PlotSeries(name: "p", x: etas, y: stats.map { max($0.ks.pValue, 1e-300) }),
                        PlotSeries(name: "α = 0.01", x: [etas.first!, etas.last!], y: [0.01, 0.01], style: .dashed),
                       ])),
            ]
            return Evidence(
                checks: [main, uniformCheck, freq, freqXX, energy, energyXX, symmetry, dark, d5Check],
                method: "Build (D1)–(D2) on two spin-1/2 (σ^± = S^±, σ^z = 2S^z), check the printed symmetry and dark states, diagonalize the 16×16 Liouvillian and apply it to |v₊⟩⟨v₋| (also with the hopping read as J(σ^xσ^x + σ^yσ^y)); for one weak random perturbation compare S_d with (D5); for Fig. 5 draw App. F perturbations (D_H = 4), solve the steady state at each η, locate the S_d maximum and sample χ₂ above the threshold.",
                parameters: ["model": "(D1)–(D2) as printed: L₋ = γ(σ₁⁻ + σ₂⁻), γ = 0.5, σ^± = S^±, σ^z = 2S^z",
                             "headlines": "π-synchronization at the weakest η; uniformity at the printed onset η/J = 0.1"],
                findings: findings,
                series: [DataSeries(name: "KS p argmax chi2 vs eta", x: etas, y: stats.map(\.ks.pValue), xLabel: "η/J", yLabel: "p"),
                         DataSeries(name: "<S_max> vs eta", x: etas, y: stats.map(\.s.mean), yError: stats.map(\.s.standardError), xLabel: "η/J", yLabel: "⟨S_max⟩"),
                         DataSeries(name: "mean argmax chi2 vs eta", x: etas, y: stats.map(\.meanChi), xLabel: "η/J", yLabel: "⟨χ₂⟩")],
                figures: figures,
                extra: ["ksPAtLargestEta": .number(stats.last!.ks.pValue)])
        })
}
