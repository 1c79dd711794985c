import Foundation
import Testing

/// Live previews through a real protocol: `darkroom serve` in front of `darkroom sim-backend --protocol a1111`.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct PreviewProtocolTests {
    struct PreviewStats: Decodable {
        var progressPolls: Int
        var currentImagePolls: Int
    }

    struct StateEvent: Decodable {
        var state: String
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

    private func stats(of gpu: GPUServer) async throws -> PreviewStats {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let answer = try await APIClient(baseURL: "http://127.0.0.1:\(gpu.port)").get("/internal/preview-stats")
        return try decoder.decode(PreviewStats.self, from: answer.body)
    }

    @Test("A1111: an unwatched job never asks for current_image; a followed one streams its previews")
    func a1111() async throws {
        let gpu = try await GPUServer.start("a1111", seconds: 4)
        defer { gpu.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: directory.url, options: ["--backend", gpu.backendArgument])
        defer { server.stop() }

        let quiet = try await server.api.submitAccepted(JobRequestBody(prompt: "nobody watches"))
        #expect(try await server.api.waitForAllTerminal([quiet.id]).first?.state == "succeeded")
        let unwatched = try await stats(of: gpu)
        #expect(unwatched.progressPolls >= 2, "Darkroom followed the job's progress")
        #expect(unwatched.currentImagePolls == 0, "and never asked for the image")

        let job = try await server.api.submitAccepted(JobRequestBody(prompt: "followed"))
        let events = try await server.api.events(of: job.id)
        let previews = try Self.previews(in: events)
        #expect(events.last?.name == "state")
        #expect(previews.count >= 2, "a 4 s job, a preview a second: \(events.map(\.name))")
        #expect(previews.allSatisfy { $0.id == job.id && $0.image.hasPrefix("data:image/png;base64,") })
        #expect(previews.map(\.step) == previews.map(\.step).sorted())
        #expect(try await stats(of: gpu).currentImagePolls >= previews.count)
    }

    @Test("ComfyUI started with a preview method: a followed job streams the server's preview frames")
    func comfyUI() async throws {
        let gpu = try await GPUServer.start("comfyui", seconds: 4, options: ["--preview-method", "latent2rgb"])
        defer { gpu.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: directory.url, options: ["--backend", gpu.backendArgument])
        defer { server.stop() }

        let job = try await server.api.submitAccepted(JobRequestBody(prompt: "followed"))
        let events = try await server.api.events(of: job.id)
        let previews = try Self.previews(in: events)
        let last = try #require(events.last)
        #expect(last.name == "state")
        #expect(try JSONDecoder().decode(StateEvent.self, from: Data(last.data.utf8)).state == "succeeded")
        #expect(previews.count >= 2, "a 4 s job, a preview a second: \(events.map(\.name))")
        #expect(previews.allSatisfy { $0.id == job.id && $0.image.hasPrefix("data:image/png;base64,") })
    }

    @Test("in a cluster, previews made on a worker reach a stream on the gateway, and are gone after the job")
    func cluster() async throws {
        let cluster = try await PrivateCluster(workerOptions: ["--sim-gpus", "1", "--sim-seconds", "4"])
        defer { cluster.stop() }
        let job = try await cluster.api.submitAccepted(JobRequestBody(prompt: "followed across processes"))
        let events = try await cluster.api.events(of: job.id)
        let previews = try Self.previews(in: events)
        #expect(previews.count >= 2, "a 4 s job, a preview a second: \(events.map(\.name))")
        #expect(previews.allSatisfy { $0.id == job.id && $0.image.hasPrefix("data:image/png;base64,") })
        #expect(previews.map(\.step) == previews.map(\.step).sorted())
        let (status, left) = try await RepositoryScript.run(
            ["psql", cluster.postgres.url, "-tAc", "SELECT count(*) FROM job_previews"], timeout: .seconds(60))
        #expect(status == 0)
        #expect(left.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "the attempt's end deleted its preview")
    }
}
