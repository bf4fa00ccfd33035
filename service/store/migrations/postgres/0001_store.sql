-- The one store of the service (PostgreSQL): the chained audit ledger (screenings,
-- decisions, purges), its head, idempotent answers, re-screening alerts and API keys.
CREATE TABLE IF NOT EXISTS ledger (
    seq         BIGINT PRIMARY KEY,
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
CREATE OR REPLACE FUNCTION screening_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the % table is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS ledger_append_only ON ledger;
CREATE TRIGGER ledger_append_only BEFORE UPDATE ON ledger
    FOR EACH ROW EXECUTE FUNCTION screening_append_only();

CREATE TABLE IF NOT EXISTS chain_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO chain_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')
ON CONFLICT (id) DO NOTHING;

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

CREATE TABLE IF NOT EXISTS alerts (
    seq         BIGSERIAL PRIMARY KEY,
    alerted_at  TEXT NOT NULL,
    party_key   TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    record      TEXT NOT NULL,
    UNIQUE (party_key, entity_id)
);
CREATE INDEX IF NOT EXISTS alerts_at ON alerts (alerted_at);
DROP TRIGGER IF EXISTS alerts_append_only ON alerts;
CREATE TRIGGER alerts_append_only BEFORE UPDATE ON alerts
    FOR EACH ROW EXECUTE FUNCTION screening_append_only();

CREATE TABLE IF NOT EXISTS api_keys (
    name        TEXT PRIMARY KEY,
    entry       TEXT,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
