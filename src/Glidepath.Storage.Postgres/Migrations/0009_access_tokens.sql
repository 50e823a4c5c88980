-- Issue 15, control plane: access tokens to the admin API (the SQLite store's 0014). Only a keyed hash of each token is
-- kept (HMAC-SHA256 with the store's subject_key, see 0007, labelled differently from a caller's key), never the token.
-- A revoked token stays listed, with when it was revoked.
CREATE TABLE access_tokens (
    seq         bigint GENERATED ALWAYS AS IDENTITY,   -- creation order (SQLite's rowid)
    id          text COLLATE "C" NOT NULL PRIMARY KEY,
    app         text COLLATE "C" NOT NULL,
    environment text COLLATE "C" NOT NULL,              -- an environment's name, or '*' for all of the app's
    name        text COLLATE "C" NOT NULL,              -- recorded as the actor of every change made with the token
    role        text COLLATE "C" NOT NULL CHECK (role IN ('viewer', 'deployer', 'owner', 'admin')),
    token_hash  text COLLATE "C" NOT NULL UNIQUE,       -- 64 hex digits
    created_at  text COLLATE "C" NOT NULL,              -- ISO 8601 UTC, fixed width
    created_by  text COLLATE "C" NOT NULL,
    revoked_at  text COLLATE "C"
);

-- One working token per name and app; a revoked token's name can be used again.
CREATE UNIQUE INDEX access_tokens_active_name ON access_tokens (app, name) WHERE revoked_at IS NULL;
