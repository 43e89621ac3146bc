import Foundation

/// A figure of the report, rendered to SVG by `SVGRenderer`.
///
/// Every text field of a figure (title, axis labels, series names, colour label) may use the
/// small sub/superscript markup of `FigureText` (`S_{max}`, `h_x`, `10^{-3}`); plain text
/// stays plain. Captions are Markdown for the report and are not rendered into the SVG.
///
/// JSON form (written since the `kind` field was introduced; the older synthesized enum form
/// `{"content": {"plot": {"_0": {...}}}}` still decodes):
///
///     {"name": "...", "title": "...", "caption": "...", "kind": "plot", "plot": {...}}
///     {"name": "...", "title": "...", "caption": "...", "kind": "heatMap", "heatMap": {...}}
///
/// Non-finite numbers in series and grids are written as `null` and read back as NaN.
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

        /// The value of the `kind` field.
        public var kind: String {
            switch self {
            case .plot: return "plot"
            case .heatMap: return "heatMap"
            }
        }

        enum CodingKeys: String, CodingKey { case kind, plot, heatMap }
        /// The synthesized encoding of earlier versions: `{"plot": {"_0": {...}}}`.
        enum LegacyPayloadKeys: String, CodingKey { case _0 }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if let kind = try c.decodeIfPresent(String.self, forKey: .kind) {
                switch kind {
                case "plot": self = .plot(try c.decode(Plot.self, forKey: .plot))
                case "heatMap": self = .heatMap(try c.decode(HeatMap.self, forKey: .heatMap))
                default:
                    throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown figure kind \"\(kind)\"")
                }
                return
            }
            // Legacy form.
            if c.contains(.plot) {
                let p = try c.nestedContainer(keyedBy: LegacyPayloadKeys.self, forKey: .plot)
                self = .plot(try p.decode(Plot.self, forKey: ._0))
            } else if c.contains(.heatMap) {
                let p = try c.nestedContainer(keyedBy: LegacyPayloadKeys.self, forKey: .heatMap)
                self = .heatMap(try p.decode(HeatMap.self, forKey: ._0))
            } else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "figure content has neither \"kind\" nor a legacy payload"))
            }
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(kind, forKey: .kind)
            switch self {
            case let .plot(p): try c.encode(p, forKey: .plot)
            case let .heatMap(h): try c.encode(h, forKey: .heatMap)
            }
        }
    }

    public init(name: String, title: String, caption: String, plot: Plot) {
        self.name = name; self.title = title; self.caption = caption; self.content = .plot(plot)
    }

    public init(name: String, title: String, caption: String, heatMap: HeatMap) {
        self.name = name; self.title = title; self.caption = caption; self.content = .heatMap(heatMap)
    }

    enum CodingKeys: String, CodingKey { case name, title, caption, content, kind }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        title = try c.decode(String.self, forKey: .title)
        caption = try c.decode(String.self, forKey: .caption)
        if c.contains(.kind) {
            content = try Content(from: decoder)          // flat form: kind and payload beside name
        } else {
            content = try c.decode(Content.self, forKey: .content)   // legacy nested form
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(title, forKey: .title)
        try c.encode(caption, forKey: .caption)
        try content.encode(to: encoder)                   // adds "kind" and the payload
    }
}

/// An x–y plot with several series, optional log axes and error bars.
public struct Plot: Codable, Sendable, Equatable {
    public var xLabel: String
    public var yLabel: String
    public var xLog: Bool
    public var yLog: Bool
    public var series: [PlotSeries]
    /// Optional fixed axis ranges (data coordinates). Without them the renderer fits the
    /// data (with error bars) plus a small margin and never adds an empty decade.
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    /// Where the legend goes; nil = `.automatic`.
    public var legend: LegendPlacement?

    /// `.automatic`: inside the frame where the box covers no marker, error bar or line
    /// segment (nearest a corner), else to the right of the frame. `.outside`: always to
    /// the right. `.hidden`: no legend (a single self-explaining series).
    public enum LegendPlacement: String, Codable, Sendable { case automatic, outside, hidden }

    public init(xLabel: String, yLabel: String, xLog: Bool = false, yLog: Bool = false, series: [PlotSeries],
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                legend: LegendPlacement? = nil) {
        self.xLabel = xLabel; self.yLabel = yLabel; self.xLog = xLog; self.yLog = yLog
        self.series = series; self.xRange = xRange; self.yRange = yRange; self.legend = legend
    }
}

