import Foundation
import Testing

/// `darkroom serve` driving real inference-server protocols over HTTP and WebSocket, against
/// `darkroom sim-backend` processes: the acceptance runs of issue 5.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct BackendFarmTests {
    /// Starts `darkroom serve` with these backends and a short breaker timeout, so a test sees it close.
    func serve(_ servers: [GPUServer], extra: [String] = [], directory: TemporaryDirectory) async throws
        -> ServerProcess
    {
        try await ServerProcess.start(
            dataDirectory: directory.url,
            options: servers.flatMap { ["--backend", $0.backendArgument] } + ["--breaker-fail-timeout", "2"] + extra)
    }

    /// Every job succeeded with one PNG of the requested size whose bytes match its digest.
    func expectImagesCorrect(_ jobs: [JobJSON], server: ServerProcess) async throws {
        for job in jobs {
            #expect(job.state == "succeeded", "\(job)")
            let image = try #require(job.images.first, "\(job) has an image")
            let bytes = try await server.api.get(image.url)
            #expect(bytes.status == 200 && bytes.contentType == "image/png")
            #expect(PNGHeader(bytes.body) == PNGHeader(width: job.request.width, height: job.request.height))
            #expect(sha256Hex(bytes.body) == image.sha256)
        }
    }

    /// Follows the queue's event stream until a running job shows a step part way (0 < step < steps), proving
    /// progress flowed mid-job, and returns that step. Started before the jobs are submitted: the stream carries
    /// every job's every step, so no poll can miss a short job on a loaded machine.
    static func watchProgress(_ api: APIClient) -> Task<Int, any Error> {
        Task {
            struct Progress: Decodable {
                var step: Int
                var steps: Int
            }
            var midway: Int?
            _ = try await api.events(at: "/v1/queue/events") { event in
                guard event.name == "progress",
                    let progress = try? JSONDecoder().decode(Progress.self, from: Data(event.data.utf8)),
                    progress.step > 0, progress.step < progress.steps
                else { return false }
                midway = progress.step
                return true
            }
            return try #require(midway, "the queue's stream ended before a job showed a step part way")
        }
    }

    @Test(
        "two A1111 servers: 44 jobs succeed; one server killed mid-run, its jobs finish on the other, its breaker opens and closes"
    )
    func a1111FarmSurvivesAServerDeath() async throws {
        // The first server is slow (20 s a job): whatever it has claimed, it is still running when a loaded machine
        // gets round to killing it. The second carries the rest.
        let first = try await GPUServer.start("a1111", seconds: 20)
        defer { first.stop() }
        let second = try await GPUServer.start("a1111", seconds: 1.2)
        defer { second.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await serve([first, second], directory: directory)
        defer { server.stop() }

        let progress = Self.watchProgress(server.api)
        var ids: [String] = []
        for index in 0..<40 {
            ids.append(
                try await server.api.submitAccepted(JobRequestBody(prompt: "portrait \(index)", seed: Int64(index))).id)
        }
        #expect(try await progress.value > 0)

        // Kill the first server while it runs a job.
        _ = try await waitUntil("the first server runs a job", timeout: .seconds(120), every: .milliseconds(50)) {
            try await server.api.jobs().contains { $0.state == "running" && $0.backend == first.backendID } ? true : nil
        }
        try await first.kill()
        // Work for its slot to fail on, however far the queue has drained by now: three failures open the breaker.
        for index in 40..<44 {
            ids.append(
                try await server.api.submitAccepted(JobRequestBody(prompt: "portrait \(index)", seed: Int64(index))).id)
        }
        let opened = try await waitUntil("its breaker opens", timeout: .seconds(120), every: .milliseconds(100)) {
            try await server.api.queue().backends.first { $0.id == first.backendID && $0.breaker == "open" }
        }
        #expect(opened.kind == "a1111")
        let metrics = try PrometheusText.parse(try await server.api.get("/metrics").text)
        let label = ["backend": first.backendID]
        #expect(PrometheusText.sum(metrics, "darkroom_backend_breaker_state", matching: label) == 2)
        #expect(PrometheusText.sum(metrics, "darkroom_backend_breaker_opened_total", matching: label) == 1)
        #expect(PrometheusText.sum(metrics, "darkroom_backend_failures_total", matching: label) >= 3)

        // While it is down the other server carries on; then it comes back and its breaker closes.
        try await first.restart()
        _ = try await waitUntil("its breaker closes", timeout: .seconds(120), every: .milliseconds(100)) {
            try await server.api.queue().backends.first { $0.id == first.backendID && $0.breaker == "closed" }
        }
        let jobs = try await server.api.waitForAllTerminal(Set(ids), timeout: .seconds(120))
        try await expectImagesCorrect(jobs, server: server)
        let retried = jobs.filter { $0.attempt > 1 }
        #expect(!retried.isEmpty, "the job running on the killed server was retried")
        #expect(retried.allSatisfy { $0.backend == second.backendID || $0.backend == first.backendID })
        #expect(Set(jobs.compactMap(\.backend)) == [first.backendID, second.backendID])
    }

    @Test(
        "a ComfyUI server: jobs succeed with WebSocket progress and images from /view; a node error fails the job with the node's message"
    )
    func comfyUIServer() async throws {
        let comfy = try await GPUServer.start("comfyui", seconds: 1.5)
        defer { comfy.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await serve([comfy], directory: directory)
        defer { server.stop() }

        let progress = Self.watchProgress(server.api)
        var ids: [String] = []
        for index in 0..<6 {
            ids.append(
                try await server.api.submitAccepted(JobRequestBody(prompt: "portrait \(index)", seed: Int64(index))).id)
        }
        #expect(try await progress.value > 0)
        let jobs = try await server.api.waitForAllTerminal(Set(ids), timeout: .seconds(180))
        try await expectImagesCorrect(jobs, server: server)
        #expect(jobs.allSatisfy { $0.backend == comfy.backendID })

        // The server has no such LoRA file: ComfyUI answers 400 with node_errors, and the job fails at once.
        let bad = try await server.api.submitAccepted(
            JobRequestBody(prompt: "portrait", loras: [.init(name: "NoSuchLoRA", strength: 1)]))
        let failed = try await server.api.waitForTerminal(bad.id)
        #expect(failed.state == "failed")
        #expect(failed.attempt == 1)
        #expect(failed.error?.code == "backend_rejected")
        #expect(failed.error?.message.contains("LoraLoaderModelOnly") == true, "\(failed.error?.message ?? "")")
        #expect(failed.error?.message.contains("NoSuchLoRA.safetensors") == true, "\(failed.error?.message ?? "")")
        #expect(try await server.api.queue().backends.first?.breaker == "closed", "a job's own error trips no breaker")
    }

    @Test("a mixed farm (A1111, ComfyUI and a simulated GPU) serves one queue")
    func mixedFarm() async throws {
        let a1111 = try await GPUServer.start("a1111", seconds: 0.8)
        defer { a1111.stop() }
        let comfy = try await GPUServer.start("comfyui", seconds: 0.8)
        defer { comfy.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await serve(
            [a1111, comfy], extra: ["--sim-gpus", "1", "--sim-seconds", "0.8"], directory: directory)
        defer { server.stop() }

        let queue = try await server.api.queue()
        #expect(queue.slots == 3)
        #expect(Set(queue.backends.map(\.kind)) == ["a1111", "comfyui", "sim"])
        var ids: [String] = []
        for index in 0..<18 {
            ids.append(
                try await server.api.submitAccepted(JobRequestBody(prompt: "portrait \(index)", seed: Int64(index))).id)
        }
        let jobs = try await server.api.waitForAllTerminal(Set(ids), timeout: .seconds(180))
        try await expectImagesCorrect(jobs, server: server)
        #expect(Set(jobs.compactMap(\.backend)) == [a1111.backendID, comfy.backendID, "sim-0"])
        let reported = try await waitUntil("GPU memory is reported", timeout: .seconds(60), every: .milliseconds(200)) {
            let backends = try await server.api.queue().backends
            return backends.filter { $0.kind != "sim" }.allSatisfy { ($0.gpuMemoryTotalBytes ?? 0) > 0 }
                ? backends : nil
        }
        #expect(reported.allSatisfy { $0.reachable })
        // Every backend remembers what it ran: the default model with AWPortrait-Z, the key affinity matches on.
        #expect(reported.allSatisfy { $0.loaded == "z_image_turbo_bf16+AWPortrait-Z" }, "\(reported.map(\.loaded))")
    }
}
