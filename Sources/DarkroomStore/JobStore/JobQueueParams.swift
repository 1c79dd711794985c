import DarkroomCore
import Foundation

/// Parameters of ``JobQueue/enqueue(_:)``.
public struct EnqueueParams: Sendable {
    public var id: JobID
    public var tenant: String
    public var priority: Int
    public var request: GenerationRequest
    public var maxAttempts: Int
    public var metadataJSON: String?
    /// The client's `Idempotency-Key`, if it sent one.
    public var idempotency: IdempotencyKey?
    public var webhook: WebhookSubscription?
    /// When the result stops being useful (``Job/deadline``); `nil`: none.
    public var deadline: Date?
    public var now: Date?

    public init(
        id: JobID, tenant: String = "default", priority: Int = Priority.default, request: GenerationRequest,
        maxAttempts: Int = RetryPolicy.default.maxAttempts, metadataJSON: String? = nil,
        idempotency: IdempotencyKey? = nil, webhook: WebhookSubscription? = nil, deadline: Date? = nil,
        now: Date? = nil
    ) {
        self.id = id
        self.tenant = tenant
        self.priority = priority
        self.request = request
        self.maxAttempts = maxAttempts
        self.metadataJSON = metadataJSON
        self.idempotency = idempotency
        self.webhook = webhook
        self.deadline = deadline
        self.now = now
    }
}

/// A client's idempotency key for a submit, with a digest of what it submitted.
public struct IdempotencyKey: Sendable, Equatable {
    /// How long a key names its job; after that the key may name a new one.
    public static let retention: Duration = .seconds(24 * 3_600)

    public var key: String
    /// A digest of the request body; a repeat with the same key must have the same one.
    public var fingerprint: String

    public init(key: String, fingerprint: String) {
        self.key = key
        self.fingerprint = fingerprint
    }
}

/// Parameters of ``JobQueue/claim(_:)``.
public struct ClaimParams: Sendable {
    /// The worker slot taking the jobs; recorded as the lease owner.
    public var owner: String
    /// The backend that will run them.
    public var backend: String
    public var limit: Int
    public var leaseDuration: Duration
    /// What the backend has loaded: matching jobs go first within their priority.
    public var affinity: ModelAffinity?
    /// How long a job may be passed over for affinity, or for having just failed on this backend.
    public var preferenceWindow: Duration
    /// How many jobs at the head of the queue the preferences choose among; beyond it, queue order rules
    /// (a deep backlog is older than the window anyway). Keeps a claim's cost independent of queue depth.
    public var preferenceDepth: Int
    public var now: Date?

    public init(
        owner: String, backend: String, limit: Int = 1, leaseDuration: Duration, affinity: ModelAffinity? = nil,
        preferenceWindow: Duration = .seconds(30), preferenceDepth: Int = 256, now: Date? = nil
    ) {
        self.owner = owner
        self.backend = backend
        self.limit = limit
        self.leaseDuration = leaseDuration
        self.affinity = affinity
        self.preferenceWindow = preferenceWindow
        self.preferenceDepth = preferenceDepth
        self.now = now
    }
}

/// Names a running job and the lease the caller believes it holds.
public struct LeaseRef: Sendable, Equatable {
    public var jobID: JobID
    public var token: Int64

    public init(jobID: JobID, token: Int64) {
        self.jobID = jobID
        self.token = token
    }

    /// The lease of a job just returned by a claim.
    public init?(_ job: Job) {
        guard let lease = job.lease else { return nil }
        self.init(jobID: job.id, token: lease.token)
    }
}

/// Parameters of ``JobQueue/heartbeat(_:)``.
public struct HeartbeatParams: Sendable {
    public var lease: LeaseRef
    public var leaseDuration: Duration
    /// New progress to record, if any.
    public var progress: JobProgress?
    public var now: Date?

    public init(lease: LeaseRef, leaseDuration: Duration, progress: JobProgress? = nil, now: Date? = nil) {
        self.lease = lease
        self.leaseDuration = leaseDuration
        self.progress = progress
        self.now = now
    }
}

/// Parameters of ``JobQueue/complete(_:)``.
public struct CompleteParams: Sendable {
    public var lease: LeaseRef
    public var images: [ImageResult]
    /// When the job began on its server, if later than its claim (a job claimed ahead waits for the server);
    /// becomes its `started_at`, never later than its `finished_at` (the worker's clock may run ahead of the
    /// database's). `nil` keeps the claim's time.
    public var startedAt: Date?
    /// How long the server worked on the job (its turn on the GPU), for the mean service time; `nil` counts
    /// `finished_at - started_at` instead.
    public var serviceTime: Duration?
    /// How much more GPU time the job took than its size predicted, in reference portraits (negative: less), as
    /// its backend measured it; its tenant's fair share is charged with it (docs/tenants.md, "Fair share").
    /// `nil` corrects nothing.
    public var costCorrection: Double?
    public var now: Date?

    public init(
        lease: LeaseRef, images: [ImageResult], startedAt: Date? = nil, serviceTime: Duration? = nil,
        costCorrection: Double? = nil, now: Date? = nil
    ) {
        self.lease = lease
        self.images = images
        self.startedAt = startedAt
        self.serviceTime = serviceTime
        self.costCorrection = costCorrection
        self.now = now
    }
}

/// Parameters of ``JobQueue/retry(_:)``.
public struct RetryParams: Sendable {
    public var lease: LeaseRef
    public var runAfter: Date
    /// True when the attempt was not the job's fault (a drain hands it back): the attempt is not counted.
    public var refundsAttempt: Bool
    public var now: Date?

