"""Canada's Consolidated Autonomous Sanctions List XML (``sema-lmes.xml``).

Flat ``<record>``s under ``<data-set>``: ``Country`` (really the sanctions regime: a
country's regulations, or "JVCFOR", "Hamas Terrorist Attacks"...), ``LastName`` +
``GivenName`` for a person, ``EntityOrShip`` for an organisation or ship, ``ShipIMONumber``
and ``TitleOrShip`` (a ship's type, or a person's title), ``DateOfBirthOrShipBuildDate``,
``Schedule`` + ``Item`` (the record's position in the regulations' schedule),
``DateOfListing`` and ``Aliases``.

Record id: the file has no id. ``Schedule`` + ``Item`` repeats across regimes (767 pairs
in the 2025-03 file) and ``Schedule`` is missing for some regimes; ``Country`` +
``Schedule`` + ``Item`` is unique, so the id is ``<regime>/<schedule>/<item>`` with each
part slugged ("russia/1-part-1/12"). It is a position, not an identity: it changes when a
schedule is renumbered, which diffing must allow for.

``Aliases`` is one free-text field mixing separators (``,`` ``;`` `` / `` `` or ``), language
labels ("Belarusian: ...") and legal forms after commas ("Банк Зенит, ПАО");
:func:`split_aliases` takes it apart without cutting inside quotes or brackets.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from lxml import etree

from core.countries import country_code
from core.model import DateValue, Entity, Identifier, IdType, Kind, Name, NameRole, ParsedList
from core.scripts import detect_script
from indexer.errors import ListFormatError
from indexer.parsers._common import child_text, clean, find_file, iter_xml, source_file
from indexer.parsers._dates import parse_date_text
from indexer.parsers._list_meta import read_xml_root, registry_source_url

_ROOT = "data-set"
_OPEN_CLOSE = {"(": ")", "[": "]", "«": "»", "“": "”", "„": "“"}
_LANGUAGE_LABEL = re.compile(
    r"\b(?:Belarus?sian|Russian|Ukrainian|Arabic|Persian|Farsi|Chinese|Hebrew|Armenian)\s*:\s*",
    re.I,
)
# Legal forms that follow a name after a comma ("Банк Зенит, ПАО") and belong to it.
_LEGAL_FORMS = {
    "ао", "оао", "зао", "пао", "ооо", "ао нии", "мк", "сао", "ак",
    "jsc", "ojsc", "pjsc", "llc", "ltd", "ltd.", "inc", "inc.", "ao", "oao", "ooo", "fsue",
    "co", "co.", "limited",
}  # fmt: skip
_OR = re.compile(r"\s+(?:or|OR)\s+")
_AND = re.compile(r"\s+and\s+")
_DATE_ALTERNATIVES = re.compile(r"\s+(?:or|OR)\s+")


def parse_ca_sema_xml(path: Path, list_id: str) -> ParsedList:
    """Read sema-lmes.xml (or the folder holding it) into a ParsedList."""
    file = find_file(path, "sema-lmes.xml")
    read_xml_root(file, _ROOT)
    entities: list[Entity] = []
    seen: dict[str, int] = {}
    for element in iter_xml(file, {"record"}):
        line: int = getattr(element, "sourceline", None) or 0
        entity = _read_record(file, element, list_id)
        if entity.id in seen:
            raise ListFormatError(
                file,
                f"record {entity.record_id} repeats the one at line {seen[entity.id]}",
                f"line {line}",
            )
        seen[entity.id] = line
        entities.append(entity)
    if not entities:
        raise ListFormatError(file, "no <record> elements", "whole file")
    # The file carries no publication date; the latest listing date is the best bound.
    listed = [e.listed_on for e in entities if e.listed_on and len(e.listed_on) == 10]
    published = date.fromisoformat(max(listed)) if listed else None
    return ParsedList(
        list_id=list_id, published=published, entities=entities, files=[source_file(file)]
    )


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-")


def regime_name(country: str) -> str:
    """The English part of a bilingual "Russia / Russie"; an abbreviation where given,
    "Justice for Victims ... (JVCFOR) / Règlement ..." → "JVCFOR"."""
    english = country.split(" / ", 1)[0].strip()
    abbreviation = re.search(r"\(([A-Z]{3,})\)", english)
    return abbreviation[1] if abbreviation else english


def _read_record(file: Path, element: etree._Element, list_id: str) -> Entity:
    where = f"line {element.sourceline or '?'}"
    country = child_text(element, "Country")
    item = child_text(element, "Item")
    if not country or not item:
        raise ListFormatError(file, "record without Country or Item", where)
    regime = regime_name(country)
    schedule = child_text(element, "Schedule")
    record_id = "/".join(_slug(p) for p in (regime, schedule, item) if p)
    last, given = child_text(element, "LastName"), child_text(element, "GivenName")
    org_or_ship = child_text(element, "EntityOrShip")
    imo = child_text(element, "ShipIMONumber")
    title_or_type = child_text(element, "TitleOrShip")
    if last or given:
        kind = Kind.PERSON
    elif org_or_ship:
        kind = Kind.VESSEL if imo else Kind.ORGANIZATION
    else:
        raise ListFormatError(file, f"record {record_id} has no name", where)
    entity = Entity(
        id=f"{list_id}:{record_id}",
        list_id=list_id,
        kind=kind,
        programs=[regime],
        listed_on=child_text(element, "DateOfListing"),
        source_url=registry_source_url(list_id, record_id),
    )
    entity.add_property("regime", country)
    entity.add_property("schedule", schedule)
    entity.add_property("item", item)
    if kind is Kind.PERSON:
        full = " ".join(p for p in (given, last) if p)
        entity.names.append(
            Name(full=full, script=detect_script(full), given=given, family=last,
                 title=title_or_type)
        )  # fmt: skip
        entity.add_property("title", title_or_type)
    else:
        name = org_or_ship or ""
        entity.names.append(Name(full=name, script=detect_script(name)))
    if imo:
        entity.identifiers.append(Identifier(type=IdType.IMO, value=imo, label="ShipIMONumber"))
    if kind is Kind.VESSEL:
        entity.add_property("vessel_type", title_or_type)
    _read_date(element, entity)
    aliases = child_text(element, "Aliases")
    if aliases:
        for alias in split_aliases(aliases, person=kind is Kind.PERSON):
            if all(n.full != alias for n in entity.names):
                entity.names.append(
                    Name(full=alias, role=NameRole.AKA, script=detect_script(alias))
                )
    # The regime's country is not the person's nationality nor an address; it is kept as
    # the program. Its code helps filters where it names a country.
    entity.add_property("regime_country_code", country_code(regime))
    return entity


def _read_date(element: etree._Element, entity: Entity) -> None:
    """Date of birth for people, build year for ships; "1963 or 1964" gives two dates."""
    text = child_text(element, "DateOfBirthOrShipBuildDate")
    if not text:
        return
    if entity.kind is Kind.VESSEL:
        entity.add_property("build_date", text)
        return
    values: list[DateValue] = []
    for piece in _DATE_ALTERNATIVES.split(text):
        value = parse_date_text(piece)
        if value is None:
            entity.add_property("birth_date_text", text)
            return
        values.append(value)
    entity.birth_dates.extend(values)


def _split_top_level(text: str, separators: str) -> list[tuple[str, str]]:
    """Split on any character of ``separators`` that is outside brackets and quotes; each
    piece comes with the separator before it ("" for the first).

    Straight double quotes toggle; when they are unbalanced (the list has some, e.g.
    ``АО "НИИ"Аргон"``) the text is split ignoring quotes rather than not at all.
    """
    for respect_quotes in (True, False):
        parts: list[tuple[str, str]] = []
        stack: list[str] = []
        in_quote = False
        before = ""
        current: list[str] = []
        for ch in text:
            if respect_quotes and ch == '"':
                in_quote = not in_quote
            elif respect_quotes and ch in _OPEN_CLOSE:
                stack.append(_OPEN_CLOSE[ch])
            elif respect_quotes and stack and ch == stack[-1]:
                stack.pop()
            elif ch in separators and not stack and not in_quote:
                parts.append((before, "".join(current)))
                before, current = ch, []
                continue
            current.append(ch)
        parts.append((before, "".join(current)))
        if not respect_quotes or (not in_quote and not stack):
            return parts
    return [("", text)]  # pragma: no cover - the loop always returns


def split_aliases(text: str, *, person: bool) -> list[str]:
    """Each name in a SEMA ``Aliases`` field, in order, without duplicates or labels."""
    text = text.replace("\ufffd", "")  # the publisher truncates long fields mid-character
    text = _LANGUAGE_LABEL.sub(";", text)
    text = re.sub(r"\s+/\s*|\s*/\s+", ";", text)  # "A / B", "A/ B"; not "Eslami/GRI"
    pieces = _split_top_level(text, ",;")
    merged: list[str] = []
    for separator, raw in pieces:
        piece = clean(raw)
        if not piece:
            continue
        if separator == "," and merged and piece[0].islower():
            # "Войска радиационной, химической и ... защиты": a comma inside one name.
            merged[-1] = f"{merged[-1]}, {piece}"
            continue
        if piece.lower().strip(".") in _LEGAL_FORMS or piece.lower() in _LEGAL_FORMS:
            if merged:
                merged[-1] = f"{merged[-1]}, {piece}"
            else:
                merged.append(piece)  # "ОАО, БЭТО": the form opens; joined to what follows
            continue
        if merged and merged[-1].lower().strip(".") in _LEGAL_FORMS:
            merged[-1] = f"{merged[-1]} {piece}"
            continue
        merged.append(piece)
    names: list[str] = []
    for piece in merged:
        alternatives = _OR.split(piece)
        if person:
            alternatives = [a for alt in alternatives for a in _AND.split(alt)]
        for alternative in alternatives:
            name = clean(re.sub(r"^(?:or|and)\s+", "", alternative.strip(" ,;:")))
            if name and name not in names:
                names.append(name)
    return names
