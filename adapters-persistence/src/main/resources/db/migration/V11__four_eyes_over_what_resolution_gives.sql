-- Four eyes compare a change with what resolution gives every kind of event today, not only with the active version
-- of the same id (docs/RETENTION.md, "Four eyes"): a new, more specific policy id, or a new version of a retired one,
-- can take events over from a policy that keeps them longer. Such a proposal has no active base version, so base 0
-- means "a new id" and a base above 0 must be the id's latest version (retired or not).
ALTER TABLE retention_policy_proposal DROP CONSTRAINT retention_policy_proposal_tenant_policy_id_base_version_fkey;
ALTER TABLE retention_policy_proposal ADD CONSTRAINT retention_policy_proposal_base_version_not_negative
    CHECK (base_version >= 0);

CREATE FUNCTION stenographer_check_proposal_base() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
DECLARE
    latest integer;
BEGIN
    SELECT max(v.version) INTO latest FROM retention_policy_version v
    WHERE v.tenant = NEW.tenant AND v.policy_id = NEW.policy_id;
    IF coalesce(latest, 0) <> NEW.base_version THEN
        RAISE EXCEPTION 'stenographer: a proposal for retention policy % must build on its latest version (%), not %',
            NEW.policy_id, coalesce(latest, 0), NEW.base_version USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION stenographer_check_proposal_base() FROM PUBLIC;
CREATE TRIGGER retention_policy_proposal_builds_on_latest BEFORE INSERT ON retention_policy_proposal
    FOR EACH ROW EXECUTE FUNCTION stenographer_check_proposal_base();

-- A version stored with a proposal is always an approved one, whatever the database can judge by itself: the
-- service asks for a second admin whenever resolution would keep any event for less time, which the database cannot
-- work out (configured policies live in configuration). Without a proposal, a version that shortens the active
-- version of its own id is still refused, as in V8.
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
        IF active_retain_for IS NOT NULL AND (timestamp '2000-01-01' + p_retain_for::interval)
                < (timestamp '2000-01-01' + active_retain_for::interval) THEN
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
