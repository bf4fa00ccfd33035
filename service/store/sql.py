"""The store over SQL: one implementation of :class:`service.store.base.Store` for both
databases, which differ only in how they connect, lock and report errors
(:mod:`service.store.sqlite`, :mod:`service.store.postgres`).

Both drivers are DB-API-like and synchronous, and both take ``:name`` parameters, so every
statement is written once. Each thread gets its own connection (neither driver's
connections may be shared between threads); appending to the chain takes the database's
write lock for the transaction (SQLite's ``BEGIN IMMEDIATE``, PostgreSQL's row lock on
the chain head), so any number of processes and replicas append to one chain in turn.
"""

from __future__ import annotations

import abc
import contextlib
import json
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from service.store.base import (
    Appended,
    Claim,
    DecisionQuery,
    Outcome,
    Pending,
    Stored,
    StoredKey,
    StoreError,
)
from service.store.chain import COLUMNS, GENESIS, Entry, Head, Row, seal

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
PAGE = 1000
HISTORY_SCAN = 20_000  # ledger rows of one key read at most for one page of its history
T = TypeVar("T")


class Connection(abc.ABC):
    """One database connection: statements with ``:name`` parameters, rows as tuples."""

    rowcount: int = 0

    @abc.abstractmethod
    def run(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]: ...

    @abc.abstractmethod
    def script(self, sql: str) -> None:
        """Several statements at once (a migration), inside the caller's transaction."""

    @abc.abstractmethod
    def close(self) -> None: ...


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _in(name: str, values: Collection[str]) -> tuple[str, dict[str, Any]]:
    """``IN (:name0, :name1, ...)`` and its parameters (neither driver binds a list)."""
    params = {f"{name}{i}": value for i, value in enumerate(values)}
    return "(" + ", ".join(f":{key}" for key in params) + ")", params


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _row(values: tuple[Any, ...]) -> Row:
    seq, kind, record_id, at, key_name, subject, entity_id, prev_hash, digest, body = values
    return Row(
        int(seq),
        str(kind),
        str(record_id),
        str(at),
        _text(key_name),
        _text(subject),
        _text(entity_id),
        str(prev_hash),
        str(digest),
        str(body),
    )


def insert_rows(rows: Sequence[Row]) -> tuple[str, dict[str, Any]]:
    """One ``INSERT`` of ``rows`` into the ledger, and its parameters."""
    values = ", ".join("(" + ", ".join(f":{c}{i}" for c in COLUMNS) + ")" for i in range(len(rows)))
    params = {f"{c}{i}": getattr(row, c) for i, row in enumerate(rows) for c in COLUMNS}
    return f"INSERT INTO ledger ({', '.join(COLUMNS)}) VALUES {values}", params


