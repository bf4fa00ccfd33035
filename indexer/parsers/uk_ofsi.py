"""UK OFSI Consolidated List of Financial Sanctions Targets ("ConList", 2022 format).

OFSI publishes one row per *name variation*: every alias, and every combination of a name
with a date of birth or an address, is its own row, and the rows of one target share a
``Group ID``. Screening needs one entity per target, so rows are merged by Group ID with
their names, dates, places and identifiers de-duplicated. The XLSX and CSV releases hold
the same columns under a first "Last Updated" row; both readers feed one row function.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pycountry

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
from core.scripts import detect_script
from indexer.errors import ListFormatError
from indexer.parsers._common import find_file, iter_xlsx_rows, require_nonempty, source_file
from indexer.parsers._dates import from_cell, iso_prefix, parse_date_text
from indexer.parsers._ofsi_other_info import apply_other_information
from indexer.parsers._sheet import cell_text, find_header, split_enumerated

REQUIRED_COLUMNS = ("Name 6", "Group Type", "Alias Type", "Group ID")

_KINDS = {"individual": Kind.PERSON, "entity": Kind.ORGANIZATION, "ship": Kind.VESSEL}

# OFSI's "Non-Latin Script Type" values (misspellings included) -> ISO 15924.
_SCRIPT_TYPES = {
    "cyrillic": "Cyrl",
    "cryillic": "Cyrl",
    "cyrilic": "Cyrl",
    "russian": "Cyrl",
    "arabic": "Arab",
    "persian": "Arab",
    "chinese": "Hani",
    "georgian": "Geor",
    "hebrew": "Hebr",
    "hangul": "Hang",
    "korean": "Hang",
    "thai": "Thai",
    "greek": "Grek",
    "burmese": "Mymr",
}


class _Row:
    """One data row with its columns looked up by header name; absent columns read None."""

    def __init__(self, cells: Sequence[Any], columns: dict[str, int], number: int) -> None:
        self.cells = cells
        self.columns = columns
        self.number = number

    def get(self, name: str) -> str | None:
        position = self.columns.get(name.casefold())
        if position is None or position >= len(self.cells):
            return None
        return cell_text(self.cells[position])

    def raw(self, name: str) -> Any:
        position = self.columns.get(name.casefold())
        if position is None or position >= len(self.cells):
            return None
        return self.cells[position]


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
    for offset, cells in enumerate(rows[header_index + 1 :]):
        if not any(cell_text(cell) for cell in cells):
            continue
        row = _Row(cells, columns, header_index + offset + 2)
        group_id = row.get("Group ID")
        if group_id is None:
            raise ListFormatError(path, "row without a Group ID", f"row {row.number}")
        kind = _kind(path, row)
        entity = entities.get(group_id)
        if entity is None:
            entity = Entity(id=f"{list_id}:{group_id}", list_id=list_id, kind=kind)
            entities[group_id] = entity
        _merge_row(entity, row)
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
    if group_type not in _KINDS:
        raise ListFormatError(
            path, f"unknown Group Type {row.get('Group Type')!r}", f"row {row.number}"
        )
    return _KINDS[group_type]


def _add(items: list[Any], item: Any) -> None:
    if item not in items:
        items.append(item)


def _merge_row(entity: Entity, row: _Row) -> None:
    for name in _names(row, entity.kind):
        _add(entity.names, name)
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
        _add(entity.nationalities, Country(name=country, code=country_code(country)))
    for identifier in _identifiers(row):
        _add(entity.identifiers, identifier)
    address = _address(row)
    if address:
        _add(entity.addresses, address)
    regime = row.get("Regime")
    if regime:
        _add(entity.programs, regime)
    listed = iso_prefix(row.get("Listed On") or "")
    if listed and (entity.listed_on is None or listed < entity.listed_on):
        entity.listed_on = listed
    designated = iso_prefix(row.get("UK Sanctions List Date Designated") or "")
    entity.add_property("uk_date_designated", designated)
    entity.add_property("position", row.get("Position"))
    other = row.get("Other Information")
    if other and entity.remarks is None:
        entity.remarks = other
    apply_other_information(entity, other)


def _ensure_primary(entity: Entity) -> None:
    """Some groups carry only "Primary name variation" rows (e.g. Group ID 16601 in April
    2025); the first of them, in list order, is then the name the group is listed under."""
    if any(name.role is NameRole.PRIMARY for name in entity.names):
        return
    for name in entity.names:
        if name.role is NameRole.AKA:
            name.role = NameRole.PRIMARY
            return


def _role(row: _Row) -> NameRole:
    alias_type = (row.get("Alias Type") or "").casefold()
    quality = (row.get("Alias Quality") or "").casefold()
    if alias_type == "primary name":
        return NameRole.PRIMARY
    if alias_type == "fka":
        return NameRole.FKA
    if alias_type == "aka" and quality.startswith("low"):
        return NameRole.WEAK
    return NameRole.AKA  # "AKA", "Primary name variation" and anything new


def _names(row: _Row, kind: Kind) -> list[Name]:
    """The row's Latin-column name and, when given, its non-Latin-script name.

    Name 1-5 are given and middle names and Name 6 the family name for individuals; for
    entities and ships Name 6 holds the whole name, so no name parts are claimed."""
    person = kind is Kind.PERSON
    names: list[Name] = []
    given = row.get("Name 1")
    middle_parts = [p for p in (row.get(f"Name {i}") for i in range(2, 6)) if p]
    family = row.get("Name 6")
    full = " ".join(p for p in (given, *middle_parts, family) if p)
    if full:
        names.append(
            Name(
                full=full,
                role=_role(row),
                script=detect_script(full),
                given=given if person else None,
                middle=(" ".join(middle_parts) or None) if person else None,
                family=family if person else None,
                title=row.get("Title") if person else None,
            )
        )
    original = row.get("Name Non-Latin Script")
    if original:
        script_type = (row.get("Non-Latin Script Type") or "").casefold()
        names.append(
            Name(
                full=original,
                role=NameRole.ORIGINAL_SCRIPT,
                script=detect_script(original) or _SCRIPT_TYPES.get(script_type),
                lang=_language_code(row.get("Non-Latin Script Language")),
            )
        )
    return names


def _language_code(language: str | None) -> str | None:
    """ISO 639-1 (else 639-3) code of a language OFSI names in English ("Persian/Farsi")."""
    if not language:
        return None
    for candidate in language.split("/"):
        found = pycountry.languages.get(name=candidate.strip())
        if found is not None:
            return str(getattr(found, "alpha_2", None) or found.alpha_3)
    return None


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
        place = Place(full=full, country=country or None, country_code=country_code(country))
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
        country_code=country_code(country),
    )
