-- Reports with personal data (issue 18, docs/PRIVACY.md "Reports with personal data"). A report requested with
-- personalData holds its events' personal values in clear once decrypted; its stored file (report_file_content or an
-- archive object under a write-once lock) is therefore encrypted under the report's own data key, a row of
-- personal_data_key like a subject's (so it is wrapped, rewrapped on rotation and cached the same way). Every data key
-- whose values a report decrypted is recorded against the report, and erasing that key's subject destroys the
-- report's key too: the stored file, which a lock may keep for years, can then no longer be read by anyone.

-- The report's own key.
CREATE TABLE report_personal_data (
    report_id uuid PRIMARY KEY REFERENCES report_job (id),
    key_id    uuid NOT NULL UNIQUE REFERENCES personal_data_key (id)
);

-- The subjects' keys a report decrypted values under (inserted while those keys are locked FOR SHARE, so an erasure
-- running at the same time waits for the row and then destroys the report's key with the subject's).
CREATE TABLE report_subject_key (
    data_key_id uuid NOT NULL REFERENCES personal_data_key (id),
    report_id   uuid NOT NULL REFERENCES report_personal_data (report_id),
    PRIMARY KEY (data_key_id, report_id)
);

CREATE TRIGGER report_personal_data_no_update_delete BEFORE UPDATE OR DELETE ON report_personal_data
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER report_personal_data_no_truncate BEFORE TRUNCATE ON report_personal_data
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER report_subject_key_no_update_delete BEFORE UPDATE OR DELETE ON report_subject_key
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER report_subject_key_no_truncate BEFORE TRUNCATE ON report_subject_key
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();

REVOKE ALL ON report_personal_data, report_subject_key FROM PUBLIC;
GRANT SELECT, INSERT ON report_personal_data, report_subject_key TO ${app_role};

-- The content of an encrypted file cannot be hashed against the record (which describes the decrypted content, what a
-- download hands out); its size must still be exactly what stenographer.report-file/v1 makes of the recorded size:
-- an 8-byte header and a 16-byte tag per 64 KiB segment, at least one. Every segment's tag is checked on each read.
CREATE OR REPLACE FUNCTION stenographer_report_file_content_matches() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    IF EXISTS (SELECT 1 FROM report_personal_data r WHERE r.report_id = NEW.report_id) THEN
        IF NOT EXISTS (SELECT 1 FROM report_file f
                       WHERE f.report_id = NEW.report_id AND f.location = 'database'
                         AND octet_length(NEW.content) = 8 + f.bytes + 16 * greatest(1, (f.bytes + 65535) / 65536)) THEN
            RAISE EXCEPTION 'stenographer: the encrypted content of report file % (% bytes) does not match its recorded size (%)',
                NEW.report_id, octet_length(NEW.content),
                (SELECT f.bytes || ' ' || f.location FROM report_file f WHERE f.report_id = NEW.report_id)
                USING ERRCODE = 'check_violation';
        END IF;
    ELSIF NOT EXISTS (SELECT 1 FROM report_file f
                      WHERE f.report_id = NEW.report_id AND f.location = 'database'
                        AND f.bytes = octet_length(NEW.content) AND f.sha256 = sha256(NEW.content)) THEN
        RAISE EXCEPTION 'stenographer: the content of report file % does not match its recorded size and SHA-256',
            NEW.report_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

-- As in V22, and then: the keys of every report that decrypted values under any of the subject's keys are destroyed
-- too, in the same transaction (counted in report_keys_destroyed).
ALTER TABLE subject_erasure ADD COLUMN report_keys_destroyed integer NOT NULL DEFAULT 0
    CHECK (report_keys_destroyed >= 0);

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
BEGIN
    IF p_subject_field NOT IN ('actor.id', 'resource.id') THEN
        RAISE EXCEPTION 'stenographer: unknown subject field %', p_subject_field USING ERRCODE = 'check_violation';
    END IF;
    SELECT h.id INTO holding FROM legal_hold h
    WHERE h.tenant = p_tenant
      AND NOT EXISTS (SELECT 1 FROM legal_hold_release r WHERE r.hold_id = h.id)
      AND CASE WHEN p_subject_field = 'actor.id' THEN h.actor_id IS NULL OR h.actor_id = p_subject_id
               ELSE h.resource_id IS NULL OR h.resource_id = p_subject_id END
      AND (h.actor_id = p_subject_id AND p_subject_field = 'actor.id'
           OR h.resource_id = p_subject_id AND p_subject_field = 'resource.id'
           OR EXISTS (SELECT 1 FROM audit_event e
                      WHERE e.tenant = p_tenant
                        AND CASE WHEN p_subject_field = 'actor.id' THEN e.actor_id = p_subject_id
                                 ELSE e.resource_id = p_subject_id END
                        AND (h.actor_id IS NULL OR h.actor_id = e.actor_id)
                        AND (h.resource_type IS NULL OR h.resource_type = e.resource_type)
                        AND (h.resource_id IS NULL OR h.resource_id = e.resource_id)
                        AND (h.action_pattern IS NULL
                             OR CASE WHEN right(h.action_pattern, 2) = '.*'
                                     THEN starts_with(e.action, left(h.action_pattern, -1))
                                     ELSE e.action = h.action_pattern END)
                        AND (h.occurred_from IS NULL OR e.occurred_at >= h.occurred_from)
                        AND (h.occurred_to IS NULL OR e.occurred_at < h.occurred_to)))
    ORDER BY h.placed_at
    LIMIT 1;
    IF holding IS NOT NULL THEN
        RAISE EXCEPTION 'stenographer: legal hold % covers this data subject', holding
            USING ERRCODE = 'check_violation', HINT = 'stenographer.subject-held:' || holding;
    END IF;
    PERFORM stenographer_require_self_audit(p_tenant, 'subject.erased', 'data-subject', encode(p_subject_index, 'hex'),
                                            NULL);
    SELECT coalesce(array_agg(id), '{}') INTO key_ids FROM (
        SELECT id FROM personal_data_key
        WHERE tenant = p_tenant AND subject_index = p_subject_index AND erased_at IS NULL
        FOR UPDATE) live;
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
