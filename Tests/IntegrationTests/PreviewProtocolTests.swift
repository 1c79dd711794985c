import Foundation
import Testing

/// Live previews through a real protocol: `darkroom serve` in front of `darkroom sim-backend --protocol a1111`.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct PreviewProtocolTests {
    struct PreviewStats: Decodable {
        var progressPolls: Int
        var currentImagePolls: Int
    }

    struct PreviewEvent: Decodable {
        var id: String
        var step: Int
        var image: String
    }

    /// The `preview` events of a stream, decoded.
    private static func previews(in events: [ServerSentEvent]) throws -> [PreviewEvent] {
        try events.filter { $0.name == "preview" }.map {
            try JSONDecoder().decode(PreviewEvent.self, from: Data($0.data.utf8))
        }
    }

    /// Follows `job`'s stream until two previews have arrived, then cancels the job and waits until it has ended
    /// canceled: the test waits on events, not on time, so a loaded machine changes only how long it takes.
    private static func twoPreviews(of job: String, on api: APIClient) async throws -> [PreviewEvent] {
        var seen = 0
        let events = try await api.events(at: "/v1/jobs/\(job)/events") { event in
            if event.name == "preview" { seen += 1 }
            return seen >= 2
        }
        #expect(try await api.cancel(job).status == 200)
        #expect(try await api.waitForAllTerminal([job]).first?.state == "canceled")
        return try previews(in: events)
    }

    /// A job of `followedSteps` steps: a step a second on a server started with `--seconds 8`, so previews keep
    /// coming for a minute, far longer than two take.
    private static let followedSteps = 60

    private func stats(of gpu: GPUServer) async throws -> PreviewStats {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let answer = try await APIClient(baseURL: "http://127.0.0.1:\(gpu.port)").get("/internal/preview-stats")
        return try decoder.decode(PreviewStats.self, from: answer.body)
    }

    @Test("A1111: an unwatched job never asks for current_image; a followed one streams its previews")
    func a1111() async throws {
        let gpu = try await GPUServer.start("a1111", seconds: 8)
        defer { gpu.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: directory.url, options: ["--backend", gpu.backendArgument])
        defer { server.stop() }

        let quiet = try await server.api.submitAccepted(JobRequestBody(prompt: "nobody watches", steps: 4))
        #expect(try await server.api.waitForAllTerminal([quiet.id]).first?.state == "succeeded")
        let unwatched = try await stats(of: gpu)
        #expect(unwatched.progressPolls >= 2, "Darkroom followed the job's progress")
        #expect(unwatched.currentImagePolls == 0, "and never asked for the image")

        let job = try await server.api.submitAccepted(JobRequestBody(prompt: "followed", steps: Self.followedSteps))
        let previews = try await Self.twoPreviews(of: job.id, on: server.api)
        #expect(previews.allSatisfy { $0.id == job.id && $0.image.hasPrefix("data:image/png;base64,") })
        #expect(previews.map(\.step) == previews.map(\.step).sorted())
        #expect(try await stats(of: gpu).currentImagePolls >= previews.count)
    }

    @Test("ComfyUI started with a preview method: a followed job streams the server's preview frames")
    func comfyUI() async throws {
        let gpu = try await GPUServer.start("comfyui", seconds: 8, options: ["--preview-method", "latent2rgb"])
        defer { gpu.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: directory.url, options: ["--backend", gpu.backendArgument])
        defer { server.stop() }

        let job = try await server.api.submitAccepted(JobRequestBody(prompt: "followed", steps: Self.followedSteps))
        let previews = try await Self.twoPreviews(of: job.id, on: server.api)
        #expect(previews.allSatisfy { $0.id == job.id && $0.image.hasPrefix("data:image/png;base64,") })
        #expect(previews.map(\.step) == previews.map(\.step).sorted())
    }

    @Test("in a cluster, previews made on a worker reach a stream on the gateway, and are gone after the job")
    func cluster() async throws {
        let cluster = try await PrivateCluster(workerOptions: ["--sim-gpus", "1", "--sim-seconds", "8"])
        defer { cluster.stop() }
        let job = try await cluster.api.submitAccepted(
            JobRequestBody(prompt: "followed across processes", steps: Self.followedSteps))
        let previews = try await Self.twoPreviews(of: job.id, on: cluster.api)
        #expect(previews.allSatisfy { $0.id == job.id && $0.image.hasPrefix("data:image/png;base64,") })
        #expect(previews.map(\.step) == previews.map(\.step).sorted())
        // The worker ends the attempt once it hears of the cancel; that end deletes the job's preview.
        _ = try await waitUntil(
            "the attempt's end deleted its preview",
            reading: {
                try await RepositoryScript.run(
                    ["psql", cluster.postgres.url, "-tAc", "SELECT count(*) FROM job_previews"], timeout: .seconds(60))
            },
            until: { $0.0 == 0 && $0.1.trimmingCharacters(in: .whitespacesAndNewlines) == "0" })
    }
}
