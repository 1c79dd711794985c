import Hummingbird
import NIOCore

/// The request context of Darkroom's HTTP server: Hummingbird's basics plus the connection, so a handler
/// that holds a request open (a synchronous `/sdapi/v1/txt2img`) sees its client go away, and knows the
/// client's address.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request arrived on.
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
