"""Japan METI End User List (XLSX): foreign organisations of WMD-proliferation concern.

Export control, not financial sanctions: METI lists organisations whose end use it
suspects, with the type of concern (biological, chemical, missile, nuclear) that decides
which exports need a licence, so that type is kept in ``properties["wmd_concern"]``.
Headers are bilingual ("別名\\nAlso Known As"); the country cell is "イラン\\nIslamic
Republic of Iran"; the alias cell lists one name per line behind "・", with the Japanese
or Chinese rendering of a name on its own line in brackets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.countries import country_code
from core.model import Address, Entity, Kind, Name, NameRole, ParsedList
from core.scripts import detect_script
from indexer.errors import ListFormatError
from indexer.parsers._common import find_file, iter_xlsx_rows, source_file
from indexer.parsers._sheet import cell_text, find_header

REQUIRED_COLUMNS = ("No.", "Country or Region", "Company or Organization", "Also Known As")
WMD_COLUMN = "Type of WMD"
CONVENTIONAL_COLUMN = "Conventional Weapons"

_WMD_LETTERS = {"B": "biological", "C": "chemical", "M": "missile", "N": "nuclear"}
_WMD_WORDS = {"生物": "biological", "化学": "chemical", "ミサイル": "missile", "核": "nuclear"}
_BRACKETED = re.compile(r"^\((.+)\)$")
_LONG_FORM_PREFIX = re.compile(r"^(?:the\s+)?(?:republic|state|kingdom)\s+of\s+", re.I)


def parse_jp_meti_eul_xlsx(path: Path, list_id: str) -> ParsedList:
    """Read the End User List workbook (a file, or a folder holding end_user_list.xlsx)."""
    path = find_file(path, "end_user_list.xlsx")
    rows = list(iter_xlsx_rows(path))
    header_index, columns = find_header(path, rows, REQUIRED_COLUMNS)
    entities: list[Entity] = []
    seen: set[str] = set()
    for offset, cells in enumerate(rows[header_index + 1 :]):
        if not any(cell_text(cell) for cell in cells):
            continue
        number = header_index + offset + 2
        entity = _entity(path, cells, columns, number, list_id)
        if entity.id in seen:
            raise ListFormatError(path, f"duplicate No. {entity.record_id}", f"row {number}")
        seen.add(entity.id)
        entities.append(entity)
    if not entities:
        raise ListFormatError(path, "no entries below the header", f"row {header_index + 1}")
    # The workbook states no revision date in its cells; METI gives it only in the file
    # name and on the web page, so ``published`` is None.
    return ParsedList(list_id=list_id, published=None, entities=entities, files=[source_file(path)])


def _cell(cells: Sequence[Any], columns: dict[str, int], name: str) -> Any:
    position = columns.get(name.casefold())
    if position is None or position >= len(cells):
        return None
    return cells[position]


def _text(cells: Sequence[Any], columns: dict[str, int], name: str) -> str | None:
    """Cell text with line breaks kept (they separate names and languages here)."""
    value = _cell(cells, columns, name)
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).replace("\r", "")
    return text if text.strip() else None


def _entity(
    path: Path, cells: Sequence[Any], columns: dict[str, int], number: int, list_id: str
) -> Entity:
    record = cell_text(_cell(cells, columns, "No."))
    if record is None or not record.isdigit():
        raise ListFormatError(path, f"entry without a number in No. ({record!r})", f"row {number}")
    primary_cell = _text(cells, columns, "Company or Organization")
    if primary_cell is None:
        raise ListFormatError(path, "entry without a name", f"row {number}, column C")
    entity = Entity(id=f"{list_id}:{record}", list_id=list_id, kind=Kind.ORGANIZATION)
    for name in names_from_cell(primary_cell, primary=True) + names_from_cell(
        _text(cells, columns, "Also Known As"), primary=False
    ):
        if all(name.full != known.full for known in entity.names):
            entity.names.append(name)
    country = _text(cells, columns, "Country or Region")
    if country:
        entity.addresses.append(_country_address(country))
    for concern in wmd_concerns(_text(cells, columns, WMD_COLUMN)):
        entity.add_property("wmd_concern", concern)
    if cell_text(_cell(cells, columns, CONVENTIONAL_COLUMN)):
        entity.add_property("conventional_weapons_concern", "yes")
    return entity


def names_from_cell(text: str | None, *, primary: bool) -> list[Name]:
    """Names in a METI name cell, one per line ("・" bullets dropped).

    In the name column the first line is the primary name, whatever its script (a few
    entries are named only in Japanese); a bracketed line after a name ("(高麗航空)",
    "(KIPAS)") is another rendering of it: the original-script form when it is not Latin,
    else an a.k.a. (usually the acronym). Other lines are a.k.a.s.
    """
    names: list[Name] = []
    for line in (text or "").split("\n"):
        item = " ".join(line.strip().lstrip("・").split())
        if not item:
            continue
        bracketed = _BRACKETED.match(item)
        full = bracketed[1].strip() if bracketed else item
        script = detect_script(full)
        if bracketed and script not in (None, "Latn"):
            role = NameRole.ORIGINAL_SCRIPT
        elif primary and not names and not bracketed:
            role = NameRole.PRIMARY
        else:
            role = NameRole.AKA
        names.append(Name(full=full, role=role, script=script))
    return names


def _country_address(text: str) -> Address:
    """The country cell "ロシア\\nRussian Federation": the English line gives the code."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    english = lines[-1]
    code = country_code(english) or country_code(_LONG_FORM_PREFIX.sub("", english))
    return Address(full=" / ".join(lines), country=english, country_code=code)


def wmd_concerns(text: str | None) -> list[str]:
    """Types of WMD concern from "生物、化学、ミサイル、核\\nB,C,M,N" (letters, else words)."""
    if not text:
        return []
    letters = re.findall(r"(?<![A-Za-z])([BCMN])(?![A-Za-z])", text)
    found = [_WMD_LETTERS[letter] for letter in letters]
    if not found:
        found = [concern for word, concern in _WMD_WORDS.items() if word in text]
    return list(dict.fromkeys(found))
