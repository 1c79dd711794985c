import DarkroomCore
import Foundation
import PostgresNIO

/// One method per state transition. Every UPDATE names the state it expects and, for a worker's
/// update, the lease token: a row that does not match is left alone and the caller is told.
extension PostgresJobStore {
    public func enqueue(_ params: EnqueueParams) async throws -> Job {
        let requestJSON = try jsonText(params.request)
        DecodedRequests.shared.remember(params.request, asJSON: requestJSON)
        if let idempotency = params.idempotency {
            try await releaseExpiredKey(idempotency, tenant: params.tenant, now: params.now)
        }
        // With a key already taken, the insert does nothing and the key's job is read instead: the unique index
        // decides between concurrent enqueues, whichever gateway they reach.
        let statement = EnqueueStatement(params: params, requestJSON: requestJSON)
        let inserted = try await perform { [self] in
            try await committed { [self] connection in try await fetchJobs(statement, on: connection) }
        }
        if let job = inserted.first {
            feed.publish([job])
            return job
        }
        guard let idempotency = params.idempotency else {
            throw JobStoreError.unavailable(detail: "insert returned no row")
        }
        guard let job = try await job(named: idempotency, tenant: params.tenant, now: params.now) else {
            throw JobStoreError.unavailable(detail: "the job of idempotency key \(idempotency.key) vanished")
        }
        return job
    }

    /// Frees `idempotency`'s key if the job it names is older than the retention, so it may name a new job.
    private func releaseExpiredKey(_ idempotency: IdempotencyKey, tenant: String, now: Date?) async throws {
        _ = try await perform { [self] in
            try await client.query(
                """
                UPDATE jobs SET idempotency_key = NULL
                WHERE tenant = \(tenant) AND idempotency_key = \(idempotency.key)
                  AND created_at < coalesce(\(now)::timestamptz, now())
                                   - make_interval(secs => \(IdempotencyKey.retention.seconds))
                """, logger: logger)
        }
    }

    public func job(named idempotency: IdempotencyKey, tenant: String, now: Date?) async throws -> Job? {
        let rows = try await perform { [self] in
            try await client.query(
                """
                SELECT id, idempotency_fingerprint FROM jobs
                WHERE tenant = \(tenant) AND idempotency_key = \(idempotency.key)
                  AND created_at >= coalesce(\(now)::timestamptz, now())
                                    - make_interval(secs => \(IdempotencyKey.retention.seconds))
                """, logger: logger
            ).collect()
        }
        guard let (rawID, fingerprint) = try rows.first?.decode((String, String?).self),
            let id = JobID(parsing: rawID)
        else { return nil }
        guard fingerprint == idempotency.fingerprint else {
            throw JobStoreError.idempotencyKeyReused(id)
        }
        return try await job(id: id)
    }

    /// Up to `limit` turns in one statement (``ClaimStatement``).
    public func claim(_ params: ClaimParams) async throws -> [Job] {
        let claimed = try await write { [self] in try await fetchJobs(ClaimStatement(params: params)) }
        return claimed.sorted(by: Job.isClaimedBefore)
    }

    public func heartbeat(_ params: HeartbeatParams) async throws -> Job {
        try await updateLeased(params.lease, HeartbeatStatement(params: params))
    }

    /// Completions that arrive while one is being written go together in the next statement (``CallCombiner``):
    /// one round trip and one commit for all of them.
    public func complete(_ params: CompleteParams) async throws -> Job {
        try await completions.call(params) { [self] batch in await complete(batch) }
    }

