import DarkroomCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The router ``DarkroomAPI/DarkroomHTTP`` builds, served for real over loopback.
@Suite(.timeLimit(.minutes(5))) struct DarkroomHTTPTests {
    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    @Test("over a real HTTP connection a job is submitted, followed to its Location, and read back")
    func liveSubmitAndRead() async throws {
        try await fixture.makeApp().test(.live) { live in
            try await PatientTestClient.with(port: live.port) { client in
                let response = try await client.post(
                    "/v1/jobs", headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"prompt":"a portrait over the wire","seed":12}"#))
                #expect(response.status == .accepted)
                let submitted = try response.decode(JobBody.self)
                let location = try #require(response.headers[.location])
                #expect(location == "/v1/jobs/\(submitted.id)")

                let read = try await client.get(location)
                #expect(read.status == .ok)
                let job = try read.decode(JobBody.self)
                #expect(job.id == submitted.id)
                #expect(job.state == "queued")
                #expect(job.request.seed == 12)
                #expect(job.request.prompt == "a portrait over the wire")
            }
        }
    }
}
