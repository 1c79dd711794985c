/// `--svg`: a run's throughput and p95 latency over time, as one self-contained SVG drawn by hand.
///
/// Two panels share the time axis (seconds since the start): successes per second above, the p95 latency of
/// each second's successes below. Each panel has a few labelled ticks, one polyline, and the measurement window
/// shaded. A point sits at the middle of its second. The latency line has a point only for seconds with a
/// success, so it bridges seconds without one. Pure: ``render()`` returns the document.
public struct TimelineSVG: Sendable {
    public var title: String
    public var timeline: Timeline
    public var window: MeasurementWindow

    public init(title: String, timeline: Timeline, window: MeasurementWindow) {
        self.title = title
        self.timeline = timeline
        self.window = window
    }

    /// The chart of `report`, titled with its scenario and target.
    public init(report: BenchReport) {
        self.init(
            title: "darkroom bench: \(report.setup.scenario), \(report.setup.target)", timeline: report.timeline,
            window: report.window)
    }

    static let width = 800.0
    static let left = 72.0
    static let right = 24.0
    static let top = 48.0
    static let panelHeight = 180.0
    static let gap = 56.0
    static let height = top + 2 * panelHeight + gap + 48

    /// The SVG document, as UTF-8 text.
    public func render() -> String {
        let throughput = timeline.buckets.map { (x: Double($0.second) + 0.5, y: Double($0.ok)) }
        let latency = timeline.buckets.compactMap { bucket in
            bucket.p95.map { (x: Double(bucket.second) + 0.5, y: $0) }
        }
        let lowerTop = Self.top + Self.panelHeight + Self.gap
        let panels = [
            Panel(label: "ok/s", top: Self.top, points: throughput, color: "#1f6feb"),
            Panel(label: "p95 latency (s)", top: lowerTop, points: latency, color: "#d1242f"),
        ]
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Self.number(Self.width))" "#
                + #"height="\#(Self.number(Self.height))" viewBox="0 0 \#(Self.number(Self.width)) "#
                + #"\#(Self.number(Self.height))" font-family="sans-serif" font-size="12">"#,
            #"<rect width="100%" height="100%" fill="white"/>"#,
            #"<text x="\#(Self.number(Self.left))" y="24" font-size="15">\#(Self.escaped(title))</text>"#,
        ]
        for panel in panels { lines += draw(panel, timeLabels: panel.top == panels.last?.top) }
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One panel: its values and where it sits.
    struct Panel {
        var label: String
        var top: Double
        var points: [(x: Double, y: Double)]
        var color: String
    }

    /// The seconds the time axis spans: the timeline and the window, at least one.
    var span: Double {
        max(Double(timeline.buckets.count), window.end.inSeconds, 1)
    }

    func x(_ seconds: Double) -> Double {
        Self.left + seconds / span * (Self.width - Self.left - Self.right)
    }
}
