-- What the application's own database role could still destroy, closed (docs/SECURITY.md "The application's
-- database role"). A review of every deletion path against that role found five ways; each part below closes one.

-- 1. A rewrap keeps the wrap it replaces. The role rewraps live keys (kek_id, wrapped_key) on rotation, and the
--    database cannot tell a real rewrap from junk: a junk "rewrap" would make every value of the subject unreadable,
--    past any hold, with no erasure recorded. So every wrap a rewrap replaces is kept here, out of the role's reach,
--    and such a key can be restored from it. A key's kept wraps leave only with the key's erasure: nothing may
--    still unwrap an erased key.
CREATE TABLE personal_data_key_wrap (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_id      uuid        NOT NULL REFERENCES personal_data_key (id),
    kek_id      text        NOT NULL,
    wrapped_key bytea       NOT NULL,
    replaced_at timestamptz NOT NULL
);
CREATE INDEX personal_data_key_wrap_key_ix ON personal_data_key_wrap (key_id);
REVOKE ALL ON personal_data_key_wrap FROM PUBLIC;

CREATE FUNCTION stenographer_keep_replaced_wrap() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    IF NEW.erased_at IS NOT NULL THEN
        DELETE FROM personal_data_key_wrap WHERE key_id = NEW.id;
    ELSIF NEW.kek_id IS DISTINCT FROM OLD.kek_id OR NEW.wrapped_key IS DISTINCT FROM OLD.wrapped_key THEN
        INSERT INTO personal_data_key_wrap (key_id, kek_id, wrapped_key, replaced_at)
        VALUES (OLD.id, OLD.kek_id, OLD.wrapped_key, now());
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER personal_data_key_keeps_replaced_wraps AFTER UPDATE ON personal_data_key
    FOR EACH ROW EXECUTE FUNCTION stenographer_keep_replaced_wrap();
REVOKE ALL ON FUNCTION stenographer_keep_replaced_wrap() FROM PUBLIC;

-- 2. A report's own key is a new key. The report-file purge destroys the key report_personal_data names; the role
--    inserts those rows, so it could name a subject's key there and have a routine purge destroy it, past any hold.
--    A report's key must be of the report's tenant, live, created after the report was requested (give or take
--    five minutes of clock skew between instances; a subject's key is created with its first values), and hold no
--    value nor stand for a subject in any report.
CREATE FUNCTION stenographer_refuse_foreign_report_key() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM personal_data_key k JOIN report_job j ON j.id = NEW.report_id
                   WHERE k.id = NEW.key_id AND k.tenant = j.tenant AND k.erased_at IS NULL
                     AND k.created_at >= j.requested_at - interval '5 minutes')
       OR EXISTS (SELECT 1 FROM personal_value v WHERE v.key_id = NEW.key_id)
       OR EXISTS (SELECT 1 FROM report_subject_key l WHERE l.data_key_id = NEW.key_id) THEN
        RAISE EXCEPTION 'stenographer: key % is not a new key of report %''s tenant', NEW.key_id, NEW.report_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER report_personal_data_new_key BEFORE INSERT ON report_personal_data
    FOR EACH ROW EXECUTE FUNCTION stenographer_refuse_foreign_report_key();

-- 3. The guards' flags count only inside the owner's functions. Each flag is set by a SECURITY DEFINER function of
--    the schema's owner; the role could SET the same name in its own session. Today it has no DELETE on
--    personal_value nor UPDATE of erased_at, so that gains it nothing; a later grant must not change that.
CREATE OR REPLACE FUNCTION stenographer_guard_personal_value() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    IF TG_OP = 'DELETE' AND current_user = '${flyway:user}'
       AND (current_setting('stenographer.erasing_subject', true) = 'on'
            OR current_setting('stenographer.deleting_last_copy', true) = 'on') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'stenographer: personal_value rows are never changed and leave only by an erasure or with the '
                    'last copy of their event (%)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE OR REPLACE FUNCTION stenographer_guard_personal_data_key() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.erased_at IS NOT NULL OR NEW.id <> OLD.id OR NEW.tenant <> OLD.tenant
       OR NEW.subject_index <> OLD.subject_index OR NEW.created_at <> OLD.created_at THEN
        RAISE EXCEPTION 'stenographer: a personal data key is only rewrapped or erased' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.erased_at IS NOT NULL
       AND NOT (current_user = '${flyway:user}'
                AND (current_setting('stenographer.erasing_subject', true) = 'on'
                     OR EXISTS (SELECT 1 FROM report_personal_data r
                                WHERE r.key_id = NEW.id
                                  AND r.report_id::text = current_setting('stenographer.purging_report_key_of', true)))) THEN
        RAISE EXCEPTION 'stenographer: a personal data key is erased only by stenographer_erase_subject, or with its'
                        ' report''s file by stenographer_purge_report_file'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

