-- A report file's own key leaves with the file (docs/PRIVACY.md §4). A report with personal data is stored encrypted
-- under a key of its own (V23). Once its purge deletes the bytes nothing needs that key, and destroying it makes any
-- copy that survived elsewhere (a backup, an earlier object version) unreadable, as an erasure does for a subject.

-- The key guard of V22. It also lets stenographer_purge_report_file destroy the purged report's own key, and no
-- other key: the flag names the report, and the key must be that report's.
CREATE OR REPLACE FUNCTION stenographer_guard_personal_data_key() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.erased_at IS NOT NULL OR NEW.id <> OLD.id OR NEW.tenant <> OLD.tenant
       OR NEW.subject_index <> OLD.subject_index OR NEW.created_at <> OLD.created_at THEN
        RAISE EXCEPTION 'stenographer: a personal data key is only rewrapped or erased' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.erased_at IS NOT NULL AND current_setting('stenographer.erasing_subject', true) IS DISTINCT FROM 'on'
       AND NOT EXISTS (SELECT 1 FROM report_personal_data r
                       WHERE r.key_id = NEW.id
                         AND r.report_id::text = current_setting('stenographer.purging_report_key_of', true)) THEN
        RAISE EXCEPTION 'stenographer: a personal data key is erased only by stenographer_erase_subject, or with its'
                        ' report''s file by stenographer_purge_report_file'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

-- V19's purge, unchanged up to the deletion of the bytes, which now also destroys the report's own key.
CREATE OR REPLACE FUNCTION stenographer_purge_report_file(p_report_id uuid, p_job_run_id uuid)
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
    PERFORM set_config('stenographer.purging_report_key_of', p_report_id::text, true);
    UPDATE personal_data_key SET wrapped_key = NULL, erased_at = now()
    WHERE erased_at IS NULL AND id IN (SELECT r.key_id FROM report_personal_data r WHERE r.report_id = p_report_id);
    PERFORM set_config('stenographer.purging_report_key_of', '', true);
    INSERT INTO report_file_purge (report_id, purged_at, job_run_id) VALUES (p_report_id, now(), p_job_run_id);
END;
$$;
REVOKE ALL ON FUNCTION stenographer_purge_report_file(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stenographer_purge_report_file(uuid, uuid) TO ${app_role};
