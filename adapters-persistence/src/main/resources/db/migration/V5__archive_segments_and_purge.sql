-- Archival to WORM storage and the one narrow path that may remove events from the hot store.

-- A segment row exists only once the archive confirmed the object's lock, checksum and hold state.
CREATE TABLE archive_segment (
    object_key              text        COLLATE "C" PRIMARY KEY,
    tenant                  text        COLLATE "C" NOT NULL,
    from_index              bigint      NOT NULL CHECK (from_index >= 0),
    to_index                bigint      NOT NULL,
    object_sha256           text        NOT NULL CHECK (object_sha256 ~ '^[0-9a-f]{64}$'),
    range_root              bytea       NOT NULL CHECK (octet_length(range_root) = 32),
    checkpoint_tree_size    bigint      NOT NULL,
    -- The manifest exactly as stored next to the object (canonical JSON).
    manifest                text        NOT NULL,
    retain_until            timestamptz NOT NULL,
    archived_at             timestamptz NOT NULL,
    confirmed_lock_mode     text        NOT NULL CHECK (confirmed_lock_mode = 'COMPLIANCE'),
    confirmed_retain_until  timestamptz NOT NULL CHECK (confirmed_retain_until >= retain_until),
    CHECK (to_index > from_index AND checkpoint_tree_size >= to_index),
    UNIQUE (tenant, from_index)
);
CREATE INDEX archive_segment_retain_until_ix ON archive_segment (retain_until);

-- What each archived leaf was about, kept after the payload leaves the hot store: enough to find the
-- segment holding an event, to match legal holds, and to serve queries with includeArchived=true.
CREATE TABLE archived_event (
    tenant          text        COLLATE "C" NOT NULL,
    log_index       bigint      NOT NULL,
    event_id        uuid        NOT NULL UNIQUE,
    segment_key     text        COLLATE "C" NOT NULL REFERENCES archive_segment (object_key),
    leaf_hash       bytea       NOT NULL CHECK (octet_length(leaf_hash) = 32),
    actor_id        text        COLLATE "C" NOT NULL,
    action          text        COLLATE "C" NOT NULL,
    resource_type   text        COLLATE "C",
    resource_id     text        COLLATE "C",
    outcome         text        COLLATE "C" NOT NULL,
    occurred_at     timestamptz NOT NULL,
    received_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant, log_index)
);
CREATE INDEX archived_event_segment_ix  ON archived_event (segment_key);
CREATE INDEX archived_event_time_ix     ON archived_event (tenant, occurred_at, event_id);
CREATE INDEX archived_event_actor_ix    ON archived_event (tenant, actor_id, occurred_at, event_id);
CREATE INDEX archived_event_resource_ix ON archived_event (tenant, resource_type, resource_id, occurred_at, event_id);
CREATE INDEX archived_event_action_ix   ON archived_event (tenant, action, occurred_at, event_id);

-- An archive copy deleted after its retention ended (never while held).
CREATE TABLE archive_segment_deletion (
    object_key  text        COLLATE "C" PRIMARY KEY REFERENCES archive_segment (object_key),
    deleted_at  timestamptz NOT NULL,
    job_run_id  uuid        NOT NULL
);

CREATE TRIGGER archive_segment_no_update_delete BEFORE UPDATE OR DELETE ON archive_segment
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER archive_segment_no_truncate BEFORE TRUNCATE ON archive_segment
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER archived_event_no_update_delete BEFORE UPDATE OR DELETE ON archived_event
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER archived_event_no_truncate BEFORE TRUNCATE ON archived_event
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER archive_segment_deletion_no_update_delete BEFORE UPDATE OR DELETE ON archive_segment_deletion
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER archive_segment_deletion_no_truncate BEFORE TRUNCATE ON archive_segment_deletion
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();

REVOKE ALL ON archive_segment, archived_event, archive_segment_deletion FROM PUBLIC;
GRANT SELECT, INSERT ON archive_segment, archived_event, archive_segment_deletion TO ${app_role};

-- Job runs are operational bookkeeping, not audit data: a run row is updated when the run ends. The
-- audit record of every run is the event it appends to the tenant's log.
CREATE TABLE job_run (
    id            uuid        PRIMARY KEY,
    job           text        NOT NULL CHECK (job IN ('archive', 'purge')),
    trigger       text        NOT NULL CHECK (trigger IN ('schedule', 'manual')),
    requested_by  text        NOT NULL,
    tenants       text        NOT NULL,
    dry_run       boolean     NOT NULL,
    status        text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    counts        text        NOT NULL,
    error         text
);
CREATE INDEX job_run_started_ix ON job_run (started_at DESC);
REVOKE ALL ON job_run FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON job_run TO ${app_role};

-- Purge: the ONLY way an event row can leave audit_event. The application role still holds no DELETE
-- privilege; it may call this function, which runs as the schema owner and deletes nothing but events
-- that sit in a confirmed, undeleted archive segment under the same leaf hash, with a leaf in the log.
-- Retention periods and legal holds are judged by the application's domain rules before the call;
-- this function is the last line that makes purging an unarchived event impossible.
CREATE OR REPLACE FUNCTION stenographer_reject_event_mutation() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('stenographer.purging', true) = 'on'
            AND current_user = '${flyway:user}' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'stenographer: % on % is forbidden, the audit log is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER audit_event_no_update_delete ON audit_event;
CREATE TRIGGER audit_event_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_event_mutation();

CREATE FUNCTION stenographer_purge_archived_events(p_tenant text, p_event_ids uuid[])
    RETURNS TABLE (purged_event_id uuid, purged_log_index bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    IF cardinality(p_event_ids) > 1000 THEN
        RAISE EXCEPTION 'stenographer: purge at most 1000 events per call, got %', cardinality(p_event_ids);
    END IF;
    PERFORM set_config('stenographer.purging', 'on', true);
    RETURN QUERY
        DELETE FROM audit_event e
        USING archived_event a, archive_segment s, log_leaf l
        WHERE e.tenant = p_tenant
          AND e.id = ANY (p_event_ids)
          AND a.event_id = e.id AND a.tenant = e.tenant AND a.leaf_hash = e.leaf_hash
          AND s.object_key = a.segment_key
          AND NOT EXISTS (SELECT 1 FROM archive_segment_deletion d WHERE d.object_key = s.object_key)
          AND l.tenant = e.tenant AND l.leaf_index = a.log_index AND l.event_id = e.id
        RETURNING e.id, a.log_index;
    PERFORM set_config('stenographer.purging', 'off', true);
END;
$$;
REVOKE ALL ON FUNCTION stenographer_purge_archived_events(text, uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stenographer_purge_archived_events(text, uuid[]) TO ${app_role};
