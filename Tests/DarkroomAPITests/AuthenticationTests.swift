import DarkroomAPI
import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `--auth on`: every route but the health checks needs a live key; failures are 401 problem+json with a challenge.
@Suite(.timeLimit(.minutes(5))) struct AuthenticationTests {
    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    static let guardedRoutes: [(HTTPRequest.Method, String)] = [
        (.get, "/v1/jobs"), (.post, "/v1/jobs"), (.get, "/v1/jobs/0190d3a6-7b1c-7000-8000-000000000001"),
        (.post, "/v1/jobs/0190d3a6-7b1c-7000-8000-000000000001/cancel"),
        (.get, "/v1/jobs/0190d3a6-7b1c-7000-8000-000000000001/events"),
        (.get, "/v1/jobs/0190d3a6-7b1c-7000-8000-000000000001/deliveries"),
        (.get, "/v1/images/0190d3a6-7b1c-7000-8000-000000000001-0.png"), (.get, "/v1/queue"),
        (.get, "/v1/queue/events"), (.get, "/internal/stats"), (.get, "/openapi.yaml"), (.get, "/v1/no-such-route"),
        (.post, "/sdapi/v1/txt2img"), (.get, "/sdapi/v1/progress"), (.post, "/sdapi/v1/interrupt"),
        (.get, "/sdapi/v1/options"), (.get, "/sdapi/v1/sd-models"), (.get, "/sdapi/v1/memory"),
    ]

    @Test("without a key every route but /healthz, /readyz and /metrics is 401 authentication_required")
    func everyRouteNeedsAKey() async throws {
        try await fixture.makeApp(configuration: APITestFixture.keysRequired).test(.router) { client in
            for (method, path) in Self.guardedRoutes {
                let response = try await client.execute(uri: path, method: method)
                try response.expectProblem(.unauthorized, code: "authentication_required")
                let challenge = path.hasPrefix("/sdapi/") ? #"Basic realm="darkroom""# : #"Bearer realm="darkroom""#
                #expect(response.headers[.wwwAuthenticate] == challenge, "\(method) \(path)")
            }
            for path in ["/healthz", "/readyz", "/metrics"] {
                #expect(try await client.get(path).status == .ok, "\(path)")
            }
        }
    }

    @Test("/metrics needs a key too with metricsNeedKey")
    func metricsBehindItsFlag() async throws {
        var configuration = APITestFixture.keysRequired
        configuration.metricsNeedKey = true
        let key = try await fixture.makeKey(tenant: "alpha")
        try await fixture.makeApp(configuration: configuration).test(.router) { client in
            try await client.get("/metrics").expectProblem(.unauthorized, code: "authentication_required")
            #expect(try await client.get("/metrics", key: key).status == .ok)
        }
    }

    @Test("a malformed, unknown, wrong-secret or revoked key is 401 invalid_api_key and never echoed")
    func invalidKeys() async throws {
        let key = try await fixture.makeKey(tenant: "alpha")
        let revoked = try await fixture.makeKey(tenant: "alpha")
        let revokedID = try #require(revoked.split(separator: "_").dropFirst().first)
        _ = try await fixture.store.revokeKey(id: String(revokedID), now: nil)
        let wrongSecret = String(key.dropLast()) + (key.hasSuffix("0") ? "1" : "0")
        let unknown = APIKeyToken.generate().text
        try await fixture.makeApp(configuration: APITestFixture.keysRequired).test(.router) { client in
            #expect(try await client.get("/v1/jobs", key: key).status == .ok)
            for presented in ["not-a-key", unknown, wrongSecret, revoked] {
                let response = try await client.get("/v1/jobs", key: presented)
                try response.expectProblem(.unauthorized, code: "invalid_api_key")
                #expect(!response.text.contains(presented))
            }
        }
    }

    @Test("/sdapi/v1 takes basic auth with the tenant's name as the user; another tenant's name is refused")
    func basicAuth() async throws {
        let key = try await fixture.makeKey(tenant: "alpha")
        _ = try await fixture.makeKey(tenant: "beta")
        try await fixture.makeApp(configuration: APITestFixture.keysRequired).test(.router) { client in
            let accepted = try await client.execute(
                uri: "/sdapi/v1/progress", method: .get, headers: .basic(user: "alpha", password: key))
            #expect(accepted.status == .ok)
            let refused = try await client.execute(
                uri: "/sdapi/v1/progress", method: .get, headers: .basic(user: "beta", password: key))
            try refused.expectProblem(.unauthorized, code: "invalid_api_key")
        }
    }

    @Test("with authentication off, jobs belong to the default tenant and every request sees them")
    func openMode() async throws {
        try await fixture.makeApp().test(.router) { client in
            let job = try await client.submitJob()
            #expect(try await fixture.store.job(id: try #require(JobID(parsing: job.id)))?.tenant == "default")
            #expect(try await client.get("/v1/jobs/\(job.id)").status == .ok)
        }
    }
}
