-- Report files where every instance reads them (issue 19, docs/REPORTS.md "Report files"). A generated file is kept
-- in report_file_content when small, or in the archive store (S3 Object Lock or the local write-once directory) when
-- large; report_file records where it is, its size and its SHA-256, which every download checks. A file is recorded
-- once and never changed. At the end of its retention its bytes are purged, only through
-- stenographer_purge_report_file below, which refuses a file under a legal hold and one younger than the floor the
-- database keeps itself; the purge is recorded in report_file_purge, and the record stays.

-- The database's own floor under report-file retention. Set from stenographer.reports.files.minimum-retention when
-- this migration ran; afterwards only the schema owner can change it (the application role may only read it):
--   UPDATE report_file_retention_floor SET keep_at_least = 'P30D';
CREATE TABLE report_file_retention_floor (
    only_row      boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    keep_at_least text    NOT NULL CHECK (keep_at_least ~ '^P' AND keep_at_least::interval > interval '0')
);
INSERT INTO report_file_retention_floor (keep_at_least) VALUES ('${report_files_retention_floor}');
REVOKE ALL ON report_file_retention_floor FROM PUBLIC;
GRANT SELECT ON report_file_retention_floor TO ${app_role};

CREATE TABLE report_file (
    report_id    uuid        PRIMARY KEY REFERENCES report_job (id),
    tenant       text        COLLATE "C" NOT NULL,
    format       text        NOT NULL,
    bytes        bigint      NOT NULL CHECK (bytes >= 0),
    sha256       bytea       NOT NULL CHECK (octet_length(sha256) = 32),
    location     text        NOT NULL CHECK (location IN ('database', 'archive')),
    archive_key  text        CHECK (archive_key ~ '^reports/'),
    locked_until timestamptz,
    -- The database's clock, whatever the inserting session says (trigger below): retention counts from here.
    stored_at    timestamptz NOT NULL,
    CHECK ((location = 'archive') = (archive_key IS NOT NULL)),
    CHECK ((location = 'archive') = (locked_until IS NOT NULL))
);
-- The purge's candidates: a tenant's files, oldest first.
CREATE INDEX report_file_tenant_stored_ix ON report_file (tenant, stored_at, report_id);

-- The bytes of a file kept in the database; they must be exactly what the file's record says.
CREATE TABLE report_file_content (
    report_id uuid  PRIMARY KEY REFERENCES report_file (report_id),
    content   bytea NOT NULL
);

CREATE TABLE report_file_purge (
    report_id  uuid        PRIMARY KEY REFERENCES report_file (report_id),
    purged_at  timestamptz NOT NULL,
    job_run_id uuid        NOT NULL
);

-- A file's record names its report's tenant and format, and is stamped with the database's time.
CREATE FUNCTION stenographer_report_file_recorded() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM report_job j
                   WHERE j.id = NEW.report_id AND j.tenant = NEW.tenant AND j.format = NEW.format) THEN
        RAISE EXCEPTION 'stenographer: report file % does not name its report''s tenant and format', NEW.report_id
            USING ERRCODE = 'check_violation';
    END IF;
    NEW.stored_at := now();
    RETURN NEW;
END;
$$;
CREATE TRIGGER report_file_recorded BEFORE INSERT ON report_file
    FOR EACH ROW EXECUTE FUNCTION stenographer_report_file_recorded();

CREATE FUNCTION stenographer_report_file_content_matches() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM report_file f
                   WHERE f.report_id = NEW.report_id AND f.location = 'database'
                     AND f.bytes = octet_length(NEW.content) AND f.sha256 = sha256(NEW.content)) THEN
        RAISE EXCEPTION 'stenographer: the content of report file % does not match its recorded size and SHA-256',
            NEW.report_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER report_file_content_matches BEFORE INSERT ON report_file_content
    FOR EACH ROW EXECUTE FUNCTION stenographer_report_file_content_matches();

