import Foundation

/// A server's answer to one HTTP call: the status and the whole (size-capped) body.
struct HTTPAnswer: Sendable, Equatable {
    var status: Int
    var body: Data

    /// Whether the status is 2xx.
    var isSuccess: Bool { (200..<300).contains(status) }

    /// The body as JSON, if it is JSON.
    var json: BackendJSON? { BackendJSON.parse(body) }

    /// The body as text, trimmed and cut to `limit` characters, for error messages.
    func text(limit: Int = 300) -> String {
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.count > limit ? String(text.prefix(limit)) + "…" : text
    }
}
