import Foundation
import Linalg
import Numerics
import Special

/// In-plane phase distributions of N spins from the SU(2) Husimi-Q function
/// (open-sync App. A, Eqs. (A1)–(A3), (2), (3)).
///
/// - (A2) coherent state: |φ, θ⟩ = ⊗_j e^{−iφ_j S_j^z} e^{−iθ_j S_j^y} |S_j⟩, with amplitudes
///   ⟨m|θ, φ⟩ = e^{−imφ} b_m(θ), b_m(θ) = √C(2S, S+m) cos^{S+m}(θ/2) sin^{S−m}(θ/2).
/// - (A1) Q(φ, θ) = ⟨φ, θ|ρ|φ, θ⟩.
/// - (A3) S(φ) = ∏_j [(2S+1)/(4π) ∫₀^π sin θ_j dθ_j] Q(φ, θ). **The factor (2S+1)/(4π) per
///   site is not printed in (A3)**; without it ∫S dφ = (4π/(2S+1))^N instead of the unit
///   normalization App. A requires. It is included here, so ∫_{[0,2π)^N} S = 1 and a
///   diagonal ρ gives S = (2π)^{−N} exactly.
/// - S(φ) is then a finite Fourier series, S(φ) = Σ_{a,b} ρ_ab ∏_j W(m_j^a, m_j^b) e^{i k·φ} with
///   k_j = m_j^a − m_j^b and W(m, m′) = (2S+1)/(4π) ∫₀^π sin θ b_m b_m′ dθ.
/// - Eq. (2): S_d(φ′) = ∫₀^{2π} dφ_N S(φ′₁ + φ_N, …, φ′_{N−1} + φ_N, φ_N) keeps the terms with
///   Σ_j k_j = 0, times 2π; Eq. (3): S_max = max S_d − (2π)^{−(N−1)}.
///
/// θ integral: by default the closed form ∫₀^π sin θ cos^p(θ/2) sin^q(θ/2) dθ =
/// 2 B((p+2)/2, (q+2)/2) with p = 2S + m + m′, q = 2S − m − m′ (exact up to rounding);
/// optionally n-point Gauss–Legendre on [0, π] (the integrand is a trigonometric polynomial
/// in θ/2 of degree 4S + 2; measured max error vs the closed form: S = 1: n = 8 → 4.5e-9,
/// n = 12 → 1e-16; S = 1/2: n = 8 → 1e-11, n = 12 → 1e-16).
public struct SpinPhaseDistribution: Sendable {
    public let spins: SpinOperators
    /// Per-site θ weights W[i, i′] (local indices), normalization (2S+1)/(4π) included.
    public let thetaWeights: [[Double]]
    /// Fourier terms of S(φ): wave vector k (one entry per site) → coefficient.
    public let terms: [(k: [Int], c: Complex<Double>)]

    /// S(φ) of the state `rho` (D × D, D = (2S+1)^N). `quadraturePoints` = nil uses the
    /// closed-form θ integral, n uses n-point Gauss–Legendre.
    public init(rho: ComplexMatrix, spins: SpinOperators, quadraturePoints: Int? = nil) throws {
        precondition(rho.rows == spins.dimension && rho.isSquare)
        self.spins = spins
        let w = try Self.thetaWeights(twiceSpin: spins.twiceSpin, quadraturePoints: quadraturePoints)
        thetaWeights = w
        let dim = spins.dimension
        let idx = (0..<dim).map { spins.localIndices($0) }
        var acc: [[Int]: Complex<Double>] = [:]
        for b in 0..<dim {
            for a in 0..<dim {
                let r = rho[a, b]
                if r == .zero { continue }
                var weight = 1.0
                var k = [Int](repeating: 0, count: spins.sites)
                for j in 0..<spins.sites {
                    weight *= w[idx[a][j]][idx[b][j]]
                    k[j] = idx[b][j] - idx[a][j]          // m_a − m_b (local index i = S − m)
                }
                acc[k, default: .zero] += Complex(weight, 0) * r
            }
        }
        terms = acc.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { ($0, acc[$0]!) }
    }

