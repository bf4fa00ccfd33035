"""The refresh report: report.json's schema and report.md's table, sections and bounds."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from core.model import Entity, Kind, Name, NameRole, ParsedList
from indexer.checks import CheckSettings, run_checks, unreadable
from indexer.diff import ListDiff, diff_lists
from indexer.report import (
    RefreshReport,
    Status,
    decide_status,
    md_text,
    render_markdown,
    report_json,
)
from tests.indexer._real_lists import parsed_snapshot


def entity(record_id: str, name: str, *akas: str, programs: tuple[str, ...] = ("TA",)) -> Entity:
    return Entity(
        id=f"un-sc:{record_id}",
        list_id="un-sc",
        kind=Kind.PERSON,
        names=[Name(name), *(Name(a, NameRole.AKA) for a in akas)],
        programs=list(programs),
    )


def un(*entities: Entity, published: date = date(2026, 8, 1)) -> ParsedList:
    return ParsedList("un-sc", published, list(entities))


@pytest.fixture
def small_diff() -> ListDiff:
    before = un(
        entity("TAi.1", "ABDUL KABIR"),
        entity("TAi.2", "GONE AWAY"),
        entity("TAi.3", "SAME PERSON"),
        published=date(2026, 2, 27),
    )
    after = un(
        entity("TAi.1", "ABDUL KABIR", "ABDUL KABIR MUHAMMAD JAN", programs=("TA", "QD")),
        entity("TAi.3", "SAME PERSON"),
        entity("TAi.4", "NEW <b>PERSON</b> | X"),
    )
    return diff_lists(before, after)


def test_status_follows_failures_and_versions(small_diff: ListDiff) -> None:
    assert decide_status([small_diff], []) is Status.PUBLISHED
    assert decide_status([small_diff], [unreadable("un-sc", "boom")]) is Status.STOPPED
    same = un(entity("TAi.1", "A"))
    assert decide_status([diff_lists(same, same)], []) is Status.UNCHANGED


def test_report_json_has_the_documented_schema(small_diff: ListDiff) -> None:
    report = RefreshReport(
        status=Status.PUBLISHED,
        diffs=[small_diff],
        timings={"fetch": 1.23456, "parse": 0.5},
        index_version_before="screening-v41",
        index_version_after="screening-v42",
        new_alerts=[{"party": "ACME", "entity_id": "un-sc:TAi.4", "score": 0.91}],
        started_at="2026-08-02T03:00:00Z",
        finished_at="2026-08-02T03:00:02Z",
    )
    data = report_json(report)
    assert json.loads(json.dumps(data)) == data, "report.json must be plain JSON"
    assert data["status"] == "published"
    assert data["versions"] == {"before": "screening-v41", "after": "screening-v42"}
    assert data["timings"] == {"fetch": 1.235, "parse": 0.5}
    assert data["new_alerts"] == [{"party": "ACME", "entity_id": "un-sc:TAi.4", "score": 0.91}]
    assert data["totals"] == {"added": 1, "removed": 1, "changed": 1}
    entry = data["lists"]["un-sc"]
    assert entry["previous"] == small_diff.previous_version
    assert entry["previous"].startswith("2026-02-27+")
    assert entry["current"].startswith("2026-08-01+")
    assert entry["added"] == ["un-sc:TAi.4"]
    assert entry["removed"] == ["un-sc:TAi.2"]
    assert entry["changed"] == [
        {
            "id": "un-sc:TAi.1",
            "fields": ["names", "programs"],
            "details": {
                "names": {
                    "added": [{"full": "ABDUL KABIR MUHAMMAD JAN", "role": "aka"}],
                    "removed": [],
                },
                "programs": {"added": ["QD"], "removed": []},
            },
        }
    ]
    assert entry["counts"] == {"before": 3, "after": 3, "added": 1, "removed": 1, "changed": 1}
    assert entry["changed_fields"] == {"names": 1, "programs": 1}
    assert entry["names"]["un-sc:TAi.2"] == "GONE AWAY"
    assert data["failures"] == [] and data["warnings"] == []


def test_report_json_refuses_two_diffs_of_one_list(small_diff: ListDiff) -> None:
    with pytest.raises(ValueError, match="one diff per list"):
        report_json(RefreshReport(Status.PUBLISHED, [small_diff, small_diff]))


def test_markdown_has_the_table_the_ids_and_the_changed_fields(small_diff: ListDiff) -> None:
    text = render_markdown(RefreshReport(Status.PUBLISHED, [small_diff], timings={"parse": 0.5}))
    assert text.startswith("## Screening lists refresh: published\n")
    assert "| list | previous version | current version | entities before" in text
    row = f"| un-sc | `{small_diff.previous_version}` | `{small_diff.current_version}` | 3 | 3 "
    assert row + "| 1 | 1 | 1 |" in text
    assert "<summary>Added: 1</summary>" in text
    assert "- `un-sc:TAi.2` GONE AWAY" in text
    assert "- `un-sc:TAi.1` ABDUL KABIR: names (+1/-0), programs (+1/-0)" in text
    assert "| parse | 0.50 |" in text
    # List data is untrusted: no live HTML, no table-breaking pipe.
    assert "<b>" not in text
    assert "NEW &lt;b&gt;PERSON&lt;/b&gt; \\| X" in text


def test_markdown_of_a_stopped_run_leads_with_the_failures() -> None:
    before = un(*(entity(f"QDi.{n}", f"P {n}") for n in range(10)), published=date(2026, 2, 27))
    after = un(*(entity(f"QDi.{n}", f"P {n}") for n in range(4)))
    failures = run_checks(before, after, CheckSettings())
    report = RefreshReport(
        decide_status([], failures),
        [diff_lists(before, after)],
        failures=failures,
        warnings=[unreadable("gb-ofsi", "ConList.xlsx: file is empty")],
    )
    text = render_markdown(report)
    assert "## Screening lists refresh: stopped" in text
    assert "the previous version keeps serving" in text
    assert "### Failed checks" in text and "-60.0%" in text and "10%" in text
    assert "### Warnings" in text and "gb-ofsi: could not be downloaded or parsed" in text
    assert report_json(report)["failures"][0]["check"] == "shrink"


def test_md_text_escapes_and_cuts() -> None:
    assert md_text("a*b_c[d](e)") == "a\\*b\\_c\\[d\\](e)"
    assert md_text("x" * 500, 10) == "x" * 9 + "…"


@pytest.mark.shared_lists
def test_real_un_report_is_bounded_and_names_every_added_and_removed_id() -> None:
    diff = diff_lists(
        parsed_snapshot("un-sc", "2026-02-27"), parsed_snapshot("un-sc", "2026-08-01")
    )
    report = RefreshReport(decide_status([diff], []), [diff])
    text = render_markdown(report, max_entries=200)
    for entity_id in diff.added + diff.removed:
        assert f"`{entity_id}`" in text
    changed_lines = re.findall(r"^- `un-sc:[^`]+` .*: ", text, re.M)
    assert len(changed_lines) == min(200, len(diff.changed))
    if len(diff.changed) > 200:
        assert f"- ... and {len(diff.changed) - 200:,} more (all in report.json)" in text
    assert len(text.encode()) < 1_000_000, "fits a CI job summary"
    data = report_json(report)
    assert len(data["lists"]["un-sc"]["changed"]) == len(diff.changed)
    assert data["lists"]["un-sc"]["counts"]["after"] == len(
        parsed_snapshot("un-sc", "2026-08-01").entities
    )
