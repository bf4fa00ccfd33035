"""The store protocol on both stores (SQLite and a real PostgreSQL): the ledger and its
chain, tampering found and named, the purge recorded, idempotent claims, alerts, keys."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from service.audit import screening_entry
from service.store.base import Appended, Claim, DecisionQuery, Pending, Stored, StoreError
from service.store.chain import Entry, verify
from service.store.sql import SqlStore
from tests.service.conftest import MakeStore


def screening(request_id: str, at: datetime, name: str = "Мухаммад Юсуф") -> Entry:
    body = {
        "request_id": request_id,
        "screened_at": at.isoformat(),
        "key_name": "gateway",
        "decision": "alert",
        "parties": [{"name": name}],
    }
    return Entry("screening", request_id, at.isoformat(), body, key_name="gateway")


def decision(decision_id: str, at: datetime, subject: str, entity_id: str) -> Entry:
    body = {
        "decision_id": decision_id,
        "decision": "cleared",
        "reason": "other person",
        "scope": {"type": "agency"},
        "by": "officer",
        "at": at.isoformat(),
        "party_fingerprint": {"key": subject},
        "entity_id": entity_id,
        "listing": {"fingerprint": "f"},
    }
    return Entry("decision", decision_id, at.isoformat(), body, "officer", subject, entity_id)


def fill(store: SqlStore, count: int, start: datetime | None = None) -> None:
    start = start or datetime.now(UTC)
    for i in range(count):
        store.append([Pending(screening(f"r{i}", start + timedelta(seconds=i)))])


def problem(store: SqlStore) -> str | None:
    return verify(store.rows(), store.head(), store.chain_key).problem


def run_sql(store: SqlStore, sql: str) -> None:
    """Change the database behind the store's back, as someone with access to it could."""
    store._call("tamper with", lambda db: db.run(sql))


def test_records_are_chained_and_survive_reopening(make_store: MakeStore) -> None:
    store = make_store()
    now = datetime.now(UTC)
    outcomes = store.append([Pending(screening("a", now)), Pending(screening("b", now))])
    assert [o.seq for o in outcomes if isinstance(o, Appended)] == [1, 2]
    store.close()
    again = make_store(shared=True)
    record = again.screening("a")
    assert record is not None and record["parties"] == [{"name": "Мухаммад Юсуф"}]
    assert again.screening("nope") is None
    rows = list(again.rows())
    assert [r.seq for r in rows] == [1, 2] and rows[1].prev_hash == rows[0].hash
    assert again.head() is not None and again.head().seq == 2  # type: ignore[union-attr]
    assert problem(again) is None
    if again.dialect == "postgres":
        expected = [(1, "0001_store"), (2, "0002_chain_append"), (3, "0003_history_index")]
    else:
        expected = [(1, "0001_store"), (2, "0002_history_index")]
    assert again.migrations() == expected


def test_the_ledger_refuses_updates(make_store: MakeStore) -> None:
    store = make_store()
    fill(store, 1)
    with pytest.raises(StoreError, match="append-only"):
        run_sql(store, "UPDATE ledger SET body = '{}'")
    with pytest.raises(StoreError):  # one record per request id
        store.append([Pending(screening("r0", datetime.now(UTC)))])
    assert problem(store) is None


def test_deleting_a_record_in_the_middle_is_found_and_named(make_store: MakeStore) -> None:
    store = make_store()
    fill(store, 5)
    run_sql(store, "DROP TRIGGER IF EXISTS ledger_append_only" + _on(store))
    run_sql(store, "DELETE FROM ledger WHERE seq = 3")
    assert problem(store) == "record 3 missing: the chain jumps from 2 to 4"


def test_deleting_the_last_records_is_found(make_store: MakeStore) -> None:
    store = make_store()
    fill(store, 5)
    run_sql(store, "DELETE FROM ledger WHERE seq >= 4")
    assert problem(store) == "records 4-5 missing: the chain ends at 3, its head at 5"


