import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// One connection's part of ``ConnectionPolicy``: counts the connection, and when it opened past the limit,
/// lets through only requests for the probes; any other request is answered 503 `too_many_connections` here,
/// before the router, and the connection closed.
final class ConnectionLimitHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The paths a connection past the limit may ask for.
    static let probePaths: Set<String> = ["/healthz", "/readyz"]

    private let counter: ConnectionCounter
    private var isCounted = false
    private var isPastLimit = false
    /// A refused request's body, still arriving: dropped.
    private var isRefusing = false

    init(counter: ConnectionCounter) {
        self.counter = counter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        isCounted = true
        isPastLimit = counter.opened()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if isCounted { counter.closed() }
        isCounted = false
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .head(let request) = part, isPastLimit,
            !Self.probePaths.contains(String((request.path ?? "").prefix { $0 != "?" }))
        {
            isRefusing = true
            refuse(context: context)
            return
        }
        guard !isRefusing else { return }
        context.fireChannelRead(data)
    }

    private func refuse(context: ChannelHandlerContext) {
        let body = ByteBuffer(
            string: #"{"code":"too_many_connections","detail":"the server holds too many connections; "#
                + #"try again shortly","status":503,"title":"Service Unavailable","#
                + #""type":"https://darkroom.dev/problems/too-many-connections"}"#)
        var head = HTTPResponse(status: .serviceUnavailable)
        head.headerFields[.contentType] = "application/problem+json; charset=utf-8"
        head.headerFields[.contentLength] = "\(body.readableBytes)"
        head.headerFields[.retryAfter] = "1"
        head.headerFields[.connection] = "close"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in boundContext.value.close(promise: nil) }
    }
}
