import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The queue's figures, health and readiness, `/internal/stats`, and the OpenAPI document.
@Suite(.timeLimit(.minutes(5))) struct OperationsRoutesTests {
    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    struct QueueBody: Decodable, Equatable {
        var queued: Int
        var running: Int
        var slots: Int
        var busySlots: Int
        var completedPerSecond: Double
        var meanServiceSeconds: Double
    }

    struct StatsBody: Decodable {
        var qps: Double
        var meanLatencySeconds: Double
        var queueBacklog: Int
        var running: Int
        var errorRate: Double
        var busySlots: Int
        var slots: Int
        var submittedTotal: Int
        var succeededTotal: Int
        var failedTotal: Int
        var canceledTotal: Int
        var desiredWorkers: Int
    }

    /// A capacity source that knows one backend with an open breaker.
    struct OneOpenBackend: CapacitySource {
        func capacity() async -> Capacity { Capacity(slots: 1, busySlots: 0) }
        func backends() async -> [BackendStatus] {
            [
                BackendStatus(
                    id: "a1111@gpu1:7860", worker: "w1", kind: "a1111", breaker: .open, slots: 1, busySlots: 0,
                    reachable: false, loaded: "z_image_turbo_bf16+AWPortrait-Z", gpuMemoryUsedBytes: 1 << 30,
                    gpuMemoryTotalBytes: 24 << 30)
            ]
        }
    }

    @Test("the queue lists every backend with its breaker state, reachability and GPU memory")
    func queueListsBackends() async throws {
        try await fixture.makeApp(capacity: OneOpenBackend()).test(.router) { client in
            let response = try await client.get("/v1/queue")
            #expect(response.status == .ok)
            let backends = try #require(try response.jsonObject()["backends"] as? [[String: Any]])
            #expect(backends.count == 1)
            let backend = try #require(backends.first)
            #expect(backend["id"] as? String == "a1111@gpu1:7860")
            #expect(backend["kind"] as? String == "a1111")
            #expect(backend["breaker"] as? String == "open")
            #expect(backend["reachable"] as? Bool == false)
            #expect(backend["loaded"] as? String == "z_image_turbo_bf16+AWPortrait-Z")
            #expect(backend["gpu_memory_total_bytes"] as? Int == 24 << 30)
        }
    }

    @Test("the queue reports queued jobs, slots and busy slots from its capacity source")
    func queueFigures() async throws {
        let capacity = FixedCapacity(Capacity(slots: 3, busySlots: 1))
        try await fixture.makeApp(capacity: capacity).test(.router) { client in
            for _ in 0..<2 { _ = try await client.submitJob() }
            let response = try await client.get("/v1/queue")
            #expect(response.status == .ok)
            let keys = Set(try response.jsonObject().keys)
            #expect(
                keys == [
                    "queued", "running", "slots", "busy_slots", "completed_per_second", "mean_service_seconds",
                    "backends", "queued_by_priority", "predictions", "completions_per_minute",
                ])
            let depths = try #require(try response.jsonObject()["queued_by_priority"] as? [[String: Int]])
            #expect(depths == [["priority": 5, "queued": 2]], "both jobs wait at the default priority")
            let queue = try response.decode(QueueBody.self)
            #expect(
                queue
                    == QueueBody(
                        queued: 2, running: 0, slots: 3, busySlots: 1, completedPerSecond: 0, meanServiceSeconds: 0))
        }
    }

    @Test("/healthz answers 200 ok")
    func health() async throws {
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.get("/healthz")
            #expect(response.status == .ok)
            #expect(try response.jsonObject()["status"] as? String == "ok")
        }
    }

    @Test("/readyz answers 200 when the store answers and slots exist")
    func readyWithSlots() async throws {
        try await fixture.makeApp(capacity: FixedCapacity(Capacity(slots: 2, busySlots: 2))).test(.router) { client in
            let response = try await client.get("/readyz")
            #expect(response.status == .ok)
            #expect(try response.jsonObject()["status"] as? String == "ready")
        }
    }

    @Test("/readyz answers 503 not_ready when no slot is configured")
    func notReadyWithoutSlots() async throws {
        try await fixture.makeApp(capacity: FixedCapacity(Capacity(slots: 0, busySlots: 0))).test(.router) { client in
            _ = try await client.get("/readyz").expectProblem(.serviceUnavailable, code: "not_ready")
        }
    }

    @Test("/internal/stats carries qps, mean latency, backlog, error rate and busy slots")
    func internalStatsWhileQueued() async throws {
        let capacity = FixedCapacity(Capacity(slots: 4, busySlots: 3))
        try await fixture.makeApp(capacity: capacity).test(.router) { client in
            let ids = [try await client.submitJob().id, try await client.submitJob().id]
            #expect(try await client.post("/v1/jobs/\(ids[0])/cancel").status == .ok)
            let response = try await client.get("/internal/stats")
            #expect(response.status == .ok)
            let keys = Set(try response.jsonObject().keys)
            #expect(keys.isSuperset(of: ["qps", "mean_latency_seconds", "queue_backlog", "error_rate", "busy_slots"]))
            let stats = try response.decode(StatsBody.self)
            #expect(stats.queueBacklog == 1)
            #expect(stats.busySlots == 3 && stats.slots == 4)
            #expect(stats.submittedTotal == 2 && stats.canceledTotal == 1)
            #expect(stats.errorRate == 0)
            // Nothing finished yet, so the service time is unknown: keep the one worker there is.
            #expect(stats.desiredWorkers == 1)
        }
    }

    @Test("after a job succeeds, /internal/stats and /v1/queue show throughput and latency")
    func statsAfterASucceededJob() async throws {
        let pool = fixture.makeWorkerPool()
        // The wall clock stands still, so the figures' minute and 60 s window are the same however long a loaded
        // machine takes (82 s once, over three minutes of history).
        let configuration = fixture.holdingClock(APITestFixture.configuration)
        try await fixture.makeApp(capacity: pool, configuration: configuration).test(.router) { client in
            try await fixture.whileRunning(pool) {
                let job = try await client.submitJob()
                _ = try await fixture.finished(job.id)
            }
            let stats = try await client.get("/internal/stats").decode(StatsBody.self)
            #expect(stats.succeededTotal == 1 && stats.submittedTotal == 1)
            #expect(stats.qps > 0)
            #expect(stats.meanLatencySeconds > 0)
            #expect(stats.queueBacklog == 0 && stats.running == 0)
            #expect(stats.errorRate == 0)
            #expect(stats.slots == 1)
            // One job finished in the last minute: λ·S is far below one slot, and the queue is empty.
            #expect(stats.desiredWorkers == 1)
            let queue = try await client.get("/v1/queue").decode(QueueBody.self)
            #expect(queue.completedPerSecond > 0 && queue.meanServiceSeconds > 0)
            // The gateway keeps the minute's last reading: one job finished.
            let history = try #require(
                try await client.get("/v1/queue").jsonObject()["completions_per_minute"] as? [[String: Any]])
            #expect(history.count == 1 && history.last?["per_minute"] as? Double == 1, "\(history)")
        }
    }

    @Test("/openapi.yaml serves exactly the spec file in the repository")
    func servesTheSpec() async throws {
        let specURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/DarkroomAPI/openapi.yaml")
        let spec = try Data(contentsOf: specURL)
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.get("/openapi.yaml")
            #expect(response.status == .ok)
            #expect(response.mediaType == "application/yaml")
            #expect(response.bytes == spec)
        }
    }
}
