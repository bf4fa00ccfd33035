"""Australia DFAT Consolidated List (XLSX), in both layouts DFAT has used.

One row per name: the primary name row carries the plain reference ("123") and each
alias or original-script name its own row with a suffixed reference ("123a", "123b",
"2672a10"). Screening needs one entity per target, so rows are merged on the number
without its suffix. The old layout (regulation8_consolidated.xlsx, to 2024) and the 2025
layout (Consolidated.xlsx: adds Alias Strength, IMO Number, Instrument of Designation and
the four sanction-measure flags) are told apart by their header row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.model import (
    Address,
    Country,
    DateValue,
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
from indexer.parsers._common import find_file, iter_xlsx_rows, source_file
from indexer.parsers._dates import from_cell, iso_prefix, parse_date_text
from indexer.parsers._demonyms import nationality_code
from indexer.parsers._sheet import cell_text, find_header, split_enumerated, unique

REQUIRED_COLUMNS = ("Reference", "Name of Individual or Entity", "Type", "Name Type")
LAYOUT_2025_MARKERS = ("alias strength", "instrument of designation")

_KINDS = {"individual": Kind.PERSON, "entity": Kind.ORGANIZATION, "vessel": Kind.VESSEL}
_ROLES = {
    "primary name": NameRole.PRIMARY,
    "original script": NameRole.ORIGINAL_SCRIPT,
    "aka": NameRole.AKA,
    "alias": NameRole.AKA,
    "formerly known as": NameRole.FKA,
    "previously listed as": NameRole.FKA,
}
_MEASURES = ("Targeted Financial Sanction", "Travel Ban", "Arms Embargo", "Maritime Restriction")

_REFERENCE = re.compile(r"(\d+)([a-z]+\d*)?", re.I)
_DOB_SEPARATORS = re.compile(r"\s*(?:;|\n|>>|,|\balt(?:ernative)?\.? DOB:?)\s*", re.I)
_DOB_TOKENS = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|\b\d{4}\b")
_LISTED_ON = re.compile(
    r"(?:listed|designated)\b.*?\bon:?\s*(\d{1,2}\s*[A-Za-z]{3,9}\.?\s*\d{4})", re.I
)


def layout_of(columns: dict[str, int]) -> str:
    """ "2025" when the header carries the columns DFAT added in 2025, else "old"."""
    return "2025" if any(marker in columns for marker in LAYOUT_2025_MARKERS) else "old"


def parse_au_dfat_xlsx(path: Path, list_id: str) -> ParsedList:
    """Read the DFAT consolidated list (a file, or a folder holding it)."""
    path = find_file(path, "regulation8_consolidated.xlsx", "Consolidated.xlsx")
    rows = list(iter_xlsx_rows(path))
    header_index, columns = find_header(path, rows, REQUIRED_COLUMNS)
    layout = layout_of(columns)
    entities: dict[str, Entity] = {}
    for offset, cells in enumerate(rows[header_index + 1 :]):
        if not any(cell_text(cell) for cell in cells):
            continue
        row = _Row(cells, columns, header_index + offset + 2)
        base = _base_reference(path, row)
        kind = _kind(path, row)  # checked on every row: an unknown Type means a new format
        entity = entities.get(base)
        if entity is None:
            entity = Entity(id=f"{list_id}:{base}", list_id=list_id, kind=kind)
            entity.add_property("dfat_layout", layout)
            entities[base] = entity
        _merge_row(entity, row)
    if not entities:
        raise ListFormatError(path, "no entries below the header", f"row {header_index + 1}")
    # DFAT's workbook states no publication date: "Control Date" is per record.
    return ParsedList(
        list_id=list_id, published=None, entities=list(entities.values()), files=[source_file(path)]
    )


class _Row:
    def __init__(self, cells: Sequence[Any], columns: dict[str, int], number: int) -> None:
        self.cells = cells
        self.columns = columns
        self.number = number

    def raw(self, name: str) -> Any:
        position = self.columns.get(name.casefold())
        if position is None or position >= len(self.cells):
            return None
        return self.cells[position]

    def get(self, name: str) -> str | None:
        return cell_text(self.raw(name))


def _base_reference(path: Path, row: _Row) -> str:
    reference = row.get("Reference")
    match = _REFERENCE.fullmatch(reference or "")
    if match is None:
        raise ListFormatError(path, f"unreadable Reference {reference!r}", f"row {row.number}")
    return str(int(match[1]))


def _kind(path: Path, row: _Row) -> Kind:
    value = (row.get("Type") or "").casefold()
    if value not in _KINDS:
        raise ListFormatError(path, f"unknown Type {row.get('Type')!r}", f"row {row.number}")
    return _KINDS[value]


def _add(items: list[Any], item: Any) -> None:
    if item not in items:
        items.append(item)


def _merge_row(entity: Entity, row: _Row) -> None:
    name = _name(row)
    if name:
        _add(entity.names, name)
    for dob in birth_dates(row.raw("Date of Birth")):
        _add(entity.birth_dates, dob)
    if row.get("Date of Birth") and not birth_dates(row.raw("Date of Birth")):
        entity.add_property("birth_date_text", row.get("Date of Birth"))
    for place in _places(row.get("Place of Birth")):
        _add(entity.birth_places, place)
    for citizenship in citizenships(row.get("Citizenship")):
        _add(entity.citizenships, citizenship)
    for address in _addresses(row.get("Address")):
        _add(entity.addresses, address)
    imo = row.get("IMO Number")
    if imo:
        _add(entity.identifiers, Identifier(type=IdType.IMO, value=imo, label="IMO Number"))
    committee = row.get("Committees")
    if committee:
        _add(entity.programs, committee)
    info = row.get("Additional Information")
    if info and entity.remarks is None:
        entity.remarks = info
    listing = row.get("Listing Information")
    entity.add_property("listing_information", listing)
    listed = _listed_on(row.raw("Listing Information"))
    if listed and (entity.listed_on is None or listed < entity.listed_on):
        entity.listed_on = listed
    entity.add_property("control_date", row.get("Control Date"))
    entity.add_property("instrument_of_designation", row.get("Instrument of Designation"))
    for measure in _MEASURES:
        if row.raw(measure) is True:
            entity.add_property("measures", measure.casefold())


def _name(row: _Row) -> Name | None:
    full = row.get("Name of Individual or Entity")
    if not full:
        return None
    name_type = " ".join((row.get("Name Type") or "").casefold().split())
    role = _ROLES.get(name_type, NameRole.AKA)
    if role is NameRole.AKA and (row.get("Alias Strength") or "").casefold() == "weak":
        role = NameRole.WEAK
    return Name(full=full, role=role, script=detect_script(full))


def birth_dates(value: Any) -> list[DateValue]:
    """Every date of birth in a DFAT cell: an Excel date, a year stored as a number, or text
    such as "a) 01/02/1960; b) 1962", "Approximately 1963, 30/01/1972", "Between 1955 and
    1958" (several dates separated by ';', ',', '>>', new lines or a)/b) markers)."""
    if value is None or value == "" or isinstance(value, bool):
        return []
    if not isinstance(value, str):
        parsed = from_cell(value)
        return [parsed] if parsed else []
    found: list[DateValue] = []
    text = value.replace("\xa0", " ")
    for item in split_enumerated(cell_text(text)):
        for piece in _DOB_SEPARATORS.split(item):
            piece = piece.strip()
            if not piece or cell_text(piece) is None:
                continue
            parsed = parse_date_text(piece)
            if parsed:
                _add(found, parsed)
                continue
            for token in _DOB_TOKENS.findall(piece):  # "01/02/1960 03/04/1961"
                parsed = parse_date_text(token)
                if parsed:
                    _add(found, DateValue(value=parsed.value, text=piece))
    return found


