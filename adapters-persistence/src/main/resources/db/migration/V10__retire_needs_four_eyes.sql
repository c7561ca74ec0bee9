-- Retiring a tenant's policy hands its events to the next matching policy (a broader tenant policy, a configured
-- one, or the default), which may keep them for less time: retirement shortens retention as surely as a shorter
-- version does. So it needs four eyes too: a retirement is first a proposal, and the retirement row is written only
-- on the approval of a different compliance admin (docs/RETENTION.md, "Four eyes"; docs/SECURITY.md).
CREATE TABLE retention_policy_retirement_proposal (
    id          uuid        PRIMARY KEY,
    tenant      text        COLLATE "C" NOT NULL,
    policy_id   text        COLLATE "C" NOT NULL,
    version     integer     NOT NULL,
    proposed_by text        NOT NULL,
    proposed_at timestamptz NOT NULL,
    FOREIGN KEY (tenant, policy_id, version) REFERENCES retention_policy_version (tenant, policy_id, version)
);
CREATE TABLE retention_policy_retirement_approval (
    proposal_id uuid        PRIMARY KEY REFERENCES retention_policy_retirement_proposal (id),
    tenant      text        COLLATE "C" NOT NULL,
    policy_id   text        COLLATE "C" NOT NULL,
    version     integer     NOT NULL,
    approved_by text        NOT NULL,
    approved_at timestamptz NOT NULL,
    UNIQUE (tenant, policy_id, version)
);
CREATE TRIGGER retention_policy_retirement_proposal_no_update_delete
    BEFORE UPDATE OR DELETE ON retention_policy_retirement_proposal
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER retention_policy_retirement_proposal_no_truncate BEFORE TRUNCATE ON retention_policy_retirement_proposal
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER retention_policy_retirement_approval_no_update_delete
    BEFORE UPDATE OR DELETE ON retention_policy_retirement_approval
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER retention_policy_retirement_approval_no_truncate BEFORE TRUNCATE ON retention_policy_retirement_approval
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
REVOKE ALL ON retention_policy_retirement_proposal, retention_policy_retirement_approval FROM PUBLIC;
-- A proposal changes nothing by itself; approvals are written only by the retirement function below.
GRANT SELECT, INSERT ON retention_policy_retirement_proposal TO ${app_role};
GRANT SELECT ON retention_policy_retirement_approval TO ${app_role};

-- The V8 function retired on one admin's word; the application role may no longer call anything that does.
DROP FUNCTION stenographer_retire_retention_policy(text, text, integer, text, timestamptz);

-- Retires the version a proposal names, on the approval of someone other than its proposer. Tenant, policy, version
-- and author come from the proposal row, never from the caller. The version must still be the policy's latest and
-- active; both self-audit events (retirement-approved, retired) must be in the tenant's log already. Answers false
-- when the version was retired already (a concurrent approval won).
CREATE FUNCTION stenographer_retire_retention_policy(p_proposal_id uuid, p_approved_by text,
        p_approved_at timestamptz)
    RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
DECLARE
    proposal retention_policy_retirement_proposal%ROWTYPE;
BEGIN
    SELECT * INTO proposal FROM retention_policy_retirement_proposal WHERE id = p_proposal_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'stenographer: retiring a retention policy needs a proposal approved by a second admin'
            USING ERRCODE = 'check_violation';
    END IF;
    IF p_approved_by IS NULL OR p_approved_by = proposal.proposed_by THEN
        RAISE EXCEPTION 'stenographer: retiring retention policy % needs the approval of a second admin',
            proposal.policy_id USING ERRCODE = 'check_violation';
    END IF;
    IF p_approved_at IS NULL THEN
        RAISE EXCEPTION 'stenographer: retiring retention policy % needs the time of its approval',
            proposal.policy_id USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM retention_policy_version v
               WHERE v.tenant = proposal.tenant AND v.policy_id = proposal.policy_id
                 AND v.version > proposal.version) THEN
        RAISE EXCEPTION 'stenographer: retention policy % changed after the retirement proposal',
            proposal.policy_id USING ERRCODE = 'check_violation';
    END IF;
    PERFORM stenographer_require_self_audit(proposal.tenant, 'retention.policy.retirement-approved',
        'retention-policy', proposal.policy_id, proposal.version);
    PERFORM stenographer_require_self_audit(proposal.tenant, 'retention.policy.retired', 'retention-policy',
        proposal.policy_id, proposal.version);
    INSERT INTO retention_policy_retirement_approval (proposal_id, tenant, policy_id, version, approved_by,
        approved_at)
    VALUES (proposal.id, proposal.tenant, proposal.policy_id, proposal.version, p_approved_by, p_approved_at)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO retention_policy_retirement (tenant, policy_id, version, retired_by, retired_at)
    VALUES (proposal.tenant, proposal.policy_id, proposal.version, proposal.proposed_by, p_approved_at)
    ON CONFLICT DO NOTHING;
    RETURN FOUND;
END;
$$;

REVOKE ALL ON FUNCTION stenographer_retire_retention_policy(uuid, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stenographer_retire_retention_policy(uuid, text, timestamptz) TO ${app_role};
