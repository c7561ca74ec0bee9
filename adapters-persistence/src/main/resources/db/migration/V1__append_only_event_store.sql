-- Stenographer event store. Migrations run as the schema owner; the application connects as
-- ${app_role}, which may only read and append event data.

CREATE TABLE audit_event (
    id                  uuid        PRIMARY KEY,
    tenant              text        COLLATE "C" NOT NULL,
    received_at         timestamptz NOT NULL,
    submitted_by        text        NOT NULL,
    actor_id            text        COLLATE "C" NOT NULL,
    actor_type          text        NOT NULL CHECK (actor_type IN ('user', 'service')),
    actor_display_name  text,
    action              text        COLLATE "C" NOT NULL,
    resource_type       text        COLLATE "C",
    resource_id         text        COLLATE "C",
    reason              text,
    outcome             text        COLLATE "C" NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
    occurred_at         timestamptz NOT NULL,
    source_application  text        COLLATE "C" NOT NULL,
    source_ip           text,
    source_user_agent   text,
    correlation_id      text        COLLATE "C",
    -- RFC 8785 canonical JSON, so the leaf input can be rebuilt byte for byte.
    metadata            text        NOT NULL,
    client_event_id     text        COLLATE "C",
    leaf_hash           bytea       NOT NULL CHECK (octet_length(leaf_hash) = 32),
    -- Commit-independent arrival order, used by the sequencer; never exposed.
    ingest_seq          bigint      GENERATED ALWAYS AS IDENTITY
);

-- Idempotency: one event per (tenant, client event id).
CREATE UNIQUE INDEX audit_event_client_event_id_uq
    ON audit_event (tenant, client_event_id) WHERE client_event_id IS NOT NULL;

-- Every filter is served by an index ending in the keyset (occurred_at, id), so each page is an
-- index range scan that starts at the cursor, however deep the page.
CREATE INDEX audit_event_tenant_time_ix        ON audit_event (tenant, occurred_at, id);
CREATE INDEX audit_event_actor_ix              ON audit_event (tenant, actor_id, occurred_at, id);
CREATE INDEX audit_event_action_ix             ON audit_event (tenant, action, occurred_at, id);
CREATE INDEX audit_event_resource_ix           ON audit_event (tenant, resource_type, resource_id, occurred_at, id);
CREATE INDEX audit_event_outcome_ix            ON audit_event (tenant, outcome, occurred_at, id);
CREATE INDEX audit_event_source_application_ix ON audit_event (tenant, source_application, occurred_at, id);
CREATE INDEX audit_event_correlation_ix        ON audit_event (tenant, correlation_id, occurred_at, id)
    WHERE correlation_id IS NOT NULL;

-- Append-only in depth, layer 1: the rows themselves refuse to change, whoever asks.
CREATE FUNCTION stenographer_reject_mutation() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'stenographer: % on % is forbidden, the audit log is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_event_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();

CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();

-- Append-only in depth, layer 2: the application role is never granted more than read and append.
REVOKE ALL ON audit_event FROM PUBLIC;
GRANT SELECT, INSERT ON audit_event TO ${app_role};