-- 4. An erasure is judged by the data it destroys. The hold check of V23 looked for the subject's events by the id
--    the caller gave, in the hot store only, while the keys destroyed were chosen by the subject index the caller
--    gave, which the database cannot tie to that id. So it missed a hold over the subject's archived events (their
--    values stay after the hot copy is purged), and a caller could name one subject and destroy another's keys.
--    Now every event whose values the erasure makes unreadable, hot or archived, is also judged against the holds.

-- The rule of stenographer_is_held for one hold and one event's attributes. Plain SQL with no settings, so a query
-- inlines it.
CREATE FUNCTION stenographer_hold_covers(h_actor_id text, h_resource_type text, h_resource_id text,
                                         h_action_pattern text, h_occurred_from timestamptz,
                                         h_occurred_to timestamptz, e_actor_id text, e_action text,
                                         e_resource_type text, e_resource_id text, e_occurred_at timestamptz)
    RETURNS boolean
    LANGUAGE sql IMMUTABLE AS
$$
    SELECT (h_actor_id IS NULL OR h_actor_id = e_actor_id)
       AND (h_resource_type IS NULL OR h_resource_type = e_resource_type)
       AND (h_resource_id IS NULL OR h_resource_id = e_resource_id)
       AND (h_action_pattern IS NULL
            OR CASE WHEN right(h_action_pattern, 2) = '.*'
                    THEN starts_with(e_action, left(h_action_pattern, -1))
                    ELSE e_action = h_action_pattern END)
       AND (h_occurred_from IS NULL OR e_occurred_at >= h_occurred_from)
       AND (h_occurred_to IS NULL OR e_occurred_at < h_occurred_to)
$$;
REVOKE ALL ON FUNCTION stenographer_hold_covers(text, text, text, text, timestamptz, timestamptz, text, text, text,
    text, timestamptz) FROM PUBLIC;

