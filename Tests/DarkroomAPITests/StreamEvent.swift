import Foundation

/// One server-sent event of a `text/event-stream` body.
struct StreamEvent: Sendable, Equatable {
    var event: String?
    var data: String

    /// The events of a complete stream: blocks separated by a blank line, `data:` lines joined by newlines.
    static func parse(_ text: String) -> [StreamEvent] {
        text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").compactMap { block in
            var event: String?
            var data: [String] = []
            for line in block.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix(":") {
                let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                var value = parts.count > 1 ? String(parts[1]) : ""
                if value.hasPrefix(" ") { value.removeFirst() }
                switch parts[0] {
                case "event": event = value
                case "data": data.append(value)
                default: break
                }
            }
            return event == nil && data.isEmpty ? nil : StreamEvent(event: event, data: data.joined(separator: "\n"))
        }
    }

    /// The `data` of a `state` event, which carries the whole job.
    func job() throws -> JobBody {
        try JSONDecoder.snakeCase.decode(JobBody.self, from: Data(data.utf8))
    }
}
