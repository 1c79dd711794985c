import NIOCore

/// Tells a handler that holds a request open when its client goes away.
///
/// Hummingbird allows half-closed connections, so a client that hangs up leaves the channel active; only
/// the end of its input says so. The watch puts a handler at the front of the connection's pipeline that
/// reports that event (or the channel closing), then takes it out again.
struct HangUpWatch: Sendable {
    let channel: any Channel
    /// The pipeline name of the observing handler.
    private static let handlerName = "darkroom.hang-up-watch"

    /// Returns when the client hangs up; with cancellation, returns at once.
    func wait() async {
        let (events, continuation) = AsyncStream.makeStream(of: Void.self)
        let added = channel.eventLoop.submit { [channel] in
            try channel.pipeline.syncOperations.addHandler(
                Observer(continuation), name: Self.handlerName, position: .first)
        }
        guard (try? await added.get()) != nil else { return }
        defer { channel.pipeline.removeHandler(name: Self.handlerName, promise: nil) }
        if !channel.isActive { return }
        for await _ in events { return }
    }

    private final class Observer: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny
        private let continuation: AsyncStream<Void>.Continuation

        init(_ continuation: AsyncStream<Void>.Continuation) {
            self.continuation = continuation
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case ChannelEvent.inputClosed = event { continuation.yield() }
            context.fireUserInboundEventTriggered(event)
        }

        func channelInactive(context: ChannelHandlerContext) {
            continuation.yield()
            context.fireChannelInactive()
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            continuation.finish()
        }
    }
}
