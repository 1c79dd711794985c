import DarkroomCore
import Foundation
import GRDB

/// One method per state transition. Every UPDATE names the state it expects and, for a worker's
/// update, the lease token: a row that does not match is left alone and the caller is told.
extension SQLiteJobStore {
    public func enqueue(_ params: EnqueueParams) async throws -> Job {
        let requestJSON = try jsonText(params.request)
        DecodedRequests.shared.remember(params.request, asJSON: requestJSON)
        let now = params.now.unixSecondsOrNow
        let jobs = try await update { db in
            // One writer at a time: the look-up and the insert cannot interleave with another enqueue.
            if let idempotency = params.idempotency,
                let existing = try Self.jobNamed(by: idempotency, tenant: params.tenant, now: now, db: db)
            {
                return [existing]
            }
            return [
                try Job.fetchOne(
                    db.cachedStatement(
                        sql: """
                            INSERT INTO jobs (id, tenant, priority, state, request, max_attempts, run_after,
                                              progress_steps, created_at, metadata, affinity,
                                              idempotency_key, idempotency_fingerprint, webhook_url,
                                              webhook_events, deadline_at, vstart, vfinish)
                            SELECT ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                                   tag.vstart, tag.vstart + ? / tag.weight
                              FROM (\(Self.fairTag)) AS tag
                            RETURNING *
                            """),
                    arguments: [
                        params.id.rawValue, params.tenant, params.priority, requestJSON, params.maxAttempts, now,
                        params.request.steps, now, params.metadataJSON, params.request.affinity.key,
                        params.idempotency?.key, params.idempotency?.fingerprint, params.webhook?.url,
                        params.webhook?.eventsColumn, params.deadline?.timeIntervalSince1970,
                        params.request.referencePortraits, params.tenant, params.tenant,
                    ])!
            ]
        }
        // A repeat changed nothing, so there is nothing to announce.
        if jobs[0].id == params.id { feed.publish(jobs) }
        return jobs[0]
    }

