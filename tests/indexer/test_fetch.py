"""`screening lists fetch` against a real HTTP server on 127.0.0.1 that serves the real list
snapshots with ETag/Last-Modified and 304s, and misbehaves on purpose.

Nothing here reaches the internet: the registry used is a temporary file whose download
addresses point at the local server.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from indexer.download import DownloadSettings
from indexer.fetch import FetchResult, fetch_lists
from indexer.registry import load_registry
from service.cli import main
from tests.conftest import shared_list

FAST = DownloadSettings(timeout=0.5, total_timeout=10, retries=2, backoff=0.01, backoff_max=0.02)
HTML = b"<!DOCTYPE html><html><head><title>503</title></head><body>Maintenance</body></html>\n"


@dataclass
class Route:
    """What the server does for one path. ``mode``: serve, flaky (``failures`` times 500,
    then serve), fail (always 503), stall (sleep past the client's timeout), html (an error
    page with status 200), endless (a body without length that never ends), drop (close
    the connection halfway through the declared body)."""

    body: bytes = b""
    mode: str = "serve"
    failures: int = 0
    last_modified: str = formatdate(1_700_000_000, usegmt=True)
    requests: list[dict[str, str]] = field(default_factory=list)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'


class Site(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Route]


class Handler(BaseHTTPRequestHandler):
    server: Site

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass

    def do_GET(self) -> None:
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        route.requests.append(dict(self.headers.items()))
        if route.mode == "flaky" and route.failures > 0:
            route.failures -= 1
            self.send_error(500)
        elif route.mode == "fail":
            self.send_error(503)
        elif route.mode == "stall":
            time.sleep(1.5)
            with contextlib.suppress(OSError):  # the client gave up long ago
                self.send_error(504)
        elif route.mode == "html":
            self._send(200, HTML, {"Content-Type": "text/html"})
        elif route.mode == "endless":
            self.send_response(200)
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(200):
                    self.wfile.write(chunk)
            except OSError:
                pass  # the client hung up, as it should
        elif route.mode == "drop":
            self.send_response(200)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body[: len(route.body) // 2])
            self.wfile.flush()
            self.close_connection = True
        else:
            self._serve(route)

    def _serve(self, route: Route) -> None:
        validators = {"ETag": route.etag, "Last-Modified": route.last_modified}
        if_none_match = self.headers.get("If-None-Match")
        if_modified_since = self.headers.get("If-Modified-Since")
        if (if_none_match == route.etag) or (
            if_none_match is None and if_modified_since == route.last_modified
        ):
            self._send(304, b"", validators)
            return
        self._send(200, route.body, validators)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site(("127.0.0.1", 0), Handler)
    server.routes = {}
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def base_url(site: Site) -> str:
    return f"http://127.0.0.1:{site.server_address[1]}"


@pytest.fixture
def registry(site: Site, tmp_path: Path) -> Path:
    """A registry naming the real parsers, with addresses on the local server."""
    base = base_url(site)
    path = tmp_path / "sources.toml"
    common = 'publisher = "p"\ntitle = "t"\nhomepage = "h"\nrecord_id = "r"\nterms = "x"\n'
    path.write_text(
        f"""
[lists.us-bis-dpl]
{common}
[[lists.us-bis-dpl.formats]]
name = "bis-dpl-txt"
files = ["dpl.txt"]
parser = "indexer.parsers.us_bis_dpl:parse_us_bis_dpl"
downloads = [{{ file = "dpl.txt", url = "{base}/dpl.txt" }}]

[lists.pair]
{common}
[[lists.pair.formats]]
name = "dpl-and-notes"
files = ["dpl.txt", "notes.txt"]
parser = "indexer.parsers.us_bis_dpl:parse_us_bis_dpl"
downloads = [
  {{ file = "dpl.txt", url = "{base}/pair/dpl.txt" }},
  {{ file = "notes.txt", url = "{base}/pair/notes.txt" }},
]

[lists.us-csl]
{common}
[[lists.us-csl.formats]]
name = "csl-csv"
files = ["consolidated.csv"]
parser = "indexer.parsers.us_csl:parse_us_csl_csv"
downloads = [{{ file = "consolidated.csv", url = "{base}/csl/consolidated.csv" }}]

