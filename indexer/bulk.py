"""Bulk-loading one index fast: documents built by worker processes, requests overlapped.

Why: a document costs about a millisecond of Python (romanising the names, computing their
keys, the entity as JSON), more than the engine takes to index it. Built in line with the
requests, the indexer waited for its own CPU and then for the engine's, in turn: 815
documents per second for all the lists, twenty minutes for a million names. Here:

* the entities are read in order in this process, cut into batches; a source is often a
  generator, and when it fails half way its error surfaces here as it always did;
* each batch becomes bulk bodies (:func:`engines.mapping.document_batch`) in a pool of
  worker processes, a few batches ahead of the requests;
* up to ``requests`` bulk requests are in flight at once, so the engine indexes one while
  the next is sent.

What is loaded does not change: ordinals are positions in the order read, ids are checked
for duplicates in that order, rarity counts are summed over the batches. Whatever fails,
no request is left in flight when :func:`load` returns or raises (a bulk request arriving
after the half-built index was deleted would create it again).

The first batch is built on a thread: small publishes (tests, one short list) never pay
for starting processes.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from core.model import Entity
from core.parties import Party
from engines.client import ServerClient, ServerError
from engines.mapping import DocumentBatch, RarityCounter, document_batch


class LoadError(Exception):
    """The engine refused a bulk request or a document, or the lists repeat an id."""


def default_workers() -> int:
    """Worker processes for documents: one CPU fewer than this process may use (that one
    runs the requests, and often a local engine), and none on two CPUs or fewer.

    A worker process pays for its own imports and cold caches: a third more CPU per
    document than building them in this process. Measured on 2 shared cores, two workers
    loaded all the lists slower than one thread (deploy/cluster.md); with cores to spare
    they scale with the cores.
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, cpus - 1)


@dataclass(frozen=True, slots=True)
class LoadOptions:
    batch_documents: int  # entities per batch (and per bulk request, unless too big)
    max_bytes: int  # a bulk body is cut after about this many bytes
    workers: int  # processes building documents; 1 builds them on a thread
    requests: int  # bulk requests in flight at once


@dataclass(frozen=True, slots=True)
class Loaded:
    documents: int
    names: int
    rarity: RarityCounter


def _batches(entities: Iterable[Entity], size: int) -> Iterator[list[Entity]]:
    batch: list[Entity] = []
    for entity in entities:
        batch.append(entity)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _exit_with_parent(parent: int) -> None:
    """Worker initialiser: end when the indexer dies (killed, it cannot shut the pool
    down, and idle workers would wait on their queue for ever)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _first_bulk_error(answer: dict[str, Any]) -> str:
    for item in answer.get("items", []):
        result = next(iter(item.values()))
        error = result.get("error")
        if error:
            reason = error.get("reason", error) if isinstance(error, dict) else error
            return f"document {result.get('_id')}: {reason}"
    return "unknown bulk error"


class _Builders:
    """Where batches are built: a thread at first, worker processes from the second batch."""

    def __init__(self, workers: int, max_bytes: int) -> None:
        self.workers = workers
        self.max_bytes = max_bytes
        self.thread = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="documents")
        self.processes: concurrent.futures.ProcessPoolExecutor | None = None
        self.submitted = 0

    def submit(
        self, entities: list[Entity], first_ordinal: int, parties: list[Party | None]
    ) -> asyncio.Future[DocumentBatch]:
        loop = asyncio.get_running_loop()
        if self.submitted and self.workers > 1 and self.processes is None:
            self.processes = concurrent.futures.ProcessPoolExecutor(
                self.workers,
                # spawn: forking a process that runs an event loop and HTTP connections
                # is unsafe; the workers import the matching core once each.
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_exit_with_parent,
                initargs=(os.getpid(),),
            )
        self.submitted += 1
        build = partial(
            document_batch, entities, first_ordinal, max_bytes=self.max_bytes, parties=parties
        )
        return loop.run_in_executor(self.processes or self.thread, build)

    def close(self) -> None:
        self.thread.shutdown(wait=True, cancel_futures=True)
        if self.processes is not None:
            self.processes.shutdown(wait=True, cancel_futures=True)


async def load(
    client: ServerClient,
    index: str,
    entities: Iterable[Entity],
    options: LoadOptions,
    after_batch: Callable[[], Awaitable[None]],
    parties: Mapping[str, Party] | None = None,
) -> Loaded:
    """Index ``entities`` into ``index``; ``after_batch`` runs after each batch is sent
    (the indexer extends its lock there). ``parties``: each entity id's party, stored in
    its document (an entity without one is a party alone)."""
    builders = _Builders(options.workers, options.max_bytes)
    building: deque[asyncio.Future[DocumentBatch]] = deque()
    sending: set[asyncio.Task[None]] = set()
    ids: set[str] = set()
    counter = RarityCounter()
    names = 0

    async def send(payload: bytes) -> None:
        try:
            answer = await client.bulk(index, payload)
        except ServerError as error:
            raise LoadError(f"the engine refused a bulk request: {error}") from error
        if answer.get("errors"):
            raise LoadError(f"the engine refused a document: {_first_bulk_error(answer)}")

    async def wait_for_requests(limit: int) -> None:
        """Until fewer than ``limit`` requests are in flight; raises the first failure."""
        while len(sending) >= max(limit, 1):
            done, _ = await asyncio.wait(sending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                sending.discard(task)
                task.result()

    async def take(batch: DocumentBatch) -> None:
        nonlocal names
        for entity_id in batch.ids:
            if entity_id in ids:
                raise LoadError(f"entity id {entity_id} occurs twice in the lists")
            ids.add(entity_id)
        names += batch.names
        counter.merge(batch.rarity)
        for payload in batch.payloads:
            await wait_for_requests(options.requests)
            sending.add(asyncio.create_task(send(payload)))
        await after_batch()

    ahead = max(2, 2 * options.workers)  # batches built ahead of the requests
    try:
        ordinal = 0
        for entities_batch in _batches(entities, options.batch_documents):
            batch_parties = [(parties or {}).get(entity.id) for entity in entities_batch]
            building.append(builders.submit(entities_batch, ordinal, batch_parties))
            ordinal += len(entities_batch)
            while len(building) > ahead:
                await take(await building.popleft())
        while building:
            await take(await building.popleft())
        await wait_for_requests(1)
    finally:
        for future in building:
            future.cancel()
        if sending:  # a failure: let the requests in flight end before anything else
            await asyncio.gather(*sending, return_exceptions=True)
        await asyncio.get_running_loop().run_in_executor(None, builders.close)
    return Loaded(len(ids), names, counter)
