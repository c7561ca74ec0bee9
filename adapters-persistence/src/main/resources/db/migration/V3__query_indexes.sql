-- Action prefix filters ('case.*') in keyset order, for any plan PostgreSQL may choose or cache.
--
-- V1 serves a prefix as a range on audit_event_action_ix (tenant, action, occurred_at, id). A range
-- spans many actions, so that index cannot return rows in (occurred_at, id) order: the planner either
-- sorts every match or walks audit_event_tenant_time_ix and filters. Measured on 1,000,000 events
-- (docs/QUERY-PLANS.md): once pgjdbc and PostgreSQL switch the statement to a generic plan, which
-- they do after a few executions when the database holds many small tenants, every page of 'case.*'
-- sorted the whole namespace: 200,734 buffers and 1.6 s per page.
--
-- Every action has at least two dot-separated segments, so a prefix filter always fixes the first
-- segment. This index makes "first segment = x" an ordered range scan that starts at the cursor,
-- like every other filter. The expression must stay byte-identical to the adapter's query:
-- split_part(action, '.', 1).
CREATE INDEX audit_event_action_namespace_ix
    ON audit_event (tenant, split_part(action, '.', 1), occurred_at, id);
