-- Searches by resourceId alone in keyset order. audit_event_resource_ix (tenant, resource_type, resource_id,
-- occurred_at, id) serves it only per type: without the type its range spans every type and id, and the planner
-- filtered the tenant's time index instead, reading rows in proportion to the tenant's size (p95 0.45 s at 1M
-- and 0.90 s at 10M events, bench/run-queries.sh). This index makes it a range scan from the cursor.
-- Built in the migration's transaction, on every partition: writes to audit_event wait while it builds
-- (docs/QUERY-PLANS.md). Partitions created later get it from the parent.
CREATE INDEX audit_event_resource_id_ix ON audit_event (tenant, resource_id, occurred_at, id);
