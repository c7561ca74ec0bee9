-- Whatever the application role can write, anyone holding its password can write too, and it reads every
-- leaf hash, so it could forge well-formed rows. The rows purge and retention trust are therefore no longer
-- inserted directly: the role loses INSERT on them and calls the narrow functions below, which run as the
-- schema owner and refuse a row that breaks the rules (docs/SECURITY.md, "The application's database role").

REVOKE INSERT ON archive_segment, archived_event, archive_segment_deletion FROM ${app_role};
REVOKE INSERT ON legal_hold_release, retention_policy_version, retention_policy_retirement FROM ${app_role};

-- Four eyes: a version that keeps records for less time than the active one is first a proposal, and is stored
-- only on the approval of a different compliance admin (docs/RETENTION.md, "Shortening a policy").
CREATE TABLE retention_policy_proposal (
    id             uuid        PRIMARY KEY,
    tenant         text        COLLATE "C" NOT NULL,
    policy_id      text        COLLATE "C" NOT NULL,
    base_version   integer     NOT NULL,
    action_pattern text        COLLATE "C",
    resource_type  text        COLLATE "C",
    archive_after  text        NOT NULL CHECK (archive_after ~ '^P'),
    retain_for     text        NOT NULL CHECK (retain_for ~ '^P'),
    legal_basis    text        NOT NULL CHECK (length(legal_basis) BETWEEN 1 AND 1000),
    proposed_by    text        NOT NULL,
    proposed_at    timestamptz NOT NULL,
    FOREIGN KEY (tenant, policy_id, base_version) REFERENCES retention_policy_version (tenant, policy_id, version)
);
CREATE TABLE retention_policy_approval (
    proposal_id  uuid        PRIMARY KEY REFERENCES retention_policy_proposal (id),
    tenant       text        COLLATE "C" NOT NULL,
    policy_id    text        COLLATE "C" NOT NULL,
    version      integer     NOT NULL,
    approved_by  text        NOT NULL,
    approved_at  timestamptz NOT NULL,
    UNIQUE (tenant, policy_id, version)
);
CREATE TRIGGER retention_policy_proposal_no_update_delete BEFORE UPDATE OR DELETE ON retention_policy_proposal
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER retention_policy_proposal_no_truncate BEFORE TRUNCATE ON retention_policy_proposal
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER retention_policy_approval_no_update_delete BEFORE UPDATE OR DELETE ON retention_policy_approval
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER retention_policy_approval_no_truncate BEFORE TRUNCATE ON retention_policy_approval
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
REVOKE ALL ON retention_policy_proposal, retention_policy_approval FROM PUBLIC;
-- A proposal changes nothing by itself; approvals are written only by the version function below.
GRANT SELECT, INSERT ON retention_policy_proposal TO ${app_role};
GRANT SELECT ON retention_policy_approval TO ${app_role};

-- True when an unreleased hold of the tenant covers an event with these attributes: the same rule as
-- HoldCriteria.matches (every given criterion must match; an action pattern is exact or "stem.*").
CREATE FUNCTION stenographer_is_held(p_tenant text, p_actor_id text, p_action text, p_resource_type text,
                                     p_resource_id text, p_occurred_at timestamptz)
    RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
    SELECT EXISTS (
        SELECT 1 FROM legal_hold h
        WHERE h.tenant = p_tenant
          AND NOT EXISTS (SELECT 1 FROM legal_hold_release r WHERE r.hold_id = h.id)
          AND (h.actor_id IS NULL OR h.actor_id = p_actor_id)
          AND (h.resource_type IS NULL OR h.resource_type = p_resource_type)
          AND (h.resource_id IS NULL OR h.resource_id = p_resource_id)
          AND (h.action_pattern IS NULL
               OR CASE WHEN right(h.action_pattern, 2) = '.*'
                       THEN starts_with(p_action, left(h.action_pattern, -1))
                       ELSE p_action = h.action_pattern END)
          AND (h.occurred_from IS NULL OR p_occurred_at >= h.occurred_from)
          AND (h.occurred_to IS NULL OR p_occurred_at < h.occurred_to))
$$;

-- RFC 6962 Merkle tree hash of the leaves [p_from, p_to) of a tenant's log, built bottom-up (an unpaired
-- last node moves up a level unchanged, which gives the same root as the RFC's recursive definition).
-- Null when the range is not wholly in the log.
CREATE FUNCTION stenographer_range_root(p_tenant text, p_from bigint, p_to bigint)
    RETURNS bytea
    LANGUAGE plpgsql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
DECLARE
    level bytea[];
    next_level bytea[];
    n integer;
    i integer;
