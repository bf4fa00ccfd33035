-- Appending to the chain in one statement, on the server: the chain head is locked,
-- each entry hashed and inserted, the head moved, and the lock released at the end of
-- the statement, all without a round trip to the client while the lock is held (a
-- client thread waiting for Python's GIL would otherwise hold every replica's appends).
-- The hash is the one service/store/chain.py computes: SHA-256 ("h:") or HMAC-SHA256
-- under the chain key ("k:") of the record's columns joined by U+001F.

CREATE OR REPLACE FUNCTION screening_hmac_sha256(key bytea, message bytea)
RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    k bytea := key;
    inner_pad bytea;
    outer_pad bytea;
BEGIN
    IF length(k) > 64 THEN
        k := sha256(k);
    END IF;
    k := k || decode(repeat('00', 64 - length(k)), 'hex');
    inner_pad := k;
    outer_pad := k;
    FOR i IN 0..63 LOOP
        inner_pad := set_byte(inner_pad, i, get_byte(k, i) # 54);
        outer_pad := set_byte(outer_pad, i, get_byte(k, i) # 92);
    END LOOP;
    RETURN sha256(outer_pad || sha256(inner_pad || message));
END;
$$;

-- p_items: a JSON array of {kind, record_id, at, key_name, subject, entity_id, body (the
-- canonical text), claim: null | {scope, key, route, request_hash, status, response,
-- created_at, window_start}}. One row per item, in order: its seq and hash, or (a claim
-- taken by an earlier request) that request's stored answer.
CREATE OR REPLACE FUNCTION screening_chain_append(p_items jsonb, p_chain_key bytea)
RETURNS TABLE (
    ord integer, out_seq bigint, out_hash text, out_route text, out_request_hash text,
    out_status integer, out_response text, out_created_at text
) LANGUAGE plpgsql AS $$
DECLARE
    head_seq bigint;
    head_hash text;
    item jsonb;
    claim jsonb;
    material text;
    digest text;
    taken record;
    inserted integer;
    n integer := 0;
BEGIN
    SELECT h.seq, h.hash INTO head_seq, head_hash FROM chain_head h WHERE h.id = 1 FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the chain head is missing';
    END IF;
    FOR item IN SELECT value FROM jsonb_array_elements(p_items) LOOP
        n := n + 1;
        claim := item -> 'claim';
        IF claim IS NOT NULL AND jsonb_typeof(claim) = 'object' THEN
            DELETE FROM idempotency i
            WHERE i.scope = claim ->> 'scope' AND i.idem_key = claim ->> 'key'
              AND i.created_at < claim ->> 'window_start';
            INSERT INTO idempotency (scope, idem_key, route, request_hash, created_at, status, response)
            VALUES (claim ->> 'scope', claim ->> 'key', claim ->> 'route', claim ->> 'request_hash',
                    claim ->> 'created_at', (claim ->> 'status')::integer, claim ->> 'response')
            ON CONFLICT (scope, idem_key) DO NOTHING;
            GET DIAGNOSTICS inserted = ROW_COUNT;
            IF inserted = 0 THEN
                SELECT i.route, i.request_hash, i.status, i.response, i.created_at INTO taken
                FROM idempotency i
                WHERE i.scope = claim ->> 'scope' AND i.idem_key = claim ->> 'key';
                ord := n;
                out_seq := NULL;
                out_hash := NULL;
                out_route := taken.route;
                out_request_hash := taken.request_hash;
                out_status := taken.status;
                out_response := taken.response;
                out_created_at := taken.created_at;
                RETURN NEXT;
                CONTINUE;
            END IF;
        END IF;
        head_seq := head_seq + 1;
        material := head_seq::text || chr(31) || (item ->> 'kind') || chr(31)
            || (item ->> 'record_id') || chr(31) || (item ->> 'at') || chr(31)
            || coalesce(item ->> 'key_name', '') || chr(31)
            || coalesce(item ->> 'subject', '') || chr(31)
            || coalesce(item ->> 'entity_id', '') || chr(31)
            || head_hash || chr(31) || (item ->> 'body');
        IF p_chain_key IS NULL THEN
            digest := 'h:' || encode(sha256(convert_to(material, 'UTF8')), 'hex');
        ELSE
            digest := 'k:' || encode(screening_hmac_sha256(p_chain_key, convert_to(material, 'UTF8')), 'hex');
        END IF;
        INSERT INTO ledger (seq, kind, record_id, at, key_name, subject, entity_id, prev_hash, hash, body)
        VALUES (head_seq, item ->> 'kind', item ->> 'record_id', item ->> 'at', item ->> 'key_name',
                item ->> 'subject', item ->> 'entity_id', head_hash, digest, item ->> 'body');
        head_hash := digest;
        ord := n;
        out_seq := head_seq;
        out_hash := digest;
        out_route := NULL;
        out_request_hash := NULL;
        out_status := NULL;
        out_response := NULL;
        out_created_at := NULL;
        RETURN NEXT;
    END LOOP;
    UPDATE chain_head SET seq = head_seq, hash = head_hash WHERE id = 1;
END;
$$;
