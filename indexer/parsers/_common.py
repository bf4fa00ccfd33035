"""Helpers every parser shares: safe streaming XML, spreadsheet rows, hashing, cleaning.

Files come from the internet, so XML is parsed without DTDs, entity expansion or
network access, and a parser that meets something unexpected raises
:class:`ListFormatError` naming the file and the place rather than producing half a list.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from core.countries import country_code
from core.model import Address, SourceFile
from indexer.errors import ListFormatError

_SPACE = re.compile(r"\s+")


def clean(value: Any) -> str | None:
    """Collapse whitespace; return None for empty cells and OFAC's "-0-" placeholder."""
    if value is None:
        return None
    text = _SPACE.sub(" ", str(value)).strip()
    if not text or text in ("-0-", "-0", "N/A", "n/a", "None", "NULL", "null"):
        return None
    return text


def source_file(path: Path) -> SourceFile:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return SourceFile(path=str(path), sha256=digest.hexdigest(), size=size)


def require_nonempty(path: Path) -> None:
    if not path.is_file():
        raise ListFormatError(path, "no such file")
    if path.stat().st_size == 0:
        raise ListFormatError(path, "file is empty")


def find_file(path: Path, *names: str) -> Path:
    """The official file at ``path``: the path itself, or the first of ``names`` inside a
    folder (names compared case-insensitively, since publishers vary the case)."""
    if path.is_file():
        return path
    if path.is_dir():
        wanted = [n.lower() for n in names]
        by_name = {child.name.lower(): child for child in path.iterdir() if child.is_file()}
        for name in wanted:
            if name in by_name:
                return by_name[name]
    raise ListFormatError(path, f"expected one of {', '.join(names)}")


def _refuse_doctype(path: Path) -> None:
    """Refuse DOCTYPE declarations outright: no official list uses one, and they are how
    entity-expansion ("billion laughs") and external-entity attacks arrive."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise ListFormatError(path, "XML declares a DOCTYPE/ENTITY, refused for safety", "start")


def iter_xml(path: Path, tags: set[str] | None = None) -> Iterator[etree._Element]:
    """Stream elements (namespace stripped from ``tag`` comparisons) as they close.

    The caller must not keep references to yielded elements' parents; each yielded
    element is cleared after the caller resumes, keeping memory flat on large files.
    """
    require_nonempty(path)
    _refuse_doctype(path)
    context = etree.iterparse(
        str(path),
        events=("end",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        for _event, element in context:
            tag = local_name(element)
            if tags is None or tag in tags:
                yield element
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else "?"
        raise ListFormatError(path, f"broken XML: {exc.msg}", f"line {line}") from exc


def local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def child_text(element: etree._Element, name: str) -> str | None:
    """Text of the first direct child with local name ``name``, cleaned."""
    for child in element:
        if local_name(child) == name:
            return clean(child.text)
    return None


def children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local_name(child) == name]


def iter_xlsx_rows(path: Path, sheet: str | int = 0) -> Iterator[list[Any]]:
    """Rows of one worksheet as lists of cell values (str, float, int, date/datetime or '')."""
    from python_calamine import CalamineWorkbook

    require_nonempty(path)
    if not zipfile.is_zipfile(path):
        raise ListFormatError(path, "not an XLSX file (not a ZIP archive)")
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        if isinstance(sheet, int):
            if sheet >= len(names):
                raise ListFormatError(path, f"workbook has no sheet number {sheet}")
            sheet_name = names[sheet]
        else:
            if sheet not in names:
                raise ListFormatError(path, f"workbook has no sheet named {sheet!r}")
            sheet_name = sheet
        rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    except ListFormatError:
        raise
    except Exception as exc:  # calamine raises its own error types for broken archives
        raise ListFormatError(path, f"unreadable XLSX: {exc}") from exc
    yield from rows


def make_address(
    street: str | None,
    city: str | None,
    region: str | None,
    postal_code: str | None,
    country: str | None,
) -> Address | None:
    """An Address from structured parts, with its one-line form and ISO country code;
    None when every part is empty (lists write empty address records)."""
    parts = [p for p in (street, city, region, postal_code, country) if p]
    if not parts:
        return None
    return Address(
        full=", ".join(parts),
        street=street,
        city=city,
        region=region,
        postal_code=postal_code,
        country=country,
        country_code=country_code(country),
    )
