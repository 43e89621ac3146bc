import Foundation
import Kernels
import Linalg
import Numerics
import Verification

extension OpenSync {
    /// The tolerance of a check whose measurement is an exact (closed-form or direct linear
    /// algebra) evaluation: its only error is round-off, so its power is round-off and no
    /// plausible alternative can lie within 10× of it (the harness marks such controls weak).
    static func exactTolerance(_ measured: Double, what: String) -> Tolerance {
        Tolerance(1e-9, "\(what) is evaluated exactly (no sampling, no fit window); the measured round-off is \(fmt(measured, 2)), so 1e-9 is a ≥ 1000× margin. An exact check: its power is round-off and no plausible alternative lies within 10× of it.")
    }

    // MARK: 3. zero modes and oscillating coherences of the spin-1 chain

    static let spin1ZeroModes = Claim(
        id: "open-sync.spin1-zero-modes",
        paper: .openSync,
        reference: "Eq. (6), text after Eq. (6), App. B; parameters of Fig. 3 (ω = 1, J = Δ = 0.5, γ = 2)",
        statement: "The spin-1 chain of Eq. (6) with L_j = √γ (S_j^z)² has 2(N + 1) linearly independent steady states 1_α (α = ±1…±N, 0±); the oscillating coherences are ρ_M^osc = P·1_M with 𝓛[ρ_M^osc] = 2iω ρ_M^osc; Tr[(S_j^x)² ρ_M^osc] ≠ 0 only for M = ±1, so (S_j^x)² oscillates at the single frequency 2ω, phase locked on all sites.",
        comparison: .absolute,
        tiers: [
            .quick: ["sites": [2, 3], "traceTimes": 241],
            .standard: ["sites": [2, 3, 4], "traceTimes": 601],
            .full: ["sites": [2, 3, 4], "traceTimes": 1201],
        ],
        validate: { p in
            guard let sizes = p["sites"]?.ints, sizes.contains(3), sizes.allSatisfy({ $0 >= 2 && $0 <= 5 }),
                  let nt = p["traceTimes"]?.int, nt >= 2 else {
                throw ClaimError.invalidParameter("sites must lie in 2…5 and include N = 3 (the paper's N); traceTimes ≥ 2")
            }
            // Largest block B_{0,0}: D₀² × D₀² complex, D₀ = central trinomial coefficient (19 at N = 4, 51 at N = 5).
            let d0 = [2: 3.0, 3: 7, 4: 19, 5: 51][sizes.max()!]!
            try MemoryBudget.requireDense(dimension: d0 * d0, matrices: 4, bytesPerEntry: 16, parallel: 1,
                                          for: "the M = 0 block of the N = \(sizes.max()!) spin-1 Liouvillian")
        },
        plan: { ctx in
            try ctx.ints("sites").map { n in RealizationSet(label: "N\(n)", count: 1, settings: ["N": .int(n)]) }
        },
        realization: { ctx, set, _, rng in
            let n = try set.int("N"), nt = try ctx.int("traceTimes")
            let times = n == 3 ? (0..<nt).map { 40 * Double($0) / Double(nt - 1) } : []
            return try Spin1Spectrum.measure(sites: n, times: times, &rng)
        },
        analyze: { ctx, results in
            let sizes = try ctx.ints("sites")
            let rs = sizes.map { results["N\($0)"][0] }
            let r3 = rs.first { $0.sites == 3 }!
            let omega = 1.0
            var findings: [String] = []
            for r in rs {
                let expected = 2 * (r.sites + 1)
                findings.append("N = \(r.sites): dim ker 𝓛 = \(r.kernelDimension) (\(r.kernelInDiagonalBlocks) in the diagonal blocks B_{M,M}; SVD of every strong-symmetry block, largest 'zero' singular value \(fmt(r.largestZeroSingularValue, 2)), smallest nonzero \(fmt(r.smallestNonzeroSingularValue, 3))); 2(N+1) = \(expected) \(r.kernelDimension == expected ? "✓" : "✗"). The \(r.sectors) sector states 1_α are stationary (max |𝓛[1_α]| = \(fmt(r.sectorResidual, 2))) and span it.")
                findings.append("N = \(r.sites): decay-free frequencies Im λ = \(r.frequencies.map { fmt($0, 6) }.joined(separator: ", ")); slowest decaying mode Re λ = \(fmt(r.slowestDecay, 4)).")
                let cs = r.coherences.map { "M = \($0.m > 0 ? "+" : "")\($0.m): λ = \(fmt($0.re, 2)) \($0.im >= 0 ? "+" : "−") \(fmt(abs($0.im), 10))i (residual \(fmt($0.residual, 2)))" }
                findings.append("N = \(r.sites): 𝓛[P·1_M] = λ P·1_M with " + cs.joined(separator: "; ") + ". Printed: λ = 2iω for every M; measured λ = 2iωM.")
                let ov = r.coherences.map { "M = \($0.m): \($0.overlaps.map { fmt($0, 4) }.joined(separator: ", "))" }
                findings.append("N = \(r.sites): Tr[(S_j^x)² P·1_M] per site: " + ov.joined(separator: "; ") + " (nonzero only for |M| = 1, as printed).")
                let comps = r.components.filter { c in c.amplitudes.contains { $0.length > 1e-10 } }.map { c -> String in
                    "ω = \(fmt(c.omega, 6)): amplitudes (\(c.amplitudes.map { fmt(2 * $0.length, 4) }.joined(separator: ", "))), phases (\(c.amplitudes.map { fmt(Foundation.atan2($0.imaginary, $0.real), 6) }.joined(separator: ", ")))"
                }
                findings.append("N = \(r.sites): late-time ⟨(S_j^x)²⟩(t) from a random pure initial state (exact modal sum): " + comps.joined(separator: "; ") + ".")
            }
            if let r2 = rs.first(where: { $0.sites == 2 }) {
                let extra = r2.signalFrequencies().filter { abs($0 - 2 * omega) > 1e-6 }
                findings.append("N = 2 is special: decay-free coherences besides P·1_M put the extra frequencies \(extra.map { fmt($0, 4) }.joined(separator: ", ")) into ⟨(S_j^x)²⟩, in antiphase on the two sites; the 2ω component alone is phase locked. The paper's numerics use N = 3.")
            }
            // checks
            let main = StatementCheck(
                statement: "2(N + 1) linearly independent steady states (N = 3, the paper's N)",
                check: Check(predicted: Double(2 * (r3.sites + 1)), measured: Double(r3.kernelDimension)),
                unit: "states",
                tolerance: Tolerance(0.5, "A count: dim ker 𝓛 is an integer, decided by a singular-value gap of \(fmt(r3.smallestNonzeroSingularValue / max(r3.largestZeroSingularValue, 1e-300), 2))× (largest 'zero' σ \(fmt(r3.largestZeroSingularValue, 2)), smallest nonzero \(fmt(r3.smallestNonzeroSingularValue, 3))); any other count differs by ≥ 1."),
                control: Control("2N + 1: one steady state per magnetization sector M, without the ℤ₂ split of M = 0 into 0±",
                                 Check(predicted: Double(2 * r3.sites + 1), measured: Double(r3.kernelDimension))),
                scale: ScaleEvidence(variable: "N", sizes: rs.map { Double($0.sites) }, values: rs.map { Double($0.kernelDimension) },
                                     extrapolations: [], paperLargest: 3,
                                     note: "dim ker 𝓛 = 2(N + 1) at every N tried (\(rs.map { "N = \($0.sites): \($0.kernelDimension)" }.joined(separator: ", "))); the statement is for every N, not asymptotic."))
            let m2 = r3.coherences.first { $0.m == 2 }!
            let coherence = StatementCheck(
                "coherence-frequency",
                statement: "𝓛[P·1_M] = 2iω P·1_M for every M ≠ 0 (headline M = 2, N = 3: the smallest M at which 2ω and 2ωM differ)",
                check: Check(predicted: 2 * omega, measured: m2.im),
                tolerance: exactTolerance(r3.coherences.map(\.residual).max()!, what: "The eigenvalue of P·1_M (Rayleigh quotient of the exact 𝓛 applied to P·1_M)"),
                control: Control("2iωM, from [P, H] = −2ωP·M (M the total magnetization operator): 4ω at M = 2",
                                 Check(predicted: 2 * omega * Double(m2.m), measured: m2.im)),
                correctedForm: "𝓛[P·1_M] = 2iωM·P·1_M (M = ±1, …, ±N): the printed 2iω holds for M = +1 only (−2iω at M = −1). The M = ±1 coherences are the only ones with Tr[(S_j^x)² P·1_M] ≠ 0, so the (S^x)² frequency 2ω stands.")
            let sig3 = r3.signalFrequencies()
            let sx2 = StatementCheck(
                "sx2-single-frequency",
                statement: "⟨(S_j^x)²⟩ oscillates at late times at a single frequency (2ω): only ρ_{±1}^osc overlap with (S_j^x)² (N = 3)",
                check: Check(predicted: 1, measured: Double(sig3.count)),
                unit: "frequencies",
                tolerance: Tolerance(0.5, "A count of late-time frequencies with amplitude > 1e-10 on some site (exact modal sum; amplitudes of absent frequencies are ≤ 1e-15)."),
                control: Control("one frequency 2ωM per |M| = 1…N, as if every P·1_M overlapped with (S_j^x)²: \(r3.sites) frequencies",
                                 Check(predicted: Double(r3.sites), measured: Double(sig3.count))),
                scale: ScaleEvidence(variable: "N", sizes: rs.map { Double($0.sites) }, values: rs.map { Double($0.signalFrequencies().count) },
                                     extrapolations: [], paperLargest: 3,
                                     note: "N = 2 has three frequencies (ω, 2ω, 3ω; see findings); N ≥ 3: \(rs.filter { $0.sites >= 3 }.map { "N = \($0.sites): \($0.signalFrequencies().map { fmt($0, 4) }.joined(separator: ", "))" }.joined(separator: "; "))."))
            if let c = r3.components.first(where: { abs($0.omega - 2 * omega) < 1e-6 }) {
                let ph = c.amplitudes.map { Foundation.atan2($0.imaginary, $0.real) }
                findings.append("N = 3: the single frequency is ω = \(fmt(c.omega, 10)) = 2ω; phases on the three sites \(ph.map { fmt($0, 8) }.joined(separator: ", ")) (spread \(fmt(ph.max()! - ph.min()!, 2))): phase locked.")
            }
            let times = (0..<r3.traces[0].count).map { 40 * Double($0) / Double(max(1, r3.traces[0].count - 1)) }
            let traceFigure = Figure(name: "sx2-dynamics", title: "⟨(S_j^x)²⟩(t), spin-1 chain N = 3",
                                     caption: "Exact modal evolution from a random pure state (Eq. (6), ω = 1, J = Δ = 0.5, γ = 2): after the transient all three sites oscillate at 2ω with identical phase.",
                                     plot: Plot(xLabel: "t", yLabel: "⟨(S_j^x)^2⟩", series: r3.traces.enumerated().map { j, y in
                                        PlotSeries(name: "site \(j + 1)", x: times, y: y, style: j == 0 ? .line : .dashed) }))
            return Evidence(
                checks: [main, coherence, sx2],
                method: "Split the Liouvillian of Eq. (6) into its strong-symmetry blocks B_{M,M′} (operators |a⟩⟨b| with total magnetization M, M′; column-stacking vec); count its null space by the SVD of every block (cut 1e-10·σ_max), classify decay-free modes (|Re λ| ≤ 1e-9‖𝓛‖_F) by zgeev of every block, apply 𝓛 (Eq. (1) directly) to the sector states 1_α = Π_α/D_α and to P·1_M, and propagate a random pure state exactly in the eigenbasis of the blocks with M − M′ ∈ {0, ±2} (the only ones (S_j^x)² sees) for ⟨(S_j^x)²⟩(t) and its late-time Fourier components.",
                parameters: ["model": "Eq. (6): ω = 1, J = 0.5, Δ = 0.5, γ = 2, L_j = √γ (S_j^z)², open chain",
                             "decayFreeThreshold": "|Re λ| ≤ 1e-9·max(1, ‖𝓛‖_F); zero mode if also |Im λ| ≤ same",
                             "headlines": "count and (S^x)² at the paper's N = 3; the coherence at M = 2 (smallest M where the printed and corrected eigenvalues differ)"],
                findings: findings,
                series: rs.map { r in
                    DataSeries(name: "N=\(r.sites) coherence Im lambda vs M", x: r.coherences.map { Double($0.m) }, y: r.coherences.map(\.im),
                               parameters: ["N": .int(r.sites)], xLabel: "M", yLabel: "Im λ")
                },
                figures: [traceFigure])
        })

