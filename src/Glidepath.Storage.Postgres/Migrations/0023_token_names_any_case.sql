-- Token names are unique among an app's working tokens in any case (the SQLite store's 0023; AccessTokenService): 0009's
-- index held only the exact name, so two gateways creating 'root' and 'ROOT' at once could both pass the service's
-- check. Now the store holds the whole rule. Working tokens whose names already differ only in case: the oldest keeps
-- its name and each later one is renamed NAME.ID (its own id, so the new name is unique too), and keeps working.
-- The lock keeps a token created meanwhile (by a gateway still running the older version) from failing the index.
LOCK TABLE access_tokens IN SHARE ROW EXCLUSIVE MODE;

UPDATE access_tokens AS t SET name = t.name || '.' || t.id
WHERE t.revoked_at IS NULL
  AND EXISTS (
      SELECT 1 FROM access_tokens AS older
      WHERE older.app = t.app AND older.revoked_at IS NULL AND lower(older.name) = lower(t.name)
        AND (older.created_at, older.seq) < (t.created_at, t.seq));

-- The column's "C" collation: lower() folds ASCII only, as the service's ordinal ignore-case does for names of ASCII letters.
DROP INDEX access_tokens_active_name;
CREATE UNIQUE INDEX access_tokens_active_name_any_case ON access_tokens (app, lower(name)) WHERE revoked_at IS NULL;
