import Foundation
import HummingbirdTesting
import NIOCore

/// A client of a live test server whose read timeout only guards against a hang.
///
/// HummingbirdTesting's `.live` client gives up after 20 s without a byte: on a loaded CI machine (two cores, the
/// whole suite in parallel, stress-ng) a plain submit has overrun that. These wait up to 10 minutes; each suite's
/// time limit bounds a test anyway. A call that waits for its job needs a client of its own (one connection each).
enum PatientTestClient {
    /// Runs `body` with a connected client of 127.0.0.1:`port`, shut down afterwards.
    static func with<Value: Sendable>(
        port: Int?, _ body: (TestClient) async throws -> Value
    ) async throws -> Value {
        guard let port else { throw NotLive() }
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(600)))
        client.connect()
        do {
            let value = try await body(client)
            try await client.shutdown()
            return value
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// The test framework gave no port: it is not a live server.
    struct NotLive: Error {}
}

extension TestClient.Response {
    var bytes: Data { Data((body ?? ByteBuffer()).readableBytesView) }

    func decode<Body: Decodable>(_ type: Body.Type) throws -> Body {
        try JSONDecoder.snakeCase.decode(Body.self, from: bytes)
    }

    /// The body as a JSON object, to check which keys are present.
    func jsonObject() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: bytes) as? [String: Any] else { throw NotAnObject() }
        return object
    }

    /// The body is JSON, but not an object.
    struct NotAnObject: Error {}
}
