-- The purge function's DELETE constrained the hot table by the id array only, and joined archive_segment
-- anti-joined with archive_segment_deletion. With no statistics on the (usually empty) deletion table,
-- PostgreSQL estimated that anti join at one row and drove the whole statement from it: every segment,
-- every archived event, a primary-key probe each, about a minute per call at 1M archived events (found by
-- bench/run-archive.sh, BENCHMARKS.md). The statement now starts from the requested ids, reaches every
-- row through a unique key, and checks deletion by the archived event's own segment key, so no small table
-- is left to drive it. The rules are unchanged (archived_event.segment_key references archive_segment).
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
            JOIN log_leaf l ON l.tenant = a.tenant AND l.leaf_index = a.log_index
        WHERE e.id = w.id
          AND e.tenant = p_tenant AND a.tenant = p_tenant
          AND a.leaf_hash = e.leaf_hash
          AND l.event_id = e.id
          AND NOT EXISTS (SELECT 1 FROM archive_segment_deletion d WHERE d.object_key = a.segment_key)
        RETURNING e.id, a.log_index;
    PERFORM set_config('stenographer.purging', 'off', true);
END;
$$;
REVOKE ALL ON FUNCTION stenographer_purge_archived_events(text, uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stenographer_purge_archived_events(text, uuid[]) TO ${app_role};
