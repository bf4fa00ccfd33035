"""The links report: parties, links per kind, splits, and the gaps between a list and the
lists that usually follow it, read from the observed overlap."""

from __future__ import annotations

import json

import pytest

from core.model import ParsedList
from indexer.links_report import links_report, render_text
from service.cli import main
from tests.conftest import shared_list
from tests.linked_parties import KOMID_LISTINGS, linked_lists


def test_figures_of_the_linked_lists() -> None:
    report = links_report(linked_lists())
    summary = report.summary
    assert summary.listings == 15
    assert summary.linked_parties == 4  # KOMID, the two vessels, Dhoore on the UN and UK
    assert summary.splits == {"birth_date": 1, "kind": 1}
    assert summary.links["un_reference"] == 4  # KOMID 3 pairs, Dhoore 1
    data = report.to_dict()
    komid = next(g for g in data["groups"] if g["entity_ids"] == list(KOMID_LISTINGS))
    assert {link["kind"] for link in komid["links"]} >= {"un_reference", "ofac_uid"}
    assert {s["cause"] for s in data["splits"]} == {"birth_date", "kind"}


def test_a_list_that_usually_follows_another_and_what_it_lacks() -> None:
    report = links_report(linked_lists(), share=0.6, min_parties=1)
    [gap] = [g for g in report.follows if g.followed == "un-sc"]
    # the UK lists KOMID and Dhoore (2 of the UN's 3 parties), not Ruvugayimikore (it
    # writes his reference on a company); DFAT's Dhoore was split off: DFAT lists 1 of 3
    assert (gap.follower, gap.shared_parties, gap.followed_parties) == ("gb-ofsi", 2, 3)
    assert [m.entity_ids for m in gap.missing] == [("un-sc:CDi.037",)]
    text = render_text(report)
    assert "gb-ofsi follows un-sc: 66.7% (2 of 3); 1 not on gb-ofsi" in text
    assert "un-sc:CDi.037  PROTOGENE RUVUGAYIMIKORE" in text


def test_overlap_below_the_share_or_too_few_parties_make_no_rule() -> None:
    four_in_five = links_report(linked_lists(), min_parties=1)
    assert ("un-sc", "gb-ofsi") not in {(g.followed, g.follower) for g in four_in_five.follows}
    assert links_report(linked_lists()).follows == []  # no list has 20 parties here
    assert links_report([ParsedList("x", None, [])]).follows == []


@pytest.mark.shared_lists
def test_the_command_over_the_real_un_and_uk_lists(capsys: pytest.CaptureFixture[str]) -> None:
    lists = [
        f"--list=un-sc={shared_list('un-sc', '2026-08-01')}",
        f"--list=gb-ofsi={shared_list('gb-ofsi', '2025-04-14')}",
    ]
    assert main(["links", *lists, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["links"]["un_reference"] > 800
    [gap] = data["follows"]
    assert (gap["followed"], gap["follower"]) == ("un-sc", "gb-ofsi")
    assert gap["share"] > 0.8 and gap["follower_published"] == "2025-04-14"
    assert any(g["entity_ids"] == ["gb-ofsi:10892", "un-sc:KPe.001"] for g in data["groups"])
    assert main(["links", *lists]) == 0
    text = capsys.readouterr().out
    assert "gb-ofsi follows un-sc" in text and "un_reference" in text


def test_a_bad_share_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["links", "--list", "un-sc=x", "--follow-share", "0"]) == 2
    assert "--follow-share" in capsys.readouterr().err
