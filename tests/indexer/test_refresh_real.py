"""Real refreshes of the official snapshots, in sequence, into one state directory.

UN 2025-11-20 → 2026-01-28 → 2026-02-27 → 2026-08-01, UK OFSI 2025-04-10 → 2025-04-14
and OFAC SDN 2021-07-07 → 2023-12-28 are refreshed one after the other into the same
state directory (each refresh carrying the other lists over). Every report's added and
removed ids must equal the set differences of ids read from the raw files without the
parsers (the helpers of test_diff.py), its counts the raw counts, and its whole diff the
diff of the two snapshots parsed afresh: the published version read back from the state
directory is exactly what the parser produced.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from indexer.diff import diff_lists
from indexer.publishers import EmbeddedPublisher
from indexer.refresh import RefreshOptions, run_refresh
from indexer.report import report_json
from indexer.state import StateDir
from tests.conftest import SHARED_LISTS, shared_list
from tests.indexer._real_lists import OFAC_DAYS, UK_DAYS, UN_DAYS, parsed_snapshot
from tests.indexer.test_diff import ofac_raw_rows, uk_raw_groups, un_raw_ids

pytestmark = pytest.mark.shared_lists

RawIds = Callable[[str], set[str]]
RAW_IDS: dict[str, RawIds] = {
    "un-sc": un_raw_ids,
    "gb-ofsi": lambda day: set(uk_raw_groups(day)[1]),
    "us-ofac-sdn": lambda day: set(ofac_raw_rows(day, "sdn.csv")),
}
SEQUENCE = [("un-sc", day) for day in UN_DAYS]
SEQUENCE += [("gb-ofsi", day) for day in UK_DAYS]
SEQUENCE += [("us-ofac-sdn", day) for day in OFAC_DAYS]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, dict[str, Any]]]:
    state = tmp_path_factory.mktemp("refresh") / "state"
    done = []
    for list_id, day in SEQUENCE:
        options = RefreshOptions(local=[(list_id, shared_list(list_id, day))])
        result = run_refresh(EmbeddedPublisher(state), options)
        done.append((list_id, day, report_json(result.report)))
    return done


def _previous_day(list_id: str, day: str) -> str | None:
    days = [d for lid, d in SEQUENCE if lid == list_id]
    at = days.index(day)
    return days[at - 1] if at else None


@pytest.mark.parametrize(("list_id", "day"), SEQUENCE)
def test_each_refresh_reports_the_raw_id_differences(
    reports: list[tuple[str, str, dict[str, Any]]], list_id: str, day: str
) -> None:
    (report,) = [r for lid, d, r in reports if (lid, d) == (list_id, day)]
    assert report["status"] == "published"
    assert report["failures"] == []
    entry = report["lists"][list_id]
    after = RAW_IDS[list_id](day)
    old_day = _previous_day(list_id, day)
    before = RAW_IDS[list_id](old_day) if old_day else set()
    assert set(entry["added"]) == after - before
    assert set(entry["removed"]) == before - after
    assert entry["counts"]["before"] == len(before)
    assert entry["counts"]["after"] == len(after)
    assert {c["id"] for c in entry["changed"]} <= before & after
    if old_day is None:
        assert entry["previous"] is None
        return
    # The version read back from the state directory diffs exactly like the old file.
    direct = diff_lists(parsed_snapshot(list_id, old_day), parsed_snapshot(list_id, day))
    assert entry["previous"] == direct.previous_version
    assert entry["current"] == direct.current_version
    assert entry["added"] == direct.added and entry["removed"] == direct.removed
    assert entry["changed"] == [c.to_dict() for c in direct.changed]
    assert report["versions"]["before"] != report["versions"]["after"]


def test_the_un_counts_of_each_step(reports: list[tuple[str, str, dict[str, Any]]]) -> None:
    """Pinned from the raw files (regex over REFERENCE_NUMBER), step by step."""
    un = [r["lists"]["un-sc"] for lid, _, r in reports if lid == "un-sc"]
    expected = [
        (len(un_raw_ids(new) - un_raw_ids(old)), len(un_raw_ids(old) - un_raw_ids(new)))
        for old, new in itertools.pairwise(UN_DAYS)
    ]
    assert [(len(e["added"]), len(e["removed"])) for e in un[1:]] == expected
    assert un[2]["added"] == ["un-sc:SDi.007", "un-sc:SDi.008", "un-sc:SDi.009", "un-sc:SDi.010"]


def test_other_lists_are_carried_over_unchanged(
    reports: list[tuple[str, str, dict[str, Any]]],
) -> None:
    _, _, last = reports[-1]
    assert set(last["lists"]) == {"un-sc", "gb-ofsi", "us-ofac-sdn"}
    for list_id in ("un-sc", "gb-ofsi"):
        entry = last["lists"][list_id]
        assert entry["previous"] == entry["current"]
        assert entry["added"] == entry["removed"] == entry["changed"] == []


def test_refreshing_every_latest_snapshot(tmp_path: Path) -> None:
    """All lists of ../shared/lists, latest snapshot of each, in one refresh: published,
    with timings per stage in the report (the figures are benchmarks, not asserted)."""
    specs = []
    for folder in sorted(p for p in SHARED_LISTS.iterdir() if p.is_dir()):
        days = sorted(p for p in folder.iterdir() if p.is_dir())
        if days:
            specs.append((folder.name, days[-1]))
    result = run_refresh(EmbeddedPublisher(tmp_path / "state"), RefreshOptions(local=specs))
    report = report_json(result.report)
    assert report["status"] == "published", report["failures"]
    assert set(report["lists"]) == {list_id for list_id, _ in specs}
    assert {"parse", "check", "diff", "publish", "publish.build", "publish.swap"} <= set(
        report["timings"]
    )
    manifest = StateDir(tmp_path / "state").current()
    assert manifest is not None
    assert {item.list_id: item.entities for item in manifest.lists} == {
        list_id: entry["counts"]["after"] for list_id, entry in report["lists"].items()
    }
