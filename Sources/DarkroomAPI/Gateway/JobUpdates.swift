import DarkroomCore
import DarkroomStore

/// Follows one job: its changes from the store's feed, plus a slow re-read of the store as a fallback.
///
/// The feed is a hint that can drop changes (a slow consumer, a lost notification); the row is the truth.
/// Polled snapshots only ever move the stream forward (a terminal state, or more steps in the same state).
struct JobUpdates: Sendable {
    let store: any JobQueue
    /// How often the store is re-read.
    let pollInterval: Duration

    /// The job's changes. Subscribe to `changes` before reading or creating the job, so nothing in between
    /// is missed; the stream ends when its consumer stops iterating.
    func stream(of id: JobID, changes: AsyncStream<Job>) -> AsyncStream<Job> {
        let (stream, continuation) = AsyncStream.makeStream(of: Job.self)
        let store = self.store
        let interval = pollInterval
        let forward = Task {
            for await job in changes where job.id == id { continuation.yield(job) }
            continuation.finish()
        }
        let poll = Task {
            var newest: Job?
            while (try? await Task.sleep(for: interval)) != nil {
                guard let job = try? await store.job(id: id) else { continue }
                if job.state.isTerminal
                    || (job.state == newest?.state && job.progress.step > newest?.progress.step ?? 0)
                {
                    continuation.yield(job)
                }
                newest = job
            }
        }
        continuation.onTermination = { _ in
            forward.cancel()
            poll.cancel()
        }
        return stream
    }

    /// The job once it is terminal, or `nil` if it is not within `timeout` (or the caller is cancelled).
    func finished(_ id: JobID, changes: AsyncStream<Job>, within timeout: Duration) async -> Job? {
        let updates = stream(of: id, changes: changes)
        return await withTaskGroup(of: Job?.self) { group in
            group.addTask {
                for await job in updates where job.state.isTerminal { return job }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
