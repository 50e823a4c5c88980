-- Who holds a shadow's claims (0035): one row per gateway (an id it makes at its start) with what it claimed, what it
-- said it stored of that, and when it last renewed its holding (unix ms). A gateway killed never gives its unused claim
-- back (outside trial: six kill -9s left a shadow at 110 of 150 pairs with all 150 claimed); a claim that finds the caps
-- all claimed drops the holdings not renewed for the lease and counts the claims again from the pairs stored and the
-- live holders' rows (IShadowStore.ClaimAsync).
CREATE TABLE shadow_claim_holders (
    shadow_id          TEXT    NOT NULL,
    holder             TEXT    NOT NULL,
    pairs              INTEGER NOT NULL DEFAULT 0,
    cost_usd           REAL    NOT NULL DEFAULT 0,
    stored_pairs       INTEGER NOT NULL DEFAULT 0,
    stored_cost_usd    REAL    NOT NULL DEFAULT 0,
    renewed_at_ms      INTEGER NOT NULL,
    PRIMARY KEY (shadow_id, holder)
);
