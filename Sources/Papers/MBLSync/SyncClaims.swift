import Foundation
import Kernels
import Linalg
import Verification

extension MBLSync {
    /// The Fig. 3 / Fig. 4 setup: L = 10, N = 5 particles on the left half, |↑↑↑↑↑↓↓↓↓↓⟩.
    /// Every mirror pair (j, j̄) holds exactly one particle, so every site is active (a_j = 0).
    struct SyncSetup: Sendable {
        let chain: MirrorXXZChain
        let state: Int
        let half: Int
        init(sites: Int) {
            chain = MirrorXXZChain(sites: sites, particles: sites / 2)
            half = sites / 2
            state = chain.basis.index(of: SpinHalfBasis.state(up: Array(0..<(sites / 2))))!
        }

        /// Median frequencies of the left spins (0-based `sites`) at interaction Δ, and the
        /// resolution ω_res of this spectrum (`frequencyResolution`).
        func frequencies(fields: [Double], delta: Double, sites: [Int]? = nil) throws -> (omega: [Double], resolution: Double) {
            let spec = try chain.diagonalize(fields: fields, delta: delta)
            let m = try chain.medianFrequencies(spec, state: state, sites: sites ?? Array(0..<half))
            return (m.map(\.median), frequencyResolution(spectralRadius: spec.spectralRadius))
        }
    }

    /// Log grid lo…hi with `perDecade` points per decade (both ends included).
    static func logGrid(_ lo: Double, _ hi: Double, perDecade: Int) -> [Double] {
        let a = Foundation.log10(lo), b = Foundation.log10(hi)
        let n = Int(((b - a) * Double(perDecade)).rounded())
        return (0...n).map { Foundation.pow(10, a + (b - a) * Double($0) / Double(n)) }
    }

    /// Eq. (11): ω_sync = ω̃_1⋯ω̃_{j0} / Δ^{j0−1} with ω̃_{j0} ≤ Δ < ω̃_{j0+1} (`sorted` ascending).
    static func eq11(_ sorted: [Double], delta: Double, power: (Int) -> Int = { $0 - 1 }) -> (j0: Int, omega: Double) {
        let j0 = sorted.filter { $0 <= delta }.count
        var p = 1.0
        for k in 0..<j0 { p *= sorted[k] }
        return (j0, p / Foundation.pow(delta, Double(power(j0))))
    }

    // MARK: 3. ω_sync, Eq. (11)

