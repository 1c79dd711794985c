import DarkroomCore
import DarkroomStore
import Synchronization

/// Follows one job: its changes from the store's feed, plus a slow re-read of the store as a fallback.
///
/// The feed is a hint that can drop changes (a slow consumer, a lost notification); the row is the truth.
/// Polled snapshots only ever move the stream forward (a terminal state, or more steps in the same state).
struct JobUpdates: Sendable {
    let store: any JobQueue
    /// How often the store is re-read.
    let pollInterval: Duration

    /// The job's changes, each newer than the last one yielded. Subscribe to `changes` before reading or creating
    /// the job, so nothing in between is missed; the stream ends when its consumer stops iterating.
    ///
    /// The feed and the poll race: a poll can see step 12 while the feed still holds step 11 and 12, so both
    /// pass one gate that drops whatever does not move the stream forward.
    func stream(of id: JobID, changes: AsyncStream<Job>) -> AsyncStream<Job> {
        let (stream, continuation) = AsyncStream.makeStream(of: Job.self)
        let lastYielded = Mutex<Job?>(nil)
        let yieldIfNewer: @Sendable (Job) -> Void = { job in
            lastYielded.withLock { last in
                guard job.movesForward(from: last) else { return }
                last = job
                continuation.yield(job)
            }
        }
        let store = self.store
        let interval = pollInterval
        let forward = Task {
            for await job in changes where job.id == id { yieldIfNewer(job) }
            continuation.finish()
        }
        let poll = Task {
            var newest: Job?
            while (try? await Task.sleep(for: interval)) != nil {
                guard let job = try? await store.job(id: id) else { continue }
                if job.state.isTerminal
                    || (job.state == newest?.state && job.progress.step > newest?.progress.step ?? 0)
                {
                    yieldIfNewer(job)
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

extension Job {
    /// Whether this version of the job is news after `last`: a new state, or more steps in the same state.
    fileprivate func movesForward(from last: Job?) -> Bool {
        guard let last else { return true }
        return state != last.state || progress.step > last.progress.step
    }
}
