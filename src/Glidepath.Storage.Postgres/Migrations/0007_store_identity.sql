-- Who this store is: a random id (so a long-running process notices its store was replaced) and the per-store
-- random secret subject hashes are keyed with. The one row is written by PostgresMigrator right after the
-- migrations, under the migration lock, from .NET's cryptographic random source; it never changes.
CREATE TABLE store_identity (
    id          integer PRIMARY KEY CHECK (id = 1),
    store_id    text COLLATE "C"    NOT NULL CHECK (store_id ~ '^[0-9a-f]{32}$'),
    subject_key bytea   NOT NULL CHECK (length(subject_key) = 32),
    created_at  text COLLATE "C"    NOT NULL
);

CREATE TRIGGER store_identity_immutable BEFORE UPDATE OR DELETE ON store_identity
    FOR EACH ROW EXECUTE FUNCTION refuse_change('the store identity never changes');
CREATE TRIGGER store_identity_no_truncate BEFORE TRUNCATE ON store_identity
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('the store identity never changes');
