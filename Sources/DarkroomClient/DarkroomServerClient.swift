import AsyncHTTPClient
import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

/// A typed client for a Darkroom server's REST API, generated from the same OpenAPI document the server is.
public struct DarkroomServerClient: Sendable {
    /// The parameters of a submission; `nil` fields take the server's defaults.
    public struct Submission: Sendable {
        public var prompt: String
        public var width: Int?
        public var height: Int?
        public var steps: Int?
        public var seed: Int64?
        public var priority: Int?

        public init(
            prompt: String, width: Int? = nil, height: Int? = nil, steps: Int? = nil, seed: Int64? = nil,
            priority: Int? = nil
        ) {
            self.prompt = prompt
            self.width = width
            self.height = height
            self.steps = steps
            self.seed = seed
            self.priority = priority
        }
    }

    /// The server answered with a problem (RFC 9457) or an unexpected status.
    public struct ServerProblem: Error, CustomStringConvertible {
        public var status: Int
        public var code: String
        public var detail: String

        public var description: String { "\(detail) (\(code), HTTP \(status))" }
    }

    private let client: Client

    public init(serverURL: URL) {
        client = Client(
            serverURL: serverURL, configuration: .init(dateTranscoder: .iso8601WithFractionalSeconds),
            transport: AsyncHTTPClientTransport())
    }

    public func submit(_ submission: Submission) async throws -> JobSnapshot {
        let body = Components.Schemas.JobRequest(
            prompt: submission.prompt, width: submission.width, height: submission.height, steps: submission.steps,
            seed: submission.seed, priority: submission.priority)
        switch try await client.createJob(body: .json(body)) {
        case .accepted(let accepted): return JobSnapshot(try accepted.body.json)
        case .ok(let finished): return JobSnapshot(try finished.body.json)
        case .badRequest(let problem), .contentTooLarge(let problem), .unprocessableContent(let problem),
            .serviceUnavailable(let problem):
            throw ServerProblem(try problem.body.applicationProblemJson)
        case .undocumented(let status, _):
            throw ServerProblem(status: status, code: "unexpected_status", detail: "unexpected answer")
        }
    }

    public func job(id: String) async throws -> JobSnapshot {
        switch try await client.getJob(path: .init(id: id)) {
        case .ok(let ok): return JobSnapshot(try ok.body.json)
        case .notFound(let problem): throw ServerProblem(try problem.body.applicationProblemJson)
        case .undocumented(let status, _):
            throw ServerProblem(status: status, code: "unexpected_status", detail: "unexpected answer")
        }
    }

    /// The PNG at an image URL path returned in a job (`/v1/images/NAME`).
    public func image(url: String) async throws -> Data {
        let name = String(url.split(separator: "/").last ?? "")
        switch try await client.getImage(path: .init(name: name)) {
        case .ok(let ok): return try await Data(collecting: try ok.body.png, upTo: 256 << 20)
        case .notFound(let problem): throw ServerProblem(try problem.body.applicationProblemJson)
        case .undocumented(let status, _):
            throw ServerProblem(status: status, code: "unexpected_status", detail: "unexpected answer")
        }
    }
}

extension DarkroomServerClient.ServerProblem {
    init(_ problem: Components.Schemas.Problem) {
        self.init(status: problem.status, code: problem.code, detail: problem.detail ?? problem.title)
    }
}
