-- Releases: immutable, content-addressed snapshots. Triggers make UPDATE and DELETE impossible.
CREATE TABLE releases (
    app            TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    id             TEXT    NOT NULL,
    canonical_json TEXT    NOT NULL,
    git_commit     TEXT,
    dirty          INTEGER NOT NULL DEFAULT 0,
    author         TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    message        TEXT,
    PRIMARY KEY (app, version),
    UNIQUE (app, id)
);

CREATE TRIGGER releases_no_update BEFORE UPDATE ON releases
BEGIN
    SELECT RAISE(ABORT, 'releases are immutable');
END;

CREATE TRIGGER releases_no_delete BEFORE DELETE ON releases
BEGIN
    SELECT RAISE(ABORT, 'releases are immutable');
END;
