import DarkroomAPI
import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// What a refused client is told and kept: with an `Idempotency-Key` its place is held until its `Retry-After`,
/// a repeat of a submit that made its job is never refused, and a standing queue is kept short.
@Suite(.timeLimit(.minutes(5))) struct AdmissionHoldTests {
    let fixture: APITestFixture
    /// The figures are read afresh for every submit; a held place waits an hour past its `Retry-After`, so no
    /// place lapses while a busy machine runs the test slowly (their lapse is AdmissionLedgerTests' business); the
    /// wall clock stands where the farm's job finished (``APITestFixture/holdingClock(_:)``).
    var fresh: APIConfiguration {
        fixture.holdingClock(APIConfiguration(statsCacheDuration: .zero, heldPlaceGrace: .seconds(3600)))
    }

    init() async throws {
        fixture = try await APITestFixture()
    }

    private func submit(
        _ client: some TestClientProtocol, deadline: Int, key: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
        return try await client.submit(#"{"prompt":"p","deadline_seconds":\#(deadline)}"#, headers: headers)
    }

    @Test("a refused client with a key holds its place: later clients are told to come after it, and new ones wait")
    func heldPlaces() async throws {
        let capacity = try await fixture.busyFarm()
        try await fixture.makeApp(capacity: capacity, configuration: fresh).test(.router) { client in
            // Finishing in 70 s misses a 65 s deadline by 5 s; each place held adds one 10 s job ahead.
            let first = try await submit(client, deadline: 65, key: "first")
            try first.expectProblem(.tooManyRequests, code: "deadline_unmeetable")
            #expect(first.headers[.retryAfter] == "5")
            let second = try await submit(client, deadline: 65, key: "second")
            #expect(second.headers[.retryAfter] == "15")
            let keyless = try await submit(client, deadline: 65)
            #expect(keyless.headers[.retryAfter] == "25")

            // One queued job goes: the first client, back, fits now, ahead of the place held after its own.
            let queued = try await fixture.store.list(ListParams(state: .queued, limit: 1)).jobs[0]
            _ = try await fixture.store.cancel(CancelParams(id: queued.id))
            let newcomer = try await submit(client, deadline: 65)
            try newcomer.expectProblem(.tooManyRequests, code: "deadline_unmeetable")
            let returned = try await submit(client, deadline: 65, key: "first")
            #expect(returned.status == .accepted)
            #expect(try await fixture.queuedCount() == 5)
        }
    }

    @Test("a repeat of a submit that created its job gets that job, however full the queue has become")
    func repeatIsNeverRefused() async throws {
        let capacity = try await fixture.busyFarm()
        try await fixture.makeApp(capacity: capacity, configuration: fresh).test(.router) { client in
            let created = try await submit(client, deadline: 75, key: "portrait-1")
            #expect(created.status == .accepted)
            // A new job would now finish in 80 s, past 75 s; the repeat is not a new job.
            let repeated = try await submit(client, deadline: 75, key: "portrait-1")
            #expect(repeated.status == .ok)
            #expect(try repeated.jsonObject()["id"] as? String == created.jsonObject()["id"] as? String)
            #expect(try await fixture.queuedCount() == 6)
        }
    }

    @Test("a long queue the deadlines carry is no standing queue; after a deadline refusal the target applies")
    func standingQueue() async throws {
        let capacity = try await fixture.busyFarm()
        var standing = fresh
        standing.standingQueueTarget = 30
        try await fixture.makeApp(capacity: capacity, configuration: standing).test(.router) { client in
            // It would wait 60 s, past the target, but nothing was refused yet: the queue meets every deadline.
            #expect(try await submit(client, deadline: 120).status == .accepted)
            // A deadline the queue makes unmeetable: demand is past the deadlines, and the queue stands.
            try await submit(client, deadline: 65).expectProblem(.tooManyRequests, code: "deadline_unmeetable")
            // It would finish in 80 s, well within 120 s, but wait 70 s, 40 s past the target.
            let refused = try await submit(client, deadline: 120)
            try refused.expectProblem(.tooManyRequests, code: "queue_full")
            #expect(refused.headers[.retryAfter] == "40")
            let noDeadline = try await client.submit(#"{"prompt":"p"}"#)
            #expect(noDeadline.status == .accepted)
        }
    }

    @Test("a returning client's promised place is judged by its deadline alone, not the standing-queue target")
    func promisedPlaceInStandingQueue() async throws {
        let capacity = try await fixture.busyFarm()
        var standing = fresh
        standing.standingQueueTarget = 30
        try await fixture.makeApp(capacity: capacity, configuration: standing).test(.router) { client in
            // A deadline refusal: the queue stands from now on.
            try await submit(client, deadline: 65).expectProblem(.tooManyRequests, code: "deadline_unmeetable")
            let refused = try await submit(client, deadline: 120, key: "kept")
            try refused.expectProblem(.tooManyRequests, code: "queue_full")
            // The queue has not moved: a newcomer is still held back, the client that holds a place is not.
            let newcomer = try await submit(client, deadline: 120)
            try newcomer.expectProblem(.tooManyRequests, code: "queue_full")
            let returned = try await submit(client, deadline: 120, key: "kept")
            #expect(returned.status == .accepted)
        }
    }

    @Test("the queue's predictions count the places held, as admission does")
    func predictionsCountHeldPlaces() async throws {
        let capacity = try await fixture.busyFarm()
        try await fixture.makeApp(capacity: capacity, configuration: fresh).test(.router) { client in
            _ = try await submit(client, deadline: 65, key: "held")
            let queue = try await client.get("/v1/queue").jsonObject()
            let predictions = try #require(queue["predictions"] as? [[String: Any]])
            let normal = try #require(predictions.first { $0["priority"] as? Int == 5 })
            // Five queued and the running job (60 s), and the held place: one more 10 s job.
            #expect(normal["predicted_wait_seconds"] as? Double == 70)
        }
    }
}
