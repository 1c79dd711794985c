-- Announcements carry the job's new state, as a JSON array of strings: [process, schema, job id, state], the
-- process being the writer's application_name. A process that only needs states (a worker: new work to claim, a
-- running job canceled) then reads nothing; one that streams whole jobs to its clients re-reads them as before.
-- The schema tells apart clusters that share a database (NOTIFY channels are per database).
CREATE OR REPLACE FUNCTION darkroom_notify_job() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('darkroom_jobs', json_build_array(current_setting('application_name'), TG_TABLE_SCHEMA, NEW.id, NEW.state)::text); RETURN NULL; END $$;