def test_deleting_the_first_records_is_found(make_store: MakeStore) -> None:
    store = make_store()
    fill(store, 4)
    run_sql(store, "DELETE FROM ledger WHERE seq <= 2")
    assert problem(store) == "records 1-2 missing: the chain starts at 3 and no purge is recorded"


def test_editing_a_record_is_found_and_named(make_store: MakeStore) -> None:
    store = make_store()
    fill(store, 4)
    run_sql(store, "DROP TRIGGER IF EXISTS ledger_append_only" + _on(store))
    run_sql(store, "UPDATE ledger SET body = replace(body, 'alert', 'clear') WHERE seq = 2")
    found = problem(store)
    assert found is not None and found.startswith("record 2 (screening r1,")
    assert found.endswith("was altered: its content does not match its hash")


def test_editing_a_column_outside_the_body_is_found(make_store: MakeStore) -> None:
    store = make_store()
    fill(store, 3)
    run_sql(store, "DROP TRIGGER IF EXISTS ledger_append_only" + _on(store))
    run_sql(store, "UPDATE ledger SET key_name = 'someone-else' WHERE seq = 3")
    found = problem(store)
    assert found is not None and found.startswith("record 3 (screening r2,")


def test_a_resealed_record_is_named_by_the_link_after_it(make_store: MakeStore) -> None:
    """Editing a record and recomputing its own hash still breaks the next record's link."""
    store = make_store()
    fill(store, 3)
    row = next(r for r in store.rows() if r.seq == 2)
    forged = screening("r1", datetime.fromisoformat(row.at), name="Somebody Else")
    from service.store.chain import seal

    resealed = seal(forged, 2, row.prev_hash, None)
    run_sql(store, "DROP TRIGGER IF EXISTS ledger_append_only" + _on(store))
    store._call(
        "tamper with",
        lambda db: db.run(
            "UPDATE ledger SET body = :b, hash = :h WHERE seq = 2",
            {"b": resealed.body, "h": resealed.hash},
        ),
    )
    found = problem(store)
    assert found is not None and found.startswith("record 2 (screening r1,")
    assert "record 3 links to a different hash" in found


def test_with_a_chain_key_a_rewritten_chain_does_not_verify(make_store: MakeStore) -> None:
    """Without the key a forger can only reseal with plain SHA-256, which verify refuses."""
    key = b"a long random secret"
    store = make_store(chain_key=key)
    fill(store, 3)
    assert problem(store) is None
    assert all(r.hash.startswith("k:") for r in store.rows())
    from service.store.chain import seal

    run_sql(store, "DROP TRIGGER IF EXISTS ledger_append_only" + _on(store))
    previous = "0" * 64
    for row in list(store.rows()):
        entry = screening(row.record_id, datetime.fromisoformat(row.at), name="Forged")
        forged = seal(entry, row.seq, previous, None)
        store._call(
            "tamper with",
            lambda db, f=forged: db.run(
                "UPDATE ledger SET body = :b, hash = :h, prev_hash = :p WHERE seq = :s",
                {"b": f.body, "h": f.hash, "p": f.prev_hash, "s": f.seq},
            ),
        )
        previous = forged.hash
    store._call(
        "tamper with",
        lambda db: db.run("UPDATE chain_head SET hash = :h WHERE id = 1", {"h": previous}),
    )
    assert verify(store.rows(), store.head(), None).ok  # a plain SHA-256 chain again ...
    keyed = verify(store.rows(), store.head(), key)  # ... which the key holder refuses
    assert keyed.problem is not None and keyed.problem.startswith("record 1 (screening r0,")
    assert "not sealed with audit_chain_key" in keyed.problem
    # A reader without the key cannot verify records sealed with it.
    sealed = make_store(chain_key=key)
    fill(sealed, 1)
    unkeyed = verify(sealed.rows(), sealed.head(), None)
    assert unkeyed.problem is not None and "audit_chain_key" in unkeyed.problem


