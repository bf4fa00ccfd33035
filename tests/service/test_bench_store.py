"""The store benchmark's cross-process decision check, against a real server on loopback.

The check cleared only the best listing of a match and then expected the match to be
cleared; since a match is one party with all its listings, a party that two lists name
still alerts on the other one, and the benchmark reported every store as MISSED.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.build import build_embedded
from service.app import create_app
from service.auth import KeyRing
from service.bench_store import decision_check
from service.settings import Settings
from service.store.sqlite import SQLiteStore
from tests.linked_parties import KOMID, linked_lists


@pytest.fixture
def port(tmp_path: Path) -> Iterator[int]:
    import uvicorn

    store = SQLiteStore(tmp_path / "audit.sqlite3")
    app = create_app(
        build_embedded(linked_lists()), Settings(audit_db=store.path), KeyRing([]), store
    )
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield server.servers[0].sockets[0].getsockname()[1]
    server.should_exit = True
    thread.join(timeout=15)


def test_a_party_on_several_lists_is_cleared_listing_by_listing(port: int) -> None:
    honoured, screened = decision_check([port, port, port], {}, ["nobody at all", KOMID])
    assert honoured
    assert screened == 3  # the name that does not alert, then KOMID before and after


def test_a_check_with_no_alerting_name_fails(port: int) -> None:
    assert decision_check([port], {}, ["nobody at all"]) == (False, 1)
