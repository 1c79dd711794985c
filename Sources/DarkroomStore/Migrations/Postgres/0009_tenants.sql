-- Tenants: who submits jobs, their share of the GPUs (weight) and their limits (NULL: unlimited). Jobs name their
-- tenant by name; 'default' is the tenant of every job submitted while authentication is off.
CREATE TABLE tenants (
    name              text        PRIMARY KEY NOT NULL,
    weight            double precision NOT NULL DEFAULT 1 CHECK (weight > 0),
    max_queued        integer,
    max_running       integer,
    rate_per_second   double precision,
    burst             integer,
    daily_gpu_seconds double precision,
    created_at        timestamptz NOT NULL
);
INSERT INTO tenants (name, created_at) VALUES ('default', now());
-- API keys: 'dr_<id>_<secret>'; only the hex SHA-256 of the secret is kept. Deleting a tenant deletes its keys.
CREATE TABLE api_keys (
    id                text        PRIMARY KEY NOT NULL,
    tenant            text        NOT NULL REFERENCES tenants (name) ON DELETE CASCADE,
    label             text,
    admin             boolean     NOT NULL DEFAULT false,
    secret_hash       text        NOT NULL,
    created_at        timestamptz NOT NULL,
    revoked_at        timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant, created_at);
-- A tenant's own jobs, newest first (GET /v1/jobs), and its unfinished ones (its counts at admission).
CREATE INDEX jobs_tenant ON jobs (tenant, id);
CREATE INDEX jobs_tenant_unfinished ON jobs (tenant, state) WHERE state IN ('queued', 'running');