BEGIN
    SELECT array_agg(leaf_hash ORDER BY leaf_index) INTO level
    FROM log_leaf WHERE tenant = p_tenant AND leaf_index >= p_from AND leaf_index < p_to;
    IF level IS NULL OR cardinality(level) <> p_to - p_from THEN
        RETURN NULL;
    END IF;
    WHILE cardinality(level) > 1 LOOP
        next_level := '{}';
        n := cardinality(level);
        i := 1;
        WHILE i < n LOOP
            next_level := next_level || sha256('\x01'::bytea || level[i] || level[i + 1]);
            i := i + 2;
        END LOOP;
        IF i = n THEN
            next_level := next_level || level[n];
        END IF;
        level := next_level;
    END LOOP;
    RETURN level[1];
END;
$$;

-- A confirmed archive segment and its events, catalogued in one call. Refused unless the segment continues
-- the tenant's catalogue without a gap, lies inside a signed checkpoint, its recorded root is the Merkle
-- tree hash of exactly that leaf range, the manifest says the same as the columns, and the events named are
-- exactly the range's leaves, in order.
-- What each archived event was about is copied from the event store, never taken from the caller.
CREATE FUNCTION stenographer_record_segment(p_object_key text, p_tenant text, p_from bigint, p_to bigint,
        p_object_sha256 text, p_range_root bytea, p_checkpoint_tree_size bigint, p_manifest text,
        p_retain_until timestamptz, p_archived_at timestamptz, p_confirmed_lock_mode text,
        p_confirmed_retain_until timestamptz, p_event_ids uuid[])
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
DECLARE
    catalogued_to bigint;
    range_events uuid[];
    copied bigint;
    manifest jsonb;
BEGIN
    BEGIN
        manifest := p_manifest::jsonb;
    EXCEPTION WHEN invalid_text_representation THEN
        RAISE EXCEPTION 'stenographer: the manifest of segment % is not JSON', p_object_key
            USING ERRCODE = 'check_violation';
    END;
    IF manifest ->> 'objectKey' IS DISTINCT FROM p_object_key OR manifest ->> 'tenant' IS DISTINCT FROM p_tenant
            OR manifest ->> 'from' IS DISTINCT FROM p_from::text OR manifest ->> 'to' IS DISTINCT FROM p_to::text
            OR manifest ->> 'objectSha256' IS DISTINCT FROM p_object_sha256
            OR manifest ->> 'rangeRoot' IS DISTINCT FROM encode(p_range_root, 'hex')
            OR manifest ->> 'checkpointTreeSize' IS DISTINCT FROM p_checkpoint_tree_size::text THEN
        RAISE EXCEPTION 'stenographer: the manifest of segment % disagrees with the row recorded for it',
            p_object_key USING ERRCODE = 'check_violation';
    END IF;
    -- One cataloguer per tenant at a time, so "continues without a gap" cannot race.
    PERFORM pg_advisory_xact_lock(hashtextextended('stenographer.catalogue/' || p_tenant, 0));
    SELECT coalesce(max(to_index), 0) INTO catalogued_to FROM archive_segment WHERE tenant = p_tenant;
    IF p_from <> catalogued_to THEN
        RAISE EXCEPTION 'stenographer: segment % starts at % but the catalogue of % ends at %',
            p_object_key, p_from, p_tenant, catalogued_to USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM log_checkpoint
                   WHERE tenant = p_tenant AND tree_size = p_checkpoint_tree_size AND tree_size >= p_to) THEN
        RAISE EXCEPTION 'stenographer: segment % is not inside signed checkpoint % of %',
            p_object_key, p_checkpoint_tree_size, p_tenant USING ERRCODE = 'check_violation';
    END IF;
    IF p_range_root IS DISTINCT FROM stenographer_range_root(p_tenant, p_from, p_to) THEN
        RAISE EXCEPTION 'stenographer: segment % records a root that is not the tree hash of leaves [%, %)',
            p_object_key, p_from, p_to USING ERRCODE = 'check_violation';
    END IF;
    SELECT array_agg(event_id ORDER BY leaf_index) INTO range_events
    FROM log_leaf WHERE tenant = p_tenant AND leaf_index >= p_from AND leaf_index < p_to;
    IF range_events IS DISTINCT FROM p_event_ids THEN
        RAISE EXCEPTION 'stenographer: segment % does not name exactly the events of leaves [%, %)',
            p_object_key, p_from, p_to USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO archive_segment (object_key, tenant, from_index, to_index, object_sha256, range_root,
        checkpoint_tree_size, manifest, retain_until, archived_at, confirmed_lock_mode, confirmed_retain_until)
    VALUES (p_object_key, p_tenant, p_from, p_to, p_object_sha256, p_range_root, p_checkpoint_tree_size,
        p_manifest, p_retain_until, p_archived_at, p_confirmed_lock_mode, p_confirmed_retain_until);
    INSERT INTO archived_event (tenant, log_index, event_id, segment_key, leaf_hash, actor_id, action,
        resource_type, resource_id, outcome, occurred_at, received_at)
    SELECT l.tenant, l.leaf_index, e.id, p_object_key, l.leaf_hash, e.actor_id, e.action, e.resource_type,
        e.resource_id, e.outcome, e.occurred_at, e.received_at
    FROM log_leaf l JOIN audit_event e ON e.id = l.event_id AND e.leaf_hash = l.leaf_hash
    WHERE l.tenant = p_tenant AND l.leaf_index >= p_from AND l.leaf_index < p_to;
    GET DIAGNOSTICS copied = ROW_COUNT;
    IF copied <> p_to - p_from THEN
        RAISE EXCEPTION 'stenographer: % of the % events of segment % are no longer in the event store',
            p_to - p_from - copied, p_to - p_from, p_object_key USING ERRCODE = 'check_violation';
    END IF;
