import Foundation
import Kernels
import Linalg
import Numerics
import Verification

// Typed measurements of open-sync: one function per measured quantity, next to the models
// (Models.swift), each returning a small Codable struct (the realization of a planned
// claim, or the measurement of a deterministic one). Unit-tested in Tests/OpenSyncTests.

// MARK: χ for uniform angles (open-sync.chi-uniform)

/// One chunk of i.i.d. uniform angle triples (φ₁, φ₂, φ₃): histograms of χ (Eq. (9)) and of
/// χ₂ (Eq. (D6), of φ₁ − φ₂) on [0, 1], and the raw values of the first `keep` triples.
struct ChiUniformChunk: Codable, Sendable, Equatable {
    var triples: Int
    /// counts[b] = #{χ ∈ [b/B, (b+1)/B)} (χ = 1 goes to the last bin).
    var chiCounts: [Int]
    var chi2Counts: [Int]
    /// χ and χ₂ of the first `keep` triples, in draw order.
    var chi: [Double]
    var chi2: [Double]

    /// Draws φ₁, φ₂, φ₃ uniform on [0, 2π) (three `uniform` calls per triple, in this order).
    static func measure(triples m: Int, bins: Int, keep: Int, _ rng: inout RandomStream) -> ChiUniformChunk {
        var out = ChiUniformChunk(triples: m, chiCounts: [Int](repeating: 0, count: bins),
                                  chi2Counts: [Int](repeating: 0, count: bins), chi: [], chi2: [])
        out.chi.reserveCapacity(keep); out.chi2.reserveCapacity(keep)
        for t in 0..<m {
            let a = rng.uniform(0, 2 * .pi), b = rng.uniform(0, 2 * .pi), d = rng.uniform(0, 2 * .pi)
            let x = OpenSync.chi(a, b, d), y = OpenSync.chi2(a - b)
            out.chiCounts[min(bins - 1, Int(x * Double(bins)))] += 1
            out.chi2Counts[min(bins - 1, Int(y * Double(bins)))] += 1
            if t < keep { out.chi.append(x); out.chi2.append(y) }
        }
        return out
    }
}

/// Kolmogorov–Smirnov comparison of a histogrammed sample (equal bins on [0, 1]) with a
/// law G, evaluated at the bin edges (from both sides where G has atoms): a lower bound of
/// the exact statistic, within the largest bin probability of it.
func binnedKS(counts: [Int], law g: (Double) -> Double, leftLimit gl: ((Double) -> Double)? = nil) -> KSResult {
    let n = counts.reduce(0, +)
    let bins = counts.count
    var cum = 0
    var d = 0.0
    for b in 0...bins {
        let e = Double(b) / Double(bins)
        let s = Double(cum) / Double(n)
        d = max(d, abs(s - g(e)))
        if let gl { d = max(d, abs(s - gl(e))) }
        if b < bins { cum += counts[b] }
    }
    let sn = Double(n).squareRoot()
    return KSResult(statistic: d, effectiveSize: Double(n), pValue: kolmogorovQ((sn + 0.12 + 0.11 / sn) * d))
}

// MARK: χ at the Fig. 2 configurations (open-sync.chi-configurations)

/// χ at the configurations of Fig. 2 under permutations and global shifts, and χ's
/// invariance under shifts and 2π representatives on a regular set of triples.
struct ChiConfigurationMeasurement: Codable, Sendable, Equatable {
    struct Configuration: Codable, Sendable, Equatable {
        var name: String, value: Double, expected: Double
        /// Largest |χ(permuted, shifted) − χ(configuration)|.
        var spread: Double
    }
    var configurations: [Configuration]
    /// Largest |χ − peak| over all configurations, permutations and shifts.
    var worstDeviation: Double
    /// Largest |χ(φ + θ + 2πn) − χ(φ)| over the triples, shifts θ and representatives n.
    var invarianceDeviation: Double
    /// Largest |χ(φ₁, φ₂, φ₃) − χ(φ₁ − φ₃, φ₂ − φ₃, 0)|.
    var relativeDeviation: Double
    /// The same invariance test for χ without the min over j (angles reduced to [0, 2π)).
    var noMinDeviation: Double
    var shiftsTried: Int

    /// The number of configurations whose χ equals `peaks[i]` (within 1e-12) under every
    /// permutation and shift tried.
    func matches(_ peaks: [Double]) -> Int {
        zip(configurations, peaks).filter { c, p in abs(c.value - p) <= 1e-12 && c.spread <= 1e-12 }.count
    }

    static let shifts: [Double] = [0.37, 1.9, -4.2, 10.1, .pi, -2 * .pi / 3]
    static let representatives: [[Double]] = [[0, 0, 0], [1, -2, 0], [-1, 1, 3], [2, 0, -1]]

    static func measure(shifts nShift: Int, triplesPerAxis nt: Int) -> ChiConfigurationMeasurement {
        let perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
        var worst = 0.0
        var configs: [Configuration] = []
        for cfg in OpenSync.fig2Configurations {
            let base = OpenSync.chi(cfg.angles[0], cfg.angles[1], cfg.angles[2])
            var spread = 0.0
            worst = max(worst, abs(base - cfg.expected))
            for p in perms {
                for s in 0..<nShift {
                    let shift = 2 * Double.pi * Double(s) / Double(nShift) + 0.1 * Double(s)
                    let a = p.map { cfg.angles[$0] + shift }
                    let v = OpenSync.chi(a[0], a[1], a[2])
                    spread = max(spread, abs(v - base))
                    worst = max(worst, abs(v - cfg.expected))
                }
            }
            configs.append(Configuration(name: cfg.name, value: base, expected: cfg.expected, spread: spread))
        }
        let twoPi = 2 * Double.pi
        func noMin(_ a: Double, _ b: Double, _ c: Double) -> Double {
            let r = [a, b, c].map { x -> Double in let y = x.truncatingRemainder(dividingBy: twoPi); return y < 0 ? y + twoPi : y }
            let pb = (r[0] + r[1] + r[2]) / 3
            let l = 3 / (4 * Double.pi) * (angularDistance(r[0], pb) + angularDistance(r[1], pb) + angularDistance(r[2], pb))
            return l * l
        }
        var inv = 0.0, rel = 0.0, invNoMin = 0.0
        let axis = (0..<nt).map { twoPi * (Double($0) + 0.37) / Double(nt) }
        for x in axis { for y in axis { for z in axis {
            let c0 = OpenSync.chi(x, y, z), n0 = noMin(x, y, z)
            rel = max(rel, abs(OpenSync.chi(x - z, y - z, 0) - c0))
            for t in shifts {
                for n in representatives {
                    let a = x + t + twoPi * n[0], b = y + t + twoPi * n[1], c = z + t + twoPi * n[2]
                    inv = max(inv, abs(OpenSync.chi(a, b, c) - c0))
                    invNoMin = max(invNoMin, abs(noMin(a, b, c) - n0))
                }
            }
        } } }
        return ChiConfigurationMeasurement(configurations: configs, worstDeviation: worst, invarianceDeviation: inv,
                                           relativeDeviation: rel, noMinDeviation: invNoMin,
                                           shiftsTried: shifts.count * representatives.count)
    }
}

// MARK: maxima of S_d for the two types (open-sync.chi-configurations, sync-configurations)

