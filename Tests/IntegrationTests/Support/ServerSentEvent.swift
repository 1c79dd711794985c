import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One server-sent event: `event:` names it, `data:` lines are joined with newlines.
struct ServerSentEvent: Sendable {
    var name: String
    var data: String

    /// The events of a complete `text/event-stream` body.
    static func parse(_ text: String) -> [ServerSentEvent] {
        text.components(separatedBy: "\n\n").compactMap { parse(block: $0[...]) }
    }

    static func parse(block: Substring) -> ServerSentEvent? {
        var name = "message"
        var data: [Substring] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix(":") {
            if line.hasPrefix("event:") { name = line.dropFirst(6).trimmingCharacters(in: .whitespaces) }
            if line.hasPrefix("data:") { data.append(line.dropFirst(5).drop { $0 == " " }) }
        }
        return data.isEmpty && name == "message" ? nil : ServerSentEvent(name: name, data: data.joined(separator: "\n"))
    }
}

extension APIClient {
    /// Follows `/v1/jobs/{id}/events` as a real stream, chunk by chunk, until the server ends it (the request's
    /// deadline bounds the wait), and returns every event.
    func events(of id: String) async throws -> [ServerSentEvent] {
        try await events(at: "/v1/jobs/\(id)/events") { _ in false }
    }

    /// Follows the event stream at `path` chunk by chunk until the server ends it or an event satisfies `done`
    /// (the request's deadline bounds the wait), and returns every event read.
    func events(at path: String, until done: (ServerSentEvent) -> Bool) async throws -> [ServerSentEvent] {
        var request = HTTPClientRequest(url: baseURL + path)
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response = try await HTTPClient.forTests.execute(request, timeout: .seconds(60))
        guard response.status.code == 200,
            response.headers.first(name: "Content-Type")?.hasPrefix("text/event-stream") == true
        else { throw StreamRefused(status: Int(response.status.code)) }
        var events: [ServerSentEvent] = []
        var pending = ""
        for try await chunk in response.body {
            pending += String(decoding: chunk.readableBytesView, as: UTF8.self)
            while let end = pending.range(of: "\n\n") {
                if let event = ServerSentEvent.parse(block: pending[..<end.lowerBound]) {
                    events.append(event)
                    if done(event) { return events }
                }
                pending.removeSubrange(..<end.upperBound)
            }
        }
        guard pending.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw StreamRefused(status: -1) }
        return events
    }

    struct StreamRefused: Error, CustomStringConvertible {
        var status: Int
        var description: String { status < 0 ? "the stream ended mid-event" : "the event stream answered \(status)" }
    }
}
