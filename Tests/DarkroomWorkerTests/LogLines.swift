import Logging

/// A logger whose messages also go to a stream, so a test can wait for what the code logs right after a change
/// it cannot otherwise see (the breaker's verdict on a probe, for one).
struct LogLines: Sendable {
    /// Every message logged at `notice` or above, in order.
    let messages: AsyncStream<String>
    let logger: Logger

    init() {
        let (messages, continuation) = AsyncStream<String>.makeStream()
        self.messages = messages
        logger = Logger(label: "test") { _ in Handler(continuation: continuation) }
    }

    private struct Handler: LogHandler {
        let continuation: AsyncStream<String>.Continuation
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .notice

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) { continuation.yield(event.message.description) }
    }
}
