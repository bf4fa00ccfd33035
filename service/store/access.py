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
from collections.abc import Callable
from typing import Any, TypeVar

from service.store.base import Claim, Outcome, Pending
from service.store.chain import Entry
from service.store.sql import SqlStore

T = TypeVar("T")
MAX_BATCH = 64

_Job = tuple[Pending, asyncio.AbstractEventLoop, "asyncio.Future[Outcome]"]


def _settle(future: asyncio.Future[Outcome], outcome: Outcome | BaseException) -> None:
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
        self._ensure_writer()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Outcome] = loop.create_future()
        self._jobs.put((Pending(entry, claim), loop, future))
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
        outcomes: list[Outcome | BaseException]
        try:
            outcomes = list(self.store.append([pending for pending, _, _ in batch]))
        except Exception as exc:  # every request of the batch learns it was not recorded
            outcomes = [exc] * len(batch)
        for (_, loop, future), outcome in zip(batch, outcomes, strict=True):
            with contextlib.suppress(RuntimeError):  # the loop closed: the app shut down
                loop.call_soon_threadsafe(_settle, future, outcome)

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
