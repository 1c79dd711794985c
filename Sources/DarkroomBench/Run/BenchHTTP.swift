import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The bench's HTTP calls to one target, over the run's shared client.
///
/// Calls throw ``TransactionFailure`` for transport errors and `CancellationError` when the run stops; they
/// do not judge statuses. Each call is bounded by the client's read timeout, and the whole transaction by the
/// runner's deadline.
struct BenchHTTP: Sendable {
    /// A whole answer: status, the `Retry-After` header, and the body.
    struct Answer: Sendable {
        var status: Int
        var retryAfter: String?
        var body: ByteBuffer

        var isSuccess: Bool { (200..<300).contains(status) }
    }

    let client: HTTPClient
    let target: URL
    let logger: Logger
    /// The most one answer's body may hold (an A1111 answer carries base64 PNGs).
    var maximumBodyBytes = 64 << 20

    /// The client a run shares: a connection for each of `connections` transactions that can be in flight,
    /// every read bounded by `readTimeout`, no redirects (responses are uncompressed, the client's default), and
    /// a refused connection is an error at once rather than retried until the connect timeout.
    static func makeClient(connections: Int, readTimeout: Duration) -> HTTPClient {
        var pool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(60))
        pool.retryConnectionEstablishment = false
        pool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections
        return HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: .init(connect: .seconds(10), read: TimeAmount(readTimeout)), connectionPool: pool))
    }

    /// `target` joined with `path` (which starts with `/`).
    func url(_ path: String) -> String {
        var base = target.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }

    func get(_ path: String, headers: [(String, String)] = [], timeout: Duration) async throws -> Answer {
        var request = HTTPClientRequest(url: url(path))
        request.headers.add(contentsOf: headers)
        request.headers.add(name: "Accept", value: "application/json")
        return try await collect(request, timeout: timeout)
    }

    func post(
        _ path: String, json: Data, headers: [(String, String)] = [], timeout: Duration
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url(path))
        request.method = .POST
        request.headers.add(contentsOf: headers)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: json))
        return try await collect(request, timeout: timeout)
    }

    /// Opens `GET path` as an event stream; the caller reads (and so bounds) the body.
    func events(_ path: String, timeout: Duration) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url(path))
        request.headers.add(name: "Accept", value: "text/event-stream")
        return try await transport { try await client.execute(request, timeout: TimeAmount(timeout), logger: logger) }
    }

    private func collect(_ request: HTTPClientRequest, timeout: Duration) async throws -> Answer {
        try await transport {
            let response = try await client.execute(request, timeout: TimeAmount(timeout), logger: logger)
            let body = try await response.body.collect(upTo: maximumBodyBytes)
            return Answer(
                status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"), body: body)
        }
    }

    /// Runs `call`, turning transport errors into ``TransactionFailure``; cancellation stays `CancellationError`.
    func transport<T>(_ call: () async throws -> T) async throws -> T {
        do {
            return try await call()
        } catch let error as HTTPClientError where error == .cancelled {
            throw CancellationError()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            try Task.checkCancellation()
            throw TransactionFailure(transport: error)
        }
    }
}

extension TimeAmount {
    /// The same span as a NIO `TimeAmount`, to the nanosecond (saturating).
    init(_ duration: Duration) {
        let nanoseconds = (duration.inSeconds * 1e9).rounded()
        self = .nanoseconds(nanoseconds >= Double(Int64.max) ? .max : Int64(nanoseconds))
    }
}
