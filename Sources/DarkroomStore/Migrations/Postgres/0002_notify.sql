-- Every committed change to a job is announced on channel darkroom_jobs as "<application_name> <job id>".
-- Other processes re-read the job and publish it on their change feed; the process that made the change
-- (its application_name is its instance id) skips its own announcements, having published them already.
CREATE FUNCTION darkroom_notify_job() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('darkroom_jobs', current_setting('application_name') || ' ' || NEW.id); RETURN NULL; END $$;
CREATE TRIGGER jobs_notify AFTER INSERT OR UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION darkroom_notify_job();
