import Foundation

/// Drawing one panel: the window's shade, the axes and their ticks, and the line.
extension TimelineSVG {
    func draw(_ panel: Panel, timeLabels: Bool) -> [String] {
        let bottom = panel.top + Self.panelHeight
        let (yMax, yStep) = Self.scale(panel.points.map(\.y).max() ?? 0)
        func y(_ value: Double) -> Double { bottom - value / yMax * Self.panelHeight }
        let shadeStart = x(window.start.inSeconds)
        let shadeWidth = x(window.end.inSeconds) - shadeStart
        var lines = [
            #"<rect x="\#(Self.number(shadeStart))" y="\#(Self.number(panel.top))" "#
                + #"width="\#(Self.number(shadeWidth))" height="\#(Self.number(Self.panelHeight))" "#
                + #"fill="rgb(234,238,242)"/>"#,
            line(from: (x(0), bottom), to: (x(span), bottom)),
            line(from: (x(0), panel.top), to: (x(0), bottom)),
        ]
        for value in stride(from: 0, through: yMax + yStep / 2, by: yStep) {
            lines.append(line(from: (x(0) - 4, y(value)), to: (x(0), y(value))))
            lines.append(
                #"<text x="\#(Self.number(x(0) - 8))" y="\#(Self.number(y(value) + 4))" text-anchor="end">"#
                    + #"\#(Self.label(value, step: yStep))</text>"#)
        }
        let (_, timeStep) = Self.scale(span)
        for second in stride(from: 0, through: span + timeStep / 2, by: timeStep) where second <= span {
            lines.append(line(from: (x(second), bottom), to: (x(second), bottom + 4)))
            guard timeLabels else { continue }
            lines.append(
                #"<text x="\#(Self.number(x(second)))" y="\#(Self.number(bottom + 18))" text-anchor="middle">"#
                    + #"\#(Self.label(second, step: timeStep))</text>"#)
        }
        if timeLabels {
            lines.append(
                #"<text x="\#(Self.number(x(span / 2)))" y="\#(Self.number(bottom + 36))" text-anchor="middle">"#
                    + "seconds since start (shaded: measurement window)</text>")
        }
        let labelY = panel.top + Self.panelHeight / 2
        lines.append(
            #"<text transform="translate(18 \#(Self.number(labelY))) rotate(-90)" text-anchor="middle">"#
                + #"\#(Self.escaped(panel.label))</text>"#)
        let points = panel.points.map { "\(Self.number(x($0.x))),\(Self.number(y($0.y)))" }.joined(separator: " ")
        lines.append(
            #"<polyline points="\#(points)" fill="none" stroke="\#(panel.color)" stroke-width="1.5"/>"#)
        return lines
    }

    private func line(from start: (Double, Double), to end: (Double, Double)) -> String {
        #"<line x1="\#(Self.number(start.0))" y1="\#(Self.number(start.1))" "#
            + #"x2="\#(Self.number(end.0))" y2="\#(Self.number(end.1))" stroke="rgb(87,96,106)"/>"#
    }

    /// An axis from 0 to at least `maximum` in four or five round steps (1, 2 or 5 × 10ⁿ).
    static func scale(_ maximum: Double) -> (top: Double, step: Double) {
        let maximum = maximum > 0 ? maximum : 1
        let raw = maximum / 4
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        return ((maximum / step).rounded(.up) * step, step)
    }

    /// A tick's label, with as many decimals as its step needs.
    static func label(_ value: Double, step: Double) -> String {
        ReportNumber.fixed(value, max(0, Int(-log10(step).rounded(.down))))
    }

    /// A coordinate, to a tenth of a pixel.
    static func number(_ value: Double) -> String {
        ReportNumber.fixed(value, 1)
    }

    /// `text` safe inside an element or an attribute.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
