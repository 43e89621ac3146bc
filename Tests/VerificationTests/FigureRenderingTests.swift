import Foundation
import Testing
@testable import Verification

extension Tag {
    @Tag static var figures: Self
}

/// A figure with the name it is reported under ("claim-id--figure" or "edge--case").
struct NamedFigure: Sendable, CustomTestStringConvertible {
    var id: String
    var figure: Figure
    var testDescription: String { id }
}

/// Every figure of the committed standard-tier results, plus the synthetic edge cases.
enum FigureCorpus {
    struct ClaimFigures: Decodable { var id: String; var figures: [Figure] }
    struct ResultsFigures: Decodable { var claims: [ClaimFigures] }

    static let resultsURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("reference-data/results-standard.json")

    static func loadCommitted() throws -> [NamedFigure] {
        let r = try JSONDecoder().decode(ResultsFigures.self, from: Data(contentsOf: resultsURL))
        return r.claims.flatMap { c in c.figures.map { NamedFigure(id: "\(c.id)--\($0.name)", figure: $0) } }
    }

    static let committed: [NamedFigure] = (try? loadCommitted()) ?? []
    static let edgeCases: [NamedFigure] = FigureEdgeCases.all.map { NamedFigure(id: "edge--\($0.name)", figure: $0) }
    static var all: [NamedFigure] { committed + edgeCases }
}

