"""`screening audit verify|export|purge` and `screening keys ... --store|revoke`, reading
the store from the same settings as `serve` (SCREENING_DATABASE_URL, else
SCREENING_AUDIT_DB), on both stores; and a revoked key refused without a restart."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from service.auth import KeyRing
from service.cli import main
from service.store.base import Pending
from service.store.postgres import PostgresStore
from service.store.sql import SqlStore
from service.store.sqlite import SQLiteStore
from tests.service.conftest import MakeClient, MakeStore
from tests.service.store.test_store import fill, run_sql, screening


@pytest.fixture
def configured(make_store: MakeStore, monkeypatch: pytest.MonkeyPatch) -> SqlStore:
    """A store, and the environment that points `serve` (and so `screening audit`) at it."""
    store = make_store()
    for name in ("SCREENING_DATABASE_URL", "SCREENING_AUDIT_DB", "SCREENING_SETTINGS_FILE"):
        monkeypatch.delenv(name, raising=False)
    if isinstance(store, SQLiteStore):
        monkeypatch.setenv("SCREENING_AUDIT_DB", str(store.path))
    else:
        assert isinstance(store, PostgresStore)
        options = store.options
        url = (
            f"postgresql://{options['user']}@{options['host']}:{options['port']}/"
            f"{options['database']}"
        )
        monkeypatch.setenv("SCREENING_DATABASE_URL", url)
    return store


def test_verify_passes_then_names_the_deleted_record(
    configured: SqlStore, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(configured, 4)
    assert main(["audit", "verify"]) == 0
    assert "the chain is whole: 4 records (4 screening)" in capsys.readouterr().out
    run_sql(configured, "DELETE FROM ledger WHERE seq = 2")
    assert main(["audit", "verify"]) == 1
    assert "record 2 missing: the chain jumps from 1 to 3" in capsys.readouterr().err
    assert main(["audit", "verify", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and out["problem_seq"] == 2


def test_verify_names_the_edited_record(
    configured: SqlStore, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(configured, 3)
    on = " ON ledger" if configured.dialect == "postgres" else ""
    run_sql(configured, f"DROP TRIGGER ledger_append_only{on}")
    run_sql(configured, "UPDATE ledger SET at = '2020-01-01T00:00:00+00:00' WHERE seq = 3")
    assert main(["audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert "record 3 (screening r2, 2020-01-01T00:00:00+00:00) was altered" in err


def test_export_carries_the_chain_by_date_range(
    configured: SqlStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    day = datetime(2026, 3, 1, tzinfo=UTC)
    for i in range(3):
        configured.append([Pending(screening(f"d{i}", day + timedelta(days=i)))])
    assert main(["audit", "export", "--from", "2026-03-02", "--to", "2026-03-03"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(line["seq"], line["record_id"]) for line in lines] == [(2, "d1")]
    (line,) = lines
    assert line["record"]["request_id"] == "d1" and line["prev_hash"] and line["hash"]
    out = tmp_path / "trail.csv"
    assert main(["audit", "export", "--format", "csv", "--output", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert [r["record_id"] for r in rows] == ["d0", "d1", "d2"]
    assert rows[1]["prev_hash"] == rows[0]["hash"]
    assert json.loads(rows[2]["record"])["request_id"] == "d2"


def test_purge_is_recorded_and_verify_still_passes(
    configured: SqlStore, capsys: pytest.CaptureFixture[str]
) -> None:
    old = datetime.now(UTC) - timedelta(days=400)
    fill(configured, 3, old)
    fill(configured, 0)
    configured.append([Pending(screening("recent", datetime.now(UTC)))])
    assert main(["audit", "purge", "--days", "365"]) == 0
    assert "purged 3 records" in capsys.readouterr().out
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert "2 records (1 purge, 1 screening)" in out and "up to 3 purged" in out


def test_a_key_revoked_in_the_store_is_refused_without_a_restart(
    configured: SqlStore,
    make_client: MakeClient,
    make_store: MakeStore,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["keys", "create", "desk-7", "--scope", "read", "--store", "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["entry"]["name"] == "desk-7" and made["key"].startswith("sk_")
    assert main(["keys", "create", "desk-7", "--scope", "read", "--store"]) == 2
    capsys.readouterr()
    # Two "replicas" on the store: both started before the key existed elsewhere.
    replicas = [
        make_client(keys=KeyRing([]), store=make_store(shared=True), keys_reload_seconds=0.2)
        for _ in range(2)
    ]
    bearer = {"Authorization": f"Bearer {made['key']}"}
    for client in replicas:
        client.__enter__()  # the lifespan runs the key reloader
    try:
        for client in replicas:
            assert client.get("/v1/lists", headers=bearer).status_code == 200
        assert main(["keys", "revoke", "desk-7"]) == 0
        deadline = time.monotonic() + 5
        refused = [False, False]
        while not all(refused) and time.monotonic() < deadline:
            time.sleep(0.2)
            refused = [c.get("/v1/lists", headers=bearer).status_code == 401 for c in replicas]
        assert all(refused), "the revocation did not reach every replica"
    finally:
        for client in replicas:
            client.__exit__(None, None, None)
    assert main(["keys", "revoke", "desk-7"]) == 1
    assert main(["keys", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert listed[0]["name"] == "desk-7" and listed[0]["revoked_at"]


def test_a_key_made_in_the_store_keeps_its_rate(
    configured: SqlStore,
    make_client: MakeClient,
    make_store: MakeStore,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`keys create --rate ... --store`: the rate is in the stored entry, listed, and held
    to by a service on that store."""
    created = ["keys", "create", "desk-9", "--scope", "read", "--rate", "2/min", "--store"]
    assert main([*created, "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["entry"]["rate"] == "2/min"
    (stored,) = [k for k in configured.api_keys() if k.name == "desk-9"]
    assert stored.entry is not None and stored.entry["rate"] == "2/min"
    assert main(["keys", "list", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert listed["rate"] == "2/min" and listed["scopes"] == ["read"]
    client = make_client(keys=KeyRing([]), store=make_store(shared=True))
    bearer = {"Authorization": f"Bearer {made['key']}"}
    statuses = [client.get("/v1/lists", headers=bearer).status_code for _ in range(4)]
    assert statuses[0] == 200 and 429 in statuses
    refused = client.get("/v1/lists", headers=bearer)
    assert refused.json()["type"] == "urn:screening:problem:rate-limited"
    policy = dict(p.split("=") for p in refused.headers["ratelimit-policy"].split(";")[1:3])
    assert int(policy["q"]) * 60 / int(policy["w"]) == 2  # 2 a minute
