import Foundation

/// Writes figures as standalone SVG 1.1 documents (no scripts, no external fonts), which
/// browsers and GitHub render directly.
///
/// Layout rules (checked for every committed figure by `FigureRenderingTests`):
/// - Legend: inside the frame only where its box, widened by 5 px, covers no marker, error
///   bar or line segment (tested on a 2 px occupancy raster that over-covers every stroke),
///   at the free position nearest a corner; otherwise to the right of the frame.
/// - Colours: one per series, or one per `PlotSeries.group`; inside a group the style
///   tells the members apart (solid / dashed line, filled / open marker). Past ten colours
///   the marker shape and dash pattern change as well.
/// - Linear ticks step by 1, 2 or 5 × 10ⁿ with one number of decimals per axis; very small
///   or large values share a factor ×10ⁿ written at the end of the axis.
/// - Log ticks are decades written 10ⁿ with real superscripts; a decade is left unlabelled
///   only when labelling every decade would make labels collide. Axes spanning fewer than
///   three decades also label 2 and 5 (or round linear values), so every log axis carries
///   at least two labels. Automatic ranges fit the data plus 4 %, never a whole empty decade.
/// - Heat maps fill the frame exactly (the frame is the outer cell edges, no grid lines on
///   the cells); log axes with at most 12 cells label the cell centres; the colour bar is
///   a gradient with ticks at round values.
/// - Error bars are drawn over their markers, markers shrink to the bar size (down to a
///   2 px radius) and caps are always wider than the marker, so a bar smaller than the
///   marker is still visible.
/// - Text may use the `FigureText` sub/superscript markup; it is set with `tspan` and `dy`.
public enum SVGRenderer {
    // MARK: style

