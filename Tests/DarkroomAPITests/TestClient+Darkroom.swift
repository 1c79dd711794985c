import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

extension TestResponse {
    var bytes: Data { Data(body.readableBytesView) }
    var text: String { String(buffer: body) }
    /// The Content-Type without parameters (`application/problem+json; charset=utf-8` → `application/problem+json`).
    var mediaType: String? {
        headers[.contentType].map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces) }
    }

    /// Checks the RFC 9457 shape every problem shares, and returns the decoded problem.
    @discardableResult
    func expectProblem(
        _ status: HTTPResponse.Status, code: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ProblemBody {
        #expect(self.status == status, sourceLocation: sourceLocation)
        #expect(mediaType == "application/problem+json", sourceLocation: sourceLocation)
        let keys = Set(try jsonObject().keys)
        #expect(keys.isSuperset(of: ["type", "title", "status", "detail", "code"]), sourceLocation: sourceLocation)
        let problem = try decode(ProblemBody.self)
        #expect(problem.code == code, sourceLocation: sourceLocation)
        #expect(problem.status == status.code, sourceLocation: sourceLocation)
        #expect(problem.title == status.reasonPhrase, sourceLocation: sourceLocation)
        #expect(problem.type.hasSuffix(code.replacingOccurrences(of: "_", with: "-")), sourceLocation: sourceLocation)
        return problem
    }

    func decode<Body: Decodable>(_ type: Body.Type) throws -> Body {
        try JSONDecoder.snakeCase.decode(Body.self, from: bytes)
    }

    /// The body as a JSON object, to check which keys are present.
    func jsonObject() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
    }
}

extension TestClientProtocol {
    func get(_ uri: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .get)
    }

    func post(_ uri: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .post)
    }

    /// POSTs `json` to `/v1/jobs` (with extra `headers`), whatever the answer.
    func submit(_ json: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var fields = headers
        fields[.contentType] = "application/json"
        return try await execute(uri: "/v1/jobs", method: .post, headers: fields, body: ByteBuffer(string: json))
    }

    /// Submits a job that must be accepted, and returns it.
    func submitJob(_ json: String = #"{"prompt":"a portrait of Ada Lovelace"}"#) async throws -> JobBody {
        let response = try await submit(json)
        try #require(response.status == .accepted, "\(response.text)")
        return try response.decode(JobBody.self)
    }
}
