-- The hold rule was written twice in SQL: in stenographer_is_held (V8), which purges, partition drops and the deletion
-- of values ask, and in stenographer_hold_covers (V27), which erasures and report-file purges ask. Two copies of the
-- rule that decides what may be destroyed can drift apart; stenographer_is_held now asks stenographer_hold_covers,
-- which the planner inlines (plain SQL, IMMUTABLE, no settings), so the query it runs is the one it ran before.
-- HoldRuleAgreementTest holds both to HoldCriteria.matches, the rule the service itself applies.
CREATE OR REPLACE FUNCTION stenographer_is_held(p_tenant text, p_actor_id text, p_action text, p_resource_type text,
                                                p_resource_id text, p_occurred_at timestamptz)
    RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
    SELECT EXISTS (
        SELECT 1 FROM legal_hold h
        WHERE h.tenant = p_tenant
          AND NOT EXISTS (SELECT 1 FROM legal_hold_release r WHERE r.hold_id = h.id)
          AND stenographer_hold_covers(h.actor_id, h.resource_type, h.resource_id, h.action_pattern,
                                       h.occurred_from, h.occurred_to, p_actor_id, p_action, p_resource_type,
                                       p_resource_id, p_occurred_at))
$$;
-- stenographer_is_held runs with its caller's rights, as it did; the rule it asks reads nothing but its arguments.
GRANT EXECUTE ON FUNCTION stenographer_hold_covers(text, text, text, text, timestamptz, timestamptz, text, text, text,
    text, timestamptz) TO ${app_role};
