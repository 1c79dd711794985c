import Foundation
import Testing

/// Server-sent events read as a real HTTP stream, chunk by chunk.
@Suite(.serialized)
struct EventStreamTests {
    @Test("the event stream sends progress with increasing steps, then the terminal state, then ends")
    func progressThenTerminalState() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: directory.url, options: ["--sim-gpus", "1", "--sim-seconds", "3.0"])
        defer { server.stop() }

        // 16 steps of 1024×1024 at 3 s per 8 steps: six seconds, a progress update every 3/8 s, so the stream
        // sees several even when this shared machine is slow to open it.
        let job = try await server.api.submitAccepted(JobRequestBody(prompt: "streamed portrait", steps: 16))
        let events = try await server.api.events(of: job.id)
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
        #expect(
            earlierStates.allSatisfy { ["queued", "running"].contains($0) }, "states before the end: \(earlierStates)")
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
        let events = ServerSentEvent.parse(answer.text)
        #expect(events.map(\.name) == ["state"])
        #expect(events.first?.data.contains(#""state":"succeeded""#) == true)
    }

    @Test("the queue's stream carries every job's state changes and progress, with the job's id")
    func queueStream() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: directory.url, options: ["--sim-gpus", "1", "--sim-seconds", "3.0"])
        defer { server.stop() }
        let api = server.api

        // The job runs for 3 s, so the stream is open well before it ends, however slowly it opens here.
        async let followed = api.events(at: "/v1/queue/events") { event in
            event.name == "state" && event.data.contains(#""state":"succeeded""#)
        }
        let job = try await api.submitAccepted(JobRequestBody(prompt: "watched from the queue"))
        let events = try await followed
        let states = try events.filter { $0.name == "state" }.map {
            try JSONDecoder.api.decode(JobJSON.self, from: Data($0.data.utf8))
        }
        #expect(states.allSatisfy { $0.id == job.id })
        #expect(states.last?.state == "succeeded")
        #expect(states.map(\.state).allSatisfy { ["queued", "running", "succeeded"].contains($0) })
        let progress = events.filter { $0.name == "progress" }
        #expect(!progress.isEmpty, "\(events.map(\.name))")
        #expect(progress.allSatisfy { $0.data.contains(#""id":"\#(job.id)""#) })
    }
}
