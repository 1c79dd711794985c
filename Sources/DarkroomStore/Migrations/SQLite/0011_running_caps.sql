-- Tenants with a cap on running jobs (--max-running): the claim reads them, and each one's running count through
-- jobs_tenant_unfinished, to pass over a tenant at its cap.
CREATE INDEX tenants_capped ON tenants (name) WHERE max_running IS NOT NULL;
