import DarkroomAPI
import DarkroomCore
import DarkroomStore
import DarkroomWorker
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Deadlines on `POST /v1/jobs`: `deadline_seconds`, the `Request-Timeout` header, the server's default, and a
/// job that outlives its deadline ending `expired` for everyone following it.
@Suite(.timeLimit(.minutes(5))) struct DeadlineRoutesTests {
    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    private static func parse(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true))
    }

    /// Submits, and checks that the job's deadline is `seconds` after some instant during the call (the API
    /// shows milliseconds, so the window is widened to whole milliseconds).
    private func expectDeadline(
        _ seconds: Double, body: String, headers: HTTPFields = [:], client: some TestClientProtocol,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let before = (Date().timeIntervalSince1970 * 1_000).rounded(.down) / 1_000
        let response = try await client.submit(body, headers: headers)
        let after = (Date().timeIntervalSince1970 * 1_000).rounded(.up) / 1_000
        #expect(response.status == .accepted, sourceLocation: sourceLocation)
        let job = try response.decode(JobBody.self)
        let deadline = try #require(job.deadlineAt.flatMap(Self.parse), sourceLocation: sourceLocation)
        #expect(
            (before + seconds...after + seconds).contains(deadline.timeIntervalSince1970),
            sourceLocation: sourceLocation)
    }

    @Test("deadline_seconds, else Request-Timeout, else the server's default sets the job's deadline")
    func deadlinesAreSet() async throws {
        let configuration = APIConfiguration(statsCacheDuration: .zero, defaultDeadline: .seconds(600))
        let timeout = HTTPField.Name("Request-Timeout")!
        try await fixture.makeApp(configuration: configuration).test(.router) { client in
            try await expectDeadline(
                60, body: #"{"prompt":"p","deadline_seconds":60}"#, headers: [timeout: "30"], client: client)
            try await expectDeadline(30, body: #"{"prompt":"p"}"#, headers: [timeout: "30"], client: client)
            try await expectDeadline(600, body: #"{"prompt":"p"}"#, client: client)
        }
    }

    @Test("without any deadline a job has none")
    func noDeadline() async throws {
        try await fixture.makeApp().test(.router) { client in
            let job = try await client.submitJob()
            #expect(job.deadlineAt == nil)
        }
    }

    @Test(
        "a deadline out of range or unreadable is a 422 naming it, and nothing is committed",
        arguments: [
            (#"{"prompt":"p","deadline_seconds":0}"#, nil, "deadline_seconds"),
            (#"{"prompt":"p","deadline_seconds":86401}"#, nil, "deadline_seconds"),
            (#"{"prompt":"p"}"#, "soon", "Request-Timeout"),
            (#"{"prompt":"p"}"#, "0", "Request-Timeout"),
        ] as [(String, String?, String)])
    func refusedDeadlines(body: String, header: String?, field: String) async throws {
        try await fixture.makeApp().test(.router) { client in
            var headers: HTTPFields = [:]
            if let header { headers[HTTPField.Name("Request-Timeout")!] = header }
            let response = try await client.submit(body, headers: headers)
            let problem = try response.expectProblem(.unprocessableContent, code: "invalid_parameter")
            #expect(problem.field == field)
            #expect(try await fixture.store.list(ListParams(limit: 10)).jobs.isEmpty)
        }
    }

    @Test("a queued job past its deadline ends expired: its stream ends with it and it reads deadline_exceeded")
    func expiredOverServerSentEvents() async throws {
        let store = ReadSignalingJobQueue(base: fixture.store)
        try await fixture.makeApp(store: store).test(.router) { client in
            let job = try await client.submitJob(#"{"prompt":"p","deadline_seconds":3600}"#)
            let stream = Task { try await client.get("/v1/jobs/\(job.id)/events") }
            for await read in store.reads where read.rawValue == job.id { break }
            // No worker runs: the job waits until the sweep finds it past its deadline.
            let sweeper = DeadlineSweeper(store: fixture.store, logger: fixture.logger)
            #expect(try await sweeper.sweep(now: Date()).isEmpty)
            let swept = try await sweeper.sweep(now: Date().addingTimeInterval(3_601))
            #expect(swept.map(\.id.rawValue) == [job.id])

            let events = StreamEvent.parse(try await stream.value.text)
            #expect(try events.map { try $0.job().state } == ["queued", "expired"])
            let read = try await client.get("/v1/jobs/\(job.id)").decode(JobBody.self)
            #expect(read.state == "expired")
            #expect(read.error?.code == "deadline_exceeded")
        }
    }
}
