-- Live previews across a cluster (docs/studio.md, "Live previews"). Both tables are UNLOGGED: previews are
-- transient, so they skip the WAL, are emptied by a crash and do not reach replicas; backups leave their data
-- out (docs/operations.md: pg_dump --exclude-table-data).

-- The newest preview of each running job, replaced at each preview and deleted when its attempt ends.
-- A NOTIFY on darkroom_previews names the job; the image itself never goes through NOTIFY (8,000-byte limit).
CREATE UNLOGGED TABLE job_previews (
    job_id      text        PRIMARY KEY,
    tenant      text        NOT NULL,
    step        integer     NOT NULL,
    steps       integer     NOT NULL,
    media_type  text        NOT NULL,
    image       bytea       NOT NULL,
    made_at     timestamptz NOT NULL DEFAULT now()
);

-- What each gateway process's event streams watch: one job, a tenant's jobs, or every job (kind 'everyone',
-- name ''). Rewritten by the gateway every few seconds; a row past expires_at is forgotten.
CREATE UNLOGGED TABLE preview_watches (
    process     text        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('job', 'tenant', 'everyone')),
    name        text        NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (process, kind, name)
);
