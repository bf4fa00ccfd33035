"""Which recorded decision, if any, clears a hit: the rule the API, the lookup page and the
re-screening after a refresh all apply.

Decisions are records (plain dicts, as the store keeps them) on one party (by its
fingerprint, :mod:`core.fingerprint`) and one listing. A hit is cleared when:

* in every scope that applies to the screening (the agency's, and the trader's when the
  screening names one), the *latest* decision on this party and listing that is still
  about the listing as it is now (same listing fingerprint) is ``cleared`` or absent, and
  at least one is ``cleared``. A later decision supersedes an earlier one of its scope;
  nothing is edited.
* A ``confirmed`` or ``escalated`` decision in any scope that applies keeps the hit
  alerting: a trader's clearance never hides the agency's confirmation, and the reverse.
* A decision made against another version of the listing (its names, identifiers,
  programs ... changed at a refresh) no longer applies: the hit alerts again until someone
  decides anew.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

Verdict = Literal["cleared", "confirmed", "escalated"]
VERDICTS: tuple[Verdict, ...] = ("cleared", "confirmed", "escalated")
AGENCY = "agency"


def scope_key(scope: Mapping[str, Any] | None) -> str:
    """ "agency", or "trader:<id>" for one trader's decision."""
    if scope and scope.get("trader"):
        return f"trader:{scope['trader']}"
    return AGENCY


def applicable_scopes(trader: str | None) -> tuple[str, ...]:
    return (AGENCY, f"trader:{trader}") if trader else (AGENCY,)


def latest_by_scope(
    decisions: Iterable[Mapping[str, Any]], entity_id: str
) -> dict[str, Mapping[str, Any]]:
    """The latest decision per scope on ``entity_id``; ``decisions`` are oldest first."""
    latest: dict[str, Mapping[str, Any]] = {}
    for decision in decisions:
        if decision.get("entity_id") == entity_id:
            latest[scope_key(decision.get("scope"))] = decision
    return latest


def clearing_decision(
    decisions: Iterable[Mapping[str, Any]],
    *,
    entity_id: str,
    listing_fingerprint: str,
    trader: str | None = None,
) -> Mapping[str, Any] | None:
    """The decision that clears the hit on ``entity_id`` (see the module docstring), or
    None when the hit stands. ``decisions`` are the party's, oldest first."""
    latest = latest_by_scope(decisions, entity_id)
    current = [
        latest[scope]
        for scope in applicable_scopes(trader)
        if scope in latest
        and latest[scope].get("listing", {}).get("fingerprint") == listing_fingerprint
    ]
    if any(d.get("decision") != "cleared" for d in current):
        return None
    cleared = [d for d in current if d.get("decision") == "cleared"]
    return max(cleared, key=lambda d: str(d.get("at", ""))) if cleared else None
