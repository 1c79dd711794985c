import DarkroomAPI
import DarkroomCore
import DarkroomStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /v1/usage`: a tenant's GPU seconds and ended jobs per UTC day; a key sees its own tenant, an admin key all.
@Suite(.timeLimit(.minutes(5))) struct UsageRoutesTests {
    struct Report: Decodable {
        struct Day: Decodable, Equatable {
            struct Jobs: Decodable, Equatable {
                var succeeded: Int
                var failed: Int
                var canceled: Int
                var expired: Int
            }

            var tenant: String
            var date: String
            var gpuSeconds: Double
            var jobs: Jobs
        }

        var from: String
        var to: String
        var days: [Day]
    }

    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    @Test("a key sees its own tenant's days; an admin key sees every tenant's; dates are UTC days, both included")
    func ownAndAll() async throws {
        let alpha = try await fixture.makeKey(tenant: "alpha")
        let admin = try await fixture.makeKey(tenant: "ops", admin: true)
        _ = try await fixture.makeKey(tenant: "beta")
        // 2026-03-01 and 2026-03-02, UTC.
        let first = Date(timeIntervalSince1970: 1_772_323_200)
        try await fixture.finishJob(of: "alpha", seconds: 3, at: first.addingTimeInterval(3_600))
        try await fixture.finishJob(of: "alpha", seconds: 4, at: first.addingTimeInterval(86_400 + 60))
        try await fixture.finishJob(of: "beta", seconds: 9, at: first.addingTimeInterval(86_400 + 120))
        try await fixture.makeApp(configuration: APITestFixture.keysRequired).test(.router) { client in
            let mine = try await client.get("/v1/usage?from=2026-03-01&to=2026-03-02", key: alpha)
            #expect(mine.status == .ok)
            let report = try mine.decode(Report.self)
            #expect(report.from == "2026-03-01" && report.to == "2026-03-02")
            #expect(report.days.map(\.date) == ["2026-03-01", "2026-03-02"])
            #expect(report.days.map(\.gpuSeconds) == [3, 4])
            #expect(report.days.allSatisfy { $0.tenant == "alpha" && $0.jobs.succeeded == 1 })
            // Naming another tenant shows nothing of it.
            let other = try await client.get("/v1/usage?from=2026-03-01&to=2026-03-02&tenant=beta", key: alpha)
            #expect(try other.decode(Report.self).days.isEmpty)

            let all = try await client.get("/v1/usage?from=2026-03-02&to=2026-03-02", key: admin)
            #expect(try all.decode(Report.self).days.map(\.tenant) == ["alpha", "beta"])
            let beta = try await client.get("/v1/usage?from=2026-03-01&to=2026-03-02&tenant=beta", key: admin)
            #expect(try beta.decode(Report.self).days.map(\.gpuSeconds) == [9])
        }
    }

    @Test("a date that is not YYYY-MM-DD is 400; a range backwards or past 366 days is 422; no key is 401")
    func badRanges() async throws {
        let alpha = try await fixture.makeKey(tenant: "alpha")
        try await fixture.makeApp(configuration: APITestFixture.keysRequired).test(.router) { client in
            for query in ["from=2026-3-1", "to=2026-02-30", "from=yesterday"] {
                let answer = try await client.get("/v1/usage?\(query)", key: alpha)
                try answer.expectProblem(.badRequest, code: "invalid_parameter")
            }
            for query in ["from=2026-03-02&to=2026-03-01", "from=2025-01-01&to=2026-03-01"] {
                let answer = try await client.get("/v1/usage?\(query)", key: alpha)
                try answer.expectProblem(.unprocessableContent, code: "invalid_parameter")
            }
            let anonymous = try await client.execute(uri: "/v1/usage", method: .get)
            #expect(anonymous.status == .unauthorized)
        }
    }
}
