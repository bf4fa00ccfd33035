"""The UN Security Council Consolidated List XML (``consolidated.xml``, schema sc-sanctions.xsd).

One ``INDIVIDUAL`` or ``ENTITY`` per listing, keyed by ``REFERENCE_NUMBER`` (``KPi.033``),
which the UN keeps across versions, so it is the entity id. Things the schema does not say
but the data shows (2025-11 to 2026-08 snapshots):

* ``ALIAS_NAME`` sometimes holds several spellings separated by ``;``, or a name in Arabic
  with its romanisations in brackets; each becomes its own name.
* ``QUALITY`` is ``Good``/``Low`` for individuals and ``a.k.a.``/``f.k.a.`` for entities;
  empty aliases (``<QUALITY/><ALIAS_NAME/>``) are placeholders.
* An alias may carry its own date and place of birth; they are facts about the person.
* A date of birth may be only a ``NOTE`` ("Nov. 1973", "30-35 years old", a Hijri date);
  what reads as a Gregorian date is kept, the rest goes to properties, never guessed.
* Entities are organisations, except vessels designated for illicit petroleum exports
  (Libya), whose ``COMMENTS1`` starts "IMO: 9058713"; shipping companies quote their IMO
  company number in the comments, which is kept as an identifier.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from lxml import etree

from core.countries import country_code
from core.model import (
    Address,
    Country,
    DateKind,
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
from indexer.parsers._common import (
    child_text,
    children,
    clean,
    find_file,
    iter_xml,
    source_file,
)
from indexer.parsers._dates import iso_prefix, parse_date_text
from indexer.parsers._list_meta import read_xml_root, registry_source_url

_ROOT = "CONSOLIDATED_LIST"

_QUALITY_ROLE = {
    "good": NameRole.AKA,
    "a.k.a.": NameRole.AKA,
    "low": NameRole.WEAK,
    "f.k.a.": NameRole.FKA,
}

# "IMO: 9058713" opening the comments: the entity is the ship itself.
_VESSEL_IMO = re.compile(r"^\s*IMO\s*:\s*(\d{7})\b")
# "IMO number: 5342883", "IMO Number: ...", "Company Number IMO 5434358", "(IMO) Number: ...".
_IMO_IN_TEXT = re.compile(r"\bIMO\)?\s*(?:number|no\.?)?\s*:?\s*(\d{7})\b", re.I)
# "original script: Абу Банат", "In Arabic: سيف العدل", "in Arabic script: شركة الكوثر".
_NOTE_SCRIPT_NAME = re.compile(r"(?:original script|in arabic(?: script)?)\s*:\s*(.+)$", re.I)
# "Name a) Other b) Third" inside one alias.
_ENUMERATION = re.compile(r"\s+[a-h]\)\s+")


def parse_un_xml(path: Path, list_id: str) -> ParsedList:
    """Read a UN SC consolidated.xml (or the folder holding it) into a ParsedList."""
    file = find_file(path, "consolidated.xml")
    root = read_xml_root(file, _ROOT)
    published = _published(file, root.get("dateGenerated"))
    entities: list[Entity] = []
    seen: set[str] = set()
    for element in iter_xml(file, {"INDIVIDUAL", "ENTITY"}):
        entity = _read_record(file, element, list_id)
        if entity.id in seen:
            raise ListFormatError(
                file, f"REFERENCE_NUMBER {entity.record_id} appears twice", _where(element)
            )
        seen.add(entity.id)
        entities.append(entity)
    if not entities:
        raise ListFormatError(file, "no INDIVIDUAL or ENTITY records", "whole file")
    return ParsedList(
        list_id=list_id, published=published, entities=entities, files=[source_file(file)]
    )


def _where(element: etree._Element) -> str:
    return f"line {element.sourceline or '?'}"


def _published(file: Path, generated: str | None) -> date | None:
    if not generated:
        raise ListFormatError(file, f"<{_ROOT}> has no dateGenerated", "root element")
    try:
        return date.fromisoformat(generated[:10])
    except ValueError:
        raise ListFormatError(file, f"bad dateGenerated {generated!r}", "root element") from None


def _values(element: etree._Element, name: str) -> list[str]:
    """Texts of ``<name><VALUE>..</VALUE></name>`` groups (NATIONALITY, TITLE, ...)."""
    found: list[str] = []
    for group in children(element, name):
        for value in children(group, "VALUE"):
            text = clean(value.text)
            if text and text not in found:
                found.append(text)
    return found


def _read_record(file: Path, element: etree._Element, list_id: str) -> Entity:
    reference = child_text(element, "REFERENCE_NUMBER")
    if not reference:
        raise ListFormatError(file, "record without REFERENCE_NUMBER", _where(element))
    is_person = element.tag == "INDIVIDUAL"
    comments = child_text(element, "COMMENTS1")
    kind = Kind.PERSON if is_person else Kind.ORGANIZATION
    if not is_person and comments and _VESSEL_IMO.match(comments):
        kind = Kind.VESSEL
    entity = Entity(
        id=f"{list_id}:{reference}",
        list_id=list_id,
        kind=kind,
        programs=[p for p in [child_text(element, "UN_LIST_TYPE")] if p],
        listed_on=child_text(element, "LISTED_ON"),
        remarks=comments,
        source_url=registry_source_url(list_id, reference),
    )
    gender = child_text(element, "GENDER")
    entity.gender = gender.lower() if gender else None
    titles = _values(element, "TITLE")
    entity.names.append(_primary_name(file, element, is_person, titles))
    original = child_text(element, "NAME_ORIGINAL_SCRIPT")
    if original:
        entity.names.append(
            Name(full=original, role=NameRole.ORIGINAL_SCRIPT, script=detect_script(original))
        )
    aliases = children(element, "INDIVIDUAL_ALIAS" if is_person else "ENTITY_ALIAS")
    for alias in aliases:
        _read_alias(alias, entity)
    for nationality in _values(element, "NATIONALITY"):
        entity.nationalities.append(Country(name=nationality, code=country_code(nationality)))
    for address in children(element, "INDIVIDUAL_ADDRESS" if is_person else "ENTITY_ADDRESS"):
        found = _address(address)
        if found is not None:
            entity.addresses.append(found)
    for dob in children(element, "INDIVIDUAL_DATE_OF_BIRTH"):
        _read_birth_date(dob, entity)
    for pob in children(element, "INDIVIDUAL_PLACE_OF_BIRTH"):
        place = _place(
            [child_text(pob, tag) for tag in ("STREET", "CITY", "STATE_PROVINCE")],
            child_text(pob, "COUNTRY"),
        )
        _add_place(entity, place)
        entity.add_property("birth_place_note", child_text(pob, "NOTE"))
    for alias in aliases:  # after the record's own dates and places, which come first
        _read_alias_birth(alias, entity)
    for document in children(element, "INDIVIDUAL_DOCUMENT"):
        _read_document(document, entity)
    if comments and not is_person:
        for imo in _IMO_IN_TEXT.findall(comments):
            label = "IMO number" if kind is Kind.VESSEL else "IMO company number"
            if all(i.value != imo for i in entity.identifiers):
                entity.identifiers.append(
                    Identifier(type=IdType.IMO, value=imo, label=label, note="from COMMENTS1")
                )
    for title in titles:
        entity.add_property("title", title)
    for designation in _values(element, "DESIGNATION"):
        entity.add_property("designation", designation)
    entity.add_property("un_data_id", child_text(element, "DATAID"))
    entity.add_property("interpol_link", child_text(element, "INTERPOL_LINK"))
    for updated in _values(element, "LAST_DAY_UPDATED"):
        entity.add_property("last_day_updated", updated)
    entity.add_property("delisted_on", child_text(element, "DELISTED_ON"))
    return entity


def _primary_name(file: Path, element: etree._Element, is_person: bool, titles: list[str]) -> Name:
    """FIRST_NAME..FOURTH_NAME in order; for a person the first part is the given name and
    the last part the family name (the UN's usual order; Arabic name chains have no family
    name as such, but the parts are still kept as the list orders them)."""
    tags = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
    parts = [p for p in (child_text(element, t) for t in tags) if p]
    if not parts:
        raise ListFormatError(file, "record without FIRST_NAME", _where(element))
    full = " ".join(parts)
    name = Name(full=full, role=NameRole.PRIMARY, script=detect_script(full))
    if is_person:
        name.given = parts[0]
        if len(parts) > 1:
            name.family = parts[-1]
        if len(parts) > 2:
            name.middle = " ".join(parts[1:-1])
        name.title = "; ".join(titles) or None
    return name


def split_alias(text: str) -> list[str]:
    """The names one ALIAS_NAME holds: ``;``-separated spellings, "a) .. b) .." lists, and
    a name followed by its romanisations in brackets, "حاجى مالك نورزى (Hajji Malik ...)"."""
    bracketed = re.fullmatch(r"(.+?)\s*\((.+)\)\s*", text)
    if bracketed and detect_script(bracketed[1]) != detect_script(bracketed[2]):
        pieces = [bracketed[1], *bracketed[2].split(";")]
    else:
        pieces = text.split(";")
    names: list[str] = []
    for piece in pieces:
        for part in _ENUMERATION.split(piece):
            cleaned = clean(part)
            if cleaned and cleaned not in names:
                names.append(cleaned)
    return names


def _read_alias(alias: etree._Element, entity: Entity) -> None:
    text = child_text(alias, "ALIAS_NAME")
    if not text:
        return
    quality = (child_text(alias, "QUALITY") or "").lower()
    role = _QUALITY_ROLE.get(quality, NameRole.AKA)
    for full in split_alias(text):
        entity.names.append(Name(full=full, role=role, script=detect_script(full)))
    note = child_text(alias, "NOTE")
    if note:
        entity.add_property("alias_note", f"{text}: {note}")
        in_script = _NOTE_SCRIPT_NAME.search(note)
        if in_script:
            script_name = clean(in_script[1])
            script = detect_script(script_name) if script_name else None
            if script_name and script not in (None, "Latn"):
                entity.names.append(Name(full=script_name, role=role, script=script))


def _read_alias_birth(alias: etree._Element, entity: Entity) -> None:
    """An alias's own date and place of birth (the ones used with that name)."""
    text = child_text(alias, "ALIAS_NAME")
    born = child_text(alias, "DATE_OF_BIRTH")
    if born:
        value = parse_date_text(born)
        if value is not None:
            value.text = f"{born} (with alias {text})"
            _add_date(entity, value)
        else:
            entity.add_property("birth_date_note", f"{born} (with alias {text})")
    city, country = child_text(alias, "CITY_OF_BIRTH"), child_text(alias, "COUNTRY_OF_BIRTH")
    _add_place(entity, _place([city], country))


