-- Report generation that survives an instance failing (issue 19). A worker generates a report under a claim:
-- attempt n, by one service instance, whose heartbeat the instance refreshes while it works. A claim whose heartbeat
-- went stale is superseded by attempt n + 1 on another instance; only a report's latest claim may finish it
-- (report_job_status, still append-only). Claims are never deleted, and of a claim only its heartbeat may change,
-- and only forwards: the grant allows the application role nothing else, and the trigger stops everyone else.

CREATE TABLE report_job_claim (
    report_id    uuid        NOT NULL REFERENCES report_job (id),
    attempt      integer     NOT NULL CHECK (attempt >= 1),
    instance_id  text        NOT NULL CHECK (length(instance_id) BETWEEN 1 AND 100),
    claimed_at   timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL,
    PRIMARY KEY (report_id, attempt)
);

CREATE FUNCTION stenographer_report_claim_heartbeat_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW.report_id IS DISTINCT FROM OLD.report_id OR NEW.attempt IS DISTINCT FROM OLD.attempt
            OR NEW.instance_id IS DISTINCT FROM OLD.instance_id OR NEW.claimed_at IS DISTINCT FROM OLD.claimed_at THEN
        RAISE EXCEPTION 'stenographer: only the heartbeat of a report claim may change (append-only otherwise)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.heartbeat_at < OLD.heartbeat_at THEN
        RAISE EXCEPTION 'stenographer: a report claim''s heartbeat never goes back'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER report_job_claim_heartbeat_only BEFORE UPDATE ON report_job_claim
    FOR EACH ROW EXECUTE FUNCTION stenographer_report_claim_heartbeat_only();
CREATE TRIGGER report_job_claim_no_delete BEFORE DELETE ON report_job_claim
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER report_job_claim_no_truncate BEFORE TRUNCATE ON report_job_claim
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();

REVOKE ALL ON report_job_claim FROM PUBLIC;
GRANT SELECT, INSERT ON report_job_claim TO ${app_role};
GRANT UPDATE (heartbeat_at) ON report_job_claim TO ${app_role};

-- Reports running when this version is installed were claimed the old way, by their 'running' status alone: each
-- becomes attempt 1 of an unknown instance with its last sign of life at its start, so it is taken over like any
-- other claim whose instance stopped.
INSERT INTO report_job_claim (report_id, attempt, instance_id, claimed_at, heartbeat_at)
SELECT s.report_id, 1, 'before-V18', s.at, s.at
FROM report_job_status s
WHERE s.status = 'running'
  AND NOT EXISTS (SELECT 1 FROM report_job_status f WHERE f.report_id = s.report_id
                  AND f.status IN ('succeeded', 'failed'));
