-- The officers' history (the lookup page's /history): one key's screenings, newest first.
CREATE INDEX IF NOT EXISTS ledger_key ON ledger (kind, key_name, seq);