/// The maxima of S_d (Eq. (2)) for pure 1₀₊ ((0,π) type) and pure 1₀₋ (π/3 type) of the
/// N = 3 spin-1 chain, located on an n × n grid of (φ′₁, φ′₂) (n divisible by 6, so both
/// types' maxima are grid points): their positions, their χ, and their distance from the
/// configurations printed after Eq. (8).
struct SyncMaximaMeasurement: Codable, Sendable, Equatable {
    /// Grid maxima (φ′₁, φ′₂) within 1e-12 (relative) of the largest value.
    var zeroPiPoints: [[Double]]
    var piThirdPoints: [[Double]]
    /// χ(φ′₁, φ′₂, 0) at those maxima.
    var zeroPiMaxima: [Double]
    var piThirdMaxima: [Double]
    /// S_max of Eq. (3) for pure 1₀₊ and pure 1₀₋.
    var sMaxZeroPi: Double
    var sMaxPiThird: Double
    /// (fraction of π/3-type maxima at χ = 1/4) / (fraction of (0,π)-type maxima at χ = 0).
    var multiplicityRatio: Double
    /// Largest distance (max argdist over the three angles, best permutation and shift) of a
    /// maximum from the configurations printed for its type.
    var configurationDistance: Double
    /// The same distance when the π/3-type maxima are compared with (0, 2π/3, −2π/3) alone
    /// (the 120° state of a frustrated triangle of single angles).
    var piThirdDistanceFrom120Only: Double

    /// The printed maximizing configurations (text after Eq. (8)).
    static let printedZeroPi: [[Double]] = [[0, 0, 0], [0, 0, .pi]]
    static let printedPiThird: [[Double]] = [[0, .pi / 3, -.pi / 3], [0, 2 * .pi / 3, -2 * .pi / 3]]

    /// Distance of the triple `t` from configuration `c` up to permutations and global shifts.
    static func configurationDistance(_ t: [Double], _ c: [Double]) -> Double {
        let perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
        var best = Double.infinity
        for p in perms {
            for i in 0..<3 {
                let shift = c[i] - t[p[i]]
                let d = (0..<3).map { angularDistance(t[p[$0]] + shift, c[$0]) }.max()!
                best = min(best, d)
            }
        }
        return best
    }

    /// Scores a printed list of maximizing configurations against the maxima found: the
    /// number of listed configurations realized by some maximum, and the number of maximizer
    /// classes (up to permutations and global shifts) not in the list.
    func score(zeroPi: [[Double]], piThird: [[Double]]) -> (realized: Int, unlisted: Int) {
        func classes(_ pts: [[Double]]) -> [[Double]] {
            var reps: [[Double]] = []
            for p in pts {
                let t = [p[0], p[1], 0]
                if !reps.contains(where: { SyncMaximaMeasurement.configurationDistance(t, $0) < 1e-9 }) { reps.append(t) }
            }
            return reps
        }
        var realized = 0, unlisted = 0
        for (pts, list) in [(zeroPiPoints, zeroPi), (piThirdPoints, piThird)] {
            let reps = classes(pts)
            realized += list.filter { c in reps.contains { SyncMaximaMeasurement.configurationDistance($0, c) < 1e-9 } }.count
            unlisted += reps.filter { r in !list.contains { SyncMaximaMeasurement.configurationDistance(r, $0) < 1e-9 } }.count
        }
        return (realized, unlisted)
    }

    static func gridMaxima(_ sd: RelativePhaseDistribution, grid n: Int) -> [[Double]] {
        let v = sd.gridValues(n)
        let top = v.max()!
        let tol = 1e-12 * abs(top)
        return v.indices.filter { v[$0] >= top - tol }.map {
            [2 * Double.pi * Double($0 / n) / Double(n), 2 * Double.pi * Double($0 % n) / Double(n)]
        }
    }

    static func measure(grid n: Int) throws -> SyncMaximaMeasurement {
        precondition(n % 6 == 0, "grid must be divisible by 6")
        let model = Spin1Chain(sites: 3)
        let ones = model.sectorProjectors.map(maximallyMixedState)
        let plus = try SpinPhaseDistribution(rho: ones[model.indexZeroPlus], spins: model.spins).relative
        let minus = try SpinPhaseDistribution(rho: ones[model.indexZeroMinus], spins: model.spins).relative
        let zp = gridMaxima(plus, grid: n), pt = gridMaxima(minus, grid: n)
        let chiZ = zp.map { OpenSync.chi($0[0], $0[1], 0) }, chiP = pt.map { OpenSync.chi($0[0], $0[1], 0) }
        let atZero = Double(chiZ.filter { abs($0) < 1e-9 }.count) / Double(chiZ.count)
        let atQuarter = Double(chiP.filter { abs($0 - 0.25) < 1e-9 }.count) / Double(chiP.count)
        func dist(_ pts: [[Double]], _ printed: [[Double]]) -> Double {
            pts.map { p in printed.map { configurationDistance([p[0], p[1], 0], $0) }.min()! }.max()!
        }
        return SyncMaximaMeasurement(
            zeroPiPoints: zp, piThirdPoints: pt, zeroPiMaxima: chiZ, piThirdMaxima: chiP,
            sMaxZeroPi: plus.maximum(grid: n).sMax, sMaxPiThird: minus.maximum(grid: n).sMax,
            multiplicityRatio: atQuarter / atZero,
            configurationDistance: max(dist(zp, printedZeroPi), dist(pt, printedPiThird)),
            piThirdDistanceFrom120Only: dist(pt, [printedPiThird[1]]))
    }
}

// MARK: zero modes and oscillating coherences of the spin-1 chain (open-sync.spin1-zero-modes)

/// Everything spin1-zero-modes measures for one chain length, computed block by block on
/// the strong-symmetry blocks B_{M,M′} (no D² × D² matrix is formed).
struct Spin1Spectrum: Codable, Sendable, Equatable {
    struct Coherence: Codable, Sendable, Equatable {
        /// Magnetization M of ρ_M^osc = P·1_M, and λ = ⟨ρ, 𝓛ρ⟩/⟨ρ, ρ⟩ with the residual max|𝓛ρ − λρ|/max|ρ|.
        var m: Int, re: Double, im: Double, residual: Double
        /// Tr[(S_j^x)² P·1_M] for every site j.
        var overlaps: [Double]
    }
    /// A late-time Fourier component of ⟨(S_j^x)²⟩(t) at frequency ω > 0: signal = Σ 2|a_j| cos(ωt + arg a_j).
    struct Component: Codable, Sendable, Equatable {
        var omega: Double, amplitudeRe: [Double], amplitudeIm: [Double]
        var amplitudes: [Complex<Double>] { zip(amplitudeRe, amplitudeIm).map { Complex($0, $1) } }
    }
    var sites: Int
    /// dim ker 𝓛 = Σ over blocks (SVD, cut 1e-10·σ_max of the largest block), and the part in
    /// diagonal blocks B_{M,M}.
    var kernelDimension: Int
    var kernelInDiagonalBlocks: Int
    /// The largest singular value counted as zero and the smallest one above the cut.
    var largestZeroSingularValue: Double
    var smallestNonzeroSingularValue: Double
    /// Number of strong-symmetry sectors α (M ≠ 0 and 0±) and max |𝓛[1_α]|.
    var sectors: Int
    var sectorResidual: Double
    var coherences: [Coherence]
    /// Im λ of every decay-free mode with Im λ ≠ 0 (distinct values, ascending), and the slowest decay rate.
    var frequencies: [Double]
    var slowestDecay: Double
    var components: [Component]
    /// ⟨(S_j^x)²⟩ at `times` (row j), if requested.
    var traces: [[Double]]

