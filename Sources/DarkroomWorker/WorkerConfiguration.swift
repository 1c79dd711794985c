import DarkroomBackends
import DarkroomCore

/// How a worker leases, times out, retries and drains jobs.
public struct WorkerConfiguration: Sendable {
    /// Identifies this worker process in leases and logs.
    public var workerID: String
    /// How long a claim lasts without a heartbeat.
    public var leaseDuration: Duration
    /// How often a running job's lease is extended (well under `leaseDuration`).
    public var heartbeatInterval: Duration
    /// An attempt running longer than this is interrupted and retried.
    public var jobTimeout: Duration
    /// How often an idle slot looks for work when no enqueue notification arrives.
    public var pollInterval: Duration
    /// On graceful shutdown, running jobs get this long to finish before they are handed back to the queue.
    public var drainTimeout: Duration
    public var retryPolicy: RetryPolicy
    /// How often the pool announces its slots in the store, for gateways in other processes.
    public var announceInterval: Duration
    /// Progress is written at most this often per job (the last step never is: the completion records it), since
    /// every write is a database round trip and, in a cluster, a notification to every other process. Zero writes
    /// every step.
    public var progressInterval: Duration
    /// Per-backend circuit breaker (nginx `max_fails` / `fail_timeout`).
    public var breakerPolicy: BreakerPolicy
    /// The breakers' clock: the continuous clock, or in a test one that moves only when the test says.
    public var breakerClock: @Sendable () -> ContinuousClock.Instant
    /// How long a queued job may be passed over in favour of jobs for the model a backend has loaded
    /// (and for jobs that did not just fail on the claiming backend). Bounds the wait affinity can add.
    public var affinityWindow: Duration
    /// A health check that has not answered within this long counts as unreachable.
    public var healthTimeout: Duration
    /// Whether a slot claims its next job when its running request reaches the last step, so the server gets
    /// the next request the moment it answers (see `TurnBook`). Off, a slot claims only when it is free.
    public var claimsAhead: Bool
    /// A watched job's backend makes a preview at most this often (docs/studio.md, "Live previews").
    public var previewInterval: Duration

    public init(
        workerID: String, leaseDuration: Duration = .seconds(30), heartbeatInterval: Duration = .seconds(10),
        jobTimeout: Duration = .seconds(300), pollInterval: Duration = .seconds(1),
        drainTimeout: Duration = .seconds(30),
        retryPolicy: RetryPolicy = .default, announceInterval: Duration = .seconds(5),
        progressInterval: Duration = .milliseconds(250), breakerPolicy: BreakerPolicy = BreakerPolicy(),
        affinityWindow: Duration = .seconds(30), healthTimeout: Duration = .seconds(3), claimsAhead: Bool = true,
        previewInterval: Duration = .seconds(1),
        breakerClock: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.workerID = workerID
        self.leaseDuration = leaseDuration
        self.heartbeatInterval = heartbeatInterval
        self.jobTimeout = jobTimeout
        self.pollInterval = pollInterval
        self.drainTimeout = drainTimeout
        self.retryPolicy = retryPolicy
        self.announceInterval = announceInterval
        self.progressInterval = progressInterval
        self.breakerPolicy = breakerPolicy
        self.affinityWindow = affinityWindow
        self.healthTimeout = healthTimeout
        self.claimsAhead = claimsAhead
        self.previewInterval = previewInterval
        self.breakerClock = breakerClock
    }
}