    // MARK: 4. S(φ) of Eq. (8)

    static let husimiEq8 = Claim(
        id: "open-sync.husimi-eq8",
        paper: .openSync,
        reference: "Eqs. (7), (8), (2), (A1)–(A3), App. A, App. B; N = 3 spin-1 chain",
        statement: "For ρ = Σ_α c_α 1_α (N = 3), S(φ) = [(c₀₊ − c₀₋)/32]·Σ_{i<j} cos 2(φ_i − φ_j) (Eq. (8)), from the off-diagonal entries (c₀₊ − c₀₋)/2 of Eq. (7); S_d(φ′₁, φ′₂) = 2π S(φ′₁, φ′₂, 0); S of (A3) normalizes to unity (App. A).",
        comparison: .absolute,
        tiers: [
            .quick: ["grid": 8],
            .standard: ["grid": 12],
            .full: ["grid": 24],
        ],
        validate: { p in
            guard let n = p["grid"]?.int, n >= 5, n <= 48 else { throw ClaimError.invalidParameter("grid must be an integer in 5…48 (exact for degree-2 harmonics from 5)") }
        },
        run: { ctx in
            let n = try ctx.int("grid")
            let m = try HusimiEq8Measurement.measure(grid: n)
            let p3 = pow(Double.pi, 3)
            let mix = m.fit("mixture")
            let findings = [
                "Fits S = a + b·Σcos 2(φ_i − φ_j) on a \(n)³ grid: " + m.fits.map { "\($0.name): a = \(fmt($0.a, 10)), b = \(fmt($0.b, 6)), residual/|b| = \(fmt($0.residual, 2)), ⟨1,−1,0|ρ|−1,1,0⟩ = \(fmt($0.entry, 6))" }.joined(separator: "; ") + ".",
                "Eq. (7): the nonzero off-diagonal entries of a generic sector mixture are exactly the six printed (\(m.entriesInsideEq7) inside, \(m.entriesOutsideEq7) outside). Their value for unit-trace 1_α (App. B: 1_α = Π_α/D_α, Σc_α = 1) is c₀₊/8 − c₀₋/6 (1₀₊: \(fmt(m.fit("1_0+").entry, 6)) = 1/8; 1₀₋: \(fmt(m.fit("1_0-").entry, 6)) = −1/6), not (c₀₊ − c₀₋)/2.",
                "Weights: −b(1₀₋)/b(1₀₊) = \(fmt(m.weightRatio, 12)) = D₀₊/D₀₋ = 4/3 for unit-trace 1_α; for the projectors Π₀± it is \(fmt(m.weightRatioProjectors, 12)). The printed (c₀₊ − c₀₋) is the projector reading. The same weighting decides the switch between the (0,π) and π/3 maximizers (open-sync.sync-configurations, the type condition after Eq. (8)): one erratum, judged here once.",
                "Amplitude: b/(Eq. (7) entry) = \(fmt(m.amplitudeRatio, 8)) = 1/(16π³) = \(fmt(1 / (16 * p3), 8)) with S normalized as App. A states (∫S dφ = \(fmt(m.normalizedIntegral, 15))); printed (1/32)/(1/2) = 1/16. With (A3) as printed (no prefactor) the ratio would be 4/27 = \(fmt(4.0 / 27, 6)); the printed 1/16 corresponds to a per-site prefactor (2S+1)/4, i.e. S normalized to π³.",
                "Constant term a = (2π)⁻³ = \(fmt(pow(2 * Double.pi, -3), 10)) in every state (mixture: \(fmt(mix.a, 10))); Eq. (8) omits it (then S would not be a positive, normalized distribution).",
                "(A3) as printed integrates to \(fmt(m.literalIntegral, 6)) = (4π/3)³ over [0, 2π)³ for every unit-trace state; App. A's S = (2π)⁻³ for diagonal states needs the factor ∏_j (2S+1)/(4π) (the coherent-state measure), which the Husimi kernel includes.",
                "S_d(φ′₁, φ′₂) = 2π S(φ′₁, φ′₂, 0): max deviation on the grid \(fmt(m.sdRelation, 2)).",
            ]
            let maxResidual = m.fits.map(\.residual).max()!
            let printedHarmonics = HusimiEq8Measurement.harmonics(pairs: [(0, 1), (1, 2), (2, 0)])
            let nearestNeighbour = HusimiEq8Measurement.harmonics(pairs: [(0, 1), (1, 2)])
            let main = StatementCheck(
                statement: "S(φ) − const ∝ Σ_{i<j} cos 2(φ_i − φ_j) for a sector mixture (Eq. (8)): the six harmonics ±2(φ_i − φ_j) of all three pairs and no other (listed present minus unlisted present)",
                check: Check(predicted: 6, measured: Double(m.harmonicScore(printedHarmonics))),
                unit: "harmonics",
                tolerance: Tolerance(0.5, "A count of Fourier terms of the exact series (|c| > 1e-12·max; the three pairs carry equal coefficients, fit residual ≤ \(fmt(maxResidual, 1))·|b|); a different list differs by ≥ 1."),
                control: Control("the nearest-neighbour pairs (1,2), (2,3) of the open chain only (no 1–3 bond in Eq. (6)): \(m.harmonicScore(nearestNeighbour)) vs 4 listed",
                                 Check(predicted: 4, measured: Double(m.harmonicScore(nearestNeighbour))), distance: 2))
            let weights = StatementCheck(
                "weights",
                statement: "Eqs. (7)–(8) and the type condition after Eq. (8) weight c₀₊ and c₀₋ equally (coherent amplitude ∝ c₀₊ − c₀₋), with 1_α the unit-trace sector states of App. B",
                check: Check(predicted: 1, measured: m.weightRatio),
                tolerance: exactTolerance(abs(m.weightRatio - 4.0 / 3), what: "The ratio −b(1₀₋)/b(1₀₊)"),
                control: Control("c₀₊/D₀₊ − c₀₋/D₀₋ (D₀₊ = 4, D₀₋ = 3): ratio 4/3", Check(predicted: 4.0 / 3, measured: m.weightRatio)),
                correctedForm: "With unit-trace 1_α (App. B), the coherent amplitude is ∝ c₀₊/D₀₊ − c₀₋/D₀₋ = c₀₊/4 − c₀₋/3: Eq. (7)'s entries are c₀₊/8 − c₀₋/6, Eq. (8)'s coefficient (c₀₊/4 − c₀₋/3)/(32π³), and the (0,π)/π/3 switch is at c₀₊/4 = c₀₋/3. The printed c₀₊ − c₀₋ holds if 1_α denotes the unnormalized projector Π_α (then Σ_α c_α D_α = 1, not Σ_α c_α = 1).")
            let weightsAlt = StatementCheck(
                "weights-projectors",
                statement: "the same weighting with 1_α read as the unnormalized projectors Π_α",
                role: .alternativeReading,
                check: Check(predicted: 1, measured: m.weightRatioProjectors),
                tolerance: exactTolerance(abs(m.weightRatioProjectors - 1), what: "The ratio −b(Π₀₋)/b(Π₀₊)"),
                control: Control("c₀₊/D₀₊ − c₀₋/D₀₋: ratio 4/3", Check(predicted: 4.0 / 3, measured: m.weightRatioProjectors)))
            let amplitude = StatementCheck(
                "amplitude",
                statement: "Eq. (8)'s coefficient is 1/16 of Eq. (7)'s off-diagonal entry ((c₀₊ − c₀₋)/32 vs (c₀₊ − c₀₋)/2), S normalized as App. A states",
                check: Check(predicted: 1.0 / 16, measured: m.amplitudeRatio),
                tolerance: exactTolerance(abs(m.amplitudeRatio * 16 * p3 - 1) / 16, what: "The ratio b/entry"),
                control: Control("1/(16π³): the Husimi kernel with the per-site measure (2S+1)/(4π) that makes ∫S dφ = 1", Check(predicted: 1 / (16 * p3), measured: m.amplitudeRatio)),
                correctedForm: "b = (entry)/(16π³): S(φ) = (2π)⁻³ + [(c₀₊/4 − c₀₋/3)/(32π³)]·Σ_{i<j} cos 2(φ_i − φ_j) (unit-trace 1_α), i.e. (c₀₊ − c₀₋)/(32π³) in the projector reading; the printed 1/32 is π³ too large (it corresponds to a per-site prefactor (2S+1)/4).")
            let sd = StatementCheck(
                "sd-relation",
                statement: "S_d(φ′₁, φ′₂) = 2π S(φ′₁, φ′₂, 0) (text below Eq. (8))",
                check: Check(predicted: 0, measured: m.sdRelation),
                tolerance: exactTolerance(m.sdRelation, what: "S_d and S (exact Fourier series)"),
                control: Control("S_d = S(φ′₁, φ′₂, 0) without the 2π of the φ_N integral: deviation \(fmt((2 * Double.pi - 1) * pow(2 * Double.pi, -3), 3)) at least (the constant term)",
                                 Check(predicted: (2 * Double.pi - 1) * pow(2 * Double.pi, -3), measured: m.sdRelation)))
            let a3 = StatementCheck(
                "a3-normalization",
                statement: "S(φ) of (A3) as printed normalizes to unity, so that S = (2π)⁻³ for diagonal ρ (App. A)",
                check: Check(predicted: 1, measured: m.literalIntegral),
                tolerance: exactTolerance(abs(m.normalizedIntegral - 1), what: "∫S dφ (exact θ integrals, exact φ quadrature; with the factor it is 1 to \(fmt(abs(m.normalizedIntegral - 1), 1)))"),
                control: Control("(4π/(2S+1))^N = (4π/3)³: the integral of (A3) without the coherent-state measure (2S+1)/(4π) per site", Check(predicted: pow(4 * Double.pi / 3, 3), measured: m.literalIntegral)),
                correctedForm: "S(φ) = ∏_j [(2S+1)/(4π) ∫₀^π sin θ_j dθ_j] Q(φ, θ): without the factor, ∫S dφ = (4π/(2S+1))^N = (4π/3)³ ≈ 73.5 for N = 3 spin-1.")
            return Evidence(
                checks: [main, weights, weightsAlt, amplitude, sd, a3],
                method: "Form unit-trace sector states 1₀± = Π₀±/D₀± (App. B), the projectors Π₀± and a generic mixture Σ c_α 1_α (c_α ∝ α + 1); evaluate S(φ) of (A1)–(A3) as the exact Fourier series of the Husimi Q (closed-form θ weights, per-site measure (2S+1)/(4π)) on an n³ grid and least-squares fit S = a + b·Σ_{i<j} cos 2(φ_i − φ_j); read Eq. (7)'s entry ⟨1,−1,0|ρ|−1,1,0⟩ directly. The weighting of c₀₊ vs c₀₋ is the normalization-free ratio −b(1₀₋)/b(1₀₊); the amplitude is the 1_α-normalization-free ratio b/entry.",
                parameters: ["normalization": "S with ∏_j (2S+1)/(4π) (∫S dφ = 1, App. A); 1_α = Π_α/D_α (App. B)"],
                findings: findings,
                series: [DataSeries(name: "fitted b per state", x: m.fits.indices.map(Double.init), y: m.fits.map(\.b),
                                    parameters: ["states": .string(m.fits.map(\.name).joined(separator: ", "))], xLabel: "state index", yLabel: "b")])
        })