    /// `rng` draws the random pure initial state (complex normal amplitudes, normalized).
    static func measure(sites n: Int, times: [Double], _ rng: inout RandomStream) throws -> Spin1Spectrum {
        let model = Spin1Chain(sites: n)
        let s = model.spins
        let dim = s.dimension
        let h = model.hamiltonian, jumps = model.jumps
        let sectorsM = model.magnetizationSectors
        // initial state
        var psi = (0..<dim).map { _ in Complex(rng.normal(), rng.normal()) }
        let norm = psi.map(\.lengthSquared).reduce(0, +).squareRoot()
        psi = psi.map { $0 / Complex(norm, 0) }
        let rho0 = ComplexMatrix(rows: dim, columns: dim) { i, k in psi[i] * psi[k].conjugate }
        let obs = (0..<n).map { s.x($0) * s.x($0) }
        // blocks
        struct BlockResult { var singular: [Double]; var diagonal: Bool; var values: [Complex<Double>] }
        var blocks: [BlockResult] = []
        var sigmaMax = 0.0, frob = 0.0
        var modal: [(lambda: Complex<Double>, weights: [Complex<Double>])] = []    // c_i Tr(O_j r_i) per site
        for (ma, ra) in sectorsM {
            for (mb, rb) in sectorsM {
                let g = Spin1Chain.blockGenerator(rows: ra, columns: rb, hamiltonian: h, jumps: jumps)
                frob += g.storage.map(\.lengthSquared).reduce(0, +)
                let sv = try svd(g).values
                sigmaMax = max(sigmaMax, sv.first ?? 0)
                let relevant = abs(ma - mb) == 0 || abs(ma - mb) == 2
                var values: [Complex<Double>] = []
                if relevant {
                    let e = try generalEigen(g, right: true)
                    values = e.values
                    let r = e.right!
                    let x = rho0.sub(ra, rb)
                    let c = try solve(r, x.storage)
                    for i in 0..<values.count {
                        let w = obs.map { o -> Complex<Double> in
                            var t = Complex<Double>.zero
                            for q in 0..<rb.count { for p in 0..<ra.count { t += o[rb[q], ra[p]] * r[p + ra.count * q, i] } }
                            return c[i] * t
                        }
                        if w.contains(where: { $0.length > 0 }) { modal.append((values[i], w)) }
                    }
                } else {
                    values = try generalEigen(g, right: false).values
                }
                blocks.append(BlockResult(singular: sv, diagonal: ma == mb, values: values))
            }
        }
        let cut = 1e-10 * sigmaMax
        var kdim = 0, kdiag = 0, lastZero = 0.0, firstNonzero = Double.infinity
        for b in blocks {
            let z = b.singular.filter { $0 <= cut }
            kdim += z.count
            if b.diagonal { kdiag += z.count }
            lastZero = max(lastZero, z.max() ?? 0)
            firstNonzero = min(firstNonzero, b.singular.filter { $0 > cut }.min() ?? .infinity)
        }
        let threshold = Liouvillian.decayFreeRelativeTolerance * max(1, frob.squareRoot())
        let all = blocks.flatMap(\.values)
        let decayFree = all.filter { abs($0.real) <= threshold }
        var freqs: [Double] = []
        for v in decayFree where abs(v.imaginary) > threshold {
            if !freqs.contains(where: { abs($0 - v.imaginary) < 1e-6 }) { freqs.append(v.imaginary) }
        }
        let slowest = all.filter { abs($0.real) > threshold }.map(\.real).max() ?? 0
        // sector states and coherences P·1_M
        let lv = { (x: ComplexMatrix) in Liouvillian.action(hamiltonian: h, jumps: jumps, on: x) }
        let projectors = model.sectorProjectors
        let ones = projectors.map(maximallyMixedState)
        let sectorResidual = ones.map { lv($0).maxAbs }.max()!
        let p = s.globalFlip
        var coherences: [Coherence] = []
        for m in (-n...n) where m != 0 {
            let idx = m < 0 ? m + n : m + n + 1
            let x = p * ones[idx]
            let y = lv(x)
            let lam = frobeniusInner(x, y) / frobeniusInner(x, x)
            let res = (y - lam * x).maxAbs / x.maxAbs
            coherences.append(Coherence(m: m, re: lam.real, im: lam.imaginary, residual: res,
                                        overlaps: obs.map { ($0 * x).trace.real }))
        }
        // late-time components of ⟨(S_j^x)²⟩
        var groups: [(omega: Double, amp: [Complex<Double>])] = []
        for (lam, w) in modal where abs(lam.real) <= threshold && lam.imaginary > threshold {
            if let g = groups.firstIndex(where: { abs($0.omega - lam.imaginary) < 1e-6 }) {
                for j in 0..<n { groups[g].amp[j] += w[j] }
            } else {
                groups.append((lam.imaginary, w))
            }
        }
        groups.sort { $0.omega < $1.omega }
        let comps = groups.map { Component(omega: $0.omega, amplitudeRe: $0.amp.map(\.real), amplitudeIm: $0.amp.map(\.imaginary)) }
        let traces = (0..<n).map { j in
            times.map { t -> Double in
                var sum = Complex<Double>.zero
                for (lam, w) in modal {
                    let e = Foundation.exp(lam.real * t)
                    if e < 1e-300 { continue }
                    sum += w[j] * Complex(e * Foundation.cos(lam.imaginary * t), e * Foundation.sin(lam.imaginary * t))
                }
                return sum.real
            }
        }
        return Spin1Spectrum(sites: n, kernelDimension: kdim, kernelInDiagonalBlocks: kdiag,
                             largestZeroSingularValue: lastZero, smallestNonzeroSingularValue: firstNonzero,
                             sectors: projectors.count, sectorResidual: sectorResidual, coherences: coherences,
                             frequencies: freqs.sorted(), slowestDecay: slowest, components: comps, traces: traces)
    }

    /// Distinct late-time frequencies ω > 0 of ⟨(S_j^x)²⟩ with an amplitude above `floor` on some site.
    func signalFrequencies(floor: Double = 1e-10) -> [Double] {
        components.filter { c in c.amplitudes.contains { $0.length > floor } }.map(\.omega)
    }
}

// MARK: steady states under random perturbations (open-sync.random-perturbations, spin-half-pair)

/// What Fig. 3 (and Fig. 5) read off one steady state: S_max (Eq. (3)), χ (or χ₂) at the
/// maximum of S_d, the threshold sample (modulation > r·S_max, weights ∝ S_d) as interval
/// probabilities P_a and a histogram, the smallest eigenvalue of ρ, and the maximizer type.
struct SteadyStateSample: Codable, Sendable, Equatable {
    var sMax: Double
    /// χ(φ′₁, φ′₂, 0) (N = 3) or χ₂(φ′) (N = 2) at the Newton-refined maximum of S_d.
    var chiAtMax: Double
    /// P₁, P₂, P₃ of the intervals I₁, I₂, I₃ (N = 3); for N = 2 the weight with χ₂ ≥ 0.9.
    var p: [Double]
    /// Weighted histogram of the threshold-sampled χ (χ₂) on [0, 1] (sums to 1).
    var hist: [Double]
    var minEigenvalue: Double
    /// N = 3: S_d's grid maximum at a (0, π) point ((0,0,0)/(0,0,π) configurations).
    var zeroPiType: Bool

    /// (0, π) type if the S_d maximum on the π/6 grid lies at φ′ ∈ {0, π}², else π/3 type.
    static func isZeroPiType(_ sd: RelativePhaseDistribution) -> Bool {
        let i = argmax(sd.gridValues(12))!
        return (i / 12) % 6 == 0 && (i % 12) % 6 == 0
    }

