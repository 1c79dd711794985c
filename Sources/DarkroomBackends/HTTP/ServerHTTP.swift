import AsyncHTTPClient
import DarkroomCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The HTTP calls both real backends make: JSON in, status and bytes out, and transport failures already
/// mapped to ``BackendError`` (or `CancellationError`) by ``BackendError/mapTransport(_:)``.
///
/// Every call has a deadline covering the headers and the whole body, and a body-size cap, so a silent, stalling
/// or babbling server cannot hang or exhaust the worker. No `Origin` header is sent: ComfyUI answers 403 when
/// `Origin` and a loopback `Host` differ.
struct ServerHTTP: Sendable {
    let client: HTTPClient
    let baseURL: URL
    let logger: Logger

    init(client: HTTPClient, baseURL: URL, logger: Logger) {
        self.client = client
        self.baseURL = baseURL
        self.logger = logger
    }

    /// The HTTP side of backend `backendID`: its logger tagged with the id, and `client`, or when `nil` the shared
    /// client for these timeouts.
    init(
        backendID: String, baseURL: URL, client: HTTPClient?, connectTimeout: Duration, readTimeout: Duration,
        logger: Logger
    ) {
        var logger = logger
        logger[metadataKey: LogKey.backendID.rawValue] = "\(backendID)"
        self.init(
            client: client ?? .inferenceServers(connectTimeout: connectTimeout, readTimeout: readTimeout),
            baseURL: baseURL, logger: logger)
    }

    /// `baseURL` joined with `path` (which starts with `/`) and the query, each value percent-encoded.
    func url(_ path: String, query: [(String, String)] = []) -> String {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        guard !query.isEmpty else { return base + path }
        let pairs = query.map { "\(Self.percentEncoded($0.0))=\(Self.percentEncoded($0.1))" }
        return base + path + "?" + pairs.joined(separator: "&")
    }

    /// GET `path`.
    func get(
        _ path: String, query: [(String, String)] = [], timeout: Duration, maxBytes: Int
    ) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: url(path, query: query))
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json, */*")
        return try await execute(request, timeout: timeout, maxBytes: maxBytes)
    }

    /// POST `json` to `path`.
    func post(_ path: String, json: Data, timeout: Duration, maxBytes: Int) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: url(path))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: json))
        return try await execute(request, timeout: timeout, maxBytes: maxBytes)
    }

    /// Sends `request` and collects its body, all within `timeout`.
    ///
    /// AsyncHTTPClient's own deadline stops applying once the headers arrive, so a server that sends headers and
    /// then stalls the body would hold the call until the client's read timeout. The whole exchange therefore
    /// races a sleep of `timeout`; the loser is cancelled. A deadline hit is ``BackendError/timedOut``; a
    /// cancelled task still ends with `CancellationError`.
    private func execute(_ request: HTTPClientRequest, timeout: Duration, maxBytes: Int) async throws -> HTTPAnswer {
        do {
            return try await withThrowingTaskGroup(of: HTTPAnswer?.self) { group in
                group.addTask { try await exchange(request, timeout: timeout, maxBytes: maxBytes) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                if let answer = try await group.next() ?? nil { return answer }
                try Task.checkCancellation()
                throw BackendError.timedOut
            }
        } catch {
            throw BackendError.mapTransport(error)
        }
    }

    private func exchange(_ request: HTTPClientRequest, timeout: Duration, maxBytes: Int) async throws -> HTTPAnswer {
        let response = try await client.execute(request, timeout: TimeAmount(timeout), logger: logger)
        let body = try await response.body.collect(upTo: maxBytes)
        // A body cut short by cancellation must not pass for a whole answer.
        try Task.checkCancellation()
        return HTTPAnswer(status: Int(response.status.code), body: Data(body.readableBytesView))
    }

    /// RFC 3986 unreserved characters stay; everything else (`+`, `/`, `&`, spaces, non-ASCII) is escaped.
    static func percentEncoded(_ value: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

extension TimeAmount {
    /// The same span as a NIO `TimeAmount`, saturating instead of overflowing.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        self =
            overflow ? .nanoseconds(.max) : .nanoseconds(whole.addingReportingOverflow(attoseconds / 1_000_000_000).0)
    }
}