@Suite("Figures: the SVG writer's layout, read back from its output", .tags(.figures))
struct FigureRenderingTests {
    @Test("the committed results decode (legacy figure form) and hold every committed figure")
    func corpus() throws {
        let figures = try FigureCorpus.loadCommitted()
        // reference-data/figures holds one SVG per figure of that run.
        let folder = FigureCorpus.resultsURL.deletingLastPathComponent().appendingPathComponent("figures")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".svg") }
        #expect(figures.count == files.count)
        #expect(Set(figures.map { $0.id + ".svg" }) == Set(files))
    }

    @Test("no legend over data, ≥ 2 labelled decades per log axis, text in the canvas and apart, round ticks where they are written, visible error bars, tiled heat maps",
          arguments: FigureCorpus.all)
    func layout(_ f: NamedFigure) {
        let svg = SVGRenderer.render(f.figure)
        let problems = inspect(svg: svg, facts: FigureFacts(f.figure))
        let report = "\(f.id):\n" + problems.map { "  \($0)" }.joined(separator: "\n")
        #expect(problems.isEmpty, Comment(rawValue: report))
    }

    @Test("rendering is deterministic")
    func deterministic() {
        for f in FigureCorpus.edgeCases.prefix(8) { #expect(SVGRenderer.render(f.figure) == SVGRenderer.render(f.figure)) }
    }

    // MARK: falsification controls: each check flags the defect it exists for

    /// A minimal figure SVG in the renderer's vocabulary, to be broken on purpose.
    static func svg(_ body: String, width: Double = 640, height: Double = 420) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)">
        <rect class="frame" x="60" y="40" width="560" height="320" fill="none" stroke="black"/>
        \(body)
        </svg>
        """
    }

    static func tickLabels(axis: String, _ labels: [(Double, String)]) -> String {
        labels.map { p, l in
            axis == "x" ? "<text class=\"tick-label\" x=\"\(p)\" y=\"380\" font-size=\"11\" text-anchor=\"middle\" data-axis=\"x\">\(l)</text>"
                        : "<text class=\"tick-label\" x=\"55\" y=\"\(p + 3.85)\" font-size=\"11\" text-anchor=\"end\" data-axis=\"y\">\(l)</text>"
        }.joined(separator: "\n")
    }

    static let goodX = tickLabels(axis: "x", [(60, "0.0"), (200, "0.5"), (340, "1.0"), (480, "1.5"), (620, "2.0")])
    static let goodY = tickLabels(axis: "y", [(360, "0"), (200, "1"), (40, "2")])
    static let linear = FigureFacts(Figure(name: "c", title: "", caption: "", plot: Plot(xLabel: "", yLabel: "", series: [])))

    @Test("control: the clean reference SVG passes")
    func cleanControl() {
        let s = Self.svg(Self.goodX + Self.goodY + "<circle class=\"marker\" cx=\"300\" cy=\"200\" r=\"3\"/>")
        #expect(inspect(svg: s, facts: Self.linear).map(\.check) == [])
    }

    @Test("control: a legend box over a marker or a line is flagged")
    func legendControl() {
        let marker = Self.svg(Self.goodX + Self.goodY + """
            <circle class="marker" cx="300" cy="200" r="3"/><g class="legend"><rect class="legend-box" x="250" y="180" width="100" height="19"/></g>
            """)
        let line = Self.svg(Self.goodX + Self.goodY + """
            <path class="series" d="M60,300 L620,300"/><g class="legend"><rect class="legend-box" x="250" y="290" width="100" height="20"/></g>
            """)
        #expect(inspect(svg: marker, facts: Self.linear).contains { $0.check == .legendClear })
        #expect(inspect(svg: line, facts: Self.linear).contains { $0.check == .legendClear })
    }

    @Test("control: log axes with one labelled decade, or every other decade labelled where all fit, are flagged")
    func logControl() {
        var facts = Self.linear
        facts.yLog = true
        // One decade label on an axis spanning 10⁻¹…10¹ (three powers of ten).
        let one = Self.svg(Self.goodX + Self.tickLabels(axis: "y", [(200, "10<tspan dy=\"-4.4\" font-size=\"7.7\">0</tspan>"), (150, "3")]))
        #expect(inspect(svg: one, facts: facts).contains { $0.check == .logDecades })
        // 1e-4, 1e-2, 1e0 with 80 px per decade: every decade would fit.
        let skipping = Self.svg(Self.goodX + Self.tickLabels(axis: "y", [(360, "1e-4"), (200, "1e-2"), (40, "1e0")]))
        #expect(inspect(svg: skipping, facts: facts).contains { $0.check == .logDecades })
        // The same labels at every decade pass.
        let all = Self.svg(Self.goodX + Self.tickLabels(axis: "y", [(360, "1e-4"), (280, "1e-3"), (200, "1e-2"), (120, "1e-1"), (40, "1e0")]))
        #expect(inspect(svg: all, facts: facts).isEmpty)
    }

    @Test("control: tick values off the 1-2-5 steps, or not where they are written, are flagged")
    func tickControl() {
        let quarter = Self.svg(Self.tickLabels(axis: "x", [(60, "0"), (200, "2.5"), (340, "5"), (480, "7.5")]) + Self.goodY)
        #expect(inspect(svg: quarter, facts: Self.linear).contains { $0.check == .tickValues })
        let displaced = Self.svg(Self.tickLabels(axis: "x", [(60, "0"), (200, "1"), (360, "2"), (480, "3")]) + Self.goodY)
        #expect(inspect(svg: displaced, facts: Self.linear).contains { $0.check == .tickValues })
        let colourBar = Self.svg(Self.goodX + Self.goodY + """
            <text class="tick-label" x="660" y="360" font-size="10" data-axis="color">0.36</text>
            <text class="tick-label" x="660" y="280" font-size="10" data-axis="color">0.405</text>
            <text class="tick-label" x="660" y="200" font-size="10" data-axis="color">0.45</text>
            """, width: 700)
        #expect(inspect(svg: colourBar, facts: Self.linear).contains { $0.check == .tickValues })
    }

    @Test("control: text outside the canvas, overlapping text and NaN coordinates are flagged")
    func textControl() {
        let outside = Self.svg(Self.goodX + Self.goodY + "<text class=\"title\" x=\"320\" y=\"22\" font-size=\"14\" text-anchor=\"middle\">\(String(repeating: "wide title ", count: 12))</text>")
        #expect(inspect(svg: outside, facts: Self.linear).contains { $0.check == .textInCanvas })
        let overlap = Self.svg(Self.goodX + Self.goodY + "<text class=\"note\" x=\"190\" y=\"382\" font-size=\"11\">note</text>")
        #expect(inspect(svg: overlap, facts: Self.linear).contains { $0.check == .textOverlap })
        let nan = Self.svg(Self.goodX + Self.goodY + "<circle class=\"marker\" cx=\"nan\" cy=\"200\" r=\"3\"/>")
        #expect(inspect(svg: nan, facts: Self.linear).contains { $0.check == .finiteNumbers })
        #expect(inspect(svg: "<svg width=\"1\" height=\"1\"><g></svg>", facts: Self.linear).map(\.check) == [.wellFormed])
    }

    @Test("control: an error bar inside its marker without wider caps is flagged; wider caps pass")
    func errorBarControl() {
        let hidden = Self.svg(Self.goodX + Self.goodY + """
            <circle class="marker" cx="300" cy="200" r="2.8"/><path class="errorbar" d="M300,201 V199 M297,201 H303 M297,199 H303"/>
            """)
        #expect(inspect(svg: hidden, facts: Self.linear).contains { $0.check == .errorBarsVisible })
        let capped = Self.svg(Self.goodX + Self.goodY + """
            <circle class="marker" cx="300" cy="200" r="2.8"/><path class="errorbar" d="M300,201 V199 M295,201 H305 M295,199 H305"/>
            """)
        #expect(inspect(svg: capped, facts: Self.linear).isEmpty)
    }

    @Test("control: heat-map cells inset from the frame are flagged")
    func cellsControl() {
        let facts = FigureFacts(Figure(name: "h", title: "", caption: "", heatMap: HeatMap(xLabel: "", yLabel: "", colorLabel: "", x: [0], y: [0], values: [[0]])))
        let colour = "<text class=\"tick-label\" x=\"660\" y=\"363.85\" font-size=\"11\" data-axis=\"color\">0</text><text class=\"tick-label\" x=\"660\" y=\"43.85\" font-size=\"11\" data-axis=\"color\">1</text>"
        let inset = Self.svg(Self.goodX + Self.goodY + colour + "<rect class=\"cell\" x=\"80\" y=\"50\" width=\"520\" height=\"300\"/>", width: 700)
        #expect(inspect(svg: inset, facts: facts).contains { $0.check == .cellsTileFrame })
        let tiled = Self.svg(Self.goodX + Self.goodY + colour + "<rect class=\"cell\" x=\"60\" y=\"40\" width=\"280\" height=\"320\"/><rect class=\"cell\" x=\"340\" y=\"40\" width=\"280\" height=\"320\"/>", width: 700)
        #expect(inspect(svg: tiled, facts: facts).isEmpty)
    }

    // MARK: markup, styles, JSON

    @Test("label markup: scripts from _{…}, ^{…} and a following word; everything else plain")
    func markup() {
        func runs(_ s: String) -> [String] {
            FigureText(markup: s).runs.map { r in r.position == .sub ? "_" + r.text : r.position == .sup ? "^" + r.text : r.text }
        }
        #expect(runs("S_{max}") == ["S", "_max"])
        #expect(runs("S_max") == ["S", "_max"])
        #expect(runs("h_x = 0.8") == ["h", "_x", " = 0.8"])
        #expect(runs("10^{-3}") == ["10", "^−3"])
        #expect(runs("10^-3 s") == ["10", "^−3", " s"])
        #expect(runs("s_n+1") == ["s", "_n", "+1"])
        #expect(runs("ε^0.984") == ["ε", "^0.984"])
        #expect(runs("(1+r)^5/2") == ["(1+r)", "^5/2"])
        #expect(runs("⟨(S_j^x)²⟩") == ["⟨(S", "_j", "^x", ")²⟩"])
        #expect(runs("p_j̄ + p_j") == ["p", "_j̄", " + p", "_j"])
        #expect(runs("L^{−1/(1+x)}, α = 0.6") == ["L", "^−1/(1+x)", ", α = 0.6"])
        #expect(runs("a _ b, x^ 2, _x, y_") == ["a _ b, x^ 2, _x, y_"])
        #expect(runs(#"snake\_case"#) == ["snake_case"])
        #expect(runs("plain text (no scripts)") == ["plain text (no scripts)"])
        #expect(FigureText(markup: "S_{max} < 1").html == "S<sub>max</sub> &lt; 1")
    }

    @Test("markup renders as tspans shifted with dy and returning to the baseline")
    func markupSVG() {
        let s = SVGRenderer.text(FigureText(markup: "S_{max} = 10^{-3}"), x: 0, y: 10, size: 10, cls: "t")
        #expect(s.contains(#"S<tspan dy="3" font-size="7">max</tspan><tspan dy="-3"> = 10</tspan><tspan dy="-4" font-size="7">−3</tspan>"#))
        #expect(!SVGRenderer.text(FigureText(markup: "plain"), x: 0, y: 0, size: 10, cls: "t").contains("tspan"))
    }

    @Test("groups share a colour; their members differ in dash or marker fill")
    func groupStyles() {
        let pairs = FigureEdgeCases.all.first { $0.name == "grouped-pairs" }!
        guard case let .plot(p) = pairs.content else { Issue.record("not a plot"); return }
        let st = SVGRenderer.styles(p.series)
        for k in stride(from: 0, to: st.count, by: 2) {
            #expect(st[k].color == st[k + 1].color)
            #expect(st[k].dash != st[k + 1].dash)
        }
        #expect(Set(st.map(\.color)).count == p.series.count / 2)
        let points = SVGRenderer.styles([PlotSeries(name: "a", x: [], y: [], style: .points, group: "g"),
                                         PlotSeries(name: "b", x: [], y: [], style: .points, group: "g")])
        #expect(points[0].color == points[1].color && points[0].filled && !points[1].filled)
        // Without groups every series has its own look, also past the ten palette colours.
        let twelve = SVGRenderer.styles((0..<12).map { PlotSeries(name: "\($0)", x: [], y: [], style: .linePoints) })
        #expect(Set(twelve.map { "\($0.color) \($0.dash ?? "-") \(String(describing: $0.marker)) \($0.filled)" }).count == 12)
    }

    @Test("Figure JSON: {kind, plot|heatMap} written, the legacy enum form read, non-finite numbers as null")
    func json() throws {
        let fig = Figure(name: "n", title: "t", caption: "c", plot: Plot(xLabel: "x", yLabel: "y", series: [
            PlotSeries(name: "s", x: [1, 2], y: [.nan, 3], yError: [0.1, .infinity], group: "g")]))
        let data = try JSONEncoder().encode(fig)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["kind"] as? String == "plot")
        #expect(object["plot"] is [String: Any])
        #expect(object["content"] == nil)
        let back = try JSONDecoder().decode(Figure.self, from: data)
        guard case let .plot(p) = back.content else { Issue.record("kind lost"); return }
        #expect(p.series[0].y[0].isNaN && p.series[0].y[1] == 3 && p.series[0].yError![1].isNaN && p.series[0].group == "g")
        #expect(String(decoding: data, as: UTF8.self).contains("null"))

        let heat = Figure(name: "h", title: "t", caption: "c", heatMap: HeatMap(xLabel: "a", yLabel: "b", colorLabel: "v", x: [1], y: [2], values: [[3]]))
        #expect(try JSONDecoder().decode(Figure.self, from: JSONEncoder().encode(heat)) == heat)

        let legacy = #"{"name":"h","title":"t","caption":"c","content":{"heatMap":{"_0":{"xLabel":"a","yLabel":"b","colorLabel":"v","x":[1],"y":[2],"values":[[3]],"xLog":false,"yLog":false}}}}"#
        #expect(try JSONDecoder().decode(Figure.self, from: Data(legacy.utf8)) == heat)
        let unknown = #"{"name":"n","title":"t","caption":"c","kind":"pie","pie":{}}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Figure.self, from: Data(unknown.utf8)) }
    }
}
