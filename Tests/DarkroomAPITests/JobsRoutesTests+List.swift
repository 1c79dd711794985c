import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /v1/jobs`: newest first, cursor pages, the state filter, and the limit's bounds.
extension JobsRoutesTests {
    /// Submits `count` jobs and returns their ids in submission order.
    private func submit(_ count: Int, with client: some TestClientProtocol) async throws -> [String] {
        var ids: [String] = []
        for index in 0..<count { ids.append(try await client.submitJob(#"{"prompt":"job \#(index)"}"#).id) }
        return ids
    }

    @Test("jobs are listed newest first")
    func listsNewestFirst() async throws {
        try await fixture.makeApp().test(.router) { client in
            let ids = try await submit(5, with: client)
            let response = try await client.get("/v1/jobs")
            #expect(response.status == .ok)
            let page = try response.decode(JobPageBody.self)
            #expect(page.jobs.map(\.id) == ids.reversed())
            #expect(page.nextCursor == nil)
        }
    }

    @Test("limit and cursor page through every job exactly once, in list order")
    func paginatesEveryJobOnce() async throws {
        try await fixture.makeApp().test(.router) { client in
            let ids = try await submit(7, with: client)
            let all = try await client.get("/v1/jobs").decode(JobPageBody.self).jobs.map(\.id)
            var paged: [String] = []
            var pageSizes: [Int] = []
            var cursor: String?
            for _ in 0..<ids.count {
                let query = cursor.map { "&cursor=\($0)" } ?? ""
                let page = try await client.get("/v1/jobs?limit=3\(query)").decode(JobPageBody.self)
                paged += page.jobs.map(\.id)
                pageSizes.append(page.jobs.count)
                cursor = page.nextCursor
                if cursor == nil { break }
            }
            #expect(pageSizes == [3, 3, 1])
            #expect(paged == all)
            #expect(Set(paged) == Set(ids))
            #expect(Set(paged).count == paged.count)
        }
    }

    @Test("the state filter returns only jobs in that state")
    func filtersByState() async throws {
        try await fixture.makeApp().test(.router) { client in
            let ids = try await submit(3, with: client)
            #expect(try await client.post("/v1/jobs/\(ids[1])/cancel").status == .ok)

            let canceled = try await client.get("/v1/jobs?state=canceled").decode(JobPageBody.self).jobs
            #expect(canceled.map(\.id) == [ids[1]])
            #expect(canceled.allSatisfy { $0.state == "canceled" })
            let queued = try await client.get("/v1/jobs?state=queued").decode(JobPageBody.self).jobs
            #expect(Set(queued.map(\.id)) == [ids[0], ids[2]])
            #expect(queued.allSatisfy { $0.state == "queued" && $0.position != nil })
            #expect(try await client.get("/v1/jobs?state=succeeded").decode(JobPageBody.self).jobs.isEmpty)
        }
    }

    @Test("a limit outside 1…500 is a 422 naming the limit", arguments: [0, 501])
    func limitOutOfRange(limit: Int) async throws {
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.get("/v1/jobs?limit=\(limit)")
            #expect(response.status == .unprocessableContent)
            #expect(response.mediaType == "application/problem+json")
            let problem = try response.decode(ProblemBody.self)
            #expect(problem.code == "invalid_parameter")
            #expect(problem.field == "limit")
        }
    }

    @Test("the limit's bounds themselves are accepted", arguments: [1, 500])
    func limitBoundsAccepted(limit: Int) async throws {
        try await fixture.makeApp().test(.router) { client in
            _ = try await submit(2, with: client)
            let page = try await client.get("/v1/jobs?limit=\(limit)").decode(JobPageBody.self)
            #expect(page.jobs.count == min(limit, 2))
        }
    }

    @Test("a cursor that is not a job id is a 400 naming the cursor")
    func malformedCursor() async throws {
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.get("/v1/jobs?cursor=bogus")
            #expect(response.status == .badRequest)
            let problem = try response.decode(ProblemBody.self)
            #expect(problem.code == "invalid_parameter")
            #expect(problem.field == "cursor")
        }
    }

    @Test(
        "a query parameter that does not decode is a 400 invalid_parameter", arguments: ["state=sleeping", "limit=abc"])
    func undecodableQuery(query: String) async throws {
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.get("/v1/jobs?\(query)")
            _ = try response.expectProblem(.badRequest, code: "invalid_parameter")
        }
    }
}
