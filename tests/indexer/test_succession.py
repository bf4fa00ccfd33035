"""Moving an installation from OFSI's retired list (gb-ofsi) to the FCDO's (uk-fcdo).

The fixtures are 13 real groups of OFSI's ConList of 2025-04-14, as OFSI published them
and as the FCDO writes them (tests/fixtures/make_uk_migration.py): one group left out of
the FCDO file, one designation made since, one more name variation, and OFSI's former
names (FKA) that the FCDO writes as aliases.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from indexer.publishers import EmbeddedPublisher
from indexer.refresh import RefreshConfigError, RefreshOptions, run_refresh
from indexer.registry import get_source, parse_list
from indexer.report import report_json
from indexer.state import StateDir
from indexer.succession import diff_source_change, match_parties, previous_ids
from service.cli import main
from tests.conftest import FIXTURES
from tests.indexer.test_refresh_faults import Running

MIGRATION = FIXTURES / "uk-fcdo" / "migration"
OFSI = MIGRATION / "gb-ofsi"
FCDO = MIGRATION / "uk-fcdo"


def test_parties_are_matched_by_ofsi_group_id() -> None:
    ofsi = parse_list("gb-ofsi", OFSI)
    fcdo = parse_list("uk-fcdo", FCDO)
    assert (len(ofsi.entities), len(fcdo.entities)) == (13, 13)
    matched = match_parties(ofsi, fcdo, "ofsi_group_id")
    assert len(matched) == 12
    assert matched["gb-ofsi:7172"] == ["uk-fcdo:AFG0006"]
    assert matched["gb-ofsi:16096"] == ["uk-fcdo:RUS1971"]
    assert "gb-ofsi:14954" not in matched  # not on the FCDO's list


def test_the_diff_across_the_two_formats_is_a_change_of_source() -> None:
    succession = get_source("uk-fcdo").succeeds
    assert succession is not None
    diff = diff_source_change(parse_list("gb-ofsi", OFSI), parse_list("uk-fcdo", FCDO), succession)
    assert diff.source_change is not None and diff.source_change.previous_list == "gb-ofsi"
    assert diff.added == ["uk-fcdo:RUS9001"]  # designated after OFSI's list closed
    assert diff.removed == ["gb-ofsi:14954"]
    assert diff.names["gb-ofsi:14954"] == "Aleksandr Vyacheslavovich NOVYUKHOV"
    # The same parties, written differently, compare equal; two real differences remain.
    changes = {c.id: c for c in diff.changed}
    assert sorted(changes) == ["uk-fcdo:DRC0015", "uk-fcdo:RUS1971"]
    assert changes["uk-fcdo:RUS1971"].details["names"] == {
        "added": [{"full": "Andrey Anatolyevich ALEKSEYENKO", "role": "aka"}],
        "removed": [],
    }
    fka = changes["uk-fcdo:DRC0015"].details["names"]
    assert {n["role"] for n in fka["removed"]} == {"fka"}
    assert {n["role"] for n in fka["added"]} == {"aka"}
    assert previous_ids([diff])["uk-fcdo:AFG0006"] == ["gb-ofsi:7172"]
    assert diff.previous_count == 13 and diff.current_count == 13


def refresh(state: Path, report: Path, *args: str) -> int:
    return main(["refresh", "--state-dir", str(state), "--report", str(report), *args])


def test_a_refresh_moves_the_installation_and_keeps_its_rescreening_history(
    tmp_path: Path,
) -> None:
    state, audit = tmp_path / "state", tmp_path / "audit.sqlite3"
    assert refresh(state, tmp_path / "r0", "--list", f"gb-ofsi={OFSI}") == 0
    running = Running(state, tmp_path)
    with running.client:
        # Past screenings on OFSI's list: one alerted, one was clear (not listed yet).
        before = running.screen("Andrei Anatolievich ALEKSYENKO")
        assert before["results"][0]["matches"][0]["entity_id"] == "gb-ofsi:16096"
        assert before["decision"] == "alert"
        clear = running.screen("SEVERNY TANKER MANAGEMENT LLC")
        assert clear["decision"] == "clear"

        args = ("--list", f"uk-fcdo={FCDO}", "--audit-db", str(audit))
        assert refresh(state, tmp_path / "r1", *args) == 0
        report: dict[str, Any] = json.loads((tmp_path / "r1" / "report.json").read_text())
        assert report["status"] == "published"
        fcdo = report["lists"]["uk-fcdo"]
        assert set(report["lists"]) == {"uk-fcdo"}  # gb-ofsi is not removed on its own
        change = fcdo["source_change"]
        assert (change["from"], change["matched_by"], change["matched"]) == (
            "gb-ofsi",
            "ofsi_group_id",
            12,
        )
        assert change["mapping"]["gb-ofsi:16096"] == ["uk-fcdo:RUS1971"]
        assert fcdo["counts"] == {
            "before": 13,
            "after": 13,
            "added": 1,
            "removed": 1,
            "changed": 2,
        }
        assert fcdo["previous"].startswith("2025-04-14+")
        markdown = (tmp_path / "r1" / "report.md").read_text()
        assert "Change of source" in markdown and "replaces the retired gb-ofsi" in markdown

        # Re-screening: the party that alerted on OFSI's entry is not a new alert on the
        # FCDO's (changed) entry of the same party; the designation made since is.
        alerts = {(a["party"]["name"], a["entity_id"]) for a in report["new_alerts"]}
        assert alerts == {("SEVERNY TANKER MANAGEMENT LLC", "uk-fcdo:RUS9001")}

        manifest = StateDir(state).current()
        assert manifest is not None
        assert [item.list_id for item in manifest.lists] == ["uk-fcdo"]
        assert running.reload()
        after = running.screen("Andrei Anatolievich ALEKSYENKO")
        assert after["results"][0]["matches"][0]["entity_id"] == "uk-fcdo:RUS1971"

        # OFSI's list cannot come back beside its successor.
        code = refresh(state, tmp_path / "r2", "--list", f"gb-ofsi={OFSI}")
        assert code == 2


def test_a_retired_list_and_its_successor_in_one_run_are_refused(tmp_path: Path) -> None:
    options = RefreshOptions(local=[("gb-ofsi", OFSI), ("uk-fcdo", FCDO)])
    with pytest.raises(RefreshConfigError, match="gb-ofsi is retired and uk-fcdo succeeds it"):
        run_refresh(EmbeddedPublisher(tmp_path), options)


def test_a_successor_much_smaller_than_its_predecessor_stops(tmp_path: Path) -> None:
    """The shrink check compares the first version of the successor with the count of
    the list it replaces: a UK list that lost most parties is not published."""
    state = tmp_path / "state"
    assert (
        report_json(
            run_refresh(EmbeddedPublisher(state), RefreshOptions(local=[("gb-ofsi", OFSI)])).report
        )["status"]
        == "published"
    )
    few = tmp_path / "few"
    few.mkdir()
    text = (FCDO / "UK-Sanctions-List.xml").read_text(encoding="utf-8")
    head, *designations = text.split("  <Designation>\n")
    kept = head + "  <Designation>\n" + designations[0]
    if not kept.rstrip().endswith("</Designations>"):
        kept = kept.rstrip() + "\n</Designations>\n"
    (few / "UK-Sanctions-List.xml").write_text(kept, encoding="utf-8")
    report = report_json(
        run_refresh(EmbeddedPublisher(state), RefreshOptions(local=[("uk-fcdo", few)])).report
    )
    assert report["status"] == "stopped"
    (failure,) = report["failures"]
    assert failure["check"] == "shrink" and failure["list_id"] == "uk-fcdo"
    manifest = StateDir(state).current()
    assert manifest is not None and [i.list_id for i in manifest.lists] == ["gb-ofsi"]
