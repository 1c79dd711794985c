/// One event of a `text/event-stream`: its type (`event:`, `message` when absent) and its data lines joined.
public struct ServerSentEvent: Sendable, Equatable {
    public var event: String
    public var data: String

    public init(event: String, data: String) {
        self.event = event
        self.data = data
    }
}
