-- The tamper-evident log: one RFC 6962 Merkle tree per tenant. Everything here is append-only
-- except the integration queue, which is a work list, not evidence.

-- Every appended event waits here until the sequencer gives it a leaf index. A trigger fills it, so
-- no code path can store an event that is never integrated.
CREATE TABLE integration_queue (
    event_id    uuid        PRIMARY KEY,
    tenant      text        COLLATE "C" NOT NULL,
    ingest_seq  bigint      NOT NULL,
    leaf_hash   bytea       NOT NULL,
    received_at timestamptz NOT NULL
);
CREATE INDEX integration_queue_tenant_ix ON integration_queue (tenant, ingest_seq);

CREATE FUNCTION stenographer_queue_for_integration() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO integration_queue (event_id, tenant, ingest_seq, leaf_hash, received_at)
    VALUES (NEW.id, NEW.tenant, NEW.ingest_seq, NEW.leaf_hash, NEW.received_at);
    RETURN NULL;
END;
$$;

CREATE TRIGGER audit_event_queue_for_integration
    AFTER INSERT ON audit_event
    FOR EACH ROW EXECUTE FUNCTION stenographer_queue_for_integration();

-- Leaves in log order: indices 0..n-1 per tenant with no gaps, each event at most once. No foreign
-- key to audit_event: payloads may be purged after archiving, the leaf hashes never are.
CREATE TABLE log_leaf (
    tenant        text        COLLATE "C" NOT NULL,
    leaf_index    bigint      NOT NULL CHECK (leaf_index >= 0),
    event_id      uuid        NOT NULL,
    leaf_hash     bytea       NOT NULL CHECK (octet_length(leaf_hash) = 32),
    integrated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, leaf_index),
    CONSTRAINT log_leaf_event_once UNIQUE (event_id)
);
CREATE INDEX log_leaf_hash_ix ON log_leaf (tenant, leaf_hash);

-- Hashes of every perfect subtree [node_index * 2^level, (node_index + 1) * 2^level), level >= 1.
-- Any proof for any tree size is then O(log n) reads, never a recomputation.
CREATE TABLE merkle_subtree (
    tenant     text     COLLATE "C" NOT NULL,
    level      smallint NOT NULL CHECK (level BETWEEN 1 AND 63),
    node_index bigint   NOT NULL CHECK (node_index >= 0),
    hash       bytea    NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (tenant, level, node_index)
);

-- Signed checkpoints (C2SP tlog-checkpoint in a signed note), one per published tree size.
CREATE TABLE log_checkpoint (
    tenant       text        COLLATE "C" NOT NULL,
    tree_size    bigint      NOT NULL CHECK (tree_size >= 0),
    root_hash    bytea       NOT NULL CHECK (octet_length(root_hash) = 32),
    signed_note  text        NOT NULL,
    published_at timestamptz NOT NULL,
    PRIMARY KEY (tenant, tree_size)
);

CREATE TRIGGER log_leaf_no_update_delete BEFORE UPDATE OR DELETE ON log_leaf
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER log_leaf_no_truncate BEFORE TRUNCATE ON log_leaf
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER merkle_subtree_no_update_delete BEFORE UPDATE OR DELETE ON merkle_subtree
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER merkle_subtree_no_truncate BEFORE TRUNCATE ON merkle_subtree
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER log_checkpoint_no_update_delete BEFORE UPDATE OR DELETE ON log_checkpoint
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER log_checkpoint_no_truncate BEFORE TRUNCATE ON log_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();

REVOKE ALL ON integration_queue, log_leaf, merkle_subtree, log_checkpoint FROM PUBLIC;
-- UPDATE only because SELECT ... FOR UPDATE requires it; the queue is a work list, not evidence.
GRANT SELECT, INSERT, UPDATE, DELETE ON integration_queue TO ${app_role};
GRANT SELECT, INSERT ON log_leaf, merkle_subtree, log_checkpoint TO ${app_role};

-- Results of full verification runs, kept as evidence.
CREATE TABLE verification_run (
    id           uuid        PRIMARY KEY,
    tenant       text        COLLATE "C" NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL,
    tree_size    bigint      NOT NULL,
    checkpoints  bigint      NOT NULL,
    ok           boolean     NOT NULL,
    findings     text        NOT NULL,
    triggered_by text        NOT NULL
);
CREATE INDEX verification_run_tenant_ix ON verification_run (tenant, started_at DESC);
CREATE TRIGGER verification_run_no_update_delete BEFORE UPDATE OR DELETE ON verification_run
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
REVOKE ALL ON verification_run FROM PUBLIC;
GRANT SELECT, INSERT ON verification_run TO ${app_role};
