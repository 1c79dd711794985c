import DarkroomAPI
import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// With keys required, tenant B can neither read, stream, cancel, delete, fetch images of nor learn of tenant A's
/// jobs: another tenant's job answers exactly as a job that does not exist.
@Suite(.timeLimit(.minutes(5))) struct TenantIsolationTests {
    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    @Test("another tenant's finished job, its image, events and deliveries are 404 as if it never existed")
    func finishedJobIsInvisible() async throws {
        let alpha = try await fixture.makeKey(tenant: "alpha")
        let beta = try await fixture.makeKey(tenant: "beta")
        let pool = fixture.makeWorkerPool()
        try await fixture.makeApp(capacity: pool, configuration: APITestFixture.keysRequired).test(.router) { client in
            let job = try await fixture.whileRunning(pool) {
                let job = try await client.submitJob(key: alpha)
                _ = try await fixture.finished(job.id)
                return job
            }
            let image = "/v1/images/\(job.id)-0.png"
            #expect(try await client.get(image, key: alpha).status == .ok)
            #expect(try await client.get("/v1/jobs/\(job.id)", key: alpha).status == .ok)

            let missing = "0190d3a6-7b1c-7000-8000-00000000abcd"
            for suffix in ["", "/events", "/deliveries"] {
                let theirs = try await client.get("/v1/jobs/\(job.id)\(suffix)", key: beta)
                let absent = try await client.get("/v1/jobs/\(missing)\(suffix)", key: beta)
                try theirs.expectProblem(.notFound, code: "job_not_found")
                try absent.expectProblem(.notFound, code: "job_not_found")
            }
            try await client.get(image, key: beta).expectProblem(.notFound, code: "image_not_found")
            let canceled = try await client.post("/v1/jobs/\(job.id)/cancel", key: beta)
            try canceled.expectProblem(.notFound, code: "job_not_found")
            let deleted = try await client.execute(uri: "/v1/jobs/\(job.id)", method: .delete, headers: .bearer(beta))
            try deleted.expectProblem(.notFound, code: "job_not_found")
            #expect(try await client.get(image, key: alpha).status == .ok, "the owner's job and image are untouched")
        }
    }

    @Test("lists show each tenant its own jobs only; a cancel by another tenant changes nothing")
    func listsAndCancel() async throws {
        let alpha = try await fixture.makeKey(tenant: "alpha")
        let beta = try await fixture.makeKey(tenant: "beta")
        try await fixture.makeApp(configuration: APITestFixture.keysRequired).test(.router) { client in
            let mine = try await client.submitJob(key: alpha)
            let theirs = try await client.submitJob(key: beta)
            let alphaList = try await client.get("/v1/jobs", key: alpha).decode(JobPageBody.self)
            let betaList = try await client.get("/v1/jobs?state=queued", key: beta).decode(JobPageBody.self)
            #expect(alphaList.jobs.map(\.id) == [mine.id])
            #expect(betaList.jobs.map(\.id) == [theirs.id])

            try await client.post("/v1/jobs/\(mine.id)/cancel", key: beta).expectProblem(
                .notFound, code: "job_not_found")
            #expect(try await fixture.store.job(id: try #require(JobID(parsing: mine.id)))?.state == .queued)
            let own = try await client.post("/v1/jobs/\(mine.id)/cancel", key: alpha)
            #expect(own.status == .ok)
            #expect(try await fixture.store.job(id: try #require(JobID(parsing: mine.id)))?.tenant == "alpha")
        }
    }

    @Test("an Idempotency-Key names one job per tenant: the same key from two tenants makes two jobs")
    func idempotencyPerTenant() async throws {
        let alpha = try await fixture.makeKey(tenant: "alpha")
        let beta = try await fixture.makeKey(tenant: "beta")
        try await fixture.makeApp(configuration: APITestFixture.keysRequired).test(.router) { client in
            var alphaHeaders = HTTPFields.bearer(alpha)
            alphaHeaders[HTTPField.Name("Idempotency-Key")!] = "same-key"
            var betaHeaders = HTTPFields.bearer(beta)
            betaHeaders[HTTPField.Name("Idempotency-Key")!] = "same-key"
            let first = try await client.submit(#"{"prompt":"p"}"#, headers: alphaHeaders).decode(JobBody.self)
            let repeated = try await client.submit(#"{"prompt":"p"}"#, headers: alphaHeaders).decode(JobBody.self)
            let other = try await client.submit(#"{"prompt":"p"}"#, headers: betaHeaders).decode(JobBody.self)
            #expect(first.id == repeated.id)
            #expect(other.id != first.id)
        }
    }

    @Test("/sdapi/v1/progress and /interrupt see only the caller's tenant")
    func webUIRoutes() async throws {
        let alpha = try await fixture.makeKey(tenant: "alpha")
        let beta = try await fixture.makeKey(tenant: "beta")
        try await fixture.makeApp(configuration: APITestFixture.keysRequired).test(.router) { client in
            let job = try await client.submitJob(key: alpha)
            let seen = try await client.execute(
                uri: "/sdapi/v1/progress", method: .get, headers: .basic(user: "alpha", password: alpha))
            #expect(try seen.jsonObject()["current_task"] as? String == job.id)
            let unseen = try await client.execute(
                uri: "/sdapi/v1/progress", method: .get, headers: .basic(user: "beta", password: beta))
            #expect(try unseen.jsonObject()["progress"] as? Double == 0)
            #expect(try unseen.jsonObject()["current_task"] is NSNull)
            _ = try await client.execute(
                uri: "/sdapi/v1/interrupt", method: .post, headers: .basic(user: "beta", password: beta))
            #expect(try await fixture.store.job(id: try #require(JobID(parsing: job.id)))?.state == .queued)
        }
    }
}
