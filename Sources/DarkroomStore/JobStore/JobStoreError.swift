import DarkroomCore

/// Why a store operation did not happen. Each case has a stable snake_case ``code``.
public enum JobStoreError: Error, Sendable, Equatable {
    /// No job has this id.
    case notFound(JobID)
    /// The job is no longer running under the caller's lease token (rescued, canceled or finished).
    case leaseLost(JobID)
    /// The operation does not apply to a job in this state (for example canceling a finished job).
    case conflict(JobID, state: JobState)
    /// The idempotency key already names this job, created from a different request.
    case idempotencyKeyReused(JobID)
    /// The database could not be reached or answered with an error; the detail is for logs only.
    case unavailable(detail: String)

    public var code: String {
        switch self {
        case .notFound: "job_not_found"
        case .leaseLost: "lease_lost"
        case .conflict: "job_conflict"
        case .idempotencyKeyReused: "idempotency_key_reused"
        case .unavailable: "store_unavailable"
        }
    }
}
