import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `DELETE /v1/jobs/{id}`: a finished job and its images go; an unfinished one is a conflict.
@Suite(.timeLimit(.minutes(5))) struct DeleteJobRoutesTests {
    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    @Test("a finished job is deleted with its image: 204, then the job and the image are 404")
    func deletesFinishedJob() async throws {
        let pool = fixture.makeWorkerPool()
        try await fixture.makeApp(capacity: pool).test(.router) { client in
            let submitted = try await fixture.whileRunning(pool) {
                let job = try await client.submitJob(#"{"prompt":"p","width":512,"height":512}"#)
                _ = try await fixture.finished(job.id)
                return job
            }
            let job = try await client.get("/v1/jobs/\(submitted.id)").decode(JobBody.self)
            let image = try #require(job.images.first)
            #expect(try await client.get(image.url).status == .ok)

            let deleted = try await client.execute(uri: "/v1/jobs/\(job.id)", method: .delete)
            #expect(deleted.status == .noContent)
            _ = try await client.get("/v1/jobs/\(job.id)").expectProblem(.notFound, code: "job_not_found")
            _ = try await client.get(image.url).expectProblem(.notFound, code: "image_not_found")
            let again = try await client.execute(uri: "/v1/jobs/\(job.id)", method: .delete)
            _ = try again.expectProblem(.notFound, code: "job_not_found")
        }
    }

    @Test("a queued job is not deleted: 409 job_conflict, and it stays queued")
    func queuedJobConflicts() async throws {
        try await fixture.makeApp().test(.router) { client in
            let job = try await client.submitJob()
            let refused = try await client.execute(uri: "/v1/jobs/\(job.id)", method: .delete)
            _ = try refused.expectProblem(.conflict, code: "job_conflict")
            #expect(try await client.get("/v1/jobs/\(job.id)").decode(JobBody.self).state == "queued")
        }
    }
}
