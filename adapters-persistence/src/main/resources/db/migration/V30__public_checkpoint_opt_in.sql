-- A tenant's checkpoint (and key set) was answered to anyone, which tells anyone which tenants exist, how many
-- events each holds and, as the size moves, when its auditors search. It is now public only when a compliance admin
-- opens it, like the hash tiles, whose table becomes the log's visibility table.
ALTER TABLE hash_tile_visibility RENAME TO log_visibility;
ALTER TRIGGER hash_tile_visibility_no_update_delete ON log_visibility RENAME TO log_visibility_no_update_delete;
ALTER TRIGGER hash_tile_visibility_no_truncate ON log_visibility RENAME TO log_visibility_no_truncate;
ALTER TABLE log_visibility RENAME CONSTRAINT hash_tile_visibility_pkey TO log_visibility_pkey;
ALTER TABLE log_visibility ADD COLUMN public_checkpoint boolean NOT NULL DEFAULT false;

-- A tenant whose hash tiles are public keeps its checkpoint public (the tiles reveal the tree's size anyway): a new
-- row, so the history of who opened what stays as it was.
INSERT INTO log_visibility (tenant, changed_at, public_tiles, changed_by, public_checkpoint)
SELECT latest.tenant, greatest(clock_timestamp(), latest.changed_at + interval '1 microsecond'), true,
       'migration V30: public hash tiles keep the checkpoint public', true
FROM (SELECT DISTINCT ON (tenant) tenant, changed_at, public_tiles
      FROM log_visibility ORDER BY tenant, changed_at DESC) latest
WHERE latest.public_tiles;

-- Only for rows from now on: earlier rows predate the checkpoint column.
ALTER TABLE log_visibility ADD CONSTRAINT log_visibility_tiles_need_checkpoint
    CHECK (public_checkpoint OR NOT public_tiles) NOT VALID;