/// One series of a `Plot`.
///
/// Colours: series with the same `group` share one colour and are told apart by their
/// style (solid / dashed line, filled / open marker); ungrouped series each get their own
/// colour. Use a group for a measured curve and its prediction, or the two ensembles of
/// one parameter value (e.g. group "α = 0.6" for "T = ∞, α = 0.6" and "SFS, α = 0.6").
public struct PlotSeries: Codable, Sendable, Equatable {
    public enum Style: String, Codable, Sendable { case line, points, linePoints, dashed, steps }
    public var name: String
    public var x: [Double]
    public var y: [Double]
    public var yError: [Double]?
    public var style: Style
    /// Series with equal non-nil `group` share a colour (see the type's documentation).
    public var group: String?

    public init(name: String, x: [Double], y: [Double], yError: [Double]? = nil, style: Style = .linePoints,
                group: String? = nil) {
        precondition(x.count == y.count && (yError == nil || yError!.count == y.count), "series \(name): length mismatch")
        self.name = name; self.x = x; self.y = y; self.yError = yError; self.style = style; self.group = group
    }

    enum CodingKeys: String, CodingKey { case name, x, y, yError, style, group }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        x = try c.decode([Double?].self, forKey: .x).map { $0 ?? .nan }
        y = try c.decode([Double?].self, forKey: .y).map { $0 ?? .nan }
        yError = try c.decodeIfPresent([Double?].self, forKey: .yError)?.map { $0 ?? .nan }
        style = try c.decodeIfPresent(Style.self, forKey: .style) ?? .linePoints
        group = try c.decodeIfPresent(String.self, forKey: .group)
        guard x.count == y.count, yError == nil || yError!.count == y.count else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "series \(name): length mismatch"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(x.map(finiteOrNil), forKey: .x)
        try c.encode(y.map(finiteOrNil), forKey: .y)
        try c.encodeIfPresent(yError?.map(finiteOrNil), forKey: .yError)
        try c.encode(style, forKey: .style)
        try c.encodeIfPresent(group, forKey: .group)
    }
}

/// A colour map over a rectangular grid: values[iy][ix] at (x[ix], y[iy]).
///
/// Cells are centred on the grid points; their edges are the midpoints between neighbours
/// (geometric midpoints on log axes), and the frame is exactly the outer cell edges.
public struct HeatMap: Codable, Sendable, Equatable {
    public var xLabel: String
    public var yLabel: String
    public var colorLabel: String
    public var x: [Double]
    public var y: [Double]
    public var values: [[Double]]
    public var xLog: Bool
    public var yLog: Bool
    /// Colour range; nil = data min…max (symmetric about 0 for a diverging scale).
    public var valueRange: ClosedRange<Double>?
    /// Colour scale; nil = automatic: diverging (blue–white–red, white at 0) when the
    /// colour range has both signs, else sequential (viridis).
    public var colorScale: ColorScale?

    public enum ColorScale: String, Codable, Sendable { case sequential, diverging }

    public init(xLabel: String, yLabel: String, colorLabel: String, x: [Double], y: [Double], values: [[Double]],
                xLog: Bool = false, yLog: Bool = false, valueRange: ClosedRange<Double>? = nil,
                colorScale: ColorScale? = nil) {
        precondition(values.count == y.count && values.allSatisfy { $0.count == x.count }, "heat map shape mismatch")
        self.xLabel = xLabel; self.yLabel = yLabel; self.colorLabel = colorLabel
        self.x = x; self.y = y; self.values = values; self.xLog = xLog; self.yLog = yLog; self.valueRange = valueRange
        self.colorScale = colorScale
    }

    enum CodingKeys: String, CodingKey { case xLabel, yLabel, colorLabel, x, y, values, xLog, yLog, valueRange, colorScale }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        xLabel = try c.decode(String.self, forKey: .xLabel)
        yLabel = try c.decode(String.self, forKey: .yLabel)
        colorLabel = try c.decode(String.self, forKey: .colorLabel)
        x = try c.decode([Double?].self, forKey: .x).map { $0 ?? .nan }
        y = try c.decode([Double?].self, forKey: .y).map { $0 ?? .nan }
        values = try c.decode([[Double?]].self, forKey: .values).map { $0.map { $0 ?? .nan } }
        xLog = try c.decodeIfPresent(Bool.self, forKey: .xLog) ?? false
        yLog = try c.decodeIfPresent(Bool.self, forKey: .yLog) ?? false
        valueRange = try c.decodeIfPresent(ClosedRange<Double>.self, forKey: .valueRange)
        colorScale = try c.decodeIfPresent(ColorScale.self, forKey: .colorScale)
        guard values.count == y.count, values.allSatisfy({ $0.count == x.count }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "heat map shape mismatch"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(xLabel, forKey: .xLabel)
        try c.encode(yLabel, forKey: .yLabel)
        try c.encode(colorLabel, forKey: .colorLabel)
        try c.encode(x.map(finiteOrNil), forKey: .x)
        try c.encode(y.map(finiteOrNil), forKey: .y)
        try c.encode(values.map { $0.map(finiteOrNil) }, forKey: .values)
        try c.encode(xLog, forKey: .xLog)
        try c.encode(yLog, forKey: .yLog)
        try c.encodeIfPresent(valueRange, forKey: .valueRange)
        try c.encodeIfPresent(colorScale, forKey: .colorScale)
    }
}