def test_the_purge_is_recorded_and_the_chain_still_verifies(make_store: MakeStore) -> None:
    store = make_store()
    now = datetime.now(UTC)
    fill(store, 3, now - timedelta(days=40))
    fill_more = [Pending(screening(f"new{i}", now - timedelta(days=1))) for i in range(2)]
    store.append(fill_more)
    assert store.purge(now - timedelta(days=30), now) == 3
    assert store.screening("r0") is None and store.screening("new0") is not None
    rows = list(store.rows())
    assert [(r.seq, r.kind) for r in rows] == [(4, "screening"), (5, "screening"), (6, "purge")]
    purge = rows[-1].record()
    assert purge["removed"] == 3 and purge["removed_through_seq"] == 3
    verdict = verify(store.rows(), store.head(), None)
    assert verdict.ok and verdict.purged_through == 3
    assert store.purge(now - timedelta(days=30), now) == 0  # nothing more: nothing recorded
    assert [r.seq for r in store.rows()][-1] == 6
    # A record deleted after the purge is still found; so is a deleted purge record.
    run_sql(store, "DELETE FROM ledger WHERE seq = 4")
    assert problem(store) == (
        "records 4-4 missing: the last purge removed records up to 3, the chain starts at 5"
    )


def test_deleting_the_purge_record_is_found(make_store: MakeStore) -> None:
    store = make_store()
    now = datetime.now(UTC)
    fill(store, 2, now - timedelta(days=40))
    store.append([Pending(screening("new", now))])
    store.purge(now - timedelta(days=30), now)
    store.append([Pending(screening("newer", now))])
    run_sql(store, "DELETE FROM ledger WHERE kind = 'purge'")
    assert problem(store) == "record 4 missing: the chain jumps from 3 to 5"


def _claim(key: str, response: str, request_hash: str = "h") -> Claim:
    now = datetime.now(UTC)
    return Claim(
        scope="gateway",
        idem_key=key,
        route="/v1/screen",
        request_hash=request_hash,
        status=200,
        response=response,
        created_at=now.isoformat(),
        window_start=(now - timedelta(hours=24)).isoformat(),
    )


def test_an_idempotency_key_is_claimed_once(make_store: MakeStore) -> None:
    store = make_store()
    now = datetime.now(UTC)
    first = store.append([Pending(screening("a", now), _claim("k1", '{"first":1}'))])
    second = store.append([Pending(screening("b", now), _claim("k1", '{"second":1}'))])
    assert isinstance(first[0], Appended)
    assert isinstance(second[0], Stored) and second[0].response == '{"first":1}'
    assert store.count() == 1 and store.screening("b") is None
    window = (now - timedelta(hours=1)).isoformat()
    assert store.replay("gateway", "k1", window) == second[0]
    assert store.replay("other-caller", "k1", window) is None
    assert store.replay("gateway", "k1", (now + timedelta(hours=1)).isoformat()) is None


def test_two_processes_append_to_one_chain(make_store: MakeStore) -> None:
    """Two store objects on one database (two workers, or two replicas), each appending
    from several threads at once: one unbroken chain holding every record."""
    stores = [make_store(), make_store(shared=True)]
    errors: list[BaseException] = []

    def work(store: SqlStore, prefix: str) -> None:
        try:
            for i in range(15):
                at = datetime.now(UTC)
                store.append([Pending(screening(f"{prefix}-{i}-{j}", at)) for j in range(2)])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(stores[k % 2], f"t{k}")) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert stores[0].count() == 4 * 15 * 2
    assert verify(stores[1].rows(), stores[1].head(), None).ok


def test_decisions_are_found_by_party_and_filtered(make_store: MakeStore) -> None:
    store = make_store()
    now = datetime.now(UTC)
    store.append(
        [
            Pending(decision("d1", now, "party-a", "un-sc:1")),
            Pending(screening("s1", now)),
            Pending(decision("d2", now, "party-b", "un-sc:2")),
            Pending(decision("d3", now, "party-a", "un-sc:2")),
        ]
    )
    about = store.decisions_about({"party-a"})
    assert [d["decision_id"] for d in about] == ["d1", "d3"]
    assert [d["seq"] for d in about] == [1, 4]
    assert store.decisions_about(set()) == []
    by_entity = store.decisions(DecisionQuery(entity_id="un-sc:2"))
    assert [d["decision_id"] for d in by_entity] == ["d2", "d3"]
    page = store.decisions(DecisionQuery(limit=2))
    assert [d["decision_id"] for d in page] == ["d1", "d2"]
    rest = store.decisions(DecisionQuery(after_seq=page[-1]["seq"]))
    assert [d["decision_id"] for d in rest] == ["d3"]


