-- The event store becomes a table partitioned by event id (docs/STORAGE.md). Ids are UUIDv7, so an id range is a
-- range of receipt times: one partition per calendar month (UTC). A month whose events are all archived, confirmed,
-- due and unheld leaves the hot store by DETACH and DROP instead of one DELETE per event, and leaves no vacuum work
-- behind. The id is the partition key, so the primary key on it stays global and so does "one leaf per event"
-- (log_leaf's own unique key). Nothing is copied: the existing table becomes the first partition, holding every id
-- below the next month boundary; later months get their own partitions, created ahead of time by a narrow
-- function; a default partition catches any id beyond them, so an insert never fails for want of a partition.

-- Idempotency keys move to their own table: a unique index of a partitioned table must contain the partition key,
-- and (tenant, client_event_id) must stay unique across every month. A key outlives its event's purge, so a client
-- event id is never reused for a second event. The insert trigger keeps it, so no path stores an event without it.
CREATE TABLE event_client_key (
    tenant          text COLLATE "C" NOT NULL,
    client_event_id text COLLATE "C" NOT NULL,
    event_id        uuid NOT NULL UNIQUE,
    CONSTRAINT event_client_key_uq PRIMARY KEY (tenant, client_event_id)
);
INSERT INTO event_client_key (tenant, client_event_id, event_id)
SELECT tenant, client_event_id, id FROM audit_event WHERE client_event_id IS NOT NULL;

CREATE TRIGGER event_client_key_no_update_delete BEFORE UPDATE OR DELETE ON event_client_key
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER event_client_key_no_truncate BEFORE TRUNCATE ON event_client_key
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
REVOKE ALL ON event_client_key FROM PUBLIC;
GRANT SELECT ON event_client_key TO ${app_role};

-- Runs as the owner: the application role reads keys but cannot write one that no event carries.
CREATE FUNCTION stenographer_keep_client_event_id() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    IF NEW.client_event_id IS NOT NULL THEN
        INSERT INTO event_client_key (tenant, client_event_id, event_id)
        VALUES (NEW.tenant, NEW.client_event_id, NEW.id);
    END IF;
    RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION stenographer_keep_client_event_id() FROM PUBLIC;

-- The partitions, as evidence of what the store held: a row per partition created, a row per partition dropped.
CREATE TABLE event_partition (
    name          text        COLLATE "C" PRIMARY KEY,
    -- Null for the first partition, which starts at MINVALUE.
    from_id       uuid,
    to_id         uuid        NOT NULL,
    received_from timestamptz,
    received_to   timestamptz NOT NULL,
    created_at    timestamptz NOT NULL,
    CHECK (from_id IS NULL OR from_id < to_id)
);
CREATE TABLE event_partition_drop (
    name       text        COLLATE "C" PRIMARY KEY REFERENCES event_partition (name),
    dropped_at timestamptz NOT NULL,
    events     bigint      NOT NULL CHECK (events >= 0),
    -- The leaves whose events left the hot store with it: [tenant, first index, last index] per range.
    purged_ranges jsonb    NOT NULL
);
CREATE TRIGGER event_partition_no_update_delete BEFORE UPDATE OR DELETE ON event_partition
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER event_partition_no_truncate BEFORE TRUNCATE ON event_partition
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER event_partition_drop_no_update_delete BEFORE UPDATE OR DELETE ON event_partition_drop
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER event_partition_drop_no_truncate BEFORE TRUNCATE ON event_partition_drop
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
REVOKE ALL ON event_partition, event_partition_drop FROM PUBLIC;
GRANT SELECT ON event_partition, event_partition_drop TO ${app_role};

-- The smallest UUIDv7 of an instant's millisecond: ids compare as bytes, and a v7 id starts with its milliseconds.
CREATE FUNCTION stenographer_uuid7_floor(p_at timestamptz) RETURNS uuid
    LANGUAGE sql IMMUTABLE STRICT
    SET search_path = pg_catalog, pg_temp AS
$$
    SELECT (overlay(lpad(to_hex(floor(extract(epoch FROM p_at) * 1000)::bigint), 12, '0') PLACING '-' FROM 9 FOR 0)
            || '-0000-0000-000000000000')::uuid
$$;
REVOKE ALL ON FUNCTION stenographer_uuid7_floor(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stenographer_uuid7_floor(timestamptz) TO ${app_role};

-- The conversion. The old table's own row triggers go (the parent's are cloned onto every partition, the old ones
-- would fire twice), its identity goes (the parent's takes over, continuing after the highest value used), and its
-- indexes are adopted by the parent's matching partitioned indexes instead of being rebuilt.
DO $$
DECLARE
    highest_ms   bigint;
    boundary     timestamptz;
    first_name   text;
    last_seq     bigint;
BEGIN
    -- An empty store's first partition ends where this month begins, so every month has a partition of its own.
    -- A populated one's ends at the month after both now and the newest id (a v7 id's first 48 bits).
    SELECT max(('x' || replace(left(id::text, 13), '-', ''))::bit(48)::bigint) INTO highest_ms FROM audit_event;
    IF highest_ms IS NULL THEN
        boundary := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    ELSE
        boundary := (date_trunc('month', greatest(now(), to_timestamp(highest_ms / 1000.0)) AT TIME ZONE 'UTC')
                     + interval '1 month') AT TIME ZONE 'UTC';
    END IF;
    first_name := 'audit_event_before_' || to_char(boundary AT TIME ZONE 'UTC', 'YYYY_MM');
    SELECT coalesce(max(ingest_seq), 0) INTO last_seq FROM audit_event;

    DROP TRIGGER audit_event_no_update_delete ON audit_event;
    DROP TRIGGER audit_event_queue_for_integration ON audit_event;
    DROP INDEX audit_event_client_event_id_uq;
    ALTER TABLE audit_event ALTER COLUMN ingest_seq DROP IDENTITY;
    ALTER TABLE audit_event RENAME TO audit_event_first;
    ALTER TABLE audit_event_first RENAME CONSTRAINT audit_event_pkey TO audit_event_first_pkey;
    ALTER INDEX audit_event_tenant_time_ix RENAME TO audit_event_first_tenant_time_ix;
    ALTER INDEX audit_event_actor_ix RENAME TO audit_event_first_actor_ix;
    ALTER INDEX audit_event_action_ix RENAME TO audit_event_first_action_ix;
    ALTER INDEX audit_event_resource_ix RENAME TO audit_event_first_resource_ix;
    ALTER INDEX audit_event_outcome_ix RENAME TO audit_event_first_outcome_ix;
    ALTER INDEX audit_event_source_application_ix RENAME TO audit_event_first_source_application_ix;
    ALTER INDEX audit_event_correlation_ix RENAME TO audit_event_first_correlation_ix;
    ALTER INDEX audit_event_action_namespace_ix RENAME TO audit_event_first_action_namespace_ix;
    ALTER INDEX audit_event_resource_type_ix RENAME TO audit_event_first_resource_type_ix;

    CREATE TABLE audit_event (
        id                  uuid        NOT NULL,
        tenant              text        COLLATE "C" NOT NULL,
        received_at         timestamptz NOT NULL,
        submitted_by        text        NOT NULL,
        actor_id            text        COLLATE "C" NOT NULL,
        actor_type          text        NOT NULL
            CONSTRAINT audit_event_actor_type_check CHECK (actor_type IN ('user', 'service')),
        actor_display_name  text,
        action              text        COLLATE "C" NOT NULL,
        resource_type       text        COLLATE "C",
        resource_id         text        COLLATE "C",
        reason              text,
        outcome             text        COLLATE "C" NOT NULL
            CONSTRAINT audit_event_outcome_check CHECK (outcome IN ('success', 'failure', 'denied')),
        occurred_at         timestamptz NOT NULL,
        source_application  text        COLLATE "C" NOT NULL,
        source_ip           text,
        source_user_agent   text,
        correlation_id      text        COLLATE "C",
        metadata            text        NOT NULL,
        client_event_id     text        COLLATE "C",
        leaf_hash           bytea       NOT NULL CONSTRAINT audit_event_leaf_hash_check CHECK (octet_length(leaf_hash) = 32),
        ingest_seq          bigint      GENERATED ALWAYS AS IDENTITY,
        CONSTRAINT audit_event_pkey PRIMARY KEY (id)
    ) PARTITION BY RANGE (id);
    PERFORM setval(pg_get_serial_sequence('audit_event', 'ingest_seq'), last_seq + 1, false);

    CREATE INDEX audit_event_tenant_time_ix        ON audit_event (tenant, occurred_at, id);
    CREATE INDEX audit_event_actor_ix              ON audit_event (tenant, actor_id, occurred_at, id);
    CREATE INDEX audit_event_action_ix             ON audit_event (tenant, action, occurred_at, id);
    CREATE INDEX audit_event_resource_ix           ON audit_event (tenant, resource_type, resource_id, occurred_at, id);
    CREATE INDEX audit_event_outcome_ix            ON audit_event (tenant, outcome, occurred_at, id);
    CREATE INDEX audit_event_source_application_ix ON audit_event (tenant, source_application, occurred_at, id);
    CREATE INDEX audit_event_correlation_ix        ON audit_event (tenant, correlation_id, occurred_at, id)
        WHERE correlation_id IS NOT NULL;
    CREATE INDEX audit_event_action_namespace_ix   ON audit_event (tenant, split_part(action, '.', 1), occurred_at, id);
    CREATE INDEX audit_event_resource_type_ix      ON audit_event (tenant, resource_type, occurred_at, id);

    CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION stenographer_reject_event_mutation();
    CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
    CREATE TRIGGER audit_event_queue_for_integration AFTER INSERT ON audit_event
        FOR EACH ROW EXECUTE FUNCTION stenographer_queue_for_integration();
    CREATE TRIGGER audit_event_keep_client_event_id AFTER INSERT ON audit_event
        FOR EACH ROW EXECUTE FUNCTION stenographer_keep_client_event_id();

    EXECUTE format('ALTER TABLE audit_event_first RENAME TO %I', first_name);
    EXECUTE format('ALTER TABLE audit_event ATTACH PARTITION %I FOR VALUES FROM (MINVALUE) TO (%L)', first_name,
                   stenographer_uuid7_floor(boundary));
    INSERT INTO event_partition (name, from_id, to_id, received_from, received_to, created_at)
    VALUES (first_name, NULL, stenographer_uuid7_floor(boundary), NULL, boundary, now());

    -- Never dropped: it holds whatever lies beyond the months created so far.
    CREATE TABLE audit_event_later PARTITION OF audit_event DEFAULT;
    CREATE TRIGGER audit_event_later_no_truncate BEFORE TRUNCATE ON audit_event_later
        FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
END;
$$;

-- Partitions are reached through the parent only: the application role holds no privilege on any of them.
REVOKE ALL ON audit_event FROM PUBLIC;
GRANT SELECT, INSERT ON audit_event TO ${app_role};

-- Creates the monthly partitions up to the month holding p_until, at most two years ahead. A month is skipped, and
-- every later one with it, while the default partition already holds ids of it (it stays served there). Answers how
-- many partitions it created.
CREATE FUNCTION stenographer_ensure_event_partitions(p_until timestamptz)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
    SET lock_timeout = '2s' AS
$$
DECLARE
    month_start timestamptz;
    month_end   timestamptz;
    part_name   text;
    created     integer := 0;
BEGIN
    IF p_until IS NULL OR p_until > now() + interval '2 years' THEN
        RAISE EXCEPTION 'stenographer: event partitions are created at most two years ahead, asked for %', p_until
            USING ERRCODE = 'check_violation';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended('stenographer.event-partitions', 0));
    SELECT max(received_to) INTO month_start FROM event_partition;
    WHILE month_start <= p_until LOOP
        month_end := (month_start AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC';
        IF EXISTS (SELECT 1 FROM audit_event_later
                   WHERE id >= stenographer_uuid7_floor(month_start) AND id < stenographer_uuid7_floor(month_end)) THEN
            RAISE NOTICE 'stenographer: the default partition holds events of %; no partition for it', month_start;
            EXIT;
        END IF;
        part_name := 'audit_event_' || to_char(month_start AT TIME ZONE 'UTC', 'YYYY_MM');
        EXECUTE format('CREATE TABLE %I PARTITION OF audit_event FOR VALUES FROM (%L) TO (%L)', part_name,
                       stenographer_uuid7_floor(month_start), stenographer_uuid7_floor(month_end));
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT '
                       'EXECUTE FUNCTION stenographer_reject_mutation()', part_name || '_no_truncate', part_name);
        EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', part_name);
        INSERT INTO event_partition (name, from_id, to_id, received_from, received_to, created_at)
        VALUES (part_name, stenographer_uuid7_floor(month_start), stenographer_uuid7_floor(month_end), month_start,
                month_end, now());
        created := created + 1;
        month_start := month_end;
    END LOOP;
    RETURN created;
