-- The jobs table: the queue, the leases and the results.
CREATE TABLE jobs (
    id                text        PRIMARY KEY,
    tenant            text        NOT NULL,
    priority          integer     NOT NULL CHECK (priority BETWEEN 0 AND 9),
    state             text        NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'canceled')),
    request           text        NOT NULL,
    attempt           integer     NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    max_attempts      integer     NOT NULL CHECK (max_attempts >= 1),
    run_after         timestamptz NOT NULL,
    lease_owner       text,
    lease_token       bigint      NOT NULL DEFAULT 0,
    lease_expires_at  timestamptz,
    lease_lost_count  integer     NOT NULL DEFAULT 0,
    progress_step     integer     NOT NULL DEFAULT 0,
    progress_steps    integer     NOT NULL,
    backend           text,
    created_at        timestamptz NOT NULL,
    started_at        timestamptz,
    finished_at       timestamptz,
    images            text,
    error_code        text,
    error_message     text,
    metadata          text,
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
