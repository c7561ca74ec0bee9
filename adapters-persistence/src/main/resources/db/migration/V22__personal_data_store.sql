-- Personal data at rest (issue 18, docs/PRIVACY.md). A tenant's data policy takes personal values out of the sealed
-- event: the leaf (format stenographer.event/v2) commits to each with a random opening, and the value with its
-- opening is kept here, AES-256-GCM encrypted under a data key per (tenant, data subject). Data keys are stored only
-- wrapped by the tenant's key-encryption key, which never enters the database. Erasing a subject destroys its data
-- keys, only through stenographer_erase_subject below, which a legal hold blocks; its values, unreadable from that
-- moment, are deleted in the same call up to a bound and the rest by stenographer_sweep_erased_values.
-- No plaintext personal value is ever written to this database.

-- The commitments of a v2 event, its canonical "personal" member; null for v1 events.
ALTER TABLE audit_event ADD COLUMN personal text;

-- Subjects are named by a keyed hash (the blind index), never by their id.
CREATE TABLE personal_data_key (
    id            uuid        PRIMARY KEY,
    tenant        text        COLLATE "C" NOT NULL,
    subject_index bytea       NOT NULL CHECK (octet_length(subject_index) = 32),
    kek_id        text        NOT NULL,
    wrapped_key   bytea,
    created_at    timestamptz NOT NULL,
    erased_at     timestamptz,
    CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
);
-- One live key per subject; after an erasure a later event of the subject starts a new one.
CREATE UNIQUE INDEX personal_data_key_live_ix ON personal_data_key (tenant, subject_index) WHERE erased_at IS NULL;
CREATE INDEX personal_data_key_kek_ix ON personal_data_key (kek_id) WHERE erased_at IS NULL;

-- One row per event: its personal values, each AES-256-GCM under its own (tenant, event, field) binding, packed
-- together (docs/PRIVACY.md §2). All values of an event belong to one subject, so to one key.
CREATE TABLE personal_value (
    event_id uuid  PRIMARY KEY,
    key_id   uuid  NOT NULL REFERENCES personal_data_key (id),
    sealed   bytea NOT NULL
);
CREATE INDEX personal_value_key_ix ON personal_value (key_id);

-- Erased keys whose values are not all deleted yet.
CREATE TABLE personal_value_sweep (
    key_id uuid PRIMARY KEY REFERENCES personal_data_key (id)
);

CREATE TABLE subject_erasure (
    id             uuid        PRIMARY KEY,
    tenant         text        COLLATE "C" NOT NULL,
    subject_index  bytea       NOT NULL CHECK (octet_length(subject_index) = 32),
    requested_by   text        NOT NULL,
    erased_at      timestamptz NOT NULL,
    keys_destroyed integer     NOT NULL CHECK (keys_destroyed >= 0),
    -- Values deleted within the erasure itself; the rest (values_pending) follow within seconds by the sweep.
    events_cleared bigint      NOT NULL CHECK (events_cleared >= 0),
    values_pending boolean     NOT NULL
);
CREATE INDEX subject_erasure_subject_ix ON subject_erasure (tenant, subject_index, erased_at);

