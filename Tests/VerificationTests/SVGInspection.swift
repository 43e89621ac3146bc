import Foundation
@testable import Verification

/// Reads back the SVG that `SVGRenderer` writes and checks layout properties a reader
/// would notice: legends over data, log axes without labelled decades, text outside the
/// canvas or on top of other text, tick values that are not round or not where they are
/// written, error bars hidden by their markers, heat-map cells that do not tile the frame.
///
/// Geometry is taken from the SVG itself (a small XML reader below); only text widths
/// come from the renderer's font table (`SVGRenderer.textWidth`, DejaVu Sans advances).
struct SVGElement {
    var name: String
    var attributes: [String: String]
    var children: [SVGElement] = []
    /// Character data directly inside the element, in order, with the children interleaved
    /// as `nil` markers (so text and tspans keep their order).
    var content: [Either] = []
    enum Either { case text(String), child(Int) }

    subscript(_ key: String) -> String? { attributes[key] }
    func number(_ key: String) -> Double? { attributes[key].flatMap(Double.init) }
    var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }

    /// Every descendant (self first) with the classes of its ancestors.
    func walk(_ inherited: Set<String> = [], _ body: (SVGElement, Set<String>) -> Void) {
        body(self, inherited)
        let mine = inherited.union(classes)
        for c in children { c.walk(mine, body) }
    }
}

enum SVGParseError: Error, CustomStringConvertible {
    case malformed(String)
    var description: String { if case let .malformed(m) = self { return "malformed SVG: \(m)" }; return "" }
}

