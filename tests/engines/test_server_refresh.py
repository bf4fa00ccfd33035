"""`screening refresh --engine-url` on REAL Elasticsearch and OpenSearch.

The real UN snapshots are refreshed into a server alias in sequence and must report what
the embedded refresh reports (the raw id differences, the very same diff and index
versions): the published list read back from the server is what the parser made. Lists the
run does not touch are carried into the new index, read back in their order. A second run
of the same files changes nothing; an unchanged download is not parsed again. Two refreshes
at once: one publishes, the other stops on the lock. The engine going down in the middle
of the bulk load (a loopback proxy that is cut) leaves the previous version serving, and
the report says what happened. Re-screening reads the carried lists from the server.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from engines.client import ServerClient, open_client
from engines.mapping import LOCK_INDEX, META_INDEX
from engines.server import ServerEngine, engine_settings
from indexer.diff import diff_lists
from indexer.download import DownloadSettings
from indexer.publish import Settings as PublishSettings
from indexer.publishers import EmbeddedPublisher
from indexer.refresh import RefreshOptions, RefreshResult, run_refresh
from indexer.report import report_json
from indexer.server_publisher import ServerPublisher
from service.app import create_app
from service.auth import KeyRing
from service.cli import main
from service.settings import Settings as ServiceSettings
from service.store.sqlite import SQLiteStore
from tests.conftest import FIXTURES, shared_list
from tests.engines.cut_proxy import CutProxy
from tests.engines.server_support import remove_alias_family, run, unique_alias
from tests.indexer._real_lists import parsed_snapshot
from tests.indexer.test_diff import un_raw_ids
from tests.indexer.test_fetch import Handler, Route, Site, base_url

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.shared_lists

REPO = Path(__file__).resolve().parents[2]
OFAC_FIXTURE = FIXTURES / "us-ofac-sdn"
UN_FIRST, UN_OLD, UN_NEW = "2025-11-20", "2026-01-28", "2026-02-27"
ADDED = "GEDO HAMDAN AHMED"  # un-sc:SDi.007, only from 2026-02-27 on
LISTED = "ABDUL KABIR MOHAMMAD JAN"  # un-sc:TAi.003, in every snapshot


@pytest.fixture(params=["elasticsearch", "opensearch"])
def engine_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


@pytest.fixture
def alias(engine_url: str) -> Iterator[str]:
    """A fresh alias; its indices, metadata and lock are deleted afterwards."""
    name = unique_alias()
    yield name

    async def clean() -> None:
        client = await open_client(engine_settings(engine_url, "auto", environ={}))
        try:
            await remove_alias_family(client, name)
        finally:
            await client.close()

    run(clean)


def publisher(url: str, alias: str, **settings: Any) -> ServerPublisher:
    engine = engine_settings(url, "auto", environ={})
    return ServerPublisher(engine, PublishSettings(alias=alias, **settings))


def refresh(url: str, alias: str, *specs: tuple[str, Path], **settings: Any) -> RefreshResult:
    with publisher(url, alias, **settings) as target:
        return run_refresh(target, RefreshOptions(local=specs))


def un(day: str) -> tuple[str, Path]:
    return ("un-sc", shared_list("un-sc", day))


def cli(url: str, alias: str, report: Path, *args: str) -> int:
    return main(["refresh", "--engine-url", url, "--alias", alias, "--report", str(report), *args])


def read_report(folder: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads((folder / "report.json").read_text())
    return report


async def _engine_state(url: str, alias: str) -> tuple[list[str], list[str]]:
    client = await open_client(engine_settings(url, "auto", environ={}))
    try:
        return sorted(await client.indices(f"{alias}-*")), await client.alias_targets(alias)
    finally:
        await client.close()


def engine_state(url: str, alias: str) -> tuple[list[str], list[str]]:
    """(indices of the alias family, the alias's targets), read past any proxy."""
    return run(lambda: _engine_state(url, alias))


def meta_of(url: str, index: str) -> dict[str, Any] | None:
    async def read() -> dict[str, Any] | None:
        client = await open_client(engine_settings(url, "auto", environ={}))
        try:
            return await client.get_source(META_INDEX, index)
        finally:
            await client.close()

    return run(read)


# --- the UN sequence, carried lists, no change ------------------------------------------


def test_un_sequence_reports_what_the_embedded_refresh_reports(
    engine_url: str, alias: str, tmp_path: Path
) -> None:
    first = report_json(refresh(engine_url, alias, un(UN_FIRST)).report)
    second = report_json(refresh(engine_url, alias, un(UN_OLD)).report)
    assert first["status"] == second["status"] == "published", second["failures"]
    entry = second["lists"]["un-sc"]
    before, after = un_raw_ids(UN_FIRST), un_raw_ids(UN_OLD)
    assert set(entry["added"]) == after - before
    assert set(entry["removed"]) == before - after
    assert (entry["counts"]["before"], entry["counts"]["after"]) == (len(before), len(after))
    # The version read back from the server diffs exactly like the old file parsed afresh.
    direct = diff_lists(parsed_snapshot("un-sc", UN_FIRST), parsed_snapshot("un-sc", UN_OLD))
    assert (entry["previous"], entry["current"]) == (
        direct.previous_version,
        direct.current_version,
    )
    assert entry["added"] == direct.added and entry["removed"] == direct.removed
    assert entry["changed"] == [change.to_dict() for change in direct.changed]
    assert {"publish.read_kept", "publish.build", "publish.swap"} <= set(second["timings"])

    # The embedded refresh of the same files: the same index versions, the same diff.
    state = tmp_path / "state"
    embedded = [
        report_json(run_refresh(EmbeddedPublisher(state), RefreshOptions(local=[un(day)])).report)
        for day in (UN_FIRST, UN_OLD)
    ]
    assert [r["versions"] for r in (first, second)] == [r["versions"] for r in embedded]
    assert second["lists"] == embedded[1]["lists"]

    # Another list: the UN list is carried over, read back and sent again, in its order.
    third = report_json(refresh(engine_url, alias, ("us-ofac-sdn", OFAC_FIXTURE)).report)
    assert third["status"] == "published", third["failures"]
    carried = third["lists"]["un-sc"]
    assert carried["previous"] == carried["current"] == direct.current_version
    assert carried["added"] == carried["removed"] == carried["changed"] == []
    with publisher(engine_url, alias) as target:
        published = target.current()
        assert published is not None
        assert published.index_version == third["versions"]["after"]
        counts = {k: s.entity_count for k, s in published.summaries().items()}
        assert counts == {"un-sc": len(after), "us-ofac-sdn": 7}
        fresh = parsed_snapshot("un-sc", UN_OLD)
        back = published.load("un-sc")
        assert [e.to_dict() for e in back.entities] == [e.to_dict() for e in fresh.entities]
        assert (back.published, back.format) == (fresh.published, fresh.format)
        sha = hashlib.sha256((un(UN_OLD)[1] / "consolidated.xml").read_bytes()).hexdigest()
        assert published.files("un-sc") == [("consolidated.xml", sha)]
    family, targets = engine_state(engine_url, alias)
    assert len(targets) == 1 and len(family) == 3  # the current and the two earlier (keep)

    # The same files again: nothing to publish, exit status 0.
    again = tmp_path / "again"
    assert cli(engine_url, alias, again, "--list", f"un-sc={un(UN_OLD)[1]}") == 0
    report = read_report(again)
    assert report["status"] == "unchanged"
    assert report["versions"] == {"before": third["versions"]["after"]} | {
        "after": third["versions"]["after"]
    }
    assert engine_state(engine_url, alias) == (family, targets)


# --- an unchanged download is not parsed again ------------------------------------------


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site(("127.0.0.1", 0), Handler)
    server.routes = {}
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_an_unchanged_download_is_not_parsed_again(
    elasticsearch_url: str, site: Site, tmp_path: Path
) -> None:
    url, alias = elasticsearch_url, unique_alias()
    registry = tmp_path / "sources.toml"
    registry.write_text(
        f"""
[lists.un-sc]
publisher = "p"
title = "t"
homepage = "h"
record_id = "r"
terms = "x"
[[lists.un-sc.formats]]
name = "un-xml"
files = ["consolidated.xml"]
parser = "indexer.parsers.un_xml:parse_un_xml"
downloads = [{{ file = "consolidated.xml", url = "{base_url(site)}/un.xml" }}]
""",
        encoding="utf-8",
    )
    site.routes["/un.xml"] = Route(body=(un(UN_OLD)[1] / "consolidated.xml").read_bytes())
    downloads = tmp_path / "downloads"
    options = RefreshOptions(
        fetch_ids=["un-sc"],
        downloads=downloads,
        registry_file=registry,
        download_settings=DownloadSettings(timeout=10, retries=0),
    )
    try:
        with publisher(url, alias) as target:
            assert run_refresh(target, options).report.status == "published"
            # The kept copy is damaged: parsing it would stop the run. The server answers
            # 304 and the published list was built from these very bytes (name + SHA-256
            # in the index metadata), so the refresh does not parse it at all.
            kept = downloads / "un-sc" / "consolidated.xml"
            kept.write_bytes(kept.read_bytes()[:5000])
            again = run_refresh(target, options).report
        assert site.routes["/un.xml"].requests[-1].get("If-None-Match")
        assert again.status == "unchanged", again.failures
    finally:
        alias_cleanup(url, alias)


def alias_cleanup(url: str, alias: str) -> None:
    async def clean() -> None:
        client = await open_client(engine_settings(url, "auto", environ={}))
        try:
            await remove_alias_family(client, alias)
        finally:
            await client.close()

    run(clean)


# --- two refreshes at once ----------------------------------------------------------------


def lock_owner(url: str, alias: str) -> str | None:
    answer = httpx.get(f"{url}/{LOCK_INDEX}/_doc/{alias}", timeout=10)
    if answer.status_code != 200:
        return None
    owner: str = answer.json()["_source"]["owner"]
    return owner


def test_two_refreshes_at_once_one_publishes_the_other_stops(
    engine_url: str, alias: str, tmp_path: Path
) -> None:
    code = "import sys; from service.cli import main; sys.exit(main(sys.argv[1:]))"
    args = ["refresh", "--engine-url", engine_url, "--alias", alias, "--report"]
    args += [str(tmp_path / "first"), "--list", f"un-sc={un(UN_OLD)[1]}"]
    first = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Wait until the first refresh holds the lock, then freeze it there (it parses
        # the UN file under the lock): the race window stays open as long as we like.
        deadline = time.monotonic() + 300
        while f":{first.pid}:" not in (lock_owner(engine_url, alias) or ""):
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first refresh never took the lock"
            time.sleep(0.02)
        os.kill(first.pid, signal.SIGSTOP)
        assert f":{first.pid}:" in (lock_owner(engine_url, alias) or "")

        second = tmp_path / "second"
        assert cli(engine_url, alias, second, "--list", f"un-sc={un(UN_NEW)[1]}") == 1
        report = read_report(second)
        assert report["status"] == "stopped"
        (failure,) = report["failures"]
        assert failure["check"] == "locked"
        assert "another refresh is running" in failure["message"]
        assert f":{first.pid}:" in failure["message"] and "holds the lock" in failure["message"]
    finally:
        os.kill(first.pid, signal.SIGCONT)
    _out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    published = read_report(tmp_path / "first")
    assert published["status"] == "published"
    _family, targets = engine_state(engine_url, alias)
    (index,) = targets
    meta = meta_of(engine_url, index)
    assert meta is not None and meta["version"] == published["versions"]["after"]
    # The lock was released: the next refresh goes ahead.
    assert cli(engine_url, alias, tmp_path / "third", "--list", f"un-sc={un(UN_NEW)[1]}") == 0


# --- the engine goes down during the bulk load ------------------------------------------


class ServerService:
    """The service app over the alias (as `screening serve` with SCREENING_ENGINE_URL)."""

    def __init__(self, url: str, alias: str, audit: Path) -> None:
        async def open_engine() -> ServerEngine:
            engine = engine_settings(url, "auto", environ={"SCREENING_ENGINE_RETRIES": "0"})
            client: ServerClient = await open_client(engine)
            return ServerEngine(client, alias=alias)

        settings = ServiceSettings(audit_db=audit)
        store = SQLiteStore(audit)
        self.app = create_app(open_engine, settings, KeyRing([]), store, close_store=True)
        self.client = TestClient(self.app, client=("127.0.0.1", 50000))

    def post_screen(self, name: str) -> httpx.Response:
        return self.client.post("/v1/screen", json={"parties": [{"name": name}]})

    def screen(self, name: str) -> dict[str, Any]:
        response = self.post_screen(name)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def search(self, name: str) -> dict[str, Any]:
        response = self.client.get("/v1/search", params={"q": name})
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer


def matched(answer: dict[str, Any]) -> list[str]:
    return [m["entity_id"] for m in answer["results"][0]["matches"]]


@pytest.fixture
def proxy(engine_url: str) -> Iterator[CutProxy]:
    parts = urlsplit(engine_url)
    assert parts.hostname is not None and parts.port is not None
    cut = CutProxy(parts.hostname, parts.port)
    yield cut
    cut.close()


def test_engine_down_during_the_bulk_load_keeps_the_previous_version(
    engine_url: str, alias: str, proxy: CutProxy, tmp_path: Path
) -> None:
    # Everything goes through the proxy: the refresh and the service see one engine.
    short_lock = {"lock_ttl": timedelta(seconds=2), "bulk_documents": 100}
    first = refresh(proxy.url, alias, un(UN_OLD), **short_lock).report
    assert first.status == "published"
    family, targets = engine_state(engine_url, alias)
    assert targets == family and len(targets) == 1
    (first_index,) = targets
    service = ServerService(proxy.url, alias, tmp_path / "audit.sqlite3")
    with service.client:
        answer = service.screen(LISTED)
        assert answer["index_version"] == first.index_version_after
        assert answer["decision"] == "alert" and matched(answer)[0] == "un-sc:TAi.003"

        # The engine dies after three bulk requests of the next version (~1,000 entities,
        # 100 a request), so the new index exists and is a third full.
        sent = proxy.bulks
        proxy.cut_at_bulk(3)
        result = refresh(proxy.url, alias, un(UN_NEW), **short_lock)
        # (A retry of the cut request may be counted too, as it is refused.)
        assert proxy.cut_happened.is_set() and proxy.bulks >= sent + 4
        report = report_json(result.report)
        (failed, unlocked) = report["failures"]
        assert report["status"] == "stopped"
        assert report["versions"] == {"before": first.index_version_after} | {
            "after": first.index_version_after
        }
        assert failed["check"] == "publish_failed"
        assert "publishing failed, the alias was not moved" in failed["message"]
        assert "unavailable" in failed["message"]
        assert unlocked["check"] == "index_unavailable"
        assert "releasing the lock" in unlocked["message"]
        assert "expires by itself" in unlocked["message"]
        assert result.message.startswith("stopped: the published version keeps serving")
        # The diff that was being published is in the report all the same.
        assert "un-sc:SDi.007" in report["lists"]["un-sc"]["added"]
        # While the engine is down the service says so (503), it does not guess.
        assert service.post_screen(LISTED).status_code == 503

        proxy.resume()  # the engine is back
        family, targets = engine_state(engine_url, alias)
        assert targets == [first_index] and len(family) == 2
        (half,) = [name for name in family if name != first_index]
        half_meta = meta_of(engine_url, half)
        assert half_meta is not None and half_meta["status"] == "building"
        answer = service.screen(LISTED)
        assert answer["index_version"] == first.index_version_after
        assert matched(answer)[0] == "un-sc:TAi.003"
        assert "un-sc:SDi.007" not in matched(service.screen(ADDED))

        # The dead run's lock expires by itself; then the next refresh deletes the half
        # index, publishes, and the service follows.
        held = httpx.get(f"{engine_url}/{LOCK_INDEX}/_doc/{alias}").json()["_source"]
        left = datetime.fromisoformat(held["expires_at"]) - datetime.now(UTC)
        time.sleep(max(0.0, left.total_seconds()) + 0.1)
        again = refresh(proxy.url, alias, un(UN_NEW), **short_lock).report
        assert again.status == "published", again.failures
        family, targets = engine_state(engine_url, alias)
        assert half not in family and first_index in family and targets != [first_index]
        # The first request after the swap (a search, as the lookup page sends) notices
        # the moved alias during the search and names the version it answered from.
        searched = service.search(ADDED)
        assert searched["index_version"] == again.index_version_after
        assert searched["matches"][0]["entity_id"] == "un-sc:SDi.007"
        added = service.screen(ADDED)
        assert added["index_version"] == again.index_version_after
        assert matched(added)[0] == "un-sc:SDi.007"


# --- re-screening reads the carried lists from the server -------------------------------


def test_rescreening_after_a_server_refresh(elasticsearch_url: str, tmp_path: Path) -> None:
    url, alias = elasticsearch_url, unique_alias()
    audit = tmp_path / "audit.sqlite3"
    try:
        assert cli(url, alias, tmp_path / "r0", "--list", f"us-ofac-sdn={OFAC_FIXTURE}") == 0
        assert cli(url, alias, tmp_path / "r1", "--list", f"un-sc={un(UN_OLD)[1]}") == 0
        service = ServerService(url, alias, audit)
        with service.client:
            before = service.screen(ADDED)
            assert "un-sc:SDi.007" not in matched(before)
            args = ("--list", f"un-sc={un(UN_NEW)[1]}", "--audit-db", str(audit))
            assert cli(url, alias, tmp_path / "r2", *args, "--rescreen-days", "7") == 0
        report = read_report(tmp_path / "r2")
        assert report["status"] == "published"
        assert [(a["party"]["name"], a["entity_id"]) for a in report["new_alerts"]] == [
            (ADDED, "un-sc:SDi.007")
        ]
        (alert,) = report["new_alerts"]
        assert alert["index_version"] == report["versions"]["after"]
        assert alert["request_id"] == before["request_id"]
        assert "rescreen" in report["timings"]
    finally:
        alias_cleanup(url, alias)


# --- concurrent lock extensions (the heartbeat and the bulk loop) ------------------------


def test_two_extensions_of_one_lock_at_once_both_succeed(engine_url: str, alias: str) -> None:
    from indexer.publish import IndexLock

    async def work() -> None:
        client = await open_client(engine_settings(engine_url, "auto", environ={}))
        try:
            lock = IndexLock(client, alias, timedelta(minutes=1))
            await lock.acquire()
            await asyncio.gather(*(lock.extend(force=True) for _ in range(4)))
            await lock.release()
        finally:
            await client.close()

    run(work)
