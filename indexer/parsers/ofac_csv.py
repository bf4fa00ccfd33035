"""OFAC SDN list in its legacy CSV set: ``sdn.csv`` plus ``add.csv``, ``alt.csv`` and
``sdn_comments.csv`` (see ``ofac_dat_spec.txt``).

The set has no header row, writes "-0- " for an empty value, ends each file with the DOS
end-of-file byte 0x1A, and links the side files to ``sdn.csv`` by ``ent_num``. Most facts
(dates of birth, passports, weak aliases, ...) sit in the free-text Remarks; those are
read by :mod:`indexer.parsers._ofac_csv_remarks`.

**Publication date:** none of the four files carries one (no header, no date row), so
``ParsedList.published`` is always None; the date a caller knows (e.g. from the download)
must come from outside.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.model import Address, Entity, Identifier, IdType, Kind, Name, NameRole, ParsedList
from indexer.errors import ListFormatError
from indexer.parsers._common import clean as clean_value
from indexer.parsers._common import find_file, require_nonempty, source_file
from indexer.parsers._ofac_csv_remarks import (
    apply_remarks,
    cached_country_code,
    name_script,
    person_name_parts,
)
from indexer.registry import load_registry

SDN_WIDTH = 12
ADD_WIDTH = 6
ALT_WIDTH = 5
COMMENTS_WIDTH = 2

_MAIN_NAMES = ("sdn.csv",)
_ADD_NAMES = ("add.csv",)
_ALT_NAMES = ("alt.csv",)
_COMMENTS_NAMES = ("sdn_comments.csv", "sdn comments.csv")
_SIDE_NAMES = {n for names in (_ADD_NAMES, _ALT_NAMES, _COMMENTS_NAMES) for n in names}

_KINDS = {
    "individual": Kind.PERSON,
    "vessel": Kind.VESSEL,
    "aircraft": Kind.AIRCRAFT,
    None: Kind.ORGANIZATION,  # OFAC leaves SDN_Type empty ("-0-") for entities
}
_ROLE_ORDER = {
    NameRole.PRIMARY: 0,
    NameRole.ORIGINAL_SCRIPT: 1,
    NameRole.AKA: 2,
    NameRole.FKA: 3,
    NameRole.WEAK: 4,
}
_ALT_ROLES = {"aka": NameRole.AKA, "fka": NameRole.FKA, "nka": NameRole.FKA}
# Used when the list id is not in the registry (e.g. a test list id).
_DEFAULT_SOURCE_URL = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={record_id}"
_EOF_BYTE = b"\x1a"


@dataclass(frozen=True, slots=True)
class CsvSet:
    """The files of one OFAC CSV release; only ``sdn`` is required."""

    sdn: Path
    add: Path | None
    alt: Path | None
    comments: Path | None

    def paths(self) -> list[Path]:
        return [p for p in (self.sdn, self.add, self.alt, self.comments) if p is not None]


def parse_ofac_csv(path: Path, list_id: str) -> ParsedList:
    """Parse an OFAC CSV set: a folder holding ``sdn.csv`` (and optionally its side files),
    or ``sdn.csv`` itself, whose side files are then taken from the same folder."""
    files = find_csv_set(path)
    comments = _read_comments(files.comments) if files.comments else {}
    url_pattern = _source_url_pattern(list_id)
    entities: dict[str, Entity] = {}
    for line, row in read_rows(files.sdn, SDN_WIDTH):
        ent_num = _ent_num(files.sdn, line, row[0])
        if ent_num in entities:
            raise ListFormatError(files.sdn, f"ent_num {ent_num} appears twice", f"line {line}")
        entity = _entity(files.sdn, line, row, list_id, comments.get(ent_num))
        entity.source_url = url_pattern.format(record_id=ent_num)
        entities[ent_num] = entity
    if files.alt:
        _add_aliases(files.alt, entities)
    if files.add:
        _add_addresses(files.add, entities)
    for entity in entities.values():  # strong aliases before the weak ones from the remarks
        entity.names.sort(key=lambda name: _ROLE_ORDER[name.role])
    return ParsedList(
        list_id=list_id,
        published=None,  # the CSV set carries no publication date (see module docstring)
        entities=list(entities.values()),
        files=[source_file(p) for p in files.paths()],
    )


def find_csv_set(path: Path) -> CsvSet:
    """The files of the set at ``path``; a side file given directly stands for its folder."""
    if path.is_file() and path.name.lower() in _SIDE_NAMES:
        path = path.parent
    sdn = find_file(path, *_MAIN_NAMES)
    folder = sdn.parent
    return CsvSet(
        sdn=sdn,
        add=_sibling(folder, _ADD_NAMES),
        alt=_sibling(folder, _ALT_NAMES),
        comments=_sibling(folder, _COMMENTS_NAMES),
    )


def _sibling(folder: Path, names: tuple[str, ...]) -> Path | None:
    try:
        return find_file(folder, *names)
    except ListFormatError:
        return None


def read_rows(path: Path, width: int) -> Iterator[tuple[int, list[str]]]:
    """(line number, raw fields) of every record, checking the file is an OFAC CSV file.

    Raises ListFormatError naming the file and line for an empty, binary or HTML file, a
    quote that never closes, or a record with the wrong number of fields (truncation)."""
    text = _decode(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    count = 0
    try:
        for row in reader:
            if row and len(row) != width:
                raise ListFormatError(
                    path, f"expected {width} fields, found {len(row)} (truncated?)", f"line {start}"
                )
            if row:
                count += 1
                yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ListFormatError(
            path, f"broken CSV record ({exc}); a quote never closes?", f"line {start}"
        ) from exc
    if count == 0:
        raise ListFormatError(path, "file holds no records")


def _decode(path: Path) -> str:
    """The file's text without the closing 0x1A byte.

    OFAC's files are plain ASCII in every snapshot seen; UTF-8 is tried first (ASCII is
    valid UTF-8 and a UTF-8 file rarely validates by accident), then Windows-1252, the
    legacy encoding of OFAC's production system, then Latin-1, which decodes any byte."""
    require_nonempty(path)
    data = path.read_bytes()
    if data.endswith(_EOF_BYTE):
        data = data[:-1]
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise ListFormatError(path, "binary data (NUL byte), not an OFAC CSV file", f"line {line}")
    head = data.lstrip()[:1]
    if head == b"<":
        raise ListFormatError(path, "starts with '<' (HTML/XML), not an OFAC CSV file", "line 1")
    if not data.strip():
        raise ListFormatError(path, "file holds no records")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def clean(cell: str) -> str | None:
    """The shared clean(), with a shortcut for OFAC's empty marker "-0- " (most cells)."""
    if cell == "-0- " or cell == "-0-":
        return None
    return clean_value(cell)