class SqlStore(abc.ABC):
    """The shared implementation; subclasses say how to connect, lock and migrate."""

    dialect: str  # the migrations folder: "sqlite" or "postgres"
    lock_head: str  # appended to the head's SELECT in a write transaction

    def __init__(self, where: str, chain_key: bytes | None) -> None:
        self._where = where
        self.chain_key = chain_key
        self._local = threading.local()
        self._all: list[Connection] = []
        self._all_lock = threading.Lock()
        self._closed = False
        self._migrate()

    # --- what subclasses provide -----------------------------------------------------------

    @abc.abstractmethod
    def connect(self) -> Connection: ...

    @abc.abstractmethod
    def begin_write(self, db: Connection) -> None: ...

    @abc.abstractmethod
    def lock_migrations(self, db: Connection) -> None: ...

    @abc.abstractmethod
    def errors(self) -> tuple[type[BaseException], ...]: ...

    @abc.abstractmethod
    def is_broken(self, exc: BaseException) -> bool:
        """Whether the connection is unusable after ``exc`` (it is then replaced)."""

    # --- connections and transactions ------------------------------------------------------

    @property
    def where(self) -> str:
        return self._where

    def _db(self) -> Connection:
        db: Connection | None = getattr(self._local, "db", None)
        if db is None:
            if self._closed:
                raise StoreError(f"the store at {self._where} is closed")
            db = self.connect()
            self._local.db = db
            with self._all_lock:
                self._all.append(db)
        return db

    def _drop(self, db: Connection) -> None:
        self._local.db = None
        with self._all_lock:
            if db in self._all:
                self._all.remove(db)
        with contextlib.suppress(Exception):  # a broken connection may fail to close
            db.close()

    def _call(self, what: str, work: Callable[[Connection], T]) -> T:
        """``work`` on this thread's connection; driver errors become StoreError."""
        try:
            db = self._db()
        except self.errors() as exc:
            raise StoreError(f"cannot open the store at {self._where}: {exc}") from exc
        try:
            return work(db)
        except self.errors() as exc:
            if self.is_broken(exc):
                self._drop(db)
            raise StoreError(f"cannot {what} the store at {self._where}: {exc}") from exc

    def _select(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        def work(db: Connection) -> list[tuple[Any, ...]]:
            return db.run(sql, params)

        return self._call("read", work)

    @contextmanager
    def writers_in_turn(self) -> Iterator[None]:
        """Held around each chain append; the database's own lock is what counts, a
        subclass may queue its writers before it (SQLite)."""
        yield

    @contextmanager
    def _write(self, db: Connection) -> Iterator[Head]:
        """A write transaction holding the chain's lock; yields the head as it is now."""
        with self.writers_in_turn(), self._transaction(db) as head:
            yield head

    def begin_and_read_head(self, db: Connection) -> list[tuple[Any, ...]]:
        """Begin the write transaction and read the locked head (one round trip where the
        driver allows several statements at once)."""
        self.begin_write(db)
        return db.run(f"SELECT seq, hash FROM chain_head WHERE id = 1{self.lock_head}")

    @contextmanager
    def _transaction(self, db: Connection) -> Iterator[Head]:
        try:
            rows = self.begin_and_read_head(db)
            if not rows:
                raise StoreError(f"the chain head of the store at {self._where} is missing")
            yield Head(int(rows[0][0]), str(rows[0][1]))
        except BaseException:
            try:
                db.run("ROLLBACK")
            except self.errors():
                pass
            raise
        db.run("COMMIT")

    def _migrate(self) -> None:
        """Apply the migrations not applied yet, in order, each in its transaction."""

        def migrate(db: Connection) -> None:
            db.run(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            for path in sorted((MIGRATIONS / self.dialect).glob("*.sql")):
                version = int(path.name.split("_", 1)[0])
                self.lock_migrations(db)
                try:
                    done = db.run(
                        "SELECT 1 FROM schema_migrations WHERE version = :v", {"v": version}
                    )
                    if not done:
                        db.script(path.read_text("utf-8"))
                        db.run(
                            "INSERT INTO schema_migrations (version, name, applied_at) "
                            "VALUES (:v, :n, :at)",
                            {"v": version, "n": path.stem, "at": _iso(datetime.now(UTC))},
                        )
                except BaseException:
                    db.run("ROLLBACK")
                    raise
                db.run("COMMIT")

        self._call("set up", migrate)

    def migrations(self) -> list[tuple[int, str]]:
        """The migrations applied, (version, name) in order."""
        rows = self._call(
            "read",
            lambda db: db.run("SELECT version, name FROM schema_migrations ORDER BY version"),
        )
        return [(int(v), str(n)) for v, n in rows]

    # --- the ledger ------------------------------------------------------------------------

    def append(self, pending: Sequence[Pending]) -> list[Outcome]:
        def work(db: Connection) -> list[Outcome]:
            outcomes: list[Outcome] = []
            rows: list[Row] = []
            with self._write(db) as head:
                seq, last = head.seq, head.hash
                for item in pending:
                    if item.claim is not None:
                        taken = self._claim(db, item.claim)
                        if taken is not None:
                            outcomes.append(taken)
                            continue
                    row = seal(item.entry, seq + 1, last, self.chain_key)
                    rows.append(row)
                    seq, last = row.seq, row.hash
                    outcomes.append(Appended(row.seq, row.hash))
                if rows:
                    self._insert_and_move_head(db, rows)
            return outcomes

        return self._call("write the audit record to", work)

    def _insert_and_move_head(self, db: Connection, rows: Sequence[Row]) -> None:
        """Insert ``rows`` (one multi-row statement) and move the head to the last."""
        sql, params = insert_rows(rows)
        db.run(sql, params)
        db.run(
            "UPDATE chain_head SET seq = :seq, hash = :hash WHERE id = 1",
            {"seq": rows[-1].seq, "hash": rows[-1].hash},
        )

    def _insert(self, db: Connection, row: Row) -> None:
        names = ", ".join(COLUMNS)
        values = ", ".join(f":{c}" for c in COLUMNS)
        db.run(
            f"INSERT INTO ledger ({names}) VALUES ({values})",
            {c: getattr(row, c) for c in COLUMNS},
        )

    def _claim(self, db: Connection, claim: Claim) -> Stored | None:
        """Take the idempotency key, or the stored answer of whoever took it first."""
        params = {"scope": claim.scope, "key": claim.idem_key}
        db.run(
            "DELETE FROM idempotency WHERE scope = :scope AND idem_key = :key "
            "AND created_at < :start",
            {**params, "start": claim.window_start},
        )
        db.run(
            "INSERT INTO idempotency "
            "(scope, idem_key, route, request_hash, created_at, status, response) "
            "VALUES (:scope, :key, :route, :hash, :at, :status, :response) "
            "ON CONFLICT (scope, idem_key) DO NOTHING",
            {
                **params,
                "route": claim.route,
                "hash": claim.request_hash,
                "at": claim.created_at,
                "status": claim.status,
                "response": claim.response,
            },
        )
        if db.rowcount == 1:
            return None
        return self._stored(db, claim.scope, claim.idem_key, claim.window_start)

    def _stored(self, db: Connection, scope: str, key: str, start: str) -> Stored | None:
        rows = db.run(
            "SELECT route, request_hash, status, response, created_at FROM idempotency "
            "WHERE scope = :scope AND idem_key = :key AND created_at >= :start",
            {"scope": scope, "key": key, "start": start},
        )
        if not rows:
            return None
        route, request_hash, status, response, created_at = rows[0]
        return Stored(str(route), str(request_hash), int(status), str(response), str(created_at))

    def replay(self, scope: str, idem_key: str, window_start: str) -> Stored | None:
        return self._call("read", lambda db: self._stored(db, scope, idem_key, window_start))

    def screening(self, request_id: str) -> dict[str, Any] | None:
        rows = self._call(
            "read",
            lambda db: db.run(
                "SELECT body FROM ledger WHERE kind = 'screening' AND record_id = :id",
                {"id": request_id},
            ),
        )
        return None if not rows else dict(json.loads(rows[0][0]))

    def screenings_since(self, moment: datetime) -> Iterator[dict[str, Any]]:
        sql = (
            "SELECT seq, body FROM ledger WHERE kind = 'screening' AND at >= :at "
            "AND seq > :after ORDER BY seq LIMIT :limit"
        )
        params: dict[str, Any] = {"at": _iso(moment), "after": 0, "limit": PAGE}
        while True:
            rows = self._select(sql, params)
            for seq, body in rows:
                params = {**params, "after": int(seq)}
                yield dict(json.loads(body))
            if len(rows) < PAGE:
                return

    def screenings_by(
        self,
        key_name: str | None,
        channels: Collection[str],
        limit: int,
        before_seq: int | None = None,
    ) -> list[tuple[int, dict[str, Any]]]:
        # Newest first over the (kind, key_name, seq) index; the channel is in the record,
        # so pages are read until enough match (at most HISTORY_SCAN rows: a key shared
        # with a busy API client does not make the page slow).
        who = "key_name = :who" if key_name is not None else "key_name IS NULL"
        sql = (
            f"SELECT seq, body FROM ledger WHERE kind = 'screening' AND {who} "
            "AND seq < :before ORDER BY seq DESC LIMIT :limit"
        )
        before = before_seq if before_seq is not None else 2**62
        params: dict[str, Any] = {"before": before, "limit": PAGE}
        if key_name is not None:
            params["who"] = key_name
        found: list[tuple[int, dict[str, Any]]] = []
        scanned = 0
        while len(found) < limit and scanned < HISTORY_SCAN:
            rows = self._select(sql, params)
            for seq, body in rows:
                record = dict(json.loads(body))
                if record.get("channel") in channels:
                    found.append((int(seq), record))
                    if len(found) == limit:
                        break
            scanned += len(rows)
            if len(rows) < PAGE:
                break
            params = {**params, "before": int(rows[-1][0])}
        return found

    def decisions_about(self, subjects: Collection[str]) -> list[dict[str, Any]]:
        if not subjects:
            return []
        clause, params = _in("s", sorted(set(subjects)))
        rows = self._call(
            "read",
            lambda db: db.run(
                f"SELECT seq, body FROM ledger WHERE subject IN {clause} "
                "AND kind = 'decision' ORDER BY seq",
                params,
            ),
        )
        return [{**json.loads(body), "seq": int(seq)} for seq, body in rows]

    def decisions(self, query: DecisionQuery) -> list[dict[str, Any]]:
        conditions = ["kind = 'decision'", "seq > :after"]
        params: dict[str, Any] = {"after": query.after_seq, "limit": query.limit}
        for column, value, op in (
            ("entity_id", query.entity_id, "="),
            ("subject", query.subject, "="),
            ("key_name", query.by, "="),
            ("at", query.since, ">="),
            ("at", query.until, "<"),
        ):
            if value is not None:
                name = f"p{len(params)}"
                conditions.append(f"{column} {op} :{name}")
                params[name] = value
        sql = (
            "SELECT seq, body FROM ledger WHERE "
            + " AND ".join(conditions)
            + " ORDER BY seq LIMIT :limit"
        )
        rows = self._select(sql, params)
        return [{**json.loads(body), "seq": int(seq)} for seq, body in rows]

    def rows(
        self, after_seq: int = 0, start: str | None = None, end: str | None = None
    ) -> Iterator[Row]:
        conditions = ["seq > :after"]
        params: dict[str, Any] = {"limit": PAGE}
        if start is not None:
            conditions.append("at >= :start")
            params["start"] = start
        if end is not None:
            conditions.append("at < :end")
            params["end"] = end
        sql = (
            f"SELECT {', '.join(COLUMNS)} FROM ledger WHERE {' AND '.join(conditions)} "
            "ORDER BY seq LIMIT :limit"
        )
        params["after"] = after_seq
        while True:
            page = self._select(sql, params)
            for values in page:
                row = _row(values)
                params = {**params, "after": row.seq}
                yield row
            if len(page) < PAGE:
                return

    def head(self) -> Head | None:
        rows = self._call(
            "read", lambda db: db.run("SELECT seq, hash FROM chain_head WHERE id = 1")
        )
        return Head(int(rows[0][0]), str(rows[0][1])) if rows else None

    def purge(self, cutoff: datetime, now: datetime) -> int:
        def work(db: Connection) -> int:
            with self._write(db) as head:
                kept = db.run(
                    "SELECT MIN(seq) FROM ledger WHERE at >= :cutoff", {"cutoff": _iso(cutoff)}
                )
                through = (int(kept[0][0]) - 1) if kept and kept[0][0] is not None else head.seq
                first = db.run("SELECT MIN(seq) FROM ledger")
                first_seq = int(first[0][0]) if first and first[0][0] is not None else None
                if first_seq is None or through < first_seq:
                    removed = 0
                else:
                    last = db.run("SELECT hash FROM ledger WHERE seq = :s", {"s": through})
                    through_hash = str(last[0][0]) if last else GENESIS
                    db.run("DELETE FROM ledger WHERE seq <= :s", {"s": through})
                    removed = db.rowcount
                    entry = Entry(
                        kind="purge",
                        record_id=f"purge-{head.seq + 1}",
                        at=_iso(now),
                        body={
                            "purged_at": _iso(now),
                            "cutoff": _iso(cutoff),
                            "removed": removed,
                            "removed_from_seq": first_seq,
                            "removed_through_seq": through,
                            "removed_through_hash": through_hash,
                        },
                    )
                    row = seal(entry, head.seq + 1, head.hash, self.chain_key)
                    self._insert(db, row)
                    db.run(
                        "UPDATE chain_head SET seq = :seq, hash = :hash WHERE id = 1",
                        {"seq": row.seq, "hash": row.hash},
                    )
                db.run("DELETE FROM idempotency WHERE created_at < :c", {"c": _iso(cutoff)})
            return removed

        return self._call("purge", work)

    def purge_idempotency(self, before: datetime) -> int:
        def work(db: Connection) -> int:
            db.run("DELETE FROM idempotency WHERE created_at < :c", {"c": _iso(before)})
            return db.rowcount

        return self._call("purge", work)

    # --- re-screening alerts ---------------------------------------------------------------

    def known_alerts(self) -> set[tuple[str, str]]:
        rows = self._call("read", lambda db: db.run("SELECT party_key, entity_id FROM alerts"))
        return {(str(a), str(b)) for a, b in rows}

    def add_alerts(self, alerts: Sequence[dict[str, Any]]) -> int:
        def work(db: Connection) -> int:
            stored = 0
            self.begin_write(db)
            try:
                for alert in alerts:
                    db.run(
                        "INSERT INTO alerts (alerted_at, party_key, entity_id, record) "
                        "VALUES (:at, :party, :entity, :record) "
                        "ON CONFLICT (party_key, entity_id) DO NOTHING",
                        {
                            "at": alert["alerted_at"],
                            "party": alert["party_key"],
                            "entity": alert["entity_id"],
                            "record": json.dumps(alert, ensure_ascii=False, separators=(",", ":")),
                        },
                    )
                    stored += db.rowcount
            except BaseException:
                db.run("ROLLBACK")
                raise
            db.run("COMMIT")
            return stored

        try:
            return self._call("write alerts to", work)
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError(f"cannot write alerts to {self._where}: {exc}") from exc

    def alerts_since(self, moment: datetime, limit: int) -> list[dict[str, Any]]:
        return [alert for _seq, alert in self.alerts_page(moment, limit, 0)]

    def alerts_page(
        self, moment: datetime, limit: int, after: int
    ) -> list[tuple[int, dict[str, Any]]]:
        rows = self._call(
            "read",
            lambda db: db.run(
                "SELECT seq, record FROM alerts WHERE alerted_at >= :at AND seq > :after "
                "ORDER BY seq LIMIT :limit",
                {"at": _iso(moment), "after": after, "limit": limit},
            ),
        )
        return [(int(seq), dict(json.loads(record))) for seq, record in rows]

    # --- API keys --------------------------------------------------------------------------

    def api_keys(self) -> list[StoredKey]:
        rows = self._call(
            "read",
            lambda db: db.run(
                "SELECT name, entry, created_at, revoked_at FROM api_keys ORDER BY name"
            ),
        )
        return [
            StoredKey(
                str(name),
                dict(json.loads(entry)) if entry else None,
                str(created),
                str(revoked) if revoked else None,
            )
            for name, entry, created, revoked in rows
        ]

    def add_key(self, entry: dict[str, Any], now: datetime) -> None:
        def work(db: Connection) -> None:
            db.run(
                "INSERT INTO api_keys (name, entry, created_at, revoked_at) "
                "VALUES (:name, :entry, :at, NULL)",
                {
                    "name": entry["name"],
                    "entry": json.dumps(entry, ensure_ascii=False),
                    "at": _iso(now),
                },
            )

        self._call("add the key to", work)

    def revoke_key(self, name: str, now: datetime) -> bool:
        def work(db: Connection) -> bool:
            db.run(
                "UPDATE api_keys SET revoked_at = :at WHERE name = :name AND revoked_at IS NULL",
                {"name": name, "at": _iso(now)},
            )
            if db.rowcount:
                return True
            if db.run("SELECT 1 FROM api_keys WHERE name = :name", {"name": name}):
                return False  # revoked already
            db.run(
                "INSERT INTO api_keys (name, entry, created_at, revoked_at) "
                "VALUES (:name, NULL, :at, :at)",
                {"name": name, "at": _iso(now)},
            )
            return True

        return self._call("revoke the key in", work)

    # --- upkeep ----------------------------------------------------------------------------

    def check(self) -> None:
        def work(db: Connection) -> None:
            if not db.run("SELECT seq FROM chain_head WHERE id = 1"):
                raise StoreError(f"the chain head of the store at {self._where} is missing")
            db.run("SELECT seq FROM ledger ORDER BY seq DESC LIMIT 1")

        self._call("read", work)

    def count(self, kind: str = "screening") -> int:
        rows = self._call(
            "read", lambda db: db.run("SELECT COUNT(*) FROM ledger WHERE kind = :k", {"k": kind})
        )
        return int(rows[0][0])

    def close(self) -> None:
        self._closed = True
        with self._all_lock:
            connections, self._all = self._all, []
        for db in connections:
            with contextlib.suppress(Exception):  # closing at shutdown: nothing left to do
                db.close()
