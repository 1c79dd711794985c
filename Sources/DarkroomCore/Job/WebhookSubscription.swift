/// Where a job's state changes are delivered, and which ones.
public struct WebhookSubscription: Sendable, Equatable {
    /// The receiver's `http` or `https` URL.
    public var url: String
    /// The events delivered, in the client's order.
    public var events: [WebhookEvent]

    public init(url: String, events: [WebhookEvent] = WebhookEvent.terminal) {
        self.url = url
        self.events = events
    }
}

/// A job event a webhook can subscribe to: `job.` and the state the job entered.
public enum WebhookEvent: String, Sendable, Codable, CaseIterable {
    case running = "job.running"
    case succeeded = "job.succeeded"
    case failed = "job.failed"
    case canceled = "job.canceled"
    case expired = "job.expired"

    /// What a subscription without `webhook_events` gets: the ends of a job.
    public static let terminal: [WebhookEvent] = [.succeeded, .failed, .canceled, .expired]
}
