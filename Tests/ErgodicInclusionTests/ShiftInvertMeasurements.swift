import Foundation
import Testing
import Kernels
import Linalg
@testable import ErgodicInclusion

/// Time and peak memory of one disorder draw's window measurement (`WindowSample.measure`
/// with vectors: K pairs nearest the spectral centre, their gap ratio and magnetizations) at
/// the ergodic-inclusion sizes. Not part of the suite: runs only with PV_EI_BENCH set, one
/// case per process (peak RSS, /proc/self/status VmHWM, belongs to that case):
///
///     PV_EI_BENCH=bubble16 PV_EI_K=50 PV_EI_SOLVER=sparse swift test --filter ShiftInvertMeasurements
///
/// Cases bubble<L> (n_GOE = 4, β = 0.6, g = 1) and bare<L>; W = 4 (the purity claims'
/// headline); PV_EI_SOLVER = sparse (shift-invert forced), dense, or both (sparse first,
/// then dense, with the largest differences). Also prints `WindowMemory.bytes`, the guard's
/// estimate for that size.
@Suite("ergodic-inclusion shift-invert measurements (PV_EI_BENCH)",
       .enabled(if: ProcessInfo.processInfo.environment["PV_EI_BENCH"] != nil))
struct ShiftInvertMeasurements {
    static var peakRSS: Double {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM") } ?? ""
        return (Double(line.filter(\.isNumber)) ?? .nan) * 1024
    }
    static var cpu: Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + 1e-9 * Double(t.tv_nsec)
    }
    static func load() -> String { ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ") }

    @Test func measure() throws {
        let env = ProcessInfo.processInfo.environment
        let which = env["PV_EI_BENCH"]!
        let k = Int(env["PV_EI_K"] ?? "50")!
        let solver = env["PV_EI_SOLVER"] ?? "sparse"
        let l = Int(which.filter(\.isNumber))!, nb = which.hasPrefix("bubble") ? 4 : 0
        var rng = RandomStream(seed: 2026, label: "ei-shift-invert-bench")
        let draw = BubbleChainDraw.draw(sites: l, bubble: nb, &rng)
        let model = nb > 0 ? BubbleChain(draw, disorder: 4, beta: 0.6, coupling: 1) : BubbleChain(fields: draw.unitFields.map { 4 * $0 })
        let dim = Int(BubbleChain.dimension(sites: l, bubble: nb))
        let clock = ContinuousClock()
        func run(_ name: String, _ policy: EigensolverPolicy) throws -> WindowSample {
            let t = clock.now, c = Self.cpu
            let s = try WindowSample.measure(model, count: k, policy: policy)
            let wall = (clock.now - t)
            print(String(format: "%@ n=%d K=%d %@: thread CPU %.2f s, wall %.2f s, peak RSS %.0f MB, load %@, <r> %.6f",
                         which, dim, k, name, Self.cpu - c, Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18,
                         Self.peakRSS / 1e6, Self.load(), s.meanGapRatio))
            return s
        }
        if solver != "dense" {
            let t = clock.now
            let nGOE = Int(env["PV_EI_NGOE"] ?? "\(nb)")!
            let g = try WindowMemory.bytes(sites: l, bubble: nGOE, states: k, denseMatrices: 3, policy: .init(shiftInvertAbove: 0))
            let f = try WindowMemory.factorEstimate(sites: l, bubble: nGOE)
            print(String(format: "%@ (n_GOE = %d): guard estimate (shift-invert) %.0f MB, of which MUMPS %.0f MB (analysis %.1f s wall, peak RSS %.0f MB)",
                         which, nGOE, g.bytes / 1e6, f / 1e6, Double((clock.now - t).components.seconds), Self.peakRSS / 1e6))
            if solver == "estimate" { return }
        }
        var sparse: WindowSample? = nil
        if solver != "dense" { sparse = try run("shift-invert", .init(shiftInvertAbove: 0)) }
        if solver != "sparse" {
            let d = try run("dense", .dense)
            if let s = sparse {
                let dm2 = zip(s.sumM2, d.sumM2).map { abs($0 - $1) }.max()!
                print("\(which): |Δ<r>| = \(abs(s.meanGapRatio - d.meanGapRatio)), max |ΔΣm²| = \(dm2)")
            }
        }
    }
}
