-- Token names are unique among an app's working tokens in any case (AccessTokenService); 0014's index held only the
-- exact name, so two processes creating 'root' and 'ROOT' at once could both pass the service's check. Now the store
-- holds the whole rule. A store may already have working tokens whose names differ only in case (made before the
-- check, or by that race): the oldest keeps its name and each later one is renamed NAME.ID (its own id, so the new
-- name is unique too). A renamed token keeps working; 'glidepath tokens list' shows its new name, which is the actor of
-- what it changes from now on (docs/security.md, "Control plane").
UPDATE access_tokens SET name = name || '.' || id
WHERE revoked_at IS NULL
  AND EXISTS (
      SELECT 1 FROM access_tokens AS older
      WHERE older.app = access_tokens.app AND older.revoked_at IS NULL AND lower(older.name) = lower(access_tokens.name)
        AND (older.created_at < access_tokens.created_at OR (older.created_at = access_tokens.created_at AND older.rowid < access_tokens.rowid)));

-- lower() folds ASCII only, as the service's ordinal ignore-case does for names of ASCII letters.
DROP INDEX access_tokens_active_name;
CREATE UNIQUE INDEX access_tokens_active_name_any_case ON access_tokens (app, lower(name)) WHERE revoked_at IS NULL;
