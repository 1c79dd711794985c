import Hummingbird
import HummingbirdAuth
import NIOCore

/// The request context of Darkroom's HTTP server: Hummingbird's basics plus the connection, so a handler
/// that holds a request open (a synchronous `/sdapi/v1/txt2img`) sees its client go away, and knows the
/// client's address, and who the request acts as.
public struct GatewayRequestContext: AuthRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request arrived on.
    public let channel: any Channel
    /// Who the request acts as, set by ``AuthenticationGate``.
    public var identity: Principal?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
