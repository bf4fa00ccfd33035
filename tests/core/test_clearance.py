"""The clearance rule shared by the API, the page and re-screening."""

from __future__ import annotations

from typing import Any

from core.clearance import clearing_decision

E = "un-sc:1"


def made(decision: str, at: str, fingerprint: str = "f1", trader: str | None = None) -> Any:
    return {
        "decision_id": f"{decision}-{at}",
        "decision": decision,
        "at": at,
        "entity_id": E,
        "scope": {"type": "trader", "trader": trader} if trader else {"type": "agency"},
        "listing": {"fingerprint": fingerprint},
    }


def clears(decisions: list[Any], trader: str | None = None, fingerprint: str = "f1") -> Any:
    found = clearing_decision(
        decisions, entity_id=E, listing_fingerprint=fingerprint, trader=trader
    )
    return found["decision_id"] if found else None


def test_the_latest_decision_of_a_scope_wins() -> None:
    assert clears([made("cleared", "1")]) == "cleared-1"
    assert clears([made("cleared", "1"), made("escalated", "2")]) is None
    assert clears([made("escalated", "1"), made("cleared", "2")]) == "cleared-2"
    assert clears([]) is None


def test_a_decision_on_another_listing_version_does_not_apply() -> None:
    assert clears([made("cleared", "1", "old")], fingerprint="new") is None
    assert clears([made("cleared", "1", "old"), made("cleared", "2", "new")], fingerprint="new")


def test_scopes_combine_safely() -> None:
    trader = [made("cleared", "1", trader="T1")]
    assert clears(trader) is None  # a screening without that trader
    assert clears(trader, trader="T2") is None
    assert clears(trader, trader="T1") == "cleared-1"
    confirmed = [*trader, made("confirmed", "2")]
    assert clears(confirmed, trader="T1") is None  # the agency's confirmation stands
    assert clears([made("cleared", "1"), made("confirmed", "2", trader="T1")], trader="T1") is None
