-- Whether a tenant's hash tiles are public (anyone may read them) or for its auditors only (the default). Every
-- change is a new row, never an edit, so the history of who opened or closed them stays; the latest row counts.
CREATE TABLE hash_tile_visibility (
    tenant       text        COLLATE "C" NOT NULL,
    changed_at   timestamptz NOT NULL,
    public_tiles boolean     NOT NULL,
    changed_by   text        NOT NULL CHECK (length(changed_by) BETWEEN 1 AND 512),
    PRIMARY KEY (tenant, changed_at)
);

CREATE TRIGGER hash_tile_visibility_no_update_delete BEFORE UPDATE OR DELETE ON hash_tile_visibility
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER hash_tile_visibility_no_truncate BEFORE TRUNCATE ON hash_tile_visibility
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();

REVOKE ALL ON hash_tile_visibility FROM PUBLIC;
GRANT SELECT, INSERT ON hash_tile_visibility TO ${app_role};
