import Foundation
import NIOHTTP1
import Testing

/// `darkroom tenants` and `darkroom keys` on an embedded server's store, used while the server runs with
/// `--auth on`, and the keys they make used as a client would: over REST and through the real `webuiapi` client.
@Suite(.timeLimit(.minutes(5)))
struct TenantCommandsTests {
    private func darkroom(_ arguments: [String]) async throws -> String {
        try await DarkroomCommand.output(arguments)
    }

    @Test("tenants and keys made by the commands, also while the server runs, authenticate REST and webuiapi")
    func commandsAndKeys() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = ["--data-dir", directory.url.path]
        let created = try await darkroom(["tenants", "create", "acme", "--weight", "2", "--rate", "300/min"] + store)
        #expect(created.contains("acme weight=2 rate=5/s"))

        let server = try await ServerProcess.start(
            dataDirectory: directory.url, options: ["--auth", "on", "--sim-gpus", "1", "--sim-seconds", "0.3"])
        defer { server.stop() }
        let issued = try await darkroom(["keys", "create", "acme", "--name", "ci"] + store)
        let key = try #require(issued.split(separator: "\n").last.map(String.init))
        #expect(key.hasPrefix("dr_") && key.count == 3 + 12 + 1 + 64)
        let keyID = String(key.dropFirst(3).prefix(12))
        #expect(issued.contains("\(keyID) tenant=acme name=ci"))

        #expect(try await server.api.get("/v1/jobs").status == 401)
        let authorized = [("Authorization", "Bearer \(key)")]
        #expect(try await server.api.request(.GET, "/v1/jobs", headers: authorized).status == 200)

        let (status, output) = try await RepositoryScript.run(
            ["python3", "Tests/IntegrationTests/Scripts/webuiapi_auth.py", server.baseURL, "acme", key],
            timeout: .seconds(120))
        try #require(status == 0, "\(output)\n--- server log ---\n\(server.log)")
        let line = try #require(output.split(separator: "\n").last(where: { $0.hasPrefix("{") }), "\(output)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(report["anonymous_status"] as? Int == 401)
        #expect(report["anonymous_challenge"] as? String == #"Basic realm="darkroom""#)
        #expect(report["images"] as? Int == 1)
        #expect(report["size"] as? [Int] == [512, 512])
        #expect(report["seed"] as? Int == 7)
        #expect(report["wrong_user_status"] as? Int == 401)
        // The job webuiapi made belongs to acme.
        let jobs = try await server.api.request(.GET, "/v1/jobs", headers: authorized).decode(JobPageJSON.self).jobs
        #expect(jobs.count == 1)

        let listed = try await darkroom(["keys", "list", "--tenant", "acme", "--json"] + store)
        #expect(listed.contains(#""id" : "\#(keyID)""#) && !listed.contains(key))
        _ = try await darkroom(["keys", "revoke", keyID] + store)
        // A gateway remembers a key for 5 s: the revocation takes effect within that.
        _ = try await waitUntil("the revoked key is refused", timeout: .seconds(120)) {
            try await server.api.request(.GET, "/v1/jobs", headers: authorized).status == 401 ? true : nil
        }
        let tenants = try await darkroom(["tenants", "list"] + store)
        #expect(tenants.split(separator: "\n").map { $0.split(separator: " ")[0] } == ["acme", "default"])
    }
}