END;
$$;

-- An archive copy deleted after its retention ended: refused before its retain-until, and while any
-- unreleased hold covers one of its events.
CREATE FUNCTION stenographer_record_segment_deletion(p_object_key text, p_deleted_at timestamptz,
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
    IF p_deleted_at < segment.retain_until THEN
        RAISE EXCEPTION 'stenographer: segment % is retained until %', p_object_key, segment.retain_until
            USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM archived_event a
               WHERE a.segment_key = p_object_key
                 AND stenographer_is_held(a.tenant, a.actor_id, a.action, a.resource_type, a.resource_id,
                                          a.occurred_at)) THEN
        RAISE EXCEPTION 'stenographer: segment % holds events under a legal hold', p_object_key
            USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO archive_segment_deletion (object_key, deleted_at, job_run_id)
    VALUES (p_object_key, p_deleted_at, p_job_run_id);
END;
$$;

-- The self-audit event a change must leave in the tenant's own log, written earlier in the same transaction;
-- p_version, when given, must be the "version" in the event's metadata.
CREATE FUNCTION stenographer_require_self_audit(p_tenant text, p_action text, p_resource_type text,
                                                p_resource_id text, p_version integer)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM audit_event
                   WHERE tenant = p_tenant AND resource_type = p_resource_type AND resource_id = p_resource_id
                     AND action = p_action
                     AND (p_version IS NULL OR (metadata::jsonb ->> 'version')::integer = p_version)) THEN
        RAISE EXCEPTION 'stenographer: % of % % needs its % event in the log of %', p_action, p_resource_type,
            p_resource_id, p_action, p_tenant USING ERRCODE = 'check_violation';
    END IF;
END;
$$;

-- The three functions below answer false when the row existed already (a concurrent change won).
CREATE FUNCTION stenographer_release_legal_hold(p_hold_id uuid, p_released_by text, p_released_at timestamptz,
                                                p_reason text)
    RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
DECLARE
    hold_tenant text;
BEGIN
    SELECT tenant INTO hold_tenant FROM legal_hold WHERE id = p_hold_id;
    IF hold_tenant IS NULL THEN
        RAISE EXCEPTION 'stenographer: no legal hold %', p_hold_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    PERFORM stenographer_require_self_audit(hold_tenant, 'legal-hold.released', 'legal-hold', p_hold_id::text,
        NULL);
    INSERT INTO legal_hold_release (hold_id, released_by, released_at, reason)
    VALUES (p_hold_id, p_released_by, p_released_at, p_reason)
    ON CONFLICT DO NOTHING;
    RETURN FOUND;
END;
$$;

-- A version needs its retention.policy.created event; one that shortens the active version (periods compared from
-- the same reference instant as RetentionPeriod.compareTo) needs a matching proposal approved by someone else.
CREATE FUNCTION stenographer_add_retention_policy_version(p_tenant text, p_policy_id text, p_version integer,
        p_action_pattern text, p_resource_type text, p_archive_after text, p_retain_for text, p_legal_basis text,
        p_created_by text, p_created_at timestamptz, p_proposal_id uuid, p_approved_by text, p_approved_at timestamptz)
    RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
DECLARE
    active_retain_for text;
    proposal retention_policy_proposal%ROWTYPE;
