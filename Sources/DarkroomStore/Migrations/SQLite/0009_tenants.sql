-- Tenants: who submits jobs, their share of the GPUs (weight) and their limits (NULL: unlimited). Jobs name their
-- tenant by name; 'default' is the tenant of every job submitted while authentication is off. Times are Unix
-- seconds (REAL).
CREATE TABLE tenants (
    name              TEXT    PRIMARY KEY NOT NULL,
    weight            REAL    NOT NULL DEFAULT 1 CHECK (weight > 0),
    max_queued        INTEGER,
    max_running       INTEGER,
    rate_per_second   REAL,
    burst             INTEGER,
    daily_gpu_seconds REAL,
    created_at        REAL    NOT NULL
);
INSERT INTO tenants (name, created_at) VALUES ('default', (julianday('now') - 2440587.5) * 86400.0);
-- API keys: 'dr_<id>_<secret>'; only the hex SHA-256 of the secret is kept. Deleting a tenant deletes its keys.
CREATE TABLE api_keys (
    id                TEXT    PRIMARY KEY NOT NULL,
    tenant            TEXT    NOT NULL REFERENCES tenants (name) ON DELETE CASCADE,
    label             TEXT,
    admin             INTEGER NOT NULL DEFAULT 0,
    secret_hash       TEXT    NOT NULL,
    created_at        REAL    NOT NULL,
    revoked_at        REAL
);
CREATE INDEX api_keys_tenant ON api_keys (tenant, created_at);
-- A tenant's own jobs, newest first (GET /v1/jobs), and its unfinished ones (its counts at admission).
CREATE INDEX jobs_tenant ON jobs (tenant, id);
CREATE INDEX jobs_tenant_unfinished ON jobs (tenant, state) WHERE state IN ('queued', 'running');
