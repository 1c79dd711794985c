import Crypto
import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /v1/images/{name}`: the PNGs of succeeded jobs, and nothing else on the disk.
@Suite(.timeLimit(.minutes(5))) struct ImagesRoutesTests {
    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    @Test("a succeeded job's image URL serves the PNG whose sha256 the job records")
    func servesTheImageOfASucceededJob() async throws {
        let pool = fixture.makeWorkerPool()
        try await fixture.makeApp(capacity: pool).test(.router) { client in
            let submitted = try await fixture.whileRunning(pool) {
                let job = try await client.submitJob(#"{"prompt":"p","width":512,"height":768,"seed":99}"#)
                _ = try await fixture.finished(job.id)
                return job
            }
            let job = try await client.get("/v1/jobs/\(submitted.id)").decode(JobBody.self)
            #expect(job.state == "succeeded")
            let image = try #require(job.images.first)
            #expect(image.url == "/v1/images/\(job.id)-0.png")
            #expect(image.width == 512 && image.height == 768 && image.seed == 99)

            let response = try await client.get(image.url)
            #expect(response.status == .ok)
            #expect(response.mediaType == "image/png")
            #expect(response.bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            let digest = SHA256.hash(data: response.bytes).map { String(format: "%02x", $0) }.joined()
            #expect(digest == image.sha256)
        }
    }

    @Test(
        "unknown names and names that try to leave the image directory are a 404 image_not_found",
        arguments: [
            "nope.png", "..%2Fjobs.sqlite", "%2E%2E%2Fjobs.sqlite", "..%2F..%2Fetc%2Fpasswd", ".hidden",
            "%2Fetc%2Fpasswd", "a%00.png",
        ])
    func unknownImageIsNotFound(name: String) async throws {
        // A file right next to the image directory, which a traversal would reach.
        #expect(FileManager.default.fileExists(atPath: fixture.directory.appendingPathComponent("jobs.sqlite").path))
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.get("/v1/images/\(name)")
            _ = try response.expectProblem(.notFound, code: "image_not_found")
        }
    }
}