    /// W(m, m′) = (2S+1)/(4π) ∫₀^π sin θ b_m(θ) b_m′(θ) dθ on local indices.
    public static func thetaWeights(twiceSpin: Int, quadraturePoints: Int? = nil) throws -> [[Double]] {
        let d = twiceSpin + 1
        let s = Double(twiceSpin) / 2
        let norm = Double(d) / (4 * Double.pi)
        func logBinomial(_ n: Int, _ k: Int) -> Double { lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1)) }
        var w = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        if let n = quadraturePoints {
            let (t, wt) = try Quadrature.gaussLegendre(points: n, from: 0, to: Double.pi)
            for i in 0..<d {
                for i2 in 0..<d {
                    let m = s - Double(i), m2 = s - Double(i2)
                    let c = exp(0.5 * (logBinomial(twiceSpin, Int((s + m).rounded())) + logBinomial(twiceSpin, Int((s + m2).rounded()))))
                    var sum = 0.0
                    for q in 0..<n {
                        let ch = cos(t[q] / 2), sh = sin(t[q] / 2)
                        sum += wt[q] * sin(t[q]) * pow(ch, 2 * s + m + m2) * pow(sh, 2 * s - m - m2)
                    }
                    w[i][i2] = norm * c * sum
                }
            }
        } else {
            for i in 0..<d {
                for i2 in 0..<d {
                    let m = s - Double(i), m2 = s - Double(i2)
                    let p = 2 * s + m + m2, q = 2 * s - m - m2
                    let lc = 0.5 * (logBinomial(twiceSpin, Int((s + m).rounded())) + logBinomial(twiceSpin, Int((s + m2).rounded())))
                    let lbeta = lgamma((p + 2) / 2) + lgamma((q + 2) / 2) - lgamma((p + q + 4) / 2)
                    w[i][i2] = norm * 2 * exp(lc + lbeta)
                }
            }
        }
        return w
    }

    /// S(φ) at one point (φ_1, …, φ_N).
    public func value(_ phi: [Double]) -> Double {
        var s = 0.0
        for t in terms {
            var arg = 0.0
            for j in 0..<phi.count { arg += Double(t.k[j]) * phi[j] }
            s += t.c.real * cos(arg) - t.c.imaginary * sin(arg)
        }
        return s
    }

    /// The relative-phase distribution S_d(φ′) of Eq. (2).
    public var relative: RelativePhaseDistribution {
        var acc: [[Int]: Complex<Double>] = [:]
        for t in terms where t.k.reduce(0, +) == 0 {
            acc[Array(t.k.dropLast()), default: .zero] += Complex(2 * Double.pi, 0) * t.c
        }
        return RelativePhaseDistribution(dimension: spins.sites - 1,
                                         terms: acc.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { ($0, acc[$0]!) })
    }

    /// Husimi Q of Eq. (A1) at (φ, θ), from the coherent-state amplitudes of (A2) (for tests).
    public static func husimiQ(rho: ComplexMatrix, spins: SpinOperators, phi: [Double], theta: [Double]) -> Double {
        let dim = spins.dimension
        let s = spins.spin
        var amp = [Complex<Double>](repeating: .one, count: dim)
        for a in 0..<dim {
            let m = spins.magneticNumbers(a)
            for j in 0..<spins.sites {
                let mj = m[j]
                let c = exp(0.5 * (lgamma(2 * s + 1) - lgamma(s + mj + 1) - lgamma(s - mj + 1)))
                let b = c * pow(cos(theta[j] / 2), s + mj) * pow(sin(theta[j] / 2), s - mj)
                amp[a] *= Complex(b * cos(-mj * phi[j]), b * sin(-mj * phi[j]))
            }
        }
        var q = Complex<Double>.zero
        for b in 0..<dim { for a in 0..<dim { q += amp[a].conjugate * rho[a, b] * amp[b] } }
        return q.real
    }
}

/// S_d(φ′) of Eq. (2) as a Fourier series in the N − 1 relative angles φ′_j = φ_j − φ_N,
/// with S_max of Eq. (3).
public struct RelativePhaseDistribution: Sendable {
    /// N − 1.
    public let dimension: Int
    public let terms: [(k: [Int], c: Complex<Double>)]

    public init(dimension: Int, terms: [(k: [Int], c: Complex<Double>)]) {
        self.dimension = dimension
        self.terms = terms
    }

    /// The uniform level (2π)^{−(N−1)} subtracted in Eq. (3).
    public var uniformLevel: Double { pow(2 * Double.pi, -Double(dimension)) }

    public func value(_ p: [Double]) -> Double {
        var s = 0.0
        for t in terms {
            var arg = 0.0
            for j in 0..<dimension { arg += Double(t.k[j]) * p[j] }
            s += t.c.real * cos(arg) - t.c.imaginary * sin(arg)
        }
        return s
    }

    /// Value, gradient and Hessian at p (for Newton refinement of the maximum).
    func derivatives(_ p: [Double]) -> (Double, [Double], [[Double]]) {
        let n = dimension
        var v = 0.0
        var g = [Double](repeating: 0, count: n)
        var h = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for t in terms {
            var arg = 0.0
            for j in 0..<n { arg += Double(t.k[j]) * p[j] }
            let re = t.c.real * cos(arg) - t.c.imaginary * sin(arg)      // Re(c e^{i arg})
            let im = t.c.real * sin(arg) + t.c.imaginary * cos(arg)      // Im(c e^{i arg})
            v += re
            for a in 0..<n {
                g[a] -= Double(t.k[a]) * im
                for b in 0..<n { h[a][b] -= Double(t.k[a] * t.k[b]) * re }
            }
        }
        return (v, g, h)
    }

