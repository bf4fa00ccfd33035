"""The party page's content: every listing of one party side by side, where lists differ.

An officer clearing an alert on a party listed by the UN, the UK and Australia wants to
see, in one table, what each list says: the names in every script as each list writes
them, and the facts where the lists disagree (another date of birth, a nationality one
list lacks, a different address country, other programs). A fact differs when two
listings state it and their values differ after normalising (dates by their ISO value,
countries by code, identifiers by their comparable key); a listing that does not state
it is "not stated", not a difference. Pure functions over the entity model and the
registry, so the rules are tested without a browser.

Labels are catalogue messages (``N_``, translated by the template); the evidence of a link
and the reason of a split are the records' own English text (as the API and ``screening
links`` give them), shown under a translated heading of their kind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.identifiers import identifier_keys
from core.model import Entity
from core.parties import Party
from engines.base import IndexInfo
from indexer.registry import load_registry
from service.i18n import ENGLISH, Messages
from service.outcomes import N_
from service.page.views import (
    KIND_LABELS,
    NameGroup,
    SourceLink,
    address_text,
    date_text,
    name_groups,
    source_link,
)

# What each kind of link evidence is (core.links.STRENGTH names them), for the page.
LINK_KINDS = {
    "un_reference": N_("The same UN reference number"),
    "ofac_uid": N_("The same OFAC entry number"),
    "ofsi_group_id": N_("The same OFSI group ID"),
    "imo": N_("The same IMO number"),
    "swift_bic": N_("The same SWIFT/BIC code"),
    "passport": N_("The same passport number"),
    "national_id": N_("The same national identity number"),
    "registration": N_("The same registration number"),
    "tax_id": N_("The same tax number"),
    "aircraft_serial": N_("The same aircraft serial number"),
    "mmsi": N_("The same MMSI"),
    "aircraft_tail": N_("The same aircraft tail number"),
    "name_birth_nationality": N_("The same name, date of birth and nationality"),
    "name_birth": N_("The same name and date of birth"),
    "name_birth_year": N_("The same name and years of birth"),
    "name_country": N_("The same name in the same country"),
    "name": N_("The same name, the only entry so named on each list"),
}
# What kept listings apart (core.contradictions and core.links name the causes).
SPLIT_CAUSES = {
    "kind": N_("One is a person, the other is not (or a vessel and an aircraft)"),
    "birth_date": N_("Different dates of birth"),
    "imo": N_("Different IMO numbers"),
    "un_reference": N_("Different UN reference numbers"),
    "ofac_uid": N_("Different OFAC entries"),
    "ofsi_group_id": N_("Different OFSI group IDs"),
    "same_list": N_("One list names them as two entries"),
}


@dataclass(frozen=True, slots=True)
class ListingColumn:
    entity: Entity
    list_title: str
    publisher: str
    version: str | None
    source: SourceLink | None  # the official page of this listing (or of the list)


@dataclass(frozen=True, slots=True)
class FactCell:
    values: tuple[str, ...]  # as the list states them; empty: not stated
    differs: bool  # stated, and unlike what another listing states


@dataclass(frozen=True, slots=True)
class FactRow:
    label: str
    cells: tuple[FactCell, ...]  # one per listing, in the columns' order

    @property
    def differs(self) -> bool:
        return any(cell.differs for cell in self.cells)


@dataclass(frozen=True, slots=True)
class Evidence:
    a: str
    b: str
    kind: str  # a catalogue message: what kind of evidence
    text: str  # the link's own evidence, in English as the API gives it


@dataclass(frozen=True, slots=True)
class Apart:
    cause: str  # a catalogue message: what disagreed
    reason: str  # the split's own reason, in English as the API gives it


@dataclass(frozen=True, slots=True)
class PartyView:
    party_id: str
    title: str
    kind_label: str
    columns: tuple[ListingColumn, ...]
    names: tuple[tuple[NameGroup, ...], ...]  # per listing
    rows: tuple[FactRow, ...]
    evidence: tuple[Evidence, ...]
    apart: tuple[Apart, ...]  # why listings that links named were kept out

    @property
    def lists(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(column.entity.list_id for column in self.columns))


# (label, what is shown in the officer's language, what is compared): compared values
# that differ mark the cell.
Fact = tuple[str, Callable[[Entity, Messages], list[str]], Callable[[Entity], set[str]]]


def _countries(entity: Entity, field: str) -> set[str]:
    return {c.code or c.name.casefold() for c in getattr(entity, field)}


def _country_names(entity: Entity, field: str) -> list[str]:
    return [f"{c.name} ({c.code})" if c.code else c.name for c in getattr(entity, field)]


def _identifiers_shown(entity: Entity) -> list[str]:
    shown = []
    for item in entity.identifiers:
        label = item.label or item.type.value.replace("_", " ")
        where = (
            f" ({item.country or item.country_code})" if item.country or item.country_code else ""
        )
        shown.append(f"{label}: {item.value}{where}")
    return shown


def _identifier_keys(entity: Entity) -> set[str]:
    return {key for item in entity.identifiers for key in identifier_keys(item)}


FACTS: tuple[Fact, ...] = (
    (
        N_("Date of birth"),
        lambda e, t: [date_text(d, t) for d in e.birth_dates],
        lambda e: {d.value for d in e.birth_dates},
    ),
    (
        N_("Place of birth"),
        lambda e, t: [p.full for p in e.birth_places],
        lambda e: {p.country_code or p.full.casefold() for p in e.birth_places},
    ),
    (
        N_("Nationality"),
        lambda e, t: _country_names(e, "nationalities"),
        lambda e: _countries(e, "nationalities"),
    ),
    (
        N_("Citizenship"),
        lambda e, t: _country_names(e, "citizenships"),
        lambda e: _countries(e, "citizenships"),
    ),
    (
        N_("Address"),
        lambda e, t: [address_text(a) for a in e.addresses],
        lambda e: {a.country_code or (a.country or "").casefold() for a in e.addresses},
    ),
    (
        N_("Gender"),
        lambda e, t: [e.gender] if e.gender else [],
        lambda e: {e.gender} if e.gender else set(),
    ),
    (N_("Identifiers"), lambda e, t: _identifiers_shown(e), _identifier_keys),
    (
        N_("Programs"),
        lambda e, t: list(e.programs),
        lambda e: {p.casefold() for p in e.programs},
    ),
    (
        N_("Listed on"),
        lambda e, t: [e.listed_on] if e.listed_on else [],
        lambda e: {e.listed_on} if e.listed_on else set(),
    ),
)


def fact_row(label: str, shown: Sequence[list[str]], compared: Sequence[set[str]]) -> FactRow:
    """A row of one fact. Where listings state it differently, the odd ones out are
    marked: those unlike what most listings state (every stated one when no value is
    shared by two listings)."""
    counts: dict[frozenset[str], int] = {}
    for stated in compared:
        if stated:
            counts[frozenset(stated)] = counts.get(frozenset(stated), 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    usual: frozenset[str] | None = None
    if len(counts) > 1 and ranked[0] > 1 and (len(ranked) == 1 or ranked[0] > ranked[1]):
        usual = max(counts, key=lambda value_set: counts[value_set])
    cells = []
    for values, mine in zip(shown, compared, strict=True):
        differs = bool(mine) and len(counts) > 1 and (usual is None or frozenset(mine) != usual)
        cells.append(FactCell(tuple(values), differs))
    return FactRow(label, tuple(cells))


def party_view(
    party: Party,
    entities: Sequence[Entity],
    info: IndexInfo | None,
    messages: Messages = ENGLISH,
) -> PartyView:
    registry = load_registry()
    columns = []
    for entity in entities:
        listed = info.list(entity.list_id) if info else None
        source = registry.get(entity.list_id)
        columns.append(
            ListingColumn(
                entity=entity,
                list_title=listed.title if listed else (source.title if source else entity.list_id),
                publisher=listed.publisher if listed else (source.publisher if source else ""),
                version=listed.version if listed else None,
                source=source_link(entity, listed),
            )
        )
    rows = tuple(
        fact_row(label, [show(e, messages) for e in entities], [compare(e) for e in entities])
        for label, show, compare in FACTS
    )
    kinds = {entity.kind.value for entity in entities}
    kind = kinds.pop() if len(kinds) == 1 else "organization"
    return PartyView(
        party_id=party.id,
        title=_title(entities),
        kind_label=KIND_LABELS.get(kind, kind),
        columns=tuple(columns),
        names=tuple(tuple(name_groups(entity.names)) for entity in entities),
        rows=tuple(row for row in rows if any(cell.values for cell in row.cells)),
        evidence=tuple(
            Evidence(link.a, link.b, LINK_KINDS.get(link.kind, link.kind), link.evidence)
            for link in party.links
        ),
        apart=tuple(
            Apart(
                SPLIT_CAUSES.get(split.cause, N_("The evidence contradicts itself")), split.reason
            )
            for split in party.splits
        ),
    )


def _title(entities: Sequence[Entity]) -> str:
    """The primary name most lists give (the first list's on a tie)."""
    counts: dict[str, int] = {}
    for entity in entities:
        key = " ".join(entity.primary_name.casefold().split())
        counts[key] = counts.get(key, 0) + 1
    best = max(counts.values(), default=0)
    for entity in entities:
        if counts[" ".join(entity.primary_name.casefold().split())] == best:
            return entity.primary_name
    return ""
