import Foundation
import Testing

/// The acceptance run: many concurrent clients against one embedded server with three simulated GPUs.
@Suite(.serialized)
struct EmbeddedRunTests {
    private static let sizes = [(512, 512), (768, 1024), (1024, 1024)]

    @Test("sixty concurrent submits are all accepted, all succeed, and every image is a PNG of the requested size")
    func sixtyConcurrentJobs() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: directory.url, options: ["--sim-gpus", "3", "--sim-seconds", "0.5"])
        defer { server.stop() }
        let api = server.api

        // The last two are twins: the same explicit seed and parameters.
        let twin = JobRequestBody(prompt: "twin portrait", width: 512, height: 512, seed: 4_242)
        let requests = (0..<58).map { index in
            let (width, height) = Self.sizes[index % Self.sizes.count]
            return JobRequestBody(prompt: "portrait \(index)", width: width, height: height, seed: Int64(index))
        } + [twin, twin]

        let answers = try await withThrowingTaskGroup(of: (Int, HTTPAnswer).self) { group in
            for (index, request) in requests.enumerated() {
                group.addTask { (index, try await api.submit(request)) }
            }
            return try await group.reduce(into: [Int: HTTPAnswer]()) { $0[$1.0] = $1.1 }
        }

        var accepted: [Int: JobJSON] = [:]
        for (index, answer) in answers.sorted(by: { $0.key < $1.key }) {
            #expect(answer.status == 202, "submit \(index): \(answer.text)")
            guard answer.status == 202 else { continue }
            let job: JobJSON = try answer.decode()
            #expect(!job.id.isEmpty)
            #expect(job.position != nil, "submit \(index) has no position: \(answer.text)")
            #expect(answer.location == "/v1/jobs/\(job.id)")
            accepted[index] = job
        }
        try #require(accepted.count == requests.count)

        let ids = Set(accepted.values.map(\.id))
        #expect(ids.count == requests.count, "job ids are unique")
        let finished = try await api.waitForAllTerminal(ids, timeout: .seconds(180))
        let byID = Dictionary(uniqueKeysWithValues: finished.map { ($0.id, $0) })

        for (index, request) in requests.enumerated() {
            let id = try #require(accepted[index]?.id)
            let job = try #require(byID[id], "job \(index) is listed")
            #expect(job.state == "succeeded", "job \(index): \(job)")
            #expect(job.images.count == 1, "job \(index) has \(job.images.count) images")
            #expect(job.request.width == request.width && job.request.height == request.height)
        }

        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, request) in requests.enumerated() {
                guard let job = accepted[index].flatMap({ byID[$0.id] }), let image = job.images.first else { continue }
                group.addTask {
                    try await Self.expectImage(image, width: request.width ?? 0, height: request.height ?? 0, api: api)
                }
            }
            try await group.waitForAll()
        }

        let twins = try [58, 59].map { index in try #require(accepted[index].flatMap { byID[$0.id] }) }
        #expect(twins[0].id != twins[1].id)
        #expect(twins[0].images.first?.seed == 4_242)
        let digests = twins.compactMap { $0.images.first?.sha256 }
        #expect(digests.count == 2 && digests[0] == digests[1], "same seed and parameters give the same image")
    }

    /// The image URL serves a PNG of the requested size whose SHA-256 is the one the job reports.
    private static func expectImage(_ image: JobJSON.Image, width: Int, height: Int, api: APIClient) async throws {
        let answer = try await api.get(image.url)
        #expect(answer.status == 200, "\(image.url): \(answer.status)")
        #expect(answer.contentType.hasPrefix("image/png"))
        let header = try #require(PNGHeader(answer.body), "\(image.url) is not a PNG")
        #expect(header.width == width && header.height == height, "\(image.url) is \(header.width)×\(header.height)")
        #expect(image.width == width && image.height == height)
        #expect(sha256Hex(answer.body) == image.sha256, "\(image.url) bytes match the reported sha256")
    }
}
