"""The PostgreSQL store: one database for every replica of a cluster deployment.

The driver is pg8000 (BSD-3-Clause, pure Python: nothing to compile, no GPL/LGPL code in
an Apache-2.0 service; psycopg is LGPL) and, like sqlite3, synchronous with ``:name``
parameters, so :class:`service.store.sql.SqlStore` holds every statement once. Appends lock
the chain head's row (``SELECT ... FOR UPDATE``) for their transaction: replicas append to
one chain in turn. Migrations are applied under an advisory lock, so replicas starting
together migrate once.
"""

from __future__ import annotations

import json
import socket
import ssl
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pg8000.native

from service.store.base import Appended, Claim, Outcome, Pending, Stored
from service.store.chain import Row, canonical
from service.store.sql import Connection, SqlStore, insert_rows

MIGRATION_LOCK = 0x5C12EE  # pg_advisory_xact_lock key of `screening` migrations


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def connect_options(url: str) -> dict[str, Any]:
    """pg8000's keyword arguments from ``postgresql://user:password@host:port/db?sslmode=``."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ValueError(f"not a postgresql:// URL: {redact(url)}")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    options: dict[str, Any] = {
        "user": unquote(parts.username or "postgres"),
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "database": unquote(parts.path.lstrip("/")) or "postgres",
        "application_name": "screening",
        "timeout": float(query.get("connect_timeout", "10")),
    }
    if parts.password is not None:
        options["password"] = unquote(parts.password)
    mode = query.get("sslmode", "disable")
    if mode in ("require", "verify-ca", "verify-full"):
        context = ssl.create_default_context(cafile=query.get("sslrootcert"))
        if mode == "require":
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        elif mode == "verify-ca":
            context.check_hostname = False
        options["ssl_context"] = context
    elif mode not in ("disable", "allow", "prefer"):
        raise ValueError(f"sslmode {mode!r} is not one of disable, require, verify-ca, verify-full")
    return options


class PostgresConnection(Connection):
    def __init__(self, options: dict[str, Any]) -> None:
        self._db = pg8000.native.Connection(**options)
        # Statements that wait on a lock longer than this fail rather than hang a worker.
        self._db.run("SET lock_timeout = '30s'")

    def run(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        rows = self._db.run(sql, **(params or {}))
        self.rowcount = self._db.row_count
        return [tuple(row) for row in rows or ()]

    def script(self, sql: str) -> None:
        self._db.run(sql)  # no parameters: the simple protocol runs several statements

    def close(self) -> None:
        self._db.close()


def _claim(claim: Claim | None) -> dict[str, Any] | None:
    if claim is None:
        return None
    return {
        "scope": claim.scope,
        "key": claim.idem_key,
        "route": claim.route,
        "request_hash": claim.request_hash,
        "status": claim.status,
        "response": claim.response,
        "created_at": claim.created_at,
        "window_start": claim.window_start,
    }


class PostgresStore(SqlStore):
    dialect = "postgres"
    lock_head = " FOR UPDATE"

    def __init__(self, url: str, chain_key: bytes | None = None) -> None:
        self.options = connect_options(url)
        super().__init__(redact(url), chain_key)

    def connect(self) -> Connection:
        return PostgresConnection(self.options)

    def begin_write(self, db: Connection) -> None:
        db.run("BEGIN")

    def begin_and_read_head(self, db: Connection) -> list[tuple[Any, ...]]:
        # No parameters: the simple protocol sends both statements in one round trip.
        return db.run("BEGIN; SELECT seq, hash FROM chain_head WHERE id = 1 FOR UPDATE")

    def append(self, pending: Sequence[Pending]) -> list[Outcome]:
        """One statement (migration 0002): the server locks the head, hashes, inserts and
        moves the head, so no client round trip happens while the chain is locked."""
        items = json.dumps(
            [
                {
                    "kind": p.entry.kind,
                    "record_id": p.entry.record_id,
                    "at": p.entry.at,
                    "key_name": p.entry.key_name,
                    "subject": p.entry.subject,
                    "entity_id": p.entry.entity_id,
                    "body": canonical(p.entry.body),
                    "claim": _claim(p.claim),
                }
                for p in pending
            ],
            ensure_ascii=False,
        )

        def work(db: Connection) -> list[tuple[Any, ...]]:
            return db.run(
                "SELECT * FROM screening_chain_append(CAST(:items AS jsonb), CAST(:key AS bytea))",
                {"items": items, "key": self.chain_key},
            )

        rows = sorted(self._call("write the audit record to", work))
        outcomes: list[Outcome] = []
        for _, seq, digest, route, request_hash, status, response, created_at in rows:
            if seq is not None:
                outcomes.append(Appended(int(seq), str(digest)))
            else:
                outcomes.append(
                    Stored(
                        str(route), str(request_hash), int(status), str(response), str(created_at)
                    )
                )
        return outcomes

    def _insert_and_move_head(self, db: Connection, rows: Sequence[Row]) -> None:
        # One statement, one round trip (a data-modifying CTE), whatever the batch's size.
        sql, params = insert_rows(rows)
        db.run(
            f"WITH added AS ({sql} RETURNING seq) "
            "UPDATE chain_head SET seq = :head_seq, hash = :head_hash WHERE id = 1",
            {**params, "head_seq": rows[-1].seq, "head_hash": rows[-1].hash},
        )

    def lock_migrations(self, db: Connection) -> None:
        db.run("BEGIN")
        db.run("SELECT pg_advisory_xact_lock(:k)", {"k": MIGRATION_LOCK})

    def errors(self) -> tuple[type[BaseException], ...]:
        return (pg8000.native.Error, OSError, socket.error)

    def is_broken(self, exc: BaseException) -> bool:
        # Network errors and a server that went away leave the connection unusable.
        return not isinstance(exc, pg8000.native.DatabaseError)
