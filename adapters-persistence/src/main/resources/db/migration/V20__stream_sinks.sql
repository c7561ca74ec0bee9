-- Stream sinks (issue 16, docs/STREAMING.md): where a tenant's log is delivered, how far delivery got, and which
-- service instance delivers it now. A sink's row is never deleted: deleting a sink marks it 'deleted' and wipes its
-- secrets, and the row stays for the record. Webhook signing secrets live in stream_sink_secret, apart from the
-- sink, so that nothing that lists or shows sinks reads them; only the delivery lease reads them back.
--
-- Leases: a worker holds a sink while lease_until is in the future, by the database's clock (now()), so instances
-- with skewed clocks agree. Every write of a holder is fenced by lease_owner, generation and lease_until > now().
-- Every administrative change (state, secrets, replay, delete) moves generation on and clears the lease, so a worker
-- still sending under the old configuration can save nothing over the change.

CREATE TABLE stream_sink (
    id                       uuid        PRIMARY KEY,
    tenant                   text        COLLATE "C" NOT NULL,
    name                     text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    transport                text        NOT NULL CHECK (transport IN ('kafka', 'webhook', 'syslog')),
    -- The target, one shape per transport: host:port strings ([v6]:port for IPv6 literals) and a URL.
    target_url               text        CHECK (length(target_url) BETWEEN 1 AND 2048),
    target_servers           text[]      CHECK (cardinality(target_servers) BETWEEN 1 AND 16
                                                AND array_position(target_servers, NULL) IS NULL),
    target_topic             text        CHECK (length(target_topic) BETWEEN 1 AND 249),
    target_address           text        CHECK (length(target_address) BETWEEN 3 AND 300),
    format                   text        NOT NULL CHECK (format IN ('native', 'ocsf', 'cef')),
    batch_size               integer     NOT NULL CHECK (batch_size >= 1),
    checkpoint_every_records integer     NOT NULL CHECK (checkpoint_every_records >= 1),
    checkpoint_every         interval    NOT NULL CHECK (checkpoint_every > interval '0'),
    dead_after               interval    NOT NULL CHECK (dead_after > interval '0'),
    max_message_bytes        integer     NOT NULL CHECK (max_message_bytes >= 1),
    ocsf_mapping             text        CHECK (length(ocsf_mapping) <= 16384),
    -- Fingerprints only (WebhookSecret.fingerprint()): what audit events and the status show of the secrets.
    secret_fingerprints      text[]      NOT NULL DEFAULT '{}' CHECK (array_position(secret_fingerprints, NULL) IS NULL),
    state                    text        NOT NULL CHECK (state IN ('active', 'paused', 'dead', 'disabled', 'deleted')),
    created_at               timestamptz NOT NULL,
    created_by               text        NOT NULL,
    -- Progress (SinkProgress): cursor is the next index to deliver; checkpoint_from where the next checkpoint
    -- record's range starts.
    cursor                   bigint      NOT NULL,
    checkpoint_from          bigint      NOT NULL,
    records_since_checkpoint bigint      NOT NULL CHECK (records_since_checkpoint >= 0),
    last_checkpoint_at       timestamptz,
    delivered                bigint      NOT NULL CHECK (delivered >= 0),
    failed                   bigint      NOT NULL CHECK (failed >= 0),
    last_error               text        CHECK (length(last_error) <= 1000),
    last_error_at            timestamptz,
    failing_since            timestamptz,
    attempts                 integer     NOT NULL CHECK (attempts >= 0),
    -- The database's clock: now() + the progress's retryAfter when it was saved.
    next_attempt_at          timestamptz NOT NULL,
    -- The batch being attempted: [inflight_from, inflight_to), then a checkpoint record of size
    -- inflight_checkpoint_size when that is not null.
    inflight_from            bigint,
    inflight_to              bigint,
    inflight_checkpoint_size bigint,
    lease_owner              text        CHECK (length(lease_owner) BETWEEN 1 AND 200),
    lease_until              timestamptz,
    generation               bigint      NOT NULL DEFAULT 0 CHECK (generation >= 0),
    -- The database's clock, set by the trigger below on every insert and update.
    updated_at               timestamptz NOT NULL DEFAULT now(),
    CHECK ((transport = 'webhook') = (target_url IS NOT NULL)),
    CHECK ((transport = 'kafka') = (target_servers IS NOT NULL)),
    CHECK ((transport = 'kafka') = (target_topic IS NOT NULL)),
    CHECK ((transport = 'syslog') = (target_address IS NOT NULL)),
    CHECK (format <> 'cef' OR transport = 'syslog'),
    CHECK (transport = 'webhook' OR cardinality(secret_fingerprints) = 0),
    CHECK (0 <= checkpoint_from AND checkpoint_from <= cursor),
    CHECK ((inflight_from IS NULL) = (inflight_to IS NULL)),
    CHECK (inflight_from IS NULL OR (inflight_from = cursor AND inflight_to >= inflight_from)),
    CHECK (inflight_checkpoint_size IS NULL OR inflight_checkpoint_size = inflight_to),
    CHECK ((lease_owner IS NULL) = (lease_until IS NULL)),
    -- Only an active sink is delivered, so only an active sink can be held.
    CHECK (state = 'active' OR lease_owner IS NULL)
);