    static let baseWidth = 640.0, baseHeight = 420.0
    static let titleSize = 13.0, labelSize = 12.0, tickSize = 11.0, legendSize = 11.0, noteSize = 9.5
    /// Minimum clear space between two tick labels, px.
    static let labelGap = 4.0
    /// Tableau 10.
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                          "#bcbd22", "#17becf"]
    static let dashPatterns: [String?] = [nil, "6 3", "1.5 2.5", "8 3 1.5 3"]
    static let fontFamily = "Helvetica, Arial, 'DejaVu Sans', sans-serif"

    public static func render(_ figure: Figure) -> String {
        switch figure.content {
        case let .plot(p): return render(p, title: figure.title)
        case let .heatMap(h): return render(h, title: figure.title)
        }
    }

    // MARK: text

    /// Advance widths of DejaVu Sans (the widest common fallback of Helvetica/Arial), in
    /// 1/1000 em, for ASCII 32…126; used for every layout decision so text never collides.
    static let regularWidths: [UInt16] = [
        318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
        636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
        575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
        611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
        278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838]
    static let boldWidths: [UInt16] = [
        348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
        696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
        683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
        724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
        343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838]

    /// Advance of one scalar in em.
    static func advance(_ s: Unicode.Scalar, bold: Bool) -> Double {
        let v = s.value
        if v >= 32 && v <= 126 { return Double((bold ? boldWidths : regularWidths)[Int(v - 32)]) / 1000 }
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        let k = bold ? 1.1 : 1.0
        switch v {
        case 0x2070...0x209F, 0xB2, 0xB3, 0xB9: return 0.45 * k            // super/subscript digits
        case 0x27E8, 0x27E9, 0x2032, 0x2033: return 0.40 * k                 // angle brackets, primes
        case 0x2009, 0x200A, 0x202F: return 0.2
        case 0x370...0x3FF: return 0.87 * k                                  // Greek (widest capitals)
        default: return 1.0 * k                                             // operators, arrows, others
        }
    }

    static let scriptScale = 0.7
    /// Baseline shift of scripts in em of the surrounding text (SVG y points down).
    static let subShift = 0.3, supShift = -0.4
    /// Vertical extent of normal text around its baseline, in em (accents included).
    static let ascent = 0.8, descent = 0.25

    static func textWidth(_ t: FigureText, size: Double, bold: Bool = false) -> Double {
        t.runs.reduce(0) { w, r in
            let s = r.position == .normal ? size : size * scriptScale
            return w + r.text.unicodeScalars.reduce(0) { $0 + advance($1, bold: bold) } * s
        }
    }

    /// Extent above and below the baseline (both positive), px.
    static func textExtent(_ t: FigureText, size: Double) -> (above: Double, below: Double) {
        var above = ascent * size, below = descent * size
        for r in t.runs {
            switch r.position {
            case .normal: break
            case .sup: above = max(above, -supShift * size + ascent * scriptScale * size)
            case .sub: below = max(below, subShift * size + descent * scriptScale * size)
            }
        }
        return (above, below)
    }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A coordinate; never NaN or infinite in the output.
    static func f(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        var s = String(format: "%.2f", x)
        if s.hasSuffix(".00") { s.removeLast(3) }
        if s == "-0" { s = "0" }
        return s
    }

    enum Anchor: String { case start, middle, end }

    /// A `<text>` element with tspans for the scripts.
    static func text(_ t: FigureText, x: Double, y: Double, size: Double, anchor: Anchor = .start,
                     bold: Bool = false, cls: String, attributes: String = "", rotated: Bool = false) -> String {
        var body = ""
        var shift = 0.0
        let small = f(size * scriptScale)
        for r in t.runs {
            let target: Double
            switch r.position {
            case .normal: target = 0
            case .sub: target = subShift * size
            case .sup: target = supShift * size
            }
            var attrs = ""
            if target != shift { attrs += " dy=\"\(f(target - shift))\""; shift = target }
            if r.position != .normal { attrs += " font-size=\"\(small)\"" }
            body += attrs.isEmpty ? esc(r.text) : "<tspan\(attrs)>\(esc(r.text))</tspan>"
        }
        let position = rotated ? "transform=\"translate(\(f(x)) \(f(y))) rotate(-90)\"" : "x=\"\(f(x))\" y=\"\(f(y))\""
        let anchorAttr = anchor == .start ? "" : " text-anchor=\"\(anchor.rawValue)\""
        let weight = bold ? " font-weight=\"bold\"" : ""
        return "<text class=\"\(cls)\" \(position) font-size=\"\(f(size))\"\(anchorAttr)\(weight)\(attributes) xml:space=\"preserve\">\(body)</text>"
    }

    /// The font size at which `t` is at most `maxWidth` wide (never below 7 px).
    static func fittingSize(_ t: FigureText, _ size: Double, _ maxWidth: Double) -> Double {
        let w = textWidth(t, size: size)
        return w <= maxWidth ? size : max(7, (size * maxWidth / w * 100).rounded(.down) / 100)
    }

    /// Wrap a title into at most two lines of `maxWidth`, shrinking the font if needed.
    static func titleLines(_ title: String, maxWidth: Double) -> (lines: [FigureText], size: Double) {
        let whole = FigureText(markup: title)
        if textWidth(whole, size: titleSize, bold: true) <= maxWidth { return ([whole], titleSize) }
        // Break at the space that best balances the two lines (never inside a script group).
        let chars = Array(title)
        var best: (Double, Int)? = nil
        var depth = 0
        for (i, c) in chars.enumerated() {
            if c == "{" { depth += 1 } else if c == "}" { depth -= 1 }
            guard c == " ", depth == 0 else { continue }
            let a = textWidth(FigureText(markup: String(chars[..<i])), size: titleSize, bold: true)
            let b = textWidth(FigureText(markup: String(chars[(i + 1)...])), size: titleSize, bold: true)
            if best == nil || max(a, b) < best!.0 { best = (max(a, b), i) }
        }
        guard let (w, i) = best else {
            return ([whole], max(7, titleSize * maxWidth / textWidth(whole, size: titleSize, bold: true)))
        }
        let lines = [FigureText(markup: String(chars[..<i])), FigureText(markup: String(chars[(i + 1)...]))]
        return (lines, w <= maxWidth ? titleSize : max(7, titleSize * maxWidth / w))
    }

    static func header(width: Double, height: Double) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" \
        viewBox="0 0 \(f(width)) \(f(height))" font-family="\(fontFamily)" font-size="12">
        <rect class="background" x="0" y="0" width="\(f(width))" height="\(f(height))" fill="white"/>

        """
    }

    /// Title lines centred on the canvas; returns the SVG and the y of the title block's bottom.
    static func title(_ title: String, centre: Double, width: Double) -> (String, Double) {
        let (lines, size) = titleLines(title, maxWidth: width - 16)
        var s = "", y = 8.0
        for line in lines {
            let e = textExtent(line, size: size)
            y += e.above
            s += text(line, x: centre, y: y, size: size, anchor: .middle, bold: true, cls: "title") + "\n"
            y += e.below + 2
        }
        return (s, y)
    }

    // MARK: axes

    struct Axis {
        /// Range in axis units: the value, or log10 of the value on a log axis.
        var lo: Double, hi: Double
        var log: Bool
        /// Pixels of `lo` and `hi`.
        var p0: Double, p1: Double
        func unit(_ v: Double) -> Double { log ? Foundation.log10(v) : v }
        func map(_ v: Double) -> Double { mapUnit(unit(v)) }
        func mapUnit(_ u: Double) -> Double { p0 + (u - lo) / (hi - lo) * (p1 - p0) }
        func valid(_ v: Double) -> Bool { v.isFinite && (!log || v > 0) }
        var length: Double { abs(p1 - p0) }
        func contains(_ v: Double) -> Bool {
            let u = unit(v), tol = 1e-9 * (hi - lo)
            return u >= lo - tol && u <= hi + tol
        }
    }

    struct Tick { var value: Double; var label: FigureText? }
    struct Ticks {
        var major: [Tick]
        var minor: [Double] = []
        /// Common factor of the labels (×10ⁿ), written at the end of the axis.
        var factor: FigureText? = nil
        /// Labels name cell centres of a heat map rather than round values.
        var cellLabels = false
    }
    enum Orientation { case horizontal, vertical }

    static func tenTo(_ e: Int) -> FigureText {
        FigureText(runs: [.init("10"), .init(e < 0 ? "−\(-e)" : "\(e)", .sup)])
    }

    /// Whether the labelled ticks keep `labelGap` between neighbouring labels.
    static func labelsFit(_ ticks: [Tick], axis: Axis, orientation: Orientation, size: Double = tickSize) -> Bool {
        let placed = ticks.compactMap { t in t.label.map { (axis.map(t.value), $0) } }.sorted { $0.0 < $1.0 }
        for (a, b) in zip(placed, placed.dropFirst()) {
            switch orientation {
            case .horizontal:
                if b.0 - a.0 < (textWidth(a.1, size: size) + textWidth(b.1, size: size)) / 2 + labelGap { return false }
            case .vertical:
                // Labels are centred on the tick by their baseline at +0.35 em; a is above b on screen.
                let ea = textExtent(a.1, size: size), eb = textExtent(b.1, size: size)
                if b.0 - a.0 < ea.below + eb.above + labelGap { return false }
            }
        }
        return true
    }

    /// Labels for round linear values with a step of 1, 2 or 5 × 10ⁿ: one number of
    /// decimals per axis, a common factor ×10ᴱ when the values need more than 3 decimals or
    /// reach 10⁵.
    static func linearLabels(_ values: [Double], step: Double) -> ([FigureText], FigureText?) {
        let m = values.map(abs).max() ?? 0
        var e = 0
        if m > 0 && (m >= 1e5 || step < 0.95e-3) { e = Int(Foundation.floor(Foundation.log10(m) + 1e-9)) }
        let scale = Foundation.pow(10, Double(e))
        let decimals = max(0, Int(-Foundation.floor(Foundation.log10(step / scale) + 1e-9)))
        let labels = values.map { v -> FigureText in
            var s = String(format: "%.\(decimals)f", v / scale)
            if s.hasPrefix("-"), Double(s) == 0 { s.removeFirst() }
            return FigureText(runs: [.init(s.replacingOccurrences(of: "-", with: "−"))])
        }
        let factor = e == 0 ? nil : FigureText(runs: [.init("×10"), .init(e < 0 ? "−\(-e)" : "\(e)", .sup)])
        return (labels, factor)
    }

    /// Round linear ticks of [vlo, vhi] (values), placed on `axis` (which may be a log axis).
    static func linearTicks(_ vlo: Double, _ vhi: Double, axis: Axis, orientation: Orientation,
                            maxCount: Int, size: Double = tickSize) -> Ticks? {
        let span = vhi - vlo
        guard span > 0, span.isFinite else { return nil }
        let e0 = Int(Foundation.floor(Foundation.log10(span))) - 2
        var fallback: Ticks? = nil
        for e in e0...(e0 + 4) {
            for m in [1.0, 2.0, 5.0] {
                let step = m * Foundation.pow(10, Double(e))
                let k0 = Foundation.ceil(vlo / step - 1e-9), k1 = Foundation.floor(vhi / step + 1e-9)
                let count = Int(k1 - k0) + 1
                if count > maxCount { continue }
                if count < 2 { return fallback }
                let values = stride(from: k0, through: k1, by: 1).map { $0 * step }
                    .filter { axis.valid($0) && axis.contains($0) }
                if values.count < 2 { continue }
                let (labels, factor) = linearLabels(values, step: step)
                let t = Ticks(major: zip(values, labels).map { Tick(value: $0, label: $1) }, factor: factor)
                if labelsFit(t.major, axis: axis, orientation: orientation, size: size) { return t }
                if fallback == nil { fallback = t }
            }
        }
        return fallback
    }

    static func linearTicks(_ axis: Axis, orientation: Orientation) -> Ticks {
        let maxCount = max(2, min(9, Int(axis.length / (orientation == .horizontal ? 60 : 40)) + 1))
        return linearTicks(axis.lo, axis.hi, axis: axis, orientation: orientation, maxCount: maxCount)
            ?? Ticks(major: [Tick(value: axis.lo, label: FigureText(markup: tickNumber(axis.lo))),
                             Tick(value: axis.hi, label: FigureText(markup: tickNumber(axis.hi)))])
    }

    /// A value as a short label (used for cell-centre labels and degenerate axes).
    static func tickNumber(_ v: Double) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e-3 && a < 1e5 {
            var s = String(format: "%.3g", v)
            if s.contains("e") { s = String(format: "%.0f", v) }
            return s.replacingOccurrences(of: "-", with: "−")
        }
        let e = Int(Foundation.floor(Foundation.log10(a) + 1e-9))
        let m = v / Foundation.pow(10, Double(e))
        let ms = String(format: "%.2g", m).replacingOccurrences(of: "-", with: "−")
        return (ms == "1" ? "" : ms == "−1" ? "−" : ms + "×") + "10^{\(e)}"
    }

    /// Label of a 1-2-5 value on a log axis: plain decimals when the whole axis stays in
    /// [10⁻³, 10⁴], else m×10ⁿ.
    static func logLabel(mantissa m: Int, exponent e: Int, plain: Bool) -> FigureText {
        if plain {
            let s = e >= 0 ? String(format: "%.0f", Double(m) * Foundation.pow(10, Double(e)))
                           : String(format: "%.\(-e)f", Double(m) * Foundation.pow(10, Double(e)))
            return FigureText(runs: [.init(s)])
        }
        if m == 1 { return tenTo(e) }
        return FigureText(runs: [.init("\(m)×10"), .init(e < 0 ? "−\(-e)" : "\(e)", .sup)])
    }

    static func logTicks(_ axis: Axis, orientation: Orientation) -> Ticks {
        let eLo = Int(Foundation.ceil(axis.lo - 1e-9)), eHi = Int(Foundation.floor(axis.hi + 1e-9))
        let decades = eLo <= eHi ? Array(eLo...eHi) : []
        let perDecade = axis.length / (axis.hi - axis.lo)
        func minors(excluding major: [Tick]) -> [Double] {
            guard perDecade >= 18 else { return [] }
            let majors = Set(major.map { Foundation.log10($0.value) }.map { Int(($0 * 1000).rounded()) })
            var out = [Double]()
            for e in (Int(Foundation.floor(axis.lo)))...(Int(Foundation.ceil(axis.hi))) {
                for m in 2...9 {
                    let v = Double(m) * Foundation.pow(10, Double(e))
                    if axis.contains(v), !majors.contains(Int((Foundation.log10(v) * 1000).rounded())) { out.append(v) }
                }
            }
            return out
        }
        if decades.count >= 3 {
            var fallback: Ticks? = nil
            for k in [1, 2, 3, 4, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000] {
                let labelled = Set(decades.filter { (($0 % k) + k) % k == 0 })
                if labelled.count < 2 { break }
                // Unlabelled decades get a tick only while the ticks stay apart.
                let shown = decades.filter { labelled.contains($0) || perDecade >= 3 }
                let major = shown.map { Tick(value: Foundation.pow(10, Double($0)), label: labelled.contains($0) ? tenTo($0) : nil) }
                let t = Ticks(major: major, minor: minors(excluding: major))
                if labelsFit(major, axis: axis, orientation: orientation) { return t }
                fallback = t
            }
            if let fb = fallback {
                // Keep only the outermost labelled decades (≥ 2 labels).
                let lab = fb.major.filter { $0.label != nil }
                let keep = Set([lab.first!.value, lab.last!.value])
                return Ticks(major: fb.major.map { Tick(value: $0.value, label: keep.contains($0.value) ? $0.label : nil) },
                             minor: fb.minor)
            }
        }
        // Fewer than three decades: add 2 and 5, or round linear values.
        var candidates = [Ticks]()
        let lo10 = Foundation.pow(10, axis.lo), hi10 = Foundation.pow(10, axis.hi)
        let plain = lo10 >= 0.99e-3 && hi10 <= 1.01e4
        for mantissas in [[1, 2, 5], [1]] {
            var major = [Tick]()
            for e in (eLo - 1)...(eHi + 1) {
                for m in mantissas {
                    let v = Double(m) * Foundation.pow(10, Double(e))
                    if axis.contains(v) { major.append(Tick(value: v, label: logLabel(mantissa: m, exponent: e, plain: plain))) }
                }
            }
            if major.count >= 2 && labelsFit(major, axis: axis, orientation: orientation) {
                candidates.append(Ticks(major: major, minor: minors(excluding: major)))
            }
        }
        // Prefer 1-2-5 with three labels or more; else whichever of round linear values and
        // bare decades shows more labels.
        if let first = candidates.first, first.major.count >= 3 { return first }
        if let lin = linearTicks(lo10, hi10, axis: axis, orientation: orientation, maxCount: 6),
           labelsFit(lin.major, axis: axis, orientation: orientation) {
            candidates.append(Ticks(major: lin.major, minor: minors(excluding: lin.major), factor: lin.factor))
        }
        if let best = candidates.max(by: { $0.major.count < $1.major.count }) { return best }
        // Nothing fits: the two ends.
        return Ticks(major: [Tick(value: lo10, label: FigureText(markup: tickNumber(lo10))),
                             Tick(value: hi10, label: FigureText(markup: tickNumber(hi10)))])
    }

    static func ticks(_ axis: Axis, orientation: Orientation) -> Ticks {
        axis.log ? logTicks(axis, orientation: orientation) : linearTicks(axis, orientation: orientation)
    }

    /// Axis range in axis units: the fixed range if usable, else the data plus 4 % of its span.
    static func range(_ values: [Double], log: Bool, fixed: ClosedRange<Double>?) -> (Double, Double) {
        if let r = fixed, r.lowerBound.isFinite, r.upperBound.isFinite, r.lowerBound < r.upperBound,
           !log || r.lowerBound > 0 {
            return log ? (Foundation.log10(r.lowerBound), Foundation.log10(r.upperBound)) : (r.lowerBound, r.upperBound)
        }
        let v = values.filter { $0.isFinite && (!log || $0 > 0) }.map { log ? Foundation.log10($0) : $0 }
        guard var lo = v.min(), var hi = v.max() else { return (0, 1) }
        if hi - lo <= 1e-12 * max(log ? 1 : 0, abs(lo), abs(hi)) {
            let d = log ? 0.5 : (lo == 0 ? 1 : 0.1 * abs(lo))
            lo -= d; hi += d
        }
        let pad = 0.04 * (hi - lo)
        return (lo - pad, hi + pad)
    }

    /// Ticks, grid and labels of both axes (frame x0…x1, y1 top … y0 bottom).
    static func axesSVG(x xa: Axis, _ xt: Ticks, y ya: Axis, _ yt: Ticks, frame: Frame, xLabel: String, yLabel: String,
                        grid: Bool, outwardTicks: Bool, xLabelBaseline: Double, yLabelBaseline: Double,
                        xTickBaseline: Double) -> String {
        var s = ""
        let inward = outwardTicks ? -1.0 : 1.0
        if grid {
            s += "<g class=\"grid\" stroke=\"#e6e6e6\" stroke-width=\"0.6\">"
            for t in xt.major where t.label != nil { let p = xa.map(t.value); s += "<line x1=\"\(f(p))\" y1=\"\(f(frame.top))\" x2=\"\(f(p))\" y2=\"\(f(frame.bottom))\"/>" }
            for t in yt.major where t.label != nil { let p = ya.map(t.value); s += "<line x1=\"\(f(frame.left))\" y1=\"\(f(p))\" x2=\"\(f(frame.right))\" y2=\"\(f(p))\"/>" }
            s += "</g>\n"
        }
        s += "<g class=\"ticks\" stroke=\"black\" stroke-width=\"0.8\">"
        for t in xt.major { let p = xa.map(t.value); s += "<line x1=\"\(f(p))\" y1=\"\(f(frame.bottom))\" x2=\"\(f(p))\" y2=\"\(f(frame.bottom - inward * 5))\"/>" }
        for v in xt.minor { let p = xa.map(v); s += "<line x1=\"\(f(p))\" y1=\"\(f(frame.bottom))\" x2=\"\(f(p))\" y2=\"\(f(frame.bottom - inward * 2.5))\"/>" }
        for t in yt.major { let p = ya.map(t.value); s += "<line x1=\"\(f(frame.left))\" y1=\"\(f(p))\" x2=\"\(f(frame.left + inward * 5))\" y2=\"\(f(p))\"/>" }
        for v in yt.minor { let p = ya.map(v); s += "<line x1=\"\(f(frame.left))\" y1=\"\(f(p))\" x2=\"\(f(frame.left + inward * 2.5))\" y2=\"\(f(p))\"/>" }
        s += "</g>\n"
        let cellAttr = { (t: Ticks) in t.cellLabels ? " data-kind=\"cells\"" : "" }
        for t in xt.major {
            guard let l = t.label else { continue }
            s += text(l, x: xa.map(t.value), y: xTickBaseline, size: tickSize, anchor: .middle, cls: "tick-label",
                      attributes: " data-axis=\"x\"" + cellAttr(xt)) + "\n"
        }
        for t in yt.major {
            guard let l = t.label else { continue }
            s += text(l, x: frame.left - (outwardTicks ? 8 : 5), y: ya.map(t.value) + 0.35 * tickSize, size: tickSize, anchor: .end,
                      cls: "tick-label", attributes: " data-axis=\"y\"" + cellAttr(yt)) + "\n"
        }
        if let fx = xt.factor {
            s += text(fx, x: frame.right, y: xLabelBaseline, size: tickSize, anchor: .end, cls: "tick-factor", attributes: " data-axis=\"x\"") + "\n"
        }
        if let fy = yt.factor {
            s += text(fy, x: frame.left, y: frame.top - 10, size: tickSize, anchor: .start, cls: "tick-factor", attributes: " data-axis=\"y\"") + "\n"
        }
        let xl = FigureText(markup: xLabel), yl = FigureText(markup: yLabel)
        let factorRoom = xt.factor.map { 2 * (textWidth($0, size: tickSize) + 8) } ?? 0
        s += text(xl, x: (frame.left + frame.right) / 2, y: xLabelBaseline, size: fittingSize(xl, labelSize, frame.width - factorRoom),
                  anchor: .middle, cls: "axis-label", attributes: " data-axis=\"x\"") + "\n"
        s += text(yl, x: yLabelBaseline, y: (frame.top + frame.bottom) / 2, size: fittingSize(yl, labelSize, frame.height + 20), anchor: .middle,
                  cls: "axis-label", attributes: " data-axis=\"y\"", rotated: true) + "\n"
        return s
    }

    /// Where the first x label meets the lowest y label in the lower-left corner, drop the
    /// label of the axis that has more (its tick stays).
    static func resolveCorner(x xt: inout Ticks, _ xa: Axis, xBaseline: Double, y yt: inout Ticks, _ ya: Axis, yRight: Double) {
        func box(_ l: FigureText, centreX: Double?, right: Double?, baseline: Double) -> (Double, Double, Double, Double) {
            let w = textWidth(l, size: tickSize), e = textExtent(l, size: tickSize)
            let x0 = centreX.map { $0 - w / 2 } ?? (right! - w)
            return (x0, baseline - e.above, x0 + w, baseline + e.below)
        }
        for _ in 0..<4 {
            let xl = xt.major.indices.filter { xt.major[$0].label != nil }, yl = yt.major.indices.filter { yt.major[$0].label != nil }
            guard let xi = xl.min(by: { xa.map(xt.major[$0].value) < xa.map(xt.major[$1].value) }),
                  let yi = yl.max(by: { ya.map(yt.major[$0].value) < ya.map(yt.major[$1].value) }) else { return }
            let a = box(xt.major[xi].label!, centreX: xa.map(xt.major[xi].value), right: nil, baseline: xBaseline)
            let b = box(yt.major[yi].label!, centreX: nil, right: yRight, baseline: ya.map(yt.major[yi].value) + 0.35 * tickSize)
            let g = labelGap / 2
            guard a.0 < b.2 + g && b.0 < a.2 + g && a.1 < b.3 + g && b.1 < a.3 + g else { return }
            if xl.count > yl.count { xt.major[xi].label = nil } else { yt.major[yi].label = nil }
        }
    }

    struct Frame {
        var left: Double, right: Double, top: Double, bottom: Double
        var width: Double { right - left }
        var height: Double { bottom - top }
    }

    /// Vertical layout shared by plots and heat maps: frame top and bottom, baselines of the
    /// x tick labels and the x label.
    struct VerticalLayout {
        var titleSVG: String
        var top: Double, bottom: Double, xTickBaseline: Double, xLabelBaseline: Double
    }

    static func verticalLayout(title t: String, canvasWidth: Double, height: Double, yFactor: Bool,
                               outwardTicks: Bool) -> VerticalLayout {
        let (svg, titleBottom) = title(t, centre: canvasWidth / 2, width: canvasWidth)
        let top = titleBottom + 8 + (yFactor ? 16 : 0)
        // Bottom, from the canvas edge up: x label (room for a subscript below and a superscript
        // above its baseline), gap, tick labels (same), gap, ticks.
        let labelBelow = (subShift + descent * scriptScale) * labelSize, labelAbove = (-supShift + ascent * scriptScale) * labelSize
        let tickBelow = (subShift + descent * scriptScale) * tickSize, tickAbove = (-supShift + ascent * scriptScale) * tickSize
        let xLabelBaseline = height - 6 - labelBelow
        let xTickBaseline = xLabelBaseline - labelAbove - 4 - tickBelow
        let bottomFrame = xTickBaseline - tickAbove - (outwardTicks ? 7 : 3)
        return VerticalLayout(titleSVG: svg, top: top, bottom: bottomFrame, xTickBaseline: xTickBaseline, xLabelBaseline: xLabelBaseline)
    }

    /// Left margin for the y tick labels and the rotated y label: (frame left, y-label baseline x).
    static func leftLayout(_ yt: Ticks, outwardTicks: Bool) -> (Double, Double) {
        let w = yt.major.compactMap { $0.label.map { textWidth($0, size: tickSize) } }.max() ?? 0
        // Rotated label: its ascent points left of the baseline, its descent right.
        let labelAbove = (-supShift + ascent * scriptScale) * labelSize, labelBelow = (subShift + descent * scriptScale) * labelSize
        let baselineX = 4 + labelAbove
        let left = baselineX + labelBelow + 6 + w + (outwardTicks ? 8 : 5)
        return (max(left, 48), baselineX)
    }

    // MARK: plots

    enum MarkerShape: CaseIterable { case circle, square, triangle, diamond }

    struct SeriesStyle {
        var color: String
        var dash: String?
        var line: Bool
        var steps: Bool
        var marker: MarkerShape?
        var filled: Bool
    }

    /// Colour, dash and marker of every series (see the type's documentation).
    static func styles(_ series: [PlotSeries]) -> [SeriesStyle] {
        var slotOfGroup = [String: Int](), nextSlot = 0
        var dashesUsed = [Int: Set<Int>]()       // slot → dash indices used by line members
        var markersUsed = [Int: Set<Int>]()      // slot → marker variants used
        var out = [SeriesStyle]()
        for s in series {
            let slot: Int
            if let g = s.group {
                if let k = slotOfGroup[g] { slot = k } else { slot = nextSlot; slotOfGroup[g] = slot; nextSlot += 1 }
            } else { slot = nextSlot; nextSlot += 1 }
            let cycle = slot / palette.count
            let line = s.style != .points
            let hasMarker = s.style == .points || s.style == .linePoints
            var dash: String? = nil
            if line {
                var d = ((s.style == .dashed ? 1 : 0) + cycle) % dashPatterns.count
                while dashesUsed[slot, default: []].contains(d) && dashesUsed[slot]!.count < dashPatterns.count { d = (d + 1) % dashPatterns.count }
                dashesUsed[slot, default: []].insert(d)
                dash = dashPatterns[d]
            }
            var marker: MarkerShape? = nil, filled = true
            if hasMarker {
                // Variant v: filled/open alternate, then the shape changes.
                var v = 2 * (cycle % MarkerShape.allCases.count)
                while markersUsed[slot, default: []].contains(v) && markersUsed[slot]!.count < 2 * MarkerShape.allCases.count {
                    v = (v + 1) % (2 * MarkerShape.allCases.count)
                }
                markersUsed[slot, default: []].insert(v)
                marker = MarkerShape.allCases[v / 2]
                filled = v % 2 == 0
            }
            out.append(SeriesStyle(color: palette[slot % palette.count], dash: dash, line: line, steps: s.style == .steps,
                                   marker: marker, filled: filled))
        }
        return out
    }

    /// Half-size of a marker's visible extent (stroke included) for radius r.
    static func markerExtent(_ shape: MarkerShape, r: Double, filled: Bool) -> Double {
        let stroke = filled ? 0 : 0.6
        switch shape {
        case .circle: return r + stroke
        case .square: return 0.9 * r + stroke
        case .triangle: return 1.25 * r + stroke
        case .diamond: return 1.3 * r + stroke
        }
    }

    static func markerSVG(_ shape: MarkerShape, filled: Bool, x: Double, y: Double, r: Double, color: String, cls: String) -> String {
        let paint = filled ? "fill=\"\(color)\"" : "fill=\"white\" stroke=\"\(color)\" stroke-width=\"1.2\""
        switch shape {
        case .circle:
            return "<circle class=\"\(cls)\" cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(r))\" \(paint)/>"
        case .square:
            let h = 0.9 * r
            return "<rect class=\"\(cls)\" x=\"\(f(x - h))\" y=\"\(f(y - h))\" width=\"\(f(2 * h))\" height=\"\(f(2 * h))\" \(paint)/>"
        case .triangle:
            let h = 1.25 * r
            return "<polygon class=\"\(cls)\" points=\"\(f(x)),\(f(y - h)) \(f(x + 0.866 * h)),\(f(y + 0.5 * h)) \(f(x - 0.866 * h)),\(f(y + 0.5 * h))\" \(paint)/>"
        case .diamond:
            let h = 1.3 * r
            return "<polygon class=\"\(cls)\" points=\"\(f(x)),\(f(y - h)) \(f(x + 0.75 * h)),\(f(y)) \(f(x)),\(f(y + h)) \(f(x - 0.75 * h)),\(f(y))\" \(paint)/>"
        }
    }

    /// Cells of the frame covered by data, on a raster of `cell` px; answers in O(1) whether a
    /// rectangle touches any covered cell (summed-area table).
    struct Occupancy {
        let frame: Frame, cell: Double, nx: Int, ny: Int
        var covered: [Bool]
        var sums: [Int] = []

        init(frame: Frame, cell: Double = 2) {
            self.frame = frame; self.cell = cell
            nx = max(1, Int(Foundation.ceil(frame.width / cell))); ny = max(1, Int(Foundation.ceil(frame.height / cell)))
            covered = Array(repeating: false, count: nx * ny)
        }

        /// Mark the square of half-size `d` around (x, y).
        mutating func mark(_ x: Double, _ y: Double, _ d: Double) {
            let i0 = max(0, Int(Foundation.floor((x - d - frame.left) / cell))), i1 = min(nx - 1, Int(Foundation.floor((x + d - frame.left) / cell)))
            let j0 = max(0, Int(Foundation.floor((y - d - frame.top) / cell))), j1 = min(ny - 1, Int(Foundation.floor((y + d - frame.top) / cell)))
            guard i0 <= i1, j0 <= j1 else { return }
            for j in j0...j1 { for i in i0...i1 { covered[j * nx + i] = true } }
        }

        /// Mark a stroked segment of half-width `d`: samples every 0.5 px, each widened by
        /// d + 0.25 px, so every point of the stroke lies in a marked cell.
        mutating func mark(segment a: (Double, Double), _ b: (Double, Double), _ d: Double) {
            guard let (p, q) = clip(a, b) else { return }
            let len = ((q.0 - p.0) * (q.0 - p.0) + (q.1 - p.1) * (q.1 - p.1)).squareRoot()
            let n = max(1, Int(Foundation.ceil(len / 0.5)))
            for k in 0...n {
                let t = Double(k) / Double(n)
                mark(p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1), d + 0.25)
            }
        }

        /// The part of a segment inside the frame widened by 10 px (Liang–Barsky), or nil.
        func clip(_ a: (Double, Double), _ b: (Double, Double)) -> ((Double, Double), (Double, Double))? {
            guard a.0.isFinite, a.1.isFinite, b.0.isFinite, b.1.isFinite else { return nil }
            let xmin = frame.left - 10, xmax = frame.right + 10, ymin = frame.top - 10, ymax = frame.bottom + 10
            var t0 = 0.0, t1 = 1.0
            let dx = b.0 - a.0, dy = b.1 - a.1
            for (p, q) in [(-dx, a.0 - xmin), (dx, xmax - a.0), (-dy, a.1 - ymin), (dy, ymax - a.1)] {
                if p == 0 { if q < 0 { return nil }; continue }
                let r = q / p
                if p < 0 { if r > t1 { return nil }; if r > t0 { t0 = r } } else { if r < t0 { return nil }; if r < t1 { t1 = r } }
            }
            return ((a.0 + t0 * dx, a.1 + t0 * dy), (a.0 + t1 * dx, a.1 + t1 * dy))
        }

        mutating func finish() {
            sums = Array(repeating: 0, count: (nx + 1) * (ny + 1))
            for j in 0..<ny {
                var row = 0
                for i in 0..<nx {
                    row += covered[j * nx + i] ? 1 : 0
                    sums[(j + 1) * (nx + 1) + i + 1] = sums[j * (nx + 1) + i + 1] + row
                }
            }
        }

        /// Whether the rectangle (px) touches a covered cell.
        func isFree(x: Double, y: Double, w: Double, h: Double) -> Bool {
            let i0 = max(0, Int(Foundation.floor((x - frame.left) / cell))), i1 = min(nx - 1, Int(Foundation.floor((x + w - frame.left) / cell)))
            let j0 = max(0, Int(Foundation.floor((y - frame.top) / cell))), j1 = min(ny - 1, Int(Foundation.floor((y + h - frame.top) / cell)))
            guard i0 <= i1, j0 <= j1 else { return true }
            let s = sums[(j1 + 1) * (nx + 1) + i1 + 1] - sums[j0 * (nx + 1) + i1 + 1] - sums[(j1 + 1) * (nx + 1) + i0] + sums[j0 * (nx + 1) + i0]
            return s == 0
        }
    }

    /// Split markup at spaces (outside braces) into lines of at most `maxWidth` px; a word
    /// longer than that keeps a line of its own.
    static func wrap(_ markup: String, maxWidth: Double, size: Double) -> [FigureText] {
        var words = [String](), cur = "", depth = 0
        for c in markup {
            if c == "{" { depth += 1 } else if c == "}" { depth = max(0, depth - 1) }
            if c == " " && depth == 0 { words.append(cur); cur = "" } else { cur.append(c) }
        }
        words.append(cur)
        var lines = [String](), line = ""
        for w in words {
            let candidate = line.isEmpty ? w : line + " " + w
            if !line.isEmpty && textWidth(FigureText(markup: candidate), size: size) > maxWidth {
                lines.append(line); line = w
            } else { line = candidate }
        }
        lines.append(line)
        return lines.map { FigureText(markup: $0) }
    }

    struct Legend {
        static let rowHeight = 15.0, lineHeight = 13.0, swatch = 24.0, pad = 5.0, margin = 5.0, columnGap = 10.0
        static let maxTextWidth = 220.0
        struct Entry {
            var lines: [FigureText]
            var style: SeriesStyle
            var radius: Double
            /// Room for a superscript above the first line and a subscript below the last, so
            /// that scripts of neighbouring entries never touch.
            var topExtra: Double { lines.first?.runs.contains { $0.position == .sup } == true ? 2 : 0 }
            var bottomExtra: Double { lines.last?.runs.contains { $0.position == .sub } == true ? 2 : 0 }
            var height: Double { Legend.rowHeight + Legend.lineHeight * Double(lines.count - 1) + topExtra + bottomExtra }
        }
        var entries: [Entry]
        /// Content height available per column; entries fill columns in order.
        var maxColumnHeight = Double.infinity

        var columns: [[Int]] {
            var out = [[Int]](), col = [Int](), h = 0.0
            for (k, e) in entries.enumerated() {
                if !col.isEmpty && h + e.height > maxColumnHeight { out.append(col); col = []; h = 0 }
                col.append(k); h += e.height
            }
            if !col.isEmpty { out.append(col) }
            return out
        }
        var columnWidth: Double {
            Legend.swatch + 6 + (entries.flatMap { $0.lines.map { SVGRenderer.textWidth($0, size: SVGRenderer.legendSize) } }.max() ?? 0) + 4
        }
        var width: Double { let n = Double(max(1, columns.count)); return 2 * Legend.pad + n * columnWidth + (n - 1) * Legend.columnGap }
        var height: Double {
            2 * Legend.pad - 2 + (columns.map { $0.reduce(0) { $0 + entries[$1].height } }.max() ?? 0)
        }

        func svg(x: Double, y: Double) -> String {
            var s = "<g class=\"legend\">\n<rect class=\"legend-box\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"white\" stroke=\"#b0b0b0\" stroke-width=\"0.8\"/>\n"
            for (c, col) in columns.enumerated() {
                let cx = x + Legend.pad + Double(c) * (columnWidth + Legend.columnGap)
                var rowTop = y + Legend.pad
                for k in col {
                    let e = entries[k], st = e.style
                    let mid = rowTop + 6.5 + e.topExtra
                    if st.line {
                        let dash = st.dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
                        s += "<line x1=\"\(f(cx))\" y1=\"\(f(mid))\" x2=\"\(f(cx + Legend.swatch))\" y2=\"\(f(mid))\" stroke=\"\(st.color)\" stroke-width=\"1.8\"\(dash)/>"
                    }
                    if let m = st.marker {
                        s += SVGRenderer.markerSVG(m, filled: st.filled, x: cx + Legend.swatch / 2, y: mid, r: min(e.radius + 0.3, 3.3), color: st.color, cls: "legend-marker")
                    }
                    for (i, line) in e.lines.enumerated() {
                        s += SVGRenderer.text(line, x: cx + Legend.swatch + 6, y: mid + 0.35 * SVGRenderer.legendSize + Double(i) * Legend.lineHeight,
                                              size: SVGRenderer.legendSize, cls: "legend-label") + "\n"
                    }
                    rowTop += e.height
                }
            }
            return s + "</g>\n"
        }
    }

    static func render(_ p: Plot, title: String) -> String {
        // Ranges (error bars included).
        var xs = [Double](), ys = [Double]()
        for s in p.series {
            xs += s.x
            ys += s.y
            if let e = s.yError {
                for (y, d) in zip(s.y, e) where d.isFinite && d > 0 {
                    ys.append(y + d)
                    if !p.yLog || y - d > 0 { ys.append(y - d) }
                }
            }
        }
        let (xl, xh) = range(xs, log: p.xLog, fixed: p.xRange)
        let (yl, yh) = range(ys, log: p.yLog, fixed: p.yRange)

        var canvasWidth = baseWidth
        let height = baseHeight
        // The y factor needs room above the frame; decide it with a provisional y axis.
        var vl = verticalLayout(title: title, canvasWidth: canvasWidth, height: height, yFactor: false, outwardTicks: false)
        var ya = Axis(lo: yl, hi: yh, log: p.yLog, p0: vl.bottom, p1: vl.top)
        var yt = ticks(ya, orientation: .vertical)
        if yt.factor != nil {
            vl = verticalLayout(title: title, canvasWidth: canvasWidth, height: height, yFactor: true, outwardTicks: false)
            ya = Axis(lo: yl, hi: yh, log: p.yLog, p0: vl.bottom, p1: vl.top)
            yt = ticks(ya, orientation: .vertical)
        }
        let (left, yLabelX) = leftLayout(yt, outwardTicks: false)
        var right = 20.0
        var xa = Axis(lo: xl, hi: xh, log: p.xLog, p0: left, p1: canvasWidth - right)
        var xt = ticks(xa, orientation: .horizontal)
        // Keep the last x label inside the canvas.
        if let last = xt.major.last(where: { $0.label != nil }) {
            let overflow = xa.map(last.value) + textWidth(last.label!, size: tickSize) / 2 + 4 - canvasWidth
            if overflow > 0 {
                right += overflow
                xa = Axis(lo: xl, hi: xh, log: p.xLog, p0: left, p1: canvasWidth - right)
                xt = ticks(xa, orientation: .horizontal)
            }
        }
        let frame = Frame(left: left, right: canvasWidth - right, top: vl.top, bottom: vl.bottom)
        resolveCorner(x: &xt, xa, xBaseline: vl.xTickBaseline, y: &yt, ya, yRight: frame.left - 5)

        // Series geometry.
        let styles = styles(p.series)
        func ok(_ x: Double, _ y: Double) -> Bool { xa.valid(x) && ya.valid(y) }
        var occupancy = Occupancy(frame: frame)
        var lineSVG = "", pointSVG = ""       // all lines first, markers and bars on top
        var radii = [Double]()
        var omitted = 0
        for (k, ser) in p.series.enumerated() {
            let st = styles[k]
            // Runs of consecutive valid points (lines break at NaN and at non-positive log values).
            var runs = [[(Double, Double)]](), current = [(Double, Double)]()
            var points = [(Double, Double)]()
            for (x, y) in zip(ser.x, ser.y) {
                if ok(x, y) {
                    let q = (xa.map(x), ya.map(y)); current.append(q); points.append(q)
                } else {
                    if (x.isFinite && y.isFinite) { omitted += 1 }
                    if !current.isEmpty { runs.append(current); current = [] }
                }
            }
            if !current.isEmpty { runs.append(current) }
            // Error bars in px.
            var bars = [(x: Double, lo: Double, hi: Double)]()
            if let e = ser.yError {
                for i in ser.x.indices where ok(ser.x[i], ser.y[i]) && e[i].isFinite && e[i] > 0 {
                    let top = ser.y[i] + e[i]
                    var bottom = ser.y[i] - e[i]
                    if p.yLog && bottom <= 0 { bottom = Foundation.pow(10, ya.lo - 1) }   // runs off the bottom
                    bars.append((xa.map(ser.x[i]), ya.map(bottom), ya.map(top)))
                }
            }
            // Marker radius: 3 px, shrunk toward the typical half bar (≥ 2 px).
            var r = 3.0
            if !bars.isEmpty {
                let halves = bars.map { b -> Double in
                    let y = b.lo + (b.hi - b.lo) / 2
                    return min(abs(b.lo - y), abs(b.hi - y))
                }.sorted()
                r = min(3.0, max(2.0, halves[halves.count / 2] - 0.5))
            }
            let markerSeries = st.marker != nil || (st.line && points.count == 1)
            radii.append(r)
            let width = 1.6
            if st.line {
                var d = ""
                for run in runs where run.count > 1 {
                    for (i, q) in run.enumerated() {
                        if i == 0 { d += "M\(f(q.0)),\(f(q.1))" }
                        else if st.steps { d += " H\(f(q.0)) V\(f(q.1))" }
                        else { d += " L\(f(q.0)),\(f(q.1))" }
                        if i > 0 {
                            let prev = run[i - 1]
                            if st.steps {
                                occupancy.mark(segment: prev, (q.0, prev.1), width / 2)
                                occupancy.mark(segment: (q.0, prev.1), q, width / 2)
                            } else {
                                occupancy.mark(segment: prev, q, width / 2)
                            }
                        }
                    }
                    d += " "
                }
                if !d.isEmpty {
                    let dash = st.dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
                    lineSVG += "<path class=\"series\" d=\"\(d.trimmingCharacters(in: .whitespaces))\" fill=\"none\" stroke=\"\(st.color)\" stroke-width=\"\(f(width))\" stroke-linejoin=\"round\"\(dash)/>\n"
                }
            }
            if markerSeries {
                let shape = st.marker ?? .circle
                let ext = markerExtent(shape, r: r, filled: st.filled)
                for q in points {
                    pointSVG += markerSVG(shape, filled: st.filled, x: q.0, y: q.1, r: r, color: st.color, cls: "marker")
                    occupancy.mark(q.0, q.1, ext + 0.5)
                }
                pointSVG += "\n"
            }
            if !bars.isEmpty {
                // Caps wider than the marker, so a bar shorter than the marker still shows.
                let cap = (markerSeries ? markerExtent(st.marker ?? .circle, r: r, filled: st.filled) : 1.5) + 2
                var d = ""
                for b in bars {
                    d += "M\(f(b.x)),\(f(b.lo)) V\(f(b.hi)) M\(f(b.x - cap)),\(f(b.lo)) H\(f(b.x + cap)) M\(f(b.x - cap)),\(f(b.hi)) H\(f(b.x + cap)) "
                    occupancy.mark(segment: (b.x, b.lo), (b.x, b.hi), 0.6)
                    occupancy.mark(segment: (b.x - cap, b.lo), (b.x + cap, b.lo), 0.6)
                    occupancy.mark(segment: (b.x - cap, b.hi), (b.x + cap, b.hi), 0.6)
                }
                pointSVG += "<path class=\"errorbar\" d=\"\(d.trimmingCharacters(in: .whitespaces))\" fill=\"none\" stroke=\"\(st.color)\" stroke-width=\"1\"/>\n"
            }
        }
        occupancy.finish()

        // Legend: inside where free, nearest a corner; else to the right of the frame.
        var legendSVG = ""
        let placement = p.legend ?? .automatic
        if placement != .hidden && !p.series.isEmpty {
            var legend = Legend(entries: p.series.enumerated().map {
                Legend.Entry(lines: wrap($0.element.name, maxWidth: Legend.maxTextWidth, size: legendSize), style: styles[$0.offset], radius: radii[$0.offset])
            })
            var spot: (Double, Double)? = nil
            if placement == .automatic {
                let inset = 6.0, m = Legend.margin
                let w = legend.width, h = legend.height
                var best: (Double, Double, Double)? = nil
                var y = frame.top + inset
                while y + h <= frame.bottom - inset {
                    var x = frame.left + inset
                    while x + w <= frame.right - inset {
                        if occupancy.isFree(x: x - m, y: y - m, w: w + 2 * m, h: h + 2 * m) {
                            let dl = x - frame.left - inset, dr = frame.right - inset - (x + w)
                            let dt = y - frame.top - inset, db = frame.bottom - inset - (y + h)
                            // Corner distance; ties prefer the top right, then the top left.
                            let score = min(dr + dt, dl + dt + 0.01, dr + db + 0.02, dl + db + 0.03)
                            if best == nil || score < best!.2 { best = (x, y, score) }
                        }
                        x += 2
                    }
                    y += 2
                }
                if let b = best { spot = (b.0, b.1) }
            }
            if spot == nil {
                legend.maxColumnHeight = frame.height - 2 * Legend.pad + 2
                spot = (frame.right + 12, frame.top)
                canvasWidth = max(canvasWidth, frame.right + 12 + legend.width + 8)
            }
            legendSVG = legend.svg(x: spot!.0, y: spot!.1)
        }

        // Note on points the axes cannot show.
        var noteSVG = ""
        if omitted > 0 {
            let which = [p.xLog ? "x" : nil, p.yLog ? "y" : nil].compactMap { $0 }.joined(separator: ", ")
            let note = FigureText(runs: [.init("\(omitted) point\(omitted == 1 ? "" : "s") with non-positive values not shown (log \(which))")])
            noteSVG = text(note, x: 4, y: height - 4, size: noteSize, cls: "note", attributes: " fill=\"#555\"") + "\n"
        }

        // Recentre the title if the canvas grew.
        let titleSVG = canvasWidth == baseWidth ? vl.titleSVG : Self.title(title, centre: canvasWidth / 2, width: canvasWidth).0
        var s = header(width: canvasWidth, height: height)
        s += titleSVG
        s += axesSVG(x: xa, xt, y: ya, yt, frame: frame, xLabel: p.xLabel, yLabel: p.yLabel, grid: true, outwardTicks: false,
                     xLabelBaseline: vl.xLabelBaseline, yLabelBaseline: yLabelX, xTickBaseline: vl.xTickBaseline)
        s += "<clipPath id=\"frame-clip\"><rect x=\"\(f(frame.left))\" y=\"\(f(frame.top))\" width=\"\(f(frame.width))\" height=\"\(f(frame.height))\"/></clipPath>\n"
        s += "<g class=\"data\" clip-path=\"url(#frame-clip)\">\n" + lineSVG + pointSVG + "</g>\n"
        s += "<rect class=\"frame\" x=\"\(f(frame.left))\" y=\"\(f(frame.top))\" width=\"\(f(frame.width))\" height=\"\(f(frame.height))\" fill=\"none\" stroke=\"black\" stroke-width=\"0.8\"/>\n"
        s += legendSVG + noteSVG
        s += "</svg>\n"
        return s
    }

    // MARK: heat maps

    static let viridis: [(Double, Double, Double)] = [
        (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142), (31, 158, 137),
        (53, 183, 121), (109, 205, 89), (180, 222, 44), (253, 231, 37)]
    /// Blue–white–red (ColorBrewer RdBu, reversed), white at the middle.
    static let blueWhiteRed: [(Double, Double, Double)] = [
        (5, 48, 97), (33, 102, 172), (67, 147, 195), (146, 197, 222), (247, 247, 247), (244, 165, 130),
        (214, 96, 77), (178, 24, 43), (103, 0, 31)]

    static func hex(_ c: (Double, Double, Double)) -> String {
        String(format: "#%02x%02x%02x", Int(c.0.rounded()), Int(c.1.rounded()), Int(c.2.rounded()))
    }

    /// Colour at t ∈ [0, 1] of a map given by equally spaced anchors.
    static func color(_ t: Double, _ anchors: [(Double, Double, Double)] = viridis) -> String {
        let u = min(max(t.isFinite ? t : 0, 0), 1) * Double(anchors.count - 1)
        let i = min(Int(u), anchors.count - 2)
        let w = u - Double(i)
        let a = anchors[i], b = anchors[i + 1]
        return hex((a.0 + w * (b.0 - a.0), a.1 + w * (b.1 - a.1), a.2 + w * (b.2 - a.2)))
    }

    /// Cell edges around grid centres (geometric midpoints on log axes); nil if the centres
    /// are not finite (and positive on a log axis) and strictly monotone.
    static func edges(_ c: [Double], log: Bool) -> [Double]? {
        guard !c.isEmpty, c.allSatisfy({ $0.isFinite && (!log || $0 > 0) }) else { return nil }
        let v = log ? c.map { Foundation.log10($0) } : c
        var e: [Double]
        if v.count == 1 {
            let d = log ? 0.5 : (v[0] == 0 ? 0.5 : 0.5 * abs(v[0]))
            e = [v[0] - d, v[0] + d]
        } else {
            let increasing = v[1] > v[0]
            for i in 0..<(v.count - 1) where (v[i + 1] > v[i]) != increasing || v[i + 1] == v[i] { return nil }
            e = [v[0] - (v[1] - v[0]) / 2]
            for i in 0..<(v.count - 1) { e.append((v[i] + v[i + 1]) / 2) }
            e.append(v[v.count - 1] + (v[v.count - 1] - v[v.count - 2]) / 2)
        }
        return log ? e.map { Foundation.pow(10, $0) } : e
    }

    /// Ticks of a heat-map axis: the cell centres on a log axis with few cells, else round values.
    static func heatMapTicks(_ axis: Axis, centres: [Double], orientation: Orientation) -> Ticks {
        if axis.log && centres.count <= 12 {
            // One format for all: decimals inside [10⁻³, 10⁴], else m×10ⁿ.
            let plain = centres.allSatisfy { $0 >= 0.99e-3 && $0 < 1e4 }
            let labels = centres.map { v -> FigureText in
                if plain { return FigureText(markup: tickNumber(v)) }
                let e = Int(Foundation.floor(Foundation.log10(v) + 1e-9))
                let m = String(format: "%.2g", v / Foundation.pow(10, Double(e)))
                return FigureText(runs: [.init(m == "1" ? "10" : "\(m)×10"), .init(e < 0 ? "−\(-e)" : "\(e)", .sup)])
            }
            for k in 1...max(1, centres.count) {
                let major = centres.enumerated().map { i, v in Tick(value: v, label: i % k == 0 ? labels[i] : nil) }
                if labelsFit(major, axis: axis, orientation: orientation) || k == centres.count {
                    var t = Ticks(major: major)
                    t.cellLabels = true
                    return t
                }
            }
        }
        return ticks(axis, orientation: orientation)
    }

    static func render(_ h: HeatMap, title: String) -> String {
        // Degenerate grids fall back to index coordinates on linear axes.
        let xLog = h.xLog && edges(h.x, log: true) != nil, yLog = h.yLog && edges(h.y, log: true) != nil
        let xCentres = edges(h.x, log: xLog) != nil ? h.x : h.x.indices.map(Double.init)
        let yCentres = edges(h.y, log: yLog) != nil ? h.y : h.y.indices.map(Double.init)
        let ex = edges(xCentres, log: xLog) ?? [0, 1], ey = edges(yCentres, log: yLog) ?? [0, 1]
        func axisUnits(_ e: [Double], _ log: Bool) -> (Double, Double) {
            let a = log ? Foundation.log10(e.first!) : e.first!, b = log ? Foundation.log10(e.last!) : e.last!
            return (min(a, b), max(a, b))
        }
        let (xl, xh) = axisUnits(ex, xLog), (yl, yh) = axisUnits(ey, yLog)

        // Colour scale.
        let finite = h.values.flatMap { $0 }.filter { $0.isFinite }
        var vlo = finite.min() ?? 0, vhi = finite.max() ?? 1
        if let r = h.valueRange, r.lowerBound.isFinite, r.upperBound.isFinite, r.lowerBound < r.upperBound {
            vlo = r.lowerBound; vhi = r.upperBound
        }
        let diverging = h.colorScale == .diverging || (h.colorScale == nil && vlo < 0 && vhi > 0)
        if diverging && h.valueRange == nil { let m = max(abs(vlo), abs(vhi)); vlo = -m; vhi = m }
        if !(vhi > vlo) { let d = vlo == 0 ? 1 : 0.1 * abs(vlo); vlo -= d; vhi += d }
        let anchors = diverging ? blueWhiteRed : viridis

        let height = baseHeight
        let plotWidth = baseWidth
        var vl = verticalLayout(title: title, canvasWidth: plotWidth + 110, height: height, yFactor: false, outwardTicks: true)
        func colorAxis(_ vl: VerticalLayout) -> Axis { Axis(lo: vlo, hi: vhi, log: false, p0: vl.bottom, p1: vl.top) }
        var ya = Axis(lo: yl, hi: yh, log: yLog, p0: vl.bottom, p1: vl.top)
        var yt = heatMapTicks(ya, centres: yCentres, orientation: .vertical)
        var ct = linearTicks(colorAxis(vl), orientation: .vertical)
        if yt.factor != nil || ct.factor != nil {
            vl = verticalLayout(title: title, canvasWidth: plotWidth + 110, height: height, yFactor: true, outwardTicks: true)
            ya = Axis(lo: yl, hi: yh, log: yLog, p0: vl.bottom, p1: vl.top)
            yt = heatMapTicks(ya, centres: yCentres, orientation: .vertical)
            ct = linearTicks(colorAxis(vl), orientation: .vertical)
        }
        let ca = colorAxis(vl)
        let (left, yLabelX) = leftLayout(yt, outwardTicks: true)
        let frameRight = plotWidth - 20
        let xa = Axis(lo: xl, hi: xh, log: xLog, p0: left, p1: frameRight)
        var xt = heatMapTicks(xa, centres: xCentres, orientation: .horizontal)
        let frame = Frame(left: left, right: frameRight, top: vl.top, bottom: vl.bottom)
        resolveCorner(x: &xt, xa, xBaseline: vl.xTickBaseline, y: &yt, ya, yRight: frame.left - 8)

        // Colour bar geometry: bar, tick labels, rotated label.
        let bx = frame.right + 16, bw = 16.0
        let ctw = ct.major.compactMap { $0.label.map { textWidth($0, size: tickSize) } }.max() ?? 0
        let colorLabel = FigureText(markup: h.colorLabel)
        let cl = textExtent(colorLabel, size: labelSize)
        let colorLabelX = bx + bw + 6 + ctw + 8 + cl.above
        let canvasWidth = colorLabelX + cl.below + 6

        var s = header(width: canvasWidth, height: height)
        s += canvasWidth == plotWidth + 110 ? vl.titleSVG : Self.title(title, centre: canvasWidth / 2, width: canvasWidth).0
        // Cells: edges shared exactly by neighbours; the outer edges are the frame.
        let px = ex.map { xa.map($0) }, py = ey.map { ya.map($0) }
        s += "<g class=\"cells\" shape-rendering=\"crispEdges\">\n"
        for iy in yCentres.indices {
            for ix in xCentres.indices {
                let v = h.values[iy][ix]
                let x0 = min(px[ix], px[ix + 1]), x1 = max(px[ix], px[ix + 1])
                let y0 = min(py[iy], py[iy + 1]), y1 = max(py[iy], py[iy + 1])
                let fill = v.isFinite ? color((v - vlo) / (vhi - vlo), anchors) : "#d0d0d0"
                s += "<rect class=\"cell\" x=\"\(f(x0))\" y=\"\(f(y0))\" width=\"\(f(x1 - x0))\" height=\"\(f(y1 - y0))\" fill=\"\(fill)\"/>"
            }
            s += "\n"
        }
        s += "</g>\n"
        s += "<rect class=\"frame\" x=\"\(f(frame.left))\" y=\"\(f(frame.top))\" width=\"\(f(frame.width))\" height=\"\(f(frame.height))\" fill=\"none\" stroke=\"black\" stroke-width=\"0.8\"/>\n"
        s += axesSVG(x: xa, xt, y: ya, yt, frame: frame, xLabel: h.xLabel, yLabel: h.yLabel, grid: false, outwardTicks: true,
                     xLabelBaseline: vl.xLabelBaseline, yLabelBaseline: yLabelX, xTickBaseline: vl.xTickBaseline)

        // Colour bar: a gradient through the map's anchors, ticks at round values.
        s += "<linearGradient id=\"colorbar-gradient\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        for (k, a) in anchors.enumerated() {
            s += "<stop offset=\"\(f(Double(k) / Double(anchors.count - 1)))\" stop-color=\"\(hex(a))\"/>"
        }
        s += "</linearGradient>\n"
        s += "<rect class=\"colorbar\" x=\"\(f(bx))\" y=\"\(f(frame.top))\" width=\"\(f(bw))\" height=\"\(f(frame.height))\" fill=\"url(#colorbar-gradient)\" stroke=\"black\" stroke-width=\"0.8\"/>\n"
        s += "<g class=\"ticks\" stroke=\"black\" stroke-width=\"0.8\">"
        for t in ct.major { let p = ca.map(t.value); s += "<line x1=\"\(f(bx + bw))\" y1=\"\(f(p))\" x2=\"\(f(bx + bw + 4))\" y2=\"\(f(p))\"/>" }
        s += "</g>\n"
        for t in ct.major {
            guard let l = t.label else { continue }
            s += text(l, x: bx + bw + 6, y: ca.map(t.value) + 0.35 * tickSize, size: tickSize, cls: "tick-label", attributes: " data-axis=\"color\"") + "\n"
        }
        if let fc = ct.factor {
            s += text(fc, x: bx, y: frame.top - 10, size: tickSize, cls: "tick-factor", attributes: " data-axis=\"color\"") + "\n"
        }
        s += text(colorLabel, x: colorLabelX, y: (frame.top + frame.bottom) / 2, size: fittingSize(colorLabel, labelSize, frame.height + 20), anchor: .middle,
                  cls: "axis-label", attributes: " data-axis=\"color\"", rotated: true) + "\n"
        if finite.count < h.values.reduce(0, { $0 + $1.count }) {
            s += text(FigureText(runs: [.init("grey: no value")]), x: 4, y: height - 4, size: noteSize, cls: "note", attributes: " fill=\"#555\"") + "\n"
        }
        s += "</svg>\n"
        return s
    }
}
