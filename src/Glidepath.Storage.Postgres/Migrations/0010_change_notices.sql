-- Issue 16: every change of an environment's state (a new revision: deploy, rollout step, rollback, freeze…) and of
-- its callers' keys is announced with NOTIFY on the channel "<schema>_changes", delivered when the writing transaction
-- commits (never for one that rolls back). Gateways LISTEN and re-read at once; their poll is only a safety net.
-- A trigger, not the store's code, so no write path can forget it. Payload: app, a tab, environment.
CREATE FUNCTION announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_TABLE_SCHEMA || '_changes', (to_jsonb(NEW) ->> 'app') || E'\t' || (to_jsonb(NEW) ->> TG_ARGV[0]));
    RETURN NULL;
END
$$;

CREATE TRIGGER environments_announce AFTER INSERT OR UPDATE ON environments
    FOR EACH ROW EXECUTE FUNCTION announce_change('name');
CREATE TRIGGER api_keys_announce AFTER INSERT OR UPDATE ON api_keys
    FOR EACH ROW EXECUTE FUNCTION announce_change('environment');
