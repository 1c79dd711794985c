import Foundation
import Testing

/// `/metrics` and `/internal/stats` scraped while a backlog is being worked off: every figure is there,
/// plausible, and the two endpoints agree.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct MetricsUnderLoadTests {
    struct Stats: Decodable {
        var qps: Double
        var meanLatencySeconds: Double
        var queueBacklog: Int
        var running: Int
        var busySlots: Int
        var slots: Int
        var desiredWorkers: Int
        var gpuMemoryUsedBytes: Int64?
        var gpuMemoryTotalBytes: Int64?
        var gpuMemoryUsedRatio: Double?
    }

    /// One read of both endpoints.
    struct Reading: CustomStringConvertible {
        var samples: [PrometheusSample]
        var stats: Stats

        var succeeded: Double {
            PrometheusText.sum(samples, "darkroom_jobs_finished_total", matching: ["state": "succeeded"])
        }

        /// Whether /metrics shows what /internal/stats says.
        var agree: Bool {
            PrometheusText.sum(samples, "darkroom_queue_depth") == Double(stats.queueBacklog)
                && PrometheusText.sum(samples, "darkroom_running_jobs") == Double(stats.running)
                && PrometheusText.sum(samples, "darkroom_busy_slots") == Double(stats.busySlots)
                && PrometheusText.sum(samples, "darkroom_desired_workers") == Double(stats.desiredWorkers)
        }

        var pair: ([PrometheusSample], Stats) { (samples, stats) }

        var description: String {
            let gauges = [
                "darkroom_queue_depth", "darkroom_running_jobs", "darkroom_busy_slots", "darkroom_desired_workers",
            ]
            return "metrics \(gauges.map { PrometheusText.sum(samples, $0) }), succeeded \(succeeded); stats \(stats)"
        }
    }

    @Test("during a backlog: queue, slots, durations and the autoscaling signal, the same in both endpoints")
    func scrapeDuringLoad() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // A receiver for the webhooks of 4 of the jobs.
        let portFile = directory.url.appendingPathComponent("receiver.port").path
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        async let receiver = RepositoryScript.run(
            ["python3", "Tests/IntegrationTests/Scripts/webhook_receiver.py", portFile, secret, "0", "4"],
            timeout: .seconds(300))
        let port = try await waitUntil("the receiver writes its port", timeout: .seconds(120), every: .milliseconds(20))
        {
            (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
        }
        // An 8 s latency target with 8 s jobs on 2 slots: a backlog of a few jobs needs more than the one worker. The
        // backlog of 6 or more lasts about 50 s, long enough to be read on a machine loaded by stress-ng (with 4 s
        // jobs it lasted about 25 s, and once under stress-ng no pair of reads agreed on it in that time).
        let server = try await ServerProcess.start(
            dataDirectory: directory.url.appendingPathComponent("data"),
            options: [
                "--sim-gpus", "2", "--sim-seconds", "8", "--latency-target", "8", "--webhook-secret", secret,
                "--allow-private-webhooks",
            ])
        defer { server.stop() }
        let api = server.api
        // All at once, so the backlog forms however slowly this shared machine answers each submit.
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<24 {
                let hook = index % 6 == 0 ? #","webhook_url":"http://127.0.0.1:\#(port)/hooks""# : ""
                group.addTask {
                    let answer = try await api.post("/v1/jobs", raw: #"{"prompt":"load \#(index)"\#(hook)}"#)
                    guard answer.status == 202 else { throw UnexpectedAnswer(what: "POST /v1/jobs", answer: answer) }
                    return try answer.decode(JobJSON.self).id
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }

        // Once some jobs have finished (so a service time is known) and many still wait, read both endpoints.
        // Both serve the store's figures of the last second, so a pair read within that second agrees; a
        // pair that straddles a refresh (or a slot finishing between the reads) is read again.
        let (samples, stats) = try await waitUntil(
            "both endpoints agree on a backlog", timeout: .seconds(120),
            reading: { () async throws -> Reading in
                let samples = try PrometheusText.parse(try await api.get("/metrics").text)
                return Reading(samples: samples, stats: try await api.get("/internal/stats").decode(Stats.self))
            },
            until: { $0.agree && $0.succeeded >= 2 && $0.stats.queueBacklog >= 6 && $0.stats.qps > 0 }
        ).pair
        func value(_ name: String) -> Double { PrometheusText.sum(samples, name) }

        #expect(value("darkroom_slots") == 2 && stats.slots == 2)
        // Every job was submitted at the default priority: the whole backlog is under priority="5".
        #expect(
            PrometheusText.sum(samples, "darkroom_queue_depth", matching: ["priority": "5"])
                == Double(stats.queueBacklog))
        #expect(stats.busySlots >= 1 && stats.busySlots <= 2)
        // A job claimed at its predecessor's last step is running too, waiting for the slot: at most one per slot.
        #expect(stats.running >= 1 && stats.running <= 4)
        // ≥ 6 jobs × 8 s ÷ 8 s target ≥ 6 slots: more than the one worker of 2 slots.
        #expect(stats.desiredWorkers >= 2, "\(stats)")
        // Counters and histograms: what was submitted, finished, waited and ran.
        #expect(value("darkroom_jobs_submitted_total") == 24)
        let succeeded = PrometheusText.sum(samples, "darkroom_jobs_finished_total", matching: ["state": "succeeded"])
        #expect(value("darkroom_job_duration_seconds_count") >= succeeded)
        let meanDuration = value("darkroom_job_duration_seconds_sum") / value("darkroom_job_duration_seconds_count")
        #expect(meanDuration > 7.9 && meanDuration < 40, "mean attempt \(meanDuration) s for 8 s jobs")
        #expect(value("darkroom_queue_wait_seconds_count") >= succeeded)
        #expect(
            PrometheusText.sum(samples, "darkroom_claim_duration_seconds_count", matching: ["outcome": "claimed"])
                >= succeeded)
        #expect(
            PrometheusText.sum(samples, "darkroom_http_requests_total", matching: ["method": "POST", "status": "202"])
                == 24)
        // Store latency per operation: every submit was an enqueue, every job a claim.
        let storeCalls = { (operation: String) in
            PrometheusText.sum(
                samples, "darkroom_store_operation_duration_seconds_count", matching: ["operation": operation])
        }
        #expect(storeCalls("enqueue") == 24)
        #expect(storeCalls("claim") >= succeeded && storeCalls("complete") >= succeeded)
        let enqueueSeconds = PrometheusText.sum(
            samples, "darkroom_store_operation_duration_seconds_sum", matching: ["operation": "enqueue"])
        #expect(enqueueSeconds > 0 && enqueueSeconds / 24 < 1, "mean enqueue \(enqueueSeconds / 24) s")
        // Per backend: two simulated GPUs of one slot each.
        #expect(PrometheusText.sum(samples, "darkroom_backend_slots", matching: ["backend": "sim-0"]) == 1)
        #expect(value("darkroom_backend_slots") == 2)
        #expect((0...2).contains(value("darkroom_backend_busy_slots")))
        // Breakers closed, backends up, and each simulated 24 GiB card's memory: the resident model (12 GiB, half the card),
        // plus a run's working memory while it runs; /internal/stats sums the same figures.
        for backend in ["sim-0", "sim-1"] {
            #expect(PrometheusText.sum(samples, "darkroom_backend_breaker_state", matching: ["backend": backend]) == 0)
            #expect(PrometheusText.sum(samples, "darkroom_backend_up", matching: ["backend": backend]) == 1)
            let used = PrometheusText.sum(
                samples, "darkroom_backend_gpu_memory_used_bytes", matching: ["backend": backend])
            #expect(used >= 12 * 1_073_741_824 && used <= 24 * 1_073_741_824, "\(backend) uses \(used) bytes")
        }
        #expect(value("darkroom_backend_gpu_memory_total_bytes") == 48 * 1_073_741_824)
        #expect(stats.gpuMemoryTotalBytes == 48 << 30)
        #expect((stats.gpuMemoryUsedRatio ?? 0) >= 0.5 && (stats.gpuMemoryUsedRatio ?? 1) < 1, "\(stats)")
        // The image directory was measured by the retention sweep at start.
        #expect(
            samples.contains { $0.name == "darkroom_image_files" }
                && samples.contains { $0.name == "darkroom_image_bytes" })
        #expect(value("darkroom_job_retries_total") == 0)
        #expect(value("darkroom_leases_rescued_total") == 0)
        #expect(stats.meanLatencySeconds > 0.9, "\(stats)")

        // Webhook attempts are counted from the start, by outcome.
        #expect(samples.contains { $0.name == "darkroom_webhook_deliveries_total" && $0.labels["outcome"] == "failed" })

        let finished = try await api.waitForAllTerminal(ids, timeout: .seconds(240))
        #expect(finished.allSatisfy { $0.state == "succeeded" })
        // The 4 webhooks reached the receiver, signed, once each; the counter says so.
        let (status, output) = try await receiver
        #expect(status == 0, "\(output)")
        #expect(output.split(separator: "\n").count == 4, "\(output)")
        #expect(!output.contains(#""signature_valid": false"#), "\(output)")
        let delivered = try await waitUntil(
            "the webhook counter shows 4 deliveries",
            reading: {
                PrometheusText.sum(
                    try PrometheusText.parse(try await api.get("/metrics").text), "darkroom_webhook_deliveries_total",
                    matching: ["outcome": "delivered"])
            }, until: { $0 >= 4 })
        #expect(delivered == 4)
    }
}
