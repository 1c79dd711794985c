import DarkroomAPI
import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /v1/jobs/{id}/events`: the job's state and progress as server-sent events, ending after the terminal state.
///
/// The router test client returns once the whole stream has ended, so every test here also proves the stream ends.
@Suite(.timeLimit(.minutes(5))) struct EventsRoutesTests {
    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    /// Opens the job's event stream, waits until the handler has read the job (so it sees every later
    /// change), runs `afterSubscribing`, and returns the whole stream once it ends.
    private func events(
        of id: String, client: some TestClientProtocol, store: ReadSignalingJobQueue,
        afterSubscribing: () async throws -> Void
    ) async throws -> (TestResponse, [StreamEvent]) {
        let stream = Task { try await client.get("/v1/jobs/\(id)/events") }
        for await read in store.reads where read.rawValue == id { break }
        try await afterSubscribing()
        let response = try await stream.value
        return (response, StreamEvent.parse(response.text))
    }

    @Test("a followed job sends state queued, running, progress with rising steps, then succeeded, and the stream ends")
    func followsAJobToSuccess() async throws {
        let store = ReadSignalingJobQueue(base: fixture.store)
        let pool = fixture.makeWorkerPool()
        try await fixture.makeApp(capacity: pool, store: store).test(.router) { client in
            // No worker runs yet, so the job is still queued when the stream starts.
            let job = try await client.submitJob(#"{"prompt":"p","steps":12,"width":512,"height":512}"#)
            let (response, events) = try await events(of: job.id, client: client, store: store) {
                _ = try await fixture.whileRunning(pool) { try await fixture.finished(job.id) }
            }
            #expect(response.status == .ok)
            #expect(response.mediaType == "text/event-stream")

            let steps = try events.filter { $0.event == "progress" }.map { event in
                try JSONDecoder().decode(JobBody.Progress.self, from: Data(event.data.utf8))
            }
            #expect(steps.map(\.step) == Array(1...12))
            #expect(steps.allSatisfy { $0.steps == 12 })
            #expect(zip(steps, steps.dropFirst()).allSatisfy { $0.step < $1.step })

            let states = try events.filter { $0.event == "state" }.map { try $0.job().state }
            #expect(states == ["queued", "running", "succeeded"])
            #expect(events.first?.event == "state")
            let last = try #require(events.last)
            #expect(last.event == "state")
            let finished = try last.job()
            #expect(finished.id == job.id)
            #expect(finished.state == "succeeded")
            #expect(finished.images.count == 1)
        }
    }

    @Test("when the change feed loses every change, the stream still ends with the terminal state")
    func pollingFallback() async throws {
        let store = ReadSignalingJobQueue(base: fixture.store, dropsChanges: true)
        let pool = fixture.makeWorkerPool()
        let configuration = APIConfiguration(statsCacheDuration: .zero, eventPollInterval: .milliseconds(20))
        try await fixture.makeApp(capacity: pool, store: store, configuration: configuration).test(.router) { client in
            let job = try await client.submitJob(#"{"prompt":"p","width":512,"height":512}"#)
            let (_, events) = try await events(of: job.id, client: client, store: store) {
                _ = try await fixture.whileRunning(pool) { try await fixture.finished(job.id) }
            }
            let states = try events.filter { $0.event == "state" }.map { try $0.job().state }
            #expect(states.first == "queued")
            #expect(states.last == "succeeded")
        }
    }

    @Test("a queued job canceled while followed ends its stream with a canceled state")
    func followsAJobToCancellation() async throws {
        let store = ReadSignalingJobQueue(base: fixture.store)
        try await fixture.makeApp(store: store).test(.router) { client in
            let job = try await client.submitJob()
            let (_, events) = try await events(of: job.id, client: client, store: store) {
                let canceled = try await client.post("/v1/jobs/\(job.id)/cancel")
                #expect(canceled.status == .ok)
            }
            #expect(events.map(\.event) == ["state", "state"])
            #expect(try events.map { try $0.job().state } == ["queued", "canceled"])
        }
    }

    @Test("a client that connects after the job ended gets its terminal state at once, as the only event")
    func lateClientGetsTheTerminalState() async throws {
        let pool = fixture.makeWorkerPool()
        try await fixture.makeApp(capacity: pool).test(.router) { client in
            let job = try await fixture.whileRunning(pool) {
                let job = try await client.submitJob()
                _ = try await fixture.finished(job.id)
                return job
            }
            let response = try await client.get("/v1/jobs/\(job.id)/events")
            #expect(response.status == .ok)
            let events = StreamEvent.parse(response.text)
            #expect(events.count == 1)
            let only = try #require(events.first)
            #expect(only.event == "state")
            #expect(try only.job().state == "succeeded")
        }
    }

    @Test(
        "the events of an unknown or malformed job id are a 404 job_not_found problem",
        arguments: ["0190f2a4-0000-7000-8000-000000000000", "not-a-uuid"])
    func unknownJobHasNoEvents(id: String) async throws {
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.get("/v1/jobs/\(id)/events")
            _ = try response.expectProblem(.notFound, code: "job_not_found")
        }
    }
}
