import Foundation
import Kernels
import Linalg

/// The ED set-up of the claims that test the single-spin and few-spin statements at large
/// grain dimension (Secs. III–V): a GOE grain of dimension d_g with root-mean-square
/// eigenvalue 1 (semicircle radius ≈ 2, ρ_g(0) ≈ d_g/π), spins with splittings h_n uniform in
/// h ± δh (h = ½: h ρ_g ≫ 1 and h well inside the bandwidth, the paper's regime), couplings of
/// Eq. (2) with the grain operator σ_g of `CentralGrainModel.GrainOperator`. "States at maximum
/// entropy" are those within ±w of E_∞ = tr H/D (w = ½ by default).
public struct CentralGrainSetup: Codable, Sendable, Equatable {
    public var grainDimension: Int
    public var rmsEigenvalue: Double = 1
    public var splitting: Double = 0.5
    public var splittingSpread: Double = 0.05
    public var window: Double = 0.5
    public var grainOperator: CentralGrainModel.GrainOperator = .pauliOnGrainQubit

    public init(grainDimension: Int, rmsEigenvalue: Double = 1, splitting: Double = 0.5, splittingSpread: Double = 0.05,
                window: Double = 0.5, grainOperator: CentralGrainModel.GrainOperator = .pauliOnGrainQubit) {
        self.grainDimension = grainDimension; self.rmsEigenvalue = rmsEigenvalue; self.splitting = splitting
        self.splittingSpread = splittingSpread; self.window = window; self.grainOperator = grainOperator
    }

    /// A model with these couplings J_n (one spin per entry). Draw order: H_g, A (Gaussian
    /// operator only), then the splittings.
    public func model(couplings: [Double], _ rng: inout RandomStream) -> CentralGrainModel {
        let hg = CentralGrainModel.goeGrain(dimension: grainDimension, rms: rmsEigenvalue, convention: .ensembleMean, &rng)
        let a = CentralGrainModel.grainRaising(grainOperator, dimension: grainDimension, &rng)
        let hs = couplings.map { _ in rng.uniform(splitting - splittingSpread, splitting + splittingSpread) }
        return CentralGrainModel(grainHamiltonian: hg, grainRaising: a, splittings: hs, couplings: couplings)
    }

    /// The coupling J that gives reduced coupling ≈ g in the large-d_g ETH estimate (Eq. 4 with
    /// ρ_g at grain energy h): only to place a scan; every claim measures g by Eq. (3).
    public func couplingEstimate(forReducedCoupling g: Double) -> Double {
        let d = Double(grainDimension)
        let r = 2 * rmsEigenvalue * (d / (d + 1)).squareRoot()      // semicircle radius of the ensemble
        let rho = 2 * d / (Double.pi * r * r) * max(0, r * r - splitting * splitting).squareRoot()
        // E|2J A′| with Var A′ ≈ 1/(2d) (tr AAᵀ = d/2): 2J √(2/π) / √(2d).
        return g / (rho * 2 * (2 / Double.pi).squareRoot() / (2 * d).squareRoot())
    }
}

/// The pieces of Eq. (3) for one realization, combinable across realizations:
/// g = ρ [|V_ab|] with ρ = states/width and [|V_ab|] = sum/pairs over ordered pairs a ≠ b in
/// the window (the vanishing elements between states the coupling does not connect included).
public struct CouplingPieces: Codable, Sendable, Equatable {
    public var sumAbsoluteElements: Double
    public var pairs: Double
    public var states: Int
    public var width: Double
    public init(sumAbsoluteElements: Double, pairs: Double, states: Int, width: Double) {
        self.sumAbsoluteElements = sumAbsoluteElements; self.pairs = pairs; self.states = states; self.width = width
    }
    public var meanAbsoluteElement: Double { sumAbsoluteElements / pairs }
    public var reducedCoupling: Double { Double(states) / width * meanAbsoluteElement }

    /// Pooled over realizations: ρ̄ = Σ states / Σ width, [|V|] = Σ sums / Σ pairs.
    public static func pooled(_ p: [CouplingPieces]) -> (density: Double, meanAbsoluteElement: Double, reducedCoupling: Double) {
        let s = p.reduce(0.0) { $0 + $1.sumAbsoluteElements }, n = p.reduce(0.0) { $0 + $1.pairs }
        let st = p.reduce(0.0) { $0 + Double($1.states) }, w = p.reduce(0.0) { $0 + $1.width }
        return (st / w, s / n, st / w * s / n)
    }
}

/// The grain's eigenbasis and the grain operator A in it: the unperturbed (all couplings off)
/// eigenbasis of Eq. (1) is this ⊗ the spins' σ^z basis.
public struct GrainEigenbasis: Sendable {
    public let energies: [Double]
    /// A′ = UᵀAU (d_g × d_g).
    public let operatorElements: Matrix

