-- Deadlines: a job may say until when its result is useful (deadline_at, Unix seconds; NULL: never). Past it
-- the job ends 'expired' with error_code 'deadline_exceeded': a queued job is never started, a running one is
-- stopped. SQLite cannot change a table's checks in place, so the table is rebuilt (the migrator turns foreign
-- keys off for the migration and checks them after), with its indexes and trigger.
CREATE TABLE jobs_new (
    id                TEXT    PRIMARY KEY NOT NULL,
    tenant            TEXT    NOT NULL,
    priority          INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 9),
    state             TEXT    NOT NULL
                              CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'canceled', 'expired')),
    request           TEXT    NOT NULL,
    attempt           INTEGER NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    max_attempts      INTEGER NOT NULL CHECK (max_attempts >= 1),
    run_after         REAL    NOT NULL,
    lease_owner       TEXT,
    lease_token       INTEGER NOT NULL DEFAULT 0,
    lease_expires_at  REAL,
    lease_lost_count  INTEGER NOT NULL DEFAULT 0,
    progress_step     INTEGER NOT NULL DEFAULT 0,
    progress_steps    INTEGER NOT NULL,
    backend           TEXT,
    created_at        REAL    NOT NULL,
    started_at        REAL,
    finished_at       REAL,
    images            TEXT,
    error_code        TEXT,
    error_message     TEXT,
    metadata          TEXT,
    affinity          TEXT    NOT NULL DEFAULT '',
    idempotency_key   TEXT,
    idempotency_fingerprint TEXT,
    webhook_url       TEXT,
    webhook_events    TEXT,
    service_seconds   REAL,
    deadline_at       REAL,
    -- A job is terminal exactly when it has finished.
    CHECK ((state IN ('succeeded', 'failed', 'canceled', 'expired')) = (finished_at IS NOT NULL)),
    -- A running job always holds a lease; no other state does.
    CHECK ((state = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
    -- Failed and expired jobs carry an error; no other state does.
    CHECK ((state IN ('failed', 'expired')) = (error_code IS NOT NULL))
);
INSERT INTO jobs_new (id, tenant, priority, state, request, attempt, max_attempts, run_after, lease_owner, lease_token,
                      lease_expires_at, lease_lost_count, progress_step, progress_steps, backend, created_at,
                      started_at, finished_at, images, error_code, error_message, metadata, affinity, idempotency_key,
                      idempotency_fingerprint, webhook_url, webhook_events, service_seconds)
SELECT id, tenant, priority, state, request, attempt, max_attempts, run_after, lease_owner, lease_token,
       lease_expires_at, lease_lost_count, progress_step, progress_steps, backend, created_at, started_at,
       finished_at, images, error_code, error_message, metadata, affinity, idempotency_key, idempotency_fingerprint,
       webhook_url, webhook_events, service_seconds
  FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
CREATE INDEX jobs_claimable ON jobs (priority DESC, created_at, id) WHERE state = 'queued';
CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE state = 'running';
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX jobs_state ON jobs (state, id);
CREATE UNIQUE INDEX jobs_idempotency ON jobs (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL;
-- The sweeper's scan: unfinished jobs by deadline, so overdue ones are found without reading the queue.
CREATE INDEX jobs_deadlines ON jobs (deadline_at) WHERE state IN ('queued', 'running') AND deadline_at IS NOT NULL;
CREATE TRIGGER jobs_webhook AFTER UPDATE OF state ON jobs FOR EACH ROW WHEN NEW.webhook_url IS NOT NULL AND NEW.state <> OLD.state AND instr(NEW.webhook_events, '"job.' || NEW.state || '"') > 0 BEGIN INSERT INTO webhook_deliveries (id, job_id, event, url, state, created_at, next_attempt_at) VALUES ('msg_' || lower(hex(randomblob(16))), NEW.id, 'job.' || NEW.state, NEW.webhook_url, 'pending', coalesce(NEW.finished_at, NEW.started_at), coalesce(NEW.finished_at, NEW.started_at)); END;
