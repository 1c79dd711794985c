import DarkroomBench
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct TimelineSVGTests {
    private let window = MeasurementWindow(start: .seconds(2), end: .seconds(6))

    @Test("the document is well-formed XML with two polylines: a point per second, and per second with a success")
    func wellFormed() throws {
        let timeline = Timeline([
            transaction(ended: 0.5), transaction(ended: 1.2, error: .timeout), transaction(ended: 3.1, latency: 2),
            transaction(ended: 3.9, latency: 0.5), transaction(ended: 5.5),
        ]).padded(through: .seconds(6))
        let svg = TimelineSVG(title: "custom, http://a?b=1&c=<2>", timeline: timeline, window: window).render()
        let document = try #require(SVGElements(svg))
        #expect(document.polylinePoints.map(\.count) == [6, 3])
        #expect(document.count(of: "svg") == 1)
        #expect(document.count(of: "rect") == 3, "the background and the window in each panel")
        #expect(document.texts.contains("custom, http://a?b=1&c=<2>"))
        #expect(document.texts.contains("seconds since start (shaded: measurement window)"))
    }

    @Test("an empty run still draws both panels, with empty lines")
    func emptyRun() throws {
        let svg = TimelineSVG(title: "empty", timeline: Timeline(), window: window).render()
        let document = try #require(SVGElements(svg))
        #expect(document.polylinePoints.map(\.count) == [0, 0])
    }

    @Test("axes step in round numbers: 1, 2 or 5 × 10ⁿ, reaching the maximum")
    func scale() {
        let svg = TimelineSVG(
            title: "ticks", timeline: Timeline((0..<37).map { _ in transaction(ended: 0.5, latency: 0.03) }),
            window: window
        ).render()
        #expect(svg.contains(">40</text>") && svg.contains(">10</text>"), "ok/s axis 0…40 by 10")
        #expect(svg.contains(">0.030</text>") || svg.contains(">0.03</text>"), "latency axis reaches 0.03 s")
    }
}

/// The elements of a parsed SVG document; `nil` when it is not well-formed XML.
private final class SVGElements: NSObject, XMLParserDelegate {
    private(set) var names: [String] = []
    private(set) var polylinePoints: [[String]] = []
    private(set) var texts: [String] = []
    private var text: String?

    init?(_ svg: String) {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        guard parser.parse() else { return nil }
    }

    func count(of name: String) -> Int { names.count { $0 == name } }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        names.append(name)
        if name == "polyline" {
            polylinePoints.append((attributes["points"] ?? "").split(separator: " ").map(String.init))
        }
        if name == "text" { text = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text? += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let text { texts.append(text) }
        text = nil
    }
}