    public init(_ m: CentralGrainModel) throws {
        let e = try symmetricEigen(m.grainHamiltonian, vectors: true)
        let u = e.vectors!
        energies = e.values
        operatorElements = try gemm(u, try gemm(m.grainRaising, u), transA: .transpose)
    }

    /// Energies of the product states (α, s) of K spins with splittings h, index s·d_g + α
    /// (docs/CONVENTIONS.md: spin i is bit i, 1 = ↑).
    public func productEnergies(splittings h: [Double]) -> [Double] {
        let k = h.count, ns = 1 << k, d = energies.count
        var out = [Double](repeating: 0, count: d * ns)
        for s in 0..<ns {
            var z = 0.0
            for i in 0..<k { z += (s >> i) & 1 == 1 ? h[i] : -h[i] }
            for a in 0..<d { out[s * d + a] = energies[a] + z }
        }
        return out
    }
}

public enum CentralGrainMeasure {
    /// Eq. (3) for spin n of a model whose couplings are all off except spin n's, in the product
    /// basis: pairs (α, s) ↔ (β, s with spin n flipped), |V| = 2J_n|A′_βα|.
    public static func bareCoupling(_ m: CentralGrainModel, grain: GrainEigenbasis, spin n: Int, window w: Double) -> CouplingPieces {
        let k = m.spins, ns = 1 << k, mask = m.spinMask(n), d = m.grainDimension
        let e0 = m.infiniteTemperatureEnergy
        let e = grain.productEnergies(splittings: m.splittings)
        let inWindow = e.map { abs($0 - e0) <= w }
        let count = inWindow.reduce(0) { $0 + ($1 ? 1 : 0) }
        let c = 2 * abs(m.couplings[n])
        var sum = 0.0
        let a = grain.operatorElements
        for s in 0..<ns where s & mask != 0 {
            for alpha in 0..<d where inWindow[s * d + alpha] {
                for beta in 0..<d where inWindow[(s ^ mask) * d + beta] {
                    sum += abs(a[beta, alpha])        // ⟨β, ↓_n|V|α, ↑_n⟩ = 2J A′_βα
                }
            }
        }
        return CouplingPieces(sumAbsoluteElements: 2 * c * sum, pairs: Double(count) * Double(count - 1), states: count, width: 2 * w)
    }

    /// g_na of Eq. (5) for spin n (all other couplings off) for the window states.
    public static func perturbativeNorms(_ m: CentralGrainModel, grain: GrainEigenbasis, spin n: Int, window w: Double) -> [Double] {
        let mask = m.spinMask(n), d = m.grainDimension
        let e0 = m.infiniteTemperatureEnergy
        let e = grain.productEnergies(splittings: m.splittings)
        let c = 2 * m.couplings[n]
        var out = [Double]()
        for idx in e.indices where abs(e[idx] - e0) <= w {
            let alpha = idx % d, s = idx / d, t = s ^ mask
            var g2 = 0.0
            for beta in 0..<d {
                // ⟨β, t|V|α, s⟩ = 2J A′_βα if s has spin n up, 2J A′_αβ if down.
                let v = c * (s & mask != 0 ? grain.operatorElements[beta, alpha] : grain.operatorElements[alpha, beta])
                let x = v / (e[idx] - e[t * d + beta])
                g2 += x * x
            }
            out.append(g2.squareRoot())
        }
        return out
    }
}

/// One realization of the single-spin resonance statistics (N = 1, V₁ = 0 basis only):
/// Eq. (3), Eq. (5) for the window states, and the pieces of Eq. (4).
public struct ResonanceNormSample: Codable, Sendable, Equatable {
    public var coupling: CouplingPieces
    /// g_1a of the window states.
    public var norms: [Double]
    /// Grain states within ±w_g of the grain's centre, and within ±w_g of ±h (for ρ_g).
    public var grainStatesCentre: Int
    public var grainStatesAtSplitting: Int
    public var grainWindow: Double
    /// Spectral function of V₁ under H|_{V₁=0}, v(ω) = (1/n) Σ_a Σ_b |V_ab|² 1[|E_a − E_b − ω| < δ]/(2δ),
    /// with a over the window states (the ETH spectral function at the energy of maximum
    /// entropy, "microcanonical") or over all D states (the trace), at ω = h₁ (Eq. 4 as printed)
    /// and at ω = 0.
    public var spectralWindowAtSplitting: Double
    public var spectralWindowAtZero: Double
    public var spectralTraceAtSplitting: Double
    public var spectralTraceAtZero: Double
    public var spectralHalfWidth: Double
    public var splitting: Double