    static func measure(rho: ComplexMatrix, spins: SpinOperators, grid n: Int, r: Double, bins: Int) throws -> SteadyStateSample {
        let sd = try SpinPhaseDistribution(rho: rho, spins: spins).relative
        let (sMax, arg, vals) = sd.maximum(grid: n)
        let sample = sd.thresholdSample(gridValues: vals, sMax: sMax, r: r)
        var hist = [Double](repeating: 0, count: bins)
        var p: [Double]
        let chiAtMax: Double
        if sd.dimension == 2 {
            let axis = sd.gridAxis(n)
            p = [0, 0, 0]
            for (idx, w) in sample {
                let x = OpenSync.chi(axis[idx / n], axis[idx % n], 0)
                for a in 0..<3 where OpenSync.intervals[a].contains(x) { p[a] += w }
                hist[min(bins - 1, Int(x * Double(bins)))] += w
            }
            chiAtMax = OpenSync.chi(arg[0], arg[1], 0)
        } else {
            p = [0]
            for (idx, w) in sample {
                let x = OpenSync.chi2(2 * Double.pi * Double(idx) / Double(n))
                if x >= 0.9 { p[0] += w }
                hist[min(bins - 1, Int(x * Double(bins)))] += w
            }
            chiAtMax = OpenSync.chi2(arg[0])
        }
        let minEig = try hermitianEigen(rho, vectors: false).values.min() ?? .nan
        return SteadyStateSample(sMax: sMax, chiAtMax: chiAtMax, p: p, hist: hist, minEigenvalue: minEig,
                                 zeroPiType: sd.dimension == 2 ? isZeroPiType(sd) : false)
    }
}

/// The η → 0 limit of the steady state of 𝓛 + η𝓛₍₁₎ for the spin-1 chain (Eq. (4)):
/// ρ = Σ_α c_α 1_α with c the kernel of the effective generator
///
///     Leff[α, β] = Tr(Π_α 𝓛₍₁₎(1_β))       (first-order degenerate perturbation theory)
///
/// on the 2(N + 1) zero modes 1_α, whose left partners are the projectors Π_α. For the App. F
/// ensemble the Hamiltonian part drops out (Tr(Π_α[H, Π_β]) = 0) and, writing
/// K = s·GG† (s = d/Tr GG†) so that Σ_mn K_mn F_n·F_m† = s Σ_k A_k·A_k† with
/// A_k = Σ_n conj(G_nk) F_n, Leff is the classical rate matrix
///
///     Leff[α, β] = (s/D_β)·(W_αβ − δ_αβ Σ_γ W_γβ),   W_αβ = Σ_k ‖Π_α A_k Π_β‖²_F,
///
/// computed from G in O(d·D²) without forming K or the D² × D² superoperator.
struct SectorLimit {
    /// Orthonormal real basis of the sectors (rows: sparse vectors), the sector of each row, and D_α.
    let basis: [[(index: Int, value: Double)]]
    let sectorOf: [Int]
    let dims: [Int]
    let dimension: Int
    /// The rows n of G (one per F_n) that share a cell (i, j) of F̃_n = U F_n Uᵀ, grouped into
    /// connected components, and per group its cells: sector pair and (local row, F̃_n(i, j)).
    let groups: [[Int]]
    let groupCells: [[(pair: Int, entries: [(row: Int, value: Double)])]]