    public init(lease: LeaseRef, runAfter: Date, refundsAttempt: Bool = false, now: Date? = nil) {
        self.lease = lease
        self.runAfter = runAfter
        self.refundsAttempt = refundsAttempt
        self.now = now
    }
}

/// Parameters of ``JobQueue/fail(_:)``.
public struct FailParams: Sendable {
    public var lease: LeaseRef
    public var failure: JobFailure
    public var now: Date?

    public init(lease: LeaseRef, failure: JobFailure, now: Date? = nil) {
        self.lease = lease
        self.failure = failure
        self.now = now
    }
}

/// Parameters of ``JobQueue/cancel(_:)``.
public struct CancelParams: Sendable {
    public var id: JobID
    /// Cancel only a job that has not started: a running one is left alone (a conflict).
    public var onlyIfQueued: Bool
    public var now: Date?

    public init(id: JobID, onlyIfQueued: Bool = false, now: Date? = nil) {
        self.id = id
        self.onlyIfQueued = onlyIfQueued
        self.now = now
    }
}

/// Parameters of ``JobQueue/rescueExpired(_:)``.
public struct RescueParams: Sendable {
    /// Leases that expire before this instant are rescued. `nil` means the store's clock now.
    public var expiredBefore: Date?
    /// A job whose lease is lost this many times is parked as failed with code `poison`.
    public var poisonLimit: Int
    public var now: Date?

    public init(expiredBefore: Date? = nil, poisonLimit: Int = 3, now: Date? = nil) {
        self.expiredBefore = expiredBefore
        self.poisonLimit = poisonLimit
        self.now = now
    }
}

/// What ``JobQueue/rescueExpired(_:)`` did.
public struct RescueResult: Sendable, Equatable {
    public var requeued: [Job]
    public var poisoned: [Job]

    public init(requeued: [Job] = [], poisoned: [Job] = []) {
        self.requeued = requeued
        self.poisoned = poisoned
    }
}

/// Parameters of ``JobQueue/expireOverdue(_:)``.
public struct ExpireParams: Sendable {
    /// The most jobs one call ends; a sweeper calls again while it gets a full batch.
    public var limit: Int
    public var now: Date?

    public init(limit: Int = 500, now: Date? = nil) {
        self.limit = limit
        self.now = now
    }
}

/// Parameters of ``JobQueue/list(_:)``.
public struct ListParams: Sendable {
    public var state: JobState?
    /// Only this tenant's jobs; `nil`: every tenant's.
    public var tenant: String?
    public var limit: Int
    /// The `nextCursor` of the previous page.
    public var cursor: JobID?

    public init(state: JobState? = nil, tenant: String? = nil, limit: Int = 50, cursor: JobID? = nil) {
        self.state = state
        self.tenant = tenant
        self.limit = limit
        self.cursor = cursor
    }
}

/// A page of ``JobQueue/list(_:)``.
public struct JobPage: Sendable, Equatable {
    public var jobs: [Job]
    /// Pass this as the next cursor; `nil` on the last page.
    public var nextCursor: JobID?

    public init(jobs: [Job], nextCursor: JobID?) {
        self.jobs = jobs
        self.nextCursor = nextCursor
    }
}

/// Parameters of ``JobQueue/stats(_:)``.
public struct StatsParams: Sendable {
    /// Jobs that finished at or after this instant count as recent.
    public var recentSince: Date

    public init(recentSince: Date) {
        self.recentSince = recentSince
    }
}

/// Counts and recent rates read from the store.
public struct StoreStats: Sendable, Equatable {
    /// Jobs in each state, over everything the store holds.
    public var counts: [JobState: Int]
    public var recentSucceeded: Int
    public var recentFailed: Int
    public var recentCanceled: Int
    /// Mean `finishedAt − startedAt` of recent successes; 0 when there were none.
    public var recentMeanServiceSeconds: Double
    /// Mean `finishedAt − createdAt` of recent successes; 0 when there were none.
    public var recentMeanLatencySeconds: Double
    /// Queued jobs by priority (priorities with none queued are absent).
    public var queuedByPriority: [Int: Int]

    public init(
        counts: [JobState: Int], recentSucceeded: Int, recentFailed: Int, recentCanceled: Int,
        recentMeanServiceSeconds: Double, recentMeanLatencySeconds: Double, queuedByPriority: [Int: Int] = [:]
    ) {
        self.counts = counts
        self.queuedByPriority = queuedByPriority
        self.recentSucceeded = recentSucceeded
        self.recentFailed = recentFailed
        self.recentCanceled = recentCanceled
        self.recentMeanServiceSeconds = recentMeanServiceSeconds
        self.recentMeanLatencySeconds = recentMeanLatencySeconds
    }

    public func count(_ state: JobState) -> Int { counts[state] ?? 0 }
}

/// Parameters of ``JobQueue/deleteFinished(_:)``.
public struct DeleteFinishedParams: Sendable {
    public var finishedBefore: Date
    public var limit: Int
    /// Only this job (a user deleting it), if it has finished; `nil`: any (retention).
    public var onlyJob: JobID?

    public init(finishedBefore: Date, limit: Int = 500, onlyJob: JobID? = nil) {
        self.finishedBefore = finishedBefore
        self.limit = limit
        self.onlyJob = onlyJob
    }

    /// The one job `id`, if it has finished.
    public static func job(_ id: JobID) -> Self {
        Self(finishedBefore: .distantFuture, limit: 1, onlyJob: id)
    }
}