/// A strict little XML reader: elements, attributes, text, the five named entities and
/// numeric references; comments and declarations are skipped. Unbalanced tags throw.
func parseSVG(_ source: String) throws -> SVGElement {
    let s = Array(source.unicodeScalars)
    var i = 0
    var stack = [SVGElement(name: "#document", attributes: [:])]

    func unescape(_ t: String) throws -> String {
        guard t.contains("&") else { return t }
        var out = "", rest = Substring(t)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { throw SVGParseError.malformed("bare & in \(t)") }
            let name = rest[rest.index(after: amp)..<semi]
            switch name {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                if name.hasPrefix("#x"), let v = UInt32(name.dropFirst(2), radix: 16), let u = Unicode.Scalar(v) { out.unicodeScalars.append(u) }
                else if name.hasPrefix("#"), let v = UInt32(name.dropFirst()), let u = Unicode.Scalar(v) { out.unicodeScalars.append(u) }
                else { throw SVGParseError.malformed("unknown entity &\(name);") }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
    func starts(_ p: String) -> Bool {
        let u = Array(p.unicodeScalars)
        return i + u.count <= s.count && Array(s[i..<(i + u.count)]) == u
    }
    func skip(past p: String) throws {
        while i < s.count && !starts(p) { i += 1 }
        guard i < s.count else { throw SVGParseError.malformed("unterminated \(p)") }
        i += p.unicodeScalars.count
    }
    func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\n" || c == "\t" || c == "\r" }
    func name() -> String {
        var n = ""
        while i < s.count, !isSpace(s[i]), s[i] != ">", s[i] != "/", s[i] != "=" { n.unicodeScalars.append(s[i]); i += 1 }
        return n
    }

    while i < s.count {
        if s[i] == "<" {
            if starts("<?") { try skip(past: "?>"); continue }
            if starts("<!--") { try skip(past: "-->"); continue }
            if starts("<!") { try skip(past: ">"); continue }
            if starts("</") {
                i += 2
                let n = name()
                while i < s.count && isSpace(s[i]) { i += 1 }
                guard i < s.count, s[i] == ">" else { throw SVGParseError.malformed("bad end tag </\(n)") }
                i += 1
                guard stack.count > 1, stack.last!.name == n else { throw SVGParseError.malformed("unbalanced </\(n)>") }
                let done = stack.removeLast()
                stack[stack.count - 1].content.append(.child(stack[stack.count - 1].children.count))
                stack[stack.count - 1].children.append(done)
                continue
            }
            i += 1
            var e = SVGElement(name: name(), attributes: [:])
            guard !e.name.isEmpty else { throw SVGParseError.malformed("empty tag name") }
            var selfClosing = false
            while true {
                while i < s.count && isSpace(s[i]) { i += 1 }
                guard i < s.count else { throw SVGParseError.malformed("unterminated <\(e.name)") }
                if s[i] == "/" { selfClosing = true; i += 1; continue }
                if s[i] == ">" { i += 1; break }
                let key = name()
                guard i < s.count, s[i] == "=" else { throw SVGParseError.malformed("attribute \(key) without value in <\(e.name)>") }
                i += 1
                guard i < s.count, s[i] == "\"" || s[i] == "'" else { throw SVGParseError.malformed("unquoted attribute \(key)") }
                let q = s[i]; i += 1
                var v = ""
                while i < s.count && s[i] != q { v.unicodeScalars.append(s[i]); i += 1 }
                guard i < s.count else { throw SVGParseError.malformed("unterminated attribute \(key)") }
                i += 1
                guard e.attributes[key] == nil else { throw SVGParseError.malformed("duplicate attribute \(key) in <\(e.name)>") }
                e.attributes[key] = try unescape(v)
            }
            if selfClosing {
                stack[stack.count - 1].content.append(.child(stack[stack.count - 1].children.count))
                stack[stack.count - 1].children.append(e)
            } else {
                stack.append(e)
            }
        } else {
            var t = ""
            while i < s.count && s[i] != "<" { t.unicodeScalars.append(s[i]); i += 1 }
            if stack.count > 1 { stack[stack.count - 1].content.append(.text(try unescape(t))) }
            else if !t.allSatisfy({ $0.isWhitespace }) { throw SVGParseError.malformed("text outside the root element") }
        }
    }
    guard stack.count == 1 else { throw SVGParseError.malformed("unclosed <\(stack.last!.name)>") }
    guard let root = stack[0].children.first, stack[0].children.count == 1, root.name == "svg" else {
        throw SVGParseError.malformed("expected one <svg> root")
    }
    return root
}

// MARK: geometry

struct Box: CustomStringConvertible {
    var x0: Double, y0: Double, x1: Double, y1: Double
    func intersects(_ o: Box, tolerance t: Double = 0) -> Bool {
        x0 < o.x1 - t && o.x0 < x1 - t && y0 < o.y1 - t && o.y0 < y1 - t
    }
    func inside(_ o: Box, tolerance t: Double = 0.5) -> Bool {
        x0 >= o.x0 - t && x1 <= o.x1 + t && y0 >= o.y0 - t && y1 <= o.y1 + t
    }
    /// Whether the segment a–b meets the box (Liang–Barsky).
    func meets(_ a: (Double, Double), _ b: (Double, Double)) -> Bool {
        var t0 = 0.0, t1 = 1.0
        let dx = b.0 - a.0, dy = b.1 - a.1
        for (p, q) in [(-dx, a.0 - x0), (dx, x1 - a.0), (-dy, a.1 - y0), (dy, y1 - a.1)] {
            if p == 0 { if q < 0 { return false }; continue }
            let r = q / p
            if p < 0 { if r > t1 { return false }; if r > t0 { t0 = r } } else { if r < t0 { return false }; if r < t1 { t1 = r } }
        }
        return true
    }
    func intersection(_ o: Box) -> Box? {
        let b = Box(x0: max(x0, o.x0), y0: max(y0, o.y0), x1: min(x1, o.x1), y1: min(y1, o.y1))
        return b.x0 < b.x1 && b.y0 < b.y1 ? b : nil
    }
    var width: Double { x1 - x0 }
    var height: Double { y1 - y0 }
    var description: String { String(format: "[%.1f…%.1f]×[%.1f…%.1f]", x0, x1, y0, y1) }
}

struct TextItem {
    var classes: Set<String>
    var axis: String?
    var kind: String?
    var runs: [FigureText.Run]
    var box: Box
    /// Anchor point (x, y) before rotation.
    var x: Double, y: Double
    var string: String { runs.map { $0.position == .sup ? "^{\($0.text)}" : $0.position == .sub ? "_{\($0.text)}" : $0.text }.joined() }

    /// The number a tick label shows: "0.5", "−2", "10^{−5}", "2×10^{−3}", "1e-05".
    var value: Double? {
        func num(_ t: String) -> Double? {
            Double(t.replacingOccurrences(of: "−", with: "-").trimmingCharacters(in: .whitespaces))
        }
        if let k = runs.firstIndex(where: { $0.position == .sup }) {
            let base = runs[..<k].map(\.text).joined()
            guard let e = num(runs[k].text), k == runs.count - 1 else { return nil }
            if base == "10" { return Foundation.pow(10, e) }
            if base.hasSuffix("×10"), let m = num(String(base.dropLast(3))) { return m * Foundation.pow(10, e) }
            return nil
        }
        return num(runs.map(\.text).joined())
    }
}

/// What the checks need from one rendered figure.
struct FigureGeometry {
    var canvas: Box
    var frame: Box?
    var legend: Box?
    /// Data markers: box and centre.
    var markers: [(box: Box, cx: Double, cy: Double)] = []
    /// Line segments of the data series.
    var segments: [((Double, Double), (Double, Double))] = []
    /// Error bars: vertical bar with its caps' half-width (0 without caps).
    var errorBars: [(x: Double, lo: Double, hi: Double, cap: Double)] = []
    var texts: [TextItem] = []
    var cells: [Box] = []
    var attributeValues: [String] = []
    var colorBar: Box?

    init(svg: String) throws {
        let root = try parseSVG(svg)
        guard let w = root.number("width"), let h = root.number("height") else { throw SVGParseError.malformed("no width/height") }
        canvas = Box(x0: 0, y0: 0, x1: w, y1: h)
        var capSegments = [((Double, Double), (Double, Double))]()
        var barSegments = [((Double, Double), (Double, Double))]()
        root.walk { e, inherited in
            attributeValues += e.attributes.values
            let cls = e.classes
            let inLegend = inherited.contains("legend") || cls.contains("legend")
            if cls.contains("frame") { frame = Self.rectBox(e) }
            if cls.contains("legend-box") { legend = Self.rectBox(e) }
            if cls.contains("colorbar") { colorBar = Self.rectBox(e) }
            if cls.contains("cell"), let b = Self.rectBox(e) { cells.append(b) }
            if cls.contains("marker") && !inLegend, let m = Self.markerBox(e) { markers.append(m) }
            if cls.contains("series") && !inLegend { segments += Self.segments(e) }
            if cls.contains("errorbar") && !inLegend {
                for seg in Self.segments(e) {
                    if abs(seg.0.0 - seg.1.0) < 1e-9 { barSegments.append(seg) } else if abs(seg.0.1 - seg.1.1) < 1e-9 { capSegments.append(seg) }
                }
            }
            if e.name == "text", let t = Self.textItem(e) { texts.append(t) }
        }
        for b in barSegments {
            let lo = max(b.0.1, b.1.1), hi = min(b.0.1, b.1.1)
            let caps = capSegments.filter { c in
                abs((c.0.0 + c.1.0) / 2 - b.0.0) < 0.02 && (abs(c.0.1 - lo) < 0.02 || abs(c.0.1 - hi) < 0.02)
            }
            let cap = caps.map { abs($0.1.0 - $0.0.0) / 2 }.min() ?? 0
            errorBars.append((b.0.0, lo, hi, cap))
        }
    }

    static func rectBox(_ e: SVGElement) -> Box? {
        guard let x = e.number("x"), let y = e.number("y"), let w = e.number("width"), let h = e.number("height") else { return nil }
        return Box(x0: x, y0: y, x1: x + w, y1: y + h)
    }

    static func markerBox(_ e: SVGElement) -> (box: Box, cx: Double, cy: Double)? {
        let stroke = (e["stroke"] != nil && e["stroke"] != "none") ? (e.number("stroke-width") ?? 1) / 2 : 0
        var b: Box
        switch e.name {
        case "circle":
            guard let cx = e.number("cx"), let cy = e.number("cy"), let r = e.number("r") else { return nil }
            b = Box(x0: cx - r, y0: cy - r, x1: cx + r, y1: cy + r)
        case "rect":
            guard let r = rectBox(e) else { return nil }
            b = r
        case "polygon":
            let pts = (e["points"] ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Double($0) }
            guard pts.count >= 6, pts.count % 2 == 0 else { return nil }
            let xs = stride(from: 0, to: pts.count, by: 2).map { pts[$0] }, ys = stride(from: 1, to: pts.count, by: 2).map { pts[$0] }
            b = Box(x0: xs.min()!, y0: ys.min()!, x1: xs.max()!, y1: ys.max()!)
        default: return nil
        }
        let centre = ((b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2)
        b = Box(x0: b.x0 - stroke, y0: b.y0 - stroke, x1: b.x1 + stroke, y1: b.y1 + stroke)
        return (b, centre.0, centre.1)
    }

    /// Segments of a `<line>` or of a `<path>` made of absolute M, L, H, V commands.
    static func segments(_ e: SVGElement) -> [((Double, Double), (Double, Double))] {
        if e.name == "line" {
            guard let x1 = e.number("x1"), let y1 = e.number("y1"), let x2 = e.number("x2"), let y2 = e.number("y2") else { return [] }
            return [((x1, y1), (x2, y2))]
        }
        guard e.name == "path", let d = e["d"] else { return [] }
        var out = [((Double, Double), (Double, Double))]()
        var tokens = [String]()
        var cur = ""
        for ch in d {
            if "MLHV".contains(ch) { if !cur.isEmpty { tokens.append(cur) }; tokens.append(String(ch)); cur = "" }
            else if ch == " " || ch == "," { if !cur.isEmpty { tokens.append(cur) }; cur = "" }
            else { cur.append(ch) }
        }
        if !cur.isEmpty { tokens.append(cur) }
        var k = 0, p = (0.0, 0.0), cmd = "M"
        while k < tokens.count {
            if "MLHV".contains(tokens[k]) { cmd = tokens[k]; k += 1; continue }
            switch cmd {
            case "M", "L":
                guard k + 1 < tokens.count, let x = Double(tokens[k]), let y = Double(tokens[k + 1]) else { return out }
                if cmd == "L" { out.append((p, (x, y))) }
                p = (x, y); k += 2
                if cmd == "M" { cmd = "L" }
            case "H":
                guard let x = Double(tokens[k]) else { return out }
                out.append((p, (x, p.1))); p = (x, p.1); k += 1
            case "V":
                guard let y = Double(tokens[k]) else { return out }
                out.append((p, (p.0, y))); p = (p.0, y); k += 1
            default: return out
            }
        }
        return out
    }

    /// Box of a text element: runs from its text and tspans, `dy` shifts, anchor, and a
    /// `translate(x y) rotate(-90)` transform.
    static func textItem(_ e: SVGElement) -> TextItem? {
        let size = e.number("font-size") ?? 12
        var x = e.number("x") ?? 0, y = e.number("y") ?? 0
        var rotated = false
        if let t = e["transform"] {
            let nums = t.replacingOccurrences(of: "translate(", with: " ").replacingOccurrences(of: ")", with: " ")
                .replacingOccurrences(of: "rotate(", with: " ").split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Double($0) }
            guard nums.count >= 2 else { return nil }
            x = nums[0]; y = nums[1]
            rotated = nums.count >= 3 && nums[2] == -90
        }
        let bold = e["font-weight"] == "bold"
        var runs = [FigureText.Run]()
        var width = 0.0, top = 0.0, bottom = 0.0, shift = 0.0
        func add(_ text: String, size runSize: Double) {
            guard !text.isEmpty else { return }
            let position: FigureText.Position = shift > 0.01 ? .sub : shift < -0.01 ? .sup : .normal
            runs.append(.init(text, position))
            width += SVGRenderer.textWidth(FigureText(runs: [.init(text)]), size: runSize, bold: bold)
            top = min(top, shift - SVGRenderer.ascent * runSize)
            bottom = max(bottom, shift + SVGRenderer.descent * runSize)
        }
        for c in e.content {
            switch c {
            case let .text(t): add(t, size: size)
            case let .child(k):
                let ts = e.children[k]
                guard ts.name == "tspan" else { continue }
                shift += ts.number("dy") ?? 0
                let t = ts.content.compactMap { if case let .text(s) = $0 { return s } else { return nil } }.joined()
                add(t, size: ts.number("font-size") ?? size)
            }
        }
        let u0: Double
        switch e["text-anchor"] ?? "start" {
        case "middle": u0 = -width / 2
        case "end": u0 = -width
        default: u0 = 0
        }
        let box = rotated ? Box(x0: x + top, y0: y - (u0 + width), x1: x + bottom, y1: y - u0)
                          : Box(x0: x + u0, y0: y + top, x1: x + u0 + width, y1: y + bottom)
        return TextItem(classes: e.classes, axis: e["data-axis"], kind: e["data-kind"], runs: runs, box: box, x: x, y: y)
    }
}

// MARK: checks

/// What the checks know about the figure besides its SVG.
struct FigureFacts {
    var xLog = false, yLog = false
    var xFixed = false, yFixed = false
    var isHeatMap = false

    init(_ figure: Figure) {
        switch figure.content {
        case let .plot(p):
            xLog = p.xLog; yLog = p.yLog
            xFixed = p.xRange != nil; yFixed = p.yRange != nil
        case let .heatMap(h):
            // The renderer draws a log axis only over positive, strictly monotone centres.
            func logUsable(_ c: [Double]) -> Bool {
                c.allSatisfy { $0.isFinite && $0 > 0 } && (zip(c, c.dropFirst()).allSatisfy { $0 < $1 } || zip(c, c.dropFirst()).allSatisfy { $0 > $1 })
            }
            xLog = h.xLog && logUsable(h.x); yLog = h.yLog && logUsable(h.y); isHeatMap = true
        }
    }
}

enum FigureCheck: String, CaseIterable {
    case wellFormed, finiteNumbers, textInCanvas, textOverlap, legendClear, logDecades, tickValues, errorBarsVisible,
         cellsTileFrame, noEmptyDecade
}

struct Problem: CustomStringConvertible {
    var check: FigureCheck
    var detail: String
    var description: String { "\(check.rawValue): \(detail)" }
}

/// All problems of one rendered figure.
func inspect(svg: String, facts: FigureFacts) -> [Problem] {
    let g: FigureGeometry
    do { g = try FigureGeometry(svg: svg) } catch { return [Problem(check: .wellFormed, detail: "\(error)")] }
    var out = [Problem]()
    func add(_ c: FigureCheck, _ d: String) { out.append(Problem(check: c, detail: d)) }

    // No NaN or infinity in any attribute (coordinates, sizes).
    for v in g.attributeValues {
        let l = v.lowercased()
        if l.range(of: #"(^|[^a-z])(nan|inf)"#, options: .regularExpression) != nil { add(.finiteNumbers, "attribute value \"\(v)\"") }
    }

    // Text inside the canvas and not on top of other text.
    for t in g.texts where !t.box.inside(g.canvas) {
        add(.textInCanvas, "\"\(t.string)\" at \(t.box) outside the canvas \(g.canvas)")
    }
    for i in g.texts.indices {
        for j in g.texts.indices where j > i && g.texts[i].box.intersects(g.texts[j].box, tolerance: 0.5) {
            add(.textOverlap, "\"\(g.texts[i].string)\" \(g.texts[i].box) overlaps \"\(g.texts[j].string)\" \(g.texts[j].box)")
        }
    }

    // The legend covers no marker, error bar or line segment (visible part, inside the frame).
    if let lg = g.legend {
        let visible = g.frame.flatMap { lg.intersection($0) }
        for m in g.markers where m.box.intersects(lg) {
            add(.legendClear, String(format: "legend %@ covers the marker at (%.1f, %.1f)", lg.description, m.cx, m.cy))
        }
        if let v = visible {
            var hidden = 0
            for s in g.segments where v.meets(s.0, s.1) { hidden += 1 }
            for b in g.errorBars where v.meets((b.x, b.lo), (b.x, b.hi)) { hidden += 1 }
            if hidden > 0 { add(.legendClear, "legend \(lg) covers \(hidden) line or error-bar segments") }
        }
    }

    // Tick labels: parse, then check positions, roundness and log decades per axis.
    let axes: [(String, Bool, Bool)] = [("x", facts.xLog, true), ("y", facts.yLog, false), ("color", false, false)]
    for (name, log, horizontal) in axes {
        let labels = g.texts.filter { $0.classes.contains("tick-label") && $0.axis == name }
        if labels.isEmpty { if name != "color" || facts.isHeatMap { add(.tickValues, "axis \(name) has no tick labels") }; continue }
        var pts = [(pos: Double, value: Double, item: TextItem)]()
        for l in labels {
            guard let v = l.value, v.isFinite, !log || v > 0 else { add(.tickValues, "axis \(name): cannot read label \"\(l.string)\""); continue }
            // Labels are centred on their tick: x for the x axis, baseline − 0.35 em for y.
            let size = 11.0
            pts.append((horizontal ? (l.box.x0 + l.box.x1) / 2 : l.y - 0.35 * size, v, l))
        }
        pts.sort { $0.pos < $1.pos }
        guard pts.count >= 2 else { add(log ? .logDecades : .tickValues, "axis \(name) has \(pts.count) readable label(s)"); continue }
        // Positions linear in the value (log10 value on log axes).
        let u = pts.map { log ? Foundation.log10($0.value) : $0.value }, p = pts.map(\.pos)
        let n = Double(u.count), mu = u.reduce(0, +) / n, mp = p.reduce(0, +) / n
        let suu = u.reduce(0) { $0 + ($1 - mu) * ($1 - mu) }
        let sup = zip(u, p).reduce(0) { $0 + ($1.0 - mu) * ($1.1 - mp) }
        guard suu > 0 else { add(.tickValues, "axis \(name): all labels read the same value"); continue }
        let slope = sup / suu
        let worst = zip(u, p).map { abs(mp + slope * ($0 - mu) - $1) }.max()!
        if worst > 0.75 { add(.tickValues, String(format: "axis %@: labels are off their positions by up to %.2f px", name, worst)) }
        let cells = labels.contains { $0.kind == "cells" }
        // Round values: equal steps of 1, 2 or 5 × 10ⁿ, or on a log axis mantissas 1, 2, 5.
        func isOneTwoFive(_ x: Double) -> Bool {
            let m = x / Foundation.pow(10, Foundation.floor(Foundation.log10(x) + 1e-9))
            return [1.0, 2, 5, 10].contains { abs(m - $0) < 1e-6 * $0 }
        }
        let values = pts.map(\.value).sorted()
        let steps = zip(values, values.dropFirst()).map { $1 - $0 }
        let equalSteps = steps.allSatisfy { abs($0 - steps[0]) <= 1e-6 * abs(steps[0]) } && isOneTwoFive(steps[0])
        let mantissas = values.allSatisfy { $0 > 0 && isOneTwoFive($0) }
        if !cells && !(equalSteps || (log && mantissas)) {
            add(.tickValues, "axis \(name): tick values \(values.map { String(format: "%g", $0) }) are not round (1-2-5) steps")
        }
        guard log, !cells else { continue }   // cell-centre labels name every row or column
        // Log axes: ≥ 2 labelled decades when the axis spans two powers of ten, and no decade
        // left unlabelled while labelling every decade would still fit.
        let pxPerDecade = abs(slope)
        let frameSpan: (Double, Double)? = g.frame.map { horizontal ? ($0.x0, $0.x1) : ($0.y0, $0.y1) }
        if let (a, b) = frameSpan {
            let ua = mu + (a - mp) / slope, ub = mu + (b - mp) / slope
            let powers = Int(Foundation.floor(max(ua, ub) + 1e-6)) - Int(Foundation.ceil(min(ua, ub) - 1e-6)) + 1
            let decadeLabels = pts.filter { abs(Foundation.log10($0.value) - Foundation.log10($0.value).rounded()) < 1e-6 }
            if powers >= 2 && decadeLabels.count < 2 {
                add(.logDecades, "axis \(name) spans \(powers) powers of ten but labels \(decadeLabels.count)")
            }
            let exps = decadeLabels.map { Int(Foundation.log10($0.value).rounded()) }.sorted()
            let onlyDecades = decadeLabels.count == pts.count
            if onlyDecades, let gap = zip(exps, exps.dropFirst()).map({ $1 - $0 }).max(), gap > 1 {
                let sizes = decadeLabels.map { horizontal ? $0.item.box.width : $0.item.box.height }
                let needed = (sizes.max() ?? 0) + SVGRenderer.labelGap
                if pxPerDecade >= needed {
                    add(.logDecades, String(format: "axis %@ labels every %dth decade although one label per decade fits (%.1f px per decade, %.1f needed)",
                                            name, gap, pxPerDecade, needed))
                }
            }
        }
    }

    // Error bars visible: caps wider than their marker, or the bar longer than the marker.
    for b in g.errorBars {
        for m in g.markers where abs(m.cx - b.x) < 0.02 && m.cy >= b.hi - 0.02 && m.cy <= b.lo + 0.02 {
            let halfWidth = m.box.width / 2, halfHeight = m.box.height / 2
            let barBeyond = max(b.lo - m.cy, m.cy - b.hi) > halfHeight + 0.5
            if b.cap < halfWidth + 0.5 && !barBeyond {
                add(.errorBarsVisible, String(format: "error bar at x = %.1f (%.1f px) hidden by its marker (half-width %.1f, cap %.1f)",
                                              b.x, b.lo - b.hi, halfWidth, b.cap))
            }
        }
    }

    // Heat maps: the cells tile the frame exactly.
    if facts.isHeatMap {
        if let fr = g.frame, !g.cells.isEmpty {
            let ux0 = g.cells.map(\.x0).min()!, ux1 = g.cells.map(\.x1).max()!
            let uy0 = g.cells.map(\.y0).min()!, uy1 = g.cells.map(\.y1).max()!
            let area = g.cells.reduce(0) { $0 + $1.width * $1.height }
            if max(abs(ux0 - fr.x0), abs(ux1 - fr.x1), abs(uy0 - fr.y0), abs(uy1 - fr.y1)) > 0.02 {
                add(.cellsTileFrame, String(format: "cells span [%.2f…%.2f]×[%.2f…%.2f], the frame is %@", ux0, ux1, uy0, uy1, fr.description))
            }
            if abs(area - fr.width * fr.height) > 1e-3 * fr.width * fr.height {
                add(.cellsTileFrame, String(format: "cells cover %.0f px² of a %.0f px² frame (gaps or overlaps)", area, fr.width * fr.height))
            }
        } else {
            add(.cellsTileFrame, "no frame or no cells")
        }
    }

    // Automatic plot ranges leave no empty decade (log) or more than 10 % empty (linear).
    if !facts.isHeatMap, let fr = g.frame {
        var xs = g.markers.map(\.cx) + g.errorBars.map(\.x), ys = g.markers.map(\.cy) + g.errorBars.flatMap { [$0.lo, $0.hi] }
        for s in g.segments {
            for q in [s.0, s.1] where q.0 >= fr.x0 - 0.01 && q.0 <= fr.x1 + 0.01 && q.1 >= fr.y0 - 0.01 && q.1 <= fr.y1 + 0.01 {
                xs.append(q.0); ys.append(q.1)
            }
        }
        for (name, log, fixed, values, lo, hi) in [("x", facts.xLog, facts.xFixed, xs, fr.x0, fr.x1), ("y", facts.yLog, facts.yFixed, ys, fr.y0, fr.y1)]
        where !fixed && !values.isEmpty && values.max()! - values.min()! >= 0.5 * (hi - lo) {
            // (Data narrower than half the frame means equal values, widened on purpose.)
            let gap = max(values.min()! - lo, hi - values.max()!)
            if log {
                let labels = g.texts.filter { $0.classes.contains("tick-label") && $0.axis == name }.compactMap { t -> (Double, Double)? in
                    guard let v = t.value, v > 0 else { return nil }
                    return (name == "x" ? (t.box.x0 + t.box.x1) / 2 : t.y - 0.35 * 11, Foundation.log10(v))
                }
                if labels.count >= 2, let a = labels.min(by: { $0.1 < $1.1 }), let b = labels.max(by: { $0.1 < $1.1 }), b.1 > a.1 {
                    let perDecade = abs(b.0 - a.0) / (b.1 - a.1)
                    if gap >= max(perDecade, 0.06 * (hi - lo)) { add(.noEmptyDecade, String(format: "axis %@ leaves %.2f empty decades beyond the data", name, gap / perDecade)) }
                }
            } else if gap > 0.1 * (hi - lo) {
                add(.noEmptyDecade, String(format: "axis %@ leaves %.0f%% of the frame empty beyond the data", name, 100 * gap / (hi - lo)))
            }
        }
    }
    return out
}
