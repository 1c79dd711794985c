import DarkroomCore
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The preview channel of a cluster, through the PostgreSQL the processes share (docs/decisions.md, "Darkroom
/// Studio").
///
/// A worker writes each preview to the unlogged table `job_previews` (one row per job, replaced at each preview,
/// deleted when the attempt ends) and announces it with `NOTIFY darkroom_previews`, whose payload names the job
/// only: a payload may not exceed 8,000 bytes, an image may. A gateway whose streams watch that job reads the
/// row and hands the preview to them. Each gateway keeps what its streams watch in `preview_watches`, rewritten
/// every ``refreshInterval`` and forgotten ``watchLifetime`` after, which a worker asks before making a preview.
///
/// A `Service`: ``run()`` listens and keeps the watches current, and must run in every process that subscribes.
public final class PostgresPreviewChannel: PreviewChannel, Service {
    static let notifyChannel = "darkroom_previews"
    /// How often a process rewrites its watches, and how long a watch it stopped rewriting counts.
    static let refreshInterval = Duration.seconds(5)
    static let watchLifetime = 15.0
    /// The least time between two writes of the watches: streams opened and closed meanwhile are written together
    /// (a busy gateway opens hundreds a second), and one that lasts less is never written.
    static let writeSpacing = Duration.milliseconds(250)

    private let store: PostgresJobStore
    /// This process's streams, which previews announced by any worker reach.
    private let local = LocalPreviewChannel()
    private let watches = Mutex<[UUID: PreviewWatch]>([:])
    private let (changes, changed) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    private let process = "process-\(UUID().uuidString.prefix(8).lowercased())"
    /// The jobs whose previews this process wrote and has not deleted yet.
    private let published = Mutex<Set<JobID>>([])

    public init(store: PostgresJobStore) {
        self.store = store
    }

    private var logger: Logger { store.logger }

    public func publish(_ preview: JobPreview) async {
        let payload = "\(preview.jobID) \(preview.tenant)"
        // Noted first: a write whose answer is lost may still have committed.
        published.withLock { _ = $0.insert(preview.jobID) }
        do {
            _ = try await store.perform { [store] in
                try await store.client.query(
                    """
                    WITH saved AS (
                        INSERT INTO job_previews (job_id, tenant, step, steps, media_type, image)
                        VALUES (\(preview.jobID.rawValue), \(preview.tenant), \(preview.step), \(preview.steps),
                                \(preview.mediaType), \(preview.image))
                        ON CONFLICT (job_id) DO UPDATE
                           SET step = excluded.step, steps = excluded.steps, media_type = excluded.media_type,
                               image = excluded.image, made_at = now()
                        RETURNING job_id)
                    SELECT pg_notify(\(Self.notifyChannel), \(payload)) FROM saved
                    """, logger: store.logger)
            }
        } catch {
            logger.debug("Preview not published", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
        }
    }

    public func isWatched(_ job: JobID, tenant: String) async -> Bool {
        let watched = try? await store.perform { [store] () async throws -> Bool in
            let rows = try await store.client.query(
                """
                SELECT EXISTS (SELECT 1 FROM preview_watches
                                WHERE expires_at > now()
                                  AND ((kind = 'job' AND name = \(job.rawValue))
                                       OR (kind = 'tenant' AND name = \(tenant)) OR kind = 'everyone'))
                """, logger: store.logger)
            for try await exists in rows.decode(Bool.self) { return exists }
            return false
        }
        return watched ?? false
    }

    public func subscribe(
        _ watch: PreviewWatch, deliver: @escaping @Sendable (JobPreview) -> Void
    ) -> PreviewSubscription {
        let id = UUID()
        let subscription = local.subscribe(watch, deliver: deliver)
        watches.withLock { $0[id] = watch }
        changed.yield()
        return PreviewSubscription { [weak self] in
            subscription.cancel()
            guard let self else { return }
            if self.watches.withLock({ $0.removeValue(forKey: id) }) != nil { self.changed.yield() }
        }
    }

    public func discard(_ job: JobID) async {
        // A job that never had a preview from here (most: nobody watched them) costs no statement.
        guard published.withLock({ $0.remove(job) != nil }) else { return }
        _ = try? await store.perform { [store] in
            try await store.client.query(
                "DELETE FROM job_previews WHERE job_id = \(job.rawValue)", logger: store.logger)
        }
    }

    /// Listens for previews and keeps this process's watches written, until cancelled or shut down.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.listen() }
                group.addTask { await self.keepWatchesWritten() }
                await group.next()
                group.cancelAll()
            }
        }
    }

    private func listen() async {
        while !Task.isCancelled {
            do {
                try await store.client.withConnection { connection in
                    try await connection.listen(on: Self.notifyChannel) { notifications in
                        for try await notification in notifications { await self.announced(notification.payload) }
                    }
                }
            } catch {
                guard !Task.isCancelled else { return }
                logger.debug("Preview listener reconnecting", metadata: [LogKey.error.rawValue: "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Reads the preview a `"<job id> <tenant>"` announcement names, if a stream here watches it.
    private func announced(_ payload: String) async {
        let parts = payload.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2, await local.isWatched(JobID(rawValue: parts[0]), tenant: parts[1]) else { return }
        let preview = try? await store.perform { [store] () async throws -> JobPreview? in
            let rows = try await store.client.query(
                "SELECT tenant, step, steps, media_type, image FROM job_previews WHERE job_id = \(parts[0])",
                logger: store.logger)
            for try await (tenant, step, steps, mediaType, image) in rows.decode((String, Int, Int, String, Data).self)
            {
                return JobPreview(
                    jobID: JobID(rawValue: parts[0]), tenant: tenant, step: step, steps: steps, image: image,
                    mediaType: mediaType)
            }
            return nil
        }
        if let preview { await local.publish(preview) }
    }

    /// Writes the watches now and after every change (at most once per ``writeSpacing``), and at least every
    /// ``refreshInterval`` so they stay current; also forgets expired watches and previews left by a worker that
    /// died mid-job.
    private func keepWatchesWritten() async {
        let ticker = Task { [changed] in
            while (try? await Task.sleep(for: Self.refreshInterval)) != nil { changed.yield() }
        }
        defer { ticker.cancel() }
        // A process that never watched anything (a worker) writes nothing.
        var written: Set<PreviewWatch> = []
        for await _ in changes {
            let current = Set(watches.withLock { Array($0.values) })
            guard !(current.isEmpty && written.isEmpty) else { continue }
            do {
                try await writeWatches(current)
                written = current
            } catch {
                logger.debug("Preview watches not written", metadata: [LogKey.error.rawValue: "\(error)"])
            }
            try? await Task.sleep(for: Self.writeSpacing)
        }
    }

    private func writeWatches(_ current: Set<PreviewWatch>) async throws {
        let rows = current.map(\.row)
        let kinds = rows.map(\.kind)
        let names = rows.map(\.name)
        _ = try await store.perform { [store, process] in
            try await store.client.withTransaction(logger: store.logger) { connection in
                try await connection.query(
                    "DELETE FROM preview_watches WHERE process = \(process) OR expires_at < now() - interval '1 minute'",
                    logger: store.logger)
                try await connection.query(
                    """
                    INSERT INTO preview_watches (process, kind, name, expires_at)
                    SELECT \(process), kind, name, now() + make_interval(secs => \(Self.watchLifetime))
                      FROM unnest(\(kinds)::text[], \(names)::text[]) AS watch(kind, name)
                    """, logger: store.logger)
                try await connection.query(
                    "DELETE FROM job_previews WHERE made_at < now() - interval '10 minutes'", logger: store.logger)
            }
        }
    }
}

extension PreviewWatch {
    /// The watch as a `preview_watches` row.
    fileprivate var row: (kind: String, name: String) {
        switch self {
        case .job(let id): ("job", id.rawValue)
        case .tenant(let name): ("tenant", name)
        case .everyone: ("everyone", "")
        }
    }
}
