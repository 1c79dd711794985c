-- How long the server worked on a succeeded job (its turn on the GPU), recorded at completion. The mean service
-- time uses it: finished_at - started_at also counts the wait of a job claimed ahead and the finishing of its
-- answer, which overlap the GPU's next job. NULL for jobs completed before this column existed.
ALTER TABLE jobs ADD COLUMN service_seconds double precision;
