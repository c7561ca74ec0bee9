-- How a tenant's events hold actor.id and resource.id: as given, or as the keyed pseudonym its data policy asks for
-- (docs/PRIVACY.md §1a). Recorded at the tenant's first write under a policy, and never changed: holds, searches and
-- erasures compare one form, so the service refuses to start with a policy that disagrees with what is recorded.
CREATE TABLE tenant_identifier_form (
    tenant        text        COLLATE "C" NOT NULL,
    field         text        NOT NULL CHECK (field IN ('actor.id', 'resource.id')),
    pseudonymised boolean     NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, field)
);
CREATE TRIGGER tenant_identifier_form_no_change BEFORE UPDATE OR DELETE ON tenant_identifier_form
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER tenant_identifier_form_no_truncate BEFORE TRUNCATE ON tenant_identifier_form
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();

-- Before this version no policy could make an identifier personal: every tenant with a leaf, or an event waiting for
-- one, holds both as given. The tenants are read by a loose index scan of log_leaf's primary key.
INSERT INTO tenant_identifier_form (tenant, field, pseudonymised)
SELECT t.tenant, f.field, false
FROM (WITH RECURSIVE tenants AS (
          SELECT min(tenant) AS tenant FROM log_leaf
          UNION ALL
          SELECT (SELECT min(l.tenant) FROM log_leaf l WHERE l.tenant > tenants.tenant)
          FROM tenants WHERE tenants.tenant IS NOT NULL)
      SELECT tenant FROM tenants WHERE tenant IS NOT NULL
      UNION
      SELECT DISTINCT tenant FROM integration_queue) t
CROSS JOIN (VALUES ('actor.id'), ('resource.id')) f(field);

GRANT SELECT, INSERT ON tenant_identifier_form TO ${app_role};
