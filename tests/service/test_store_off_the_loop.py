"""With the database locked by someone else, the service keeps answering: a screening
waits for its record (and is answered once the lock goes), while /healthz and requests
that need no database answer at once. Run under uvicorn, on both stores."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pg8000.native
import pytest
import uvicorn

from engines.embedded_engine import EmbeddedEngine
from service.app import create_app
from service.auth import KeyRing
from service.settings import Settings
from service.store.postgres import PostgresStore
from service.store.sql import SqlStore
from service.store.sqlite import SQLiteStore
from tests.service.conftest import MakeStore


class Live:
    def __init__(self, engine: EmbeddedEngine, store: SqlStore) -> None:
        app = create_app(engine, Settings(), KeyRing([]), store)
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


@pytest.fixture
def live(engine: EmbeddedEngine, make_store: MakeStore) -> Iterator[tuple[Live, SqlStore]]:
    store = make_store()
    running = Live(engine, store)
    yield running, store
    running.stop()


class Lock:
    """Another client holding the store's write lock (as a backup or a stuck job could)."""

    def __init__(self, store: SqlStore) -> None:
        self.connection: Any
        if isinstance(store, SQLiteStore):
            self.connection = sqlite3.connect(store.path, isolation_level=None)
            self.connection.execute("BEGIN IMMEDIATE")
        else:
            assert isinstance(store, PostgresStore)
            self.connection = pg8000.native.Connection(
                **{k: v for k, v in store.options.items() if k != "application_name"}
            )
            self.connection.run("BEGIN")
            self.connection.run("LOCK TABLE chain_head IN ACCESS EXCLUSIVE MODE")

    def release(self) -> None:
        if isinstance(self.connection, sqlite3.Connection):
            self.connection.execute("ROLLBACK")
        else:
            self.connection.run("ROLLBACK")
        self.connection.close()


def test_healthz_answers_at_once_while_the_database_is_locked(
    live: tuple[Live, SqlStore],
) -> None:
    running, store = live
    body = {"parties": [{"name": "OCEAN STAR"}]}
    with httpx.Client(base_url=running.url, timeout=60, trust_env=False) as client:
        assert client.post("/v1/screen", json=body).status_code == 200  # warm
        lock = Lock(store)
        answers: list[httpx.Response] = []
        waiting = threading.Thread(
            target=lambda: answers.append(client.post("/v1/screen", json=body))
        )
        waiting.start()
        time.sleep(0.5)
        assert not answers, "the screening should wait for its record"
        for path in ("/healthz", "/v1/lists"):
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200 and elapsed < 0.5, (path, elapsed)
        lock.release()
        waiting.join(timeout=30)
        assert answers and answers[0].status_code == 200
    assert store.count() == 2