BEGIN
    SELECT v.retain_for INTO active_retain_for FROM retention_policy_version v
    WHERE v.tenant = p_tenant AND v.policy_id = p_policy_id AND v.version = p_version - 1
      AND NOT EXISTS (SELECT 1 FROM retention_policy_retirement r
                      WHERE r.tenant = v.tenant AND r.policy_id = v.policy_id AND r.version = v.version);
    IF active_retain_for IS NOT NULL AND (timestamp '2000-01-01' + p_retain_for::interval)
            < (timestamp '2000-01-01' + active_retain_for::interval) THEN
        SELECT * INTO proposal FROM retention_policy_proposal WHERE id = p_proposal_id;
        IF NOT FOUND OR proposal.tenant <> p_tenant OR proposal.policy_id <> p_policy_id
                OR proposal.base_version <> p_version - 1 OR proposal.retain_for <> p_retain_for
                OR proposal.archive_after <> p_archive_after OR proposal.legal_basis <> p_legal_basis
                OR proposal.action_pattern IS DISTINCT FROM p_action_pattern
                OR proposal.resource_type IS DISTINCT FROM p_resource_type THEN
            RAISE EXCEPTION 'stenographer: version % of retention policy % shortens retention and needs an approved proposal',
                p_version, p_policy_id USING ERRCODE = 'check_violation';
        END IF;
        IF p_approved_by IS NULL OR p_approved_by = proposal.proposed_by THEN
            RAISE EXCEPTION 'stenographer: shortening retention policy % needs the approval of a second admin',
                p_policy_id USING ERRCODE = 'check_violation';
        END IF;
        PERFORM stenographer_require_self_audit(p_tenant, 'retention.policy.shortening-approved', 'retention-policy',
            p_policy_id, p_version);
        INSERT INTO retention_policy_approval (proposal_id, tenant, policy_id, version, approved_by, approved_at)
        VALUES (p_proposal_id, p_tenant, p_policy_id, p_version, p_approved_by, p_approved_at)
        ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN
            RETURN false;
        END IF;
    END IF;
    PERFORM stenographer_require_self_audit(p_tenant, 'retention.policy.created', 'retention-policy', p_policy_id,
        p_version);
    INSERT INTO retention_policy_version (tenant, policy_id, version, action_pattern, resource_type, archive_after,
        retain_for, legal_basis, created_by, created_at)
    VALUES (p_tenant, p_policy_id, p_version, p_action_pattern, p_resource_type, p_archive_after, p_retain_for,
        p_legal_basis, p_created_by, p_created_at)
    ON CONFLICT DO NOTHING;
    RETURN FOUND;
END;
$$;

CREATE FUNCTION stenographer_retire_retention_policy(p_tenant text, p_policy_id text, p_version integer,
        p_retired_by text, p_retired_at timestamptz)
    RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    PERFORM stenographer_require_self_audit(p_tenant, 'retention.policy.retired', 'retention-policy', p_policy_id,
        p_version);
    INSERT INTO retention_policy_retirement (tenant, policy_id, version, retired_by, retired_at)
    VALUES (p_tenant, p_policy_id, p_version, p_retired_by, p_retired_at)
    ON CONFLICT DO NOTHING;
    RETURN FOUND;
END;
$$;

-- Purge, third version: as V7, and besides it refuses an event under an unreleased hold (judged on the hot
-- event's own attributes, which nobody can change) and an event outside its segment's range.
CREATE OR REPLACE FUNCTION stenographer_purge_archived_events(p_tenant text, p_event_ids uuid[])
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

REVOKE ALL ON FUNCTION stenographer_is_held(text, text, text, text, text, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION stenographer_range_root(text, bigint, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION stenographer_require_self_audit(text, text, text, text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION stenographer_record_segment(text, text, bigint, bigint, text, bytea, bigint, text,
    timestamptz, timestamptz, text, timestamptz, uuid[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION stenographer_record_segment_deletion(text, timestamptz, uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION stenographer_release_legal_hold(uuid, text, timestamptz, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION stenographer_add_retention_policy_version(text, text, integer, text, text, text, text, text,
    text, timestamptz, uuid, text, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION stenographer_retire_retention_policy(text, text, integer, text, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION stenographer_purge_archived_events(text, uuid[]) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION stenographer_is_held(text, text, text, text, text, timestamptz) TO ${app_role};
GRANT EXECUTE ON FUNCTION stenographer_range_root(text, bigint, bigint) TO ${app_role};
GRANT EXECUTE ON FUNCTION stenographer_record_segment(text, text, bigint, bigint, text, bytea, bigint, text,
    timestamptz, timestamptz, text, timestamptz, uuid[]) TO ${app_role};
GRANT EXECUTE ON FUNCTION stenographer_record_segment_deletion(text, timestamptz, uuid) TO ${app_role};
GRANT EXECUTE ON FUNCTION stenographer_release_legal_hold(uuid, text, timestamptz, text) TO ${app_role};
GRANT EXECUTE ON FUNCTION stenographer_add_retention_policy_version(text, text, integer, text, text, text, text,
    text, text, timestamptz, uuid, text, timestamptz) TO ${app_role};
GRANT EXECUTE ON FUNCTION stenographer_retire_retention_policy(text, text, integer, text, timestamptz)
    TO ${app_role};
GRANT EXECUTE ON FUNCTION stenographer_purge_archived_events(text, uuid[]) TO ${app_role};
