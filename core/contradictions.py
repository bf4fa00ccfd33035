"""What makes two listings two parties, whatever links them.

A link joins two listings on one piece of evidence; other facts of the same listings may
say they cannot be one party: a person and a company, a vessel and an aircraft, two
persons born on different full dates, two vessels with different IMO numbers (a ship
keeps one for life), two different UN references, OFAC entries or OFSI group IDs (each
names one party). :func:`core.links.group_parties` refuses a link that would put such a
pair in one party.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.identifiers import normalise_identifier
from core.model import DateKind, Entity, IdType, Kind
from core.references import ofac_uid, ofsi_group_id, un_reference


def full_birth_dates(entity: Entity) -> frozenset[str]:
    """Dates of birth stated to the day, without "circa" or a range."""
    return frozenset(
        d.value for d in entity.birth_dates if d.kind is DateKind.EXACT and len(d.value) == 10
    )


def imo_numbers(entity: Entity) -> frozenset[str]:
    keys = (normalise_identifier(i) for i in entity.identifiers if i.type is IdType.IMO)
    return frozenset(key for key in keys if key)


@dataclass(frozen=True, slots=True)
class ListingFacts:
    """What contradictions compare, worked out once per listing."""

    entity_id: str
    kind: Kind
    birth_dates: frozenset[str]
    imo_numbers: frozenset[str]
    un_reference: str | None
    ofac_uid: str | None
    ofsi_group_id: str | None

    @classmethod
    def of(cls, entity: Entity) -> ListingFacts:
        dates = full_birth_dates(entity) if entity.kind is Kind.PERSON else frozenset()
        return cls(
            entity.id, entity.kind, dates, imo_numbers(entity), un_reference(entity),
            ofac_uid(entity), ofsi_group_id(entity),
        )  # fmt: skip


def contradiction(x: Entity, y: Entity) -> str | None:
    """Why two listings cannot be one party, or None: a person and a non-person, a vessel
    and an aircraft, two persons born on different full dates, two vessels with different
    IMO numbers, two different UN references, OFAC entries or OFSI group IDs (each names
    one party)."""
    found = facts_contradiction(ListingFacts.of(x), ListingFacts.of(y))
    return found[1] if found else None


def facts_contradiction(x: ListingFacts, y: ListingFacts) -> tuple[str, str] | None:
    """(cause, reason) of a contradiction between two listings, or None."""
    if (x.kind is Kind.PERSON) != (y.kind is Kind.PERSON) or {x.kind, y.kind} == {
        Kind.VESSEL,
        Kind.AIRCRAFT,
    }:
        return "kind", f"{x.entity_id} is {_article(x.kind)} and {y.entity_id} {_article(y.kind)}"
    for cause, what, left, right in (
        ("birth_date", "dates of birth", x.birth_dates, y.birth_dates),
        ("imo", "IMO numbers", x.imo_numbers, y.imo_numbers),
    ):
        if left and right and not left & right:
            return cause, (
                f"different {what}: {x.entity_id} {', '.join(sorted(left))}, "
                f"{y.entity_id} {', '.join(sorted(right))}"
            )
    for cause, what, one, other in (
        ("un_reference", "UN references", x.un_reference, y.un_reference),
        ("ofac_uid", "OFAC entries", x.ofac_uid, y.ofac_uid),
    ):
        if one and other and one != other:
            return cause, f"different {what}: {x.entity_id} {one}, {y.entity_id} {other}"
    # OFSI's list and its successor name one party by one group ID; within OFSI's list the
    # group ID is the record's own id, which says no more than that it is another entry.
    one, other = x.ofsi_group_id, y.ofsi_group_id
    apart = x.entity_id.partition(":")[0] != y.entity_id.partition(":")[0]
    if one and other and one != other and apart:
        return "ofsi_group_id", (
            f"different OFSI group IDs: {x.entity_id} {one}, {y.entity_id} {other}"
        )
    return None


def _article(kind: Kind) -> str:
    return f"an {kind.value}" if kind.value[0] in "aeiou" else f"a {kind.value}"
