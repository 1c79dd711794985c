/// How webhooks are signed, guarded and retried.
public struct WebhookConfiguration: Sendable {
    /// The signing secret (`--webhook-secret`); without one, jobs with a `webhook_url` are refused.
    public var secret: WebhookSecret?
    /// Whether loopback, private and link-local targets are allowed (`--allow-private-webhooks`).
    public var allowPrivateTargets: Bool
    /// The wait before the first retry; each later one waits twice as long, up to ``maximumRetryDelay``.
    public var firstRetryDelay: Duration
    public var maximumRetryDelay: Duration
    /// How long after its event a delivery is still retried (24 hours).
    public var retryWindow: Duration
    /// How long one POST may take, connection included.
    public var requestTimeout: Duration
    /// How often an idle dispatcher looks for due deliveries.
    public var pollInterval: Duration
    /// Deliveries a dispatcher makes at once.
    public var concurrency: Int
    /// How long a dispatcher holds a delivery it claimed before another may take it.
    public var lease: Duration

    public init(
        secret: WebhookSecret? = nil, allowPrivateTargets: Bool = false, firstRetryDelay: Duration = .seconds(5),
        maximumRetryDelay: Duration = .seconds(3_600), retryWindow: Duration = .seconds(24 * 3_600),
        requestTimeout: Duration = .seconds(10), pollInterval: Duration = .milliseconds(250), concurrency: Int = 16,
        lease: Duration = .seconds(60)
    ) {
        self.secret = secret
        self.allowPrivateTargets = allowPrivateTargets
        self.firstRetryDelay = firstRetryDelay
        self.maximumRetryDelay = maximumRetryDelay
        self.retryWindow = retryWindow
        self.requestTimeout = requestTimeout
        self.pollInterval = pollInterval
        self.concurrency = concurrency
        self.lease = lease
    }

    /// The wait after failed attempt `number` (1 for the first): 5 s, 10 s, 20 s… up to an hour by default.
    public func retryDelay(afterAttempt number: Int) -> Duration {
        let doublings = min(max(number - 1, 0), 30)
        let delay = firstRetryDelay * (1 << doublings)
        return min(delay, maximumRetryDelay)
    }
}
