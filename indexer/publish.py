"""Publishing lists to Elasticsearch/OpenSearch: a new versioned index, then one alias swap.

Why this way: the service reads the alias ``screening-entities``, never an index by name,
so a refresh is invisible until it is complete and verified, and a bad refresh can be
undone. One run:

1. takes the *lock* (a document created with ``op_type=create`` in ``screening-locks``:
   only one indexer can create it; it carries an expiry, so the lock of an indexer that
   was killed can be broken once expired, and the running indexer extends it as it goes);
2. removes leftovers of earlier runs: versioned indices that no alias points to and whose
   metadata does not say ``complete`` (a killed build) — kept versions are untouched;
3. creates ``screening-entities-<index version>-<time>`` (strict mapping, no refresh,
   no replicas while loading), works out the parties over all the lists (the links
   between listings, :mod:`core.links`: each document carries its party), bulk-loads the
   entities (:mod:`indexer.bulk`: documents built by worker processes, requests
   overlapped), refreshes, and checks that the index holds exactly the documents sent;
4. writes its metadata (``screening-meta``, keyed by the index name: the list versions,
   the counts and the token rarity table the service re-scores with);
5. moves the alias in ONE ``update_aliases`` call (remove from the old, add to the new), so
   every search sees either the old index or the new one;
6. deletes versions beyond the newest ``keep`` earlier ones.

Any failure in 3–5 deletes the new index and its metadata and leaves the alias where it
was. :func:`rollback` moves the alias back to the newest earlier complete version.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from core.links import LinkSummary, group_parties
from core.model import Entity, ParsedList
from core.parties import parties_of
from engines.base import IndexInfo, ListInfo
from engines.client import Conflict, ServerClient, ServerError
from engines.mapping import (
    ENTITY_ALIAS,
    LOCK_INDEX,
    META_INDEX,
    index_settings,
    is_versioned_index,
    lock_index_settings,
    meta_document,
    meta_index_settings,
    newest_first,
    versioned_index_name,
)
from indexer.build import index_info, index_version
from indexer.bulk import Loaded, LoadError, LoadOptions, default_workers, load

DEFAULT_KEEP = 2
# A lock older than this is taken to belong to a dead indexer (extended while working).
LOCK_TTL = timedelta(minutes=10)
LOCK_EXTEND_EVERY_S = 60.0
# Entities per batch built by one worker and sent as one bulk request (unless over
# BULK_BYTES); bulk requests in flight at once. Measured in deploy/cluster.md.
BULK_DOCUMENTS = 1_000
BULK_BYTES = 8_000_000
BULK_REQUESTS = 2


class PublishError(Exception):
    """Publishing failed; the alias still points where it pointed before."""


class IndexLocked(PublishError):
    """Another indexer holds the lock."""


@dataclass(frozen=True, slots=True)
class ListSource:
    """One list to publish: what it is (for metadata) and its entities (read once)."""

    info: ListInfo
    entities: Iterable[Entity]


def sources_from_parsed(parsed: Sequence[ParsedList], loaded_at: datetime) -> list[ListSource]:
    info = index_info(parsed, loaded_at)
    return [ListSource(item, p.entities) for item, p in zip(info.lists, parsed, strict=True)]


@dataclass(slots=True)
class PublishReport:
    index: str
    version: str
    previous: str | None
    entities: int
    names: int
    deleted: list[str] = field(default_factory=list)
    load_seconds: float = 0.0
    swap_seconds: float = 0.0
    # Seconds per step (clean_up, build, swap, prune), for the refresh report.
    timings: dict[str, float] = field(default_factory=dict)
    # The parties the links made: how many, links per kind of evidence, groups split.
    links: LinkSummary | None = None

    @property
    def documents_per_second(self) -> float:
        return self.entities / self.load_seconds if self.load_seconds else 0.0


@dataclass(frozen=True, slots=True)
class Settings:
    """How to build one index."""

    alias: str = ENTITY_ALIAS
    keep: int = DEFAULT_KEEP
    shards: int = 1
    replicas: int = 0
    lock_ttl: timedelta = LOCK_TTL
    bulk_documents: int = BULK_DOCUMENTS
    bulk_requests: int = BULK_REQUESTS
    workers: int | None = None  # processes building documents (None: one per CPU)
    nested_limit: int | None = None  # index.mapping.nested_objects.limit, if not default


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class IndexLock:
    """The indexer lock: a document that only one indexer can create."""

    def __init__(self, client: ServerClient, name: str, ttl: timedelta) -> None:
        self.client = client
        self.name = name
        self.ttl = ttl
        self.owner = _owner()
        self._extended = 0.0
        # One extension at a time: a heartbeat and the bulk loop may both extend, and two
        # compare-and-set writes from the same owner would make one of them a Conflict.
        self._extending = asyncio.Lock()

    def _body(self) -> dict[str, Any]:
        now = datetime.now(UTC)
        return {
            "owner": self.owner,
            "acquired_at": now.isoformat(),
            "expires_at": (now + self.ttl).isoformat(),
        }

    async def acquire(self) -> None:
        await self.client.ensure_index(LOCK_INDEX, lock_index_settings())
        for _attempt in range(2):
            try:
                await self.client.create_document(LOCK_INDEX, self.name, self._body())
                self._extended = time.monotonic()
                return
            except Conflict:
                held = await self.client.get_document(LOCK_INDEX, self.name)
                if held is None:
                    continue  # released meanwhile: try again
                source = held["_source"]
                expires = datetime.fromisoformat(source["expires_at"])
                if expires > datetime.now(UTC):
                    raise IndexLocked(
                        f"another indexer ({source['owner']}) holds the lock on "
                        f"{self.name!r} since {source['acquired_at']} (expires "
                        f"{source['expires_at']}); try again later"
                    ) from None
                # Expired: break it, but only if nobody else broke it first.
                with contextlib.suppress(Conflict):
                    await self.client.delete_document(
                        LOCK_INDEX,
                        self.name,
                        if_seq_no=held["_seq_no"],
                        if_primary_term=held["_primary_term"],
                    )
        raise IndexLocked(f"could not take the lock on {self.name!r}: another indexer took it")

    async def extend(self, *, force: bool = False) -> None:
        """Push the expiry forward (at most once a minute unless forced)."""
        if not force and time.monotonic() - self._extended < LOCK_EXTEND_EVERY_S:
            return
        async with self._extending:
            held = await self.client.get_document(LOCK_INDEX, self.name)
            if held is None or held["_source"].get("owner") != self.owner:
                raise IndexLocked(f"lost the lock on {self.name!r} (it expired and was taken)")
            body = self._body() | {"acquired_at": held["_source"]["acquired_at"]}
            await self.client.update_document_if(
                LOCK_INDEX,
                self.name,
                body,
                if_seq_no=held["_seq_no"],
                if_primary_term=held["_primary_term"],
            )
            self._extended = time.monotonic()

    async def release(self) -> None:
        held = await self.client.get_document(LOCK_INDEX, self.name)
        if held is not None and held["_source"].get("owner") == self.owner:
            with contextlib.suppress(Conflict):
                await self.client.delete_document(
                    LOCK_INDEX,
                    self.name,
                    if_seq_no=held["_seq_no"],
                    if_primary_term=held["_primary_term"],
                )


async def _complete_versions(client: ServerClient, alias: str) -> tuple[list[str], list[str]]:
    """(complete versioned indices newest first, incomplete ones no alias points to)."""
    found = await client.indices(f"{alias}-*")
    complete: list[str] = []
    broken: list[str] = []
    for name, aliases in found.items():
        if not is_versioned_index(name, alias):
            continue
        meta = await client.get_source(META_INDEX, name)
        if meta is not None and meta.get("status") == "complete":
            complete.append(name)
        elif alias not in aliases:
            broken.append(name)
    return newest_first(complete), broken


async def _delete_version(client: ServerClient, index: str) -> None:
    await client.delete_index(index)
    await client.delete_document(META_INDEX, index)


async def _clean_up(client: ServerClient, settings: Settings, current: str | None) -> list[str]:
    """Delete broken leftovers, and complete versions beyond ``keep`` before ``current``."""
    complete, broken = await _complete_versions(client, settings.alias)
    deleted = []
    for name in broken:
        await _delete_version(client, name)
        deleted.append(name)
    older = [name for name in complete if name != current]
    if current is not None:
        older = [name for name in older if _stamp_before(name, current)]
    for name in older[settings.keep :]:
        await _delete_version(client, name)
        deleted.append(name)
    return deleted


def _stamp_before(name: str, other: str) -> bool:
    return name.rsplit("-", 1)[-1] < other.rsplit("-", 1)[-1]


async def _load(
    client: ServerClient,
    index: str,
    sources: Sequence[ListSource],
    lock: IndexLock,
    settings: Settings,
) -> tuple[Loaded, LinkSummary]:
    """Bulk-load every entity with its party (:mod:`indexer.bulk`); the lock is extended
    as it goes."""
    options = LoadOptions(
        batch_documents=settings.bulk_documents,
        max_bytes=BULK_BYTES,
        workers=settings.workers if settings.workers is not None else default_workers(),
        requests=settings.bulk_requests,
    )
    entities = [entity for source in sources for entity in source.entities]
    groups = await asyncio.to_thread(group_parties, entities)
    parties = await asyncio.to_thread(parties_of, entities, groups)
    try:
        loaded = await load(client, index, entities, options, lock.extend, parties)
    except LoadError as error:
        raise PublishError(str(error)) from error
    return loaded, LinkSummary.of(groups)


async def publish(
    client: ServerClient,
    sources: Sequence[ListSource],
    *,
    settings: Settings | None = None,
    built_at: datetime | None = None,
) -> PublishReport:
    """Take the lock, build a new versioned index from ``sources``, move the alias to it."""
    settings = settings or Settings()
    lock = IndexLock(client, settings.alias, settings.lock_ttl)
    await client.ensure_index(META_INDEX, meta_index_settings())
    await lock.acquire()
    try:
        return await publish_locked(client, sources, lock, settings=settings, built_at=built_at)
    finally:
        await lock.release()


async def publish_locked(
    client: ServerClient,
    sources: Sequence[ListSource],
    lock: IndexLock,
    *,
    settings: Settings,
    built_at: datetime | None = None,
) -> PublishReport:
    """Steps 2–6 of the module docstring under a ``lock`` the caller holds: the nightly
    refresh takes it before it reads the published version and keeps it until it has
    published, so nothing can move the alias between its diff and its swap."""
    built_at = built_at or datetime.now(UTC)
    lists = tuple(source.info for source in sources)
    info = IndexInfo(version=index_version(lists), built_at=built_at, lists=lists)
    await client.ensure_index(META_INDEX, meta_index_settings())
    started = time.perf_counter()
    previous_targets = await client.alias_targets(settings.alias)
    previous = previous_targets[0] if previous_targets else None
    deleted = await _clean_up(client, settings, previous)
    cleaned = time.perf_counter()
    index = versioned_index_name(info.version, built_at, settings.alias)
    report = await _build(client, index, info, sources, lock, settings, previous_targets)
    built = time.perf_counter()
    report.deleted = deleted + await _clean_up(client, settings, index)
    report.timings = {
        "clean_up": cleaned - started,
        "build": built - cleaned - report.swap_seconds,
        "swap": report.swap_seconds,
        "prune": time.perf_counter() - built,
    }
    return report


async def _build(
    client: ServerClient,
    index: str,
    info: IndexInfo,
    sources: Sequence[ListSource],
    lock: IndexLock,
    settings: Settings,
    previous_targets: list[str],
) -> PublishReport:
    body = index_settings(settings.shards, 0)
    body["settings"]["refresh_interval"] = "-1"
    if settings.nested_limit is not None:
        body["settings"]["index.mapping.nested_objects.limit"] = settings.nested_limit
    building = meta_document(
        index=index, info=info, status="building", entities=0, names=0, rarity=None
    )
    await client.put_document(META_INDEX, index, building, refresh=True)
    try:
        await client.create_index(index, body)
        started = time.perf_counter()
        loaded, links = await _load(client, index, sources, lock, settings)
        entities, names, counter = loaded.documents, loaded.names, loaded.rarity
        await client.put_settings(
            index, {"refresh_interval": None, "number_of_replicas": settings.replicas}
        )
        await client.refresh(index)
        load_seconds = time.perf_counter() - started
        counted = await client.count(index)
        if counted != entities:
            raise PublishError(f"{index} holds {counted} documents, {entities} were sent")
        complete = meta_document(
            index=index,
            info=info,
            status="complete",
            entities=entities,
            names=names,
            rarity=counter.rarity(),
        )
        await client.put_document(META_INDEX, index, complete, refresh=True)
        await lock.extend(force=True)
        swap_started = time.perf_counter()
        await swap_alias(client, settings.alias, index, previous_targets)
        swap_seconds = time.perf_counter() - swap_started
    except BaseException:
        # Leave no half-index behind (and the alias where it was: it moves last).
        # The engine may be why we are here: then the next run's clean-up deletes it.
        with contextlib.suppress(Exception):
            await _delete_version(client, index)
        raise
    return PublishReport(
        index=index,
        version=info.version,
        previous=previous_targets[0] if previous_targets else None,
        entities=entities,
        names=names,
        load_seconds=load_seconds,
        swap_seconds=swap_seconds,
        links=links,
    )


async def swap_alias(client: ServerClient, alias: str, index: str, current: Sequence[str]) -> None:
    """Point ``alias`` at ``index`` only, in one atomic update_aliases call."""
    actions: list[dict[str, Any]] = [
        {"remove": {"index": name, "alias": alias}} for name in current if name != index
    ]
    actions.append({"add": {"index": index, "alias": alias}})
    await client.update_aliases(actions)


async def rollback(client: ServerClient, *, alias: str = ENTITY_ALIAS) -> tuple[str, str]:
    """Move the alias back to the newest complete version older than the current one.

    Returns (from, to). The version rolled back from is kept (a later publish's retention
    removes it), so a rollback can itself be undone by publishing again.
    """
    lock = IndexLock(client, alias, LOCK_TTL)
    await lock.acquire()
    try:
        targets = await client.alias_targets(alias)
        if len(targets) != 1:
            raise PublishError(f"alias {alias!r} points to {targets or 'nothing'}: no rollback")
        current = targets[0]
        complete, _broken = await _complete_versions(client, alias)
        earlier = [name for name in complete if _stamp_before(name, current)]
        if not earlier:
            raise PublishError(f"no earlier complete version of {alias!r} to roll back to")
        await swap_alias(client, alias, earlier[0], targets)
        return current, earlier[0]
    finally:
        await lock.release()


__all__ = [
    "DEFAULT_KEEP",
    "IndexLock",
    "IndexLocked",
    "ListSource",
    "PublishError",
    "PublishReport",
    "ServerError",
    "Settings",
    "publish",
    "publish_locked",
    "rollback",
    "sources_from_parsed",
    "swap_alias",
]
