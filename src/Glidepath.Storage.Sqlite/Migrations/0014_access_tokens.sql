-- Issue 15, control plane: access tokens to the admin API. Only a keyed hash of each token is kept (HMAC-SHA256 with
-- the store's subject_key, see 0012, labelled differently from a caller's key), never the token. A revoked token stays
-- listed, with when it was revoked.
CREATE TABLE access_tokens (
    id          TEXT NOT NULL PRIMARY KEY,
    app         TEXT NOT NULL,
    environment TEXT NOT NULL,             -- an environment's name, or '*' for all of the app's
    name        TEXT NOT NULL,             -- recorded as the actor of every change made with the token
    role        TEXT NOT NULL CHECK (role IN ('viewer', 'deployer', 'owner', 'admin')),
    token_hash  TEXT NOT NULL UNIQUE,      -- 64 hex digits
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    revoked_at  TEXT
);

-- One working token per name and app; a revoked token's name can be used again.
CREATE UNIQUE INDEX access_tokens_active_name ON access_tokens (app, name) WHERE revoked_at IS NULL;
