-- Who revoked a caller's key or an access token, and why (the SQLite store's 0024; AccessTokenService, ApiKeyService):
-- 0008 and 0009 kept only when. Revoking a key cuts a service's traffic and revoking a token an operator's access, so
-- the act is attributed like a change of an environment. Keys and tokens revoked before this migration keep NULL: who
-- did it was never recorded.
ALTER TABLE api_keys ADD COLUMN revoked_by text COLLATE "C";
ALTER TABLE api_keys ADD COLUMN revoke_reason text COLLATE "C";
ALTER TABLE access_tokens ADD COLUMN revoked_by text COLLATE "C";
ALTER TABLE access_tokens ADD COLUMN revoke_reason text COLLATE "C";
