"""Listings found by an identifier the query gives, whatever their names.

A customs officer may hold only a vessel's IMO number or a company's registration number.
Both engines find the listings carrying it (the embedded index in memory, a server
index through its ``identifier_keys`` field) and answer them as hits: where the name also
matched, the name hit already carries the identifier as evidence (:func:`core.score.
secondary_evidence`); otherwise the hit's name part is empty and the identifier alone
makes it alert, with an explanation that says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from core.model import Entity
from core.parties import Party
from core.score import NameMatch, Query, explain, secondary_evidence
from core.translit import Romanisation
from engines.embedded import Hit

_NOT_COMPARED = Romanisation("", None, "as written")


def unnamed_match(entity: Entity) -> NameMatch:
    """A name part that compared nothing (the query gave no name, or none matched)."""
    return NameMatch(0.0, entity.primary_name, None, _NOT_COMPARED, _NOT_COMPARED, (), (), ())


def with_identifier_hits(
    hits: Sequence[Hit],
    found: Iterable[Entity],
    query: Query,
    *,
    threshold: float,
    limit: int,
    parties: Mapping[str, Party] | None = None,
) -> list[Hit]:
    """``hits`` plus a hit for each entity of ``found`` they lack that carries one of the
    query's identifiers (with its party from ``parties``), best first, at most ``limit``."""
    seen = {hit.entity.id for hit in hits}
    merged = list(hits)
    for entity in found:
        if entity.id in seen:
            continue
        seen.add(entity.id)
        evidence = secondary_evidence(query, entity)
        if any(item.factor == "identifier" for item in evidence):
            explanation = explain(unnamed_match(entity), evidence, threshold)
            merged.append(Hit(entity, explanation, (parties or {}).get(entity.id)))
    merged.sort(key=lambda hit: (-hit.score, hit.entity.id))
    return merged[:limit]
