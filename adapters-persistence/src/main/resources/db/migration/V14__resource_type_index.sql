-- Searches by resourceType alone in keyset order. audit_event_resource_ix (tenant, resource_type, resource_id,
-- occurred_at, id) serves type + id; for a type alone its range spans every id, so it cannot return rows in
-- (occurred_at, id) order and the planner filtered the tenant's time index instead: about 100 / selectivity rows
-- per page, 100k rows for a type that is 0.1% of a tenant. This index makes it a range scan from the cursor.
-- Built in the migration's transaction: writes to audit_event wait while it builds (docs/QUERY-PLANS.md).
CREATE INDEX audit_event_resource_type_ix ON audit_event (tenant, resource_type, occurred_at, id);
