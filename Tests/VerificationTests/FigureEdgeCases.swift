import Foundation
@testable import Verification

/// Synthetic figures at the edges of what claims hand the renderer.
enum FigureEdgeCases {
    static func plot(_ name: String, _ p: Plot, title: String? = nil) -> Figure {
        Figure(name: name, title: title ?? "Edge case: \(name)", caption: "", plot: p)
    }

    static func heat(_ name: String, _ h: HeatMap) -> Figure {
        Figure(name: name, title: "Edge case: \(name)", caption: "", heatMap: h)
    }

    /// A deterministic pseudo-random sequence in [0, 1) (no dependence on the platform RNG).
    static func uniform(_ n: Int, seed: UInt64) -> [Double] {
        var s = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<n).map { _ in
            s ^= s << 13; s ^= s >> 7; s ^= s << 17
            return Double(s >> 11) / Double(1 << 53)
        }
    }

    static var all: [Figure] {
        let grid = (0..<40).map { Double($0) / 39 }
        let logGrid = (0..<40).map { pow(10, -3 + 5 * Double($0) / 39) }
        var figures = [Figure]()

        figures.append(plot("one-point", Plot(xLabel: "x", yLabel: "y", series: [
            PlotSeries(name: "single", x: [2], y: [3], yError: [0.1])])))
        figures.append(plot("one-point-log", Plot(xLabel: "L", yLabel: "S_{max}", xLog: true, yLog: true, series: [
            PlotSeries(name: "single", x: [100], y: [1e-4], style: .line)])))
        figures.append(plot("all-equal", Plot(xLabel: "x", yLabel: "y", series: [
            PlotSeries(name: "flat", x: grid, y: grid.map { _ in 0.5 })])))
        figures.append(plot("all-equal-log", Plot(xLabel: "x", yLabel: "y", xLog: true, yLog: true, series: [
            PlotSeries(name: "flat", x: logGrid, y: logGrid.map { _ in 1e-3 }, style: .points)])))
        figures.append(plot("all-zero", Plot(xLabel: "x", yLabel: "y", series: [
            PlotSeries(name: "zero", x: [0, 0, 0], y: [0, 0, 0], style: .points)])))

        var withNaN = grid.map { sin(6 * $0) }
        withNaN[5] = .nan; withNaN[17] = .infinity; withNaN[30] = -.infinity
        var errNaN = grid.map { _ in 0.05 }
        errNaN[3] = .nan; errNaN[8] = .infinity
        figures.append(plot("nans", Plot(xLabel: "t", yLabel: "⟨(S_j^x)^2⟩", series: [
            PlotSeries(name: "with gaps", x: grid, y: withNaN, yError: errNaN),
            PlotSeries(name: "all NaN", x: grid, y: grid.map { _ in .nan }, style: .dashed),
            PlotSeries(name: "empty", x: [], y: [], style: .points)])))

        figures.append(plot("negative-on-log", Plot(xLabel: "η/J", yLabel: "P", xLog: true, yLog: true, series: [
            PlotSeries(name: "mixed signs", x: logGrid, y: logGrid.enumerated().map { $0.offset % 7 == 3 ? -$0.element : $0.element },
                       yError: logGrid.map { 2 * $0 }),
            PlotSeries(name: "zeros", x: [0, 1e-3, 1], y: [1, 0, 1e-2], style: .linePoints)])))

        figures.append(plot("twelve-series", Plot(xLabel: "Δ", yLabel: "C̄_{ij}", xLog: true, series: (0..<12).map { k in
            PlotSeries(name: "C̄_{\(k / 4 + 1)\(k % 4 + 2)}", x: logGrid, y: logGrid.map { 1 / (1 + pow($0 / pow(10, -2 + 0.3 * Double(k)), -1)) },
                       style: k % 3 == 0 ? .linePoints : .line)
        })))

        figures.append(plot("huge-dynamic-range", Plot(xLabel: "x", yLabel: "y", xLog: true, yLog: true, series: [
            PlotSeries(name: "10^{±300}", x: (0..<61).map { pow(10, -300 + 10 * Double($0)) }, y: (0..<61).map { pow(10, 300 - 10 * Double($0)) })])))
        figures.append(plot("tiny-and-huge-linear", Plot(xLabel: "x (m)", yLabel: "y", series: [
            PlotSeries(name: "tiny x, huge y", x: grid.map { 1e-9 * $0 }, y: grid.map { 1e8 + 3e8 * $0 * $0 })])))
        figures.append(plot("narrow-log", Plot(xLabel: "L", yLabel: "m_{EA}", xLog: true, yLog: true, series: [
            PlotSeries(name: "h_x = 0.8", x: [6, 8, 10, 12, 14], y: [0.31, 0.29, 0.28, 0.27, 0.265], yError: [0.01, 0.01, 0.01, 0.01, 0.01])])))

        // Pairs sharing a colour (the avalanche figure's shape), and 4 % error bars.
        var pairs = [PlotSeries]()
        for (k, a) in [0.6, 0.7, 0.8, 0.9].enumerated() {
            let steps = logGrid.map { $0 * 1e3 }
            pairs.append(PlotSeries(name: "T = ∞, α = \(a)", x: steps, y: steps.map { 10 * pow($0, 0.6 - 0.1 * Double(k)) }, style: .line, group: "α = \(a)"))
            pairs.append(PlotSeries(name: "SFS, α = \(a)", x: steps, y: steps.map { 0.8 * pow($0, 0.2 - 0.03 * Double(k)) }, style: .dashed, group: "α = \(a)"))
        }
        figures.append(plot("grouped-pairs", Plot(xLabel: "step", yLabel: "N_{ever}", xLog: true, yLog: true, series: pairs)))
        var groupedPoints = [PlotSeries]()
        for a in [0.6, 0.7] {
            let ls: [Double] = [100, 200, 400]
            let y1: [Double] = [0.1 * a, 0.07 * a, 0.05 * a], e1: [Double] = [0.004 * a, 0.003 * a, 0.002 * a]
            let y2: [Double] = [0.11 * a, 0.08 * a, 0.055 * a]
            groupedPoints.append(PlotSeries(name: "α = \(a)", x: ls, y: y1, yError: e1, style: .points, group: "\(a)"))
            groupedPoints.append(PlotSeries(name: "α = \(a), second run", x: ls, y: y2, style: .points, group: "\(a)"))
            groupedPoints.append(PlotSeries(name: "L^{−1/(1+x)}, α = \(a)", x: [100, 400], y: [0.1 * a, 0.05 * a], style: .dashed, group: "\(a)"))
        }
        figures.append(plot("grouped-points", Plot(xLabel: "L", yLabel: "median φ_{min}", xLog: true, yLog: true, series: groupedPoints)))
        figures.append(plot("small-error-bars", Plot(xLabel: "α", yLabel: "std φ", series: [
            PlotSeries(name: "measured", x: [0.55, 0.6, 0.7, 0.8, 0.9], y: [3.2, 2.9, 2.4, 2.1, 1.9], yError: [0.004, 0.004, 0.003, 0.003, 0.002], style: .points),
            PlotSeries(name: "4 % bars", x: [0.55, 0.6, 0.7, 0.8, 0.9], y: [2.0, 2.2, 2.6, 3.0, 3.4], yError: [0.08, 0.088, 0.104, 0.12, 0.136], style: .linePoints)])))

        // Data everywhere: the legend has no free corner and must go outside.
        let u = uniform(600, seed: 7), v = uniform(600, seed: 11)
        figures.append(plot("dense-scatter", Plot(xLabel: "x", yLabel: "y", series: [
            PlotSeries(name: "uniform scatter", x: u, y: v, style: .points),
            PlotSeries(name: "diagonal", x: [0, 1], y: [0, 1], style: .line)])))

        figures.append(plot("long-text", Plot(xLabel: "r̃ = min(s_n, s_{n+1}) / max(s_n, s_{n+1}) with a much longer explanation of the axis",
                                              yLabel: "P(r̃) and a long description", series: [
            PlotSeries(name: "a series name that is long enough to make the legend wide, GOE surmise 2·27/8 (r+r^2)/(1+r+r^2)^{5/2}",
                       x: grid, y: grid.map { $0 * (1 - $0) }, style: .line)]),
            title: "A title that goes on and on: disorder-averaged C̄_{ij} vs Δ (L = 10, W = 4.000, 1000 realizations) and more words"))
        figures.append(plot("very-long-axis-labels", Plot(
            xLabel: String(repeating: "a long x label with h_x and S_{max} ", count: 3), yLabel: String(repeating: "a long y label ", count: 5),
            series: [PlotSeries(name: "s", x: [1e-6, 2e-6], y: [1, 2])])))
        figures.append(plot("no-series", Plot(xLabel: "x", yLabel: "y", series: [])))
        let js: [Double] = stride(from: -9.0, through: 9, by: 2).map { $0 }
        let lnOmega: [Double] = js.map { -13 + 1.31 * $0 }
        figures.append(plot("negative-linear", Plot(xLabel: "L − 2j", yLabel: "median ln ω_j(0)", series: [
            PlotSeries(name: "fit, slope −1.31", x: [-9, 9], y: [-25, -1.4], style: .line),
            PlotSeries(name: "L = 20", x: js, y: lnOmega, style: .points)])))

        // Heat maps.
        figures.append(heat("one-cell", HeatMap(xLabel: "x", yLabel: "y", colorLabel: String(repeating: "a long colour label ", count: 6), x: [1], y: [2], values: [[3]])))
        let nanCells: [[Double]] = (0..<4).map { (j: Int) -> [Double] in (0..<10).map { (i: Int) -> Double in
            if (i + j) % 5 == 0 { return Double.nan }
            return Double(i * j)
        } }
        figures.append(heat("nan-cells", HeatMap(xLabel: "χ", yLabel: "η/ω", colorLabel: "density", x: Array(grid.prefix(10)),
                                                  y: [1e-6, 1e-4, 1e-2, 1], values: nanCells, yLog: true)))
        figures.append(heat("all-equal-cells", HeatMap(xLabel: "x", yLabel: "y", colorLabel: "v", x: [0, 1, 2], y: [0, 1], values: [[1, 1, 1], [1, 1, 1]])))
        let signed: [[Double]] = grid.map { b in grid.map { a -> Double in 0.004 * cos(6 * a) * cos(4 * b) + 0.001 } }
        figures.append(heat("signed", HeatMap(xLabel: "φ′_2", yLabel: "φ′_1", colorLabel: "S_d − (2π)^{−2}", x: grid, y: grid, values: signed)))
        figures.append(heat("tiny-values", HeatMap(xLabel: "x", yLabel: "y", colorLabel: "v", x: [0, 1, 2, 3], y: [0, 1],
                                                    values: [[1e-7, 2e-7, 3e-7, 4e-7], [5e-7, 6e-7, 7e-7, 8e-7]])))
        figures.append(heat("log-two-rows", HeatMap(xLabel: "ε", yLabel: "h_x", colorLabel: "⟨r⟩", x: [0.05, 0.15, 0.25], y: [0.3, 0.5],
                                                     values: [[0.4, 0.45, 0.5], [0.41, 0.46, 0.52]], yLog: true, valueRange: 0.36...0.54)))
        figures.append(heat("non-monotone-grid", HeatMap(xLabel: "x", yLabel: "y", colorLabel: "v", x: [3, 1, 2], y: [1, .nan],
                                                          values: [[1, 2, 3], [4, 5, 6]], xLog: true, yLog: true)))
        return figures
    }
}
