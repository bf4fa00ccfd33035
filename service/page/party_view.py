"""The party page's content: every listing of one party side by side, where lists differ.

An officer clearing an alert on a party listed by the UN, the UK and Australia wants to
see, in one table, what each list says: the names in every script as each list writes
them, and the facts where the lists disagree (another date of birth, a nationality one
list lacks, a different address country, other programs). A fact differs when two
listings state it and their values differ after normalising (dates by their ISO value,
countries by code, identifiers by their comparable key); a listing that does not state
it is "not stated", not a difference. Pure functions over the entity model and the
registry, so the rules are tested without a browser.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.identifiers import identifier_keys
from core.model import Entity
from core.parties import Party
from engines.base import IndexInfo
from indexer.registry import load_registry
from service.page.views import KIND_LABELS, NameGroup, address_text, date_text, name_groups


@dataclass(frozen=True, slots=True)
class ListingColumn:
    entity: Entity
    list_title: str
    publisher: str
    version: str | None
    source_url: str | None  # the official page of this listing (or of the list)


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
    text: str


@dataclass(frozen=True, slots=True)
class PartyView:
    party_id: str
    title: str
    kind_label: str
    columns: tuple[ListingColumn, ...]
    names: tuple[tuple[NameGroup, ...], ...]  # per listing
    rows: tuple[FactRow, ...]
    evidence: tuple[Evidence, ...]
    apart: tuple[str, ...]  # why listings that links named were kept out

    @property
    def lists(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(column.entity.list_id for column in self.columns))


# (label, what is shown, what is compared): compared values that differ mark the cell.
Fact = tuple[str, Callable[[Entity], list[str]], Callable[[Entity], set[str]]]


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
        "Date of birth",
        lambda e: [date_text(d) for d in e.birth_dates],
        lambda e: {d.value for d in e.birth_dates},
    ),
    (
        "Place of birth",
        lambda e: [p.full for p in e.birth_places],
        lambda e: {p.country_code or p.full.casefold() for p in e.birth_places},
    ),
    (
        "Nationality",
        lambda e: _country_names(e, "nationalities"),
        lambda e: _countries(e, "nationalities"),
    ),
    (
        "Citizenship",
        lambda e: _country_names(e, "citizenships"),
        lambda e: _countries(e, "citizenships"),
    ),
    (
        "Address",
        lambda e: [address_text(a) for a in e.addresses],
        lambda e: {a.country_code or (a.country or "").casefold() for a in e.addresses},
    ),
    (
        "Gender",
        lambda e: [e.gender] if e.gender else [],
        lambda e: {e.gender} if e.gender else set(),
    ),
    ("Identifiers", _identifiers_shown, _identifier_keys),
    ("Programs", lambda e: list(e.programs), lambda e: {p.casefold() for p in e.programs}),
    (
        "Listed on",
        lambda e: [e.listed_on] if e.listed_on else [],
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


def source_url(entity: Entity) -> str | None:
    """The listing's official page: the list's own link for the entry where it gives
    one, else the registry's (with the record id filled in), else the list's home page."""
    if entity.source_url:
        return entity.source_url
    source = load_registry().get(entity.list_id)
    if source is None:
        return None
    if source.source_url:
        return source.source_url.replace("{record_id}", entity.record_id)
    return source.homepage


def party_view(party: Party, entities: Sequence[Entity], info: IndexInfo | None) -> PartyView:
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
                source_url=source_url(entity),
            )
        )
    rows = tuple(
        fact_row(label, [show(e) for e in entities], [compare(e) for e in entities])
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
        evidence=tuple(Evidence(link.a, link.b, link.evidence) for link in party.links),
        apart=tuple(split.reason for split in party.splits),
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
