import Foundation

/// Writes figures as standalone SVG 1.1 documents (no scripts, no external fonts), which
/// browsers and GitHub render directly.
public enum SVGRenderer {
    static let width = 640.0, height = 420.0
    static let left = 78.0, right = 20.0, top = 36.0, bottom = 58.0
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                          "#bcbd22", "#17becf"]

    public static func render(_ figure: Figure) -> String {
        switch figure.content {
        case let .plot(p): return render(p, title: figure.title)
        case let .heatMap(h): return render(h, title: figure.title)
        }
    }

    // MARK: axes

    struct Axis {
        var lo: Double, hi: Double, log: Bool, pixelLo: Double, pixelHi: Double
        func map(_ v: Double) -> Double {
            let t = log ? (Foundation.log10(v) - lo) / (hi - lo) : (v - lo) / (hi - lo)
            return pixelLo + t * (pixelHi - pixelLo)
        }
        /// Tick positions in data units with labels.
        func ticks() -> [(Double, String)] {
            if log {
                let a = Int(Foundation.floor(lo + 1e-9)), b = Int(Foundation.ceil(hi - 1e-9))
                let step = max(1, (b - a + 7) / 8)
                return stride(from: a, through: b, by: step).compactMap { e in
                    let d = Double(e)
                    guard d >= lo - 1e-9 && d <= hi + 1e-9 else { return nil }
                    return (Foundation.pow(10, d), "1e\(e)")
                }
            }
            let span = hi - lo
            let raw = span / 6
            let mag = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
            let step = [1.0, 2.0, 2.5, 5.0, 10.0].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
            var t = Foundation.ceil(lo / step) * step
            var out = [(Double, String)]()
            while t <= hi + 1e-9 * span {
                out.append((t, tickLabel(abs(t) < 1e-12 * span ? 0 : t)))
                t += step
            }
            return out
        }
        var minorLogTicks: [Double] {
            guard log, hi - lo <= 8 else { return [] }
            var out = [Double]()
            for e in Int(Foundation.floor(lo))...Int(Foundation.ceil(hi)) {
                for m in 2...9 {
                    let v = Double(m) * Foundation.pow(10, Double(e))
                    let l = Foundation.log10(v)
                    if l > lo && l < hi { out.append(v) }
                }
            }
            return out
        }
    }

    static func range(_ values: [Double], log: Bool, fixed: ClosedRange<Double>?) -> (Double, Double) {
        if let f = fixed { return log ? (Foundation.log10(f.lowerBound), Foundation.log10(f.upperBound)) : (f.lowerBound, f.upperBound) }
        let v = values.filter { $0.isFinite && (!log || $0 > 0) }
        guard var lo = v.min(), var hi = v.max() else { return (0, 1) }
        if log { lo = Foundation.log10(lo); hi = Foundation.log10(hi) }
        if hi - lo < 1e-12 * max(1, abs(hi)) { lo -= 0.5; hi += 0.5 }
        let pad = 0.04 * (hi - lo)
        return (lo - pad, hi + pad)
    }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func f(_ x: Double) -> String { String(format: "%.2f", x) }

    /// A tick label without trailing zeros ("0.2", "1.5e-05").
    static func tickLabel(_ x: Double) -> String {
        var s = formatNumber(x, digits: 3)
        if let e = s.firstIndex(of: "e") {
            var mant = String(s[..<e]); let exp = String(s[e...])
            if mant.contains(".") { while mant.hasSuffix("0") { mant.removeLast() }; if mant.hasSuffix(".") { mant.removeLast() } }
            s = mant + exp
        } else if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    static func header(_ title: String, extraWidth: Double = 0) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width + extraWidth))" height="\(f(height))" \
        viewBox="0 0 \(f(width + extraWidth)) \(f(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect x="0" y="0" width="\(f(width + extraWidth))" height="\(f(height))" fill="white"/>
        <text x="\(f((width + extraWidth) / 2))" y="22" text-anchor="middle" font-size="14" font-weight="bold">\(esc(title))</text>

        """
    }

    static func axes(_ xa: Axis, _ ya: Axis, xLabel: String, yLabel: String) -> String {
        var s = ""
        let x0 = left, x1 = width - right, y0 = height - bottom, y1 = top
        s += "<rect x=\"\(f(x0))\" y=\"\(f(y1))\" width=\"\(f(x1 - x0))\" height=\"\(f(y0 - y1))\" fill=\"none\" stroke=\"black\"/>\n"
        for (v, label) in xa.ticks() {
            let px = xa.map(v)
            s += "<line x1=\"\(f(px))\" y1=\"\(f(y0))\" x2=\"\(f(px))\" y2=\"\(f(y0 - 6))\" stroke=\"black\"/>"
            s += "<line x1=\"\(f(px))\" y1=\"\(f(y1))\" x2=\"\(f(px))\" y2=\"\(f(y0))\" stroke=\"#e5e5e5\" stroke-width=\"0.6\"/>"
            s += "<text x=\"\(f(px))\" y=\"\(f(y0 + 16))\" text-anchor=\"middle\">\(esc(label))</text>\n"
        }
        for v in xa.minorLogTicks {
            let px = xa.map(v)
            s += "<line x1=\"\(f(px))\" y1=\"\(f(y0))\" x2=\"\(f(px))\" y2=\"\(f(y0 - 3))\" stroke=\"black\"/>\n"
        }
        for (v, label) in ya.ticks() {
            let py = ya.map(v)
            s += "<line x1=\"\(f(x0))\" y1=\"\(f(py))\" x2=\"\(f(x0 + 6))\" y2=\"\(f(py))\" stroke=\"black\"/>"
            s += "<line x1=\"\(f(x0))\" y1=\"\(f(py))\" x2=\"\(f(x1))\" y2=\"\(f(py))\" stroke=\"#e5e5e5\" stroke-width=\"0.6\"/>"
            s += "<text x=\"\(f(x0 - 6))\" y=\"\(f(py + 4))\" text-anchor=\"end\">\(esc(label))</text>\n"
        }
        for v in ya.minorLogTicks {
            let py = ya.map(v)
            s += "<line x1=\"\(f(x0))\" y1=\"\(f(py))\" x2=\"\(f(x0 + 3))\" y2=\"\(f(py))\" stroke=\"black\"/>\n"
        }
        s += "<text x=\"\(f((x0 + x1) / 2))\" y=\"\(f(height - 16))\" text-anchor=\"middle\">\(esc(xLabel))</text>\n"
        s += "<text transform=\"translate(18 \(f((y0 + y1) / 2))) rotate(-90)\" text-anchor=\"middle\">\(esc(yLabel))</text>\n"
        return s
    }

    // MARK: plots

    static func render(_ p: Plot, title: String) -> String {
        var xs = [Double](), ys = [Double]()
        for s in p.series {
            xs += s.x
            ys += s.y
            if let e = s.yError {
                for (y, d) in zip(s.y, e) where d.isFinite {
                    ys.append(y + d)
                    if !p.yLog || y - d > 0 { ys.append(y - d) }
                }
            }
        }
        let (xl, xh) = range(xs, log: p.xLog, fixed: p.xRange)
        let (yl, yh) = range(ys, log: p.yLog, fixed: p.yRange)
        let xa = Axis(lo: xl, hi: xh, log: p.xLog, pixelLo: left, pixelHi: width - right)
        let ya = Axis(lo: yl, hi: yh, log: p.yLog, pixelLo: height - bottom, pixelHi: top)
        var s = header(title)
        s += axes(xa, ya, xLabel: p.xLabel, yLabel: p.yLabel)
        s += "<clipPath id=\"plotarea\"><rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width - left - right))\" height=\"\(f(height - top - bottom))\"/></clipPath>\n"
        s += "<g clip-path=\"url(#plotarea)\">\n"
        func ok(_ x: Double, _ y: Double) -> Bool {
            x.isFinite && y.isFinite && (!p.xLog || x > 0) && (!p.yLog || y > 0)
        }
        for (k, ser) in p.series.enumerated() {
            let color = palette[k % palette.count]
            let pts = zip(ser.x, ser.y).filter { ok($0.0, $0.1) }.map { (xa.map($0.0), ya.map($0.1)) }
            if ser.style != .points, pts.count > 1 {
                var d = ""
                if ser.style == .steps {
                    for (i, q) in pts.enumerated() {
                        d += i == 0 ? "M\(f(q.0)),\(f(q.1))" : " H\(f(q.0)) V\(f(q.1))"
                    }
                } else {
                    d = pts.enumerated().map { ($0.offset == 0 ? "M" : "L") + "\(f($0.element.0)),\(f($0.element.1))" }.joined(separator: " ")
                }
                let dash = ser.style == .dashed ? " stroke-dasharray=\"6 4\"" : ""
                s += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.6\"\(dash)/>\n"
            }
            if let e = ser.yError {
                for i in ser.x.indices where ok(ser.x[i], ser.y[i]) && e[i].isFinite && e[i] > 0 {
                    let px = xa.map(ser.x[i])
                    let lo = p.yLog ? max(ser.y[i] - e[i], Foundation.pow(10, yl)) : ser.y[i] - e[i]
                    let py0 = ya.map(lo), py1 = ya.map(ser.y[i] + e[i])
                    s += "<line x1=\"\(f(px))\" y1=\"\(f(py0))\" x2=\"\(f(px))\" y2=\"\(f(py1))\" stroke=\"\(color)\" stroke-width=\"1\"/>"
                    s += "<line x1=\"\(f(px - 3))\" y1=\"\(f(py0))\" x2=\"\(f(px + 3))\" y2=\"\(f(py0))\" stroke=\"\(color)\"/>"
                    s += "<line x1=\"\(f(px - 3))\" y1=\"\(f(py1))\" x2=\"\(f(px + 3))\" y2=\"\(f(py1))\" stroke=\"\(color)\"/>\n"
                }
            }
            if ser.style == .points || ser.style == .linePoints {
                for q in pts {
                    s += "<circle cx=\"\(f(q.0))\" cy=\"\(f(q.1))\" r=\"2.8\" fill=\"\(color)\"/>"
                }
                s += "\n"
            }
        }
        s += "</g>\n"
        // Legend inside the frame, in the corner that hides the fewest data points.
        let legendHeight = Double(p.series.count) * 16 + 6
        let allPoints = p.series.flatMap { ser in zip(ser.x, ser.y).filter { ok($0.0, $0.1) }.map { (xa.map($0.0), ya.map($0.1)) } }
        let corners: [(Double, Double)] = [(width - right - 210, top + 3), (left + 12, top + 3),
                                           (width - right - 210, height - bottom - legendHeight - 3),
                                           (left + 12, height - bottom - legendHeight - 3)]
        let (lx, boxTop) = corners.min { a, b in
            func hidden(_ c: (Double, Double)) -> Int {
                allPoints.filter { $0.0 >= c.0 - 6 && $0.0 <= c.0 + 206 && $0.1 >= c.1 && $0.1 <= c.1 + legendHeight }.count
            }
            return hidden(a) < hidden(b)
        }!
        var ly = boxTop + 11
        s += "<rect x=\"\(f(lx - 6))\" y=\"\(f(boxTop))\" width=\"212\" height=\"\(f(legendHeight))\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#999\"/>\n"
        for (k, ser) in p.series.enumerated() {
            let color = palette[k % palette.count]
            if ser.style == .points {
                s += "<circle cx=\"\(f(lx + 10))\" cy=\"\(f(ly - 4))\" r=\"3\" fill=\"\(color)\"/>"
            } else {
                let dash = ser.style == .dashed ? " stroke-dasharray=\"6 4\"" : ""
                s += "<line x1=\"\(f(lx))\" y1=\"\(f(ly - 4))\" x2=\"\(f(lx + 20))\" y2=\"\(f(ly - 4))\" stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>"
            }
            s += "<text x=\"\(f(lx + 26))\" y=\"\(f(ly))\" font-size=\"11\">\(esc(String(ser.name.prefix(34))))</text>\n"
            ly += 16
        }
        s += "</svg>\n"
        return s
    }

    // MARK: heat maps

    /// Viridis-like colour map (5 anchor colours, linear interpolation).
    static func color(_ t: Double) -> String {
        let anchors: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
        let u = min(max(t.isFinite ? t : 0, 0), 1) * Double(anchors.count - 1)
        let i = min(Int(u), anchors.count - 2)
        let w = u - Double(i)
        let a = anchors[i], b = anchors[i + 1]
        return String(format: "#%02x%02x%02x", Int(a.0 + w * (b.0 - a.0)), Int(a.1 + w * (b.1 - a.1)), Int(a.2 + w * (b.2 - a.2)))
    }

    /// Cell edges around grid centres (geometric midpoints on log axes).
    static func edges(_ c: [Double], log: Bool) -> [Double] {
        let v = log ? c.map { Foundation.log10($0) } : c
        guard v.count > 1 else { return [v[0] - 0.5, v[0] + 0.5].map { log ? Foundation.pow(10, $0) : $0 } }
        var e = [v[0] - (v[1] - v[0]) / 2]
        for i in 0..<(v.count - 1) { e.append((v[i] + v[i + 1]) / 2) }
        e.append(v[v.count - 1] + (v[v.count - 1] - v[v.count - 2]) / 2)
        return log ? e.map { Foundation.pow(10, $0) } : e
    }

    static func render(_ h: HeatMap, title: String) -> String {
        let ex = edges(h.x, log: h.xLog), ey = edges(h.y, log: h.yLog)
        let (xl, xh) = range([ex.first!, ex.last!], log: h.xLog, fixed: nil)
        let (yl, yh) = range([ey.first!, ey.last!], log: h.yLog, fixed: nil)
        let xa = Axis(lo: xl, hi: xh, log: h.xLog, pixelLo: left, pixelHi: width - right)
        let ya = Axis(lo: yl, hi: yh, log: h.yLog, pixelLo: height - bottom, pixelHi: top)
        let finite = h.values.flatMap { $0 }.filter { $0.isFinite }
        let vr = h.valueRange ?? ((finite.min() ?? 0)...(max(finite.max() ?? 1, (finite.min() ?? 0) + 1e-300)))
        var s = header(title, extraWidth: 110)
        for iy in h.y.indices {
            for ix in h.x.indices {
                let v = h.values[iy][ix]
                let x0 = xa.map(ex[ix]), x1 = xa.map(ex[ix + 1])
                let y0 = ya.map(ey[iy]), y1 = ya.map(ey[iy + 1])
                let fill = v.isFinite ? color((v - vr.lowerBound) / (vr.upperBound - vr.lowerBound)) : "#dddddd"
                s += "<rect x=\"\(f(min(x0, x1)))\" y=\"\(f(min(y0, y1)))\" width=\"\(f(abs(x1 - x0) + 0.3))\" height=\"\(f(abs(y1 - y0) + 0.3))\" fill=\"\(fill)\"/>"
            }
            s += "\n"
        }
        s += axes(xa, ya, xLabel: h.xLabel, yLabel: h.yLabel)
        // Colour bar.
        let bx = width + 10, bw = 18.0, by0 = height - bottom, by1 = top
        for k in 0..<64 {
            let t0 = Double(k) / 64, t1 = Double(k + 1) / 64
            s += "<rect x=\"\(f(bx))\" y=\"\(f(by0 - t1 * (by0 - by1)))\" width=\"\(f(bw))\" height=\"\(f((t1 - t0) * (by0 - by1) + 0.4))\" fill=\"\(color((t0 + t1) / 2))\"/>"
        }
        s += "\n<rect x=\"\(f(bx))\" y=\"\(f(by1))\" width=\"\(f(bw))\" height=\"\(f(by0 - by1))\" fill=\"none\" stroke=\"black\"/>\n"
        for k in 0...4 {
            let t = Double(k) / 4
            let v = vr.lowerBound + t * (vr.upperBound - vr.lowerBound)
            s += "<text x=\"\(f(bx + bw + 4))\" y=\"\(f(by0 - t * (by0 - by1) + 4))\" font-size=\"10\">\(esc(formatNumber(v, digits: 3)))</text>\n"
        }
        s += "<text transform=\"translate(\(f(width + 100)) \(f((by0 + by1) / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"11\">\(esc(h.colorLabel))</text>\n"
        s += "</svg>\n"
        return s
    }
}