    /// One realization: GOE grain, one spin, coupling J (any: x = g_1a/g₁ does not depend on it).
    public static func measure(_ setup: CentralGrainSetup, coupling j: Double, _ rng: inout RandomStream) throws -> ResonanceNormSample {
        let m = setup.model(couplings: [j], &rng)
        let grain = try GrainEigenbasis(m)
        let pieces = CentralGrainMeasure.bareCoupling(m, grain: grain, spin: 0, window: setup.window)
        let norms = CentralGrainMeasure.perturbativeNorms(m, grain: grain, spin: 0, window: setup.window)
        let h = m.splittings[0], e0 = m.infiniteTemperatureEnergy, wg = setup.window
        let centre = grain.energies.filter { abs($0 - e0) <= wg }.count
        let atH = grain.energies.filter { abs(abs($0 - e0) - h) <= wg / 2 }.count
        // Spectral function of V₁: transitions (α,↑) ↔ (β,↓) with E_(α↑) − E_(β↓) = ε_α − ε_β + 2h
        // and the reverse; a in the window (microcanonical) or any (trace).
        let d = m.grainDimension, delta = 0.1
        var wH = 0.0, w0 = 0.0, tH = 0.0, t0 = 0.0, nW = 0
        let c2 = 4 * j * j
        for alpha in 0..<d {
            let eUp = grain.energies[alpha] + h, eDown = grain.energies[alpha] - h
            let upIn = abs(eUp - e0) <= setup.window, downIn = abs(eDown - e0) <= setup.window
            nW += (upIn ? 1 : 0) + (downIn ? 1 : 0)
            for beta in 0..<d {
                // a = (α,↑), b = (β,↓): ΔE = ε_α − ε_β + 2h; a = (α,↓), b = (β,↑): ΔE = ε_α − ε_β − 2h.
                let vUp = c2 * grain.operatorElements[beta, alpha] * grain.operatorElements[beta, alpha]
                let vDown = c2 * grain.operatorElements[alpha, beta] * grain.operatorElements[alpha, beta]
                let deUp = grain.energies[alpha] - grain.energies[beta] + 2 * h
                let deDown = grain.energies[alpha] - grain.energies[beta] - 2 * h
                for (v, de, inside) in [(vUp, deUp, upIn), (vDown, deDown, downIn)] {
                    let atH = abs(de - h) < delta ? v : 0, atZero = abs(de) < delta ? v : 0
                    tH += atH; t0 += atZero
                    if inside { wH += atH; w0 += atZero }
                }
            }
        }
        let norm = 2 * delta
        return ResonanceNormSample(coupling: pieces, norms: norms, grainStatesCentre: centre, grainStatesAtSplitting: atH,
                                   grainWindow: wg, spectralWindowAtSplitting: wH / Double(nW) / norm, spectralWindowAtZero: w0 / Double(nW) / norm,
                                   spectralTraceAtSplitting: tH / Double(2 * d) / norm, spectralTraceAtZero: t0 / Double(2 * d) / norm,
                                   spectralHalfWidth: delta, splitting: h)
    }
}

/// One realization of the few-spin measurements (Secs. III–V): K active spins coupled to the
/// grain, optionally one spectator spin whose coupling is only used for its matrix elements.
///
/// - bare: Eq. (3) for each active spin with every other coupling off (product basis);
/// - entropies: the eigenstates of H_act = H_g + Σh σ^z + Σ_{active} V_n (ED, eigenpairs in
///   the needed energy window only): per active spin the sum over window states of S_na and of
///   ⟨σ_n^z⟩² (C̄^zz restricted to those states), and a histogram of S_1a/log 2 (20 bins);
/// - spectator s: Σ |V_s,ab| over window pairs of the full system in the eigenbasis of H with
///   V_s off and the actives on (`spectatorOn`), and with everything off (`spectatorOff`),
///   as Eq. (3) pieces: their ratio is e^{η/2} (A19) and, for two actives, (A37).
///
/// With V_s off the spectator's σ^z is conserved and its two sectors are copies of H_act
/// shifted by ±h_s, so one diagonalization of H_act (dimension d_g 2^K) gives the basis:
/// ⟨b,↓_s|V_s|a,↑_s⟩ = 2J_s (Wᵀ(1 ⊗ A)W)_ba (spins ⊗ grain, docs/CONVENTIONS.md).
public struct ActiveSpinsSample: Codable, Sendable, Equatable {
    public var bare: [CouplingPieces]
    public var windowStates: Int
    public var entropySums: [Double]
    public var autocorrelatorSums: [Double]
    public var entropyHistogram: [Int]
    public var spectatorOn: CouplingPieces?
    public var spectatorOff: CouplingPieces?

    public static let histogramBins = 20

