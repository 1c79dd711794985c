-- The jobs table: the queue, the leases and the results. Times are Unix seconds (REAL).
CREATE TABLE jobs (
    id                TEXT    PRIMARY KEY NOT NULL,
    tenant            TEXT    NOT NULL,
    priority          INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 9),
    state             TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'canceled')),
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
    -- A job is terminal exactly when it has finished.
    CHECK ((state IN ('succeeded', 'failed', 'canceled')) = (finished_at IS NOT NULL)),
    -- A running job always holds a lease; no other state does.
    CHECK ((state = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
    -- Only failed jobs carry an error.
    CHECK ((state = 'failed') = (error_code IS NOT NULL))
);

-- Claim order: priority first, then age.
CREATE INDEX jobs_claimable ON jobs (priority DESC, created_at, id) WHERE state = 'queued';
-- The rescuer's scan.
CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE state = 'running';
-- Recent-rate statistics and retention.
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX jobs_state ON jobs (state, id);
