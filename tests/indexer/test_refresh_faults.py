"""Refreshes that must not publish: each leaves the published version serving — a running
app over the state directory still answers from it — and says what happened
(report.json status "stopped" with a message, exit status 1).

The published version is the real UN list of 2026-01-28; the refresh tries to bring in
the 2026-02-27 one (which adds SDi.007, "GEDO HAMDAN AHMED") and fails in various ways.
"""

from __future__ import annotations

import json
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from indexer.state import StateDir
from service.auth import KeyRing
from service.cli import main
from service.reload import state_dir_app
from service.settings import Settings
from service.store.sqlite import SQLiteStore
from tests.conftest import shared_list
from tests.indexer.test_fetch import Handler, Route, Site, base_url

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.shared_lists

OLD_DAY, NEW_DAY = "2026-01-28", "2026-02-27"
ADDED = "GEDO HAMDAN AHMED"  # only in the new version
LISTED = "ABDUL KABIR MOHAMMAD JAN"  # in both


class Running:
    """``screening serve --state-dir`` in-process, its lifespan (and poller) running."""

    def __init__(self, state: Path, tmp: Path) -> None:
        settings = Settings(state_dir=state, audit_db=tmp / "audit.sqlite3")
        self.app = state_dir_app(settings, KeyRing([]), SQLiteStore(settings.audit_db))
        self.client = TestClient(self.app, client=("127.0.0.1", 50000))

    def reload(self) -> bool:
        swapped: bool = self.client.portal.call(self.app.state.reloader.check_now)  # type: ignore[union-attr]
        return swapped

    def screen(self, name: str) -> dict[str, Any]:
        response = self.client.post("/v1/screen", json={"parties": [{"name": name}]})
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer


@pytest.fixture
def published(tmp_path: Path) -> Iterator[tuple[Path, str, Running]]:
    state = tmp_path / "state"
    code = main(
        ["refresh", "--state-dir", str(state), "--list", f"un-sc={shared_list('un-sc', OLD_DAY)}"]
    )
    assert code == 0
    version = StateDir(state).current_version()
    assert version is not None
    running = Running(state, tmp_path)
    with running.client:
        yield state, version, running


def assert_still_serving(state: Path, version: str, running: Running) -> None:
    assert StateDir(state).current_version() == version
    assert not running.reload()
    listed = running.screen(LISTED)
    assert listed["index_version"] == version
    assert listed["decision"] == "alert"
    assert listed["results"][0]["matches"][0]["entity_id"] == "un-sc:TAi.003"
    added = running.screen(ADDED)
    assert "un-sc:SDi.007" not in {m["entity_id"] for m in added["results"][0]["matches"]}


