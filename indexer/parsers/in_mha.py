"""India, Ministry of Home Affairs: the banned (terrorist) organisations of the UAPA.

The ministry publishes the organisations banned under section 35 of the Unlawful
Activities (Prevention) Act, 1967 (its First Schedule) only as a web page: a table of
"Sl -No" and "Organisation", under a heading "(As on 30-03-2015)" and a page footer
"Last Updated: 20 Nov 2017". So the page is read as HTML (lxml's parser: no network, no
entities) and the table is found by its header, not by its place in the page; a page
without that table, or with a table of no rows, is refused (the fetch then keeps the
previous copy, and refuses a table that lost half its rows).

One entity per row, the serial number (the entry's number in the First Schedule) as its
record id. A cell names one organisation several ways: "Lashkar-E-Taiba/Pasban-E-Ahle
Hadis" (names separated by "/"), "United Liberation Front of Assam (ULFA)" (a bracketed
abbreviation), "National Socialist Council of Nagaland (Khaplang), NSCN (K)" (an
abbreviation after a comma), and often "all its formations and front organisations",
which is the ban's scope (property ``scope``), not a name. The first name is the primary
one, the others aliases; the cell as written is kept (``name_as_listed``).

The publication date is the later of the heading's "As on" date and the footer's "Last
Updated": the heading was not updated when entry 39 was added in November 2015.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from lxml import etree, html

from core.model import Entity, Kind, Name, NameRole, ParsedList
from core.scripts import detect_script
from indexer.errors import ListFormatError
from indexer.parsers._bracketed import take_bracketed
from indexer.parsers._common import find_file, require_nonempty, source_file
from indexer.parsers._dates import iso_prefix
from indexer.parsers._list_meta import registry_source_url

PROGRAM = "UAPA 1967, First Schedule (terrorist organisations)"
_SPACE = re.compile(r"\s+")
_SCOPE = re.compile(
    r"[,\s]+(?:and\s+)?(all\s+its\s+(?:formations\s+and\s+front\s+organi[sz]ations|"
    r"manifestations))\.?\s*$",
    re.I,
)
_ABBREVIATION_AFTER_COMMA = re.compile(r",\s+(?=[A-Z][A-Z0-9 ().&-]*$)")
_AS_ON = re.compile(r"\bAs on\s+(\d{1,2}[-/.]\d{1,2}[-/.]\d{4})", re.I)
_LAST_UPDATED = re.compile(r"Last Updated:\s*(\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4})", re.I)


def _text(element: html.HtmlElement) -> str:
    return _SPACE.sub(" ", element.text_content()).strip()


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.casefold())


def parse_in_mha_html(path: Path, list_id: str) -> ParsedList:
    """Read the ministry's saved page (a file, or a folder holding it)."""
    path = find_file(path, "banned-organisations.html")
    require_nonempty(path)
    raw = path.read_bytes()
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        document = html.document_fromstring(raw, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ListFormatError(path, f"not an HTML page: {exc}", "start") from exc
    rows = _table_rows(path, document)
    entities: list[Entity] = []
    seen: set[str] = set()
    for number, cell, where in rows:
        if number in seen:
            raise ListFormatError(path, f"serial number {number} appears twice", where)
        seen.add(number)
        entities.append(_entity(list_id, number, cell))
    return ParsedList(
        list_id=list_id,
        published=_published(document),
        entities=entities,
        files=[source_file(path)],
    )


def _table_rows(path: Path, document: html.HtmlElement) -> list[tuple[str, str, str]]:
    """(serial number, organisation cell, place) of every row of the organisations table."""
    for table_number, table in enumerate(document.iter("table"), 1):
        rows = list(table.iter("tr"))
        if not rows:
            continue
        header = [_header_key(_text(cell)) for cell in rows[0] if cell.tag in ("th", "td")]
        if len(header) < 2 or "organi" not in header[1] or not header[0].startswith(("sl", "s")):
            continue
        found: list[tuple[str, str, str]] = []
        for row_number, row in enumerate(rows[1:], 2):
            cells = [cell for cell in row if cell.tag in ("td", "th")]
            where = f"table {table_number}, row {row_number}"
            if not cells or not any(_text(cell) for cell in cells):
                continue
            if len(cells) < 2:
                raise ListFormatError(path, "a row with fewer than two cells", where)
            number = _text(cells[0]).rstrip(".")
            name = _text(cells[1])
            if not number.isdigit():
                raise ListFormatError(path, f"serial number {number!r} is not a number", where)
            if not name:
                raise ListFormatError(path, f"entry {number} names no organisation", where)
            found.append((number, name, where))
        if not found:
            raise ListFormatError(
                path, "the organisations table has no rows", f"table {table_number}"
            )
        return found
    raise ListFormatError(
        path,
        "no table of banned organisations (a header row 'Sl -No', 'Organisation'): "
        "not the ministry's page, or the page changed",
    )


def _published(document: html.HtmlElement) -> date | None:
    text = _SPACE.sub(" ", document.text_content())
    found: list[date] = []
    for pattern in (_AS_ON, _LAST_UPDATED):
        for match in pattern.finditer(text):
            day = iso_prefix(match[1])
            if day and len(day) == 10:
                found.append(date.fromisoformat(day))
    return max(found) if found else None


def organisation_names(cell: str) -> tuple[list[str], str | None]:
    """The names one cell gives an organisation (primary first) and the ban's scope."""
    scope = None
    match = _SCOPE.search(cell)
    if match:
        scope = _SPACE.sub(" ", match[1]).lower()
        cell = cell[: match.start()]
    names: list[str] = []
    for part in cell.split("/"):
        for piece in _ABBREVIATION_AFTER_COMMA.split(part.strip(" ,.")):
            bracketed = take_bracketed(piece.strip(" ,."))
            for name in (bracketed.name, *bracketed.abbreviations, *bracketed.original_script):
                if name and name.casefold() not in {n.casefold() for n in names}:
                    names.append(name)
    return names, scope


def _entity(list_id: str, number: str, cell: str) -> Entity:
    names, scope = organisation_names(cell)
    entity = Entity(
        id=f"{list_id}:{number}",
        list_id=list_id,
        kind=Kind.ORGANIZATION,
        names=[
            Name(
                full=name,
                role=NameRole.PRIMARY if index == 0 else NameRole.AKA,
                script=detect_script(name),
            )
            for index, name in enumerate(names)
        ],
        programs=[PROGRAM],
        source_url=registry_source_url(list_id, number),
    )
    entity.add_property("name_as_listed", cell)
    entity.add_property("scope", scope)
    return entity
