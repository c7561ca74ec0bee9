-- Retention policies and legal holds (docs/RETENTION.md). Append-only like the event store: a new policy
-- version, a retirement, a hold and a release are each a new row; nothing here is ever updated or deleted.
-- Only tenant policies are stored; the policies for all tenants (with the default) come from configuration.

CREATE TABLE retention_policy_version (
    tenant         text        COLLATE "C" NOT NULL,
    policy_id      text        COLLATE "C" NOT NULL CHECK (policy_id ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    version        integer     NOT NULL CHECK (version >= 1),
    action_pattern text        COLLATE "C",
    resource_type  text        COLLATE "C",
    -- ISO 8601 durations in their canonical form (RetentionPeriod.iso()): kept as text, because an
    -- interval would not keep "P1M" apart from "P30D" in the form the policy was written.
    archive_after  text        NOT NULL CHECK (archive_after ~ '^P'),
    retain_for     text        NOT NULL CHECK (retain_for ~ '^P'),
    legal_basis    text        NOT NULL CHECK (length(legal_basis) BETWEEN 1 AND 1000),
    created_by     text        NOT NULL,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant, policy_id, version)
);

-- At most one retirement per version; it can only name a version that exists.
CREATE TABLE retention_policy_retirement (
    tenant     text        COLLATE "C" NOT NULL,
    policy_id  text        COLLATE "C" NOT NULL,
    version    integer     NOT NULL,
    retired_by text        NOT NULL,
    retired_at timestamptz NOT NULL,
    PRIMARY KEY (tenant, policy_id, version),
    FOREIGN KEY (tenant, policy_id, version) REFERENCES retention_policy_version (tenant, policy_id, version)
);

CREATE TABLE legal_hold (
    id             uuid        PRIMARY KEY,
    tenant         text        COLLATE "C" NOT NULL,
    -- Criteria; null means "any". occurred_from is inclusive, occurred_to exclusive, on occurredAt.
    actor_id       text        COLLATE "C",
    resource_type  text        COLLATE "C",
    resource_id    text        COLLATE "C",
    action_pattern text        COLLATE "C",
    occurred_from  timestamptz,
    occurred_to    timestamptz,
    case_reference text,
    reason         text        NOT NULL,
    placed_by      text        NOT NULL,
    placed_at      timestamptz NOT NULL,
    CHECK (occurred_from IS NULL OR occurred_to IS NULL OR occurred_from < occurred_to)
);
-- A tenant's holds in the order they were placed (lists, and the active holds jobs must respect).
CREATE INDEX legal_hold_tenant_ix ON legal_hold (tenant, placed_at, id);

-- A hold is released at most once: the primary key refuses a second release, even a concurrent one.
CREATE TABLE legal_hold_release (
    hold_id     uuid        PRIMARY KEY REFERENCES legal_hold (id),
    released_by text        NOT NULL,
    released_at timestamptz NOT NULL,
    reason      text        NOT NULL
);

CREATE TRIGGER retention_policy_version_no_update_delete BEFORE UPDATE OR DELETE ON retention_policy_version
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER retention_policy_version_no_truncate BEFORE TRUNCATE ON retention_policy_version
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER retention_policy_retirement_no_update_delete BEFORE UPDATE OR DELETE ON retention_policy_retirement
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER retention_policy_retirement_no_truncate BEFORE TRUNCATE ON retention_policy_retirement
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER legal_hold_no_update_delete BEFORE UPDATE OR DELETE ON legal_hold
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER legal_hold_no_truncate BEFORE TRUNCATE ON legal_hold
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER legal_hold_release_no_update_delete BEFORE UPDATE OR DELETE ON legal_hold_release
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER legal_hold_release_no_truncate BEFORE TRUNCATE ON legal_hold_release
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();

REVOKE ALL ON retention_policy_version, retention_policy_retirement, legal_hold, legal_hold_release FROM PUBLIC;
GRANT SELECT, INSERT ON retention_policy_version, retention_policy_retirement, legal_hold, legal_hold_release
    TO ${app_role};
