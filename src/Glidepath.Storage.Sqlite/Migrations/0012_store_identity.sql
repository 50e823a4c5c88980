-- Issue 13: who this store is. store_id lets a running gateway notice that its file was replaced (deleted and
-- created again, or swapped for another store) and follow the new one; subject_key is the per-store random secret
-- subject hashes are keyed with (HMAC-SHA256), so a trace's subject hash cannot be confirmed from a dictionary of
-- emails without this file. Written once, never changed.
CREATE TABLE store_identity (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    store_id    TEXT    NOT NULL,
    subject_key TEXT    NOT NULL,   -- 64 hex digits (32 random bytes)
    created_at  TEXT    NOT NULL
);

INSERT INTO store_identity (id, store_id, subject_key, created_at)
VALUES (1, lower(hex(randomblob(16))), lower(hex(randomblob(32))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

CREATE TRIGGER store_identity_no_update BEFORE UPDATE ON store_identity
BEGIN
    SELECT RAISE(ABORT, 'the store identity never changes');
END;

CREATE TRIGGER store_identity_no_delete BEFORE DELETE ON store_identity
BEGIN
    SELECT RAISE(ABORT, 'the store identity never changes');
END;
