"""The store protocol: everything the service keeps, behind one interface with two
implementations, SQLite (one host, the default) and PostgreSQL (any number of replicas).

What is kept: the audit ledger (screenings, decisions on hits and retention purges, in one
tamper-evident chain, :mod:`service.store.chain`), the first answer to each idempotent
request, the alerts of re-screening after a refresh, and API keys added or revoked at run
time. Every method is synchronous and may block on the database: the service calls them
off its event loop (:mod:`service.store.access`), the command line directly.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from service.store.chain import Entry, Head, Row


class StoreError(RuntimeError):
    """The store could not be opened, written or read; the message says which store."""


@dataclass(frozen=True, slots=True)
class Claim:
    """An ``Idempotency-Key`` request's answer, stored with its record in one transaction.

    A second request with the same key (per caller) within the window gets this answer
    back instead of being recorded again.
    """

    scope: str  # the caller (key name), so two callers' keys never collide
    idem_key: str
    route: str
    request_hash: str
    status: int
    response: str
    created_at: str
    window_start: str  # claims older than this are expired and replaced


@dataclass(frozen=True, slots=True)
class Stored:
    """A stored first answer."""

    route: str
    request_hash: str
    status: int
    response: str
    created_at: str


@dataclass(frozen=True, slots=True)
class Pending:
    entry: Entry
    claim: Claim | None = None


@dataclass(frozen=True, slots=True)
class Appended:
    seq: int
    hash: str


Outcome = Appended | Stored  # Stored: the claim was taken by an earlier request


@dataclass(frozen=True, slots=True)
class DecisionQuery:
    """Filters of ``GET /v1/decisions`` (all optional, combined with AND)."""

    entity_id: str | None = None
    subject: str | None = None
    by: str | None = None
    since: str | None = None
    until: str | None = None
    after_seq: int = 0
    limit: int = 100


@dataclass(frozen=True, slots=True)
class StoredKey:
    name: str
    entry: dict[str, Any] | None  # None: a revocation of a key configured elsewhere
    created_at: str
    revoked_at: str | None


class Store(Protocol):
    """What the service, the refresh job and ``screening audit`` need of a store."""

    @property
    def where(self) -> str:
        """The store, for messages (a path, or a URL without its password)."""
        ...

    # --- the ledger -----------------------------------------------------------------------

    def append(self, pending: Sequence[Pending]) -> list[Outcome]:
        """Append the entries in one transaction, in order, chained; an entry whose claim
        an earlier request took is not appended and gets that request's answer."""
        ...

    def screening(self, request_id: str) -> dict[str, Any] | None: ...

    def screenings_since(self, moment: datetime) -> Iterator[dict[str, Any]]:
        """Screening records from ``moment`` on, oldest first (re-screening reads them)."""
        ...

    def screenings_by(
        self,
        key_name: str | None,
        channels: Collection[str],
        limit: int,
        before_seq: int | None = None,
    ) -> list[tuple[int, dict[str, Any]]]:
        """(seq, record) of the screenings made by ``key_name`` (None: the anonymous
        loopback caller) through ``channels``, newest first, at most ``limit``, older than
        ``before_seq`` when given (the officers' history of the lookup page)."""
        ...

    def decisions_about(self, subjects: Collection[str]) -> list[dict[str, Any]]:
        """Every decision on these party fingerprints, oldest first, each with its seq."""
        ...

    def decisions(self, query: DecisionQuery) -> list[dict[str, Any]]: ...

    def rows(
        self, after_seq: int = 0, start: str | None = None, end: str | None = None
    ) -> Iterator[Row]:
        """The chain's rows in order (``start`` <= at < ``end`` when given)."""
        ...

    def head(self) -> Head | None: ...

    def purge(self, cutoff: datetime, now: datetime) -> int:
        """Remove the chain's records older than ``cutoff`` (a prefix), recording the purge
        in the chain; expired idempotent answers go too. Returns how many records."""
        ...

    def replay(self, scope: str, idem_key: str, window_start: str) -> Stored | None: ...

    # --- re-screening alerts --------------------------------------------------------------

    def known_alerts(self) -> set[tuple[str, str]]: ...

    def add_alerts(self, alerts: Sequence[dict[str, Any]]) -> int: ...

    def alerts_since(self, moment: datetime, limit: int) -> list[dict[str, Any]]: ...

    def alerts_page(
        self, moment: datetime, limit: int, after: int
    ) -> list[tuple[int, dict[str, Any]]]:
        """(sequence number, alert) stored at or after ``moment`` and after sequence number
        ``after``, in the order they were stored: one refresh stores its alerts with one
        timestamp, so paging goes by sequence number, not by time."""
        ...

    # --- API keys -------------------------------------------------------------------------

    def api_keys(self) -> list[StoredKey]: ...

    def add_key(self, entry: dict[str, Any], now: datetime) -> None: ...

    def revoke_key(self, name: str, now: datetime) -> bool:
        """Revoke the key named ``name`` (stored here or configured elsewhere)."""
        ...

    # --- upkeep ---------------------------------------------------------------------------

    def check(self) -> None:
        """Raise StoreError unless the store answers (the readiness probe)."""
        ...

    def close(self) -> None: ...