    // MARK: 5. maximizers of S_d

    static let syncConfigurations = Claim(
        id: "open-sync.sync-configurations",
        paper: .openSync,
        reference: "Text after Eq. (8), Fig. 2 (a, b, d, e) and caption",
        statement: "If c₀₊ > c₀₋, S_d is maximized at the (0,0,0) and (0,0,π) configurations (each cosine of Eq. (8) maximal); in the opposite case (printed a second time as 'c₀₋ < c₀₊') the cosines frustrate and S_d is maximized at (0,π/3,−π/3) and (0,2π/3,−2π/3).",
        comparison: .absolute,
        tiers: [
            .quick: ["grid": 60, "bisections": 45],
            .standard: ["grid": 120, "bisections": 50],
            .full: ["grid": 240, "bisections": 50],
        ],
        validate: { p in
            guard let n = p["grid"]?.int, n >= 12, n % 6 == 0, let b = p["bisections"]?.int, b >= 10, b <= 60 else {
                throw ClaimError.invalidParameter("grid ≥ 12 divisible by 6, bisections in 10…60")
            }
        },
        run: { ctx in
            let n = try ctx.int("grid"), steps = try ctx.int("bisections")
            let maxima = try SyncMaximaMeasurement.measure(grid: n)
            let boundary = try SyncBoundaryMeasurement.measure(bisections: steps)
            let third = Double.pi / 3
            func pts(_ p: [[Double]]) -> String { p.map { "(\(fmt($0[0] / third, 4)), \(fmt($0[1] / third, 4)))" }.joined(separator: ", ") }
            let model = Spin1Chain(sites: 3)
            let ones = model.sectorProjectors.map(maximallyMixedState)
            var figures: [Figure] = []
            for (name, x, file) in [("1₀₊ (c₀₊ = 1)", 1.0, "sd-map-zero-plus"), ("1₀₋ (c₀₋ = 1)", 0.0, "sd-map-zero-minus")] {
                let rho = Complex(x, 0) * ones[model.indexZeroPlus] + Complex(1 - x, 0) * ones[model.indexZeroMinus]
                let d = try SpinPhaseDistribution(rho: rho, spins: model.spins).relative
                let g = 48
                let axis = (0..<g).map { 2 * Double.pi * Double($0) / Double(g) }
                let gv = d.gridValues(g)
                figures.append(Figure(name: file, title: "S_d(φ′_1, φ′_2) − (2π)^{-2} for pure \(name)",
                                      caption: "Relative-angle distribution (Eq. (2)) for ρ = \(name), N = 3 spin-1 chain (Fig. 2a/d analogue).",
                                      heatMap: HeatMap(xLabel: "φ′_2", yLabel: "φ′_1", colorLabel: "S_d − (2π)^{-2}", x: axis, y: axis,
                                                       values: (0..<g).map { i in (0..<g).map { j in gv[i * g + j] - d.uniformLevel } })))
            }
            let findings = [
                "Pure 1₀₊: S_max = \(fmt(maxima.sMaxZeroPi, 6)); grid maxima (φ′₁, φ′₂) in units of π/3: \(pts(maxima.zeroPiPoints)); χ there: \(maxima.zeroPiMaxima.map { fmt($0, 6) }.joined(separator: ", ")) — the (0,0,0) and (0,0,π) configurations.",
                "Pure 1₀₋: S_max = \(fmt(maxima.sMaxPiThird, 6)); grid maxima: \(pts(maxima.piThirdPoints)); χ there: \(maxima.piThirdMaxima.map { fmt($0, 6) }.joined(separator: ", ")) — the (0,π/3,−π/3) and (0,2π/3,−2π/3) configurations.",
                "Type switch on ρ = x·1₀₊ + (1 − x)·1₀₋: the maximizers are of (0,π) type for x > \(fmt(boundary.boundary, 12)) and of π/3 type below; the coefficient of Eq. (8) (as corrected in open-sync.husimi-eq8) vanishes at c₀₊/4 = c₀₋/3, x = 4/7 = \(fmt(4.0 / 7, 12)). At x = 0.55 (c₀₊ > c₀₋) the maximizers are of \(boundary.typeAt055ZeroPi ? "(0,π)" : "π/3") type.",
                "The printed condition c₀₊ > c₀₋ (switch at x = 1/2) is the 1_α-normalization erratum of Eqs. (7)–(8): unit-trace 1_α weight c₀₊ and c₀₋ by 1/D₀₊ and 1/D₀₋. It is judged once, in open-sync.husimi-eq8 (check 'weights'); here the switch is tested against Eq. (8)'s corrected coefficient (a consistency check of that correction).",
                "The second case is printed 'If c₀₋ < c₀₊, however, a frustration … occurs', the same condition as the first case; the Fig. 2 caption ('(d) represents c₀₊ < c₀₋') fixes the order (check 'second-condition'). At c₀₊ = 1, c₀₋ = 0 (which satisfies the printed 'c₀₋ < c₀₊') the maximizers are of \(boundary.typeAtPurePlusZeroPi ? "(0,π)" : "π/3") type.",
                "In the random ensemble of Fig. 3 (open-sync.random-perturbations) c₀₊ > c₀₋ in every draw, yet about half the draws are of π/3 type: read literally, the printed condition would forbid π/3 synchronization in Fig. 3.",
                "The frustrated maxima are not the 120° state of a triangle of single angles: compared with (0, 2π/3, −2π/3) alone, six of the eight π/3-type maxima are \(fmt(maxima.piThirdDistanceFrom120Only, 6)) = π/3 away; the doubled angles in Eq. (8) make (0, π/3, −π/3) equivalent.",
            ]
            let printed = maxima.score(zeroPi: SyncMaximaMeasurement.printedZeroPi, piThird: SyncMaximaMeasurement.printedPiThird)
            let rival = maxima.score(zeroPi: SyncMaximaMeasurement.printedZeroPi, piThird: [SyncMaximaMeasurement.printedPiThird[1]])
            let main = StatementCheck(
                statement: "the maximizers of S_d are (0,0,0), (0,0,π) in one case and (0,π/3,−π/3), (0,2π/3,−2π/3) in the other (pure 1₀₊ and 1₀₋): listed configurations realized minus maximizer classes not listed",
                check: Check(predicted: 4, measured: Double(printed.realized - printed.unlisted)),
                unit: "configurations",
                tolerance: Tolerance(0.5, "A count of list entries: maxima are grid points of an exact Fourier series (grid divisible by 6, within 1e-12 of the maximum), matched to configurations up to permutations and shifts within 1e-9 (largest distance of a maximum from the printed list \(fmt(maxima.configurationDistance, 1))); a different list differs by ≥ 1."),
                control: Control("the 120° state (0, 2π/3, −2π/3) alone for the frustrated case (a triangle of single angles): \(rival.realized) listed realized, \(rival.unlisted) maximizer class unlisted",
                                 Check(predicted: 3, measured: Double(rival.realized - rival.unlisted)), distance: 1))
            let switchCheck = StatementCheck(
                "switch",
                statement: "the maximizer type switches where Eq. (8)'s coefficient changes sign (ρ = x·1₀₊ + (1 − x)·1₀₋; coefficient as corrected in husimi-eq8: x = 4/7)",
                role: .consistency,
                check: Check(predicted: 4.0 / 7, measured: boundary.boundary),
                tolerance: Tolerance(1e-9, "Bisection to 2^−\(steps) ≈ \(fmt(pow(2, -Double(steps)), 1)); the modulation of S_d ∝ |x − 4/7| stays resolvable down to ~1e-14."),
                control: Control("the printed condition c₀₊ = c₀₋ (x = 1/2), the erratum judged in husimi-eq8", Check(predicted: 0.5, measured: boundary.boundary)))
            let piThirdAtPurePlus = boundary.typeAtPurePlusZeroPi ? 0.0 : 1.0
            let second = StatementCheck(
                "second-condition",
                statement: "the frustrated π/3 maximizers occur 'if c₀₋ < c₀₊' (the second case as printed): type at c₀₊ = 1, c₀₋ = 0 (1 = π/3 type)",
                check: Check(predicted: 1, measured: piThirdAtPurePlus),
                unit: "type",
                tolerance: Tolerance(0.5, "The maximizer type is binary (0: (0,π), 1: π/3); at c₀₊ = 1, c₀₋ = 0 both normalizations of 1_α agree, so this cell isolates the printed inequality from the 1_α-normalization erratum."),
                control: Control("the Fig. 2 caption's order c₀₊ < c₀₋ for the π/3 case: (0,π) type at c₀₊ = 1", Check(predicted: 0, measured: piThirdAtPurePlus)),
                correctedForm: "π/3-type maximizers if c₀₊ < c₀₋ (the Fig. 2 caption; c₀₊/4 < c₀₋/3 for unit-trace 1_α, see open-sync.husimi-eq8): the printed 'c₀₋ < c₀₊' repeats the condition of the first case.")
            return Evidence(
                checks: [main, second, switchCheck],
                method: "For pure 1₀₊ and 1₀₋ (N = 3), compute S_d of Eq. (2) exactly (Fourier series of the Husimi Q), take the grid points within 1e-12 of its maximum (n × n grid, n divisible by 6) and their distance from the printed configurations up to permutations and global shifts. For ρ = x·1₀₊ + (1 − x)·1₀₋, bisect on x for the switch of the maximizer type ((0,π) type: maximum on the π/6 grid at φ′ ∈ {0, π}²).",
                parameters: ["family": "ρ = x·1₀₊ + (1 − x)·1₀₋ (N = 3); 1_α = Π_α/D_α"],
                findings: findings,
                series: [DataSeries(name: "type boundary c0+", x: [0], y: [boundary.boundary], xLabel: "index", yLabel: "c₀₊ at the switch")],
                figures: figures)
        })
}
