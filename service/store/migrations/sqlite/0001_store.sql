-- The one store of the service (SQLite): the chained audit ledger (screenings, decisions,
-- purges), its head, idempotent answers, re-screening alerts and API keys.
CREATE TABLE IF NOT EXISTS ledger (
    seq         INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    at          TEXT NOT NULL,
    key_name    TEXT,
    subject     TEXT,
    entity_id   TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    body        TEXT NOT NULL,
    UNIQUE (kind, record_id)
);
CREATE INDEX IF NOT EXISTS ledger_at ON ledger (kind, at);
CREATE INDEX IF NOT EXISTS ledger_subject ON ledger (subject, seq) WHERE subject IS NOT NULL;
CREATE TRIGGER IF NOT EXISTS ledger_append_only
BEFORE UPDATE ON ledger
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TABLE IF NOT EXISTS chain_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT OR IGNORE INTO chain_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE IF NOT EXISTS idempotency (
    scope        TEXT NOT NULL,
    idem_key     TEXT NOT NULL,
    route        TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    status       INTEGER NOT NULL,
    response     TEXT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX IF NOT EXISTS idempotency_created ON idempotency (created_at);

-- The same table as before the store (files written by earlier versions keep their alerts).
CREATE TABLE IF NOT EXISTS alerts (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    alerted_at  TEXT NOT NULL,
    party_key   TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    record      TEXT NOT NULL,
    UNIQUE (party_key, entity_id)
);
CREATE INDEX IF NOT EXISTS alerts_at ON alerts (alerted_at);
CREATE TRIGGER IF NOT EXISTS alerts_append_only
BEFORE UPDATE ON alerts
BEGIN
    SELECT RAISE(ABORT, 'the alert store is append-only');
END;

CREATE TABLE IF NOT EXISTS api_keys (
    name        TEXT PRIMARY KEY,
    entry       TEXT,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
