import Foundation
import Testing

/// schemathesis 4.32 (PyPI) against the served `/openapi.yaml` of `darkroom serve`: every answer must be
/// declared by the spec (status, content type, headers, body schema, server-sent events included) and none may be
/// a server error, for generated requests (the fuzzing phase) and for chains that follow the spec's links from
/// `POST /v1/jobs` (the stateful phase). A fixed seed makes the run repeat exactly.
@Suite(.timeLimit(.minutes(10)))
struct SchemathesisTests {
    static let checks = [
        "not_a_server_error", "status_code_conformance", "content_type_conformance",
        "response_headers_conformance", "response_schema_conformance",
    ]

    @Test("schemathesis finds no answer the spec does not declare, and no server error")
    func responsesConformToTheSpec() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: directory.url, options: ["--sim-gpus", "2", "--sim-seconds", "0.05"])
        defer { server.stop() }
        let common = [
            "st", "run", "\(server.baseURL)/openapi.yaml", "--checks", Self.checks.joined(separator: ","), "--seed",
            "1",
            // Hypothesis judges its own generation speed; on a machine loaded by stress-ng that says nothing about
            // the API.
            "--suppress-health-check", "too_slow", "--no-color",
        ]
        // The queue's stream has no end of its own (it lasts as long as its client): it is read apart, until a
        // short timeout, while the other operations may take their time.
        let runs = [
            [
                "--phases", "fuzzing,stateful", "--max-examples", "20", "--request-timeout", "60",
                "--exclude-operation-id", "streamQueueEvents",
            ],
            ["--phases", "fuzzing", "--request-timeout", "10", "--include-operation-id", "streamQueueEvents"],
        ]
        for run in runs {
            let (status, output) = try await RepositoryScript.run(common + run, timeout: .seconds(540))
            #expect(status == 0, "\(output.suffix(6000))\n--- server log ---\n\(server.log.suffix(3000))")
            #expect(output.contains("Fuzzing"), "the fuzzing phase ran")
            #expect(!output.contains("❌"), "no phase failed")
        }
    }
}