def citizenships(text: str | None) -> list[Country]:
    """Citizenships from "a) Afghanistan b) Pakistan", "Russia;Ukraine", "Russian and
    Ukrainian"; a part is split on "and", "/" or "," only when the whole is not a country
    ("Trinidad and Tobago" stays one)."""
    out: list[Country] = []
    for item in split_enumerated(text):
        for part in item.split(";"):
            part = part.strip(" .,")
            if not part:
                continue
            pieces = [part]
            if nationality_code(part) is None:
                split = [p.strip(" .,") for p in re.split(r"\s+and\s+|\s*/\s*|\s*,\s*", part)]
                if len(split) > 1 and all(nationality_code(p) for p in split if p):
                    pieces = [p for p in split if p]
            for piece in pieces:
                _add(out, Country(name=piece, code=nationality_code(piece)))
    return out


def _country_of(text: str) -> tuple[str | None, str | None]:
    """The last comma-separated part of a place or address when it names a country."""
    last = text.rsplit(",", 1)[-1].strip(" .;")
    code = nationality_code(last)
    return (last, code) if code else (None, None)


def _places(text: str | None) -> list[Place]:
    places: list[Place] = []
    for item in split_enumerated(text):
        for part in unique(p.strip(" ;") for p in item.split(";")):
            if part:
                country, code = _country_of(part)
                _add(places, Place(full=part, country=country, country_code=code))
    return places


def _addresses(text: str | None) -> list[Address]:
    addresses: list[Address] = []
    for item in split_enumerated(text):
        country, code = _country_of(item)
        _add(addresses, Address(full=item, country=country, country_code=code))
    return addresses


def _listed_on(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        parsed = from_cell(value)
        return parsed.value if parsed else None
    match = _LISTED_ON.search(value)
    return iso_prefix(match[1]) if match else None