[lists.no-parser]
{common}
[[lists.no-parser.formats]]
name = "txt"
files = ["dpl.txt"]
parser = "indexer.parsers.no_such_parser:parse"
downloads = [{{ file = "dpl.txt", url = "{base}/dpl.txt" }}]

[lists.un-sc]
{common}
[[lists.un-sc.formats]]
name = "un-xml"
files = ["consolidated.xml"]
parser = "indexer.parsers.un_xml:parse_un_xml"
downloads = [{{ file = "consolidated.xml", url = "{base}/un/consolidated.xml" }}]
""",
        encoding="utf-8",
    )
    return path


def dpl_bytes() -> bytes:
    return shared_list("us-bis-dpl", "2023-11-30", "dpl.txt").read_bytes()


def fetch(registry: Path, dest: Path, *ids: str, **kwargs: object) -> FetchResult:
    settings = kwargs.pop("settings", FAST)
    assert isinstance(settings, DownloadSettings)
    (result,) = fetch_lists(list(ids), dest, settings=settings, registry_file=registry)
    return result


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_fetch_records_the_file_then_a_second_fetch_is_a_304(
    site: Site, registry: Path, tmp_path: Path
) -> None:
    body = dpl_bytes()
    route = site.routes["/dpl.txt"] = Route(body=body)
    dest = tmp_path / "lists"
    first = fetch(registry, dest, "us-bis-dpl")
    assert first.outcome == "fetched", first.error
    published = dest / "us-bis-dpl" / "dpl.txt"
    assert published.read_bytes() == body
    record = json.loads((dest / "us-bis-dpl" / "fetch.json").read_text())
    (entry,) = record["files"]
    assert entry["url"] == f"{base_url(site)}/dpl.txt"
    assert entry["sha256"] == sha256(published) == hashlib.sha256(body).hexdigest()
    assert entry["size"] == len(body)
    assert entry["status"] == 200
    assert entry["etag"] == route.etag
    assert entry["last_modified"] == route.last_modified
    assert entry["fetched_at"]
    assert "If-None-Match" not in route.requests[0]
    # No staging leftovers beside the published files.
    assert sorted(p.name for p in (dest / "us-bis-dpl").iterdir()) == ["dpl.txt", "fetch.json"]

    before = published.stat()
    second = fetch(registry, dest, "us-bis-dpl")
    assert second.outcome == "unchanged"
    sent = route.requests[-1]
    assert sent["If-None-Match"] == route.etag
    assert sent["If-Modified-Since"] == route.last_modified
    after = published.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    again = json.loads((dest / "us-bis-dpl" / "fetch.json").read_text())["files"][0]
    assert again["sha256"] == entry["sha256"] and again["fetched_at"] == entry["fetched_at"]


def test_a_changed_list_is_downloaded_again(site: Site, registry: Path, tmp_path: Path) -> None:
    body = dpl_bytes()
    site.routes["/dpl.txt"] = Route(body=body)
    dest = tmp_path / "lists"
    assert fetch(registry, dest, "us-bis-dpl").outcome == "fetched"
    lines = body.splitlines(keepends=True)
    site.routes["/dpl.txt"] = Route(body=b"".join(lines[:-1]), last_modified=formatdate(1.8e9))
    assert fetch(registry, dest, "us-bis-dpl").outcome == "fetched"
    assert (dest / "us-bis-dpl" / "dpl.txt").read_bytes() == b"".join(lines[:-1])


def test_a_500_is_retried_then_succeeds(site: Site, registry: Path, tmp_path: Path) -> None:
    route = site.routes["/dpl.txt"] = Route(body=dpl_bytes(), mode="flaky", failures=2)
    result = fetch(registry, tmp_path, "us-bis-dpl")
    assert result.outcome == "fetched", result.error
    assert len(route.requests) == 3


def _good_copy(site: Site, registry: Path, dest: Path) -> tuple[Path, str, str]:
    site.routes["/dpl.txt"] = Route(body=dpl_bytes())
    assert fetch(registry, dest, "us-bis-dpl").outcome == "fetched"
    published = dest / "us-bis-dpl" / "dpl.txt"
    return published, sha256(published), (dest / "us-bis-dpl" / "fetch.json").read_text()


def _assert_kept(dest: Path, published: Path, digest: str, record: str) -> None:
    assert sha256(published) == digest
    assert (dest / "us-bis-dpl" / "fetch.json").read_text() == record
    assert sorted(p.name for p in published.parent.iterdir()) == ["dpl.txt", "fetch.json"]


def test_a_server_that_always_fails_is_a_clear_error_and_the_copy_is_kept(
    site: Site, registry: Path, tmp_path: Path
) -> None:
    published, digest, record = _good_copy(site, registry, tmp_path)
    route = site.routes["/dpl.txt"] = Route(mode="fail")
    result = fetch(registry, tmp_path, "us-bis-dpl")
    assert result.outcome == "failed"
    assert result.error is not None
    assert result.error.startswith(f"{base_url(site)}/dpl.txt: HTTP 503")
    assert "gave up after 3 attempts" in result.error
    assert len(route.requests) == 1 + FAST.retries
    _assert_kept(tmp_path, published, digest, record)


def test_a_stalled_server_times_out(site: Site, registry: Path, tmp_path: Path) -> None:
    published, digest, record = _good_copy(site, registry, tmp_path)
    site.routes["/dpl.txt"] = Route(mode="stall")
    settings = DownloadSettings(timeout=0.2, retries=1, backoff=0.01)
    started = time.monotonic()
    result = fetch(registry, tmp_path, "us-bis-dpl", settings=settings)
    assert time.monotonic() - started < 1.4  # two attempts of 0.2 s, not the 1.5 s stall
    assert result.outcome == "failed"
    assert result.error is not None and "timed out" in result.error
    _assert_kept(tmp_path, published, digest, record)


def test_an_html_page_with_status_200_does_not_replace_a_good_copy(
    site: Site, registry: Path, tmp_path: Path
) -> None:
    published, digest, record = _good_copy(site, registry, tmp_path)
    site.routes["/dpl.txt"] = Route(mode="html")
    result = fetch(registry, tmp_path, "us-bis-dpl")
    assert result.outcome == "failed"
    assert result.error is not None
    assert f"{base_url(site)}/dpl.txt" in result.error
    assert "not a valid bis-dpl-txt list" in result.error and "header lacks column" in result.error
    _assert_kept(tmp_path, published, digest, record)


def test_a_download_over_the_size_limit_is_aborted(
    site: Site, registry: Path, tmp_path: Path
) -> None:
    published, digest, record = _good_copy(site, registry, tmp_path)
    site.routes["/dpl.txt"] = Route(mode="endless")
    limited = DownloadSettings(timeout=2, retries=2, backoff=0.01, max_bytes=1_000_000)
    result = fetch(registry, tmp_path, "us-bis-dpl", settings=limited)
    assert result.outcome == "failed"
    assert result.error is not None and "exceeds the size limit of 1000000 bytes" in result.error
    assert len(site.routes["/dpl.txt"].requests) == 1  # not retried
    _assert_kept(tmp_path, published, digest, record)
    # A declared Content-Length over the limit is refused before reading the body.
    site.routes["/dpl.txt"] = Route(body=dpl_bytes() + b"\n")  # changed: no 304
    small = DownloadSettings(timeout=2, retries=0, max_bytes=1000)
    result = fetch(registry, tmp_path, "us-bis-dpl", settings=small)
    assert result.error is not None and "exceeds the size limit of 1000 bytes" in result.error


def test_a_connection_dropped_midway_is_retried_then_fails_keeping_the_copy(
    site: Site, registry: Path, tmp_path: Path
) -> None:
    published, digest, record = _good_copy(site, registry, tmp_path)
    route = site.routes["/dpl.txt"] = Route(body=dpl_bytes() + b"\n", mode="drop")
    result = fetch(registry, tmp_path, "us-bis-dpl")
    assert result.outcome == "failed"
    assert result.error is not None and "connection failed" in result.error
    assert len(route.requests) == 1 + FAST.retries
    _assert_kept(tmp_path, published, digest, record)


def test_the_files_of_a_list_are_published_together_or_not_at_all(
    site: Site, registry: Path, tmp_path: Path
) -> None:
    body = dpl_bytes()
    site.routes["/pair/dpl.txt"] = Route(body=body)
    site.routes["/pair/notes.txt"] = Route(body=b"notes v1\n")
    assert fetch(registry, tmp_path, "pair").outcome == "fetched"
    folder = tmp_path / "pair"
    # Both files changed; the second one cannot be fetched: neither is replaced.
    site.routes["/pair/dpl.txt"] = Route(body=b"".join(body.splitlines(keepends=True)[:50]))
    site.routes["/pair/notes.txt"] = Route(mode="fail")
    assert fetch(registry, tmp_path, "pair").outcome == "failed"
    assert (folder / "dpl.txt").read_bytes() == body
    assert (folder / "notes.txt").read_bytes() == b"notes v1\n"
    # The notes changed but the list is garbage now: the notes are not replaced either.
    site.routes["/pair/dpl.txt"] = Route(mode="html")
    site.routes["/pair/notes.txt"] = Route(body=b"notes v2\n")
    result = fetch(registry, tmp_path, "pair")
    assert result.outcome == "failed"
    assert (folder / "notes.txt").read_bytes() == b"notes v1\n"
    # Only the notes changed (the list answers 304): validated with the kept list, published.
    site.routes["/pair/dpl.txt"] = Route(body=body)
    result = fetch(registry, tmp_path, "pair")
    assert result.outcome == "fetched", result.error
    assert (folder / "notes.txt").read_bytes() == b"notes v2\n"
    assert site.routes["/pair/dpl.txt"].requests[-1]["If-None-Match"] == Route(body=body).etag


def test_a_parser_that_cannot_run_is_a_clear_failure_and_nothing_is_published(
    site: Site, registry: Path, tmp_path: Path
) -> None:
    site.routes["/dpl.txt"] = Route(body=dpl_bytes())
    result = fetch(registry, tmp_path, "no-parser")
    assert result.outcome == "failed"
    assert result.error is not None
    assert "could not validate with indexer.parsers.no_such_parser:parse" in result.error
    assert "ModuleNotFoundError" in result.error
    assert list((tmp_path / "no-parser").iterdir()) == []


def test_the_real_csl_snapshot_is_fetched_and_validated(
    site: Site, registry: Path, tmp_path: Path
) -> None:
    body = shared_list("us-csl", "2022-05", "consolidated.csv").read_bytes()
    site.routes["/csl/consolidated.csv"] = Route(body=body)
    result = fetch(registry, tmp_path, "us-csl", settings=DownloadSettings(timeout=10, retries=0))
    assert result.outcome == "fetched", result.error
    assert result.files[0].sha256 == hashlib.sha256(body).hexdigest()


def test_the_real_un_snapshot_is_fetched_and_validated(
    site: Site, registry: Path, tmp_path: Path
) -> None:
    pytest.importorskip("indexer.parsers.un_xml", reason="the UN parser is another branch's")
    body = shared_list("un-sc", "2026-08-01", "consolidated.xml").read_bytes()
    site.routes["/un/consolidated.xml"] = Route(body=body)
    result = fetch(registry, tmp_path, "un-sc")
    assert result.outcome == "fetched", result.error
    site.routes["/un/consolidated.xml"] = Route(body=body[: len(body) // 2])  # truncated XML
    result = fetch(registry, tmp_path, "un-sc")
    assert result.outcome == "failed"
    assert (tmp_path / "un-sc" / "consolidated.xml").read_bytes() == body


def test_cli_prints_a_line_per_list_and_exits_2_when_one_failed(
    site: Site,
    registry: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SCREENING_REGISTRY", str(registry))
    load_registry.cache_clear()
    site.routes["/dpl.txt"] = Route(body=dpl_bytes())
    site.routes["/pair/dpl.txt"] = Route(mode="fail")
    argv = ["lists", "fetch", "pair", "us-bis-dpl", "nope", "--dest", str(tmp_path)]
    status = main([*argv, "--timeout", "2", "--retries", "0"])
    out = capsys.readouterr().out.splitlines()
    assert status == 2
    assert out[0].startswith(f"pair: failed: {base_url(site)}/pair/dpl.txt: HTTP 503")
    assert out[1].startswith("us-bis-dpl: fetched 1 file(s)")
    assert out[2].startswith("nope: failed: unknown list id")
    assert (tmp_path / "us-bis-dpl" / "dpl.txt").is_file()
    assert main(["lists", "fetch", "us-bis-dpl", "--dest", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == "us-bis-dpl: unchanged (304)"
    assert main(["lists", "fetch", "us-bis-dpl", "--format", "x", "--dest", str(tmp_path)]) == 2
    assert "no format 'x' (known: bis-dpl-txt)" in capsys.readouterr().out
    load_registry.cache_clear()
