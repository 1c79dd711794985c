/// Where a job is in its life.
///
/// ```
///              claim                complete
///   queued ───────────▶ running ───────────▶ succeeded
///     │ ▲                 │  │
///     │ └─retry / rescue──┘  ├──fail──────▶ failed
///     │                      │
///     ├──────cancel──────────┼──cancel────▶ canceled
///     │                      │
///     └──────expire──────────┴──expire────▶ expired
/// ```
///
/// `succeeded`, `failed`, `canceled` and `expired` are terminal: nothing changes a terminal job. `expired`: the
/// client's deadline passed before the job finished, so no GPU works on it any more.
/// ``JobEvent/target(from:)`` is the one table of allowed moves.
public enum JobState: String, Sendable, Codable, CaseIterable {
    case queued
    case running
    case succeeded
    case failed
    case canceled
    case expired

    /// Terminal states never change again.
    public var isTerminal: Bool {
        switch self {
        case .queued, .running: false
        case .succeeded, .failed, .canceled, .expired: true
        }
    }
}