    /// Grid points 2π·i/n per axis (`dimension` 1 or 2), row-major: index = i₁·n + i₂.
    public func gridAxis(_ n: Int) -> [Double] { (0..<n).map { 2 * Double.pi * Double($0) / Double(n) } }

    /// S_d on the n^(N−1) grid (dimension 1 or 2), index i₁·n + i₂ for two angles.
    public func gridValues(_ n: Int) -> [Double] {
        precondition(dimension == 1 || dimension == 2, "grid evaluation for N = 2 or 3 spins")
        let axis = gridAxis(n)
        if dimension == 1 { return axis.map { value([$0]) } }
        // separable tables e^{i k φ}
        var out = [Double](repeating: 0, count: n * n)
        let ks = Set(terms.flatMap { $0.k })
        var tab: [Int: [Complex<Double>]] = [:]
        for k in ks { tab[k] = axis.map { Complex(cos(Double(k) * $0), sin(Double(k) * $0)) } }
        for t in terms {
            let t1 = tab[t.k[0]]!, t2 = tab[t.k[1]]!
            for i in 0..<n {
                let a = t.c * t1[i]
                for j in 0..<n {
                    let z = t2[j]
                    out[i * n + j] += a.real * z.real - a.imaginary * z.imaginary
                }
            }
        }
        return out
    }

    /// S_max of Eq. (3) and the maximizer: grid search on n points per axis (take n divisible
    /// by 6 so the (0, π) and π/3 configurations are grid points), then Newton refinement
    /// on the Fourier series (kept only if it increases S_d and stays within one grid cell).
    public func maximum(grid n: Int) -> (sMax: Double, argmax: [Double], gridValues: [Double]) {
        let vals = gridValues(n)
        var best = 0
        for i in vals.indices where vals[i] > vals[best] { best = i }
        let axis = gridAxis(n)
        var p = dimension == 1 ? [axis[best]] : [axis[best / n], axis[best % n]]
        var v = vals[best]
        let cell = 2 * Double.pi / Double(n)
        let start = p
        for _ in 0..<20 {
            let (_, g, h) = derivatives(p)
            var step: [Double]
            if dimension == 1 {
                guard h[0][0] < 0 else { break }
                step = [-g[0] / h[0][0]]
            } else {
                let det = h[0][0] * h[1][1] - h[0][1] * h[1][0]
                guard h[0][0] < 0, det > 0 else { break }
                step = [-(h[1][1] * g[0] - h[0][1] * g[1]) / det, -(-h[1][0] * g[0] + h[0][0] * g[1]) / det]
            }
            let q = zip(p, step).map { $0 + $1 }
            if zip(q, start).contains(where: { abs($0 - $1) > cell }) { break }
            let vq = value(q)
            if vq < v - 1e-15 * abs(v) { break }
            let moved = step.map(abs).max() ?? 0
            p = q; v = max(v, vq)
            if moved < 1e-13 { break }
        }
        let twoPi = 2 * Double.pi
        let wrapped = p.map { x -> Double in
            let r = x.truncatingRemainder(dividingBy: twoPi)
            return r < 0 ? r + twoPi : r
        }
        return (v - uniformLevel, wrapped, vals)
    }

    /// The threshold sample of open-sync (text after Eq. (9), App. D): grid points where the
    /// modulation S_d − (2π)^{−(N−1)} exceeds r·S_max, weighted by S_d (weights sum to 1).
    /// (The literal "S_d > 0.95 max S_d" of the Fig. 3a caption would keep almost the whole
    /// torus, because the modulation is ~1e-4 of the constant.)
    public func thresholdSample(gridValues vals: [Double], sMax: Double, r: Double) -> [(index: Int, weight: Double)] {
        let cut = uniformLevel + r * sMax
        var sel: [(Int, Double)] = []
        var total = 0.0
        for (i, v) in vals.enumerated() where v > cut { sel.append((i, v)); total += v }
        return sel.map { ($0.0, $0.1 / total) }
    }
}

// MARK: characterization of angular configurations (open-sync Eq. (9), App. C, Eq. (D6))

/// Angular distance on the circle, argdist(a, b) = min_n |a − b + 2πn|.
@inline(__always)
public func angularDistance(_ a: Double, _ b: Double) -> Double {
    var x = (a - b).truncatingRemainder(dividingBy: 2 * Double.pi)
    if x < 0 { x += 2 * Double.pi }
    return min(x, 2 * Double.pi - x)
}
