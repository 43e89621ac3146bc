import Foundation
import Linalg

/// Lyapunov exponents γ(E) of the one-dimensional tight-binding (Anderson) chain
/// t ψ_{k+1} + t ψ_{k−1} + ε_k ψ_k = E ψ_k, from the transfer-matrix recursion
/// ψ_{k+1} = ((E − ε_k)/t) ψ_k − ψ_{k−1}, renormalized every 8 steps. The localization
/// length is ξ(E) = 1/γ(E) (mbl-sync: ⟨j|φ_i⟩ ~ e^{−|i−j|/ξ}, hopping t = ½, ε_k ~ U[−W, W]).
///
/// All energies see the same disorder sequence. The error is the standard error of the
/// growth rates of `blocks` consecutive equal segments.
public struct LyapunovEstimate: Sendable {
    public let energies: [Double]
    public let gamma: [Double]
    public let standardError: [Double]
}

public func lyapunovExponents(energies: [Double], hopping t: Double, steps: Int, blocks: Int = 20,
                              rng: inout RandomStream, onsite: (inout RandomStream) -> Double) -> LyapunovEstimate {
    precondition(steps >= blocks * 8 && blocks >= 2 && t != 0)
    let ne = energies.count
    var a = [Double](repeating: 1, count: ne), b = [Double](repeating: 0, count: ne)
    var blockLog = [[Double]](repeating: [Double](repeating: 0, count: blocks), count: ne)
    let perBlock = steps / blocks
    let inv = 1 / t
    for blk in 0..<blocks {
        var logs = [Double](repeating: 0, count: ne)
        for s in 0..<perBlock {
            let eps = onsite(&rng)
            for q in 0..<ne {
                let na = (energies[q] - eps) * inv * a[q] - b[q]
                b[q] = a[q]; a[q] = na
            }
            if s % 8 == 7 || s == perBlock - 1 {
                for q in 0..<ne {
                    let nrm = (a[q] * a[q] + b[q] * b[q]).squareRoot()
                    logs[q] += Foundation.log(nrm); a[q] /= nrm; b[q] /= nrm
                }
            }
        }
        for q in 0..<ne { blockLog[q][blk] = logs[q] / Double(perBlock) }
    }
    var g = [Double](), se = [Double]()
    for q in 0..<ne {
        let s = SampleSummary(blockLog[q])
        g.append(s.mean); se.append(s.standardError)
    }
    return LyapunovEstimate(energies: energies, gamma: g, standardError: se)
}

/// Box-disorder convenience: ε_k ~ U[−W, W].
public func lyapunovExponents(energies: [Double], hopping t: Double, boxDisorder w: Double, steps: Int,
                              blocks: Int = 20, rng: inout RandomStream) -> LyapunovEstimate {
    lyapunovExponents(energies: energies, hopping: t, steps: steps, blocks: blocks, rng: &rng) { r in r.uniform(-w, w) }
}

/// DOS-averaged Lyapunov exponent γ̄ = ∫ρ(E)γ(E)dE of the box-disorder Anderson chain
/// (ε_k ~ U[−W, W], hopping t): γ(E) from the transfer matrix on an energy grid spanning the
/// band, ρ(E) from the eigenvalues of `dosChains` open chains of `dosLength` sites, γ linearly
/// interpolated at each eigenvalue. ξ_DOS = 1/γ̄ is the typical decay rate of an orbital
/// whose energy is drawn from the band (the mbl-sync orbitals sit at E ≈ h_j, spread over
/// the band). The error is the mean transfer-matrix standard error on the grid.
public struct AndersonLocalization: Sendable {
    public let disorder: Double
    public let lyapunov: LyapunovEstimate
    public let dosAveragedGamma: Double
    public let dosAveragedGammaError: Double
    /// γ(E = 0) (band centre).
    public let bandCentreGamma: Double
    public let bandCentreGammaError: Double

    public init(boxDisorder w: Double, hopping t: Double, steps: Int, gridPoints: Int = 41,
                dosLength: Int = 2000, dosChains: Int = 3, rng: inout RandomStream) throws {
        disorder = w
        let lo = -w - 2 * abs(t), hi = w + 2 * abs(t)
        var grid = (0..<gridPoints).map { lo + (hi - lo) * Double($0) / Double(gridPoints - 1) }
        if !grid.contains(0) { grid.append(0); grid.sort() }
        let est = lyapunovExponents(energies: grid, hopping: t, boxDisorder: w, steps: steps, rng: &rng)
        lyapunov = est
        var levels = [Double]()
        for _ in 0..<dosChains {
            let d = (0..<dosLength).map { _ in rng.uniform(-w, w) }
            levels += try tridiagonalEigen(diagonal: d, offDiagonal: [Double](repeating: t, count: dosLength - 1),
                                           vectors: false).values
        }
        func interp(_ e: Double) -> Double {
            if e <= grid[0] { return est.gamma[0] }
            if e >= grid[grid.count - 1] { return est.gamma[grid.count - 1] }
            var k = 0
            while grid[k + 1] < e { k += 1 }
            let f = (e - grid[k]) / (grid[k + 1] - grid[k])
            return est.gamma[k] * (1 - f) + est.gamma[k + 1] * f
        }
        dosAveragedGamma = levels.reduce(0) { $0 + interp($1) } / Double(levels.count)
        dosAveragedGammaError = est.standardError.reduce(0, +) / Double(est.standardError.count)
        let k0 = grid.firstIndex(of: 0)!
        bandCentreGamma = est.gamma[k0]
        bandCentreGammaError = est.standardError[k0]
    }
}