def _add_date(entity: Entity, value: DateValue) -> None:
    for known in entity.birth_dates:
        if (known.value, known.kind, known.end) == (value.value, value.kind, value.end):
            return
    entity.birth_dates.append(value)


def _add_place(entity: Entity, place: Place | None) -> None:
    if place is not None and all(p.full != place.full for p in entity.birth_places):
        entity.birth_places.append(place)


def _place(parts: list[str | None], country: str | None) -> Place | None:
    full = ", ".join(p for p in [*parts, country] if p)
    if not full:
        return None
    return Place(full=full, country=country, country_code=country_code(country))


def _read_birth_date(dob: etree._Element, entity: Entity) -> None:
    """EXACT (DATE or YEAR), APPROXIMATELY (circa), BETWEEN (FROM_YEAR..TO_YEAR), or a NOTE."""
    kind_text = (child_text(dob, "TYPE_OF_DATE") or "").upper()
    note = child_text(dob, "NOTE")
    exact_date = child_text(dob, "DATE")
    year = child_text(dob, "YEAR")
    start, end = child_text(dob, "FROM_YEAR"), child_text(dob, "TO_YEAR")
    circa = kind_text == "APPROXIMATELY" or (note or "").lower().startswith("approximately")
    value: DateValue | None = None
    if kind_text == "BETWEEN" and start and end and iso_prefix(start) and iso_prefix(end):
        words = f"between {start} and {end}"
        value = DateValue(
            value=start,
            kind=DateKind.RANGE,
            end=end,
            text=f"approximately {words}" if circa else words,
        )
    elif exact_date or year:
        stated = exact_date or year or ""
        prefix = iso_prefix(stated)
        if prefix and year and note:
            # "1958" with NOTE "Sep." is September 1958.
            refined = parse_date_text(f"{note} {year}")
            if refined is not None and refined.value.startswith(year):
                prefix = refined.value
        if prefix:
            kind = DateKind.CIRCA if circa else DateKind.EXACT
            text = f"approximately {stated}" if circa else stated
            value = DateValue(value=prefix, kind=kind, text=f"{text} ({note})" if note else text)
    elif note:
        parsed = parse_date_text(note)
        if parsed is not None:
            if circa:
                parsed.kind = DateKind.CIRCA
            value = parsed
    if value is not None:
        _add_date(entity, value)
    elif note or kind_text:
        entity.add_property("birth_date_note", note)


