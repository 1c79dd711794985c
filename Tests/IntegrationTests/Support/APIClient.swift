import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP answer, fully read.
struct HTTPAnswer: Sendable {
    var status: Int
    var contentType: String
    var location: String?
    var retryAfter: String? = nil
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    func decode<Value: Decodable>(_ type: Value.Type = Value.self) throws -> Value {
        try JSONDecoder.api.decode(Value.self, from: body)
    }
}

/// A thin client for a running server's REST API over real HTTP (`HTTPClient.forTests`).
struct APIClient: Sendable {
    let baseURL: String

    func request(
        _ method: HTTPMethod, _ path: String, body: Data? = nil, contentType: String = "application/json",
        headers: [(String, String)] = [], timeout: TimeAmount = .seconds(120)
    ) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        request.headers.add(contentsOf: headers)
        let response = try await HTTPClient.forTests.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return HTTPAnswer(
            status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type") ?? "",
            location: response.headers.first(name: "Location"), retryAfter: response.headers.first(name: "Retry-After"),
            body: Data(bytes.readableBytesView))
    }

    func get(_ path: String) async throws -> HTTPAnswer {
        try await request(.GET, path)
    }

    func post(_ path: String, raw: String) async throws -> HTTPAnswer {
        try await request(.POST, path, body: Data(raw.utf8))
    }

    /// POST /v1/jobs with an encoded request.
    func submit(_ job: JobRequestBody) async throws -> HTTPAnswer {
        try await request(.POST, "/v1/jobs", body: try JSONEncoder().encode(job))
    }

    /// POST /v1/jobs, requiring 202; returns the accepted job.
    func submitAccepted(_ job: JobRequestBody) async throws -> JobJSON {
        let answer = try await submit(job)
        guard answer.status == 202 else { throw UnexpectedAnswer(what: "POST /v1/jobs", answer: answer) }
        return try answer.decode()
    }

    func job(_ id: String) async throws -> JobJSON {
        let answer = try await get("/v1/jobs/\(id)")
        guard answer.status == 200 else { throw UnexpectedAnswer(what: "GET /v1/jobs/\(id)", answer: answer) }
        return try answer.decode()
    }

    /// Every job, newest first (one page of up to 500).
    func jobs() async throws -> [JobJSON] {
        let answer = try await get("/v1/jobs?limit=500")
        guard answer.status == 200 else { throw UnexpectedAnswer(what: "GET /v1/jobs", answer: answer) }
        return try answer.decode(JobPageJSON.self).jobs
    }

    func cancel(_ id: String) async throws -> HTTPAnswer {
        try await request(.POST, "/v1/jobs/\(id)/cancel")
    }

    func queue() async throws -> QueueJSON {
        let answer = try await get("/v1/queue")
        guard answer.status == 200 else { throw UnexpectedAnswer(what: "GET /v1/queue", answer: answer) }
        return try answer.decode()
    }

    /// Polls until the job is in a terminal state.
    func waitForTerminal(_ id: String, timeout: Duration = .seconds(120)) async throws -> JobJSON {
        try await waitUntil("job \(id) finishes", timeout: timeout, reading: { try await job(id) }, until: \.isTerminal)
    }

    /// Polls until every job of `ids` is terminal; returns them all.
    func waitForAllTerminal(_ ids: Set<String>, timeout: Duration = .seconds(180)) async throws -> [JobJSON] {
        try await waitUntil(
            "all \(ids.count) jobs finish", timeout: timeout,
            reading: { try await jobs().filter { ids.contains($0.id) } },
            until: { jobs in jobs.count == ids.count && jobs.allSatisfy(\.isTerminal) })
    }
}

/// An answer a helper did not expect; the body is kept for the failure message.
struct UnexpectedAnswer: Error, CustomStringConvertible {
    var what: String
    var answer: HTTPAnswer

    var description: String { "\(what) answered \(answer.status) \(answer.contentType): \(answer.text)" }
}

extension JSONDecoder {
    /// Decodes the API's snake_case JSON into camelCase properties.
    static var api: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