private func finiteOrNil(_ v: Double) -> Double? { v.isFinite ? v : nil }

/// Figure text with sub- and superscripts, parsed from a small markup:
///
/// - `_{…}` and `^{…}`: the braced text is a subscript / superscript:
///   `S_{max}`, `10^{-3}`, `L^{2−α}`, `s_{n+1}`. Braces inside may nest; the text inside is
///   not parsed again.
/// - `_w` and `^w` without braces: the script is the word that follows: an optional sign
///   (`-`, `−`, `+`), then letters and digits (combining accents included), with `.` or `/`
///   allowed between two digits: `h_x`, `m_EA`, `φ_min`, `ε^0.984`, `(1+r)^5/2`, `S_j^x`.
///   The word ends at anything else, so `s_n+1` is s, subscript n, then "+1".
/// - A `_` or `^` that follows a space or starts the text, or is not followed by a script,
///   stays literal (`a _ b`, `x^ 2`); `\_` and `\^` are a literal `_` and `^`.
/// - Text without `_` or `^` is plain, character for character.
///
/// In scripts a hyphen-minus is shown as the minus sign `−`. The SVG renderer sets scripts
/// as `tspan`s at 70 % size shifted with `dy` (which every SVG renderer supports); `html`
/// gives `<sub>`/`<sup>` for Markdown and HTML.
public struct FigureText: Sendable, Equatable, CustomStringConvertible {
    public enum Position: Sendable, Equatable { case normal, sub, sup }
    public struct Run: Sendable, Equatable {
        public var text: String
        public var position: Position
        public init(_ text: String, _ position: Position = .normal) { self.text = text; self.position = position }
    }
    public var runs: [Run]

    public init(runs: [Run]) { self.runs = runs.filter { !$0.text.isEmpty } }

    public init(markup: String) {
        var runs = [Run]()
        var normal = ""
        let chars = Array(markup)
        var i = 0
        func flush() { if !normal.isEmpty { runs.append(Run(normal)); normal = "" } }
        while i < chars.count {
            let ch = chars[i]
            if ch == "\\", i + 1 < chars.count, chars[i + 1] == "_" || chars[i + 1] == "^" {
                normal.append(chars[i + 1]); i += 2; continue
            }
            if ch == "_" || ch == "^", i > 0, !chars[i - 1].isWhitespace,
               let (script, next) = FigureText.script(chars, from: i + 1) {
                flush()
                runs.append(Run(script.replacingOccurrences(of: "-", with: "−"), ch == "_" ? .sub : .sup))
                i = next
                continue
            }
            normal.append(ch); i += 1
        }
        flush()
        self.runs = runs
    }

    /// The script starting at `start` (after `_` or `^`) and the index after it, or nil.
    static func script(_ c: [Character], from start: Int) -> (String, Int)? {
        guard start < c.count else { return nil }
        if c[start] == "{" {
            var depth = 0, j = start
            while j < c.count {
                if c[j] == "{" { depth += 1 } else if c[j] == "}" { depth -= 1; if depth == 0 { break } }
                j += 1
            }
            guard j < c.count, j > start + 1 else { return nil }
            return (String(c[(start + 1)..<j]), j + 1)
        }
        var j = start
        if "-−+".contains(c[j]) { j += 1 }
        let wordStart = j
        func isWordChar(_ x: Character) -> Bool { x.isLetter || x.isNumber }
        while j < c.count {
            if isWordChar(c[j]) { j += 1; continue }
            if (c[j] == "." || c[j] == "/"), j > wordStart, c[j - 1].isNumber, j + 1 < c.count, c[j + 1].isNumber { j += 1; continue }
            break
        }
        guard j > wordStart else { return nil }
        return (String(c[start..<j]), j)
    }

    /// The text without markup, scripts inline (for alt text and search).
    public var plain: String { runs.map(\.text).joined() }

    /// HTML with `<sub>` and `<sup>` (text escaped), e.g. for figure titles in Markdown.
    public var html: String {
        runs.map { r in
            let t = r.text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
            switch r.position {
            case .normal: return t
            case .sub: return "<sub>\(t)</sub>"
            case .sup: return "<sup>\(t)</sup>"
            }
        }.joined()
    }

    public var description: String { html }
}
