-- Dashboard sessions signed out before their cookie expired (docs/dashboard.md, "Signing in"). The session cookie
-- carries a random session id beside the credential; a copy of the cookie taken before "Sign out" is refused while its
-- id is here. A row is of no use after "until" (the cookie has expired by then) and is deleted at a sign-out an hour or more after it.
CREATE TABLE signed_out_sessions (
    session_id    TEXT NOT NULL PRIMARY KEY,   -- 32 hex digits, random; not a credential on its own
    app           TEXT NOT NULL,               -- the app whose dashboard signed it out (for people reading the table)
    signed_out_at TEXT NOT NULL,
    until         TEXT NOT NULL                -- ISO 8601 UTC, fixed width: text order is time order
);

CREATE INDEX signed_out_sessions_until ON signed_out_sessions (until);