    static let omegaSyncEq11 = Claim(
        id: "mbl-sync.omega-sync-eq11",
        paper: .mblSync,
        reference: "Eq. (11), Fig. 3",
        statement: "For ω̃_{j0} ≤ Δ < ω̃_{j0+1}, j0 ≥ 2 and Δ ≪ 1, spins 1…j0 (the j0 slowest at Δ = 0) share one frequency ω_sync = ω̃_1⋯ω̃_{j0}/Δ^{j0−1} (L = 10, W = 4, N = 5 on the left half).",
        comparison: .absolute,
        tiers: [
            .quick: ["sites": 10, "disorder": 4.0, "realizations": 20, "deltaMin": 1e-5, "deltaMax": 1e-2, "perDecade": 5, "smallDelta": 0.01],
            .standard: ["sites": 10, "disorder": 4.0, "realizations": 60, "deltaMin": 1e-5, "deltaMax": 1.0, "perDecade": 10, "smallDelta": 0.01],
            .full: ["sites": 10, "disorder": 4.0, "realizations": 1000, "deltaMin": 1e-5, "deltaMax": 1.0, "perDecade": 10, "smallDelta": 0.01],
        ],
        run: { ctx in
            let l = try ctx.int("sites"), w = try ctx.double("disorder"), count = try ctx.int("realizations")
            let grid = logGrid(try ctx.double("deltaMin"), try ctx.double("deltaMax"), perDecade: try ctx.int("perDecade"))
            let small = try ctx.double("smallDelta")
            guard l % 2 == 0, l >= 6, count >= 2 else { throw ClaimError.invalidParameter("need even sites ≥ 6, realizations ≥ 2") }
            try requireSectorED(sites: l, realizations: count, ctx)
            let setup = SyncSetup(sites: l)
            let n = l / 2
            struct R: Sendable { var fields: [Double]; var omega0: [Double]; var omega: [[Double]]; var res: [Double] }
            let rs = try ctx.realizations(count, label: "fields") { _, rng -> R in
                let hl = leftFields(n, disorder: w, &rng)
                let h = MirrorXXZChain.mirrorFields(left: hl)
                let f0 = try setup.frequencies(fields: h, delta: 0)
                var om = [[Double]](), rr = [Double]()
                for d in grid { let f = try setup.frequencies(fields: h, delta: d); om.append(f.omega); rr.append(f.resolution) }
                return R(fields: hl, omega0: f0.omega, omega: om, res: rr)
            }
            // rows over (realization, Δ) with 2 ≤ j0 ≤ L/2 − 1 (the centre spin needs Δ ~ 1)
            struct Row { var r: Int; var delta: Double; var j0: Int; var pred: Double; var ctrl: Double; var meas: Double; var spread: Double; var status: Int }
            var rows = [Row]()
            for (ri, r) in rs.enumerated() {
                guard r.omega0.allSatisfy({ $0 > 0 }) else { continue }
                let order = r.omega0.indices.sorted { r.omega0[$0] < r.omega0[$1] }
                let sorted = order.map { r.omega0[$0] }
                for (k, d) in grid.enumerated() {
                    let (j0, pred) = eq11(sorted, delta: d)
                    guard j0 >= 2 && j0 <= n - 1 else { continue }
                    let ctrl = eq11(sorted, delta: d, power: { $0 }).omega
                    let fs = order.prefix(j0).map { r.omega[k][$0] }
                    if fs.contains(where: { $0 <= 0 }) { rows.append(Row(r: ri, delta: d, j0: j0, pred: pred, ctrl: ctrl, meas: 0, spread: .nan, status: 2)); continue }
                    let meas = Foundation.exp(fs.map { Foundation.log($0) }.reduce(0, +) / Double(j0))
                    let spread = Foundation.log(fs.max()! / fs.min()!)
                    let resolved = pred > r.res[k] && fs.min()! > r.res[k]
                    rows.append(Row(r: ri, delta: d, j0: j0, pred: pred, ctrl: ctrl, meas: meas, spread: spread, status: resolved ? 0 : 1))
                }
            }
            let ln2 = Foundation.log(2.0)
            let good = rows.filter { $0.status == 0 }
            let head = good.filter { $0.delta < small }
            guard !head.isEmpty else {
                throw ClaimError.belowResolution("no (realization, Δ < \(small)) point with 2 ≤ j0 ≤ \(n - 1) has a resolved ω_sync (all \(rows.count) below ~1e-12 or frozen)")
            }
            var hits = [Int](repeating: 0, count: count), ctrlHits = hits, totals = hits
            for p in head {
                totals[p.r] += 1
                if abs(Foundation.log(p.meas / p.pred)) < ln2 { hits[p.r] += 1 }
                if abs(Foundation.log(p.meas / p.ctrl)) < ln2 { ctrlHits[p.r] += 1 }
            }
            let keep = totals.indices.filter { totals[$0] > 0 }
            let (f, fe) = clusteredFraction(hits: keep.map { hits[$0] }, totals: keep.map { totals[$0] })
            let (fc, fce) = clusteredFraction(hits: keep.map { ctrlHits[$0] }, totals: keep.map { totals[$0] })
            let lr = head.map { Foundation.log($0.meas / $0.pred) }.sorted()
            let medLR = quantile(sortedValues: lr, 0.5)
            let spreads = head.map(\.spread).sorted()
            // Δ-resolved behaviour (where the theory stops working)
            let edges: [Double] = [1e-5, 1e-4, 1e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0001]
            var binX = [Double](), binFrac = [Double](), binMed = [Double](), binText = [String]()
            var stops: Double? = nil
            for b in 0..<(edges.count - 1) {
                let sel = good.filter { $0.delta >= edges[b] && $0.delta < edges[b + 1] }
                guard !sel.isEmpty else { continue }
                let x = sel.map { Foundation.log($0.meas / $0.pred) }
                let fr = Double(x.filter { abs($0) < ln2 }.count) / Double(x.count)
                let md = median(x)
                binX.append((edges[b] * min(edges[b + 1], 1)).squareRoot()); binFrac.append(fr); binMed.append(md)
                binText.append("[\(formatNumber(edges[b], digits: 1)), \(formatNumber(min(edges[b + 1], 1), digits: 1))): n = \(x.count), within ln 2: \(formatNumber(fr, digits: 2)), median ln ratio \(formatNumber(md, digits: 2))")
                if stops == nil && fr < 0.5 { stops = edges[b] }
            }
            let byJ0 = (2...(n - 1)).map { j in
                let x = head.filter { $0.j0 == j }.map { Foundation.log($0.meas / $0.pred) }
                return x.isEmpty ? "j0 = \(j): none" : "j0 = \(j): n = \(x.count), median \(formatNumber(median(x), digits: 2))"
            }
            var findings = [
                "Δ < \(formatNumber(small)): \(head.count) resolved (realization, Δ) points with 2 ≤ j0 ≤ \(n - 1); |ln(measured/ω_sync)| < ln 2 in a fraction \(formatNumber(f, digits: 3)) ± \(formatNumber(fe, digits: 2)) (control Δ^{j0}: \(formatNumber(fc, digits: 3))).",
                "Distribution of ln(measured/predicted) for Δ < \(formatNumber(small)): median \(formatNumber(medLR, digits: 3)), 5–95% \(formatNumber(quantile(sortedValues: lr, 0.05), digits: 2)) … \(formatNumber(quantile(sortedValues: lr, 0.95), digits: 2)); by order: " + byJ0.joined(separator: "; ") + ".",
                "Spread ln(max/min) of the median frequencies of the j0 synchronized spins: median \(formatNumber(quantile(sortedValues: spreads, 0.5), digits: 2)), 90% quantile \(formatNumber(quantile(sortedValues: spreads, 0.9), digits: 2)) (0 = one common frequency to machine precision; large spreads come from points next to a threshold).",
                "Excluded: \(rows.filter { $0.status == 1 }.count) points with ω_sync or a measured frequency below the resolution (~\(formatNumber(rs[0].res.first ?? 0, digits: 2))), \(rows.filter { $0.status == 2 }.count) with a frozen synchronized spin (median 0), of \(rows.count).",
                "Fraction within ln 2 by Δ: " + binText.joined(separator: "; ") + ".",
            ]
            if let s = stops { findings.append("The theory stops working (fewer than half the points within a factor 2) from Δ ≈ \(formatNumber(s, digits: 2)) on; the paper says Eq. (11) holds for Δ ≪ 1.") }
            else if grid.last! < 0.1 { findings.append("This tier's Δ grid ends at \(formatNumber(grid.last!)): where the theory stops working (Δ ≈ 0.1 in the standard tier) is not probed.") }
            else { findings.append("No Δ bin falls below one half inside the grid.") }
            var params = seedParameters(ctx, "fields")
            params["fields"] = json(rs.map(\.fields))
            params["deltas"] = json(grid)
            // Fig. 3 analogue: realization 0 (and 1)
            var figs = [Figure]()
            for ri in 0..<min(2, count) {
                let r = rs[ri]
                var series = [PlotSeries]()
                for i in 0..<n {
                    let pts = grid.indices.filter { r.omega[$0][i] > r.res[$0] }
                    series.append(PlotSeries(name: "spin \(i + 1) (ω(0) = \(formatNumber(r.omega0[i], digits: 2)))", x: pts.map { grid[$0] }, y: pts.map { r.omega[$0][i] }, style: .linePoints))
                }
                let sorted = r.omega0.sorted()
                let th = grid.filter { let j = eq11(sorted, delta: $0).j0; return j >= 2 && j <= n - 1 }
                series.append(PlotSeries(name: "Eq. (11) ω_sync", x: th, y: th.map { eq11(sorted, delta: $0).omega }, style: .dashed))
                figs.append(Figure(name: "fig3-realization\(ri)", title: "Fig. 3 analogue: median frequency of each spin vs Δ (realization \(ri))",
                                   caption: "Median frequency of S_i(ω) (Eq. 12) for spins 1–\(n) of |↑↑↑↑↑↓↓↓↓↓⟩, L = \(l), W = \(formatNumber(w)); fields \(r.fields.map { formatNumber($0, digits: 3) }.joined(separator: ", ")). Dashed: Eq. (11) where 2 ≤ j0 ≤ \(n - 1). Points below the resolution are omitted.",
                                   plot: Plot(xLabel: "Δ", yLabel: "median frequency", xLog: true, yLog: true, series: series)))
            }
            let allLR = good.map { Foundation.log($0.meas / $0.pred) }
            let hSmall = Histogram(lr, bins: 30, lower: -3, upper: 3)
            let hLarge = Histogram(good.filter { $0.delta >= small }.map { Foundation.log($0.meas / $0.pred) }, bins: 30, lower: -3, upper: 3)
            var hs = [PlotSeries(name: "Δ < \(formatNumber(small)) (n = \(lr.count))", x: hSmall.centres, y: hSmall.density, yError: hSmall.densityError, style: .steps)]
            if hLarge.total > 0 { hs.append(PlotSeries(name: "Δ ≥ \(formatNumber(small)) (n = \(hLarge.total))", x: hLarge.centres, y: hLarge.density, style: .steps)) }
            figs.append(Figure(name: "log-ratio-histogram", title: "ln(measured / Eq. (11)) over realizations and Δ",
                               caption: "Histogram of ln(ω_measured/ω_sync) for resolved points with 2 ≤ j0 ≤ \(n - 1); the acceptance band is |·| < ln 2. Points outside [−3, 3] are counted in the normalization but not drawn.",
                               plot: Plot(xLabel: "ln(measured / predicted)", yLabel: "density", series: hs)))
            return Evidence(
                check: Check(predicted: 1, measured: f, uncertainty: fe),
                control: Control("Δ^{j0} in place of Δ^{j0−1} in Eq. (11)", Check(predicted: 1, measured: fc, uncertainty: fce)),
                tolerance: Tolerance(0.25, "Statistic = 1 − (fraction of points within a factor 2). Prototype (R = 60): 12 independent groups of 5 realizations gave fractions with mean 0.92, sd 0.06, minimum 0.84; 0.75 lies 3 sd below the mean, the residual being the perturbative −0.1…−0.25 bias at j0 = 3–4 and points next to a threshold."),
                method: "Parity-block ED (dsyevr on the two 126×126 blocks) of the L = 10, N = 5 sector; S_i(ω) of Eq. (12) for the product state |↑↑↑↑↑↓↓↓↓↓⟩ with signed folded weights; median frequency = first crossing of ½ of the cumulative weight in ascending ω. ω̃ = sorted Δ = 0 median frequencies; on a log grid of Δ, j0 = #{ω̃ ≤ Δ}, kept for 2 ≤ j0 ≤ 4; measured = geometric mean of the median frequencies of the j0 slowest spins; compared with Eq. (11). Frequencies or predictions below the resolution 1000 ε max|E| are excluded, never compared. Headline: fraction of Δ < \(formatNumber(small)) points within a factor 2, with a cluster (per-realization) standard error.",
                parameters: params, findings: findings,
                series: [DataSeries(name: "fraction within ln 2 by Delta bin", x: binX, y: binFrac),
                         DataSeries(name: "median ln(meas/pred) by Delta bin", x: binX, y: binMed),
                         DataSeries(name: "ln(meas/pred) all resolved points", x: good.map(\.delta), y: allLR)],
                figures: figs,
                regressionTolerance: 1e-6,
                extra: ["medianLogRatio": .number(medLR), "controlFraction": .number(fc), "points": .int(head.count)])
        })

