-- Provenance per registration (issue 21): a release's content never changes, but the same content can be
-- registered again from a later commit (first from a dirty work tree, then from the commit that holds it).
-- Each registration that brings new provenance (commit, dirty, author, message) appends one record here;
-- the releases row keeps the first one. Append-only, like the releases themselves.
CREATE TABLE release_provenance (
    app         TEXT    NOT NULL,
    release_id  TEXT    NOT NULL,
    sequence    INTEGER NOT NULL,   -- 1, 2, … per release, in registration order
    git_commit  TEXT,
    dirty       INTEGER NOT NULL DEFAULT 0,
    author      TEXT    NOT NULL,
    message     TEXT,
    recorded_at TEXT    NOT NULL,
    PRIMARY KEY (app, release_id, sequence),
    FOREIGN KEY (app, release_id) REFERENCES releases (app, id)
);

-- Every release registered before this migration gets its first registration as record 1.
INSERT INTO release_provenance (app, release_id, sequence, git_commit, dirty, author, message, recorded_at)
SELECT app, id, 1, git_commit, dirty, author, message, created_at FROM releases;

CREATE TRIGGER release_provenance_no_update BEFORE UPDATE ON release_provenance
BEGIN
    SELECT RAISE(ABORT, 'release provenance is append-only');
END;

CREATE TRIGGER release_provenance_no_delete BEFORE DELETE ON release_provenance
BEGIN
    SELECT RAISE(ABORT, 'release provenance is append-only');
END;