    init(_ model: Spin1Chain) {
        let s = model.spins
        let d = s.dimension
        let p = s.globalFlip
        let flip = (0..<d).map { a in (0..<d).first { p[$0, a] != .zero }! }
        var rows: [[(Int, Double)]] = [], sec: [Int] = []
        var k = 0
        for (m, idx) in model.magnetizationSectors {
            if m != 0 {
                for a in idx { rows.append([(a, 1)]); sec.append(k) }
                k += 1
                continue
            }
            let h = 1 / 2.0.squareRoot()
            var plus: [[(Int, Double)]] = [], minus: [[(Int, Double)]] = []
            for a in idx where flip[a] >= a {
                if flip[a] == a { plus.append([(a, 1)]) } else { plus.append([(a, h), (flip[a], h)]); minus.append([(a, h), (flip[a], -h)]) }
            }
            for v in plus { rows.append(v); sec.append(k) }
            for v in minus { rows.append(v); sec.append(k + 1) }
            k += 2
        }
        basis = rows; sectorOf = sec; dimension = d
        dims = (0..<k).map { a in sec.filter { $0 == a }.count }
        // F̃_n = U F_n Uᵀ for the printed basis (F3), cell by cell
        var inverse = [[(Int, Double)]](repeating: [], count: d)      // computational index → (basis row, coefficient)
        for (i, r) in rows.enumerated() { for (a, u) in r { inverse[a].append((i, u)) } }
        var cells: [Int: [(Int, Double)]] = [:]                        // cell i·d + j → [(n, value)]
        for (n, f) in RandomLiouvillian.basis(dimension: d).enumerated() {
            var local: [Int: Double] = [:]
            for (r, c, v) in f { for (i, u) in inverse[r] { for (j, w) in inverse[c] { local[i * d + j, default: 0] += u * v * w } } }
            for (cell, v) in local where abs(v) > 1e-15 { cells[cell, default: []].append((n, v)) }
        }
        // union–find of rows sharing a cell
        var parent = Array(0..<(d * d - 1))
        func find(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
        for list in cells.values where list.count > 1 { for e in list.dropFirst() { parent[find(e.0)] = find(list[0].0) } }
        var groupOf: [Int: Int] = [:], members: [[Int]] = []
        for n in 0..<(d * d - 1) {
            let root = find(n)
            if groupOf[root] == nil { groupOf[root] = members.count; members.append([]) }
            members[groupOf[root]!].append(n)
        }
        var local = [Int](repeating: 0, count: d * d - 1)
        for m in members { for (a, n) in m.enumerated() { local[n] = a } }
        var gc = [[(pair: Int, entries: [(row: Int, value: Double)])]](repeating: [], count: members.count)
        for cell in cells.keys.sorted() {
            let list = cells[cell]!
            let g = groupOf[find(list[0].0)]!
            gc[g].append((sec[cell / d] * k + sec[cell % d], list.map { (local[$0.0], $0.1) }))
        }
        groups = members; groupCells = gc
    }

    /// Leff from the Gram blocks K_g = G_g G_g† of the row groups (K_g[a, b] = Σ_k G_{n_a k} conj(G_{n_b k})):
    /// W_αβ = Σ_cells Σ_{a,b} F̃_a F̃_b Re K[b, a], s = d/Σ_n K[n, n]. Exactly `effectiveGenerator(ginibre:)`.
    func effectiveGenerator(gram: [ComplexMatrix]) -> Matrix {
        let D = dimension, d = D * D - 1, ns = dims.count
        var w = [Double](repeating: 0, count: ns * ns)
        var total = 0.0
        for (g, kg) in gram.enumerated() {
            for a in 0..<kg.rows { total += kg[a, a].real }
            for cell in groupCells[g] {
                var sum = 0.0
                for (a, va) in cell.entries { for (b, vb) in cell.entries { sum += va * vb * kg[b, a].real } }
                w[cell.pair] += sum
            }
        }
        let s = Double(d) / total
        var leff = Matrix(rows: ns, columns: ns)
        for b in 0..<ns {
            var colSum = 0.0
            for c in 0..<ns { colSum += w[c * ns + b] }
            for al in 0..<ns { leff[al, b] = s / Double(dims[b]) * (w[al * ns + b] - (al == b ? colSum : 0)) }
        }
        return leff
    }

    /// The Gram blocks of a given G (for tests: `effectiveGenerator(gram: gram(of: G))` = `effectiveGenerator(ginibre: G)`).
    func gram(of g: ComplexMatrix) -> [ComplexMatrix] {
        groups.map { rowsOfG in
            ComplexMatrix(rows: rowsOfG.count, columns: rowsOfG.count) { a, b in
                var z = Complex<Double>.zero
                for k in 0..<g.columns { z += g[rowsOfG[a], k] * g[rowsOfG[b], k].conjugate }
                return z
            }
        }
    }

    /// Gram blocks with the law of those of a d × d complex Ginibre G (Re, Im i.i.d. N(0, 1)),
    /// by the Bartlett decomposition G_g = L Q: L lower triangular, L_aa² ~ 2·Gamma(d − a)
    /// (a = 0, 1, …), L_ab (a > b) complex with Re, Im ~ N(0, 1); K_g = L L†. Rows in different
    /// groups are independent, so this is an exact sample of everything Leff depends on,
    /// from O(Σ g²) random numbers instead of 2d².
    func sampleGram(_ rng: inout RandomStream) -> [ComplexMatrix] {
        let d = dimension * dimension - 1
        return groups.map { rowsOfG in
            let m = rowsOfG.count
            var l = ComplexMatrix(rows: m, columns: m)
            for a in 0..<m {
                l[a, a] = Complex((2 * rng.gamma(shape: Double(d - a))).squareRoot(), 0)
                for b in 0..<a { l[a, b] = Complex(rng.normalZiggurat(), rng.normalZiggurat()) }
            }
            return l * l.adjoint
        }
    }

    /// Leff (sectors in the order of `Spin1Chain.sectorLabels`) from the matrix G of a draw.
    func effectiveGenerator(ginibre g: ComplexMatrix) -> Matrix {
        let D = dimension, d = D * D - 1, ns = dims.count
        precondition(g.rows == d && g.columns == d)
        // the sparse basis rows as flat arrays (≤ 2 entries each)
        let cnt = basis.map(\.count)
        let idx = basis.map { r in [r[0].index, r.count > 1 ? r[1].index : 0] }
        let val = basis.map { r in [r[0].value, r.count > 1 ? r[1].value : 0] }
        var w = [Double](repeating: 0, count: ns * ns)
        var total = 0.0
        var ar = [Double](repeating: 0, count: D * D), ai = ar          // A_k[r, c] at r + D·c
        var br = ar, bi = ar                                             // (U A)[i, c]
        g.storage.withUnsafeBufferPointer { gp in
            for k in 0..<d {
                let col = d * k
                for i in 0..<(D * D) { ar[i] = 0; ai[i] = 0 }
                for r in 0..<D {
                    for c in 0..<D {
                        if r == D - 1 && c == D - 1 { continue }
                        let z = gp[col + r * D + c]
                        total += z.real * z.real + z.imaginary * z.imaginary
                        let vr = z.real, vi = -z.imaginary                       // conj(G)
                        if r != c { ar[r + D * c] += vr; ai[r + D * c] += vi }
                        else { ar[r + D * r] += vr; ai[r + D * r] += vi; ar[(r + 1) + D * (r + 1)] -= vr; ai[(r + 1) + D * (r + 1)] -= vi }
                    }
                }
                // B = U A
                for i in 0..<D {
                    for c in 0..<D {
                        var sr = val[i][0] * ar[idx[i][0] + D * c], si = val[i][0] * ai[idx[i][0] + D * c]
                        if cnt[i] > 1 { sr += val[i][1] * ar[idx[i][1] + D * c]; si += val[i][1] * ai[idx[i][1] + D * c] }
                        br[i + D * c] = sr; bi[i + D * c] = si
                    }
                }
                // Ã = B Uᵀ, accumulated into W
                for j in 0..<D {
                    let sj = sectorOf[j]
                    for i in 0..<D {
                        var sr = val[j][0] * br[i + D * idx[j][0]], si = val[j][0] * bi[i + D * idx[j][0]]
                        if cnt[j] > 1 { sr += val[j][1] * br[i + D * idx[j][1]]; si += val[j][1] * bi[i + D * idx[j][1]] }
                        w[sectorOf[i] * ns + sj] += sr * sr + si * si
                    }
                }
            }
        }
        let s = Double(d) / total
        var leff = Matrix(rows: ns, columns: ns)
        for b in 0..<ns {
            var colSum = 0.0
            for c in 0..<ns { colSum += w[c * ns + b] }
            for al in 0..<ns { leff[al, b] = s / Double(dims[b]) * (w[al * ns + b] - (al == b ? colSum : 0)) }
        }
        return leff
    }

    /// The stationary c (Σ c = 1) of Leff, the number of |eigenvalues| ≤ 1e-10·max, and the smallest other |eigenvalue|.
    static func stationary(_ leff: Matrix) throws -> (c: [Double], kernel: Int, gap: Double) {
        let n = leff.rows
        var a = leff
        for j in 0..<n { a[0, j] = 1 }
        var rhs = [Double](repeating: 0, count: n); rhs[0] = 1
        let c = try solve(a, rhs)
        let e = try generalEigen(ComplexMatrix(rows: n, columns: n) { i, j in Complex(leff[i, j], 0) }, right: false)
        let mags = e.values.map(\.length).sorted()
        let cut = 1e-10 * (mags.last ?? 1)
        let kernel = mags.filter { $0 <= cut }.count
        return (c, kernel, mags.first { $0 > cut } ?? 0)
    }
}

/// One draw of 𝓛₍₁₎ for the N = 3 spin-1 chain (a realization of random-perturbations):
/// the η → 0 limit (always) and, for the first draws, the full steady state at each η.
struct PerturbationDraw: Codable, Sendable, Equatable {
    struct Spectrum: Codable, Sendable, Equatable { var eta: Double; var zeroModes: Int; var smallest: Double; var second: Double }
    /// c_α of the η → 0 steady state (sector order of `Spin1Chain.sectorLabels`).
    var c: [Double]
    var effectiveKernel: Int
    var effectiveGap: Double
    /// The threshold sample of ρ = Σ c_α 1_α.
    var limit: SteadyStateSample
    /// Per η of the scan (first `scanDraws` draws only).
    var scan: [SteadyStateSample]
    /// max_α |Tr(Π_α ρ(η_min)) − c_α| (scan draws only).
    var cDeviation: Double?
    var spectra: [Spectrum]

    /// The literal App. F draw: H₍₁₎ then G (the stream order of `RandomLiouvillian.draw`),
    /// the η → 0 limit from G, and the full steady state of 𝓛 + η𝓛₍₁₎ at every η.
    static func measure(limit: SectorLimit, model: Spin1Chain, unperturbed l0: Liouvillian?, etas: [Double],
                        spectra: Bool, grid: Int, r: Double, bins: Int, _ rng: inout RandomStream) throws -> PerturbationDraw {
        let dim = model.spins.dimension
        let h = RandomLiouvillian.hamiltonian(dimension: dim, &rng)
        let g = RandomLiouvillian.ginibre(size: dim * dim - 1, &rng)
        let leff = limit.effectiveGenerator(ginibre: g)
        let (c, kernel, gap) = try SectorLimit.stationary(leff)
        let ones = model.sectorProjectors.map(maximallyMixedState)
        var rho = ComplexMatrix(rows: dim, columns: dim)
        for (a, o) in ones.enumerated() { rho = rho + Complex(c[a], 0) * o }
        let lim = try SteadyStateSample.measure(rho: rho, spins: model.spins, grid: grid, r: r, bins: bins)
        var scan: [SteadyStateSample] = [], spec: [Spectrum] = []
        var dev: Double? = nil
        if let l0, !etas.isEmpty {
            let k = try RandomLiouvillian.kossakowskiMatrix(ginibre: g)
            let l1 = RandomLiouvillian.superoperator(hamiltonian: h, kossakowski: k, basis: RandomLiouvillian.basis(dimension: dim))
            let projectors = model.sectorProjectors
            for (ie, eta) in etas.enumerated() {
                let lv = l0.adding(l1, scaledBy: eta)
                let rhoEta = try lv.steadyState()
                if ie == 0 { dev = projectors.indices.map { abs((projectors[$0] * rhoEta).trace.real - c[$0]) }.max() }
                scan.append(try SteadyStateSample.measure(rho: rhoEta, spins: model.spins, grid: grid, r: r, bins: bins))
                if spectra {
                    let s = try lv.spectrum(vectors: false)
                    let m = s.sortedMagnitudes
                    spec.append(Spectrum(eta: eta, zeroModes: s.zeroModes.count, smallest: m[0], second: m[1]))
                }
            }
        }
        return PerturbationDraw(c: c, effectiveKernel: kernel, effectiveGap: gap, limit: lim, scan: scan, cDeviation: dev, spectra: spec)
    }

