"""The store as the service's event loop uses it: nothing that waits on the database runs
on the loop.

Appends go to one writer thread per process, which commits whatever has queued up meanwhile
in one transaction (group commit): under load, eight screenings waiting for the chain's
lock cost one lock, one transaction and one commit instead of eight. Each request awaits
its own record's outcome, so an answer still leaves only once its record is stored. Reads
run in the default thread pool. With the database locked by someone else, requests that
need it wait (up to the store's busy timeout, then 503) while ``/healthz`` and every other
request answer at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from service.store.base import Claim, Outcome, Pending
from service.store.chain import Entry
from service.store.sql import SqlStore

T = TypeVar("T")
MAX_BATCH = 64

# The entries of one request (appended together, in one transaction), its loop, its future.
_Job = tuple[tuple[Pending, ...], asyncio.AbstractEventLoop, "asyncio.Future[list[Outcome]]"]


def _settle(future: asyncio.Future[list[Outcome]], outcome: list[Outcome] | BaseException) -> None:
    if future.done():  # the request was cancelled (its client went away): nothing to tell
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)


class StoreAccess:
    """Async access to a :class:`SqlStore`: ``await append(...)``, ``await read(...)``."""

    def __init__(self, store: SqlStore, max_batch: int = MAX_BATCH) -> None:
        self.store = store
        self.max_batch = max_batch
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    async def append(self, entry: Entry, claim: Claim | None = None) -> Outcome:
        """Append ``entry`` (with its idempotency claim); returns once it is committed."""
        [outcome] = await self._submit((Pending(entry, claim),))
        return outcome

    async def append_all(self, entries: Sequence[Entry]) -> list[Outcome]:
        """Append ``entries`` in one transaction, in order: all are recorded or none (the
        page's decision on a party is one decision per listing)."""
        if not entries:
            return []
        return await self._submit(tuple(Pending(entry, None) for entry in entries))

    async def _submit(self, pending: tuple[Pending, ...]) -> list[Outcome]:
        self._ensure_writer()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[list[Outcome]] = loop.create_future()
        self._jobs.put((pending, loop, future))
        return await future

    async def read(self, work: Callable[..., T], *args: Any) -> T:
        """``work(*args)`` (a store method) in the thread pool."""
        return await asyncio.to_thread(work, *args)

    def _ensure_writer(self) -> None:
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._write_loop, name="store-writer", daemon=True
                    )
                    self._thread.start()

    def _write_loop(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            batch = [job]
            stop = False
            while len(batch) < self.max_batch:
                try:
                    more = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                batch.append(more)
            self._commit(batch)
            if stop:
                return

    def _commit(self, batch: list[_Job]) -> None:
        results: list[list[Outcome] | BaseException]
        try:
            outcomes = iter(self.store.append([p for pending, _, _ in batch for p in pending]))
            results = [[next(outcomes) for _ in pending] for pending, _, _ in batch]
        except Exception as exc:  # every request of the batch learns it was not recorded
            results = [exc] * len(batch)
        for (_, loop, future), result in zip(batch, results, strict=True):
            with contextlib.suppress(RuntimeError):  # the loop closed: the app shut down
                loop.call_soon_threadsafe(_settle, future, result)

    def stop(self) -> None:
        """Finish the queued appends and stop the writer (the store stays open)."""
        with self._start_lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._jobs.put(None)
            thread.join(timeout=60)

    def close(self) -> None:
        """Finish the queued appends, then close the store."""
        self.stop()
        self.store.close()
