"""Service test fixtures: the app over a REAL embedded index built from the small official-
format files in tests/fixtures/ (OFAC SDN CSV, UN XML, UK OFSI CSV), with a real SQLite
audit store per test. Clients come from the loopback address unless a test says otherwise.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from engines.embedded_engine import EmbeddedEngine
from indexer.build import build_embedded
from indexer.registry import parse_list
from service.app import create_app
from service.auth import KeyRing, hash_key, load_keys, new_key
from service.settings import Settings
from service.store.postgres import PostgresStore
from service.store.sql import SqlStore
from service.store.sqlite import SQLiteStore
from tests.conftest import FIXTURES
from tests.postgres_server import drop_database, fresh_database, server_url

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's "use httpx2" notice
    from fastapi.testclient import TestClient

LOOPBACK = ("127.0.0.1", 50000)
FIXTURE_LISTS = (
    ("us-ofac-sdn", FIXTURES / "us-ofac-sdn"),
    ("un-sc", FIXTURES / "un-sc"),
    ("gb-ofsi", FIXTURES / "gb-ofsi" / "ConList.csv"),
)


def fixture_engine() -> EmbeddedEngine:
    return build_embedded([parse_list(list_id, path) for list_id, path in FIXTURE_LISTS])


@pytest.fixture(scope="session")
def engine() -> EmbeddedEngine:
    """Shared by the tests that do not close it (apps are used without their lifespan)."""
    return fixture_engine()


class Keys:
    """One API key per scope set, made like ``screening keys create`` makes them."""

    def __init__(self) -> None:
        self.plain: dict[str, str] = {}
        self.entries: list[dict[str, Any]] = []
        for name, scopes in (
            ("gateway", ["screen"]),
            ("lookup", ["read"]),
            ("auditor", ["admin"]),
            ("officer", ["decide"]),
            ("everything", ["screen", "read", "admin"]),
        ):
            key = new_key()
            self.plain[name] = key
            self.entries.append({"name": name, "sha256": hash_key(key), "scopes": scopes})

    def ring(self) -> KeyRing:
        return KeyRing(load_keys(None, json.dumps(self.entries)))

    def bearer(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.plain[name]}"}


@pytest.fixture(scope="session")
def keys() -> Keys:
    return Keys()


MakeClient = Callable[..., TestClient]
MakeStore = Callable[..., SqlStore]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server (see tests/postgres_server.py)."""
    yield from server_url()


@pytest.fixture(params=["sqlite", "postgres"])
def store_kind(request: pytest.FixtureRequest) -> str:
    """Runs a test once on each store."""
    kind: str = request.param
    return kind


@pytest.fixture
def make_store(
    store_kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[MakeStore]:
    """``make_store(chain_key=None, shared=False)``: a new empty store of ``store_kind``
    (a fresh SQLite file, or a fresh PostgreSQL database); ``shared=True`` opens the
    first one again (another process or replica on the same store)."""
    made: list[SqlStore] = []
    targets: list[str] = []  # SQLite files, or PostgreSQL database URLs
    databases: list[str] = []
    server = request.getfixturevalue("postgres_url") if store_kind == "postgres" else ""

    def make(chain_key: bytes | None = None, shared: bool = False) -> SqlStore:
        if not (shared and targets):
            if store_kind == "sqlite":
                targets.append(str(tmp_path / f"store-{len(targets)}.sqlite3"))
            else:
                url, name = fresh_database(server)
                targets.append(url)
                databases.append(name)
        target = targets[0] if shared else targets[-1]
        store: SqlStore = (
            SQLiteStore(Path(target), chain_key)
            if store_kind == "sqlite"
            else PostgresStore(target, chain_key)
        )
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()
    for name in databases:
        drop_database(server, name)


@pytest.fixture
def make_client(engine: EmbeddedEngine, tmp_path: Path) -> Iterator[MakeClient]:
    """``make_client(keys=None, client=LOOPBACK, engine=None, store=None, **settings)``
    (a fresh SQLite store unless ``store`` is given)."""
    stores: list[SqlStore] = []

    def make(
        keys: KeyRing | None = None,
        client: tuple[str, int] = LOOPBACK,
        engine_: Any = None,
        store: SqlStore | None = None,
        **settings: Any,
    ) -> TestClient:
        if store is None:
            store = SQLiteStore(tmp_path / f"audit-{len(stores)}.sqlite3")
            stores.append(store)
        app = create_app(
            engine_ or engine,
            Settings(audit_db=tmp_path / "unused.sqlite3", **settings),
            keys or KeyRing([]),
            store,
        )
        return TestClient(app, client=client)

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    """No key configured: the loopback client may do everything."""
    return make_client()


def screen_body(*names: str, **extra: Any) -> dict[str, Any]:
    return {"parties": [{"name": n} for n in names], **extra}
