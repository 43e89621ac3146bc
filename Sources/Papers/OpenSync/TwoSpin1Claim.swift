import Foundation
import Kernels
import Linalg
import Numerics
import Verification

extension OpenSync {
    // MARK: 8. two weakly coupled spin-1 oscillators (App. E)

    /// Directions (ε, Δ₁, Δ₂, γ₁^d, γ₂^g)/t of the coupling scan: every printed coupling nonzero.
    /// The first is the headline cell (all five equal: no coupling singled out).
    static let couplingDirections: [[Double]] = {
        var out: [[Double]] = [[1, 1, 1, 1, 1]]
        for eps in [1.0, 2.0] {
            for det in [[1.0, -1.0], [1.0, 2.0], [2.0, 1.0]] {
                for gam in [[1.0, 1.0], [1.0, 0.5], [0.5, 1.0]] {
                    let d = [eps] + det + gam
                    if d != out[0] { out.append(d) }
                }
            }
        }
        return out
    }()

    static let twoSpin1Oscillators = Claim(
        id: "open-sync.two-spin1-oscillators",
        paper: .openSync,
        reference: "App. E, Eqs. (E1)–(E4); Eqs. (4), (5); Ref. [33]",
        statement: "The decoupled two spin-1 model (E1) has single-spin coherences oscillating at iω (E3) and, besides its product steady states, the zero modes |0,0⟩⟨1,−1| and its conjugate (E4); with small nonzero ε, Δ₁, Δ₂, γ₁^d, γ₂^g of (E2) the steady state is unique, of the form of Eq. (5), and these entries give S_max > 0 (the paper gives no coupling values).",
        comparison: .absolute,
        tiers: [
            .quick: ["strengths": [1e-2, 1e-3, 1e-4], "grid": 360],
            .standard: ["strengths": [1e-1, 1e-2, 1e-3, 1e-4, 1e-5], "grid": 360],
            .full: ["strengths": [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6], "grid": 720],
        ],
        validate: { p in
            guard let ts = p["strengths"]?.doubles, ts.count >= 3, ts == ts.sorted(by: >), ts.last! > 0, ts.first! <= 0.1,
                  let g = p["grid"]?.int, g >= 12, g % 4 == 0 else {
                throw ClaimError.invalidParameter("need ≥ 3 descending positive strengths ≤ 0.1 (the weak regime ε, Δ, γ ≪ ω, γ₁^g, γ₂^d) and a grid divisible by 4")
            }
        },
        run: { ctx in
            let ts = try ctx.doubles("strengths"), n = try ctx.int("grid")
            let model = TwoSpin1Oscillators()
            let dec = try DecoupledSpin1Measurement.measure(model)
            let dirs = couplingDirections
            let cells = try dirs.map { d in try ts.map { t in try CouplingCell.measure(model, direction: d, t: t, grid: n) } }
            let limits = try dirs.map { try Eq5Limit.measure(model, direction: $0, grid: n) }
            let noEps = try CouplingCell.measure(model, direction: [0, 1, 1, 1, 1], t: ts[1], grid: n)
            let head = cells[0], headLimit = limits[0]
            let weakest = cells.map { $0.last! }
            let floor = 1e-8
            let positive = weakest.filter { $0.sMax > floor }.count
            let last = head[head.count - 1], prev = head[head.count - 2], prev2 = head[head.count - 3]
            // Richardson (linear in t) from the two weakest strengths, and from the next pair (its systematic)
            func richardson(_ a: CouplingCell, _ b: CouplingCell) -> Double { b.sMax + (b.sMax - a.sMax) * b.t / (a.t - b.t) }
            let extrapolated = richardson(prev, last), extrapolatedCoarse = richardson(prev2, prev)
            var findings = [
                "Decoupled (E1): dim ker 𝓛₀ = \(dec.kernelDimension) (SVD; largest 'zero' σ \(fmt(dec.largestZeroSingularValue, 2)), smallest nonzero \(fmt(dec.smallestNonzeroSingularValue, 3))) = 4 product steady states (|0⟩⟨0|, |1⟩⟨1| on spin 1 ⊗ |0⟩⟨0|, |−1⟩⟨−1| on spin 2) + |0,0⟩⟨1,−1| + its conjugate; oscillation frequencies \(dec.frequencies.sorted().map { fmt($0, 4) }.joined(separator: ", ")); slowest decaying Re λ = \(fmt(dec.slowestDecay, 4)).",
                "(E4): max|𝓛₀[|0,0⟩⟨1,−1|]|, max|𝓛₀[|1,−1⟩⟨0,0|]| = \(fmt(dec.e4Residual, 2)) — exact zero modes.",
                "(E3): 𝓛₁[|0⟩⟨1|] = (\(fmt(dec.e3Decay[0], 2)) + \(fmt(dec.e3Frequencies[0], 8))i)|0⟩⟨1|, 𝓛₂[|−1⟩⟨0|] = (\(fmt(dec.e3Decay[1], 2)) + \(fmt(dec.e3Frequencies[1], 8))i)|−1⟩⟨0| (paper: +iω for both ✓).",
                "Coupling scan (the paper gives no values; ω = γ₁^g = γ₂^d = 1): \(dirs.count) directions (ε, Δ₁, Δ₂, γ₁^d, γ₂^g)/t with every coupling nonzero, t = \(ts.map { fmt($0, 1) }.joined(separator: ", ")). Headline cell by the rule fixed before the run: all five equal (no coupling singled out), at the weakest t.",
            ]
            for (d, row) in zip(dirs, cells) {
                let w = row.last!
                findings.append("(ε, Δ₁, Δ₂, γ₁^d, γ₂^g)/t = (\(d.map { fmt($0, 2) }.joined(separator: ", "))): S_max(t) = \(row.map { fmt($0.sMax, 5) }.joined(separator: ", ")); at t = \(fmt(w.t, 1)): \(w.zeroModes) zero mode(s), second |λ| = \(fmt(w.second, 3)), |⟨0,0|ρ|1,−1⟩| = \(fmt(w.coherence, 4)), S_max without that entry \(fmt(w.sMaxWithoutCoherence, 2)), min eigenvalue of ρ \(fmt(w.minEigenvalue, 2)); Eq. (5) limit S_max = \(fmt(limits[dirs.firstIndex(of: d)!].sMax, 6)).")
            }
            findings.append("S_max > \(fmt(floor, 1)) in \(positive)/\(dirs.count) cells at the weakest t; removing the (E4) entries ⟨0,0|ρ|1,−1⟩ and its conjugate leaves S_max ≤ \(fmt(weakest.map(\.sMaxWithoutCoherence).max()!, 2)): these entries carry the synchronization, as App. E argues.")
            findings.append("ε = 0 (no coherent coupling, other couplings t = \(fmt(ts[1], 1))): S_max = \(fmt(noEps.sMax, 2)) — phase covariant, no synchronization: the printed 'nonzero ε' is necessary.")
            let main = StatementCheck(
                "smax-positive",
                statement: "small nonzero couplings (E2) give S_max > 0: fraction of the \(dirs.count) scan cells with S_max > \(fmt(floor, 1)) at t = \(fmt(ts.last!, 1))",
                check: Check(predicted: 1, measured: Double(positive) / Double(dirs.count)),
                tolerance: Tolerance(0.5 / Double(dirs.count), "A fraction of \(dirs.count) cells is resolved to 1/\(dirs.count); half of it decides equality. The floor \(fmt(floor, 1)) is 10⁶× the solve's round-off and 10⁻⁴ of the smallest S_max found."),
                control: Control("Eq. (5) without the oscillating-coherence term (c_{λ=0} = 0: product steady states only, S_max = 0 in every cell)",
                                 Check(predicted: 0, measured: Double(positive) / Double(dirs.count))))
            let zeroModes = StatementCheck(
                statement: "the zero modes of (E1) are the product steady states plus |0,0⟩⟨1,−1| and its conjugate (E4): dim ker 𝓛₀ = 4 + 2",
                check: Check(predicted: 6, measured: Double(dec.kernelDimension)),
                unit: "modes",
                tolerance: Tolerance(0.5, "A count (SVD rank, gap \(fmt(dec.smallestNonzeroSingularValue / max(dec.largestZeroSingularValue, 1e-300), 2))×); any other count differs by ≥ 1."),
                control: Control("the product steady states alone (no zero-frequency oscillating coherence): 4", Check(predicted: 4, measured: Double(dec.kernelDimension))))
            let e3 = StatementCheck(
                "e3-frequency",
                statement: "(E3): 𝓛₂[|−1⟩⟨0|] = iω|−1⟩⟨0| (the same sense of rotation as 𝓛₁[|0⟩⟨1|] = iω|0⟩⟨1|)",
                check: Check(predicted: model.omega, measured: dec.e3Frequencies[1]),
                tolerance: exactTolerance(abs(dec.e3Frequencies[0] - model.omega), what: "The single-spin eigenvalue"),
                control: Control("−iω (the opposite sense, for which ρ₁^osc ⊗ (ρ₂^osc)† would oscillate at 2ω instead of being a zero mode)",
                                 Check(predicted: -model.omega, measured: dec.e3Frequencies[1])))
            let unique = StatementCheck(
                "unique",
                statement: "with the couplings the steady state is unique (Eq. (5)): zero modes at the headline cell, t = \(fmt(last.t, 1))",
                check: Check(predicted: 1, measured: Double(last.zeroModes)),
                unit: "modes",
                tolerance: Tolerance(0.5, "A count of |λ| ≤ 1e-9·‖𝓛‖ (zgeev); the second |λ| = \(fmt(last.second, 3)) ≈ t sits ≥ 10³× above the cut."),
                control: Control("the (E4) pair surviving as zero modes next to the steady state: 3", Check(predicted: 3, measured: Double(last.zeroModes))))
            let eq5 = StatementCheck(
                "eq5-limit",
                statement: "S_max at the headline cell extrapolates (t → 0) to its Eq. (5) value (the leading-order steady state from our degenerate perturbation theory on ker 𝓛₀)",
                role: .consistency,
                comparison: .relative,
                check: Check(predicted: headLimit.sMax, measured: extrapolated, systematic: abs(extrapolated - extrapolatedCoarse)),
                tolerance: Tolerance(1e-4, "S_max(t) is linear in t at weak coupling; the Richardson extrapolation from t = \(fmt(prev.t, 1)), \(fmt(last.t, 1)) differs from the one from the next pair by \(fmt(abs(extrapolated - extrapolatedCoarse) / headLimit.sMax, 2)) relative (its systematic); the raw S_max at t = \(fmt(last.t, 1)) is \(fmt(abs(last.sMax / headLimit.sMax - 1), 2)) off."),
                control: Control("Eq. (5) without the coherence term: S_max = 0", Check(predicted: 0, measured: extrapolated, systematic: abs(extrapolated - extrapolatedCoarse))),
                estimates: [Estimate("Richardson from t = \(fmt(prev.t, 1)), \(fmt(last.t, 1))", extrapolated),
                            Estimate("Richardson from t = \(fmt(prev2.t, 1)), \(fmt(prev.t, 1))", extrapolatedCoarse)],
                scale: ScaleEvidence(variable: "t", sizes: head.map(\.t), values: head.map(\.sMax),
                                     extrapolations: [Estimate("Richardson (linear in t), two weakest t", extrapolated),
                                                      Estimate("Richardson (linear in t), next pair", extrapolatedCoarse)],
                                     paperLargest: nil, note: "t → 0 is the weak-coupling limit; the paper gives no coupling values."))
            return Evidence(
                checks: [zeroModes, main, e3, unique, eq5],
                method: "Build the 81×81 Liouvillian of (E1) (ω = γ₁^g = γ₂^d = 1), count its null space (SVD) and apply it to |0,0⟩⟨1,−1| and to the single-spin coherences of (E3). Add the (E2) couplings as t·(ε, Δ₁, Δ₂, γ₁^d, γ₂^g) for \(dirs.count) directions with every coupling nonzero, count zero modes (zgeev), solve the steady state and compute S_max of Eq. (3) (N = 2, exact Fourier series, grid + Newton), also with the (E4) entries removed. The Eq. (5) limit is the kernel of the effective generator (Λ†R)⁻¹Λ†𝓛₍₁₎R on ker 𝓛₀.",
                parameters: ["model": "ω = γ₁^g = γ₂^d = 1; (E2) couplings t·direction",
                             "headlineCell": "(ε, Δ₁, Δ₂, γ₁^d, γ₂^g) = t·(1, 1, 1, 1, 1), the weakest t (rule fixed before the run)"],
                findings: findings,
                series: [DataSeries(name: "S_max vs t (headline cell)", x: head.map(\.t), y: head.map(\.sMax), xLabel: "t", yLabel: "S_max"),
                         DataSeries(name: "S_max at the weakest t per direction", x: dirs.indices.map(Double.init), y: weakest.map(\.sMax),
                                    parameters: ["directions": .string(dirs.map { "(" + $0.map { fmt($0, 2) }.joined(separator: ",") + ")" }.joined(separator: " "))],
                                    xLabel: "direction index", yLabel: "S_max")],
                figures: [Figure(name: "smax-vs-coupling", title: "S_max of two weakly coupled spin-1 oscillators",
                                 caption: "S_max (Eq. (3)) of the unique steady state vs the coupling strength t for every scan direction (headline: all couplings equal), and the Eq. (5) limit of the headline cell.",
                                 plot: Plot(xLabel: "t", yLabel: "S_max", xLog: true, series: cells.indices.prefix(6).map { i in
                                    PlotSeries(name: i == 0 ? "all couplings t" : "direction \(i)", x: cells[i].map(\.t), y: cells[i].map(\.sMax), style: i == 0 ? .linePoints : .dashed)
                                 } + [PlotSeries(name: "Eq. (5), t → 0", x: [ts.last!, ts.first!], y: [headLimit.sMax, headLimit.sMax], style: .line)]))])
        })
}