END;
$$;
REVOKE ALL ON FUNCTION stenographer_ensure_event_partitions(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stenographer_ensure_event_partitions(timestamptz) TO ${app_role};

-- Purge by partition: the ONLY way a partition leaves the store. It refuses unless every event in the partition is
-- in a confirmed, undeleted archive segment under the same leaf hash, inside the segment's range, with its leaf in
-- the log, and under no unreleased hold: the same rules as stenographer_purge_archived_events, checked for every
-- row. Retention periods are judged by the application's domain rules before the call, as for the per-event purge.
-- Holds and segment deletions are locked against change while it checks, and the partition against inserts. The
-- DETACH needs a brief exclusive lock on audit_event; it waits at most lock_timeout, so ingest never queues behind
-- a long read for longer than that, and a busy partition is simply dropped by a later run.
CREATE FUNCTION stenographer_drop_event_partition(p_name text)
    RETURNS TABLE (purged_tenant text, first_index bigint, last_index bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
    SET lock_timeout = '2s'
    SET work_mem = '64MB' AS
$$
DECLARE
    registered event_partition%ROWTYPE;
    refused    bigint;
    total      bigint;
    spans      jsonb;
    span       jsonb;
    ranges     jsonb := '[]';
    islands    jsonb;
BEGIN
    SELECT * INTO registered FROM event_partition WHERE name = p_name;
    IF NOT FOUND OR EXISTS (SELECT 1 FROM event_partition_drop d WHERE d.name = p_name)
            OR NOT EXISTS (SELECT 1 FROM pg_inherits i
                           WHERE i.inhparent = 'audit_event'::regclass AND i.inhrelid = to_regclass(p_name)) THEN
        RAISE EXCEPTION 'stenographer: % is not a partition of the event store', p_name
            USING ERRCODE = 'check_violation';
    END IF;
    IF registered.received_to > now() THEN
        RAISE EXCEPTION 'stenographer: partition % still receives events until %', p_name, registered.received_to
            USING ERRCODE = 'check_violation';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended('stenographer.event-partitions', 0));
    LOCK TABLE legal_hold, legal_hold_release, archive_segment_deletion IN SHARE MODE;
    EXECUTE format('LOCK TABLE %I IN SHARE MODE', p_name);
    -- One pass, joins only. An archived_event row is written only by stenographer_record_segment, which takes it
    -- from the leaf of that event inside the segment's confirmed range, and neither table can change; so the
    -- archived row under the same event id, tenant and leaf hash stands for "archived, confirmed, with its leaf".
    -- The hold rule is stenographer_is_held, asked only for events of tenants that have an unreleased hold.
    EXECUTE format($check$
        SELECT coalesce(sum(refused), 0), coalesce(sum(events), 0),
               coalesce(jsonb_agg(jsonb_build_array(tenant, first_index, last_index, events) ORDER BY tenant), '[]')
        FROM (SELECT e.tenant, min(a.log_index) AS first_index, max(a.log_index) AS last_index,
                     count(*) AS events,
                     count(*) FILTER (WHERE a.event_id IS NULL OR d.object_key IS NOT NULL
                         OR (held.tenant IS NOT NULL
                             AND stenographer_is_held(e.tenant, e.actor_id, e.action, e.resource_type,
                                                      e.resource_id, e.occurred_at))) AS refused
              FROM %I e
              LEFT JOIN archived_event a ON a.event_id = e.id AND a.tenant = e.tenant AND a.leaf_hash = e.leaf_hash
              LEFT JOIN archive_segment_deletion d ON d.object_key = a.segment_key
              LEFT JOIN (SELECT DISTINCT h.tenant FROM legal_hold h
                         WHERE NOT EXISTS (SELECT 1 FROM legal_hold_release r WHERE r.hold_id = h.id)) held
                     ON held.tenant = e.tenant
              GROUP BY e.tenant) per_tenant
        $check$, p_name) INTO refused, total, spans;
    IF refused > 0 THEN
        RAISE EXCEPTION 'stenographer: % events of partition % are not archived or are held; it is kept', refused,
            p_name USING ERRCODE = 'check_violation';
    END IF;
    -- The purged leaves as contiguous index ranges per tenant, for the run's record: one range when a tenant's
    -- events fill [first, last], else gaps and islands over that tenant's events.
    FOR span IN SELECT value FROM jsonb_array_elements(spans) LOOP
        IF (span ->> 2)::bigint - (span ->> 1)::bigint + 1 = (span ->> 3)::bigint THEN
            ranges := ranges || jsonb_build_array(jsonb_build_array(span ->> 0, (span ->> 1)::bigint,
                                                                     (span ->> 2)::bigint));
        ELSE
            EXECUTE format($islands$
                SELECT jsonb_agg(jsonb_build_array($1, first_index, last_index) ORDER BY first_index)
                FROM (SELECT min(log_index) AS first_index, max(log_index) AS last_index
                      FROM (SELECT a.log_index, a.log_index - row_number() OVER (ORDER BY a.log_index) AS island
                            FROM %I e JOIN archived_event a ON a.event_id = e.id AND a.tenant = e.tenant
                            WHERE e.tenant = $1) numbered
                      GROUP BY island) grouped
                $islands$, p_name) INTO islands USING span ->> 0;
            ranges := ranges || islands;
        END IF;
    END LOOP;
    SET LOCAL lock_timeout = '200ms';
    EXECUTE format('ALTER TABLE audit_event DETACH PARTITION %I', p_name);
    EXECUTE format('DROP TABLE %I', p_name);
    INSERT INTO event_partition_drop (name, dropped_at, events, purged_ranges) VALUES (p_name, now(), total, ranges);
    RETURN QUERY SELECT r ->> 0, (r ->> 1)::bigint, (r ->> 2)::bigint FROM jsonb_array_elements(ranges) r;
END;
$$;
REVOKE ALL ON FUNCTION stenographer_drop_event_partition(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stenographer_drop_event_partition(text) TO ${app_role};

-- Where a tenant's per-event purge resumes: every archived event of the tenant below next_index has left the hot
-- store. Bookkeeping, not evidence: moving it only changes how much the next run reads (docs/STORAGE.md).
CREATE TABLE purge_cursor (
    tenant     text        COLLATE "C" PRIMARY KEY,
    next_index bigint      NOT NULL CHECK (next_index >= 0),
    updated_at timestamptz NOT NULL
);
REVOKE ALL ON purge_cursor FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON purge_cursor TO ${app_role};

-- Months ahead from the start, so the first events after an upgrade land in their own month.
SELECT stenographer_ensure_event_partitions(now() + interval '3 months');
