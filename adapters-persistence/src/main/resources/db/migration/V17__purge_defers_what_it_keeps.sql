-- The per-event purge reads each archived event once. One it must keep (not yet due, or held) is deferred here with
-- the time to look at it again; the cursor passes it. Before, the cursor stopped at the first kept event and every
-- run read all archived rows from there, the purged ones' catalogue rows included.
-- Bookkeeping, not evidence: a row removed or changed by hand can only make the purge keep an event longer or judge
-- it again; what leaves the hot store is still decided by stenographer_purge_archived_events (docs/STORAGE.md).
CREATE TABLE purge_deferred (
    tenant     text        COLLATE "C" NOT NULL,
    log_index  bigint      NOT NULL CHECK (log_index >= 0),
    event_id   uuid        NOT NULL,
    revisit_at timestamptz NOT NULL,
    held       boolean     NOT NULL,
    PRIMARY KEY (tenant, log_index)
);
-- What a run revisits, in keyset pages: rows not held whose time came, or, after a change of holds, the held ones.
CREATE INDEX purge_deferred_revisit_ix ON purge_deferred (tenant, held, revisit_at, log_index);
REVOKE ALL ON purge_deferred FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON purge_deferred TO ${app_role};

-- The tenant's active holds when its purge last ran (a digest of their ids): held events are judged again only
-- after it changed.
ALTER TABLE purge_cursor ADD COLUMN holds_seen text;
