"""Dating every list (publisher, fetch.json, newest record) and when one is stale."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from core.model import AsOfSource, Entity, Kind, Name, ParsedList
from indexer.fetch_record import FetchRecord, FileRecord, write_record
from indexer.freshness import date_list, freshness, newest_record_date, stale_after_days
from indexer.parsers._common import source_file
from indexer.registry import parse_list
from tests.conftest import FIXTURES, shared_list

DPL = FIXTURES / "us-bis-dpl" / "dpl.txt"


def entity(number: int, listed_on: str | None = None, **properties: list[str]) -> Entity:
    found = Entity(f"xx:{number}", "xx", Kind.PERSON, [Name("A B")], listed_on=listed_on)
    found.properties.update(properties)
    return found


def test_the_publishers_date_comes_first() -> None:
    parsed = parse_list("un-sc", FIXTURES / "un-sc")
    assert parsed.published is not None
    assert (parsed.as_of, parsed.as_of_source) == (parsed.published, AsOfSource.PUBLISHER)


def record_for(
    folder: Path, list_id: str, last_modified: str | None, sha: str | None = None
) -> None:
    path = folder / DPL.name
    write_record(
        folder,
        FetchRecord(
            list_id,
            "bis-dpl-txt",
            [
                FileRecord(
                    file=path.name,
                    url="https://example.invalid/dpl.txt",
                    fetched_at="2026-11-30T03:17:00+00:00",
                    status=200,
                    size=path.stat().st_size,
                    sha256=sha or source_file(path).sha256,
                    last_modified=last_modified,
                )
            ],
            entities=3,
        ),
    )


def test_an_undated_file_is_dated_by_its_download_record(tmp_path: Path) -> None:
    shutil.copy(DPL, tmp_path / DPL.name)
    record_for(tmp_path, "us-bis-dpl", "Fri, 27 Nov 2026 22:10:00 GMT")
    parsed = parse_list("us-bis-dpl", tmp_path)
    assert parsed.published is None
    assert (parsed.as_of, parsed.as_of_source) == (date(2026, 11, 27), AsOfSource.LAST_MODIFIED)
    record_for(tmp_path, "us-bis-dpl", None)  # a server without Last-Modified
    parsed = parse_list("us-bis-dpl", tmp_path)
    assert (parsed.as_of, parsed.as_of_source) == (date(2026, 11, 30), AsOfSource.FETCHED)


def test_a_record_of_other_bytes_does_not_date_the_files(tmp_path: Path) -> None:
    shutil.copy(DPL, tmp_path / DPL.name)
    record_for(tmp_path, "us-bis-dpl", "Fri, 27 Nov 2026 22:10:00 GMT", sha="0" * 64)
    parsed = parse_list("us-bis-dpl", tmp_path)
    assert parsed.as_of_source is AsOfSource.NEWEST_RECORD  # the file was replaced since
    record_for(tmp_path, "us-csl", "Fri, 27 Nov 2026 22:10:00 GMT")  # another list's record
    assert parse_list("us-bis-dpl", tmp_path).as_of_source is AsOfSource.NEWEST_RECORD


def test_else_the_newest_listing_date_of_the_records() -> None:
    today = date(2026, 12, 1)
    entities = [
        entity(1, "2021-05-04"),
        entity(2, "2023", uk_date_designated=["2022-02-01"]),  # partial dates do not count
        entity(3, directive_dates=["Listing Date (EO 14024 Directive 2): 24 Feb 2022"]),
        entity(4, last_day_updated=["2027-01-01"]),  # after today: a typing error
        entity(5, aircraft_manufacture_date=["2024-06-02"]),  # not a listing event
    ]
    assert newest_record_date(entities, today) == date(2022, 2, 24)
    parsed = ParsedList("xx", None, entities)
    date_list(parsed, today)
    assert (parsed.as_of, parsed.as_of_source) == (date(2022, 2, 24), AsOfSource.NEWEST_RECORD)
    undated = ParsedList("xx", None, [entity(6)])
    date_list(undated, today)
    assert (undated.as_of, undated.as_of_source) == (None, None)


def test_ofac_sdn_of_2023_is_dated_by_its_records_and_stale() -> None:
    parsed = parse_list("us-ofac-sdn", shared_list("us-ofac-sdn", "2023-12-28"))
    assert parsed.published is None
    assert parsed.as_of == date(2022, 2, 24) and parsed.as_of_source is AsOfSource.NEWEST_RECORD
    now = datetime(2026, 12, 3, 9, tzinfo=UTC)
    found = freshness(parsed.as_of, str(parsed.as_of_source), stale_after_days(1, 7, 2), now)
    assert found.stale and found.age_days == 1743


@pytest.mark.parametrize(
    ("as_of", "after", "stale"),
    [
        (date(2026, 12, 3), 3, False),
        (date(2026, 11, 30), 3, False),  # Friday's list on Monday: a daily list with grace
        (date(2026, 11, 29), 3, True),
        (None, 3, True),  # undated is never taken for current
    ],
)
def test_stale_after_the_lists_cadence(as_of: date | None, after: int, stale: bool) -> None:
    now = datetime(2026, 12, 3, 12, tzinfo=UTC)
    found = freshness(as_of, "publisher" if as_of else None, after, now)
    assert found.stale is stale
    if as_of is not None:
        assert (
            found.age_seconds
            == (now - datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)).total_seconds()
        )
    else:
        assert found.age_days is None and found.source_label == "undated"


def test_stale_after_days_adds_the_grace_to_a_cadence_only() -> None:
    assert stale_after_days(1, 7, 2) == 3
    assert stale_after_days(None, 7, 2) == 7
    assert stale_after_days(366, 7, 2) == 368


def test_the_date_and_its_source_survive_publication(tmp_path: Path) -> None:
    """The state directory's manifest and the server's metadata keep as_of: a list carried
    over, or a service reading a published version, shows the date it was read with."""
    from engines.mapping import list_info_from_json
    from indexer.build import index_info
    from indexer.publishers import EmbeddedPublisher
    from indexer.refresh import RefreshOptions, run_refresh
    from indexer.state import StateDir

    shutil.copy(DPL, tmp_path / DPL.name)
    record_for(tmp_path, "us-bis-dpl", "Fri, 27 Nov 2026 22:10:00 GMT")
    state = tmp_path / "state"
    run_refresh(EmbeddedPublisher(state), RefreshOptions(local=[("us-bis-dpl", tmp_path)]))
    manifest = StateDir(state).current()
    assert manifest is not None
    (item,) = manifest.lists
    assert (item.as_of, item.as_of_source) == (date(2026, 11, 27), AsOfSource.LAST_MODIFIED)
    _, parsed = StateDir(state).load(manifest.index_version)
    (info,) = index_info(parsed, manifest.built_at).lists
    assert (info.as_of, info.as_of_source) == (date(2026, 11, 27), "last_modified")
    again = list_info_from_json(info.to_dict())
    assert (again.as_of, again.as_of_source) == (info.as_of, info.as_of_source)


def test_screening_lists_inspect_says_how_a_list_is_dated(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    from service.cli import main

    assert main(["lists", "inspect", f"un-sc={FIXTURES / 'un-sc'}", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["as_of"], summary["as_of_source"]) == ("2026-03-04", "publisher")
    assert main(["lists", "inspect", f"us-ofac-sdn={FIXTURES / 'us-ofac-sdn'}"]) == 0
    assert "as of      undated (nothing dates it)" in capsys.readouterr().out
