from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from service.audit import AuditError, AuditStore


def _record(request_id: str, at: datetime) -> dict[str, object]:
    return {
        "request_id": request_id,
        "screened_at": at.isoformat(),
        "key_name": "gateway",
        "decision": "alert",
        "parties": [{"name": "Мухаммад Юсуф"}],
    }


def test_records_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    store = AuditStore(path)
    now = datetime.now(UTC)
    store.record(_record("r1", now))
    store.close()
    reopened = AuditStore(path)
    record = reopened.get("r1")
    assert record is not None
    assert record["parties"] == [{"name": "Мухаммад Юсуф"}]
    assert reopened.get("nope") is None


def test_the_store_is_append_only(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    store = AuditStore(path)
    store.record(_record("r1", datetime.now(UTC)))
    with pytest.raises(AuditError):
        store.record(_record("r1", datetime.now(UTC)))  # same request id twice
    db = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE screenings SET decision = 'clear'")


def test_retention_purges_only_old_records(tmp_path: Path) -> None:
    store = AuditStore(tmp_path / "audit.sqlite3", retention_days=30)
    now = datetime.now(UTC)
    store.record(_record("old", now - timedelta(days=31)))
    store.record(_record("new", now - timedelta(days=29)))
    assert store.purge(now) == 1
    assert store.get("old") is None and store.get("new") is not None
    assert [r["request_id"] for r in store.since(now - timedelta(days=60))] == ["new"]


def test_an_unwritable_store_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(AuditError, match="cannot open the audit store"):
        AuditStore(blocker / "audit.sqlite3")


def test_a_record_without_its_fields_is_refused(tmp_path: Path) -> None:
    store = AuditStore(tmp_path / "audit.sqlite3")
    with pytest.raises(AuditError, match="cannot write"):
        store.record({"request_id": "x"})
