import DarkroomAPI
import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

extension APITestFixture {
    /// The fixture's configuration with API keys required.
    static let keysRequired: APIConfiguration = {
        var configuration = APITestFixture.configuration
        configuration.requiresKeys = true
        return configuration
    }()

    /// Creates tenant `name` (unless it exists) and a key for it; returns the key as a client sends it.
    func makeKey(tenant name: String, admin: Bool = false) async throws -> String {
        if try await store.tenant(named: name) == nil { _ = try await store.createTenant(Tenant(name: name)) }
        let token = APIKeyToken.generate()
        _ = try await store.createKey(
            APIKey(id: token.id, tenant: name, isAdmin: admin), secretHash: token.secretHash)
        return token.text
    }
}

extension HTTPFields {
    /// `Authorization: Bearer <key>`.
    static func bearer(_ key: String) -> HTTPFields { [.authorization: "Bearer \(key)"] }

    /// `Authorization: Basic …` with `user` and `password`, as A1111 clients send it.
    static func basic(user: String, password: String) -> HTTPFields {
        [.authorization: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()]
    }
}

extension TestClientProtocol {
    func get(_ uri: String, key: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: .bearer(key))
    }

    func post(_ uri: String, key: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .post, headers: .bearer(key))
    }

    /// Submits a job as the tenant of `key`; it must be accepted.
    func submitJob(key: String, _ json: String = #"{"prompt":"a portrait"}"#) async throws -> JobBody {
        let response = try await submit(json, headers: .bearer(key))
        guard response.status == .accepted else { throw TestFailure(response.text) }
        return try response.decode(JobBody.self)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
