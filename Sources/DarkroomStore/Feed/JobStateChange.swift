import DarkroomCore

/// A job's new state after a committed change: all a worker needs to hear to wake for new work or to stop a job
/// canceled while it runs, without reading the job.
public struct JobStateChange: Sendable, Equatable {
    public let id: JobID
    public let state: JobState

    public init(id: JobID, state: JobState) {
        self.id = id
        self.state = state
    }

    public init(_ job: Job) {
        self.init(id: job.id, state: job.state)
    }
}