-- The unreleased hold of the tenant, oldest first, that keeps a report file (the rule of V19's purge): its period
-- overlaps the report's [from, to), read from the report's request; an unreadable period is the whole of time.
CREATE FUNCTION stenographer_hold_keeping_report(p_tenant text, p_parameters text)
    RETURNS uuid
    LANGUAGE plpgsql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
DECLARE
    period_from timestamptz;
    period_to timestamptz;
BEGIN
    BEGIN
        period_from := coalesce((p_parameters::jsonb ->> 'from')::timestamptz, '-infinity');
        period_to := coalesce((p_parameters::jsonb ->> 'to')::timestamptz, 'infinity');
    EXCEPTION WHEN OTHERS THEN
        period_from := '-infinity';
        period_to := 'infinity';
    END;
    RETURN (SELECT h.id FROM legal_hold h
            WHERE h.tenant = p_tenant
              AND NOT EXISTS (SELECT 1 FROM legal_hold_release r WHERE r.hold_id = h.id)
              AND (h.occurred_from IS NULL OR h.occurred_from < period_to)
              AND (h.occurred_to IS NULL OR h.occurred_to > period_from)
            ORDER BY h.placed_at
            LIMIT 1);
END;
$$;
REVOKE ALL ON FUNCTION stenographer_hold_keeping_report(text, text) FROM PUBLIC;

-- As V23, except: the keys are locked first and the holds then (5. below), and a hold refuses the erasure when it
-- names the subject, covers an event found by the subject's id, or covers any event, hot or archived, with a value
-- under the keys to be destroyed. And: a hold that keeps a report file whose key the erasure would destroy (a
-- report holding the subject's values) refuses it too, by the rule of the report-file purge (V26: any unreleased
-- hold of the tenant whose period overlaps the report's), since destroying that key destroys the file as surely.
CREATE OR REPLACE FUNCTION stenographer_erase_subject(p_erasure_id uuid, p_tenant text, p_subject_index bytea,
                                                      p_subject_field text, p_subject_id text, p_requested_by text,
                                                      p_delete_limit integer,
                                                      OUT keys_destroyed integer, OUT events_cleared bigint,
                                                      OUT values_pending boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
DECLARE
    key_ids uuid[];
    report_key_ids uuid[];
    holding uuid;
    report record;
BEGIN
    IF p_subject_field NOT IN ('actor.id', 'resource.id') THEN
        RAISE EXCEPTION 'stenographer: unknown subject field %', p_subject_field USING ERRCODE = 'check_violation';
    END IF;
    SELECT coalesce(array_agg(id), '{}') INTO key_ids FROM (
        SELECT id FROM personal_data_key
        WHERE tenant = p_tenant AND subject_index = p_subject_index AND erased_at IS NULL
        FOR UPDATE) live;
    LOCK TABLE legal_hold, legal_hold_release IN SHARE MODE;
    SELECT h.id INTO holding FROM legal_hold h
    WHERE h.tenant = p_tenant
      AND NOT EXISTS (SELECT 1 FROM legal_hold_release r WHERE r.hold_id = h.id)
      AND (CASE WHEN p_subject_field = 'actor.id' THEN h.actor_id IS NULL OR h.actor_id = p_subject_id
                ELSE h.resource_id IS NULL OR h.resource_id = p_subject_id END
           AND (h.actor_id = p_subject_id AND p_subject_field = 'actor.id'
                OR h.resource_id = p_subject_id AND p_subject_field = 'resource.id'
                OR EXISTS (SELECT 1 FROM audit_event e
                           WHERE e.tenant = p_tenant
                             AND CASE WHEN p_subject_field = 'actor.id' THEN e.actor_id = p_subject_id
                                      ELSE e.resource_id = p_subject_id END
                             AND stenographer_hold_covers(h.actor_id, h.resource_type, h.resource_id,
                                     h.action_pattern, h.occurred_from, h.occurred_to, e.actor_id, e.action,
                                     e.resource_type, e.resource_id, e.occurred_at)))
           OR EXISTS (SELECT 1 FROM personal_value v JOIN audit_event e ON e.id = v.event_id
                      WHERE v.key_id = ANY (key_ids) AND e.tenant = p_tenant
                        AND stenographer_hold_covers(h.actor_id, h.resource_type, h.resource_id, h.action_pattern,
                                h.occurred_from, h.occurred_to, e.actor_id, e.action, e.resource_type,
                                e.resource_id, e.occurred_at))
           OR EXISTS (SELECT 1 FROM personal_value v JOIN archived_event a ON a.event_id = v.event_id
                      WHERE v.key_id = ANY (key_ids) AND a.tenant = p_tenant
                        AND stenographer_hold_covers(h.actor_id, h.resource_type, h.resource_id, h.action_pattern,
                                h.occurred_from, h.occurred_to, a.actor_id, a.action, a.resource_type,
                                a.resource_id, a.occurred_at)))
    ORDER BY h.placed_at
    LIMIT 1;
    IF holding IS NOT NULL THEN
        RAISE EXCEPTION 'stenographer: legal hold % covers this data subject', holding
            USING ERRCODE = 'check_violation', HINT = 'stenographer.subject-held:' || holding;
    END IF;
    PERFORM stenographer_require_self_audit(p_tenant, 'subject.erased', 'data-subject', encode(p_subject_index, 'hex'),
                                            NULL);
    -- Reports that decrypted values under any key the subject ever had (a report can only have used a live one).
    SELECT coalesce(array_agg(id), '{}') INTO report_key_ids FROM (
        SELECT k.id FROM personal_data_key k
        WHERE k.erased_at IS NULL AND k.id IN (
            SELECT r.key_id FROM report_personal_data r
            JOIN report_subject_key l ON l.report_id = r.report_id
            JOIN personal_data_key s ON s.id = l.data_key_id
            WHERE s.tenant = p_tenant AND s.subject_index = p_subject_index)
        ORDER BY k.id
        FOR UPDATE OF k) reports;
    FOR report IN SELECT j.id, j.tenant, j.parameters FROM report_personal_data r JOIN report_job j ON j.id = r.report_id
                  WHERE r.key_id = ANY (report_key_ids) ORDER BY j.id LOOP
        holding := stenographer_hold_keeping_report(report.tenant, report.parameters);
        IF holding IS NOT NULL THEN
            RAISE EXCEPTION 'stenographer: legal hold % keeps report %, which holds values of this data subject',
                holding, report.id
                USING ERRCODE = 'check_violation', HINT = 'stenographer.subject-held:' || holding;
        END IF;
    END LOOP;
    PERFORM set_config('stenographer.erasing_subject', 'on', true);
    UPDATE personal_data_key SET wrapped_key = NULL, erased_at = now() WHERE id = ANY (key_ids || report_key_ids);
    DELETE FROM personal_value WHERE event_id IN (
        SELECT event_id FROM personal_value WHERE key_id = ANY (key_ids) LIMIT greatest(p_delete_limit, 0));
    GET DIAGNOSTICS events_cleared = ROW_COUNT;
    PERFORM set_config('stenographer.erasing_subject', 'off', true);
    values_pending := EXISTS (SELECT 1 FROM personal_value WHERE key_id = ANY (key_ids));
    IF values_pending THEN
        INSERT INTO personal_value_sweep (key_id) SELECT unnest(key_ids) ON CONFLICT DO NOTHING;
    END IF;
    keys_destroyed := cardinality(key_ids);
    INSERT INTO subject_erasure (id, tenant, subject_index, requested_by, erased_at, keys_destroyed, events_cleared,
                                 values_pending, report_keys_destroyed)
    VALUES (p_erasure_id, p_tenant, p_subject_index, p_requested_by, now(), keys_destroyed, events_cleared,
            values_pending, cardinality(report_key_ids));
END;
$$;

-- 5. A hold placed while a deletion runs is seen by it. A deletion that read the holds without a lock missed a hold
--    inserted but not yet committed, and destroyed what that hold, once committed, covered. Like the partition drop
--    (V15) and the last-copy deletion (V24), every deletion path now locks the hold tables (SHARE: deletions run side
--    by side, a new hold or release waits for them) before it reads them. The erasure does above; the other three
--    follow, otherwise as they were (V8, V8 and V26).

-- The segment's deletion is also recorded at the database's own time: the caller's time was compared with the
-- retention, so a caller could claim the future and delete before it.
CREATE OR REPLACE FUNCTION stenographer_record_segment_deletion(p_object_key text, p_deleted_at timestamptz,
                                                                p_job_run_id uuid)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
DECLARE
    segment archive_segment%ROWTYPE;
BEGIN
    SELECT * INTO segment FROM archive_segment WHERE object_key = p_object_key;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'stenographer: no segment %', p_object_key USING ERRCODE = 'check_violation';
    END IF;
    IF abs(extract(epoch FROM p_deleted_at - now())) > 300 THEN
        RAISE EXCEPTION 'stenographer: a segment deletion is recorded at the database''s time (%), not at %', now(),
            p_deleted_at USING ERRCODE = 'check_violation';
    END IF;
    IF now() < segment.retain_until THEN
        RAISE EXCEPTION 'stenographer: segment % is retained until %', p_object_key, segment.retain_until
            USING ERRCODE = 'check_violation';
    END IF;
    LOCK TABLE legal_hold, legal_hold_release IN SHARE MODE;
    IF EXISTS (SELECT 1 FROM archived_event a
               WHERE a.segment_key = p_object_key
                 AND stenographer_is_held(a.tenant, a.actor_id, a.action, a.resource_type, a.resource_id,
                                          a.occurred_at)) THEN
        RAISE EXCEPTION 'stenographer: segment % holds events under a legal hold', p_object_key
            USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO archive_segment_deletion (object_key, deleted_at, job_run_id)
    VALUES (p_object_key, now(), p_job_run_id);
END;
$$;

CREATE OR REPLACE FUNCTION stenographer_purge_archived_events(p_tenant text, p_event_ids uuid[])
    RETURNS TABLE (purged_event_id uuid, purged_log_index bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    IF cardinality(p_event_ids) > 1000 THEN
        RAISE EXCEPTION 'stenographer: purge at most 1000 events per call, got %', cardinality(p_event_ids);
    END IF;
    LOCK TABLE legal_hold, legal_hold_release IN SHARE MODE;
    PERFORM set_config('stenographer.purging', 'on', true);
    RETURN QUERY
        WITH wanted AS MATERIALIZED (SELECT DISTINCT requested.id FROM unnest(p_event_ids) AS requested(id))
        DELETE FROM audit_event e
        USING wanted w
            JOIN archived_event a ON a.event_id = w.id
            JOIN archive_segment s ON s.object_key = a.segment_key
            JOIN log_leaf l ON l.tenant = a.tenant AND l.leaf_index = a.log_index
        WHERE e.id = w.id
          AND e.tenant = p_tenant AND a.tenant = p_tenant AND s.tenant = p_tenant
          AND a.log_index >= s.from_index AND a.log_index < s.to_index
          AND a.leaf_hash = e.leaf_hash
          AND l.event_id = e.id
          AND NOT EXISTS (SELECT 1 FROM archive_segment_deletion d WHERE d.object_key = a.segment_key)
          AND NOT stenographer_is_held(e.tenant, e.actor_id, e.action, e.resource_type, e.resource_id,
                                       e.occurred_at)
        RETURNING e.id, a.log_index;
    PERFORM set_config('stenographer.purging', 'off', true);
END;
$$;

CREATE OR REPLACE FUNCTION stenographer_purge_report_file(p_report_id uuid, p_job_run_id uuid)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
DECLARE
    file report_file%ROWTYPE;
    job report_job%ROWTYPE;
    floor_period interval;
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
    LOCK TABLE legal_hold, legal_hold_release IN SHARE MODE;
    IF stenographer_hold_keeping_report(job.tenant, job.parameters) IS NOT NULL THEN
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