    /// The η → 0 limit only, from an exact sample of the Gram blocks of G that Leff depends on
    /// (`SectorLimit.sampleGram`; H₍₁₎ does not enter at first order).
    static func measureLimit(limit: SectorLimit, model: Spin1Chain, grid: Int, r: Double, bins: Int,
                             _ rng: inout RandomStream) throws -> PerturbationDraw {
        let dim = model.spins.dimension
        let leff = limit.effectiveGenerator(gram: limit.sampleGram(&rng))
        let (c, kernel, gap) = try SectorLimit.stationary(leff)
        let ones = model.sectorProjectors.map(maximallyMixedState)
        var rho = ComplexMatrix(rows: dim, columns: dim)
        for (a, o) in ones.enumerated() { rho = rho + Complex(c[a], 0) * o }
        let lim = try SteadyStateSample.measure(rho: rho, spins: model.spins, grid: grid, r: r, bins: bins)
        return PerturbationDraw(c: c, effectiveKernel: kernel, effectiveGap: gap, limit: lim, scan: [], cDeviation: nil, spectra: [])
    }
}

// MARK: Eqs. (7), (8) and the Husimi distribution (open-sync.husimi-eq8)

/// S(φ) of Eq. (A3) for sector mixtures of the N = 3 spin-1 chain, fitted as
/// S = a + b·Σ_{i<j} cos 2(φ_i − φ_j) on an n³ grid (exact for a trigonometric polynomial of
/// degree ≤ 2 per angle when n ≥ 5), with the Eq. (7) entries, the (A3) normalization and
/// the relation S_d(φ′) = 2π S(φ′, 0).
struct HusimiEq8Measurement: Codable, Sendable, Equatable {
    struct StateFit: Codable, Sendable, Equatable {
        var name: String
        /// a (constant) and b (coefficient of Σ cos 2(φ_i − φ_j)) with S normalized to ∫S dφ = 1.
        var a: Double, b: Double
        /// max over the grid |S − a − b·Σcos| / |b|.
        var residual: Double
        /// ⟨1,−1,0|ρ|−1,1,0⟩ (Eq. (7)).
        var entry: Double
    }
    var fits: [StateFit]
    /// Nonzero off-diagonal entries of the mixture state outside the six printed in Eq. (7), and inside them.
    var entriesOutsideEq7: Int
    var entriesInsideEq7: Int
    /// ∫S dφ over [0, 2π)³ with the normalization (2S+1)/(4π) per site, and for (A3) as printed.
    var normalizedIntegral: Double
    var literalIntegral: Double
    /// max |S_d(φ′₁, φ′₂) − 2π S(φ′₁, φ′₂, 0)| on the grid.
    var sdRelation: Double
    /// Wave vectors k ≠ 0 of the Fourier terms of S(φ) for the generic mixture (|c| > 1e-12·max).
    var mixtureHarmonics: [[Int]]

    /// Wave vectors ±2(e_i − e_j) of Σ_{i<j} cos 2(φ_i − φ_j) for the given pairs.
    static func harmonics(pairs: [(Int, Int)]) -> [[Int]] {
        pairs.flatMap { (i, j) -> [[Int]] in
            var k = [0, 0, 0]; k[i] = 2; k[j] = -2
            return [k, k.map { -$0 }]
        }
    }

    /// Listed harmonics present minus harmonics present but not listed.
    func harmonicScore(_ list: [[Int]]) -> Int {
        list.filter { mixtureHarmonics.contains($0) }.count - mixtureHarmonics.filter { !list.contains($0) }.count
    }

    func fit(_ name: String) -> StateFit { fits.first { $0.name == name }! }
    /// −b(1₀₋)/b(1₀₊): the relative weight of c₀₋ and c₀₊ in Eq. (8) for unit-trace 1_α (App. B).
    var weightRatio: Double { -fit("1_0-").b / fit("1_0+").b }
    /// The same for the projectors Π₀± (the reading in which 1_α is not normalized).
    var weightRatioProjectors: Double { -fit("Pi_0-").b / fit("Pi_0+").b }
    /// b / (Eq. (7) entry) for 1₀₊: printed (c₀₊ − c₀₋)/32 ÷ (c₀₊ − c₀₋)/2 = 1/16.
    var amplitudeRatio: Double { fit("1_0+").b / fit("1_0+").entry }

    static func index(_ m: [Int]) -> Int { (1 - m[0]) * 9 + (1 - m[1]) * 3 + (1 - m[2]) }
    /// The six entries of Eq. (7) (|1,−1,0⟩⟨−1,1,0| etc. and their conjugates).
    static let eq7Entries: Set<[Int]> = {
        let pairs = [([1, -1, 0], [-1, 1, 0]), ([0, 1, -1], [0, -1, 1]), ([-1, 0, 1], [1, 0, -1])]
        var s = Set<[Int]>()
        for (x, y) in pairs { s.insert([index(x), index(y)]); s.insert([index(y), index(x)]) }
        return s
    }()

