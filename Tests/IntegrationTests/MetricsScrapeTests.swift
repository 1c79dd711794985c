import Foundation
import Testing

/// `/metrics` over real HTTP: valid Prometheus text that counts what the clients did.
@Suite(.serialized)
struct MetricsScrapeTests {
    @Test("/metrics parses as Prometheus text and counts the jobs submitted and succeeded")
    func metricsCountTheRun() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: directory.url, options: ["--sim-gpus", "2", "--sim-seconds", "0.2"])
        defer { server.stop() }
        let api = server.api

        let priorities = [1, 5, 5, 9, 9, 9, 7]
        var ids: Set<String> = []
        for (index, priority) in priorities.enumerated() {
            let job = try await api.submitAccepted(
                JobRequestBody(prompt: "counted \(index)", width: 512, height: 512, priority: priority))
            ids.insert(job.id)
        }
        let refused = try await api.post("/v1/jobs", raw: #"{"prompt":"p","width":1000}"#)
        #expect(refused.status == 422)
        let finished = try await api.waitForAllTerminal(ids)
        #expect(finished.allSatisfy { $0.state == "succeeded" }, "\(finished)")

        // The worker counts a success just after it commits it, and the queue gauges show the store's figures
        // of the last second, so read until both have caught up.
        let samples = try await waitUntil(
            "/metrics counts every success",
            reading: { try PrometheusText.parse(try await Self.scrape(api)) },
            until: {
                PrometheusText.sum($0, "darkroom_jobs_finished_total", matching: ["state": "succeeded"]) >= 7
                    && PrometheusText.sum($0, "darkroom_running_jobs") == 0
                    && PrometheusText.sum($0, "darkroom_queue_depth") == 0
            })

        #expect(PrometheusText.sum(samples, "darkroom_jobs_submitted_total") == Double(priorities.count))
        #expect(PrometheusText.sum(samples, "darkroom_jobs_submitted_total", matching: ["priority": "9"]) == 3)
        #expect(PrometheusText.sum(samples, "darkroom_jobs_finished_total", matching: ["state": "succeeded"]) == 7)
        #expect(PrometheusText.sum(samples, "darkroom_jobs_finished_total", matching: ["state": "failed"]) == 0)
        #expect(samples.contains { $0.name == "darkroom_job_duration_seconds_count" && $0.value == 7 })
        // Every job handed out was one claim that found it.
        #expect(
            PrometheusText.sum(samples, "darkroom_claim_duration_seconds_count", matching: ["outcome": "claimed"]) == 7)
        // Queue depth is per priority; the default priority always reports, 0 once the queue drained.
        #expect(samples.contains { $0.name == "darkroom_queue_depth" && $0.labels["priority"] == "5" && $0.value == 0 })
        #expect(samples.contains { $0.name.hasPrefix("darkroom_busy_slots") })
        // Job and queue-wait histograms reach minutes, past the alerts' 30 s thresholds.
        for histogram in ["darkroom_job_duration_seconds_bucket", "darkroom_queue_wait_seconds_bucket"] {
            let bounds = Set(samples.filter { $0.name == histogram }.compactMap { $0.labels["le"].flatMap(Double.init) })
            #expect(bounds.isSuperset(of: [30, 60, 300, 600]), "\(histogram): \(bounds.sorted())")
        }
        // Work finished in the last minute and none waits: the autoscaling signal asks for what keeps up.
        let desired = PrometheusText.sum(samples, "darkroom_desired_workers")
        #expect(desired >= 0 && desired <= 1, "desired workers: \(desired)")
        let postsRefused = PrometheusText.sum(
            samples, "darkroom_http_requests_total", matching: ["method": "POST", "status": "422"])
        #expect(postsRefused == 1, "the refused submit is counted by status")
    }

    private static func scrape(_ api: APIClient) async throws -> String {
        let answer = try await api.get("/metrics")
        guard answer.status == 200 else { throw UnexpectedAnswer(what: "GET /metrics", answer: answer) }
        #expect(answer.contentType.hasPrefix("text/plain"))
        return answer.text
    }
}
