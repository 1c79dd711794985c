import AsyncHTTPClient
import NIOCore
import Synchronization

extension HTTPClient {
    /// A process-wide client for inference servers with these timeouts, made on first use and never shut down.
    ///
    /// The real backends use it unless given a client. `HTTPClient.shared` does not suit an inference server:
    /// its 90 s read timeout cuts off any generation (or model load, or queue wait) longer than that, since A1111
    /// sends nothing until the images are done, and it retries a refused connection until its 90 s connect timeout,
    /// so a stopped server would look like a hang instead of ``BackendError/unavailable(_:)``.
    /// One client exists per distinct pair of timeouts (in practice one), like `.shared` living as long as the process.
    public static func inferenceServers(
        connectTimeout: Duration = .seconds(5), readTimeout: Duration = .seconds(600)
    ) -> HTTPClient {
        let key = InferenceClientKey(connectTimeout: connectTimeout, readTimeout: readTimeout)
        return inferenceClients.withLock { clients in
            if let client = clients[key] { return client }
            let client = HTTPClient(
                eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                configuration: .inferenceServers(connectTimeout: connectTimeout, readTimeout: readTimeout))
            clients[key] = client
            return client
        }
    }
}

extension HTTPClient.Configuration {
    /// Settings for talking to inference servers.
    ///
    /// - Parameters:
    ///   - connectTimeout: how long a TCP connection may take; a refused connection fails at once, not after retries.
    ///   - readTimeout: the longest silence allowed while waiting for an answer (a whole generation on A1111).
    public static func inferenceServers(
        connectTimeout: Duration = .seconds(5), readTimeout: Duration = .seconds(600)
    ) -> HTTPClient.Configuration {
        var pool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(60))
        // A refused connection should fail the call now (the worker retries elsewhere), not after a backoff.
        pool.retryConnectionEstablishment = false
        return HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(connectTimeout), read: TimeAmount(readTimeout)),
            connectionPool: pool,
            decompression: .disabled)
    }
}

private struct InferenceClientKey: Hashable, Sendable {
    var connectTimeout: Duration
    var readTimeout: Duration
}

private let inferenceClients = Mutex<[InferenceClientKey: HTTPClient]>([:])