    static func measure(grid n: Int) throws -> HusimiEq8Measurement {
        let model = Spin1Chain(sites: 3)
        let spins = model.spins
        let proj = model.sectorProjectors
        let ones = proj.map(maximallyMixedState)
        let ip = model.indexZeroPlus, im = model.indexZeroMinus
        let weights = (0..<ones.count).map { Double($0 + 1) }
        let total = weights.reduce(0, +)
        var mixture = ComplexMatrix(rows: 27, columns: 27)
        for (a, o) in ones.enumerated() { mixture = mixture + Complex(weights[a] / total, 0) * o }
        let states: [(String, ComplexMatrix)] = [("1_0+", ones[ip]), ("1_0-", ones[im]), ("Pi_0+", proj[ip]), ("Pi_0-", proj[im]),
                                                 ("mixture", mixture)]
        let axis = (0..<n).map { 2 * Double.pi * Double($0) / Double(n) }
        var fits: [StateFit] = []
        var harmonics: [[Int]] = []
        var sdRel = 0.0, integral = 0.0
        for (name, rho) in states {
            let dist = try SpinPhaseDistribution(rho: rho, spins: spins)
            var design = Matrix(rows: n * n * n, columns: 2)
            var values = [Double](repeating: 0, count: n * n * n)
            var row = 0
            for x in axis { for y in axis { for z in axis {
                values[row] = dist.value([x, y, z])
                design[row, 0] = 1
                design[row, 1] = Foundation.cos(2 * (x - y)) + Foundation.cos(2 * (y - z)) + Foundation.cos(2 * (z - x))
                row += 1
            } } }
            let f = try leastSquares(design, values)
            let a = f.solution[0], b = f.solution[1]
            var res = 0.0
            for r in 0..<values.count { res = max(res, abs(values[r] - a - b * design[r, 1])) }
            if name == "1_0+" { integral = values.reduce(0, +) / Double(values.count) * pow(2 * Double.pi, 3) }
            if name == "mixture" {
                let top = dist.terms.map(\.c.length).max() ?? 0
                harmonics = dist.terms.filter { $0.k.contains { $0 != 0 } && $0.c.length > 1e-12 * top }.map(\.k)
            }
            let sd = dist.relative
            for x in axis { for y in axis { sdRel = max(sdRel, abs(sd.value([x, y]) - 2 * Double.pi * dist.value([x, y, 0]))) } }
            fits.append(StateFit(name: name, a: a, b: b, residual: res / abs(b),
                                 entry: rho[index([1, -1, 0]), index([-1, 1, 0])].real))
        }
        var outside = 0, inside = 0
        for i in 0..<27 { for j in 0..<27 where i != j && mixture[i, j].length > 1e-14 {
            if eq7Entries.contains([i, j]) { inside += 1 } else { outside += 1 }
        } }
        let literal = integral * pow(4 * Double.pi / 3, 3)
        return HusimiEq8Measurement(fits: fits, entriesOutsideEq7: outside, entriesInsideEq7: inside,
                                    normalizedIntegral: integral, literalIntegral: literal, sdRelation: sdRel,
                                    mixtureHarmonics: harmonics)
    }
}

/// The switch between (0,π)- and π/3-type maximizers on ρ = x·1₀₊ + (1 − x)·1₀₋ (N = 3),
/// by bisection on x.
struct SyncBoundaryMeasurement: Codable, Sendable, Equatable {
    var boundary: Double
    var typeAt055ZeroPi: Bool
    /// The maximizer type of pure 1₀₊ (c₀₊ = 1, c₀₋ = 0).
    var typeAtPurePlusZeroPi: Bool

    static func measure(bisections steps: Int) throws -> SyncBoundaryMeasurement {
        let model = Spin1Chain(sites: 3)
        let ones = model.sectorProjectors.map(maximallyMixedState)
        let plus = ones[model.indexZeroPlus], minus = ones[model.indexZeroMinus]
        func zeroPi(_ x: Double) throws -> Bool {
            SteadyStateSample.isZeroPiType(try SpinPhaseDistribution(rho: Complex(x, 0) * plus + Complex(1 - x, 0) * minus, spins: model.spins).relative)
        }
        guard try !zeroPi(0.01), try zeroPi(0.99) else { throw ClaimError.nonConvergence("type does not change between c₀₊ = 0.01 and 0.99") }
        var lo = 0.0, hi = 1.0
        for _ in 0..<steps {
            let mid = (lo + hi) / 2
            if try zeroPi(mid) { hi = mid } else { lo = mid }
        }
        return SyncBoundaryMeasurement(boundary: (lo + hi) / 2, typeAt055ZeroPi: try zeroPi(0.55), typeAtPurePlusZeroPi: try zeroPi(1))
    }
}

// MARK: the two spin-1/2 model of App. D (open-sync.spin-half-pair)

/// The algebraic statements of App. D for one parameter set: the symmetry of (D3), the dark
/// states of (D4), the oscillating coherence |v₊⟩⟨v₋| and the π-locking of σ^x.
struct PairStructure: Codable, Sendable, Equatable {
    /// max(|[H, P]|, |[P, L₋]|) for P as printed in (D3), and for the site swap.
    var commutatorPrinted: Double
    var commutatorSwap: Double
    /// max(|L₋v±|, |H v± − E v±|).
    var darkResidual: Double
    var energyPlus: Double, energyMinus: Double
    /// 𝓛[|v₊⟩⟨v₋|] = λ|v₊⟩⟨v₋|: |Im λ|, Re λ and the residual.
    var omega: Double, oscillationDecay: Double, oscillationResidual: Double
    /// Tr[σ_j^x |v₊⟩⟨v₋|], j = 1, 2.
    var overlaps: [Double]
    /// Im λ of the decay-free modes and the slowest decay rate of 𝓛.
    var decayFree: [Double]
    var slowestDecay: Double

    static func measure(_ model: SpinHalfPair) throws -> PairStructure {
        let spins = model.spins
        let h = model.hamiltonian, l = model.jump
        func comm(_ a: ComplexMatrix, _ b: ComplexMatrix) -> Double { (a * b - b * a).maxAbs }
        let p = SpinHalfPair.printedP, swap = spins.siteSwap
        func eigen(_ v: [Complex<Double>]) throws -> (Double, Double) {
            let hv = try gemv(h, v), lv = try gemv(l, v)
            let e = zip(v, hv).map { $0.conjugate * $1 }.reduce(Complex<Double>.zero, +).real
            let res = zip(hv, v).map { ($0 - Complex(e, 0) * $1).length }.max()!
            return (e, max(res, lv.map(\.length).max()!))
        }
        let (ep, rp) = try eigen(SpinHalfPair.vPlus), (em, rm) = try eigen(SpinHalfPair.vMinus)
        let lv = model.liouvillian
        let spec = try lv.spectrum(vectors: false)
        let osc = SpinHalfPair.outer(SpinHalfPair.vPlus, SpinHalfPair.vMinus)
        let y = try lv.apply(osc)
        let lam = frobeniusInner(osc, y) / frobeniusInner(osc, osc)
        let sx = [Complex(2.0, 0) * spins.x(0), Complex(2.0, 0) * spins.x(1)]
        return PairStructure(commutatorPrinted: max(comm(h, p), comm(p, l)), commutatorSwap: max(comm(h, swap), comm(swap, l)),
                             darkResidual: max(rp, rm), energyPlus: ep, energyMinus: em,
                             omega: abs(lam.imaginary), oscillationDecay: lam.real, oscillationResidual: (y - lam * osc).maxAbs,
                             overlaps: sx.map { ($0 * osc).trace.real },
                             decayFree: spec.decayFree.map { spec.values[$0].imaginary }.sorted(),
                             slowestDecay: spec.slowestDecay ?? 0)
    }
}

/// A realization of spin-half-pair: either the single weak draw of (D5) or one draw of the
/// Fig. 5 ensemble at every η.
struct PairRealization: Codable, Sendable, Equatable {
    struct D5: Codable, Sendable, Equatable {
        /// c₋ = ⟨v₋|ρ|v₋⟩, S_max, its maximizer φ′, and max_φ′ |S_d − [1/(2π) − (πc₋/32) cos φ′]|.
        var cMinus: Double, sMax: Double, argmax: Double, correctedResidual: Double
    }
    struct Eta: Codable, Sendable, Equatable {
        var sample: SteadyStateSample
        var cMinus: Double
        var zeroModes: Int
        var second: Double
    }
    var d5: D5?
    var etas: [Eta]

    static func cMinus(_ rho: ComplexMatrix) throws -> Double {
        let v = SpinHalfPair.vMinus
        return zip(v, try gemv(rho, v)).map { $0.conjugate * $1 }.reduce(Complex<Double>.zero, +).real
    }

    static func measureD5(eta: Double, grid n: Int, _ rng: inout RandomStream) throws -> PairRealization {
        let model = SpinHalfPair()
        let l1 = try RandomLiouvillian.draw(dimension: 4, &rng)
        let rho = try model.liouvillian.adding(l1, scaledBy: eta).steadyState()
        let cm = try cMinus(rho)
        let sd = try SpinPhaseDistribution(rho: rho, spins: model.spins).relative
        let (sMax, arg, vals) = sd.maximum(grid: n)
        let axis = sd.gridAxis(n)
        let res = zip(axis, vals).map { abs($1 - (1 / (2 * Double.pi) - Double.pi * cm / 32 * Foundation.cos($0))) }.max()!
        return PairRealization(d5: D5(cMinus: cm, sMax: sMax, argmax: arg[0], correctedResidual: res), etas: [])
    }

