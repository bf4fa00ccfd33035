"""Fetching what is not a plain file download: India's page (the table must be there and
must not collapse), the World Bank's API (a key header from the environment), retired
lists (not fetched unless named), and the dates fetch.json gives an undated list.

Against the local HTTP server of test_fetch; nothing here reaches the internet.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from core.model import AsOfSource
from indexer.fetch import fetch_lists
from indexer.registry import load_registry, parse_list
from tests.conftest import FIXTURES, shared_list
from tests.indexer.test_fetch import FAST, Route, Site, base_url, site  # noqa: F401

PAGE = "banned-organisations.html"


@pytest.fixture
def registry(site: Site, tmp_path: Path) -> Path:  # noqa: F811
    base = base_url(site)
    common = 'publisher = "p"\ntitle = "t"\nhomepage = "h"\nrecord_id = "r"\nterms = "x"\n'
    path = tmp_path / "sources.toml"
    path.write_text(
        f"""
[lists.in-mha-banned]
{common}
[[lists.in-mha-banned.formats]]
name = "mha-html"
files = ["{PAGE}"]
parser = "indexer.parsers.in_mha:parse_in_mha_html"
downloads = [{{ file = "{PAGE}", url = "{base}/en/banned-organisations" }}]

[lists.world-bank-debarred]
{common}
[[lists.world-bank-debarred.formats]]
name = "world-bank-json"
files = ["sanction_list.json"]
parser = "indexer.parsers.world_bank:parse_world_bank_json"
downloads = [
  {{ file = "sanction_list.json", url = "{base}/wb", headers = {{ apikey = "${{TEST_WB_KEY}}" }} }},
]

[lists.gb-ofsi]
{common}retired = "closed"
[[lists.gb-ofsi.formats]]
name = "ofsi-csv"
files = ["conlist.csv"]
parser = "indexer.parsers.uk_ofsi:parse_uk_ofsi_csv"
downloads = [{{ file = "ConList.csv", url = "{base}/conlist.csv" }}]
""",
        encoding="utf-8",
    )
    return path


def real_page() -> bytes:
    return shared_list("in-mha-banned", "2023-12-18", PAGE).read_bytes()


def test_the_page_is_fetched_and_a_page_that_lost_its_rows_is_refused(
    site: Site,  # noqa: F811
    registry: Path,
    tmp_path: Path,
) -> None:
    page = real_page()
    site.routes["/en/banned-organisations"] = Route(body=page)
    dest = tmp_path / "lists"
    (first,) = fetch_lists(["in-mha-banned"], dest, settings=FAST, registry_file=registry)
    assert first.outcome == "fetched", first.error
    record = json.loads((dest / "in-mha-banned" / "fetch.json").read_text())
    assert record["entities"] == 39

    # The ministry's page redesigned: the table keeps 10 of its 39 rows.
    rows = list(re.finditer(r"<tr>\s*<td>\d+</td>.*?</tr>", page.decode(), re.S))
    cut = page.decode()[: rows[10].start()] + page.decode()[rows[-1].end() :]
    site.routes["/en/banned-organisations"] = Route(body=cut.encode())
    (second,) = fetch_lists(["in-mha-banned"], dest, settings=FAST, registry_file=registry)
    assert second.outcome == "failed"
    assert "collapsed: 10 entries where the copy it would replace has 39" in (second.error or "")
    assert (dest / "in-mha-banned" / PAGE).read_bytes() == page  # the previous copy stays

    # An error page served with status 200: no table, refused.
    site.routes["/en/banned-organisations"] = Route(mode="html")
    (third,) = fetch_lists(["in-mha-banned"], dest, settings=FAST, registry_file=registry)
    assert third.outcome == "failed" and "no table of banned organisations" in (third.error or "")
    assert (dest / "in-mha-banned" / PAGE).read_bytes() == page


def test_the_world_bank_key_comes_from_the_environment(
    site: Site,  # noqa: F811
    registry: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    route = site.routes["/wb"] = Route(
        body=(FIXTURES / "world-bank-debarred" / "sanction_list.json").read_bytes()
    )
    monkeypatch.delenv("TEST_WB_KEY", raising=False)
    (missing,) = fetch_lists(
        ["world-bank-debarred"], tmp_path, settings=FAST, registry_file=registry
    )
    assert missing.outcome == "failed" and "environment variable TEST_WB_KEY" in (
        missing.error or ""
    )
    assert not route.requests  # nothing is sent without the key
    monkeypatch.setenv("TEST_WB_KEY", "page-key-1")
    (got,) = fetch_lists(["world-bank-debarred"], tmp_path, settings=FAST, registry_file=registry)
    assert got.outcome == "fetched", got.error
    assert route.requests[-1]["apikey"] == "page-key-1"


def test_retired_lists_are_fetched_only_when_named(
    site: Site,  # noqa: F811
    registry: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEST_WB_KEY", "k")
    site.routes["/en/banned-organisations"] = Route(body=real_page())
    site.routes["/wb"] = Route(
        body=(FIXTURES / "world-bank-debarred" / "sanction_list.json").read_bytes()
    )
    site.routes["/conlist.csv"] = Route(body=(FIXTURES / "gb-ofsi" / "ConList.csv").read_bytes())
    results = fetch_lists(None, tmp_path, settings=FAST, registry_file=registry)
    assert [r.list_id for r in results] == ["in-mha-banned", "world-bank-debarred"]
    (named,) = fetch_lists(["gb-ofsi"], tmp_path, settings=FAST, registry_file=registry)
    assert named.outcome == "fetched", named.error
    assert load_registry(registry)["gb-ofsi"].retired == "closed"


def test_an_undated_list_fetched_is_dated_by_the_servers_last_modified(
    site: Site,  # noqa: F811
    registry: Path,
    tmp_path: Path,
) -> None:
    site.routes["/en/banned-organisations"] = Route(body=real_page())
    fetch_lists(["in-mha-banned"], tmp_path, settings=FAST, registry_file=registry)
    folder = tmp_path / "in-mha-banned"
    # The page states its own date, which comes first; without it (a page that lost its
    # footer and heading) the server's Last-Modified dates the list.
    assert parse_list("in-mha-banned", folder).as_of_source is AsOfSource.PUBLISHER
    page = (folder / PAGE).read_text(encoding="utf-8")
    undated = re.sub(r"As on [\d-]+|Last Updated:[^<]*<span[^>]*><strong>[^<]*", "", page)
    site.routes["/en/banned-organisations"] = Route(body=undated.encode())
    fetch_lists(["in-mha-banned"], tmp_path, settings=FAST, registry_file=registry)
    parsed = parse_list("in-mha-banned", folder)
    assert parsed.published is None
    assert parsed.as_of_source is AsOfSource.LAST_MODIFIED
    assert parsed.as_of is not None and parsed.as_of.isoformat() == "2023-11-14"  # Route's date
