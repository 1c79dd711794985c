import DarkroomCore
import DarkroomStore
import Foundation
import Testing

/// The ``WebhookOutbox`` contract, run against every store: deliveries written with the state change, leased to
/// one dispatcher at a time, retried, and removed with their job.
@Suite("Webhook outbox conformance")
struct WebhookOutboxConformanceTests {
    static let receiver = "https://hooks.example.com/darkroom"

    /// A job with a webhook for `events`, enqueued at `t0` and claimed at `t0 + 1`.
    static func runningJobWithWebhook(_ fixture: StoreFixture, events: [WebhookEvent] = WebhookEvent.terminal)
        async throws -> Job
    {
        _ = try await fixture.store.enqueue(
            EnqueueParams(
                id: JobID.generate(now: StoreFixture.t0), request: GenerationRequest(prompt: "portrait", seed: 1),
                webhook: WebhookSubscription(url: receiver, events: events), now: StoreFixture.t0))
        return try #require(try await fixture.claim(offset: 1).first)
    }

    @Test(
        "a subscribed state change writes one pending delivery with the change; others write none",
        arguments: StoreKind.allCases)
    func deliveryWrittenWithTheChange(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let outbox = fixture.store
        let running = try await Self.runningJobWithWebhook(fixture)
        #expect(running.webhook == WebhookSubscription(url: Self.receiver, events: WebhookEvent.terminal))
        #expect(try await outbox.webhookDeliveries(of: running.id).isEmpty, "job.running is not subscribed")
        _ = try await fixture.store.complete(
            CompleteParams(lease: try #require(LeaseRef(running)), images: [], now: fixture.at(5)))
        let deliveries = try await outbox.webhookDeliveries(of: running.id)
        try #require(deliveries.count == 1)
        #expect(deliveries[0].event == .succeeded)
        #expect(deliveries[0].url == Self.receiver)
        #expect(deliveries[0].state == .pending)
        #expect(deliveries[0].attempts == 0)
        #expect(deliveries[0].nextAttemptAt == fixture.at(5))
        #expect(deliveries[0].id.hasPrefix("msg_"))

        let subscribedToRunning = try await Self.runningJobWithWebhook(fixture, events: [.running])
        #expect(try await outbox.webhookDeliveries(of: subscribedToRunning.id).map(\.event) == [.running])
    }

    @Test(
        "a claimed delivery is leased: no second claim gets it until the lease runs out", arguments: StoreKind.allCases)
    func deliveriesAreLeased(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let outbox = fixture.store
        let running = try await Self.runningJobWithWebhook(fixture)
        _ = try await fixture.store.cancel(CancelParams(id: running.id, now: fixture.at(5)))
        #expect(
            try await outbox.claimWebhookDeliveries(.init(limit: 10, lease: .seconds(60), now: fixture.at(4))).isEmpty)
        let claimed = try await outbox.claimWebhookDeliveries(.init(limit: 10, lease: .seconds(60), now: fixture.at(6)))
        #expect(claimed.map(\.event) == [.canceled])
        #expect(
            try await outbox.claimWebhookDeliveries(.init(limit: 10, lease: .seconds(60), now: fixture.at(7))).isEmpty)
        let again = try await outbox.claimWebhookDeliveries(.init(limit: 10, lease: .seconds(60), now: fixture.at(67)))
        #expect(again.map(\.id) == claimed.map(\.id))
    }

    @Test(
        "attempts are recorded in order; a retry is due at its time; delivered ends it", arguments: StoreKind.allCases)
    func attemptsRecorded(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let outbox = fixture.store
        let running = try await Self.runningJobWithWebhook(fixture)
        _ = try await fixture.store.fail(
            FailParams(
                lease: try #require(LeaseRef(running)), failure: JobFailure(code: "backend_failed", message: "x"),
                now: fixture.at(5)))
        let delivery = try #require(
            try await outbox.claimWebhookDeliveries(.init(limit: 1, lease: .seconds(60), now: fixture.at(5))).first)
        #expect(delivery.event == .failed)
        try await outbox.recordWebhookAttempt(
            .init(
                deliveryID: delivery.id,
                attempt: WebhookAttempt(
                    number: 1, at: fixture.at(5), statusCode: 503, error: "HTTP 503", durationSeconds: 0.1),
                outcome: .retry(at: fixture.at(10))))
        #expect(
            try await outbox.claimWebhookDeliveries(.init(limit: 1, lease: .seconds(60), now: fixture.at(9))).isEmpty)
        let retried = try #require(
            try await outbox.claimWebhookDeliveries(.init(limit: 1, lease: .seconds(60), now: fixture.at(10))).first)
        #expect(retried.id == delivery.id && retried.attempts == 1)
        try await outbox.recordWebhookAttempt(
            .init(
                deliveryID: delivery.id,
                attempt: WebhookAttempt(
                    number: 2, at: fixture.at(10), statusCode: 200, error: nil, durationSeconds: 0.05),
                outcome: .delivered))
        let recorded = try #require(try await outbox.webhookDeliveries(of: running.id).first)
        #expect(recorded.state == .delivered)
        #expect(recorded.attempts == 2)
        #expect(recorded.deliveredAt == fixture.at(10))
        #expect(recorded.log.map(\.statusCode) == [503, 200])
        #expect(recorded.log.map(\.error) == ["HTTP 503", nil])
        #expect(
            try await outbox.claimWebhookDeliveries(.init(limit: 1, lease: .seconds(60), now: fixture.at(100))).isEmpty)
    }

    @Test("retention deletes a job's deliveries with the job", arguments: StoreKind.allCases)
    func deliveriesGoWithTheirJob(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let outbox = fixture.store
        let running = try await Self.runningJobWithWebhook(fixture)
        _ = try await fixture.store.cancel(CancelParams(id: running.id, now: fixture.at(5)))
        #expect(try await outbox.webhookDeliveries(of: running.id).count == 1)
        _ = try await fixture.store.deleteFinished(DeleteFinishedParams(finishedBefore: fixture.at(6)))
        #expect(try await outbox.webhookDeliveries(of: running.id).isEmpty)
        #expect(
            try await outbox.claimWebhookDeliveries(.init(limit: 10, lease: .seconds(60), now: fixture.at(7))).isEmpty)
    }
}