-- Content rows leave only inside the purge function: the schema owner with the function's transaction-local flag.
CREATE FUNCTION stenographer_reject_report_file_content_mutation() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('stenographer.purging_report_file', true) = 'on'
            AND current_user = '${flyway:user}' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'stenographer: % on % is forbidden, report files leave only through their purge function',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER report_file_no_update_delete BEFORE UPDATE OR DELETE ON report_file
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER report_file_no_truncate BEFORE TRUNCATE ON report_file
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER report_file_content_no_update_delete BEFORE UPDATE OR DELETE ON report_file_content
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_report_file_content_mutation();
CREATE TRIGGER report_file_content_no_truncate BEFORE TRUNCATE ON report_file_content
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER report_file_purge_no_update_delete BEFORE UPDATE OR DELETE ON report_file_purge
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER report_file_purge_no_truncate BEFORE TRUNCATE ON report_file_purge
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();

REVOKE ALL ON report_file, report_file_content, report_file_purge FROM PUBLIC;
GRANT SELECT, INSERT ON report_file, report_file_content TO ${app_role};
GRANT SELECT ON report_file_purge TO ${app_role};

-- The one way a report file's bytes leave: refused while the file is younger than the floor above, and while any
-- unreleased legal hold of the report's tenant has an occurredAt range that overlaps the report's period (the hold's
-- other criteria are not compared: which events a report holds depends on its filters and content, and keeping a file
-- too long is the safe side). The purge's report.file.purged event must already be in the tenant's log. Tenant and
-- period come from the report's own append-only request row, never from the caller.
CREATE FUNCTION stenographer_purge_report_file(p_report_id uuid, p_job_run_id uuid)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
DECLARE
    file report_file%ROWTYPE;
    job report_job%ROWTYPE;
    floor_period interval;
    period_from timestamptz;
    period_to timestamptz;
BEGIN
    -- One purge of a file at a time (the row lock), so two runs cannot both pass the checks.
    SELECT * INTO file FROM report_file WHERE report_id = p_report_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'stenographer: no report file %', p_report_id USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM report_file_purge WHERE report_id = p_report_id) THEN
        RAISE EXCEPTION 'stenographer: report file % was purged already', p_report_id
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT keep_at_least::interval INTO floor_period FROM report_file_retention_floor;
    IF floor_period IS NULL OR now() < file.stored_at + floor_period THEN
        RAISE EXCEPTION 'stenographer: report file % is within the retention floor (%, stored at %)', p_report_id,
            floor_period, file.stored_at USING ERRCODE = 'check_violation';
    END IF;
    SELECT * INTO job FROM report_job WHERE id = p_report_id;
    BEGIN
        period_from := coalesce((job.parameters::jsonb ->> 'from')::timestamptz, '-infinity');
        period_to := coalesce((job.parameters::jsonb ->> 'to')::timestamptz, 'infinity');
    EXCEPTION WHEN OTHERS THEN
        -- An unreadable period is the whole of time: every hold of the tenant keeps the file.
        period_from := '-infinity';
        period_to := 'infinity';
    END;
    IF EXISTS (SELECT 1 FROM legal_hold h
               WHERE h.tenant = job.tenant
                 AND NOT EXISTS (SELECT 1 FROM legal_hold_release r WHERE r.hold_id = h.id)
                 AND (h.occurred_from IS NULL OR h.occurred_from < period_to)
                 AND (h.occurred_to IS NULL OR h.occurred_to > period_from)) THEN
        RAISE EXCEPTION 'stenographer: report file % is kept by a legal hold over its period', p_report_id
            USING ERRCODE = 'check_violation';
    END IF;
    PERFORM stenographer_require_self_audit(job.tenant, 'report.file.purged', 'report', p_report_id::text, NULL);
    PERFORM set_config('stenographer.purging_report_file', 'on', true);
    DELETE FROM report_file_content WHERE report_id = p_report_id;
    PERFORM set_config('stenographer.purging_report_file', 'off', true);
    INSERT INTO report_file_purge (report_id, purged_at, job_run_id) VALUES (p_report_id, now(), p_job_run_id);
END;
$$;
REVOKE ALL ON FUNCTION stenographer_purge_report_file(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stenographer_purge_report_file(uuid, uuid) TO ${app_role};

-- The report-file purge is a job like archive and purge, with its runs in job_run.
ALTER TABLE job_run DROP CONSTRAINT job_run_job_check;
ALTER TABLE job_run ADD CONSTRAINT job_run_job_check CHECK (job IN ('archive', 'purge', 'report_files'));
