"""The alert store: new alerts found by re-screening after a refresh, append-only.

Re-screening (:mod:`indexer.rescreen`) runs in the refresh job, not in the service, so its
findings must outlive the job and reach the officers: they are kept in a table of the
audit SQLite file (one file to back up and retain), appended to and never updated (a
trigger refuses), and served by ``GET /v1/alerts``. A (party, entity) pair is stored once:
the second refresh that sees the same match does not alert again.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_SCHEMA = """
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
"""


class AlertStoreError(RuntimeError):
    """The alert store could not be opened, written or read; the message says where."""


class AlertStore:
    """The ``alerts`` table of the audit SQLite file (its own connection, WAL mode)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                str(path), check_same_thread=False, isolation_level=None, timeout=30
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise AlertStoreError(f"cannot open the alert store at {path}: {exc}") from exc

    def known(self) -> set[tuple[str, str]]:
        """Every (party key, entity id) pair alerted on so far."""
        try:
            with self._lock:
                rows = self._db.execute("SELECT party_key, entity_id FROM alerts").fetchall()
        except sqlite3.Error as exc:
            raise AlertStoreError(f"cannot read the alert store at {self.path}: {exc}") from exc
        return {(str(a), str(b)) for a, b in rows}

    def add(self, alerts: list[dict[str, Any]]) -> int:
        """Append ``alerts`` (dicts with alerted_at, party_key, entity_id) in one
        transaction; pairs already stored are skipped. Returns how many were stored."""
        stored = 0
        try:
            with self._lock:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    for alert in alerts:
                        cursor = self._db.execute(
                            "INSERT OR IGNORE INTO alerts "
                            "(alerted_at, party_key, entity_id, record) VALUES (?, ?, ?, ?)",
                            (
                                alert["alerted_at"],
                                alert["party_key"],
                                alert["entity_id"],
                                json.dumps(alert, ensure_ascii=False, separators=(",", ":")),
                            ),
                        )
                        stored += cursor.rowcount
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
        except (sqlite3.Error, KeyError, TypeError, ValueError) as exc:
            raise AlertStoreError(f"cannot write alerts to {self.path}: {exc}") from exc
        return stored

    def since(self, moment: datetime, limit: int = 1000) -> list[dict[str, Any]]:
        """Alerts stored at or after ``moment``, oldest first, at most ``limit``."""
        return [alert for _seq, alert in self.page(moment, limit)]

    def page(
        self, moment: datetime, limit: int = 1000, after: int = 0
    ) -> list[tuple[int, dict[str, Any]]]:
        """(sequence number, alert) of the alerts stored at or after ``moment`` and after
        sequence number ``after``, in the order they were stored, at most ``limit``.

        Paging goes by sequence number, not by time: one refresh stores its alerts with one
        timestamp, so "since the last one seen" could not go past a full page of them.
        """
        try:
            with self._lock:
                rows = self._db.execute(
                    "SELECT seq, record FROM alerts WHERE alerted_at >= ? AND seq > ? "
                    "ORDER BY seq LIMIT ?",
                    (moment.astimezone(UTC).isoformat(), after, limit),
                ).fetchall()
        except sqlite3.Error as exc:
            raise AlertStoreError(f"cannot read the alert store at {self.path}: {exc}") from exc
        return [(int(seq), dict(json.loads(payload))) for seq, payload in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()
