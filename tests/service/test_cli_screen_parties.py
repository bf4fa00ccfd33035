"""`screening screen --json` answers one result per party, over the real lists: the UN and
the UK list KOMID once each, as one party; an IMO number alone finds the vessel."""

from __future__ import annotations

import json

import pytest

from service.cli import main
from tests.conftest import shared_list

pytestmark = pytest.mark.shared_lists


def screen(capsys: pytest.CaptureFixture[str], *args: str, uk: bool = True) -> dict[str, object]:
    lists = [f"un-sc={shared_list('un-sc', '2026-08-01')}"]
    if uk:
        lists.append(f"gb-ofsi={shared_list('gb-ofsi', '2025-04-14')}")
    assert main(["screen", *args, *(f"--list={item}" for item in lists), "--json"]) == 0
    out: dict[str, object] = json.loads(capsys.readouterr().out)
    return out


def test_one_result_per_party_with_every_listing(capsys: pytest.CaptureFixture[str]) -> None:
    out = screen(capsys, "Korea Mining Development Trading Corporation")
    results = out["results"]
    assert isinstance(results, list) and out["grouped"] is True
    top = results[0]
    assert top["alert"] is True
    listed = [item["entity_id"] for item in top["listings"]]
    assert listed == ["gb-ofsi:10892", "un-sc:KPe.001"]
    assert all(set(r["listings"][0]) == {"list_id", "entity_id", "name", "programs", "listed_on"}
               for r in results)  # fmt: skip
    assert sum(1 for r in results if r["party_id"] == top["party_id"]) == 1


def test_no_group_gives_each_listing(capsys: pytest.CaptureFixture[str]) -> None:
    out = screen(capsys, "Korea Mining Development Trading Corporation", "--no-group")
    results = out["results"]
    assert isinstance(results, list)
    top_two = {r["entity_id"] for r in results[:2]}
    assert top_two == {"gb-ofsi:10892", "un-sc:KPe.001"}
    assert results[0]["party_id"] == results[1]["party_id"]


def test_an_imo_number_alone_finds_the_vessel(capsys: pytest.CaptureFixture[str]) -> None:
    out = screen(capsys, "--id", "imo:9058713", uk=False)  # AVAX, on the UN list
    results = out["results"]
    assert isinstance(results, list) and len(results) == 1
    assert results[0]["entity_id"] == "un-sc:LYe.006" and results[0]["alert"] is True
    assert "IMO number 9058713" in results[0]["reason"]


def test_a_bad_identifier_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["screen", "--id", "imo:9058714", "--list", "un-sc=x"])
    assert exit_.value.code == 2
    assert "not a valid imo" in capsys.readouterr().err
