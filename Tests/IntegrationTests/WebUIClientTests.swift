import Foundation
import Testing

/// The A1111 API of `darkroom serve` through the real `webuiapi` client from PyPI, used exactly as WebUI
/// scripts use it (Scripts/webuiapi_client.py): existing clients point at Darkroom and change nothing else.
@Suite(.timeLimit(.minutes(5)))
struct WebUIClientTests {
    /// The report the script prints: only the parts the checks read.
    struct Report: Decodable {
        struct Single: Decodable {
            var images: Int
            var size: [Int]
            var seed: Int64
            var allSeeds: [Int64]
            var infotext: String
            var parametersPrompt: String
        }

        struct Concurrent: Decodable {
            var ok: Int
            var errors: [String]
            var sizesOk: Bool
        }

        struct Progress: Decodable {
            struct State: Decodable {
                var jobCount: Int
                var samplingStep: Int
                var samplingSteps: Int
            }

            var progress: Double
            var state: State
            var currentTask: String?
        }

        var single: Single
        var models: [String]
        var loras: [String]
        var optionsModel: String
        var idleProgress: Progress
        var concurrent: Concurrent
        var runningProgress: Progress
        var interruptedImages: Int?
        var interruptedJobState: String
        var hungUpState: String
        var hungUpRunningState: String
    }

    @Test(
        "webuiapi: txt2img, progress, interrupt, models, LoRAs and options; 20 concurrent callers on 2 GPUs without an error"
    )
    func webuiapiAgainstServe() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: directory.url, options: ["--sim-gpus", "2", "--sim-seconds", "0.5"])
        defer { server.stop() }

        let (status, output) = try await RepositoryScript.run(
            ["python3", "Tests/IntegrationTests/Scripts/webuiapi_client.py", server.baseURL, "20"],
            timeout: .seconds(150))
        try #require(status == 0, "\(output)\n--- server log ---\n\(server.log)")
        let line = try #require(output.split(separator: "\n").last(where: { $0.hasPrefix("{") }), "\(output)")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let report = try decoder.decode(Report.self, from: Data(line.utf8))

        // One call: a PIL image of the requested size, WebUI's info with the seed, the request echoed.
        #expect(report.single.images == 1)
        #expect(report.single.size == [1024, 1024])
        #expect(report.single.allSeeds == [report.single.seed])
        #expect(report.single.infotext.contains("Steps: 8"))
        #expect(report.single.infotext.contains("Seed: \(report.single.seed)"))
        #expect(report.single.parametersPrompt == "a portrait <lora:AWPortrait-Z:1>")
        #expect(report.models == ["z_image_turbo_bf16"])
        #expect(report.loras.contains("AWPortrait-Z"))
        #expect(report.optionsModel == "z_image_turbo_bf16")
        #expect(report.idleProgress.progress == 0 && report.idleProgress.state.jobCount == 0)

        // Twenty synchronous callers at once: every one gets its image, none an error.
        #expect(report.concurrent.errors.isEmpty, "\(report.concurrent.errors)")
        #expect(report.concurrent.ok == 20)
        #expect(report.concurrent.sizesOk)

        // Progress is the caller's own running job; interrupt stops it and the call returns without images.
        #expect(report.runningProgress.state.jobCount == 1)
        #expect(report.runningProgress.state.samplingSteps == 100)
        #expect(report.runningProgress.state.samplingStep > 0)
        #expect(report.runningProgress.progress > 0.01)
        #expect(report.runningProgress.currentTask != nil)
        #expect(report.interruptedImages == 0)
        #expect(report.interruptedJobState == "canceled")

        // A caller that hangs up while its job waits in the queue takes the job with it.
        #expect(report.hungUpState == "canceled")
        // One that hangs up while its job runs leaves it to finish.
        #expect(report.hungUpRunningState == "succeeded")
    }
}
