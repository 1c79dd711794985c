import DarkroomCore

/// Carries running jobs' previews from the workers that make them to the event streams that show them, and tells
/// the workers which jobs anyone is watching, so an unwatched job costs its server nothing.
///
/// Previews are transient: a channel keeps none, and a stream that starts late sees only the next one.
/// Embedded, one process holds both ends (``LocalPreviewChannel``); in a cluster they meet in PostgreSQL
/// (``PostgresPreviewChannel``).
public protocol PreviewChannel: Sendable {
    /// Hands `preview` to every subscriber watching its job, before it returns.
    func publish(_ preview: JobPreview) async
    /// Whether any subscriber watches the job now.
    func isWatched(_ job: JobID, tenant: String) async -> Bool
    /// Calls `deliver` with each preview of the jobs `watch` covers, until the subscription is cancelled (or
    /// released). `deliver` must not block: it runs on the publisher's task.
    func subscribe(_ watch: PreviewWatch, deliver: @escaping @Sendable (JobPreview) -> Void) -> PreviewSubscription
    /// Forgets whatever the channel holds of the job's previews: its attempt has ended.
    func discard(_ job: JobID) async
}

/// Which jobs' previews a subscriber wants.
public enum PreviewWatch: Sendable, Hashable {
    /// One job (`/v1/jobs/{id}/events`).
    case job(JobID)
    /// Every job of a tenant (`/v1/queue/events` with a tenant's key).
    case tenant(String)
    /// Every job (`/v1/queue/events` with authentication off).
    case everyone

    /// Whether this watch covers the job.
    public func covers(_ job: JobID, tenant: String) -> Bool {
        switch self {
        case .job(let id): id == job
        case .tenant(let name): name == tenant
        case .everyone: true
        }
    }
}

/// A subscriber's hold on a ``PreviewChannel``: previews stop when it is cancelled or released.
public final class PreviewSubscription: Sendable {
    private let stop: @Sendable () -> Void

    public init(stop: @escaping @Sendable () -> Void) {
        self.stop = stop
    }

    /// Stops the previews; calling it again does nothing.
    public func cancel() { stop() }

    deinit { stop() }
}

/// No previews: a gateway with no workers in its process, or a test about something else.
public struct NoPreviews: PreviewChannel {
    public init() {}
    public func publish(_ preview: JobPreview) async {}
    public func isWatched(_ job: JobID, tenant: String) async -> Bool { false }
    public func discard(_ job: JobID) async {}
    public func subscribe(
        _ watch: PreviewWatch, deliver: @escaping @Sendable (JobPreview) -> Void
    ) -> PreviewSubscription {
        PreviewSubscription {}
    }
}