-- A name is a tenant's handle on a sink while it exists; a deleted sink's name may be used again.
CREATE UNIQUE INDEX stream_sink_name_ux ON stream_sink (tenant, name) WHERE state <> 'deleted';
-- A tenant's sinks, oldest first.
CREATE INDEX stream_sink_tenant_ix ON stream_sink (tenant, created_at, id);
-- Claiming: active sinks whose next attempt is due, the longest due first.
CREATE INDEX stream_sink_claim_ix ON stream_sink (next_attempt_at, id) WHERE state = 'active';

CREATE FUNCTION stenographer_stream_sink_changed() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.state = 'deleted' THEN
            RAISE EXCEPTION 'stenographer: stream sink % is deleted; its row stays as it was, for the record', OLD.id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.generation < OLD.generation THEN
            RAISE EXCEPTION 'stenographer: the generation of stream sink % never goes back', OLD.id
                USING ERRCODE = 'check_violation';
        END IF;
        -- The cursor moves back only on a replay, which is an administrative change: a new generation.
        IF NEW.cursor < OLD.cursor AND NEW.generation = OLD.generation THEN
            RAISE EXCEPTION 'stenographer: the cursor of stream sink % moves back only with a new generation', OLD.id
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;
CREATE TRIGGER stream_sink_changed BEFORE INSERT OR UPDATE ON stream_sink
    FOR EACH ROW EXECUTE FUNCTION stenographer_stream_sink_changed();

CREATE FUNCTION stenographer_reject_stream_sink_removal() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'stenographer: % on % is forbidden, a deleted sink is marked deleted and its row stays', TG_OP,
        TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER stream_sink_no_delete BEFORE DELETE ON stream_sink
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_stream_sink_removal();
CREATE TRIGGER stream_sink_no_truncate BEFORE TRUNCATE ON stream_sink
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_stream_sink_removal();

-- A sink's signing secrets, in the order they are offered (position 0 first), as WebhookSecret.serialize() writes
-- them. Wiping a secret sets it to NULL: the application role has no DELETE here. A rotation that drops a secret and
-- a sink's deletion are UPDATEs of this one column, so no SECURITY DEFINER function is needed for them (which would
-- be one more privileged path to guard), and the application role can remove nothing else.
CREATE TABLE stream_sink_secret (
    sink_id  uuid     NOT NULL REFERENCES stream_sink (id),
    position smallint NOT NULL CHECK (position BETWEEN 0 AND 15),
    secret   text     CHECK (secret ~ '^(whsec|whsk)_[A-Za-z0-9+/]+={0,2}$'),
    PRIMARY KEY (sink_id, position)
);

-- A deleted sink's secrets stay wiped.
CREATE FUNCTION stenographer_stream_sink_secret_written() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    IF NEW.secret IS NOT NULL
            AND EXISTS (SELECT 1 FROM stream_sink s WHERE s.id = NEW.sink_id AND s.state = 'deleted') THEN
        RAISE EXCEPTION 'stenographer: stream sink % is deleted; its secrets stay wiped', NEW.sink_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER stream_sink_secret_written BEFORE INSERT OR UPDATE ON stream_sink_secret
    FOR EACH ROW EXECUTE FUNCTION stenographer_stream_sink_secret_written();

-- The application role reads, adds and changes sinks, but only the columns that change after creation; it deletes
-- nothing (deleting a sink is a state change, and wiping its secrets an UPDATE to NULL).
REVOKE ALL ON stream_sink, stream_sink_secret FROM PUBLIC;
GRANT SELECT, INSERT ON stream_sink, stream_sink_secret TO ${app_role};
GRANT UPDATE (secret_fingerprints, state, cursor, checkpoint_from, records_since_checkpoint, last_checkpoint_at,
              delivered, failed, last_error, last_error_at, failing_since, attempts, next_attempt_at, inflight_from,
              inflight_to, inflight_checkpoint_size, lease_owner, lease_until, generation)
    ON stream_sink TO ${app_role};
GRANT UPDATE (secret) ON stream_sink_secret TO ${app_role};
