"""Helpers for lists published as spreadsheets (OFSI, DFAT, METI): finding the header row,
reading cells as text and splitting the enumerations publishers pack into one cell.

Spreadsheet lists put a title or a "Last Updated" line above the header and number
multiple values inside one cell ("(1) Libya (2) Tunisia", "a) 1955 b) 1958"), so every
reader needs the same few steps; keeping them here keeps each parser about its own list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from indexer.errors import ListFormatError
from indexer.parsers._common import clean

# Publishers' placeholders for "nothing known", beyond those clean() already drops.
_EMPTY_MARKERS = frozenset({"na", "n/a", "-", "--", "nil", "none", "not applicable"})

_NUMBERED = re.compile(r"\(\d{1,2}\)\s*")
_LETTERED = re.compile(r"(?:^|(?<=\s)|(?<=[;,.]))[a-z]\)\s*")


def header_key(value: Any) -> str:
    """A header cell as a comparable key: the last line (the English one where a header is
    bilingual, as METI's "別名\\nAlso Known As"), lower-cased, whitespace collapsed."""
    text = str(value or "").strip()
    last = text.splitlines()[-1] if text else ""
    return " ".join(last.split()).casefold()


def find_header(
    path: Path, rows: Sequence[Sequence[Any]], required: Iterable[str], search: int = 10
) -> tuple[int, dict[str, int]]:
    """Index of the header row among the first ``search`` rows and its column positions.

    The header is the first row holding every ``required`` column (compared with
    :func:`header_key`); a sheet without one raises ListFormatError naming what is missing.
    """
    wanted = [header_key(name) for name in required]
    best_missing: list[str] = wanted
    for index, row in enumerate(rows[:search]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(row):
            key = header_key(cell)
            if key and key not in columns:
                columns[key] = position
        missing = [name for name in wanted if name not in columns]
        if not missing:
            return index, columns
        if len(missing) < len(best_missing):
            best_missing = missing
    raise ListFormatError(
        path,
        f"no header row with the expected columns (missing: {', '.join(best_missing)})",
        f"rows 1-{min(search, len(rows))}",
    )


def cell_text(value: Any) -> str | None:
    """A cell as cleaned text: whole floats lose their ".0" (Excel stores 123 as 123.0),
    dates become ISO, and placeholders like "NA" or "-" become None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = clean(str(value).replace("\xa0", " "))
    if text is None or text.casefold() in _EMPTY_MARKERS:
        return None
    return text


def split_enumerated(text: str | None) -> list[str]:
    """Split a cell the publisher enumerated: "(1) X (2) Y" or "a) X b) Y"; else [text].

    Lettered items are split only when the cell starts with "a)", so a stray "b)" inside
    free text does not cut it apart.
    """
    if not text:
        return []
    stripped = text.strip()
    if stripped.startswith("(1)"):
        parts = _NUMBERED.split(stripped)
    elif re.match(r"a\)\s*", stripped):
        parts = _LETTERED.split(stripped)
    else:
        parts = [stripped]
    out: list[str] = []
    for part in parts:
        item = cell_text(part.strip().strip(";,").strip())
        if item:
            out.append(item)
    return out


def unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order without repeats."""
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
