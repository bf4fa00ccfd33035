"""The audit trail: every screening, recorded before its answer leaves the service.

An agency must later prove which lists a decision used, so each `/v1/screen` call is
stored with its parties, decisions, top matches, list versions and index version. The
store is append-only (an SQLite trigger refuses updates) and survives restarts; rows are
removed only by the retention purge. Writing is part of answering: if the record cannot
be written, :class:`AuditError` propagates and the request fails rather than going
unrecorded.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS screenings (
    request_id  TEXT PRIMARY KEY,
    screened_at TEXT NOT NULL,
    key_name    TEXT,
    decision    TEXT NOT NULL,
    record      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS screenings_at ON screenings (screened_at);
CREATE TRIGGER IF NOT EXISTS screenings_append_only
BEFORE UPDATE ON screenings
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
"""


class AuditError(RuntimeError):
    """The audit store could not record or read a screening."""


class AuditStore:
    """SQLite-backed, append-only store of screening records.

    One connection shared under a lock: SQLite serialises writers anyway, and a
    screening's insert is a few hundred microseconds in WAL mode.
    """

    def __init__(self, path: Path, retention_days: int | None = None) -> None:
        self.path = path
        self.retention_days = retention_days
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode survives a crash of the process; FULL also a power cut.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise AuditError(f"cannot open the audit store at {path}: {exc}") from exc
        if retention_days is not None:
            self.purge()

    def record(self, record: dict[str, Any]) -> None:
        """Append one screening record; raises AuditError if it cannot be stored."""
        try:
            payload = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
            with self._lock:
                self._db.execute(
                    "INSERT INTO screenings (request_id, screened_at, key_name, decision, record)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (
                        record["request_id"],
                        record["screened_at"],
                        record.get("key_name"),
                        record["decision"],
                        payload,
                    ),
                )
        except (sqlite3.Error, KeyError, TypeError, ValueError) as exc:
            raise AuditError(f"cannot write the audit record to {self.path}: {exc}") from exc

    def get(self, request_id: str) -> dict[str, Any] | None:
        try:
            with self._lock:
                row = self._db.execute(
                    "SELECT record FROM screenings WHERE request_id = ?", (request_id,)
                ).fetchone()
        except sqlite3.Error as exc:
            raise AuditError(f"cannot read the audit store at {self.path}: {exc}") from exc
        return None if row is None else dict(json.loads(row[0]))

    def since(self, moment: datetime) -> Iterator[dict[str, Any]]:
        """Records screened at or after ``moment``, oldest first (for re-screening)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT record FROM screenings WHERE screened_at >= ? ORDER BY screened_at",
                (moment.astimezone(UTC).isoformat(),),
            ).fetchall()
        for (payload,) in rows:
            yield dict(json.loads(payload))

    def purge(self, now: datetime | None = None) -> int:
        """Delete records older than the retention period; returns how many."""
        if self.retention_days is None:
            return 0
        cutoff = (now or datetime.now(UTC)) - timedelta(days=self.retention_days)
        with self._lock:
            cursor = self._db.execute(
                "DELETE FROM screenings WHERE screened_at < ?", (cutoff.isoformat(),)
            )
        return cursor.rowcount

    def check(self) -> None:
        """Raise AuditError unless the store answers (for the readiness probe)."""
        try:
            with self._lock:
                self._db.execute("SELECT 1 FROM screenings LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            raise AuditError(f"the audit store at {self.path} does not answer: {exc}") from exc

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM screenings").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
