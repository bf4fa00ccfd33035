"""The service's store: audit ledger, decisions, idempotent answers, alerts and API keys,
in SQLite (default) or PostgreSQL (``database_url``). See :mod:`service.store.base`."""

from __future__ import annotations

from pathlib import Path

from service.store.base import Store, StoreError
from service.store.sql import SqlStore


def open_store(
    database_url: str | None, sqlite_path: Path, chain_key: str | None = None
) -> SqlStore:
    """The PostgreSQL store at ``database_url`` when given, else the SQLite file."""
    key = chain_key.encode("utf-8") if chain_key else None
    if database_url:
        from service.store.postgres import PostgresStore

        try:
            return PostgresStore(database_url, key)
        except ValueError as exc:
            raise StoreError(f"database_url: {exc}") from exc
    from service.store.sqlite import SQLiteStore

    return SQLiteStore(sqlite_path, key)


__all__ = ["SqlStore", "Store", "StoreError", "open_store"]
