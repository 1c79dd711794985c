/// Something that happens to a job; each event moves it between ``JobState``s or is forbidden.
public enum JobEvent: String, Sendable, CaseIterable {
    /// A worker slot takes a queued job and starts a lease.
    case claim
    /// The backend produced the images.
    case complete
    /// A transient failure: the job waits for its backoff and runs again.
    case retry
    /// A permanent failure, the last attempt failed, or (rescue's poison rule) the lease was lost too often.
    case fail
    /// A client cancels the job.
    case cancel
    /// The lease expired without a heartbeat: the worker is presumed dead.
    case rescue
    /// The job's deadline passed before it finished.
    case expire

    /// The state the job moves to when this event happens in `state`; `nil` when the event is forbidden there.
    public func target(from state: JobState) -> JobState? {
        switch (self, state) {
        case (.claim, .queued): .running
        case (.complete, .running): .succeeded
        case (.retry, .running), (.rescue, .running): .queued
        case (.fail, .running): .failed
        case (.cancel, .queued), (.cancel, .running): .canceled
        case (.expire, .queued), (.expire, .running): .expired
        default: nil
        }
    }

    /// The states in which this event may happen.
    public var sources: [JobState] { JobState.allCases.filter { target(from: $0) != nil } }
}