    // MARK: 4. synchronization threshold Δ ≈ ω̃_j

    static let syncThreshold = Claim(
        id: "mbl-sync.sync-threshold",
        paper: .mblSync,
        reference: "Fig. 3 text (\"the threshold interaction is Δ ≈ ω_i\"), Eq. (9)",
        statement: "The spin of rank k (k-th slowest at Δ = 0) joins the synchronized cluster at Δ_c ≈ ω̃_k.",
        comparison: .logRatio,
        tiers: [
            .quick: ["sites": 10, "disorder": 4.0, "realizations": 20, "bracket": 100.0, "scanFactor": 3.1622776601683795, "bisections": 7, "equalTolerance": 0.01, "bootstrap": 200],
            .standard: ["sites": 10, "disorder": 4.0, "realizations": 60, "bracket": 100.0, "scanFactor": 3.1622776601683795, "bisections": 7, "equalTolerance": 0.01, "bootstrap": 400],
            .full: ["sites": 10, "disorder": 4.0, "realizations": 500, "bracket": 100.0, "scanFactor": 3.1622776601683795, "bisections": 9, "equalTolerance": 0.01, "bootstrap": 400],
        ],
        run: { ctx in
            let l = try ctx.int("sites"), w = try ctx.double("disorder"), count = try ctx.int("realizations")
            let bracket = try ctx.double("bracket"), nbis = try ctx.int("bisections"), eqTol = try ctx.double("equalTolerance")
            let scan = try ctx.double("scanFactor")
            let nb = try ctx.int("bootstrap")
            guard l % 2 == 0, l >= 8, count >= 2 else { throw ClaimError.invalidParameter("need even sites ≥ 8, realizations ≥ 2") }
            try requireSectorED(sites: l, realizations: count, ctx)
            let setup = SyncSetup(sites: l)
            let n = l / 2
            // rank index k = 1…n−2 (0-based; ranks 2…n−1): the centre-most rank n is excluded (needs Δ ~ 1)
            struct T: Sendable { var rank: Int; var deltaC: Double; var omegaK: Double; var omegaNext: Double; var omegaPrev: Double; var status: Int }
            struct R: Sendable { var fields: [Double]; var omega0: [Double]; var thresholds: [T] }
            let rs = try ctx.realizations(count, label: "fields") { _, rng -> R in
                let hl = leftFields(n, disorder: w, &rng)
                let h = MirrorXXZChain.mirrorFields(left: hl)
                let f0 = try setup.frequencies(fields: h, delta: 0).omega
                let order = f0.indices.sorted { f0[$0] < f0[$1] }
                var ts = [T]()
                for k in 1...(n - 2) {
                    let spins = Array(order.prefix(k + 1))
                    func synced(_ d: Double) throws -> Bool {
                        let f = try setup.frequencies(fields: h, delta: d, sites: spins)
                        let ref = f.omega[0]
                        guard ref > f.resolution else { return false }
                        return f.omega.allSatisfy { $0 > f.resolution && abs(Foundation.log($0 / ref)) < eqTol }
                    }
                    let wk = f0[order[k]]
                    var t = T(rank: k + 1, deltaC: .nan, omegaK: wk, omegaNext: f0[order[k + 1]], omegaPrev: f0[order[k - 1]], status: 0)
                    // scan upward in factors `scan` from ω̃_k/bracket to the first Δ where the spin has
                    // joined (the first crossing, as in Fig. 3), then bisect inside that step
                    var lo = Foundation.log(wk / bracket)
                    let top = Foundation.log(wk * bracket), step = Foundation.log(scan)
                    if try synced(Foundation.exp(lo)) { t.deltaC = Foundation.exp(lo); t.status = 1 }        // already joined: censored below
                    else {
                        var hi = lo + step
                        while hi <= top + 1e-9, !(try synced(Foundation.exp(hi))) { lo = hi; hi += step }
                        if hi > top + 1e-9 { t.status = 2 }                                                  // not joined inside the bracket
                        else {
                            for _ in 0..<nbis { let mid = 0.5 * (lo + hi); if try synced(Foundation.exp(mid)) { hi = mid } else { lo = mid } }
                            t.deltaC = Foundation.exp(0.5 * (lo + hi))
                        }
                    }
                    ts.append(t)
                }
                return R(fields: hl, omega0: f0, thresholds: ts)
            }
            let all = rs.flatMap(\.thresholds)
            let found = all.filter { $0.status != 2 }
            guard found.count >= 3 else { throw ClaimError.nonConvergence("only \(found.count) thresholds found inside the bracket") }
            func medianOf(_ idx: [Int], _ f: (T) -> Double) -> Double {
                // thresholds not reached inside the bracket are censored above: +∞ (the median stays exact while < ½ are censored)
                let v = idx.flatMap { rs[$0].thresholds.map { $0.status == 2 ? Double.infinity : f($0) } }
                return v.isEmpty ? .nan : median(v)
            }
            let allIdx = Array(0..<count)
            let lnK: (T) -> Double = { Foundation.log($0.deltaC / $0.omegaK) }
            let lnNext: (T) -> Double = { Foundation.log($0.deltaC / $0.omegaNext) }
            let lnPrev: (T) -> Double = { Foundation.log($0.deltaC / $0.omegaPrev) }
            let m = medianOf(allIdx, lnK), mNext = medianOf(allIdx, lnNext), mPrev = medianOf(allIdx, lnPrev)
            var bRng = ctx.stream(0, label: "bootstrap")
            let se = bootstrapStandardError(count: count, resamples: nb, rng: &bRng) { medianOf($0, lnK) }
            var bRng2 = ctx.stream(0, label: "bootstrap-control")
            let seNext = bootstrapStandardError(count: count, resamples: nb, rng: &bRng2) { medianOf($0, lnNext) }
            let byRank = (2...(n - 1)).map { k -> String in
                let v = all.filter { $0.rank == k }.map { $0.status == 2 ? Double.infinity : lnK($0) }
                return v.isEmpty ? "rank \(k): none" : "rank \(k): n = \(v.count), median \(formatNumber(median(v), digits: 2))"
            }
            let within3 = Double(found.filter { abs(lnK($0)) < Foundation.log(3.0) }.count) / Double(found.count)
            let findings = [
                "Median ln(Δ_c/ω̃_k) = \(formatNumber(m, digits: 3)) ± \(formatNumber(se, digits: 2)) over \(all.count) (realization, rank) cases (\(all.filter { $0.status == 1 }.count) already joined at the lower bracket end ω̃_k/\(formatNumber(bracket)), \(all.filter { $0.status == 2 }.count) not joined below \(formatNumber(bracket))·ω̃_k); \(formatNumber(within3, digits: 2)) lie within a factor 3.",
                "By rank: " + byRank.joined(separator: "; ") + ". Spins join slightly above ω̃_k (Δ_c ≈ e^{\(formatNumber(m, digits: 2))} ω̃_k): consistent with 'Δ ≈ ω_i'.",
                "Controls: ln(Δ_c/ω̃_{k+1}) median \(formatNumber(mNext, digits: 2)) ± \(formatNumber(seNext, digits: 2)); ln(Δ_c/ω̃_{k−1}) median \(formatNumber(mPrev, digits: 2)).",
            ]
            var params = seedParameters(ctx, "fields, bootstrap")
            params["fields"] = json(rs.map(\.fields))
            let pts = found
            return Evidence(
                check: Check(predicted: 1, measured: Foundation.exp(m), uncertainty: Foundation.exp(m) * se),
                control: Control("threshold at the next-larger Δ = 0 frequency ω̃_{k+1}", Check(predicted: 1, measured: Foundation.exp(mNext), uncertainty: Foundation.exp(mNext) * seNext)),
                tolerance: Tolerance(Foundation.log(2.0), "Statistic |median ln(Δ_c/ω̃_k)|. Prototype (grid, R = 60): medians of groups of 10 realizations spread with sd 0.17 around +0.23 (+0.12 after removing the grid bias, which bisection avoids); ln 2 = 0.69 is ≥ 3 sd above every group median, and a factor 2 is the precision of the perturbative threshold J^eff ≈ h^eff."),
                method: "Same ED and median frequencies as omega-sync-eq11. For each realization and each rank k = 2…\(n - 1) of the sorted Δ = 0 frequencies ω̃, the spin of rank k has joined when it and all lower ranks have median frequency equal to the rank-1 spin's within \(formatNumber(eqTol)) in ln (and above the resolution). Δ_c = the first crossing: scan upward from ω̃_k/\(formatNumber(bracket)) in factors \(formatNumber(scan, digits: 3)) up to \(formatNumber(bracket))·ω̃_k, then bisect in ln Δ inside the first joined step (\(nbis) steps, resolution \(formatNumber(Foundation.log(scan) / Foundation.pow(2, Double(nbis)), digits: 2)) in ln Δ). A threshold not reached inside the bracket is censored at +∞ (a frequency below the resolution never counts as joined). Headline: median ln(Δ_c/ω̃_k) with a bootstrap error over realizations.",
                parameters: params, findings: findings,
                series: [DataSeries(name: "Delta_c vs omega~_k", x: pts.map(\.omegaK), y: pts.map(\.deltaC))],
                figures: [Figure(name: "threshold-vs-omega", title: "Synchronization threshold Δ_c vs ω̃_k",
                                 caption: "Each point: one realization and rank k; the line is Δ_c = ω̃_k (paper), dashed a factor 2 either side.",
                                 plot: Plot(xLabel: "ω̃_k", yLabel: "Δ_c", xLog: true, yLog: true, series: [
                                    PlotSeries(name: "ED (bisection)", x: pts.map(\.omegaK), y: pts.map(\.deltaC), style: .points),
                                    PlotSeries(name: "Δ_c = ω̃_k", x: [1e-6, 1], y: [1e-6, 1], style: .line),
                                    PlotSeries(name: "×2", x: [1e-6, 1], y: [2e-6, 2], style: .dashed),
                                    PlotSeries(name: "×½", x: [1e-6, 1], y: [5e-7, 0.5], style: .dashed),
                                 ]))],
                regressionTolerance: 1e-6,
                extra: ["medianLnRatio": .number(m), "controlMedianLnRatio": .number(mNext)])
        })
}