    static func measureEnsemble(etas: [Double], grid n: Int, r: Double, bins: Int, _ rng: inout RandomStream) throws -> PairRealization {
        let model = SpinHalfPair()
        let l1 = try RandomLiouvillian.draw(dimension: 4, &rng)
        let out = try etas.map { eta -> Eta in
            let lv = model.liouvillian.adding(l1, scaledBy: eta)
            let s = try lv.spectrum(vectors: false)
            let rho = try lv.steadyState()
            return Eta(sample: try SteadyStateSample.measure(rho: rho, spins: model.spins, grid: n, r: r, bins: bins),
                       cMinus: try cMinus(rho), zeroModes: s.zeroModes.count, second: s.sortedMagnitudes[1])
        }
        return PairRealization(d5: nil, etas: out)
    }
}

// MARK: two weakly coupled spin-1 oscillators (open-sync.two-spin1-oscillators)

/// The decoupled model (E1): its zero modes, the (E4) coherences and the (E3) frequencies.
struct DecoupledSpin1Measurement: Codable, Sendable, Equatable {
    var kernelDimension: Int
    var largestZeroSingularValue: Double, smallestNonzeroSingularValue: Double
    /// max|𝓛₀[|0,0⟩⟨1,−1|]| and max|𝓛₀[|1,−1⟩⟨0,0|]|.
    var e4Residual: Double
    /// Im λ of 𝓛₁[|0⟩⟨1|] and 𝓛₂[|−1⟩⟨0|] (single spins), and their Re parts.
    var e3Frequencies: [Double]
    var e3Decay: [Double]
    var frequencies: [Double]
    var slowestDecay: Double

    static func measure(_ model: TwoSpin1Oscillators) throws -> DecoupledSpin1Measurement {
        let l0 = model.decoupled
        let spec = try l0.spectrum(vectors: false)
        let ker = try l0.kernel()
        let k = 81 - ker.rank
        let osc = TwoSpin1Oscillators.transition(0, 0, 1, -1)
        let res = max(try l0.apply(osc).maxAbs, try l0.apply(osc.adjoint).maxAbs)
        let one = SpinOperators(twiceSpin: 2, sites: 1)
        let site1 = Liouvillian(hamiltonian: Complex(model.omega, 0) * one.z(0),
                                jumps: [Complex((model.gain1 / 2).squareRoot(), 0) * (one.plus(0) * one.z(0))])
        let site2 = Liouvillian(hamiltonian: Complex(model.omega, 0) * one.z(0),
                                jumps: [Complex((model.damp2 / 2).squareRoot(), 0) * (one.minus(0) * one.z(0))])
        var x1 = ComplexMatrix(rows: 3, columns: 3); x1[1, 0] = .one      // |0⟩⟨1|
        var x2 = ComplexMatrix(rows: 3, columns: 3); x2[2, 1] = .one      // |−1⟩⟨0|
        let l1 = frobeniusInner(x1, try site1.apply(x1)), l2 = frobeniusInner(x2, try site2.apply(x2))
        var freqs: [Double] = []
        for f in spec.frequencies where !freqs.contains(where: { abs($0 - f) < 1e-6 }) { freqs.append(f) }
        return DecoupledSpin1Measurement(kernelDimension: k, largestZeroSingularValue: ker.singularValues[ker.rank...].max() ?? 0,
                                         smallestNonzeroSingularValue: ker.singularValues[ker.rank - 1], e4Residual: res,
                                         e3Frequencies: [l1.imaginary, l2.imaginary], e3Decay: [l1.real, l2.real],
                                         frequencies: freqs, slowestDecay: spec.slowestDecay ?? 0)
    }
}

/// One coupling cell of the (E2) scan: the steady state of 𝓛₁ + 𝓛₂ + 𝓛₍₁₎ with
/// (ε, Δ₁, Δ₂, γ₁^d, γ₂^g) = t·direction.
struct CouplingCell: Codable, Sendable, Equatable {
    var direction: [Double]
    var t: Double
    var zeroModes: Int
    var second: Double
    var sMax: Double
    var argmax: Double
    /// |⟨0,0|ρ|1,−1⟩| and S_max with that entry (and its conjugate) removed.
    var coherence: Double
    var sMaxWithoutCoherence: Double
    var minEigenvalue: Double

    static func measure(_ model: TwoSpin1Oscillators, direction d: [Double], t: Double, grid n: Int) throws -> CouplingCell {
        let lv = model.liouvillian(epsilon: d[0] * t, delta1: d[1] * t, delta2: d[2] * t, damp1: d[3] * t, gain2: d[4] * t)
        let s = try lv.spectrum(vectors: false)
        let rho = try lv.steadyState()
        let m = try SpinPhaseDistribution(rho: rho, spins: model.spins).relative.maximum(grid: n)
        var stripped = rho
        stripped[4, 2] = .zero; stripped[2, 4] = .zero
        let m0 = try SpinPhaseDistribution(rho: stripped, spins: model.spins).relative.maximum(grid: n)
        return CouplingCell(direction: d, t: t, zeroModes: s.zeroModes.count, second: s.sortedMagnitudes[1], sMax: m.sMax,
                            argmax: m.argmax[0], coherence: rho[4, 2].length, sMaxWithoutCoherence: m0.sMax,
                            minEigenvalue: try hermitianEigen(rho, vectors: false).values.min()!)
    }
}

/// The leading-order steady state of Eq. (5) for couplings t·direction → 0: the kernel of the
/// effective generator (Λ†R)⁻¹Λ†𝓛₍₁₎R on ker 𝓛₀ (R, Λ right and left null spaces) — this
/// project's degenerate perturbation theory.
struct Eq5Limit: Codable, Sendable, Equatable {
    var sMax: Double, argmax: Double, effectiveKernel: Int
    var coherenceRe: Double, coherenceIm: Double

    static func measure(_ model: TwoSpin1Oscillators, direction d: [Double], grid n: Int) throws -> Eq5Limit {
        let l0 = model.decoupled
        let ker0 = try l0.kernel()
        let l1 = model.liouvillian(epsilon: d[0], delta1: d[1], delta2: d[2], damp1: d[3], gain2: d[4]).matrix - l0.matrix
        let right = ker0.basis
        let left = try nullSpace(l0.matrix.adjoint).basis
        let a = try gemm(left, right, transA: .adjoint)
        let bm = try gemm(left, try gemm(l1, right), transA: .adjoint)
        let e = try generalEigen(try solve(a, bm), right: true)
        let mags = e.values.map(\.length)
        let i0 = mags.indices.min { mags[$0] < mags[$1] }!
        var rho = Vectorization.unvec(try gemv(right, e.right!.column(i0)), dimension: 9)
        rho = (Complex(1, 0) / rho.trace) * rho
        rho = Complex(0.5, 0) * (rho + rho.adjoint)
        let m = try SpinPhaseDistribution(rho: rho, spins: model.spins).relative.maximum(grid: n)
        return Eq5Limit(sMax: m.sMax, argmax: m.argmax[0], effectiveKernel: mags.filter { $0 <= 1e-10 * (mags.max() ?? 1) }.count,
                        coherenceRe: rho[4, 2].real, coherenceIm: rho[4, 2].imaginary)
    }
}