    public static func measure(_ setup: CentralGrainSetup, couplings j: [Double], spectator: Bool,
                               _ rng: inout RandomStream) throws -> ActiveSpinsSample {
        let k = j.count - (spectator ? 1 : 0)
        precondition(k >= 1)
        let full = setup.model(couplings: j, &rng)
        let act = CentralGrainModel(grainHamiltonian: full.grainHamiltonian, grainRaising: full.grainRaising,
                                    splittings: Array(full.splittings.prefix(k)), couplings: Array(j.prefix(k)))
        let grain = try GrainEigenbasis(full)
        let w = setup.window, e0 = full.infiniteTemperatureEnergy
        // Bare couplings of the actives (each with all others off), in the active-spin space.
        let bare = (0..<k).map { n -> CouplingPieces in
            var cs = [Double](repeating: 0, count: k); cs[n] = j[n]
            let single = CentralGrainModel(grainHamiltonian: act.grainHamiltonian, grainRaising: act.grainRaising,
                                           splittings: act.splittings, couplings: cs)
            return CentralGrainMeasure.bareCoupling(single, grain: grain, spin: n, window: w)
        }
        // Eigenpairs of H_act in the window needed (wider by h_s with a spectator).
        let hs = spectator ? full.splittings[k] : 0
        let reach = w + hs
        let eig = try symmetricEigen(act.hamiltonian(), vectors: true, window: .values(lower: e0 - reach, upper: e0 + reach))
        let vectors = eig.vectors!, energies = eig.values
        let rows = act.dimension
        var entropySums = [Double](repeating: 0, count: k), zSums = entropySums
        var hist = [Int](repeating: 0, count: histogramBins)
        var windowStates = 0
        for (c, e) in energies.enumerated() where abs(e - e0) <= w {
            windowStates += 1
            let col = vectors.storage[(c * rows)..<((c + 1) * rows)]
            for n in 0..<k {
                let s = act.spinEntropy(col, spin: n)
                entropySums[n] += s
                let r = act.spinReducedDensity(col, spin: n)
                zSums[n] += (r.up - r.down) * (r.up - r.down)
                if n == 0 { hist[min(histogramBins - 1, Int(s / log(2.0) * Double(histogramBins)))] += 1 }
            }
        }
        var on: CouplingPieces? = nil, off: CouplingPieces? = nil
        if spectator {
            // On: W columns with E_a + h_s in the window (↑_s) and E_b − h_s in it (↓_s).
            let up = energies.indices.filter { abs(energies[$0] + hs - e0) <= w }
            let down = energies.indices.filter { abs(energies[$0] - hs - e0) <= w }
            let y = applyGrainOperator(act.grainRaising, to: vectors, spins: k)
            let mm = try gemm(vectors, y, transA: .transpose)          // (Wᵀ(1⊗A)W)_{ba}
            var sum = 0.0
            for a in up { for b in down { sum += abs(mm[b, a]) } }
            let n = up.count + down.count
            on = CouplingPieces(sumAbsoluteElements: 2 * 2 * abs(j[k]) * sum, pairs: Double(n) * Double(n - 1), states: n, width: 2 * w)
            // Off: product basis of actives ⊗ grain, M₀ = 1 ⊗ A′.
            let e = grain.productEnergies(splittings: act.splittings)
            let ns = 1 << k, d = full.grainDimension
            var sum0 = 0.0, n0 = 0
            for idx in e.indices {
                if abs(e[idx] + hs - e0) <= w { n0 += 1 }
                if abs(e[idx] - hs - e0) <= w { n0 += 1 }
            }
            for s in 0..<ns {
                for alpha in 0..<d where abs(e[s * d + alpha] + hs - e0) <= w {
                    for beta in 0..<d where abs(e[s * d + beta] - hs - e0) <= w {
                        sum0 += abs(grain.operatorElements[beta, alpha])
                    }
                }
            }
            off = CouplingPieces(sumAbsoluteElements: 2 * 2 * abs(j[k]) * sum0, pairs: Double(n0) * Double(n0 - 1), states: n0, width: 2 * w)
        }
        return ActiveSpinsSample(bare: bare, windowStates: windowStates, entropySums: entropySums, autocorrelatorSums: zSums,
                                 entropyHistogram: hist, spectatorOn: on, spectatorOff: off)
    }

    /// (1_{2^K} ⊗ A) W for the columns of W: the grain is the fast index (docs/CONVENTIONS.md),
    /// so W is a d_g × (2^K·columns) matrix of grain blocks and this is one gemm.
    static func applyGrainOperator(_ a: Matrix, to w: Matrix, spins k: Int) -> Matrix {
        let d = a.rows, blocks = (1 << k) * w.columns
        let x = Matrix(rows: d, columns: blocks, entries: w.storage, order: .columnMajor)
        let y = try! gemm(a, x)
        return Matrix(rows: w.rows, columns: w.columns, entries: y.storage, order: .columnMajor)
    }
}