def _ent_num(path: Path, line: int, raw: str) -> str:
    value = raw.strip()
    if not value.isdigit():
        raise ListFormatError(path, f"ent_num {raw!r} is not a number", f"line {line}")
    return value


def _entity(path: Path, line: int, row: list[str], list_id: str, more: str | None) -> Entity:
    ent_num = row[0].strip()
    sdn_type = clean(row[2])
    kind = _KINDS.get(sdn_type.lower() if sdn_type else None)
    if kind is None:
        raise ListFormatError(path, f"unknown SDN_Type {sdn_type!r}", f"line {line}")
    full = clean(row[1])
    if full is None:
        raise ListFormatError(path, "SDN_Name is empty", f"line {line}")
    entity = Entity(id=f"{list_id}:{ent_num}", list_id=list_id, kind=kind)
    entity.names.append(_name(full, NameRole.PRIMARY, kind))
    entity.programs = _programs(row[3])
    for position in (clean(row[4]) or "").split(";"):
        entity.add_property("position", position.strip())
    _add_vessel_columns(entity, row)
    remarks = _joined_remarks(row[11], more)
    if remarks:
        entity.remarks = remarks
        apply_remarks(entity, remarks, is_person=kind is Kind.PERSON)
    return entity


def _name(full: str, role: NameRole, kind: Kind) -> Name:
    family, given = person_name_parts(full) if kind is Kind.PERSON else (None, None)
    return Name(full=full, role=role, script=name_script(full), family=family, given=given)


