/// Why a running attempt was stopped before the backend finished.
enum Interruption: Sendable, Equatable {
    /// A client canceled the job; the store already says `canceled`.
    case canceled
    /// The job's deadline passed; the store already says `expired`.
    case expired
    /// The worker is shutting down and the drain timeout passed: hand the job back.
    case draining
    /// The store no longer shows our lease (rescued or finished elsewhere): drop the attempt.
    case leaseLost
    /// The attempt ran past the job timeout.
    case timedOut
}