-- A value is never changed; it leaves only inside stenographer_erase_subject or stenographer_sweep_erased_values.
-- Statement-level, so a delete of many rows pays for the check once.
CREATE FUNCTION stenographer_guard_personal_value() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('stenographer.erasing_subject', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'stenographer: personal_value rows are never changed and leave only by an erasure (%)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER personal_value_no_update BEFORE UPDATE OR DELETE ON personal_value
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_guard_personal_value();
CREATE TRIGGER personal_value_no_truncate BEFORE TRUNCATE ON personal_value
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();

-- A key row stays for ever as the record of its key. Only a rewrap (kek_id, wrapped_key of a live key) and the
-- erasure (inside stenographer_erase_subject) change it; an erased key can never be given a key again.
CREATE FUNCTION stenographer_guard_personal_data_key() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.erased_at IS NOT NULL OR NEW.id <> OLD.id OR NEW.tenant <> OLD.tenant
       OR NEW.subject_index <> OLD.subject_index OR NEW.created_at <> OLD.created_at THEN
        RAISE EXCEPTION 'stenographer: a personal data key is only rewrapped or erased' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.erased_at IS NOT NULL AND current_setting('stenographer.erasing_subject', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'stenographer: a personal data key is erased only by stenographer_erase_subject'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER personal_data_key_guard BEFORE UPDATE OR DELETE ON personal_data_key
    FOR EACH ROW EXECUTE FUNCTION stenographer_guard_personal_data_key();
CREATE TRIGGER personal_data_key_no_truncate BEFORE TRUNCATE ON personal_data_key
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();

-- An instance may still hold a key another instance has just erased: a value written under an erased key is refused
-- (the erasure locks the key rows FOR UPDATE, which waits for and then blocks the foreign-key checks of writers).
CREATE FUNCTION stenographer_refuse_values_under_erased_keys() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    IF EXISTS (SELECT 1 FROM personal_data_key k
               WHERE k.id IN (SELECT DISTINCT key_id FROM inserted) AND k.erased_at IS NOT NULL) THEN
        RAISE EXCEPTION 'stenographer: personal data key erased' USING ERRCODE = 'check_violation',
            HINT = 'stenographer.personal-data-key-erased';
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER personal_value_key_live AFTER INSERT ON personal_value REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_refuse_values_under_erased_keys();

CREATE TRIGGER subject_erasure_no_update BEFORE UPDATE OR DELETE ON subject_erasure
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER subject_erasure_no_truncate BEFORE TRUNCATE ON subject_erasure
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();

-- The one deletion path of personal data. Refused while an unreleased legal hold of the tenant covers the subject:
-- one that names it, or one whose criteria match any stored event of the subject (the rule of stenographer_is_held;
-- a hold naming another actor or resource in the subject's own field cannot, and is not read against the events).
-- The subject.erased event, which names the subject by its blind index only, must already be in the tenant's log.
-- Destroys the subject's live keys (so every value under them is unreadable at once), deletes up to p_delete_limit
-- of their values now and queues the rest for stenographer_sweep_erased_values.
CREATE FUNCTION stenographer_erase_subject(p_erasure_id uuid, p_tenant text, p_subject_index bytea,
                                           p_subject_field text, p_subject_id text, p_requested_by text,
                                           p_delete_limit integer,
                                           OUT keys_destroyed integer, OUT events_cleared bigint,
                                           OUT values_pending boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
DECLARE
    key_ids uuid[];
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
    PERFORM set_config('stenographer.erasing_subject', 'on', true);
    UPDATE personal_data_key SET wrapped_key = NULL, erased_at = now() WHERE id = ANY (key_ids);
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
                                 values_pending)
    VALUES (p_erasure_id, p_tenant, p_subject_index, p_requested_by, now(), keys_destroyed, events_cleared,
            values_pending);
END;
$$;

-- Deletes up to p_limit values of erased keys (already unreadable: their keys are gone); returns how many. A key
-- leaves the queue once it has no value left.
CREATE FUNCTION stenographer_sweep_erased_values(p_limit integer)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
DECLARE
    queued uuid[];
    deleted bigint;
BEGIN
    SELECT coalesce(array_agg(s.key_id), '{}') INTO queued FROM personal_value_sweep s
        JOIN personal_data_key k ON k.id = s.key_id AND k.erased_at IS NOT NULL;
    PERFORM set_config('stenographer.erasing_subject', 'on', true);
    DELETE FROM personal_value WHERE event_id IN (
        SELECT event_id FROM personal_value WHERE key_id = ANY (queued) LIMIT greatest(p_limit, 0));
    GET DIAGNOSTICS deleted = ROW_COUNT;
    PERFORM set_config('stenographer.erasing_subject', 'off', true);
    DELETE FROM personal_value_sweep s
    WHERE s.key_id = ANY (queued) AND NOT EXISTS (SELECT 1 FROM personal_value v WHERE v.key_id = s.key_id);
    RETURN deleted;
END;
$$;

CREATE TRIGGER personal_value_sweep_no_update BEFORE UPDATE ON personal_value_sweep
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();

REVOKE ALL ON personal_data_key, personal_value, subject_erasure, personal_value_sweep FROM PUBLIC;
GRANT SELECT, INSERT ON personal_data_key, personal_value TO ${app_role};
GRANT UPDATE (kek_id, wrapped_key) ON personal_data_key TO ${app_role};
GRANT SELECT ON subject_erasure, personal_value_sweep TO ${app_role};
REVOKE ALL ON FUNCTION stenographer_erase_subject(uuid, text, bytea, text, text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stenographer_erase_subject(uuid, text, bytea, text, text, text, integer) TO ${app_role};
REVOKE ALL ON FUNCTION stenographer_sweep_erased_values(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stenographer_sweep_erased_values(integer) TO ${app_role};
