import Foundation
import Kernels
import Linalg
import Numerics
import Verification

extension OpenSync {
    // MARK: 6. random perturbations of the N = 3 spin-1 chain (Fig. 3)

    static let fig3Bins = 32
    static let mapGrid = 48

    /// P₂/(3P₁) and its delta-method standard error from per-draw (P₁, P₂).
    static func ratioP2over3P1(_ p: [[Double]]) -> (value: Double, error: Double) {
        let n = Double(p.count)
        let s1 = SampleSummary(p.map { $0[0] }), s2 = SampleSummary(p.map { $0[1] })
        let m1 = s1.mean, m2 = s2.mean
        let cov = p.map { ($0[0] - m1) * ($0[1] - m2) }.reduce(0, +) / max(1, n - 1)
        let r = m2 / (3 * m1)
        let v = r * r * (s2.standardDeviation * s2.standardDeviation / (m2 * m2)
                         + s1.standardDeviation * s1.standardDeviation / (m1 * m1) - 2 * cov / (m1 * m2)) / n
        return (r, max(0, v).squareRoot())
    }

    static let randomPerturbations = Claim(
        id: "open-sync.random-perturbations",
        paper: .openSync,
        reference: "Fig. 3 (a–d) and text; Eq. (4); App. F (Eqs. (F1)–(F3)); N = 3, ω = 1, J = Δ = 0.5, γ = 2, 10⁴ samples",
        statement: "Under random perturbations 𝓛 + η𝓛₍₁₎ (App. F) every draw has a single steady state; for η/ω ≪ 1 the (0,π)- and π/3-types of steady-state synchronization are equally likely (P₂/(3P₁) ≈ 1, Fig. 3c), with χ peaks at 0, 1/4, 1 persisting up to η/ω ≲ 1e-3 and ⟨S_max⟩ > 0; for η/ω ≳ 1 χ is uniform (P₁ ≈ P₂ ≈ P₃).",
        comparison: .zScore,
        tiers: [
            .quick: ["limitDraws": 2000, "scanDraws": 6, "etas": [1e-6, 1e-3, 10.0], "spectrumDraws": 0, "grid": 120, "r": 0.95],
            .standard: ["limitDraws": 10000, "scanDraws": 100, "etas": [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0], "spectrumDraws": 3, "grid": 120, "r": 0.95],
            .full: ["limitDraws": 100000, "scanDraws": 10000, "etas": [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0], "spectrumDraws": 20, "grid": 120, "r": 0.95],
        ],
        validate: { p in
            guard let nl = p["limitDraws"]?.int, let ns = p["scanDraws"]?.int, let etas = p["etas"]?.doubles,
                  let nsp = p["spectrumDraws"]?.int, let g = p["grid"]?.int, let r = p["r"]?.double else {
                throw ClaimError.invalidParameter("random-perturbations needs limitDraws, scanDraws, etas, spectrumDraws, grid, r")
            }
            guard nl >= 100, ns >= 6, nsp >= 0, nsp <= ns, g >= 12, g % 6 == 0, r > 0, r < 1,
                  etas.count >= 2, etas == etas.sorted(), etas.first! > 0, etas.last! >= 1 else {
                throw ClaimError.invalidParameter("need limitDraws ≥ 100, scanDraws ≥ 6, spectrumDraws ≤ scanDraws, grid divisible by 6, 0 < r < 1, ascending positive etas ending at η ≥ 1")
            }
            // each parallel worker holds 𝓛₀, 𝓛₍₁₎, 𝓛 and the LU copy: 729² complex each
            try MemoryBudget.requireDense(dimension: 729, matrices: 4, bytesPerEntry: 16,
                                          parallel: ProcessInfo.processInfo.activeProcessorCount, for: "the N = 3 spin-1 Liouvillian")
        },
        plan: { ctx in
            // Set "" (scan): realization k = the literal App. F draw k of 𝓛₍₁₎ (H₍₁₎ first, then G),
            // stream (seed, "open-sync.random-perturbations", k): the draws of the former claim.
            // Set "limit": realization k = an exact sample of the Gram blocks of G (η → 0 only).
            [RealizationSet(label: "", count: try ctx.int("scanDraws")),
             RealizationSet(label: "limit", count: try ctx.int("limitDraws"))]
        },
        realization: { ctx, set, k, rng in
            let model = Spin1Chain(sites: 3)
            let grid = try ctx.int("grid"), r = try ctx.double("r")
            if set.label == "limit" {
                return try PerturbationDraw.measureLimit(limit: SectorLimit(model), model: model, grid: grid, r: r, bins: fig3Bins, &rng)
            }
            return try PerturbationDraw.measure(
                limit: SectorLimit(model), model: model, unperturbed: model.liouvillian, etas: try ctx.doubles("etas"),
                spectra: k < (try ctx.int("spectrumDraws")), grid: grid, r: r, bins: fig3Bins, &rng)
        },
        analyze: { ctx, results in
            let draws = results["limit"], scan = results[""]
            let etas = try ctx.doubles("etas"), nScan = try ctx.int("scanDraws"), r = try ctx.double("r")
            let model = Spin1Chain(sites: 3)
            let ip = model.indexZeroPlus, im = model.indexZeroMinus
            let n = Double(draws.count)

            // ---- η → 0 limit (Eq. (4)): type fraction
            let fScanLimit = Double(scan.filter { !$0.limit.zeroPiType }.count) / Double(scan.count)
            let fScanLimitErr = (fScanLimit * (1 - fScanLimit) / Double(scan.count)).squareRoot()
            let piThird = draws.filter { !$0.limit.zeroPiType }.count
            let f = Double(piThird) / n, fErr = (f * (1 - f) / n).squareRoot()
            let criterion = draws.filter { $0.c[ip] / 4 < $0.c[im] / 3 }.count
            let agree = draws.filter { ($0.c[ip] / 4 < $0.c[im] / 3) == !$0.limit.zeroPiType }.count
            let cPlusLarger = draws.filter { $0.c[ip] > $0.c[im] }.count
            let nonUnique = draws.filter { $0.effectiveKernel != 1 }.count
            let minGap = draws.map(\.effectiveGap).min()!
            // κ = p₂(π/3 type)/(3 p₁((0,π) type)) of the threshold sample at r
            let zp = draws.first { $0.limit.zeroPiType }, pt = draws.first { !$0.limit.zeroPiType }
            let kappa = (zp != nil && pt != nil) ? pt!.limit.p[1] / (3 * zp!.limit.p[0]) : .nan
            let limitRatio = ratioP2over3P1(draws.map(\.limit.p))
            let limitS = SampleSummary(draws.map(\.limit.sMax))

            // ---- finite η (scan draws)
            struct EtaRow { var eta: Double; var p: [SampleSummary]; var ratio: (value: Double, error: Double); var s: SampleSummary
                var median: Double; var ks: KSResult; var f: Double; var fErr: Double; var hist: [Double] }
            var rows: [EtaRow] = []
            for (ie, eta) in etas.enumerated() {
                let col = scan.map { $0.scan[ie] }
                let m = Double(col.count)
                let fe = Double(col.filter { !$0.zeroPiType }.count) / m
                rows.append(EtaRow(eta: eta, p: (0..<3).map { a in SampleSummary(col.map { $0.p[a] }) },
                                   ratio: ratioP2over3P1(col.map(\.p)), s: SampleSummary(col.map(\.sMax)), median: median(col.map(\.sMax)),
                                   ks: ksTest(col.map(\.chiAtMax), cdf: { min(1, max(0, $0)) }), f: fe, fErr: (fe * (1 - fe) / m).squareRoot(),
                                   hist: (0..<fig3Bins).map { b in col.map { $0.hist[b] }.reduce(0, +) / m * Double(fig3Bins) }))
            }
            let weakest = rows[0], strongest = rows[rows.count - 1]
            let maxDev = scan.compactMap(\.cDeviation).max() ?? .nan
            let sectorDims = model.sectorProjectors.map { $0.trace.real }
            let depolarized = scan.map { d in d.c.indices.map { abs(d.c[$0] - sectorDims[$0] / 27) }.max()! }.max()!
            let minEig = scan.flatMap { $0.scan.map(\.minEigenvalue) }.min() ?? .nan
            let spec = scan.flatMap(\.spectra)

            // ---- checks
            let main = StatementCheck(
                statement: "the (0,π) and π/3 types are equally likely for η/ω ≪ 1 (Fig. 3c: P₂/(3P₁) = ratio of types ≈ 1): π/3 fraction f = 1/2 in the η → 0 limit",
                check: Check(predicted: 0.5, measured: f, uncertainty: fErr),
                tolerance: Tolerance(3, "|z| ≤ 3 with the binomial standard error √(f(1−f)/n) over \(draws.count) independent draws (false alarm 0.27%); the type is exact in the η → 0 limit (perturbative criterion and maximizer agree in \(agree)/\(draws.count) draws)."),
                control: Control("types in proportion to the 0± sector dimensions, f = D₀₋/(D₀₊ + D₀₋) = 3/7 (P₂/(3P₁) = 3/4)",
                                 Check(predicted: 3.0 / 7, measured: f, uncertainty: fErr)),
                estimates: [Estimate("η → 0 limit (Leff kernel, sampled Gram blocks), \(draws.count) draws", f, uncertainty: fErr),
                            Estimate("η → 0 limit from the literal G of the first \(scan.count) draws", fScanLimit, uncertainty: max(fScanLimitErr, 1 / Double(scan.count))),
                            Estimate("maximizer type of the full steady state at η = \(fmt(etas[0], 1)), \(scan.count) draws", weakest.f, uncertainty: max(weakest.fErr, 1 / Double(scan.count)))])
            let unique = StatementCheck(
                "unique-steady-state",
                statement: "every realization has a single steady state (number of draws with a degenerate η → 0 steady state)",
                comparison: .absolute,
                check: Check(predicted: 0, measured: Double(nonUnique)),
                unit: "draws",
                tolerance: Tolerance(0.5, "A count of draws whose 8×8 effective generator has a kernel of dimension ≠ 1 (eigenvalue cut 1e-10·max; the smallest nonzero |eigenvalue| over all draws is \(fmt(minGap, 3)), ≥ 10⁹× the cut)."),
                control: Control("one draw keeps a degenerate steady state", Check(predicted: 1, measured: Double(nonUnique))))
            let etaLimitLaw = EmpiricalCDF(draws.map(\.limit.chiAtMax))
            let lawDistance = etaLimitLaw.supDistance(to: { min(1, max(0, $0)) })
            let strongValues = scan.map { $0.scan[etas.count - 1].chiAtMax }
            let uniform = StatementCheck(
                "uniform-strong",
                statement: "χ is uniform for η/ω ≳ 1 (no synchronization): χ at the S_d maximum at η/ω = \(fmt(strongest.eta, 2)) against U(0, 1)",
                comparison: .ksTest,
                check: Check(predicted: 0.5, measured: SampleSummary(strongValues).mean, ks: strongest.ks),
                tolerance: Tolerance(0.01, "KS significance α = 0.01 over \(scan.count) independent draws, one value per draw."),
                control: Control("the η → 0 law (synchronization persisting: χ = 0 for (0,π)-type, 1/4 for π/3-type draws), KS distance \(fmt(lawDistance, 3)) from uniform",
                                 Check(predicted: etaLimitLaw.sorted.reduce(0, +) / Double(etaLimitLaw.count), measured: SampleSummary(strongValues).mean,
                                       ks: ksTest(strongValues, cdf: { etaLimitLaw($0) })),
                                 distance: lawDistance))
            let limit = StatementCheck(
                "eq4-limit",
                statement: "Eq. (4): at η = \(fmt(etas[0], 1)) the steady state is Σ_α c_α 1_α with c the kernel of the effective generator (our η → 0 limit): max_α |Tr(Π_α ρ) − c_α|",
                role: .consistency,
                comparison: .absolute,
                check: Check(predicted: 0, measured: maxDev),
                tolerance: Tolerance(etas[0], "The first-order correction is O(η): tolerance η = \(fmt(etas[0], 1)) (the measured deviation is \(fmt(maxDev / etas[0], 2))·η)."),
                control: Control("the maximally mixed state (c_α = D_α/27), the depolarized limit", Check(predicted: depolarized, measured: maxDev)))

            // ---- findings
            var findings: [String] = [
                "η → 0 limit (Eq. (4), first-order degenerate perturbation theory on the 8 zero modes 1_α, computed from G without forming 𝓛₍₁₎): π/3 type in \(piThird)/\(draws.count) draws, f = \(fmt(f, 4)) ± \(fmt(fErr, 2)) (f/(1−f) = \(fmt(f / (1 - f), 3))); the criterion c₀₊/4 < c₀₋/3 gives \(criterion)/\(draws.count) and agrees with the maximizer type in \(agree)/\(draws.count).",
                "c₀₊ > c₀₋ in \(cPlusLarger)/\(draws.count) draws (⟨c₀₊⟩ = \(fmt(draws.map { $0.c[ip] }.reduce(0, +) / n, 4)) ≈ 4/27, ⟨c₀₋⟩ = \(fmt(draws.map { $0.c[im] }.reduce(0, +) / n, 4)) ≈ 3/27): the printed condition 'c₀₊ > c₀₋ ⇒ (0,π) type' would make every draw (0,π) type (the 1_α-normalization erratum, see open-sync.husimi-eq8).",
                "Uniqueness: the effective generator has a one-dimensional kernel in \(draws.count - nonUnique)/\(draws.count) draws (smallest nonzero |eigenvalue| \(fmt(minGap, 4)), so the 8 near-zero eigenvalues of 𝓛 + η𝓛₍₁₎ split as ≈ η·\(fmt(minGap, 3)) or more). Full zgeev on \(Set(spec.map(\.eta)).count > 0 ? "the first draws at every η" : "no draws at this tier"): \(spec.filter { $0.zeroModes == 1 }.count)/\(spec.count) spectra with exactly one zero mode\(spec.isEmpty ? "" : ", smallest second |λ|/η = \(fmt(spec.map { $0.second / $0.eta }.min()!, 3))"). Min eigenvalue of ρ over all scan draws and η: \(fmt(minEig, 3)).",
                "Estimator: at r = \(fmt(r, 2)) a (0,π)-type state puts P₁ = \(zp.map { fmt($0.limit.p[0], 4) } ?? "—") of its threshold weight in I₁ and a π/3-type state P₂ = \(pt.map { fmt($0.limit.p[1], 4) } ?? "—") in I₂, so P₂/(3P₁) = κ·f/(1 − f) with κ = \(fmt(kappa, 4)) (κ = 1 exactly at r = 1, open-sync.chi-configurations); η → 0 ensemble: P₂/(3P₁) = \(fmt(limitRatio.value, 4)) ± \(fmt(limitRatio.error, 2)).",
                "⟨S_max⟩ in the η → 0 limit: \(fmt(limitS.mean, 3)) ± \(fmt(limitS.standardError, 2)) (z = \(fmt(limitS.mean / limitS.standardError, 3))), S_max > 0 in \(draws.filter { $0.limit.sMax > 0 }.count)/\(draws.count) draws (min \(fmt(draws.map(\.limit.sMax).min()!, 2))): small because 𝓛₍₁₎ is nearly depolarizing on the zero modes (c_α ≈ D_α/27).",
            ]
            for row in rows {
                findings.append("η = \(fmt(row.eta, 1)) (\(scan.count) draws): P₁ = \(fmt(row.p[0].mean, 3)) ± \(fmt(row.p[0].standardError, 2)), P₂ = \(fmt(row.p[1].mean, 3)) ± \(fmt(row.p[1].standardError, 2)), P₃ = \(fmt(row.p[2].mean, 3)) ± \(fmt(row.p[2].standardError, 2)); P₂/(3P₁) = \(fmt(row.ratio.value, 3)) ± \(fmt(row.ratio.error, 2)); grid-type π/3 fraction \(fmt(row.f, 3)) ± \(fmt(row.fErr, 2)); ⟨S_max⟩ = \(fmt(row.s.mean, 3)) ± \(fmt(row.s.standardError, 2)) (median \(fmt(row.median, 3))); KS of χ at the maximum vs U(0,1): D = \(fmt(row.ks.statistic, 3)), p = \(fmt(row.ks.pValue, 2)).")
            }
            if let e3 = rows.first(where: { abs($0.eta - 1e-3) < 1e-12 }) {
                let z = (e3.ratio.value - 1) / e3.ratio.error
                findings.append("Edge of the printed regime η/ω = 1e-3 (\(scan.count) draws): P₂/(3P₁) = \(fmt(e3.ratio.value, 3)) ± \(fmt(e3.ratio.error, 2)) (z vs 1: \(fmt(z, 2))); the threshold sample has begun to leave the intervals (P₁ + P₂ + P₃ = \(fmt(e3.p.map(\.mean).reduce(0, +), 3)) vs \(fmt(weakest.p.map(\.mean).reduce(0, +), 3)) at η = \(fmt(weakest.eta, 1))). \(abs(z) > 3 ? "The ratio is off 1 beyond 3σ at the edge." : "This tier does not resolve a change of the ratio at the edge.") The grid type classification (maximum at φ′ ∈ {0, π}²) is meaningful only at weak η: its 'π/3 fraction' rises to \(fmt(strongest.f, 2)) at η = \(fmt(strongest.eta, 2)) because the maxima leave the grid points.")
            }
            if let u = rows.indices.first(where: { i in rows[i...].allSatisfy { $0.ks.pValue >= 0.01 } }) {
                findings.append("Onset of uniformity: the KS test of χ at the maximum has p ≥ 0.01 for every η ≥ \(fmt(rows[u].eta, 2)) in this tier (the paper: peaks persist up to η/ω ≲ 1e-3, uniform at η/ω ≳ 1).")
            }
            findings.append("Fig. 3c caption prints P₂/(3P₃); at η = \(fmt(weakest.eta, 1)) it is \(fmt(weakest.p[1].mean / (3 * weakest.p[2].mean), 3)) (≈ 1/4), not the type ratio: a typo for the text's P₂/(3P₁).")
            findings.append("Threshold: χ is sampled where the modulation S_d − (2π)⁻² exceeds r·S_max (r = \(fmt(r, 2))), weighted by S_d. The Fig. 3a caption's literal 'S_d > 0.95 max S_d' keeps almost the whole torus (the modulation is ~1e-4 of the constant) and would give P₁ = P₂ = P₃ = 1/8 at every η, contradicting Fig. 3.")
            findings.append("Min eigenvalue of ρ is positive at every η; the steady-state solver is the dense trace-bordered zgesv of Kernels/Lindblad.swift (729 × 729).")

            // ---- figures
            let centres = (0..<fig3Bins).map { (Double($0) + 0.5) / Double(fig3Bins) }
            var figures: [Figure] = [
                Figure(name: "fig3a-chi-distribution", title: "Fig. 3a: distribution of χ vs η",
                       caption: "Average density of the threshold-sampled χ (r = \(fmt(r, 2))) over \(scan.count) draws per η (rows). Peaks at 0, 1/4, 1 at weak η; flat at η ≳ 1e-2.",
                       heatMap: HeatMap(xLabel: "χ", yLabel: "η/ω", colorLabel: "density", x: centres, y: etas, values: rows.map(\.hist), yLog: true)),
                Figure(name: "fig3b-Pa", title: "Fig. 3b: P_a vs η", caption: "Probabilities of the intervals I₁ = [0, 2/16], I₂ = [3/16, 5/16], I₃ = [14/16, 1] (±1σ over draws); 1/8 for uniform χ.",
                       plot: Plot(xLabel: "η/ω", yLabel: "P_a", xLog: true, series: (0..<3).map { a in
                        PlotSeries(name: "P_\(a + 1)", x: etas, y: rows.map { $0.p[a].mean }, yError: rows.map { $0.p[a].standardError })
                       } + [PlotSeries(name: "uniform 1/8", x: [etas.first!, etas.last!], y: [0.125, 0.125], style: .dashed)])),
                Figure(name: "fig3c-ratio", title: "Fig. 3c: P_2/(3P_1) vs η",
                       caption: "P₂/(3P₁) (delta-method ±1σ) and the type ratio f/(1 − f) from the maximizers (±1σ); 1 = equally likely.",
                       plot: Plot(xLabel: "η/ω", yLabel: "ratio", xLog: true, series: [
                        PlotSeries(name: "P_2/(3P_1)", x: etas, y: rows.map(\.ratio.value), yError: rows.map(\.ratio.error), group: "ratio"),
                        PlotSeries(name: "f/(1 − f)", x: etas, y: rows.map { $0.f / (1 - $0.f) },
                                   yError: rows.map { $0.fErr / ((1 - $0.f) * (1 - $0.f)) }, style: .points, group: "types"),
                        PlotSeries(name: "equally likely", x: [etas.first!, etas.last!], y: [1, 1], style: .dashed),
                       ])),
                Figure(name: "fig3d-smax", title: "Fig. 3d: ⟨S_max⟩ vs η", caption: "Mean (±1σ) and median of S_max (Eq. (3)) over draws.",
                       plot: Plot(xLabel: "η/ω", yLabel: "S_max", xLog: true, yLog: true, series: [
                        PlotSeries(name: "⟨S_max⟩", x: etas, y: rows.map(\.s.mean), yError: rows.map(\.s.standardError), group: "S"),
                        PlotSeries(name: "median", x: etas, y: rows.map(\.median), style: .dashed, group: "S"),
                       ])),
            ]
            let ones = model.sectorProjectors.map(maximallyMixedState)
            let g = mapGrid
            let gAxis = (0..<g).map { 2 * Double.pi * Double($0) / Double(g) }
            for (type, want) in [("(0,π)", true), ("π/3", false)] {
                if let k = draws.indices.first(where: { draws[$0].limit.zeroPiType == want }) {
                    var rho = ComplexMatrix(rows: 27, columns: 27)
                    for (a, o) in ones.enumerated() { rho = rho + Complex(draws[k].c[a], 0) * o }
                    let sd = try SpinPhaseDistribution(rho: rho, spins: model.spins).relative
                    let v = sd.gridValues(g)
                    figures.append(Figure(name: want ? "sd-map-zero-pi-draw" : "sd-map-pi-third-draw",
                                          title: "S_d(φ′_1, φ′_2) − (2π)^{-2}, draw \(k) (\(type) type), η → 0",
                                          caption: "Relative-angle distribution of the η → 0 steady state Σ c_α 1_α of one random draw (Fig. 2a/d analogue).",
                                          heatMap: HeatMap(xLabel: "φ′_2", yLabel: "φ′_1", colorLabel: "S_d − (2π)^{-2}", x: gAxis, y: gAxis,
                                                           values: (0..<g).map { i in (0..<g).map { j in v[i * g + j] - sd.uniformLevel } })))
                }
            }
            var series: [DataSeries] = [
                DataSeries(name: "P2/(3P1) vs eta", x: etas, y: rows.map(\.ratio.value), yError: rows.map(\.ratio.error), xLabel: "η/ω", yLabel: "P₂/(3P₁)"),
                DataSeries(name: "pi/3 fraction vs eta", x: etas, y: rows.map(\.f), yError: rows.map(\.fErr), xLabel: "η/ω", yLabel: "f"),
                DataSeries(name: "<S_max> vs eta", x: etas, y: rows.map(\.s.mean), yError: rows.map(\.s.standardError), xLabel: "η/ω", yLabel: "⟨S_max⟩"),
                DataSeries(name: "KS p argmax chi vs eta", x: etas, y: rows.map(\.ks.pValue), xLabel: "η/ω", yLabel: "p"),
            ]
            for a in 0..<3 {
                series.append(DataSeries(name: "P\(a + 1) vs eta", x: etas, y: rows.map { $0.p[a].mean }, yError: rows.map { $0.p[a].standardError },
                                         parameters: ["interval": .string(["[0, 2/16]", "[3/16, 5/16]", "[14/16, 1]"][a])], xLabel: "η/ω", yLabel: "P_a"))
            }
            return Evidence(
                checks: [main, unique, uniform, limit],
                method: "The η → 0 steady state Σ c_α 1_α of Eq. (4) is the kernel of the 8×8 effective generator Leff[α,β] = Tr(Π_α 𝓛₍₁₎(1_β)) of the App. F ensemble (GUE H₍₁₎, K = d·GG†/Tr GG† on the printed F3 basis): a classical rate matrix that depends on G only through the Gram blocks G_g G_g† of the groups of rows of G that share a matrix element of U F_n Uᵀ (U: the symmetry-adapted basis), and not on H₍₁₎. The headline draws sample these blocks exactly (Bartlett decomposition); \(nScan) literal draws (H₍₁₎ and G as printed, the streams of the former claim) give the same limit from G and the full steady state of 𝓛 + η𝓛₍₁₎ (dense trace-bordered zgesv) at every η. For each state compute S_d of Eq. (2) exactly, S_max and its maximizer (grid + Newton), the threshold sample of χ (modulation > r·S_max, weights ∝ S_d), P_a, and the maximizer type. Headline: the π/3 fraction f in the η → 0 limit against 'equally likely' (f = 1/2).",
                parameters: ["ensemble": "App. F, printed F3 basis, ζ_coh = ζ_diss = 1, D_H = 27",
                             "headline": "the η → 0 limit (the η ≪ ω regime the statement is about), all draws; the finite-η scan on the first scanDraws draws",
                             "kappa": .number(kappa)],
                findings: findings, series: series, figures: figures,
                extra: ["piThirdFraction": .number(f), "piThirdFractionError": .number(fErr),
                        "c0plus": .array(draws.prefix(200).map { .number($0.c[ip]) }),
                        "c0minus": .array(draws.prefix(200).map { .number($0.c[im]) })])
        })
}
