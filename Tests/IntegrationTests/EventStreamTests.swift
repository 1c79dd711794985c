import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Server-sent events read as a real HTTP stream, chunk by chunk.
@Suite(.serialized)
struct EventStreamTests {
    struct Event: Sendable {
        var name: String
        var data: String
    }

    @Test("the event stream sends progress with increasing steps, then the terminal state, then ends")
    func progressThenTerminalState() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: directory.url, options: ["--sim-gpus", "1", "--sim-seconds", "1.0"])
        defer { server.stop() }

        // 16 steps of 1024×1024 at 1 s per 8 steps: two seconds, one progress update every 1/8 s.
        let job = try await server.api.submitAccepted(JobRequestBody(prompt: "streamed portrait", steps: 16))
        var request = HTTPClientRequest(url: server.baseURL + "/v1/jobs/\(job.id)/events")
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        #expect(response.status.code == 200)
        #expect(response.headers.first(name: "Content-Type")?.hasPrefix("text/event-stream") == true)

        // The loop ends only when the server ends the stream (the request's deadline bounds it).
        var events: [Event] = []
        var pending = ""
        for try await chunk in response.body {
            pending += String(decoding: chunk.readableBytesView, as: UTF8.self)
            while let end = pending.range(of: "\n\n") {
                if let event = Self.parse(pending[..<end.lowerBound]) { events.append(event) }
                pending.removeSubrange(..<end.upperBound)
            }
        }
        #expect(pending.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "no partial event at the end")

        let steps = try events.filter { $0.name == "progress" }.map {
            try JSONDecoder.api.decode(JobJSON.Progress.self, from: Data($0.data.utf8))
        }
        #expect(steps.count >= 2, "several progress events arrived: \(events.map(\.name))")
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $0.step < $1.step }, "steps increase: \(steps.map(\.step))")
        #expect(steps.allSatisfy { $0.steps == 16 && (1...16).contains($0.step) })

        let last = try #require(events.last)
        #expect(last.name == "state", "the last event is a state event")
        let final = try JSONDecoder.api.decode(JobJSON.self, from: Data(last.data.utf8))
        #expect(final.id == job.id)
        #expect(final.state == "succeeded")
        #expect(final.images.count == 1)
        let earlierStates = try events.dropLast().filter { $0.name == "state" }.map {
            try JSONDecoder.api.decode(JobJSON.self, from: Data($0.data.utf8)).state
        }
        #expect(earlierStates.allSatisfy { ["queued", "running"].contains($0) }, "states before the end: \(earlierStates)")
    }

    @Test("a client that connects after the job ended gets the terminal state at once, and the stream ends")
    func lateSubscriberGetsTerminalState() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: directory.url, options: ["--sim-gpus", "1", "--sim-seconds", "0.2"])
        defer { server.stop() }

        let job = try await server.api.submitAccepted(JobRequestBody(prompt: "late", width: 256, height: 256))
        #expect(try await server.api.waitForTerminal(job.id).state == "succeeded")
        let answer = try await server.api.get("/v1/jobs/\(job.id)/events")
        #expect(answer.status == 200)
        let events = answer.text.components(separatedBy: "\n\n").compactMap { Self.parse($0[...]) }
        #expect(events.map(\.name) == ["state"])
        #expect(events.first?.data.contains(#""state":"succeeded""#) == true)
    }

    /// One event block: `event:` names it, `data:` lines are joined with newlines.
    private static func parse(_ block: Substring) -> Event? {
        var name = "message"
        var data: [Substring] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix(":") {
            if line.hasPrefix("event:") { name = line.dropFirst(6).trimmingCharacters(in: .whitespaces) }
            if line.hasPrefix("data:") { data.append(line.dropFirst(5).drop { $0 == " " }) }
        }
        return data.isEmpty && name == "message" ? nil : Event(name: name, data: data.joined(separator: "\n"))
    }
}