def stopped_report(folder: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads((folder / "report.json").read_text())
    assert report["status"] == "stopped"
    assert report["versions"]["before"] == report["versions"]["after"]
    assert report["failures"], "a stopped refresh says why"
    assert "Publication stopped" in (folder / "report.md").read_text()
    return report


def refresh_cli(state: Path, report: Path, *args: str) -> int:
    return main(["refresh", "--state-dir", str(state), "--report", str(report), *args])


# --- a download that fails midway --------------------------------------------------------


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site(("127.0.0.1", 0), Handler)
    server.routes = {}
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def registry(site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A registry whose UN and BIS addresses are on the local server."""
    common = 'publisher = "p"\ntitle = "t"\nhomepage = "h"\nrecord_id = "r"\nterms = "x"\n'
    path = tmp_path / "sources.toml"
    path.write_text(
        f"""
[lists.un-sc]
{common}
[[lists.un-sc.formats]]
name = "un-xml"
files = ["consolidated.xml"]
parser = "indexer.parsers.un_xml:parse_un_xml"
downloads = [{{ file = "consolidated.xml", url = "{base_url(site)}/un.xml" }}]

[lists.us-bis-dpl]
{common}
[[lists.us-bis-dpl.formats]]
name = "bis-dpl-txt"
files = ["dpl.txt"]
parser = "indexer.parsers.us_bis_dpl:parse_us_bis_dpl"
downloads = [{{ file = "dpl.txt", url = "{base_url(site)}/dpl.txt" }}]
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("SCREENING_REGISTRY", str(path))
    return path


def new_un_bytes() -> bytes:
    return (shared_list("un-sc", NEW_DAY) / "consolidated.xml").read_bytes()


def test_a_download_dropped_midway_stops_publication(
    published: tuple[Path, str, Running], site: Site, registry: Path, tmp_path: Path
) -> None:
    state, version, running = published
    route = site.routes["/un.xml"] = Route(body=new_un_bytes(), mode="drop")
    code = refresh_cli(state, tmp_path / "r", "un-sc", "--retries", "1", "--timeout", "5")
    assert code == 1
    report = stopped_report(tmp_path / "r")
    (failure,) = report["failures"]
    assert failure["list_id"] == "un-sc" and failure["check"] == "unreadable"
    assert "connection failed" in failure["message"] and "/un.xml" in failure["message"]
    assert len(route.requests) == 2
    assert not (state / "downloads" / "un-sc" / "consolidated.xml").exists()
    assert_still_serving(state, version, running)
    # The same download served whole is then published, and the service follows.
    site.routes["/un.xml"] = Route(body=new_un_bytes())
    assert refresh_cli(state, tmp_path / "ok", "un-sc", "--retries", "0") == 0
    assert running.reload()
    added = running.screen(ADDED)["results"][0]["matches"][0]
    assert added["entity_id"] == "un-sc:SDi.007"


def test_keep_previous_publishes_the_other_lists_and_warns(
    published: tuple[Path, str, Running], site: Site, registry: Path, tmp_path: Path
) -> None:
    state, _version, running = published
    site.routes["/un.xml"] = Route(body=new_un_bytes(), mode="drop")
    dpl = shared_list("us-bis-dpl", "2023-11-30", "dpl.txt").read_bytes()
    site.routes["/dpl.txt"] = Route(body=dpl)
    args = ("--on-list-error", "keep-previous", "--retries", "0", "--timeout", "5")
    # Exit 3, "partial": the others are published, one list kept its previous version.
    assert refresh_cli(state, tmp_path / "r", *args) == 3
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert report["status"] == "published" and report["partial"] == ["un-sc"]
    markdown = (tmp_path / "r" / "report.md").read_text()
    assert "published (partial)" in markdown and "un-sc: " in markdown
    (warning,) = report["warnings"]
    assert warning["list_id"] == "un-sc" and "previous version is kept" in warning["message"]
    un = report["lists"]["un-sc"]
    assert un["previous"] == un["current"] and un["added"] == []
    assert report["lists"]["us-bis-dpl"]["previous"] is None
    assert running.reload()
    assert running.screen(LISTED)["results"][0]["matches"][0]["entity_id"] == "un-sc:TAi.003"


# --- broken or suspicious files ----------------------------------------------------------


def test_a_truncated_file_stops_publication(
    published: tuple[Path, str, Running], tmp_path: Path
) -> None:
    state, version, running = published
    body = new_un_bytes()
    cut = tmp_path / "cut"
    cut.mkdir()
    (cut / "consolidated.xml").write_bytes(body[: len(body) * 2 // 3])
    assert refresh_cli(state, tmp_path / "r", "--list", f"un-sc={cut}") == 1
    (failure,) = stopped_report(tmp_path / "r")["failures"]
    assert failure["check"] == "unreadable" and "consolidated.xml" in failure["message"]
    assert_still_serving(state, version, running)


def test_a_list_shrunk_by_half_stops_publication(
    published: tuple[Path, str, Running], tmp_path: Path
) -> None:
    state, version, running = published
    tree = etree.parse(str(shared_list("un-sc", NEW_DAY) / "consolidated.xml"))
    records = list(tree.iter("INDIVIDUAL", "ENTITY"))
    for record in records[::2]:
        parent = record.getparent()
        assert parent is not None
        parent.remove(record)
    half = tmp_path / "half"
    half.mkdir()
    tree.write(str(half / "consolidated.xml"), xml_declaration=True, encoding="utf-8")
    assert refresh_cli(state, tmp_path / "r", "--list", f"un-sc={half}") == 1
    report = stopped_report(tmp_path / "r")
    (failure,) = report["failures"]
    assert failure["check"] == "shrink" and "more than the 10% allowed" in failure["message"]
    # The diff that would have been published is in the report all the same.
    assert len(report["lists"]["un-sc"]["removed"]) >= len(records) // 2 - 10
    assert_still_serving(state, version, running)
    # A deliberate cut passes with a looser threshold.
    loose = ("--list", f"un-sc={half}", "--max-shrink", "0.6")
    assert refresh_cli(state, tmp_path / "loose", *loose) == 0


def test_an_older_publication_stops_publication(
    published: tuple[Path, str, Running], tmp_path: Path
) -> None:
    state, version, running = published
    older = shared_list("un-sc", "2025-11-20")
    assert refresh_cli(state, tmp_path / "r", "--list", f"un-sc={older}") == 1
    (failure,) = stopped_report(tmp_path / "r")["failures"]
    assert failure["check"] == "date_older" and "2025-11-20" in failure["message"]
    assert_still_serving(state, version, running)


def test_two_refreshes_at_once_the_second_stops(
    published: tuple[Path, str, Running], tmp_path: Path
) -> None:
    state, version, running = published
    with StateDir(state).lock():  # the first refresh, still running
        new = shared_list("un-sc", NEW_DAY)
        assert refresh_cli(state, tmp_path / "r", "--list", f"un-sc={new}") == 1
    (failure,) = stopped_report(tmp_path / "r")["failures"]
    assert failure["check"] == "locked" and "another refresh is running" in failure["message"]
    assert_still_serving(state, version, running)


def test_a_damaged_version_is_not_served(
    published: tuple[Path, str, Running], tmp_path: Path
) -> None:
    """Even a version that got past the refresh and is damaged on disk afterwards is not
    swapped in: the service keeps the one it has."""
    state, version, running = published
    assert (
        refresh_cli(state, tmp_path / "r", "--list", f"un-sc={shared_list('un-sc', NEW_DAY)}") == 0
    )
    new_version = StateDir(state).current_version()
    assert new_version and new_version != version
    data = StateDir(state).versions / new_version / "un-sc.jsonl.gz"
    data.write_bytes(data.read_bytes()[:1000])
    assert not running.reload()
    assert running.screen(LISTED)["index_version"] == version
