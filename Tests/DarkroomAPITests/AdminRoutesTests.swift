import DarkroomAPI
import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `/v1/admin`: tenants and keys over HTTP, for admin keys only.
@Suite(.timeLimit(.minutes(5))) struct AdminRoutesTests {
    struct TenantBody: Decodable {
        var name: String
        var weight: Double
        var maxQueued: Int?
        var ratePerSecond: Double?
    }

    struct NewKeyBody: Decodable {
        struct Key: Decodable {
            var id: String
            var tenant: String
            var admin: Bool
            var revokedAt: String?
        }

        var key: Key
        var token: String
    }

    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    private func send(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, key: String, json: String? = nil
    ) async throws -> TestResponse {
        var headers = HTTPFields.bearer(key)
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    @Test("an admin key creates, reads, updates and deletes a tenant; mistakes are 409, 422 and 404")
    func tenantLifecycle() async throws {
        let admin = try await fixture.makeKey(tenant: "ops", admin: true)
        try await fixture.makeApp(configuration: APITestFixture.keysRequired).test(.router) { client in
            let created = try await send(
                client, .post, "/v1/admin/tenants", key: admin, json: #"{"name":"acme","weight":2,"max_queued":5}"#)
            #expect(created.status == .created)
            #expect(try created.decode(TenantBody.self).weight == 2)
            let again = try await send(client, .post, "/v1/admin/tenants", key: admin, json: #"{"name":"acme"}"#)
            try again.expectProblem(.conflict, code: "tenant_exists")
            let heavy = try await send(
                client, .post, "/v1/admin/tenants", key: admin, json: #"{"name":"heavy","weight":0}"#)
            try heavy.expectProblem(.unprocessableContent, code: "invalid_value")

            let updated = try await send(
                client, .put, "/v1/admin/tenants/acme", key: admin, json: #"{"weight":3,"rate_per_second":2}"#)
            let tenant = try updated.decode(TenantBody.self)
            #expect(tenant.weight == 3 && tenant.ratePerSecond == 2 && tenant.maxQueued == nil)
            #expect(try await fixture.store.tenant(named: "acme")?.weight == 3)

            let listed = try await send(client, .get, "/v1/admin/tenants", key: admin)
            #expect(listed.text.contains(#""name":"acme""#))
            #expect(try await send(client, .delete, "/v1/admin/tenants/acme", key: admin).status == .noContent)
            let gone = try await send(client, .get, "/v1/admin/tenants/acme", key: admin)
            try gone.expectProblem(.notFound, code: "tenant_not_found")
        }
    }

    @Test(
        "a limit out of its range is 422 invalid_value naming the field, and creates nothing",
        arguments: [
            (#"{"name":"t","rate_per_second":1e-300}"#, "rate_per_second"),
            (#"{"name":"t","rate_per_second":1e300}"#, "rate_per_second"),
            (#"{"name":"t","burst":0}"#, "burst"), (#"{"name":"t","burst":1000000000}"#, "burst"),
            (#"{"name":"t","daily_gpu_seconds":1e300}"#, "daily_gpu_seconds"),
            (#"{"name":"t","max_running":0}"#, "max_running"),
        ])
    func limitOutOfRange(body: String, field: String) async throws {
        let admin = try await fixture.makeKey(tenant: "ops", admin: true)
        try await fixture.makeApp(configuration: APITestFixture.keysRequired).test(.router) { client in
            let refused = try await send(client, .post, "/v1/admin/tenants", key: admin, json: body)
            #expect(try refused.expectProblem(.unprocessableContent, code: "invalid_value").field == field)
            #expect(try await fixture.store.tenant(named: "t") == nil)
        }
    }

    @Test("a key made over the API is shown once and authenticates; revoking it records when")
    func keys() async throws {
        let admin = try await fixture.makeKey(tenant: "ops", admin: true)
        _ = try await fixture.store.createTenant(Tenant(name: "acme"))
        try await fixture.makeApp(configuration: APITestFixture.keysRequired).test(.router) { client in
            let made = try await send(
                client, .post, "/v1/admin/tenants/acme/keys", key: admin, json: #"{"label":"ci"}"#)
            #expect(made.status == .created)
            let key = try made.decode(NewKeyBody.self)
            #expect(key.key.tenant == "acme" && !key.key.admin && key.token.hasPrefix("dr_\(key.key.id)_"))
            _ = try await client.submitJob(key: key.token)
            let listed = try await send(client, .get, "/v1/admin/tenants/acme/keys", key: admin)
            #expect(listed.text.contains(key.key.id) && !listed.text.contains(key.token))
            let revoked = try await send(client, .post, "/v1/admin/keys/\(key.key.id)/revoke", key: admin)
            #expect(try revoked.decode(NewKeyBody.Key.self).revokedAt != nil)
            let unknown = try await send(client, .post, "/v1/admin/tenants/nobody/keys", key: admin)
            try unknown.expectProblem(.notFound, code: "tenant_not_found")
        }
    }

    @Test("a key that is not an admin key gets 403 admin_required from every admin route")
    func adminOnly() async throws {
        let alpha = try await fixture.makeKey(tenant: "alpha")
        try await fixture.makeApp(configuration: APITestFixture.keysRequired).test(.router) { client in
            let attempts: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/v1/admin/tenants", nil), (.post, "/v1/admin/tenants", #"{"name":"x"}"#),
                (.get, "/v1/admin/tenants/alpha", nil), (.put, "/v1/admin/tenants/alpha", #"{"weight":9}"#),
                (.delete, "/v1/admin/tenants/alpha", nil), (.get, "/v1/admin/tenants/alpha/keys", nil),
                (.post, "/v1/admin/tenants/alpha/keys", nil), (.post, "/v1/admin/keys/abc/revoke", nil),
            ]
            for (method, uri, json) in attempts {
                let answer = try await send(client, method, uri, key: alpha, json: json)
                try answer.expectProblem(.forbidden, code: "admin_required")
            }
            #expect(try await fixture.store.tenant(named: "alpha")?.weight == 1)
        }
    }
}
