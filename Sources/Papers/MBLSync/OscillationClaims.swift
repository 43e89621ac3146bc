import Foundation
import Kernels
import Linalg
import Verification

extension MBLSync {
    /// One realization of the single-particle measurement at Δ = 0 (the typed measurement), per
    /// left site j: time-averaged weights p_j + p_j̄ and p_j̄ of a particle started at j, ln of the
    /// largest-peak and the median frequency of S_j(ω) over the pair splitting, and whether they
    /// equal it (rel. 1e-6); `resolved`: the splitting is above the resolution 1000 ε (W + 1).
    struct SingleParticleSample: Codable, Sendable, Equatable {
        var fields: [Double], pair: [Double], mirror: [Double], lnPeak: [Double], lnMedian: [Double]
        var hit: [Bool], medHit: [Bool], resolved: [Bool]

        static func measure(leftFields hl: [Double], disorder w: Double) throws -> SingleParticleSample {
            let n = hl.count, l = 2 * n
            let res = frequencyResolution(spectralRadius: w + 1)
            let orb = try MirrorOrbitals(leftFields: hl)
            let u = orb.orbitals
            var out = SingleParticleSample(fields: hl, pair: [], mirror: [], lnPeak: [], lnMedian: [], hit: [], medHit: [], resolved: [])
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
                out.mirror.append(pjb)
                out.resolved.append(split > res)
                out.lnPeak.append(Foundation.log(peak / split))
                out.lnMedian.append(med > 0 ? Foundation.log(med / split) : -.infinity)
                out.hit.append(abs(peak / split - 1) < 1e-6)
                out.medHit.append(abs(med / split - 1) < 1e-6)
            }
            return out
        }
    }

    /// One realization of Fig. 1(b) (the typed measurement): two particles at sites 1, 2 of the
    /// L-site chain, median frequencies of spins 1 and 2 at Δ = 0 (`f0`) and at Δ (`f1`), and
    /// the resolution of the two spectra.
    struct TwoParticleSample: Codable, Sendable, Equatable {
        var fields: [Double], f0: [Double], f1: [Double], res: Double

        static func measure(leftFields hl: [Double], delta d2: Double) throws -> TwoParticleSample {
            let chain2 = MirrorXXZChain(sites: 2 * hl.count, particles: 2)
            let st2 = chain2.basis.index(of: SpinHalfBasis.state(up: [0, 1]))!
            let h = MirrorXXZChain.mirrorFields(left: hl)
            let s0 = try chain2.diagonalize(fields: h, delta: 0)
            let s1 = try chain2.diagonalize(fields: h, delta: d2)
            let f0 = try chain2.medianFrequencies(s0, state: st2, sites: [0, 1]).map(\.median)
            let f1 = try chain2.medianFrequencies(s1, state: st2, sites: [0, 1]).map(\.median)
            return TwoParticleSample(fields: hl, f0: f0, f1: f1, res: frequencyResolution(spectralRadius: max(s0.spectralRadius, s1.spectralRadius)))
        }
    }

    /// A realization of single-particle-oscillation: set "fields" or set "two-particle".
    enum OscillationSample: Codable, Sendable, Equatable {
        case single(SingleParticleSample)
        case twoParticle(TwoParticleSample)
    }

    // MARK: 1. single-particle oscillation (Eqs. (3)–(4), Fig. 1(a))

    static let singleParticleOscillation = Claim(
        id: "mbl-sync.single-particle-oscillation",
        paper: .mblSync,
        reference: "Eqs. (3)–(4), Fig. 1(a)",
        statement: "A particle started at site j oscillates between j and its mirror j̄ (Eq. (4)): at W = 8, L = 6 its time-averaged weight on j̄ is ½, and it oscillates at the splitting of its symmetric/antisymmetric orbital pair (Eq. (3)); Fig. 1(b): with Δ = 0.01 two particles oscillate together at ω_1ω_2/Δ.",
        comparison: .absolute,
        tiers: [
            .quick: ["sites": 6, "disorder": 8.0, "realizations": 200, "twoParticleRealizations": 200, "twoParticleDelta": 0.01, "bootstrap": 200],
            .standard: ["sites": 6, "disorder": 8.0, "realizations": 2000, "twoParticleRealizations": 2000, "twoParticleDelta": 0.01, "bootstrap": 400],
            .full: ["sites": 6, "disorder": 8.0, "realizations": 100_000, "twoParticleRealizations": 20_000, "twoParticleDelta": 0.01, "bootstrap": 400],
        ],
        validate: { p in
            let l = try requireInt(p, "sites", 4...64, even: true)
            try requirePositive(p, "disorder")
            let count = try requireInt(p, "realizations", 20...10_000_000)
            try requireInt(p, "twoParticleRealizations", 1...10_000_000)
            try requirePositive(p, "twoParticleDelta")
            try requireInt(p, "bootstrap", 2...100_000)
            try MemoryBudget.requireDense(dimension: Double(l) * Double(l - 1) / 2, matrices: 3,
                                          parallel: min(count, ProcessInfo.processInfo.activeProcessorCount), for: "two-particle sector of L = \(l)")
        },
        plan: { ctx in
            let settings: [String: JSONValue] = ["sites": .int(try ctx.int("sites")), "disorder": .number(try ctx.double("disorder"))]
            return [RealizationSet(label: "fields", count: try ctx.int("realizations"), settings: settings),
                    RealizationSet(label: "two-particle", count: try ctx.int("twoParticleRealizations"), settings: settings)]
        },
        realization: { ctx, set, _, rng -> OscillationSample in
            let l = try set.int("sites"), w = try set.double("disorder")
            let hl = leftFields(l / 2, disorder: w, &rng)
            if set.label == "two-particle" {
                return .twoParticle(try TwoParticleSample.measure(leftFields: hl, delta: try ctx.double("twoParticleDelta")))
            }
            return .single(try SingleParticleSample.measure(leftFields: hl, disorder: w))
        },
        analyze: { ctx, results in
            let l = try ctx.int("sites"), w = try ctx.double("disorder"), count = try ctx.int("realizations")
            let n = l / 2
            let res = frequencyResolution(spectralRadius: w + 1)
            let rs: [SingleParticleSample] = results["fields"].compactMap { if case let .single(x) = $0 { return x } else { return nil } }
            let two: [TwoParticleSample] = results["two-particle"].compactMap { if case let .twoParticle(x) = $0 { return x } else { return nil } }
            guard rs.count == count else { throw ClaimError.nonFinite("realization set 'fields' holds a two-particle sample") }
            var hits = [Int](), totals = [Int](), medHits = [Int]()
            var pairByJ = [[Double]](repeating: [], count: n)
            var unresolved = 0
            for r in rs {
                var h = 0, t = 0, m = 0
                for j in 0..<n {
                    pairByJ[j].append(r.pair[j])
                    guard r.resolved[j] else { unresolved += 1; continue }
                    t += 1; if r.hit[j] { h += 1 }; if r.medHit[j] { m += 1 }
                }
                hits.append(h); totals.append(t); medHits.append(m)
            }
            guard totals.reduce(0, +) > 0 else { throw ClaimError.belowResolution("every pair splitting is below \(res)") }
            let (f, fe) = clusteredFraction(hits: hits, totals: totals)
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
            let inRegime = two.filter { $0.f0.max()! < d2 && $0.f0.min()! > $0.res && $0.f1.min()! > $0.res }
            if !inRegime.isEmpty {
                let lr = inRegime.map { Foundation.log($0.f1[0] / ($0.f0[0] * $0.f0[1] / d2)) }.sorted()
                let same = inRegime.filter { abs(Foundation.log($0.f1[0] / $0.f1[1])) < 1e-6 }.count
                findings.append("Fig. 1(b): two particles at sites 1, 2, Δ = \(formatNumber(d2)), \(inRegime.count) of \(twoCount) realizations with ω_1(0), ω_2(0) < Δ: ln(ω/(ω_1ω_2/Δ)) median \(formatNumber(quantile(sortedValues: lr, 0.5), digits: 3)), 5–95% \(formatNumber(quantile(sortedValues: lr, 0.05), digits: 2)) … \(formatNumber(quantile(sortedValues: lr, 0.95), digits: 2)); the two spins share one frequency (rel. 1e-6) in \(same) of them.")
            }
            var data = [String: JSONValue]()
            data["fields"] = drawsRecord(rs.map(\.fields))
            data["twoParticleFields"] = drawsRecord(two.map(\.fields))
            let edges = (0...20).map { 0.0 + Double($0) / 20 }
            let hist = Histogram(allPairs, edges: edges)
            // Checks. Tolerance of the frequency checks: half the separation of the two frequency
            // readings (splitting vs half splitting, ln 2), so a pass selects one reading.
            let nb = try ctx.int("bootstrap")
            let halfLn2 = Foundation.log(2.0) / 2
            let readingTol = "ln √2 = 0.35: half the separation (ln 2) between the two frequency readings (ω = the level splitting, as S_j(ω) of Eq. (12) measures it, or half of it, Eq. (3)'s E ± ω), so a pass selects one reading; Eq. (4) is a first-order statement, finer agreement is not claimed."
            var bRng = ctx.stream(0, label: "bootstrap")
            let mirror = clusteredMedian(rs.map { r in (0..<n).map { r.mirror[$0] } }, resamples: nb, rng: &bRng)
            let medRead = clusteredMedian(rs.map { r in (0..<n).filter { r.resolved[$0] }.map { r.lnMedian[$0] } }, resamples: nb, rng: &bRng)
            let peakRead = clusteredMedian(rs.map { r in (0..<n).filter { r.resolved[$0] }.map { r.lnPeak[$0] } }, resamples: nb, rng: &bRng)
            var checks = [StatementCheck(
                statement: "a particle started at j oscillates between j and j̄ (Eq. (4)): time-averaged weight on j̄ = ½ (median over realizations and j)",
                check: Check(predicted: 0.5, measured: mirror.median, uncertainty: mirror.error),
                tolerance: Tolerance(0.05, "Eq. (4) drops the weight of the other orbitals, O(e^{−2/ξ}) at W = 8; the measured median pair weight falls short of 1 by 0.04 (prototype), i.e. 0.02 on j̄; 0.05 is 2.5× that."),
                control: Control("no mirror tunnelling: the particle stays at j as in the Anderson-localized half chain (weight on j̄ = 0)",
                                 Check(predicted: 0, measured: mirror.median, uncertainty: mirror.error)),
                regressionTolerance: 1e-9),
                StatementCheck(
                "frequency-median",
                statement: "the oscillation frequency of site j is the splitting of its orbital pair (Eqs. (3)–(4); frequency = median of S_j(ω), the paper's definition in Fig. 3)",
                check: Check(predicted: 0, measured: medRead.median, uncertainty: medRead.error),
                tolerance: Tolerance(halfLn2, readingTol),
                control: Control("frequency = half the splitting (ω_i of Eq. (3) read as the oscillation frequency of |c_k|²)",
                                 Check(predicted: -Foundation.log(2.0), measured: medRead.median, uncertainty: medRead.error)),
                regressionTolerance: 1e-9),
                StatementCheck(
                "frequency-largest-peak",
                statement: "the same statement with the frequency read as the largest peak of S_j(ω) (not the paper's definition)",
                role: .alternativeReading,
                check: Check(predicted: 0, measured: peakRead.median, uncertainty: peakRead.error),
                tolerance: Tolerance(halfLn2, readingTol),
                control: Control("frequency = half the splitting",
                                 Check(predicted: -Foundation.log(2.0), measured: peakRead.median, uncertainty: peakRead.error)),
                regressionTolerance: 1e-9)]
            if inRegime.count >= 5 {
                let lr = inRegime.map { [Foundation.log($0.f1[0] / ($0.f0[0] * $0.f0[1] / d2))] }
                var tRng = ctx.stream(0, label: "bootstrap-two-particle")
                let two = clusteredMedian(lr, resamples: nb, rng: &tRng)
                checks.append(StatementCheck(
                    "fig1b-two-particle",
                    statement: "Fig. 1(b): at Δ = \(formatNumber(d2)) two particles (sites 1, 2) oscillate together at ω_1ω_2/Δ (median ln(ω/(ω_1ω_2/Δ)) over realizations with ω_1, ω_2 < Δ)",
                    check: Check(predicted: 0, measured: two.median, uncertainty: two.error),
                    tolerance: Tolerance(halfLn2, readingTol),
                    control: Control("ω = half the splitting in ω_1ω_2/Δ (a factor ½ in splitting units)",
                                     Check(predicted: -Foundation.log(2.0), measured: two.median, uncertainty: two.error)),
                    // measured: 2.3e-9 relative drift between BLAS kernel sets/drivers (standard); 10× that
                    regressionTolerance: 3e-8))
            }
            return Evidence(
                checks: checks,
                method: "Δ = 0: exact symmetric/antisymmetric orbitals from the two L/2-site parity blocks (hopping ½, fields h_j and h_j̄ = h_j, dstevr). A particle at site j: time-averaged occupation p_k = Σ_m U_km² U_jm²; S_j(ω) from the free-fermion weights of s_j⟨σ^z_j(t)⟩; the oscillation frequency is the median of S_j(ω) (the paper's definition, Fig. 3), the largest peak as the alternative reading. Pair = the even and the odd orbital each with the largest weight on j. Headline: median over (realization, j) of the time-averaged weight on j̄; frequency checks: median ln(frequency/pair splitting); bootstrap errors over realizations. Fig. 1(b): L = 6 sector ED with two particles at sites 1, 2.",
                parameters: [:], findings: findings,
                series: [DataSeries(name: "weight on {j, j̄} histogram", x: hist.centres, y: hist.density)],
                figures: [Figure(name: "pair-weight", title: "Time-averaged weight on {j, j̄} (W = \(formatNumber(w)), L = \(l))",
                                 caption: "Distribution of p_j + p_j̄ over realizations and j: concentrated near 1 with a resonance tail.",
                                 plot: Plot(xLabel: "p_j + p_j̄", yLabel: "density",
                                            series: [PlotSeries(name: "ED (free fermions)", x: hist.centres, y: hist.density, yError: hist.densityError, style: .points)]))],
                extra: data.merging(["pairWeightMedian": .number(pairMedian), "medianEqualsSplittingFraction": .number(fm)]) { a, _ in a })
        })

    /// One realization of the Δ = 0 frequency measurement (the typed measurement): ln of the
    /// splitting ω_j(0) = |ε₊ − ε₋| of the orbital pair of each left site (exact parity-block
    /// orbitals, hopping ½); splittings below the resolution are censored to −∞.
    struct PairSplittings: Codable, Sendable, Equatable {
        var fields: [Double]
        var lnOmega: [Double]

        /// `disorder` W sets the resolution guard 1000 ε (W + 1) (the single-particle band edge).
        static func measure(leftFields hl: [Double], disorder w: Double) throws -> PairSplittings {
            let res = frequencyResolution(spectralRadius: w + 1)
            let orb = try MirrorOrbitals(leftFields: hl)
            return PairSplittings(fields: hl, lnOmega: hl.indices.map { j in
                let s = orb.pairSplitting(site: j); return s > res ? Foundation.log(s) : -.infinity })
        }
    }

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
        validate: { p in
            let l = try requireInt(p, "sites", 10...4000, even: true)
            try requirePositive(p, "disorder")
            try requireInt(p, "realizations", 50...10_000_000)
            try requireInt(p, "tmSteps", 1000...1_000_000_000)
            let a = try requireInt(p, "fitMin", 0...l), b = try requireInt(p, "fitMax", 0...l)
            guard b - a >= 4 else { throw ClaimError.invalidParameter("need fitMax − fitMin ≥ 4 (at least three sites in the fit)") }
            try requireInt(p, "bootstrap", 2...100_000)
        },
        plan: { ctx in
            let l = try ctx.int("sites"), count = try ctx.int("realizations"), w = try ctx.double("disorder")
            // the headline size and the paper's L = 10 (one set when they coincide)
            return Array(Set([l, 10])).sorted(by: >).map {
                RealizationSet(label: "L\($0)", count: count, settings: ["sites": .int($0), "disorder": .number(w)])
            }
        },
        realization: { _, set, _, rng in
            let w = try set.double("disorder")
            return try PairSplittings.measure(leftFields: leftFields(try set.int("sites") / 2, disorder: w, &rng), disorder: w)
        },
        analyze: { ctx, results in
            let l = try ctx.int("sites"), w = try ctx.double("disorder"), count = try ctx.int("realizations")
            let steps = try ctx.int("tmSteps"), x0 = try ctx.int("fitMin"), x1 = try ctx.int("fitMax"), nb = try ctx.int("bootstrap")
            let res = frequencyResolution(spectralRadius: w + 1)
            var tmRng = ctx.stream(0, label: "transfer-matrix")
            let loc = try AndersonLocalization(boxDisorder: w, hopping: hopping, steps: steps, rng: &tmRng)
            let main = results["L\(l)"].map { (fields: $0.fields, lnOmega: $0.lnOmega) }
            let small = results["L10"].map { (fields: $0.fields, lnOmega: $0.lnOmega) }
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
            var data = [String: JSONValue]()
            data["fields"] = drawsRecord(main.map(\.fields))
            data["fieldsL10"] = drawsRecord(small.map(\.fields))
            let fitLine = window.map { xs[$0] }
            let a = (try? linearFit(x: window.map { xs[$0] }, y: window.map { med[$0] }))
            // The printed ξ = 0.725 (Fig. 4 caption, L = 10, W = 4) against every defensible slope
            // estimate: the bulk window at L = \(l) (headline, fixed before the run: the statement is
            // about the decay away from the centre), the bulk at L = 10, and the end-to-end fit at
            // L = 10 over all five spins (the paper's Fig. 4 inset runs over j = 1…5).
            let xiPaper = 0.725
            let estimates = [Estimate("L = \(l), \(x0) ≤ L − 2j ≤ \(x1) (headline)", s, uncertainty: se),
                             Estimate("L = 10, 2 ≤ L − 2j ≤ 8 (bulk)", s10bulk),
                             Estimate("L = 10, 0 ≤ L − 2j ≤ 8 (end to end, centre bond included)", s10all)]
            let syst = estimates.map { abs($0.value - s) }.max() ?? 0
            let printedCheck = StatementCheck(
                statement: "ω_j(0) ~ e^{−(L−2j)/ξ} with ξ = 0.725 at W = 4 (slope of median ln ω_j(0) in L − 2j = −1/0.725)",
                comparison: .relative,
                check: Check(predicted: -1 / xiPaper, measured: s, uncertainty: se, systematic: syst),
                tolerance: Tolerance(0.04, "Twice the measured bulk spread of the slope (L = 10 vs \(l), fit window: ≤ 2%); the estimator spread including the centre bond (end-to-end fit) enters as the systematic."),
                control: Control("band-centre localization length ξ(E = 0) = 1/γ(0) = \(formatNumber(1 / g0, digits: 3)) (the other common definition of 'the' localization length)",
                                 Check(predicted: -g0, measured: s, uncertainty: se, systematic: syst)),
                estimates: estimates,
                regressionTolerance: 1e-9)
            let dosCheck = StatementCheck(
                "transfer-matrix-xi",
                statement: "the decay length is the non-interacting localization length (our transfer-matrix ξ_DOS = \(formatNumber(1 / gbar, digits: 3)), this project's evaluation)",
                role: .consistency, comparison: .relative,
                check: Check(predicted: -gbar, measured: s, uncertainty: sigma),
                tolerance: Tolerance(0.04, "Measured systematic spread of the slope (median vs DOS-mean estimator, L = 10 vs 20, fit window) is ≤ 2% in the prototype; 4% is twice that. Statistics enter through the 2σ rule."),
                control: Control("band-centre localization length ξ(E = 0) = 1/γ(0) = \(formatNumber(1 / g0, digits: 3)) in place of the DOS average",
                                 Check(predicted: -g0, measured: s, uncertainty: sigma)),
                regressionTolerance: 1e-9)
            return Evidence(
                checks: [printedCheck, dosCheck],
                method: "Δ = 0 splittings ω_j(0) = |ε₊ − ε₋| of the orbital pair of each left site, from exact parity-block orbitals (dstevr, L/2 sites each, hopping ½). Typical (median over realizations) ln ω_j fitted linearly in L − 2j over the bulk window; bootstrap error over realizations. Prediction −1/ξ from the transfer-matrix Lyapunov exponent γ(E) of the same single-particle problem (hopping ½, box [−W, W]), averaged over the density of states (an orbital at j has energy ≈ h_j spread over the band).",
                parameters: [:], findings: findings,
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
                extra: data.merging(["xiDOS": .number(1 / gbar), "xiBandCentre": .number(1 / g0), "xiFit": .number(-1 / s),
                        "xiEndToEndL10": .number(-1 / s10all), "xiPaper": .number(0.725)]) { a, _ in a })
        })
}