def _address(element: etree._Element) -> Address | None:
    street = child_text(element, "STREET")
    city = child_text(element, "CITY")
    region = child_text(element, "STATE_PROVINCE")
    postal = child_text(element, "ZIP_CODE")
    country = child_text(element, "COUNTRY")
    note = child_text(element, "NOTE")
    full = ", ".join(p for p in (street, city, region, postal, country, note) if p)
    if not full:
        return None
    return Address(
        full=full,
        street=street,
        city=city,
        region=region,
        postal_code=postal,
        country=country,
        country_code=country_code(country),
    )


def document_type(label: str) -> IdType:
    """IdType of a UN TYPE_OF_DOCUMENT / TYPE_OF_DOCUMENT2 wording."""
    lowered = " ".join(label.lower().split())
    if any(word in lowered for word in ("passport", "passeport", "pasaporte")):
        return IdType.PASSPORT
    if "fiscal" in lowered or "tax" in lowered:
        return IdType.TAX_ID
    if any(
        word in lowered
        for word in ("identification", "identity", "national number", "tazkira", "social security")
    ):
        return IdType.NATIONAL_ID
    return IdType.OTHER


def _read_document(document: etree._Element, entity: Entity) -> None:
    number = child_text(document, "NUMBER")
    kind = child_text(document, "TYPE_OF_DOCUMENT")
    kind2 = child_text(document, "TYPE_OF_DOCUMENT2")
    note = child_text(document, "NOTE")
    if not number:
        if note:
            entity.add_property("document_note", note)
        return
    label = "; ".join(p for p in (kind, kind2) if p) or None
    country = child_text(document, "ISSUING_COUNTRY") or child_text(document, "COUNTRY_OF_ISSUE")
    details = [f"issued {v}" for v in [child_text(document, "DATE_OF_ISSUE")] if v] + [
        f"issued in {v}" for v in [child_text(document, "CITY_OF_ISSUE")] if v
    ]
    details += [f"expires {v}" for v in [child_text(document, "DATE_OF_EXPIRY")] if v]
    if note:
        details.append(note)
    entity.identifiers.append(
        Identifier(
            type=document_type(label or note or ""),
            value=number,
            label=label,
            country=country,
            country_code=country_code(country),
            note="; ".join(details) or None,
        )
    )
