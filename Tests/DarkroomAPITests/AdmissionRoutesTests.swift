import DarkroomAPI
import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Admission by predicted completion on `POST /v1/jobs`: a job that cannot finish in time is refused with 429 and
/// a `Retry-After`, and nothing is committed.
@Suite(.timeLimit(.minutes(5))) struct AdmissionRoutesTests {
    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    private func busyFarm() async throws -> any CapacitySource { try await fixture.busyFarm() }

    private func desiredWorkers(_ client: some TestClientProtocol) async throws -> Double? {
        let metrics = try await client.get("/metrics").text
        let line = metrics.split(separator: "\n").first { $0.hasPrefix("darkroom_desired_workers ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    private static func parse(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true))
    }

    private func queued() async throws -> Int { try await fixture.queuedCount() }

    @Test("a deadline the forecast cannot meet is a 429 deadline_unmeetable with the seconds until it would fit")
    func deadlineUnmeetable() async throws {
        let capacity = try await busyFarm()
        try await fixture.makeApp(capacity: capacity, configuration: fixture.holdingClock()).test(.router) { client in
            let refused = try await client.submit(#"{"prompt":"p","deadline_seconds":30}"#)
            try refused.expectProblem(.tooManyRequests, code: "deadline_unmeetable")
            #expect(refused.headers[.retryAfter] == "40")
            #expect(try await queued() == 5)

            let shorterThanAJob = try await client.submit(#"{"prompt":"p","deadline_seconds":5}"#)
            try shorterThanAJob.expectProblem(.tooManyRequests, code: "deadline_unmeetable")
            #expect(shorterThanAJob.headers[.retryAfter] == nil)

            let admitted = try await client.submit(#"{"prompt":"p","deadline_seconds":120}"#)
            #expect(admitted.status == .accepted)
            #expect(try await queued() == 6)
            // The answer says when it was predicted to start (60 s) and finish (70 s) after its acceptance.
            let job = try admitted.jsonObject()
            let start = try #require((job["estimated_start_at"] as? String).flatMap(Self.parse))
            let finish = try #require((job["estimated_finish_at"] as? String).flatMap(Self.parse))
            let deadline = try #require((job["deadline_at"] as? String).flatMap(Self.parse))
            // Computed from one instant, shown in milliseconds: whole seconds apart once rounded.
            #expect(finish.timeIntervalSince(start).rounded() == 10)
            #expect(deadline.timeIntervalSince(start).rounded() == 60)
        }
    }

    @Test("without a deadline, a wait past --max-queue-seconds is a 429 queue_full; below it nothing changes")
    func queueFull() async throws {
        let capacity = try await busyFarm()
        let strict = fixture.holdingClock(APIConfiguration(statsCacheDuration: .zero, maxQueueSeconds: 45))
        try await fixture.makeApp(capacity: capacity, configuration: strict).test(.router) { client in
            let refused = try await client.submit(#"{"prompt":"p"}"#)
            try refused.expectProblem(.tooManyRequests, code: "queue_full")
            #expect(refused.headers[.retryAfter] == "15")
            #expect(try await queued() == 5)
        }
        try await fixture.makeApp(capacity: capacity, configuration: fixture.holdingClock()).test(.router) { client in
            let admitted = try await client.submit(#"{"prompt":"p"}"#)
            #expect(admitted.status == .accepted)
        }
    }

    @Test("a higher priority waits only for the jobs of its priority and above")
    func priorityAhead() async throws {
        let capacity = try await busyFarm()
        try await fixture.makeApp(capacity: capacity, configuration: fixture.holdingClock()).test(.router) { client in
            // Nothing queued at priority 9: it starts after the running job, in 10 s, and finishes in 20 s.
            let urgent = try await client.submit(#"{"prompt":"p","priority":9,"deadline_seconds":25}"#)
            #expect(urgent.status == .accepted)
        }
    }

    @Test("a /sdapi/v1 call that would wait past --webui-max-wait is a 429 in WebUI's shape, and creates no job")
    func webUIRefusal() async throws {
        let capacity = try await busyFarm()
        let strict = fixture.holdingClock(APIConfiguration(statsCacheDuration: .zero, webuiMaxWaitSeconds: 45))
        try await fixture.makeApp(capacity: capacity, configuration: strict).test(.router) { client in
            let response = try await client.execute(
                uri: "/sdapi/v1/txt2img", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"prompt":"p"}"#))
            #expect(response.status == .tooManyRequests)
            #expect(response.headers[.retryAfter] == "15")
            let answer = try response.jsonObject()
            #expect(answer["error"] as? String == "HTTPException")
            #expect((answer["detail"] as? String)?.contains("would wait about 60 s") == true)
            #expect(try await queued() == 5)
        }
    }

    @Test("the queue's figures show the prediction for a new job at each priority")
    func queuePredictions() async throws {
        let capacity = try await busyFarm()
        try await fixture.makeApp(capacity: capacity, configuration: fixture.holdingClock()).test(.router) { client in
            let queue = try await client.get("/v1/queue").jsonObject()
            let predictions = try #require(queue["predictions"] as? [[String: Any]])
            #expect(predictions.compactMap { $0["priority"] as? Int } == Array(0...9))
            // The five queued jobs have the default priority 5: they wait ahead of priorities 0…5 only.
            let waits = predictions.compactMap { $0["predicted_wait_seconds"] as? Double }
            #expect(waits == Array(repeating: 60, count: 6) + Array(repeating: 10, count: 4))
            #expect(predictions.compactMap { $0["predicted_finish_seconds"] as? Double } == waits.map { $0 + 10 })
        }
    }

    @Test("jobs admitted since the queue figures were read count as ahead: a burst does not overfill the queue")
    func burstWithinOneCachePeriod() async throws {
        let capacity = try await busyFarm()
        // The figures are read once and kept: every submit below is judged against the same five queued jobs.
        let cached = fixture.holdingClock(APIConfiguration(statsCacheDuration: .seconds(3_600)))
        try await fixture.makeApp(capacity: capacity, configuration: cached).test(.router) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<6 {
                statuses.append(try await client.submit(#"{"prompt":"p","deadline_seconds":100}"#).status)
            }
            // Finishing in 70, 80, 90 and 100 s fits; the fifth would finish in 110 s.
            #expect(statuses == Array(repeating: .accepted, count: 4) + Array(repeating: .tooManyRequests, count: 2))
        }
    }

    @Test("refusals are counted by reason")
    func refusalsAreCounted() async throws {
        let capacity = try await busyFarm()
        try await fixture.makeApp(capacity: capacity, configuration: fixture.holdingClock()).test(.router) { client in
            _ = try await client.submit(#"{"prompt":"p","deadline_seconds":30}"#)
            let metrics = try await client.get("/metrics").text
            #expect(metrics.contains(#"darkroom_jobs_rejected_total{reason="deadline_unmeetable"} 1"#))
        }
    }

    @Test("refused demand reaches darkroom_desired_workers")
    func refusedDemandScales() async throws {
        let capacity = try await busyFarm()
        let configuration = fixture.holdingClock()
        try await fixture.makeApp(capacity: capacity, configuration: configuration).test(.router) { client in
            // The backlog alone (5 jobs × 10 s within the 30 s target) asks for 2 workers of one slot.
            #expect(try await desiredWorkers(client) == 2)
            // Sixty refusals within the minute: one a second, each 10 s of work the farm did not take:
            // (1/60 served + 1 refused) × 10 s = 10.2 slots. Refusals are counted over a minute of the monotonic
            // clock, so on a machine slow enough to take more than that minute some of them have left the window:
            // the demand then lies between the backlog's and the full figure.
            for _ in 0..<60 { _ = try await client.submit(#"{"prompt":"p","deadline_seconds":30}"#) }
            let demand = try #require(try await desiredWorkers(client))
            #expect(demand > 2 && demand <= 11, "\(demand)")
        }
    }
}
