"""UK OFSI Consolidated List of Financial Sanctions Targets ("ConList", 2022 format).

OFSI publishes one row per *name variation*: every alias, and every combination of a name
with a date of birth or an address, is its own row, and the rows of one target share a
``Group ID``. Screening needs one entity per target, so rows are merged by Group ID with
their names, dates, places and identifiers de-duplicated. The XLSX and CSV releases hold
the same columns under a first "Last Updated" row; both readers feed one row function.
"""

from __future__ import annotations

import csv
import functools
import io
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from core.countries import country_code
from core.model import (
    Address,
    Country,
    Entity,
    Identifier,
    IdType,
    Kind,
    Name,
    NameRole,
    ParsedList,
    Place,
)
from indexer.errors import ListFormatError
from indexer.parsers._common import find_file, iter_xlsx_rows, require_nonempty, source_file
from indexer.parsers._dates import from_cell, iso_prefix, parse_date_text
from indexer.parsers._ofsi_other_info import apply_other_information
from indexer.parsers._sheet import cell_text, find_header, split_enumerated
from indexer.parsers._uk_common import KINDS, latin_name, name_role, original_script_name

REQUIRED_COLUMNS = ("Name 6", "Group Type", "Alias Type", "Group ID")

# The columns one name is read from (see _names).
_NAME_COLUMNS = (
    "Name 1",
    "Name 2",
    "Name 3",
    "Name 4",
    "Name 5",
    "Name 6",
    "Title",
    "Name Non-Latin Script",
    "Non-Latin Script Type",
    "Non-Latin Script Language",
    "Alias Type",
    "Alias Quality",
)
# The columns holding facts about the target (everything but the name columns). OFSI
# repeats them on every name variation of a group, and a name on every row of its group
# that differs in a fact, so most rows repeat what is already merged; see _merge_row.
_FACT_COLUMNS = (
    "DOB",
    "Town of Birth",
    "Country of Birth",
    "Nationality",
    "Passport Number",
    "Passport Details",
    "National Identification Number",
    "National Identification Details",
    "Position",
    "Address 1",
    "Address 2",
    "Address 3",
    "Address 4",
    "Address 5",
    "Address 6",
    "Post/Zip Code",
    "Country",
    "Other Information",
    "Regime",
    "Listed On",
    "UK Sanctions List Date Designated",
)

# Pure functions of one text, called on the same few thousand texts tens of thousands of
# times (every name variation repeats its group's countries, dates and names); their
# results are immutable, so a per-process cache cannot leak one entity's data into another.
_country_code = functools.lru_cache(maxsize=1 << 12)(country_code)


@functools.lru_cache(maxsize=1 << 12)
def _iso_date(text: str) -> str | None:
    return iso_prefix(text)


class _Row:
    """One data row with its columns looked up by header name; absent columns read None.

    ``positions`` maps the header names this module asks for, as written here, to their
    columns (so no lookup re-normalises a name), and ``text`` is the parse's remembering
    cell converter: OFSI repeats a group's cells on every one of its rows and the same
    countries, regimes and dates across groups, so most cells are converted once per
    parse rather than once per look-up."""

    __slots__ = ("cells", "number", "positions", "text")

    def __init__(
        self,
        cells: Sequence[Any],
        positions: dict[str, int],
        number: int,
        text: Callable[[Any], str | None],
    ) -> None:
        self.cells = cells
        self.positions = positions
        self.number = number
        self.text = text

    def get(self, name: str) -> str | None:
        position = self.positions.get(name)
        if position is None or position >= len(self.cells):
            return None
        return self.text(self.cells[position])


