-- Every migration runs with search_path set to the store's schema (glidepath by default), so no name here is
-- qualified. Times are ISO 8601 text, UTC and fixed width where they are compared, exactly as the SQLite store
-- keeps them: text order is time order, and 100 ns ticks and offsets round-trip unchanged. Text columns use the
-- "C" collation, so ids and times compare byte by byte whatever the database's default collation is.

-- Refuses a write: the one trigger function behind every append-only or immutable table (TG_ARGV[0] says why).
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END;
$$;

-- Releases: immutable, content-addressed snapshots, numbered per app.
CREATE TABLE releases (
    app            text COLLATE "C"    NOT NULL,
    version        integer NOT NULL,
    id             text COLLATE "C"    NOT NULL,
    canonical_json text COLLATE "C"    NOT NULL,
    git_commit     text COLLATE "C",
    dirty          boolean NOT NULL DEFAULT false,
    author         text COLLATE "C"    NOT NULL,
    created_at     text COLLATE "C"    NOT NULL,
    message        text COLLATE "C",
    PRIMARY KEY (app, version),
    UNIQUE (app, id)
);

CREATE TRIGGER releases_immutable BEFORE UPDATE OR DELETE ON releases
    FOR EACH ROW EXECUTE FUNCTION refuse_change('releases are immutable');
CREATE TRIGGER releases_no_truncate BEFORE TRUNCATE ON releases
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('releases are immutable');

-- One record per registration that brought new provenance (commit, dirty, author, message); append-only.
CREATE TABLE release_provenance (
    app         text COLLATE "C"    NOT NULL,
    release_id  text COLLATE "C"    NOT NULL,
    sequence    integer NOT NULL,
    git_commit  text COLLATE "C",
    dirty       boolean NOT NULL DEFAULT false,
    author      text COLLATE "C"    NOT NULL,
    message     text COLLATE "C",
    recorded_at text COLLATE "C"    NOT NULL,
    PRIMARY KEY (app, release_id, sequence),
    FOREIGN KEY (app, release_id) REFERENCES releases (app, id)
);

CREATE TRIGGER release_provenance_append_only BEFORE UPDATE OR DELETE ON release_provenance
    FOR EACH ROW EXECUTE FUNCTION refuse_change('release provenance is append-only');
CREATE TRIGGER release_provenance_no_truncate BEFORE TRUNCATE ON release_provenance
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('release provenance is append-only');
