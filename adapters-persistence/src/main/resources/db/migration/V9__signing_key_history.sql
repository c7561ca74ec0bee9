-- Which key signed each tenant's checkpoints, by tree size: the key set verifiers are given. A rotation closes
-- the open era at the handover size and opens the next key's era there. The application role only reads this
-- table; eras are added through the two functions below, which check what they can (the handover checkpoint
-- and its log.key-rotated event). The cosignature itself is checked by every verification (KeySet.verify).
CREATE TABLE log_signing_key (
    tenant       text        COLLATE "C" NOT NULL,
    verifier_key text        NOT NULL CHECK (length(verifier_key) BETWEEN 1 AND 1000),
    first_size   bigint      NOT NULL CHECK (first_size >= 0),
    last_size    bigint      CHECK (last_size >= first_size),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, verifier_key)
);
CREATE UNIQUE INDEX log_signing_key_one_open_era ON log_signing_key (tenant) WHERE last_size IS NULL;
CREATE INDEX log_signing_key_open_by_key_ix ON log_signing_key (verifier_key, tenant) WHERE last_size IS NULL;

-- An era is never removed, and the only change is closing an open one.
CREATE FUNCTION stenographer_only_close_signing_key_era() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF OLD.last_size IS NULL AND NEW.last_size IS NOT NULL AND NEW.tenant = OLD.tenant
       AND NEW.verifier_key = OLD.verifier_key AND NEW.first_size = OLD.first_size
       AND NEW.recorded_at = OLD.recorded_at THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'stenographer: a signing key era can only be closed, never changed' USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER log_signing_key_only_close BEFORE UPDATE ON log_signing_key
    FOR EACH ROW EXECUTE FUNCTION stenographer_only_close_signing_key_era();
CREATE TRIGGER log_signing_key_no_delete BEFORE DELETE ON log_signing_key
    FOR EACH ROW EXECUTE FUNCTION stenographer_reject_mutation();
CREATE TRIGGER log_signing_key_no_truncate BEFORE TRUNCATE ON log_signing_key
    FOR EACH STATEMENT EXECUTE FUNCTION stenographer_reject_mutation();

-- The first key of a log: from size 0, and only while the log has no key history at all.
CREATE FUNCTION stenographer_record_first_signing_key(p_tenant text, p_verifier_key text)
    RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
BEGIN
    IF EXISTS (SELECT 1 FROM log_signing_key WHERE tenant = p_tenant) THEN
        RETURN false;
    END IF;
    INSERT INTO log_signing_key (tenant, verifier_key, first_size, last_size)
    VALUES (p_tenant, p_verifier_key, 0, NULL)
    ON CONFLICT DO NOTHING;
    RETURN FOUND;
END;
$$;

-- A rotation: the open era must be p_from's, the handover checkpoint must be the latest one stored, and the
-- log.key-rotated event naming both keys must be a leaf inside it.
CREATE FUNCTION stenographer_record_signing_key_rotation(p_tenant text, p_from text, p_to text, p_handover bigint)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
DECLARE
    open_key   text;
    open_first bigint;
BEGIN
    SELECT verifier_key, first_size INTO open_key, open_first
    FROM log_signing_key WHERE tenant = p_tenant AND last_size IS NULL FOR UPDATE;
    IF open_key IS DISTINCT FROM p_from THEN
        RAISE EXCEPTION 'stenographer: the log of % is not signed by % now', p_tenant, p_from
            USING ERRCODE = 'check_violation';
    END IF;
    IF p_handover < open_first
       OR p_handover IS DISTINCT FROM (SELECT max(tree_size) FROM log_checkpoint WHERE tenant = p_tenant) THEN
        RAISE EXCEPTION 'stenographer: a handover at size % of % must be its latest checkpoint', p_handover, p_tenant
            USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM audit_event e JOIN log_leaf l ON l.event_id = e.id AND l.tenant = e.tenant
                   WHERE e.tenant = p_tenant AND e.action = 'log.key-rotated' AND l.leaf_index < p_handover
                     AND e.metadata::jsonb ->> 'previousKey' = p_from
                     AND e.metadata::jsonb ->> 'newKey' = p_to) THEN
        RAISE EXCEPTION 'stenographer: a rotation of % needs its log.key-rotated event inside the handover checkpoint',
            p_tenant USING ERRCODE = 'check_violation';
    END IF;
    UPDATE log_signing_key SET last_size = p_handover WHERE tenant = p_tenant AND verifier_key = p_from;
    INSERT INTO log_signing_key (tenant, verifier_key, first_size, last_size) VALUES (p_tenant, p_to, p_handover, NULL);
END;
$$;

REVOKE ALL ON log_signing_key FROM PUBLIC;
GRANT SELECT ON log_signing_key TO ${app_role};
REVOKE ALL ON FUNCTION stenographer_record_first_signing_key(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION stenographer_record_signing_key_rotation(text, text, text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stenographer_record_first_signing_key(text, text) TO ${app_role};
GRANT EXECUTE ON FUNCTION stenographer_record_signing_key_rotation(text, text, text, bigint) TO ${app_role};