    /// Completes `batch` in one statement: each job, or ``JobStoreError/leaseLost(_:)`` when its lease is gone;
    /// every one fails alike when the statement does.
    private func complete(_ batch: [CompleteParams]) async -> [Result<Job, any Error>] {
        do {
            let statement = try CompleteBatchStatement(batch.map(CompleteBatchStatement.Completion.init))
            let jobs = try await write { [self] in try await fetchJobs(statement) }
            let byID = Dictionary(jobs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            await correctFairShares(for: batch, completed: byID)
            return batch.map { params in
                byID[params.lease.jobID].map { .success($0) } ?? .failure(JobStoreError.leaseLost(params.lease.jobID))
            }
        } catch {
            return batch.map { _ in .failure(error) }
        }
    }

    /// Charges each completed job's tenant with its ``CompleteParams/costCorrection`` (``FairCorrectionStatement``),
    /// after the completions have committed. A correction that fails is logged and dropped: the job stands.
    private func correctFairShares(for batch: [CompleteParams], completed: [JobID: Job]) async {
        for params in batch {
            guard let correction = params.costCorrection, correction != 0,
                let job = completed[params.lease.jobID]
            else { continue }
            do {
                _ = try await perform { [self] in
                    try await client.query(
                        FairCorrectionStatement.query(tenant: job.tenant, portraits: correction), logger: logger
                    ).collect()
                }
            } catch {
                logger.warning(
                    "Fair share not corrected", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
            }
        }
    }

    public func retry(_ params: RetryParams) async throws -> Job {
        try await updateLeased(
            params.lease,
            """
            UPDATE jobs
               SET state = 'queued', run_after = \(params.runAfter), attempt = attempt - \(params.refundsAttempt ? 1 : 0),
                   progress_step = 0, lease_owner = NULL, lease_expires_at = NULL
             WHERE id = \(params.lease.jobID.rawValue) AND state = 'running' AND lease_token = \(params.lease.token)
            RETURNING *
            """)
    }

    public func fail(_ params: FailParams) async throws -> Job {
        try await updateLeased(
            params.lease,
            """
            UPDATE jobs
               SET state = 'failed', finished_at = coalesce(\(params.now)::timestamptz, now()),
                   error_code = \(params.failure.code), error_message = \(params.failure.message),
                   lease_owner = NULL, lease_expires_at = NULL
             WHERE id = \(params.lease.jobID.rawValue) AND state = 'running' AND lease_token = \(params.lease.token)
            RETURNING *
            """)
    }

    public func cancel(_ params: CancelParams) async throws -> Job {
        let id = params.id
        let jobs = try await write { [self] in
            let canceled = try await committed { [self] connection in
                try await fetchJobs(
                    """
                    UPDATE jobs
                       SET state = 'canceled', finished_at = coalesce(\(params.now)::timestamptz, now()),
                           lease_owner = NULL, lease_expires_at = NULL
                     WHERE id = \(id.rawValue)
                       AND (state = 'queued' OR (state = 'running' AND NOT \(params.onlyIfQueued)))
                    RETURNING *
                    """, on: connection)
            }
            if !canceled.isEmpty { return canceled }
            guard let current = try await fetchJobs("SELECT * FROM jobs WHERE id = \(id.rawValue)").first else {
                throw JobStoreError.notFound(id)
            }
            throw JobStoreError.conflict(id, state: current.state)
        }
        return jobs[0]
    }

    /// Runs a guarded UPDATE; no row means the caller's lease is gone.
    private func updateLeased(_ lease: LeaseRef, _ query: PostgresQuery) async throws -> Job {
        try await updateLeased(lease) { [self] in try await fetchJobs(query) }
    }

    /// Runs a guarded UPDATE prepared on each connection (the hot path's); no row means the lease is gone.
    private func updateLeased(_ lease: LeaseRef, _ statement: some JobRowStatement) async throws -> Job {
        try await updateLeased(lease) { [self] in try await fetchJobs(statement) }
    }

    private func updateLeased(
        _ lease: LeaseRef, _ update: @escaping @Sendable () async throws -> [Job]
    ) async throws -> Job {
        let jobs = try await write {
            let updated = try await update()
            guard !updated.isEmpty else { throw JobStoreError.leaseLost(lease.jobID) }
            return updated
        }
        return jobs[0]
    }
}
