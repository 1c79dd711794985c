import DarkroomCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /metrics`: the gateway's counters and gauges and the HTTP metrics, in Prometheus text exposition.
@Suite struct MetricsTests {
    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    /// `name{label="value",…} value`, as the text exposition format writes a sample.
    static var sample: some RegexComponent {
        #/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*\})? (NaN|[+-]Inf|[-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?)$/#
    }

    /// The sample lines of an exposition.
    static func samples(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
    }

    @Test("after N submits /metrics counts them by priority, and shows the queue depth and HTTP requests")
    func countsSubmits() async throws {
        try await fixture.makeApp().test(.router) { client in
            for _ in 0..<3 { _ = try await client.submitJob() }
            _ = try await client.submitJob(#"{"prompt":"p","priority":9}"#)
            let response = try await client.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.mediaType == "text/plain")
            let lines = Self.samples(response.text)
            #expect(lines.contains(#"darkroom_jobs_submitted_total{priority="5"} 3"#))
            #expect(lines.contains(#"darkroom_jobs_submitted_total{priority="9"} 1"#))
            #expect(lines.contains(#"darkroom_queue_depth{priority="5"} 3.0"#))
            #expect(lines.contains(#"darkroom_queue_depth{priority="9"} 1.0"#))
            #expect(lines.contains("darkroom_slots 1.0"))
            #expect(lines.contains(#"darkroom_http_requests_total{route="/v1/jobs",method="POST",status="202"} 4"#))
            #expect(lines.contains { $0.hasPrefix("darkroom_http_request_duration_seconds_bucket{") })
        }
    }

    @Test("every sample line of /metrics follows the exposition grammar")
    func everyLineParses() async throws {
        try await fixture.makeApp().test(.router) { client in
            let job = try await client.submitJob()
            _ = try await client.post("/v1/jobs/\(job.id)/cancel")
            _ = try await client.get("/v1/jobs/\(job.id)")
            _ = try await client.get("/v1/nothing-here")
            _ = try await client.get("/metrics")
            let text = try await client.get("/metrics").text
            let lines = Self.samples(text)
            #expect(!lines.isEmpty)
            for line in lines {
                #expect(line.wholeMatch(of: Self.sample) != nil, "not a sample line: \(line)")
            }
            #expect(text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.count > 0)
        }
    }

    @Test("route labels are path patterns, never a job id")
    func routeLabelsAreBounded() async throws {
        try await fixture.makeApp().test(.router) { client in
            let job = try await client.submitJob()
            _ = try await client.get("/v1/jobs/\(job.id)")
            _ = try await client.get("/v1/jobs/0190f2a4-0000-7000-8000-000000000000")
            let text = try await client.get("/metrics").text
            #expect(!text.contains(job.id))
            #expect(!text.contains("0190f2a4"))
            let jobRoutes = Self.samples(text).filter {
                $0.hasPrefix("darkroom_http_requests_total{") && $0.contains(#"method="GET""#)
                    && $0.contains("/v1/jobs/")
            }
            #expect(jobRoutes.count == 2)
            #expect(jobRoutes.allSatisfy { $0.hasSuffix(" 1") })
        }
    }

    @Test("the slots' time is counted by how each attempt ended")
    func gpuSecondsByOutcome() async throws {
        let pool = fixture.makeWorkerPool()
        try await fixture.makeApp(capacity: pool).test(.router) { client in
            try await fixture.whileRunning(pool) {
                let job = try await client.submitJob()
                _ = try await fixture.finished(job.id)
            }
            let spent = Self.samples(try await client.get("/metrics").text)
                .first { $0.hasPrefix(#"darkroom_gpu_seconds_total{outcome="succeeded"}"#) }
            let seconds = try #require(spent.flatMap { Double($0.split(separator: " ").last ?? "") })
            // The simulated GPU takes 50 ms per default job.
            #expect(seconds > 0)
        }
    }

    @Test("a queued job canceled through the API counts as finished, canceled")
    func countsCancellations() async throws {
        try await fixture.makeApp().test(.router) { client in
            let job = try await client.submitJob()
            #expect(try await client.post("/v1/jobs/\(job.id)/cancel").status == .ok)
            let lines = Self.samples(try await client.get("/metrics").text)
            #expect(lines.contains(#"darkroom_jobs_finished_total{state="canceled",code=""} 1"#))
            #expect(lines.contains(#"darkroom_queue_depth{priority="5"} 0.0"#))
        }
    }

    @Test("a priority's queue depth drops to 0 when its jobs leave the queue, instead of keeping its last value")
    func drainedPriorityReportsZero() async throws {
        try await fixture.makeApp().test(.router) { client in
            let urgent = try await client.submitJob(#"{"prompt":"p","priority":9}"#)
            #expect(Self.samples(try await client.get("/metrics").text).contains(#"darkroom_queue_depth{priority="9"} 1.0"#))
            #expect(try await client.post("/v1/jobs/\(urgent.id)/cancel").status == .ok)
            let lines = Self.samples(try await client.get("/metrics").text)
            #expect(lines.contains(#"darkroom_queue_depth{priority="9"} 0.0"#), "\(lines)")
        }
    }
}
