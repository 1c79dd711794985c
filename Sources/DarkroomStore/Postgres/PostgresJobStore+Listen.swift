import DarkroomCore
import Foundation
import Logging
import PostgresNIO
import Synchronization

extension PostgresJobStore {
    /// The channel the `jobs_notify` trigger announces changes on.
    static let changeChannel = "darkroom_jobs"

    /// Follows other processes' changes (`LISTEN darkroom_jobs`) and publishes each on this process's feed. A
    /// dropped connection is re-established after a second; changes announced meanwhile are missed, which
    /// consumers tolerate (the feed is a hint; they poll slowly as well).
    ///
    /// An announcement carries the job's new state, published at once to the feed's subscribers of states. Only
    /// when a stream of whole jobs wants the job (a gateway's client follows it) is it re-read, and those reads are
    /// coalesced: the listener notes job ids, and one reader re-reads every id noted since its last read in a
    /// single query. Under load a job announced three times while a read is in flight is read once, and no
    /// announcement waits behind the round trips of the ones before it.
    func listenForChanges() async {
        let announced = AnnouncedJobs()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.publishAnnounced(announced) }
            group.addTask { await self.listen(noting: announced) }
            await group.next()
            group.cancelAll()
        }
    }

    private func listen(noting announced: AnnouncedJobs) async {
        defer { announced.finish() }
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    // The channel is the database's: announcements of a cluster in another schema are not ours.
                    let schema = try await connection.query("SELECT current_schema()", logger: logger)
                        .decode(String.self).first { _ in true }
                    try await connection.listen(on: Self.changeChannel) { notifications in
                        for try await notification in notifications {
                            note(notification.payload, schema: schema, in: announced)
                        }
                    }
                }
            } catch {
                guard !Task.isCancelled else { return }
                logger.debug(
                    "Change listener reconnecting", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Publishes the state an announcement `[process, schema, job id, state]` carries, unless the change is our
    /// own (published already) or another schema's, and notes the job to be re-read if anyone here wants it whole.
    private func note(_ payload: String, schema: String?, in announced: AnnouncedJobs) {
        guard let fields = try? JSONDecoder().decode([String].self, from: Data(payload.utf8)), fields.count == 4,
            fields[0] != instanceID, fields[1] == schema, let state = JobState(rawValue: fields[3])
        else { return }
        let id = JobID(rawValue: fields[2])
        feed.publish([JobStateChange(id: id, state: state)])
        if feed.wantsWhole(id) { announced.add(id.rawValue) }
    }

    /// Re-reads the noted jobs, all of those noted so far in one query, and publishes them to the subscribers of
    /// whole jobs (their states went out with the announcements), until the listener ends.
    private func publishAnnounced(_ announced: AnnouncedJobs) async {
        for await ids in announced.batches() {
            guard
                let jobs = try? await perform({ [self] in
                    try await fetchJobs(JobsByIDsStatement(ids: ids))
                })
            else { continue }
            feed.publishWhole(jobs)
        }
    }
}

/// Job ids announced by other processes and not read yet; ``batches()`` hands them out all at once.
///
/// Concurrency: the ids are behind a `Mutex`; the wake-up stream keeps only the newest signal, so any number
/// of ids added during a read cost one more read.
final class AnnouncedJobs: Sendable {
    private let ids = Mutex<[String]>([])
    private let (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))

    func add(_ id: String) {
        ids.withLock { $0.append(id) }
        signal.yield()
    }

    /// Ends ``batches()`` once the ids noted so far are handed out.
    func finish() { signal.finish() }

    /// Each batch: the distinct ids noted since the previous one, in the order first noted.
    func batches() -> AsyncCompactMapSequence<AsyncStream<Void>, [String]> {
        signals.compactMap { [self] _ in
            let taken = takeAll()
            return taken.isEmpty ? nil : taken
        }
    }

    /// The distinct ids noted so far, in the order first noted; none are left noted.
    func takeAll() -> [String] {
        let taken = ids.withLock { ids in
            defer { ids.removeAll(keepingCapacity: true) }
            return ids
        }
        var seen = Set<String>()
        return taken.filter { seen.insert($0).inserted }
    }
}