def _cell_picker(positions: Sequence[int | None]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """A function giving a row's raw cells at ``positions`` (None where absent) as a
    hashable key; a C itemgetter when every column exists and the row is full width."""
    present = [p for p in positions if p is not None]

    def slow(cells: Sequence[Any]) -> tuple[Any, ...]:
        count = len(cells)
        return tuple(cells[p] if p is not None and p < count else None for p in positions)

    if len(present) < 2 or len(present) != len(positions):
        return slow
    getter = operator.itemgetter(*present)
    width = max(present) + 1

    def fast(cells: Sequence[Any]) -> tuple[Any, ...]:
        return getter(cells) if len(cells) >= width else slow(cells)

    return fast


def _positions(columns: dict[str, int]) -> dict[str, int]:
    """Column positions keyed by the header names as this module writes them."""
    names = (*_NAME_COLUMNS, *_FACT_COLUMNS, "Group ID", "Group Type")
    return {name: columns[name.casefold()] for name in names if name.casefold() in columns}


def parse_uk_ofsi_xlsx(path: Path, list_id: str) -> ParsedList:
    """Read ConList.xlsx (a file, or a folder holding it)."""
    path = find_file(path, "ConList.xlsx")
    rows = list(iter_xlsx_rows(path))
    return _parse_rows(path, rows, list_id)


def parse_uk_ofsi_csv(path: Path, list_id: str) -> ParsedList:
    """Read ConList.csv (a file, or a folder holding it); UTF-8, with or without a BOM."""
    path = find_file(path, "ConList.csv")
    require_nonempty(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ListFormatError(path, f"not UTF-8 text: {exc.reason}", f"line {line}") from exc
    if "\x00" in text:
        raise ListFormatError(path, "binary content in a CSV file", "start")
    try:
        rows: list[list[Any]] = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ListFormatError(path, f"broken CSV: {exc}") from exc
    return _parse_rows(path, rows, list_id)


def _parse_rows(path: Path, rows: Sequence[Sequence[Any]], list_id: str) -> ParsedList:
    """The one row-to-entity pass both readers share."""
    header_index, columns = find_header(path, rows, REQUIRED_COLUMNS)
    published = _published(rows[:header_index])
    entities: dict[str, Entity] = {}
    memos: dict[str, _GroupMemo] = {}
    positions = _positions(columns)
    name_cells = _cell_picker([positions.get(name) for name in _NAME_COLUMNS])
    fact_cells = _cell_picker([positions.get(name) for name in _FACT_COLUMNS])
    # typed: 1, 1.0 and True are equal as keys but not as cells ("1", "1", "true").
    text = functools.lru_cache(maxsize=None, typed=True)(cell_text)
    for offset, cells in enumerate(rows[header_index + 1 :]):
        if not any(text(cell) for cell in cells):
            continue
        row = _Row(cells, positions, header_index + offset + 2, text)
        group_id = row.get("Group ID")
        if group_id is None:
            raise ListFormatError(path, "row without a Group ID", f"row {row.number}")
        kind = _kind(path, row)
        entity = entities.get(group_id)
        if entity is None:
            entity = Entity(id=f"{list_id}:{group_id}", list_id=list_id, kind=kind)
            entities[group_id] = entity
        memo = memos.get(group_id)
        if memo is None:
            memo = memos[group_id] = _GroupMemo()
        _merge_row(entity, row, memo, name_cells(cells), fact_cells(cells))
    if not entities:
        raise ListFormatError(path, "no entries below the header", f"row {header_index + 1}")
    for entity in entities.values():
        _ensure_primary(entity)
    return ParsedList(
        list_id=list_id,
        published=published,
        entities=list(entities.values()),
        files=[source_file(path)],
    )


def _published(rows: Sequence[Sequence[Any]]) -> date | None:
    """The date beside "Last Updated" above the header, if there is one."""
    for cells in rows:
        texts = [cell_text(cell) for cell in cells]
        if texts and texts[0] and texts[0].casefold() == "last updated":
            for value in cells[1:]:
                parsed = from_cell(value)
                if parsed and len(parsed.value) == 10:
                    return date.fromisoformat(parsed.value)
    return None


def _kind(path: Path, row: _Row) -> Kind:
    group_type = (row.get("Group Type") or "").casefold()
    if group_type not in KINDS:
        raise ListFormatError(
            path, f"unknown Group Type {row.get('Group Type')!r}", f"row {row.number}"
        )
    return KINDS[group_type]


def _add(items: list[Any], item: Any) -> None:
    if item not in items:
        items.append(item)


@dataclass(slots=True)
class _GroupMemo:
    """What one group's rows have already contributed, keyed by their raw cells."""

    names: set[tuple[Any, ...]] = field(default_factory=set)
    # fact cells -> the gender their Other Information states
    facts: dict[tuple[Any, ...], str | None] = field(default_factory=dict)


def _merge_row(
    entity: Entity,
    row: _Row,
    memo: _GroupMemo,
    name_cells: tuple[Any, ...],
    fact_cells: tuple[Any, ...],
) -> None:
    """Merge one row into its group's entity.

    Names and facts are merged as first-seen-order unions (or a minimum, or a first
    value), so name cells or fact cells equal to an earlier row's of the same group add
    nothing and are skipped: two rows in three of the real list repeat their facts. The
    one last-wins fact, the gender in Other Information, is re-applied from the memo so
    the result is exactly that of merging every row in full."""
    if name_cells not in memo.names:
        memo.names.add(name_cells)
        for name in _names(row, entity.kind):
            _add(entity.names, name)
    if fact_cells in memo.facts:
        entity.gender = memo.facts[fact_cells] or entity.gender
        return
    memo.facts[fact_cells] = _merge_facts(entity, row)


def _merge_facts(entity: Entity, row: _Row) -> str | None:
    """Merge the row's facts; return the gender its Other Information states, if any."""
    dob = row.get("DOB")
    if dob:
        parsed = parse_date_text(dob)
        if parsed:
            _add(entity.birth_dates, parsed)
        else:
            entity.add_property("birth_date_text", dob)
    for place in _birth_places(row):
        _add(entity.birth_places, place)
    for nationality in split_enumerated(row.get("Nationality")):
        country = nationality.rstrip(".")
        _add(entity.nationalities, Country(name=country, code=_country_code(country)))
    for identifier in _identifiers(row):
        _add(entity.identifiers, identifier)
    address = _address(row)
    if address:
        _add(entity.addresses, address)
    regime = row.get("Regime")
    if regime:
        _add(entity.programs, regime)
    listed = _iso_date(row.get("Listed On") or "")
    if listed and (entity.listed_on is None or listed < entity.listed_on):
        entity.listed_on = listed
    designated = _iso_date(row.get("UK Sanctions List Date Designated") or "")
    entity.add_property("uk_date_designated", designated)
    entity.add_property("position", row.get("Position"))
    other = row.get("Other Information")
    if other and entity.remarks is None:
        entity.remarks = other
    return apply_other_information(entity, other)


def _ensure_primary(entity: Entity) -> None:
    """Some groups carry only "Primary name variation" rows (e.g. Group ID 16601 in April
    2025); the first of them, in list order, is then the name the group is listed under."""
    if any(name.role is NameRole.PRIMARY for name in entity.names):
        return
    for name in entity.names:
        if name.role is NameRole.AKA:
            name.role = NameRole.PRIMARY
            return


def _names(row: _Row, kind: Kind) -> list[Name]:
    """The row's Latin-column name and, when given, its non-Latin-script name
    (:mod:`indexer.parsers._uk_common`, shared with the FCDO's list)."""
    names: list[Name] = []
    role = name_role(row.get("Alias Type"), row.get("Alias Quality"))
    parts = [row.get(f"Name {i}") for i in range(1, 7)]
    latin = latin_name(parts, role, kind, row.get("Title"))
    if latin is not None:
        names.append(latin)
    original = row.get("Name Non-Latin Script")
    if original:
        names.append(
            original_script_name(
                original, row.get("Non-Latin Script Type"), row.get("Non-Latin Script Language")
            )
        )
    return names


def _birth_places(row: _Row) -> list[Place]:
    towns = split_enumerated(row.get("Town of Birth"))
    countries = [c.rstrip(".") for c in split_enumerated(row.get("Country of Birth"))]
    if towns and len(towns) == len(countries):
        pairs = list(zip(towns, countries, strict=True))
    elif towns and len(set(countries)) == 1:
        pairs = [(town, countries[0]) for town in towns]
    else:
        pairs = [(town, "") for town in towns] + [("", c) for c in countries]
    places: list[Place] = []
    for town, country in pairs:
        full = ", ".join(p for p in (town, country) if p)
        place = Place(full=full, country=country or None, country_code=_country_code(country))
        if place not in places:
            places.append(place)
    return places


def _identifiers(row: _Row) -> list[Identifier]:
    found: list[Identifier] = []
    for number_col, details_col, id_type in (
        ("Passport Number", "Passport Details", IdType.PASSPORT),
        ("National Identification Number", "National Identification Details", IdType.NATIONAL_ID),
    ):
        numbers = split_enumerated(row.get(number_col))
        details = split_enumerated(row.get(details_col))
        for index, number in enumerate(numbers):
            if len(details) == len(numbers):
                note: str | None = details[index]
            else:
                note = row.get(details_col)
            found.append(Identifier(type=id_type, value=number, label=number_col, note=note))
    return found


def _address(row: _Row) -> Address | None:
    lines = [p for p in (row.get(f"Address {i}") for i in range(1, 7)) if p]
    postal = row.get("Post/Zip Code")
    country = row.get("Country")
    if not lines and not postal and not country:
        return None
    city = row.get("Address 6")
    street_lines = [p for p in (row.get(f"Address {i}") for i in range(1, 6)) if p]
    return Address(
        full=", ".join([*lines, *(p for p in (postal, country) if p)]),
        street=", ".join(street_lines) or None,
        city=city,
        postal_code=postal,
        country=country,
        country_code=_country_code(country),
    )
