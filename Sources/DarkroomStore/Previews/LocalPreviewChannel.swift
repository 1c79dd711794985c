import DarkroomCore
import Foundation
import Synchronization

/// The preview channel of one process (`darkroom serve`): workers and streams meet in memory, and a preview
/// reaches every subscriber before ``publish(_:)`` returns (so before the job's next change).
public final class LocalPreviewChannel: PreviewChannel {
    private struct Subscriber: Sendable {
        let watch: PreviewWatch
        let deliver: @Sendable (JobPreview) -> Void
    }

    private let subscribers = Mutex<[UUID: Subscriber]>([:])

    public init() {}

    public func publish(_ preview: JobPreview) async {
        let watching = subscribers.withLock { subscribers in
            subscribers.values.filter { $0.watch.covers(preview.jobID, tenant: preview.tenant) }
        }
        for subscriber in watching { subscriber.deliver(preview) }
    }

    public func isWatched(_ job: JobID, tenant: String) async -> Bool {
        subscribers.withLock { subscribers in subscribers.values.contains { $0.watch.covers(job, tenant: tenant) } }
    }

    /// Nothing to forget: a preview is handed over as it is published, and not kept.
    public func discard(_ job: JobID) async {}

    public func subscribe(
        _ watch: PreviewWatch, deliver: @escaping @Sendable (JobPreview) -> Void
    ) -> PreviewSubscription {
        let id = UUID()
        subscribers.withLock { $0[id] = Subscriber(watch: watch, deliver: deliver) }
        return PreviewSubscription { [weak self] in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
    }
}
