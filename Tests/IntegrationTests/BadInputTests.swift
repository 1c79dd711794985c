import Foundation
import Testing

/// Bad requests get a documented problem+json answer, and the server keeps serving.
@Suite(.serialized)
struct BadInputTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var body: String
        var status: Int
        var code: String

        var description: String { name }
    }

    static let submissions = [
        Case(name: "malformed JSON", body: #"{"prompt": "cut off"#, status: 400, code: "malformed_json"),
        Case(name: "wrong type", body: #"{"prompt":5}"#, status: 422, code: "invalid_type"),
        Case(name: "width 1000", body: #"{"prompt":"p","width":1000}"#, status: 422, code: "invalid_dimension"),
        Case(name: "steps 0", body: #"{"prompt":"p","steps":0}"#, status: 422, code: "invalid_steps"),
        Case(name: "empty prompt", body: #"{"prompt":""}"#, status: 422, code: "prompt_empty"),
        Case(name: "unknown field", body: #"{"prompt":"p","stpes":8}"#, status: 422, code: "unknown_field"),
        Case(
            name: "2 MB body", body: #"{"prompt":""# + String(repeating: "a", count: 2 << 20) + #""}"#, status: 413,
            code: "body_too_large"),
    ]

    @Test("each bad submit gets its problem+json code, an unknown job is 404, and a valid submit still succeeds")
    func badInputKeepsServing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: directory.url, options: ["--sim-gpus", "1", "--sim-seconds", "0.2"])
        defer { server.stop() }
        let api = server.api

        for bad in Self.submissions {
            let answer = try await api.post("/v1/jobs", raw: bad.body)
            Self.expectProblem(answer, status: bad.status, code: bad.code, bad.name)
        }
        for id in ["0190b6a0-0000-7000-8000-000000000000", "not-a-job-id"] {
            Self.expectProblem(try await api.get("/v1/jobs/\(id)"), status: 404, code: "job_not_found", "GET unknown job")
            Self.expectProblem(try await api.cancel(id), status: 404, code: "job_not_found", "cancel unknown job")
        }

        #expect(try await api.get("/healthz").status == 200)
        let job = try await api.submitAccepted(JobRequestBody(prompt: "still serving", width: 256, height: 256))
        #expect(try await api.waitForTerminal(job.id).state == "succeeded")
        #expect(try await api.jobs().count == 1, "no bad request created a job")
        #expect(server.child.isRunning)
    }

    private static func expectProblem(
        _ answer: HTTPAnswer, status: Int, code: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(answer.status == status, "\(name): \(answer.status) \(answer.text)", sourceLocation: sourceLocation)
        #expect(
            answer.contentType.hasPrefix("application/problem+json"), "\(name): Content-Type \(answer.contentType)",
            sourceLocation: sourceLocation)
        let problem = try? answer.decode(ProblemJSON.self)
        #expect(problem?.code == code, "\(name): \(answer.text)", sourceLocation: sourceLocation)
        #expect(problem?.status == status, sourceLocation: sourceLocation)
    }
}
