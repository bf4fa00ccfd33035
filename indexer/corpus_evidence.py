"""Whether the lists say that two parties the links kept apart are really two parties.

A hard negative of the corpus claims "these two names belong to different parties". Two
listings the links did not join are not shown to be two parties: many are one party
whose listings share no UN reference, identifier or birth data ('SBERBANK ROSSII' and
'JSC SBERBANK OF RUSSIA'), and a false-alert rate measured on those counts label noise.
So a negative is kept only where the lists give evidence that its two sides differ:

- ``same_list``: both parties have an entry on one list, as separate entries (a list does
  not list one party twice; had the links joined them they would be one party);
- a contradiction the links themselves refuse a join on (:mod:`core.contradictions`):
  different entity kinds, full dates of birth, IMO numbers, UN references, OFAC entries
  or OFSI group IDs;
- ``identifier``: both give strong identifiers of one type (passport, national id,
  registration or tax number, SWIFT/BIC, MMSI, aircraft numbers, as
  :mod:`core.identifiers` compares them), issued by one country or with no country
  given, and no number of that type is shared;
- ``nationality``: two persons whose nationalities and citizenships are both given and
  have none in common.

Anything else is ``unknown`` and dropped. The evidence is read over every listing of each
party, as the links read it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from core.contradictions import ListingFacts, facts_contradiction
from core.identifiers import entity_keys, family, split_key
from core.model import Entity, Kind

# The causes a negative is kept for, in the order they are looked for.
EVIDENCE = (
    "same_list",
    "kind",
    "birth_date",
    "imo",
    "un_reference",
    "ofac_uid",
    "ofsi_group_id",
    "identifier",
    "nationality",
)
UNKNOWN = "unknown"


def _keys_by_family(entities: Sequence[Entity]) -> dict[str, set[tuple[str, str]]]:
    """(country, value) of every strong identifier of the listings, per identifier family."""
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for entity in entities:
        for key in entity_keys(entity):
            kind, country, value = split_key(key)
            out[family(kind)].add((country, value))
    return out


def _identifiers_differ(left: Sequence[Entity], right: Sequence[Entity]) -> bool:
    """Some family of identifiers both sides give, issued by no two different countries,
    with no number in common."""
    ours, theirs = _keys_by_family(left), _keys_by_family(right)
    for kind in sorted(ours.keys() & theirs.keys()):
        values_ours = {value for _country, value in ours[kind]}
        values_theirs = {value for _country, value in theirs[kind]}
        if values_ours & values_theirs:
            continue
        if any(not a or not b or a == b for a, _v in ours[kind] for b, _w in theirs[kind]):
            return True
    return False


def _nationalities(entities: Sequence[Entity]) -> frozenset[str]:
    return frozenset(
        country.code.upper()
        for entity in entities
        for country in (*entity.nationalities, *entity.citizenships)
        if country.code
    )


def different_parties(left: Sequence[Entity], right: Sequence[Entity]) -> str:
    """The first cause of :data:`EVIDENCE` by which the listings ``left`` (one party) and
    ``right`` (another) are two parties, or :data:`UNKNOWN`."""
    if {e.list_id for e in left} & {e.list_id for e in right}:
        return "same_list"
    facts_left = [ListingFacts.of(e) for e in left]
    facts_right = [ListingFacts.of(e) for e in right]
    causes = {
        found[0]
        for x in facts_left
        for y in facts_right
        if (found := facts_contradiction(x, y)) is not None
    }
    for cause in EVIDENCE:
        if cause in causes:
            return cause
    if _identifiers_differ(left, right):
        return "identifier"
    persons = all(e.kind is Kind.PERSON for e in (*left, *right))
    if persons:
        ours, theirs = _nationalities(left), _nationalities(right)
        if ours and theirs and not ours & theirs:
            return "nationality"
    return UNKNOWN
