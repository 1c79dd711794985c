import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// How Darkroom's HTTP servers keep slow or numerous clients from holding them:
///
/// - A connection that has not sent a whole request header within ``headerTimeout`` of opening (or of its last
///   answer, between requests) is closed, like nginx's `client_header_timeout`. A request being answered (an
///   event stream, a long wait) is never cut by it.
/// - Past ``maxConnections`` open connections, a new connection may still ask for `/healthz` and `/readyz`
///   (so an orchestrator's probes keep working); any other request on it is answered 503
///   `too_many_connections` with `Retry-After` and the connection closed. Past ``maxConnections`` plus
///   ``probeReserve`` the server stops accepting until connections close.
public struct ConnectionPolicy: Sendable {
    public var headerTimeout: Duration
    public var maxConnections: Int
    /// Connections accepted past the limit, for probes.
    public static let probeReserve = 256

    public init(headerTimeout: Duration = .seconds(60), maxConnections: Int? = nil) {
        self.headerTimeout = headerTimeout
        self.maxConnections = maxConnections ?? Self.defaultMaxConnections
    }

    /// 10,000, or fewer when the process's open-file limit would not hold them with room for the store, the
    /// images and the probe reserve.
    public static var defaultMaxConnections: Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 10_000 }
        return max(16, min(10_000, Int(clamping: limit.rlim_cur) - probeReserve - 512))
    }

    /// The HTTP/1.1 server of an `Application` that follows this policy.
    public func server() -> HTTPServerBuilder {
        let counter = ConnectionCounter(limit: maxConnections)
        return .http1(
            configuration: .init(
                additionalChannelHandlers: [ConnectionLimitHandler(counter: counter)],
                idleTimeout: TimeAmount(headerTimeout)))
    }

    /// The accept limit for the `Application`'s configuration: the connection limit plus the probe reserve.
    public var acceptLimit: MaximumAvailableConnections {
        MaximumAvailableConnections(maxConnections + Self.probeReserve)
    }
}

/// Open connections of one server, shared by its connections' handlers.
final class ConnectionCounter: Sendable {
    let limit: Int
    private let open = Atomic(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts a new connection; returns whether it is past the limit.
    func opened() -> Bool {
        open.wrappingAdd(1, ordering: .relaxed).newValue > limit
    }

    func closed() {
        open.wrappingSubtract(1, ordering: .relaxed)
    }
}
