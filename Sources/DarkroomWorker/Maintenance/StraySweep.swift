import DarkroomCore
import DarkroomStore
import Foundation
import Synchronization

/// Removes from the image directory what no job will ever read, once it is older than ``grace``:
///
/// - temporary files of writes that never finished (a worker killed between writing an image and renaming it);
/// - images no job refers to: the job is gone, or it ended without them (a completion that was never recorded
///   for a job that then expired or was canceled, a deletion that failed).
///
/// An image is looked up in the store once, in the first sweep after it passes the grace; one whose job is still
/// queued or running (another attempt may yet record it) is looked at again in each later sweep until its job
/// ends. The first sweep of a process looks at every image older than the grace.
final class StraySweep: Sendable {
    /// What one sweep removed.
    struct Removed: Equatable {
        var temporary = 0
        var orphan = 0
    }

    /// How old a stray must be before it is removed: longer than any write or attempt takes.
    let grace: Duration

    private struct State {
        /// When the last complete sweep ran; `nil` before the first.
        var previous: Date?
        /// Images whose jobs were still queued or running at the last sweep.
        var undecided: Set<String> = []
    }

    private let state = Mutex(State())

    init(grace: Duration) {
        self.grace = grace
    }

    func run(now: Date, store: any JobQueue, images: ImageDirectory) async throws -> Removed {
        let cutoff = now.addingTimeInterval(-grace.seconds)
        let (previous, undecided) = state.withLock { ($0.previous, $0.undecided) }
        // Images that passed the grace since the last sweep, and those left undecided by it.
        let passedSince = previous.map { $0.addingTimeInterval(-grace.seconds) }
        var removed = Removed()
        var imagesByJob: [JobID: [String]] = [:]
        for entry in images.entries() where entry.modified <= cutoff {
            if entry.name.hasPrefix(ImageDirectory.temporaryPrefix) {
                if images.removeFile(named: entry.name) { removed.temporary += 1 }
            } else if let job = ImageDirectory.jobID(ofImage: entry.name),
                passedSince.map({ entry.modified > $0 }) ?? true || undecided.contains(entry.name)
            {
                imagesByJob[job, default: []].append(entry.name)
            }
        }
        var stillUndecided: Set<String> = []
        for (id, names) in imagesByJob {
            let job = try await store.job(id: id)
            if let job, !job.state.isTerminal {
                stillUndecided.formUnion(names)
                continue
            }
            let recorded = Set(job?.images.map(\.name) ?? [])
            for name in names where !recorded.contains(name) {
                if images.removeFile(named: name) { removed.orphan += 1 }
            }
        }
        state.withLock { $0 = State(previous: now, undecided: stillUndecided) }
        return removed
    }
}
