import NIOCore

/// Tells a handler that holds a request open when its client goes away.
///
/// Hummingbird allows half-closed connections, so a client that hangs up leaves the channel active; only
/// the end of its input says so, once. The watch puts a handler at the front of the connection's pipeline that
/// reports that event (or the channel closing) from the moment ``start(on:)`` returns until ``stop()``: start it
/// before the client can learn anything that would make it hang up (its job's id), so the event cannot come first.
struct HangUpWatch: Sendable {
    private let channel: any Channel
    private let hangUps: AsyncStream<Void>
    /// The pipeline name of the observing handler.
    private static let handlerName = "darkroom.hang-up-watch"

    /// Starts watching `channel`; `nil` when the channel is already gone (the client has hung up).
    static func start(on channel: any Channel) async -> HangUpWatch? {
        let (hangUps, continuation) = AsyncStream.makeStream(of: Void.self)
        let added = channel.eventLoop.submit { [channel] in
            try channel.pipeline.syncOperations.addHandler(
                Observer(continuation), name: Self.handlerName, position: .first)
        }
        guard (try? await added.get()) != nil, channel.isActive else { return nil }
        return HangUpWatch(channel: channel, hangUps: hangUps)
    }

    /// Returns when the client hangs up, or when the watch stops; with cancellation, returns at once.
    func wait() async {
        for await _ in hangUps { return }
    }

    /// Takes the observing handler out of the pipeline.
    func stop() {
        channel.pipeline.removeHandler(name: Self.handlerName, promise: nil)
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
