import Foundation

/// A figure of the report, rendered to SVG by `SVGRenderer`.
public struct Figure: Codable, Sendable, Equatable {
    /// File stem (unique within the claim), e.g. "gap-ratio-histogram".
    public var name: String
    public var title: String
    /// Caption under the figure in the report.
    public var caption: String
    public var content: Content

    public enum Content: Codable, Sendable, Equatable {
        case plot(Plot)
        case heatMap(HeatMap)
    }

    public init(name: String, title: String, caption: String, plot: Plot) {
        self.name = name; self.title = title; self.caption = caption; self.content = .plot(plot)
    }

    public init(name: String, title: String, caption: String, heatMap: HeatMap) {
        self.name = name; self.title = title; self.caption = caption; self.content = .heatMap(heatMap)
    }
}

/// An x–y plot with several series, optional log axes and error bars.
public struct Plot: Codable, Sendable, Equatable {
    public var xLabel: String
    public var yLabel: String
    public var xLog: Bool
    public var yLog: Bool
    public var series: [PlotSeries]
    /// Optional fixed axis ranges (data coordinates).
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?

    public init(xLabel: String, yLabel: String, xLog: Bool = false, yLog: Bool = false, series: [PlotSeries],
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil) {
        self.xLabel = xLabel; self.yLabel = yLabel; self.xLog = xLog; self.yLog = yLog
        self.series = series; self.xRange = xRange; self.yRange = yRange
    }
}

public struct PlotSeries: Codable, Sendable, Equatable {
    public enum Style: String, Codable, Sendable { case line, points, linePoints, dashed, steps }
    public var name: String
    public var x: [Double]
    public var y: [Double]
    public var yError: [Double]?
    public var style: Style

    public init(name: String, x: [Double], y: [Double], yError: [Double]? = nil, style: Style = .linePoints) {
        precondition(x.count == y.count && (yError == nil || yError!.count == y.count), "series \(name): length mismatch")
        self.name = name; self.x = x; self.y = y; self.yError = yError; self.style = style
    }
}

/// A colour map over a rectangular grid: values[iy][ix] at (x[ix], y[iy]).
public struct HeatMap: Codable, Sendable, Equatable {
    public var xLabel: String
    public var yLabel: String
    public var colorLabel: String
    public var x: [Double]
    public var y: [Double]
    public var values: [[Double]]
    public var xLog: Bool
    public var yLog: Bool
    /// Colour range; nil = data min…max.
    public var valueRange: ClosedRange<Double>?

    public init(xLabel: String, yLabel: String, colorLabel: String, x: [Double], y: [Double], values: [[Double]],
                xLog: Bool = false, yLog: Bool = false, valueRange: ClosedRange<Double>? = nil) {
        precondition(values.count == y.count && values.allSatisfy { $0.count == x.count }, "heat map shape mismatch")
        self.xLabel = xLabel; self.yLabel = yLabel; self.colorLabel = colorLabel
        self.x = x; self.y = y; self.values = values; self.xLog = xLog; self.yLog = yLog; self.valueRange = valueRange
    }
}
