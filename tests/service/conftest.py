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
from service.store.sqlite import SQLiteStore
from tests.conftest import FIXTURES

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


@pytest.fixture
def make_client(engine: EmbeddedEngine, tmp_path: Path) -> Iterator[MakeClient]:
    """``make_client(keys=None, client=LOOPBACK, engine=None, **settings)``."""
    stores: list[SQLiteStore] = []

    def make(
        keys: KeyRing | None = None,
        client: tuple[str, int] = LOOPBACK,
        engine_: Any = None,
        **settings: Any,
    ) -> TestClient:
        store = SQLiteStore(tmp_path / f"audit-{len(stores)}.sqlite3")
        stores.append(store)
        app = create_app(
            engine_ or engine,
            Settings(audit_db=store.path, **settings),
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
