-- Compliance reports (issue 5). Both tables are append-only: a request is written once, and its
-- progress is a sequence of status records (running, then succeeded or failed). The primary key
-- (report_id, status) lets exactly one worker claim a report (a second 'running' insert conflicts),
-- and the partial unique index lets a report finish exactly once.

CREATE TABLE report_job (
    id           uuid        PRIMARY KEY,
    tenant       text        COLLATE "C" NOT NULL,
    report_type  text        NOT NULL,
    format       text        NOT NULL,
    parameters   text        NOT NULL,
    requested_by text        NOT NULL,
    requested_at timestamptz NOT NULL,
    tree_size    bigint      NOT NULL CHECK (tree_size >= 1)
);
CREATE INDEX report_job_tenant_ix ON report_job (tenant, requested_at);

CREATE TABLE report_job_status (
    report_id      uuid        NOT NULL REFERENCES report_job (id),
    status         text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    at             timestamptz NOT NULL,
    event_count    bigint,
    content_bytes  bigint,
    content_sha256 bytea       CHECK (content_sha256 IS NULL OR octet_length(content_sha256) = 32),
    error          text,
    PRIMARY KEY (report_id, status),
    CHECK (status <> 'succeeded' OR (content_bytes IS NOT NULL AND content_sha256 IS NOT NULL))
);
CREATE UNIQUE INDEX report_job_status_finished_once ON report_job_status (report_id)
    WHERE status IN ('succeeded', 'failed');

CREATE TRIGGER report_job_no_update_delete BEFORE UPDATE OR DELETE ON report_job
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER report_job_no_truncate BEFORE TRUNCATE ON report_job
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER report_job_status_no_update_delete BEFORE UPDATE OR DELETE ON report_job_status
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER report_job_status_no_truncate BEFORE TRUNCATE ON report_job_status
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();

REVOKE ALL ON report_job, report_job_status FROM PUBLIC;
GRANT SELECT, INSERT ON report_job, report_job_status TO ${app_role};