def _programs(cell: str) -> list[str]:
    """ "SDGT] [IRAN" (OFAC strips the outer brackets of "[SDGT] [IRAN]") -> [SDGT, IRAN]."""
    text = clean(cell)
    if not text:
        return []
    programs = [p.strip(" []") for p in text.split("] [")]
    return [p for p in programs if p]


def _add_vessel_columns(entity: Entity, row: list[str]) -> None:
    call_sign = clean(row[5])
    if call_sign:
        entity.identifiers.append(Identifier(type=IdType.OTHER, value=call_sign, label="Call Sign"))
    entity.add_property("vessel_type", clean(row[6]))
    entity.add_property("tonnage", clean(row[7]))
    entity.add_property("gross_registered_tonnage", clean(row[8]))
    entity.add_property("vessel_flag", clean(row[9]))
    entity.add_property("vessel_owner", clean(row[10]))


def _joined_remarks(cell: str, more: str | None) -> str | None:
    """Remarks with the spillover from sdn_comments.csv appended.

    OFAC cuts Remarks at 1,000 characters, mid-word, and carries on in sdn_comments.csv,
    so the two are joined as they stand (no separator) before the clauses are read."""
    text = cell.strip()
    if text == "-0-":
        text = ""
    if more:
        text += more
    return clean(text)


def _read_comments(path: Path) -> dict[str, str]:
    comments: dict[str, str] = {}
    for line, row in read_rows(path, COMMENTS_WIDTH):
        ent_num = _ent_num(path, line, row[0])
        comments[ent_num] = comments.get(ent_num, "") + row[1]
    return comments


def _add_aliases(path: Path, entities: dict[str, Entity]) -> None:
    """alt.csv: strong aliases (OFAC keeps weak ones in the remarks)."""
    for line, row in read_rows(path, ALT_WIDTH):
        entity = _linked_entity(path, line, row[0], entities)
        alt_type = (clean(row[2]) or "").lower()
        role = _ALT_ROLES.get(alt_type)
        if role is None:
            raise ListFormatError(path, f"unknown alt_type {row[2]!r}", f"line {line}")
        full = clean(row[3])
        if full is None:
            raise ListFormatError(path, "alt_name is empty", f"line {line}")
        entity.names.append(_name(full, role, entity.kind))
        entity.add_property("alias_remarks", clean(row[4]))


def _add_addresses(path: Path, entities: dict[str, Entity]) -> None:
    """add.csv: one row per address. Rows whose every part is "-0-" are OFAC's placeholder
    for "no address known" (every entity gets one) and are skipped."""
    for line, row in read_rows(path, ADD_WIDTH):
        entity = _linked_entity(path, line, row[0], entities)
        street, city, country = clean(row[2]), clean(row[3]), clean(row[4])
        entity.add_property("address_remarks", clean(row[5]))
        if not (street or city or country):
            continue
        entity.addresses.append(
            Address(
                full=", ".join(p for p in (street, city, country) if p),
                street=street,
                # OFAC's one column for "city, state/province, postal code", kept whole:
                # it cannot be split reliably ("London EC3N 1DY", "Tokyo 103").
                city=city,
                country=country,
                country_code=cached_country_code(country) if country else None,
            )
        )


def _linked_entity(path: Path, line: int, raw: str, entities: dict[str, Entity]) -> Entity:
    ent_num = _ent_num(path, line, raw)
    entity = entities.get(ent_num)
    if entity is None:
        raise ListFormatError(path, f"ent_num {ent_num} is not in sdn.csv", f"line {line}")
    return entity


def _source_url_pattern(list_id: str) -> str:
    source = load_registry().get(list_id)
    if source is not None and source.source_url:
        return source.source_url
    return _DEFAULT_SOURCE_URL
