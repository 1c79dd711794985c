import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes

/// An RFC 9457 problem: the one shape every Darkroom error takes on the wire.
struct Problem: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var detail: String
    var field: String?
    /// Seconds the client should wait before trying again (sent as `Retry-After`).
    var retryAfterSeconds: Int?
    /// More header fields the answer carries (the rate-limit fields of a `rate_limited` refusal).
    var headers = HTTPFields()

    init(
        _ status: HTTPResponse.Status, code: String, detail: String, field: String? = nil, retryAfterSeconds: Int? = nil
    ) {
        self.status = status
        self.code = code
        self.detail = detail
        self.field = field
        self.retryAfterSeconds = retryAfterSeconds
    }

    init(_ status: HTTPResponse.Status, _ code: ProblemCode, detail: String, field: String? = nil) {
        self.init(status, code: code.rawValue, detail: detail, field: field)
    }

    var body: Components.Schemas.Problem {
        Components.Schemas.Problem(
            _type: "https://darkroom.dev/problems/\(code.replacingOccurrences(of: "_", with: "-"))",
            title: status.reasonPhrase, status: status.code, detail: detail, code: code, field: field)
    }

    /// The declared problem response of an operation.
    var response: Components.Responses.Problem { .init(body: .applicationProblemJson(body)) }

    /// The problem as raw JSON bytes, for paths outside the generated handlers.
    var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(body)) ?? Data()
    }

    static let contentType = "application/problem+json; charset=utf-8"
}

extension Problem {
    /// The problem for a domain validation failure.
    init(_ error: ValidationError) {
        self.init(.unprocessableContent, code: error.code, detail: error.message, field: error.field)
    }

    /// The problem for a store failure: missing jobs, conflicts, and an unreachable database (503).
    init(_ error: JobStoreError) {
        switch error {
        case .notFound(let id):
            self.init(.notFound, .jobNotFound, detail: "no job has id \(id)")
        case .conflict(let id, let state):
            self.init(.conflict, .jobConflict, detail: "job \(id) is \(state.rawValue)")
        case .leaseLost(let id):
            self.init(.conflict, .jobConflict, detail: "job \(id) changed while the request ran")
        case .idempotencyKeyReused(let id):
            self.init(
                .unprocessableContent, .idempotencyKeyReused,
                detail: "this Idempotency-Key already names job \(id), submitted with a different body",
                field: "Idempotency-Key")
        case .unavailable:
            self.init(
                .serviceUnavailable, code: ProblemCode.storeUnavailable.rawValue,
                detail: "the job store is unavailable; try again shortly", retryAfterSeconds: 5)
        }
    }

    static func jobNotFound(_ id: String) -> Problem {
        Problem(.notFound, .jobNotFound, detail: "no job has id \(id)")
    }
}
