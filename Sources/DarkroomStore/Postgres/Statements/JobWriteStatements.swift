import DarkroomCore
import Foundation
import PostgresNIO

/// A new queued job; with an idempotency key already taken, nothing (see ``PostgresJobStore/enqueue(_:)``).
struct EnqueueStatement: JobRowStatement {
    static let sql = """
        INSERT INTO jobs (id, tenant, priority, state, request, max_attempts, run_after, progress_steps, created_at,
                          metadata, affinity, idempotency_key, idempotency_fingerprint, webhook_url, webhook_events)
        VALUES ($1, $2, $3, 'queued', $4, $5, coalesce($6, now()), $7, coalesce($6, now()),
                $8, $9, $10, $11, $12, $13)
        ON CONFLICT (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
        RETURNING \(Job.postgresColumns())
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .text, .text, .int8, .text, .int8, .timestamptz, .int8, .text, .text, .text, .text, .text, .text,
    ]

    var params: EnqueueParams
    /// The request as stored: its JSON text.
    var requestJSON: String

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 13)
        bindings.append(params.id.rawValue)
        bindings.append(params.tenant)
        bindings.append(params.priority)
        bindings.append(requestJSON)
        bindings.append(params.maxAttempts)
        bindings.append(params.now)
        bindings.append(params.request.steps)
        bindings.append(params.metadataJSON)
        bindings.append(params.request.affinity.key)
        bindings.append(params.idempotency?.key)
        bindings.append(params.idempotency?.fingerprint)
        bindings.append(params.webhook?.url)
        bindings.append(params.webhook?.eventsColumn)
        return bindings
    }
}

/// A worker's heartbeat: the lease extended, and the progress when it has some.
struct HeartbeatStatement: JobRowStatement {
    static let sql = """
        UPDATE jobs
           SET lease_expires_at = coalesce($1, now()) + make_interval(secs => $2),
               progress_step = coalesce($3::integer, progress_step)
         WHERE id = $4 AND state = 'running' AND lease_token = $5
        RETURNING \(Job.postgresColumns())
        """
    static let bindingDataTypes: [PostgresDataType] = [.timestamptz, .float8, .int8, .text, .int8]

    var params: HeartbeatParams

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(params.now)
        bindings.append(params.leaseDuration.seconds)
        bindings.append(params.progress?.step)
        bindings.append(params.lease.jobID.rawValue)
        bindings.append(params.lease.token)
        return bindings
    }
}

/// A job's success, with its images; `started_at` moves to when its server began on it, never past the end.
struct CompleteStatement: JobRowStatement {
    static let sql = """
        UPDATE jobs
           SET state = 'succeeded', finished_at = coalesce($1, now()), images = $2, progress_step = progress_steps,
               started_at = least(greatest(started_at, coalesce($3, started_at)), coalesce($1, now())),
               service_seconds = $4, lease_owner = NULL, lease_expires_at = NULL
         WHERE id = $5 AND state = 'running' AND lease_token = $6
        RETURNING \(Job.postgresColumns())
        """
    static let bindingDataTypes: [PostgresDataType] = [.timestamptz, .text, .timestamptz, .float8, .text, .int8]

    var params: CompleteParams
    /// The images as stored: their JSON text.
    var imagesJSON: String

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 6)
        bindings.append(params.now)
        bindings.append(imagesJSON)
        bindings.append(params.startedAt)
        bindings.append(params.serviceTime?.seconds)
        bindings.append(params.lease.jobID.rawValue)
        bindings.append(params.lease.token)
        return bindings
    }
}
