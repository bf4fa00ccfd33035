"""What a query says beyond the name, and what it does to the score.

Date of birth, country and kind move the score a little; a number the list states (IMO,
passport, registration...) equal to one the query gives decides on its own. Facts a side
does not state say nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from core.countries import country_code
from core.identifiers import shared_identifier
from core.model import DateKind, DateValue, Entity, Kind
from core.score_params import SCORE_PARAMS


@dataclass(frozen=True, slots=True)
class Query:
    """What a screening request says about whom it looks for."""

    name: str
    kind: Kind | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, or a name country_code() knows
    birth_date: str | None = None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    # Identifiers the party carries, as keys (core.identifiers.identifier_keys).
    identifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Evidence:
    factor: str  # birth_date | country | kind | identifier
    effect: float  # added to the name score
    detail: str


BIRTH_DATE_EXACT: Final = SCORE_PARAMS.birth_date_exact
BIRTH_YEAR_MATCH: Final = SCORE_PARAMS.birth_year_match
BIRTH_DATE_CONFLICT: Final = SCORE_PARAMS.birth_date_conflict
COUNTRY_MATCH: Final = SCORE_PARAMS.country_match
COUNTRY_CONFLICT: Final = SCORE_PARAMS.country_conflict
KIND_CONFLICT: Final = SCORE_PARAMS.kind_conflict
# A number the list states (IMO, passport, registration...) equal to one the query gives:
# the listing is the party asked about whatever its name, so it alerts on its own.
IDENTIFIER_MATCH: Final = SCORE_PARAMS.identifier_match


def _year_span(date: DateValue) -> tuple[int, int] | None:
    try:
        start = int(date.value[:4])
        end = int(date.end[:4]) if date.end else start
    except ValueError:
        return None
    slack = 2 if date.kind is DateKind.CIRCA else 0
    return start - slack, end + slack


def _birth_date_evidence(query_date: str, entity: Entity) -> Evidence | None:
    if not entity.birth_dates:
        return None
    try:
        year = int(query_date[:4])
    except ValueError:
        return None
    for listed in entity.birth_dates:
        if len(query_date) >= 10 and listed.value == query_date[:10]:
            return Evidence("birth_date", BIRTH_DATE_EXACT, f"born {listed.value}, as listed")
    for listed in entity.birth_dates:
        span = _year_span(listed)
        months_differ = (
            len(query_date) >= 7 and len(listed.value) >= 7 and query_date[:7] != listed.value[:7]
        )
        if span and span[0] <= year <= span[1] and not months_differ:
            text = listed.text or listed.value
            return Evidence("birth_date", BIRTH_YEAR_MATCH, f"birth year fits listed {text}")
    listed_text = ", ".join(d.text or d.value for d in entity.birth_dates)
    return Evidence("birth_date", BIRTH_DATE_CONFLICT, f"born {query_date}; listed {listed_text}")


def entity_countries(entity: Entity) -> set[str]:
    codes = {c.code for c in entity.nationalities + entity.citizenships if c.code}
    codes |= {a.country_code for a in entity.addresses if a.country_code}
    codes |= {p.country_code for p in entity.birth_places if p.country_code}
    return codes


def secondary_evidence(query: Query, entity: Entity) -> list[Evidence]:
    """What date of birth, country, kind and identifiers say beyond the name; absent
    facts say nothing."""
    found: list[Evidence] = []
    if query.birth_date:
        evidence = _birth_date_evidence(query.birth_date, entity)
        if evidence:
            found.append(evidence)
    code = country_code(query.country) if query.country else None
    if code:
        listed = entity_countries(entity)
        if code in listed:
            found.append(Evidence("country", COUNTRY_MATCH, f"{code} is a listed country"))
        elif listed:
            text = ", ".join(sorted(listed))
            found.append(Evidence("country", COUNTRY_CONFLICT, f"{code} not among {text}"))
    if query.kind and query.kind is not entity.kind:
        detail = f"looked for a {query.kind.value}, listed as a {entity.kind.value}"
        found.append(Evidence("kind", KIND_CONFLICT, detail))
    shared = shared_identifier(query.identifiers, entity) if query.identifiers else None
    if shared:
        found.append(Evidence("identifier", IDENTIFIER_MATCH, f"{shared}, as listed"))
    return found
