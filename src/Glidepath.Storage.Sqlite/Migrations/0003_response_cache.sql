-- Response cache for evals: model answers keyed by sha256 of (provider, model, parameters, messages,
-- tools, trial index). Entries expire (14 days by default); never holds an API key.
CREATE TABLE response_cache (
    cache_key     TEXT PRIMARY KEY,
    provider      TEXT NOT NULL,
    model         TEXT NOT NULL,
    response_json TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);

CREATE INDEX response_cache_expires ON response_cache (expires_at);
