-- A retention period shortens another when it ends earlier from any day, not only from 2000-01-01 (docs/RETENTION.md,
-- "Four eyes"). Calendar periods have no single length: P1M is 28 to 31 days and P1Y 365 or 366, so P31D -> P1M or
-- P366D -> P1Y compared equal from that one day and went through without a second admin, though some records are
-- kept for less time. The rule of RetentionPeriod.isShorterOnSomeDayThan: every day of a four-year cycle as a start.
CREATE FUNCTION stenographer_retention_shortens(p_new text, p_old text)
    RETURNS boolean
    LANGUAGE sql IMMUTABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
    SELECT EXISTS (SELECT 1 FROM generate_series(timestamp '2000-01-01', timestamp '2003-12-31', interval '1 day')
                       AS d(day)
                   WHERE d.day + p_new::interval < d.day + p_old::interval)
$$;
REVOKE ALL ON FUNCTION stenographer_retention_shortens(text, text) FROM PUBLIC;

-- V11's function, judging a version stored without a proposal by that rule.
CREATE OR REPLACE FUNCTION stenographer_add_retention_policy_version(p_tenant text, p_policy_id text,
        p_version integer, p_action_pattern text, p_resource_type text, p_archive_after text, p_retain_for text,
        p_legal_basis text, p_created_by text, p_created_at timestamptz, p_proposal_id uuid, p_approved_by text,
        p_approved_at timestamptz)
    RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
DECLARE
    active_retain_for text;
    proposal retention_policy_proposal%ROWTYPE;
BEGIN
    IF p_proposal_id IS NOT NULL THEN
        SELECT * INTO proposal FROM retention_policy_proposal WHERE id = p_proposal_id;
        IF NOT FOUND OR proposal.tenant <> p_tenant OR proposal.policy_id <> p_policy_id
                OR proposal.base_version <> p_version - 1 OR proposal.retain_for <> p_retain_for
                OR proposal.archive_after <> p_archive_after OR proposal.legal_basis <> p_legal_basis
                OR proposal.action_pattern IS DISTINCT FROM p_action_pattern
                OR proposal.resource_type IS DISTINCT FROM p_resource_type THEN
            RAISE EXCEPTION 'stenographer: version % of retention policy % does not match its proposal',
                p_version, p_policy_id USING ERRCODE = 'check_violation';
        END IF;
        IF p_approved_by IS NULL OR p_approved_by = proposal.proposed_by THEN
            RAISE EXCEPTION 'stenographer: shortening retention policy % needs the approval of a second admin',
                p_policy_id USING ERRCODE = 'check_violation';
        END IF;
        PERFORM stenographer_require_self_audit(p_tenant, 'retention.policy.shortening-approved', 'retention-policy',
            p_policy_id, p_version);
        INSERT INTO retention_policy_approval (proposal_id, tenant, policy_id, version, approved_by, approved_at)
        VALUES (p_proposal_id, p_tenant, p_policy_id, p_version, p_approved_by, p_approved_at)
        ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN
            RETURN false;
        END IF;
    ELSE
        SELECT v.retain_for INTO active_retain_for FROM retention_policy_version v
        WHERE v.tenant = p_tenant AND v.policy_id = p_policy_id AND v.version = p_version - 1
          AND NOT EXISTS (SELECT 1 FROM retention_policy_retirement r
                          WHERE r.tenant = v.tenant AND r.policy_id = v.policy_id AND r.version = v.version);
        IF active_retain_for IS NOT NULL AND stenographer_retention_shortens(p_retain_for, active_retain_for) THEN
            RAISE EXCEPTION 'stenographer: version % of retention policy % shortens retention and needs an approved proposal',
                p_version, p_policy_id USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    PERFORM stenographer_require_self_audit(p_tenant, 'retention.policy.created', 'retention-policy', p_policy_id,
        p_version);
    INSERT INTO retention_policy_version (tenant, policy_id, version, action_pattern, resource_type, archive_after,
        retain_for, legal_basis, created_by, created_at)
    VALUES (p_tenant, p_policy_id, p_version, p_action_pattern, p_resource_type, p_archive_after, p_retain_for,
        p_legal_basis, p_created_by, p_created_at)
    ON CONFLICT DO NOTHING;
    RETURN FOUND;
END;
$$;
