import DarkroomAPI
import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /v1/jobs`, `GET /v1/jobs/{id}` and `POST /v1/jobs/{id}/cancel` (listing is in `JobsRoutesTests+List.swift`).
@Suite struct JobsRoutesTests {
    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    /// The metadata object the submit test sends and expects back untouched.
    struct Metadata: Decodable, Equatable {
        struct Nested: Decodable, Equatable { var ok: Bool }
        var user: String
        var n: Int
        var tags: [String]
        var nested: Nested
    }

    struct MetadataEnvelope: Decodable {
        var metadata: Metadata
    }

    @Test("a submit answers 202 with a plain Location and the queued job with AWPortrait-Z defaults")
    func submitAnswersAccepted() async throws {
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.submit(
                #"{"prompt":"a portrait of Ada","metadata":{"user":"ada","n":3,"tags":["a","b"],"nested":{"ok":true}}}"#
            )
            #expect(response.status == .accepted)
            #expect(response.mediaType == "application/json")
            let job = try response.decode(JobBody.self)
            #expect(JobID(parsing: job.id) != nil)
            #expect(response.headers[.location] == "/v1/jobs/\(job.id)")
            #expect(job.state == "queued")
            #expect(job.position == 0)
            #expect(job.estimatedWaitSeconds == 0)
            #expect(job.priority == 5)
            #expect(job.attempt == 0)
            #expect(job.progress.step == 0 && job.progress.steps == 8)
            #expect(job.images.isEmpty)
            let request = job.request
            #expect(request.prompt == "a portrait of Ada")
            #expect(request.width == 1024 && request.height == 1024)
            #expect(request.steps == 8)
            #expect(request.cfgScale == 1.0)
            #expect(request.batchSize == 1)
            #expect(request.negativePrompt == "")
            #expect(request.loras == [JobBody.LoRABody(name: "AWPortrait-Z", strength: 1.0)])
            let metadata = try response.decode(MetadataEnvelope.self).metadata
            #expect(metadata == Metadata(user: "ada", n: 3, tags: ["a", "b"], nested: .init(ok: true)))
        }
    }

    @Test("the job row is committed before the 202 is sent")
    func submitCommitsBeforeAnswering() async throws {
        try await fixture.makeApp().test(.router) { client in
            let job = try await client.submitJob()
            let stored = try #require(try await fixture.store.job(id: JobID(rawValue: job.id)))
            #expect(stored.state == .queued)
            #expect(stored.request.seed == job.request.seed)
            #expect(stored.request.prompt == job.request.prompt)
        }
    }

    @Test("an explicit seed is kept as given", arguments: [0, 42, 4_294_967_295] as [Int64])
    func explicitSeedIsKept(seed: Int64) async throws {
        try await fixture.makeApp().test(.router) { client in
            let job = try await client.submitJob(#"{"prompt":"p","seed":\#(seed)}"#)
            #expect(job.request.seed == seed)
        }
    }

    @Test("seed -1 or no seed is resolved at submit to a stored seed in 0…2³²−1", arguments: [#","seed":-1"#, ""])
    func randomSeedIsResolved(seedField: String) async throws {
        try await fixture.makeApp().test(.router) { client in
            let job = try await client.submitJob(#"{"prompt":"p"\#(seedField)}"#)
            #expect((0...Int64(UInt32.max)).contains(job.request.seed))
            let stored = try await fixture.store.job(id: JobID(rawValue: job.id))
            #expect(stored?.request.seed == job.request.seed)
        }
    }

    @Test("each queued job reports how many jobs are ahead of it")
    func queuedJobsReportTheirPosition() async throws {
        try await fixture.makeApp().test(.router) { client in
            var positions: [Int?] = []
            for _ in 0..<3 { positions.append(try await client.submitJob().position) }
            #expect(positions == [0, 1, 2])
        }
    }

    @Test("past the exact-count limit, a job's position is every other queued job, from the queue figures")
    func positionPastTheLimitIsEstimated() async throws {
        var configuration = APITestFixture.configuration
        configuration.exactPositionLimit = 2
        configuration.statsCacheDuration = .zero
        try await fixture.makeApp(configuration: configuration).test(.router) { client in
            var positions: [Int?] = []
            for _ in 0..<5 { positions.append(try await client.submitJob().position) }
            #expect(positions == [0, 1, 2, 3, 4], "counted to 2, then queued − 1")
            let urgent = try await client.submitJob(#"{"prompt":"p","priority":9}"#)
            #expect(urgent.position == 0, "under the limit, the count is exact whatever the depth")
        }
    }

    @Test("a submitted job reads back by id")
    func readsAJob() async throws {
        try await fixture.makeApp().test(.router) { client in
            let submitted = try await client.submitJob(#"{"prompt":"p","seed":7,"width":512}"#)
            let response = try await client.get("/v1/jobs/\(submitted.id)")
            #expect(response.status == .ok)
            let job = try response.decode(JobBody.self)
            #expect(job.id == submitted.id)
            #expect(job.state == "queued")
            #expect(job.position == 0)
            #expect(job.request.seed == 7 && job.request.width == 512)
            #expect(job.createdAt == submitted.createdAt)
        }
    }

    @Test(
        "an unknown or malformed job id is a 404 job_not_found problem",
        arguments: ["/v1/jobs/0190f2a4-0000-7000-8000-000000000000", "/v1/jobs/not-a-uuid"])
    func unknownJobIsNotFound(uri: String) async throws {
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.get(uri)
            #expect(response.status == .notFound)
            #expect(response.mediaType == "application/problem+json")
            #expect(try response.decode(ProblemBody.self).code == "job_not_found")
        }
    }

    @Test("canceling a queued job answers 200 canceled, and canceling it again is a 409 job_conflict")
    func cancelsAQueuedJobOnce() async throws {
        try await fixture.makeApp().test(.router) { client in
            let job = try await client.submitJob()
            let first = try await client.post("/v1/jobs/\(job.id)/cancel")
            #expect(first.status == .ok)
            let canceled = try first.decode(JobBody.self)
            #expect(canceled.state == "canceled")
            #expect(canceled.position == nil)
            #expect(try await fixture.store.job(id: JobID(rawValue: job.id))?.state == .canceled)

            let second = try await client.post("/v1/jobs/\(job.id)/cancel")
            #expect(second.status == .conflict)
            #expect(second.mediaType == "application/problem+json")
            #expect(try second.decode(ProblemBody.self).code == "job_conflict")
        }
    }

    @Test(
        "canceling an unknown job is a 404 job_not_found problem",
        arguments: ["0190f2a4-0000-7000-8000-000000000000", "not-a-uuid"])
    func cancelUnknownJobIsNotFound(id: String) async throws {
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.post("/v1/jobs/\(id)/cancel")
            #expect(response.status == .notFound)
            #expect(try response.decode(ProblemBody.self).code == "job_not_found")
        }
    }
}
