-- Personal values leave with the last copy of their events (docs/PRIVACY.md §7, docs/RETENTION.md). Once an event's
-- archive segment is deleted after its retention, no copy of the event exists anywhere; its personal_value row must
-- not outlive it (GDPR storage limitation). Leaving the hot store is not enough: the archived copy can still be read
-- and its values revealed, so that step deletes nothing.

-- The guard of V22, which also lets deletes through inside stenographer_delete_values_of_deleted_segment. A flag of
-- its own, so that this path can never erase a data key (the key guard still wants stenographer.erasing_subject).
CREATE OR REPLACE FUNCTION stenographer_guard_personal_value() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    IF TG_OP = 'DELETE' AND (current_setting('stenographer.erasing_subject', true) = 'on'
                             OR current_setting('stenographer.deleting_last_copy', true) = 'on') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'stenographer: personal_value rows are never changed and leave only by an erasure or with the '
                    'last copy of their event (%)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- Deletes the personal values of the events of a deleted archive segment; returns how many rows it deleted.
-- Bound to the record of the deletion: refused unless archive_segment_deletion names the segment (written only by
-- stenographer_record_segment_deletion, after retention and without a hold), while any of the segment's events is
-- still in the hot store (that is a copy too), and while an unreleased hold covers any of them (stenographer_is_held,
-- on the catalogue's attributes). Holds are locked against change while it checks, as the partition drop does (V15).
CREATE FUNCTION stenographer_delete_values_of_deleted_segment(p_object_key text)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
DECLARE
    deleted bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM archive_segment_deletion d WHERE d.object_key = p_object_key) THEN
        RAISE EXCEPTION 'stenographer: segment % is not recorded as deleted', p_object_key
            USING ERRCODE = 'check_violation', HINT = 'stenographer.segment-not-deleted';
    END IF;
    LOCK TABLE legal_hold, legal_hold_release IN SHARE MODE;
    IF EXISTS (SELECT 1 FROM archived_event a
               WHERE a.segment_key = p_object_key
                 AND stenographer_is_held(a.tenant, a.actor_id, a.action, a.resource_type, a.resource_id,
                                          a.occurred_at)) THEN
        RAISE EXCEPTION 'stenographer: segment % holds events under a legal hold', p_object_key
            USING ERRCODE = 'check_violation', HINT = 'stenographer.segment-held';
    END IF;
    IF EXISTS (SELECT 1 FROM archived_event a JOIN audit_event e ON e.id = a.event_id
               WHERE a.segment_key = p_object_key) THEN
        RAISE EXCEPTION 'stenographer: events of segment % are still in the hot store', p_object_key
            USING ERRCODE = 'check_violation', HINT = 'stenographer.segment-events-hot';
    END IF;
    PERFORM set_config('stenographer.deleting_last_copy', 'on', true);
    DELETE FROM personal_value v USING archived_event a
    WHERE a.segment_key = p_object_key AND v.event_id = a.event_id;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    PERFORM set_config('stenographer.deleting_last_copy', 'off', true);
    RETURN deleted;
END;
$$;

REVOKE ALL ON FUNCTION stenographer_delete_values_of_deleted_segment(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stenographer_delete_values_of_deleted_segment(text) TO ${app_role};