def test_one_keys_screenings_come_newest_first_by_channel(make_store: MakeStore) -> None:
    """The lookup page's history: a key's own page screenings, newest first, paged."""
    store = make_store()
    now = datetime.now(UTC)

    def made(record_id: str, key: str | None, channel: str) -> Pending:
        return Pending(
            screening_entry({**screening(record_id, now).body, "key_name": key, "channel": channel})
        )

    store.append(
        [
            made("a1", "desk-1", "page-search"),
            made("a2", "desk-1", "api-search"),
            made("b1", "desk-2", "page-search"),
            made("a3", "desk-1", "page-batch"),
            made("n1", None, "page-search"),
            made("a4", "desk-1", "page-search"),
        ]
    )
    page = ("page-search", "page-batch")
    mine = store.screenings_by("desk-1", page, 10)
    assert [r["request_id"] for _, r in mine] == ["a4", "a3", "a1"]
    first = store.screenings_by("desk-1", page, 2)
    assert [r["request_id"] for _, r in first] == ["a4", "a3"]
    rest = store.screenings_by("desk-1", page, 2, before_seq=first[-1][0])
    assert [r["request_id"] for _, r in rest] == ["a1"]
    assert [r["request_id"] for _, r in store.screenings_by(None, page, 10)] == ["n1"]
    assert store.screenings_by("desk-3", page, 10) == []


def test_alerts_are_stored_once_per_party_and_entity(make_store: MakeStore) -> None:
    store = make_store()
    at = datetime.now(UTC).isoformat()
    alert: dict[str, Any] = {"alerted_at": at, "party_key": "p", "entity_id": "e", "n": 1}
    assert store.add_alerts([alert, {**alert, "entity_id": "f"}]) == 2
    assert store.add_alerts([{**alert, "n": 2}]) == 0
    assert store.known_alerts() == {("p", "e"), ("p", "f")}
    since = store.alerts_since(datetime.now(UTC) - timedelta(minutes=1), 10)
    assert [(a["entity_id"], a["n"]) for a in since] == [("e", 1), ("f", 1)]
    # Alerts of one refresh share a timestamp: pages go by sequence number.
    first = store.alerts_page(datetime.now(UTC) - timedelta(minutes=1), 1, 0)
    assert [a["entity_id"] for _, a in first] == ["e"]
    rest = store.alerts_page(datetime.now(UTC) - timedelta(minutes=1), 10, first[-1][0])
    assert [a["entity_id"] for _, a in rest] == ["f"]
    with pytest.raises(StoreError, match="append-only"):
        run_sql(store, "UPDATE alerts SET record = '{}'")


def test_keys_are_added_and_revoked(make_store: MakeStore) -> None:
    store = make_store()
    now = datetime.now(UTC)
    entry = {"name": "desk-7", "sha256": "0" * 64, "scopes": ["read"], "rate": "5/s"}
    store.add_key(entry, now)
    (stored,) = store.api_keys()
    assert stored.entry == entry and stored.revoked_at is None  # extra fields survive
    assert store.revoke_key("desk-7", now) is True
    assert store.revoke_key("desk-7", now) is False
    assert store.revoke_key("from-the-file", now) is True
    found = {k.name: k for k in store.api_keys()}
    assert found["desk-7"].revoked_at is not None
    assert found["from-the-file"].entry is None and found["from-the-file"].revoked_at


def _on(store: SqlStore) -> str:
    return " ON ledger" if store.dialect == "postgres" else ""