    public func job(named idempotency: IdempotencyKey, tenant: String, now: Date?) async throws -> Job? {
        let now = now.unixSecondsOrNow
        return try await read { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT * FROM jobs WHERE tenant = ? AND idempotency_key = ? AND created_at >= ?"),
                    arguments: [tenant, idempotency.key, now - IdempotencyKey.retention.seconds])
            else { return nil }
            return try Self.repeated(row, of: idempotency)
        }
    }

    /// The job `idempotency` names for `tenant`, if one was created with it within the retention; a key past
    /// it is released first.
    ///
    /// - Throws: ``JobStoreError/idempotencyKeyReused(_:)`` when that job came from a different request.
    private static func jobNamed(by idempotency: IdempotencyKey, tenant: String, now: Double, db: Database) throws
        -> Job?
    {
        try db.execute(
            sql: """
                UPDATE jobs SET idempotency_key = NULL
                WHERE tenant = ? AND idempotency_key = ? AND created_at < ?
                """,
            arguments: [tenant, idempotency.key, now - IdempotencyKey.retention.seconds])
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM jobs WHERE tenant = ? AND idempotency_key = ?"),
                arguments: [tenant, idempotency.key])
        else { return nil }
        return try repeated(row, of: idempotency)
    }

    /// The job of `row`, which `idempotency`'s key names.
    ///
    /// - Throws: ``JobStoreError/idempotencyKeyReused(_:)`` when it came from a different request.
    private static func repeated(_ row: Row, of idempotency: IdempotencyKey) throws -> Job {
        let job = try Job(sqliteRow: row)
        guard row["idempotency_fingerprint"] == idempotency.fingerprint else {
            throw JobStoreError.idempotencyKeyReused(job.id)
        }
        return job
    }

    public func claim(_ params: ClaimParams) async throws -> [Job] {
        let now = params.now.unixSecondsOrNow
        // One turn at a time (``claimNextTurn(_:now:db:)``), all in one write: SQLite has one writer, so no other
        // claim sees a job half taken. INDEXED BY: left to itself, SQLite's planner picks `jobs_state` and sorts
        // every queued job (180 ms per claim at 100,000 queued, against 0.2 ms through an index in claim order). A
        // job past its deadline is never taken; the sweeper (`expireOverdue`) ends it.
        return try await write { db in
            var claimed: [Job] = []
            while claimed.count < params.limit, let job = try Self.claimNextTurn(params, now: now, db: db) {
                claimed.append(job)
            }
            return claimed.sorted(by: Job.isClaimedBefore)
        }
    }

    public func heartbeat(_ params: HeartbeatParams) async throws -> Job {
        let expiresAt = params.now.unixSecondsOrNow + params.leaseDuration.seconds
        return try await updateLeased(
            params.lease,
            set: "lease_expires_at = ?, progress_step = coalesce(?, progress_step)",
            arguments: [expiresAt, params.progress?.step]
        )
    }

    public func complete(_ params: CompleteParams) async throws -> Job {
        try await updateLeased(
            params.lease,
            set: """
                state = 'succeeded', finished_at = ?, images = ?, progress_step = progress_steps,
                started_at = min(max(started_at, coalesce(?, started_at)), ?), service_seconds = ?,
                lease_owner = NULL, lease_expires_at = NULL
                """,
            arguments: [
                params.now.unixSecondsOrNow, try jsonText(params.images), params.startedAt?.timeIntervalSince1970,
                params.now.unixSecondsOrNow, params.serviceTime?.seconds,
            ]
        ) { job, db in
            guard let correction = params.costCorrection, correction != 0 else { return }
            try Self.correctFairShare(of: job.tenant, byPortraits: correction, db: db)
        }
    }

    public func retry(_ params: RetryParams) async throws -> Job {
        try await updateLeased(
            params.lease,
            set: """
                state = 'queued', run_after = ?, attempt = attempt - ?, progress_step = 0,
                lease_owner = NULL, lease_expires_at = NULL
                """,
            arguments: [params.runAfter.timeIntervalSince1970, params.refundsAttempt ? 1 : 0]
        )
    }

    public func fail(_ params: FailParams) async throws -> Job {
        try await updateLeased(
            params.lease,
            set: """
                state = 'failed', finished_at = ?, error_code = ?, error_message = ?,
                lease_owner = NULL, lease_expires_at = NULL
                """,
            arguments: [params.now.unixSecondsOrNow, params.failure.code, params.failure.message]
        )
    }

    public func cancel(_ params: CancelParams) async throws -> Job {
        let id = params.id
        let now = params.now.unixSecondsOrNow
        let jobs = try await write { db in
            let updated = try Job.fetchOne(
                db.cachedStatement(
                    sql: """
                        UPDATE jobs SET state = 'canceled', finished_at = ?, lease_owner = NULL, lease_expires_at = NULL
                         WHERE id = ? AND (state = 'queued' OR (state = 'running' AND NOT ?))
                        RETURNING *
                        """),
                arguments: [now, id.rawValue, params.onlyIfQueued]
            )
            if let updated { return [updated] }
            guard
                let current = try Job.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM jobs WHERE id = ?"), arguments: [id.rawValue])
            else { throw JobStoreError.notFound(id) }
            throw JobStoreError.conflict(id, state: current.state)
        }
        return jobs[0]
    }

    /// Applies `set` to the job only while it runs under `lease`, then runs `andThen` with the job in the same
    /// transaction; otherwise throws ``JobStoreError/leaseLost(_:)``.
    private func updateLeased(
        _ lease: LeaseRef, set: String, arguments: StatementArguments,
        andThen: @escaping @Sendable (Job, Database) throws -> Void = { _, _ in }
    ) async throws -> Job {
        let sql = "UPDATE jobs SET \(set) WHERE id = ? AND state = 'running' AND lease_token = ? RETURNING *"
        let allArguments = arguments + [lease.jobID.rawValue, lease.token]
        let jobs = try await write { db in
            guard let job = try Job.fetchOne(db.cachedStatement(sql: sql), arguments: allArguments) else {
                throw JobStoreError.leaseLost(lease.jobID)
            }
            try andThen(job, db)
            return [job]
        }
        return jobs[0]
    }
}
