/// Where a job is in its life.
///
/// ```
///              claim                complete
///   queued ───────────▶ running ───────────▶ succeeded
///     │ ▲                 │  │
///     │ └─retry / rescue──┘  ├──fail──────▶ failed
///     │                      │
///     └──────cancel──────────┴──cancel────▶ canceled
/// ```
///
/// `succeeded`, `failed` and `canceled` are terminal: nothing changes a terminal job.
/// ``JobEvent/target(from:)`` is the one table of allowed moves.
public enum JobState: String, Sendable, Codable, CaseIterable {
    case queued
    case running
    case succeeded
    case failed
    case canceled

    /// Terminal states never change again.
    public var isTerminal: Bool {
        switch self {
        case .queued, .running: false
        case .succeeded, .failed, .canceled: true
        }
    }
}
