import DarkroomCore
import Foundation

/// How the REST API validates, admits and describes jobs.
public struct APIConfiguration: Sendable {
    /// Request bodies larger than this are refused with 413 `body_too_large`.
    public var maxBodyBytes: Int
    /// Defaults for the generation fields a request leaves out.
    public var defaults: GenerationDefaults
    /// Attempts each new job gets (the first included).
    public var maxAttempts: Int
    /// The window over which recent rates (throughput, mean service time, error rate) are computed.
    public var recentWindow: Duration
    /// How long queue figures read from the store are reused before they are read again.
    public var statsCacheDuration: Duration
    /// How often an event stream re-reads its job, in case the change feed dropped a change.
    public var eventPollInterval: Duration
    /// Jobs ahead of a queued job are counted exactly up to this many; past it, its position is estimated
    /// from the queue's depth, so a submit or a read costs the same with 1,000 or 100,000 jobs queued.
    public var exactPositionLimit: Int
    /// Submit-to-finish time the farm should hold; `darkroom_desired_workers` asks for the workers that clear the
    /// queue within it (see ``WorkerDemand``).
    public var latencyTargetSeconds: Double
    /// Signing, address checks and retries of webhooks.
    public var webhooks: WebhookConfiguration
    /// The deadline of a job whose client states none, after its acceptance; `nil`: none.
    public var defaultDeadline: Duration?
    /// The longest predicted wait a job without a deadline is admitted with; past it, 429 `queue_full`.
    public var maxQueueSeconds: Double
    /// The longest predicted wait a `/sdapi/v1/txt2img` call is admitted with (its caller waits on the
    /// connection); past it, 429 in WebUI's error shape.
    public var webuiMaxWaitSeconds: Double
    /// While a queue stands (a job was refused for its deadline and the queue has not emptied since), a job with
    /// a deadline is admitted only with a predicted wait under this many seconds (``ControlledDelay``); `nil`: no
    /// such limit (the server's option defaults to 10 s).
    public var standingQueueTarget: Double?
    /// How long after its `Retry-After` a refused client's held place waits for it (``AdmissionLedger``).
    public var heldPlaceGrace: Duration
    /// Whether every route but the health checks needs an API key (``AuthenticationGate``); off, every request acts
    /// as the one open tenant.
    public var requiresKeys: Bool
    /// Whether `/metrics` needs a key too (when ``requiresKeys`` is on).
    public var metricsNeedKey: Bool
    /// Seconds on a monotonic clock, for the tenants' token buckets; tests replace it with one they move.
    public var rateClock: @Sendable () -> Double = APIConfiguration.monotonicSeconds
    /// The time of day, for the tenants' daily GPU-seconds quotas (UTC days) and the recent window of the queue's
    /// figures; tests replace it.
    public var wallClock: @Sendable () -> Date = { Date() }

    /// Seconds since this process first asked, on the continuous clock.
    public static let monotonicSeconds: @Sendable () -> Double = {
        let origin = ContinuousClock.now
        return { (ContinuousClock.now - origin).seconds }
    }()

    public init(
        maxBodyBytes: Int = 1 << 20, defaults: GenerationDefaults = .awPortraitZ,
        maxAttempts: Int = RetryPolicy.default.maxAttempts, recentWindow: Duration = .seconds(60),
        statsCacheDuration: Duration = .seconds(1), eventPollInterval: Duration = .seconds(2),
        exactPositionLimit: Int = 1_000, latencyTargetSeconds: Double = 30,
        webhooks: WebhookConfiguration = WebhookConfiguration(), defaultDeadline: Duration? = nil,
        maxQueueSeconds: Double = 3_600, webuiMaxWaitSeconds: Double = 300,
        standingQueueTarget: Double? = nil, heldPlaceGrace: Duration = .seconds(10), requiresKeys: Bool = false,
        metricsNeedKey: Bool = false
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.defaults = defaults
        self.maxAttempts = maxAttempts
        self.recentWindow = recentWindow
        self.statsCacheDuration = statsCacheDuration
        self.eventPollInterval = eventPollInterval
        self.exactPositionLimit = exactPositionLimit
        self.latencyTargetSeconds = latencyTargetSeconds
        self.webhooks = webhooks
        self.defaultDeadline = defaultDeadline
        self.maxQueueSeconds = maxQueueSeconds
        self.webuiMaxWaitSeconds = webuiMaxWaitSeconds
        self.standingQueueTarget = standingQueueTarget
        self.heldPlaceGrace = heldPlaceGrace
        self.requiresKeys = requiresKeys
        self.metricsNeedKey = metricsNeedKey
    }
}
