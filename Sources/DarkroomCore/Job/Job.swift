import Foundation

/// A generation job as the store keeps it: the request, its place in the queue, its lease and its outcome.
///
/// Invariants (kept by the store): `finishedAt` is set exactly when `state.isTerminal`;
/// `images` is non-empty only when `succeeded`; `failure` is set exactly when `failed` or `expired`;
/// a `running` job has a lease owner, token and expiry; an `expired` job's failure is
/// ``JobFailure/deadlineExceeded``.
public struct Job: Sendable, Equatable {
    public var id: JobID
    /// The API key's tenant; `default` until authentication exists.
    public var tenant: String
    /// 0…9, higher runs first.
    public var priority: Int
    public var state: JobState
    /// The validated parameters, with the seed resolved.
    public var request: GenerationRequest
    /// Attempts started so far (a claim starts one).
    public var attempt: Int
    public var maxAttempts: Int
    /// A queued job is not claimed before this time (retry backoff).
    public var runAfter: Date
    public var lease: Lease?
    /// How often this job's lease expired; past the poison limit it is parked as failed.
    public var leaseLostCount: Int
    public var progress: JobProgress
    /// The backend that ran (or runs) the latest attempt.
    public var backend: String?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var images: [ImageResult]
    public var failure: JobFailure?
    /// The client's metadata object, as JSON text, echoed back untouched.
    public var metadataJSON: String?
    /// Where the job's state changes are delivered, if anywhere.
    public var webhook: WebhookSubscription?
    /// When a result stops being useful to the client; past it the job is never started, and a running job is
    /// stopped, both ending `expired`. `nil`: no deadline.
    public var deadline: Date?

    public init(
        id: JobID, tenant: String = "default", priority: Int = Priority.default, state: JobState = .queued,
        request: GenerationRequest, attempt: Int = 0, maxAttempts: Int = RetryPolicy.default.maxAttempts,
        runAfter: Date, lease: Lease? = nil, leaseLostCount: Int = 0, progress: JobProgress? = nil,
        backend: String? = nil, createdAt: Date, startedAt: Date? = nil, finishedAt: Date? = nil,
        images: [ImageResult] = [], failure: JobFailure? = nil, metadataJSON: String? = nil,
        webhook: WebhookSubscription? = nil, deadline: Date? = nil
    ) {
        self.id = id
        self.tenant = tenant
        self.priority = priority
        self.state = state
        self.request = request
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.runAfter = runAfter
        self.lease = lease
        self.leaseLostCount = leaseLostCount
        self.progress = progress ?? JobProgress(step: 0, steps: request.steps)
        self.backend = backend
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.images = images
        self.failure = failure
        self.metadataJSON = metadataJSON
        self.webhook = webhook
        self.deadline = deadline
    }
}

/// A worker's claim on a running job.
///
/// The token is a fencing token: it grows with every claim of the job, and every update a worker makes
/// names it, so a worker whose lease was rescued can no longer change the job.
public struct Lease: Sendable, Equatable {
    public var owner: String
    public var token: Int64
    public var expiresAt: Date

    public init(owner: String, token: Int64, expiresAt: Date) {
        self.owner = owner
        self.token = token
        self.expiresAt = expiresAt
    }
}

/// Steps done out of steps planned, for the attempt now running.
public struct JobProgress: Sendable, Equatable, Codable {
    public var step: Int
    public var steps: Int

    public init(step: Int, steps: Int) {
        self.step = step
        self.steps = steps
    }

    /// At the last step or the one before it: the worker may then claim the job to follow on the same server.
    public var isNearingEnd: Bool { steps - step <= 1 }
}

/// One stored output image.
public struct ImageResult: Sendable, Equatable, Codable {
    /// The file name in the image directory, also the last part of its URL.
    public var name: String
    public var width: Int
    public var height: Int
    public var seed: Int64
    /// Lowercase hex SHA-256 of the PNG bytes.
    public var sha256: String

    public init(name: String, width: Int, height: Int, seed: Int64, sha256: String) {
        self.name = name
        self.width = width
        self.height = height
        self.seed = seed
        self.sha256 = sha256
    }
}

/// Why a job failed: a stable snake_case code and a human message with no backend internals.
public struct JobFailure: Sendable, Equatable, Codable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

extension JobFailure {
    /// Why an `expired` job ended: its deadline passed before it finished.
    public static let deadlineExceeded = JobFailure(
        code: "deadline_exceeded", message: "the job's deadline passed before it finished")
}
