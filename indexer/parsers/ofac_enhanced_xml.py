"""OFAC enhanced XML (SDN_ENHANCED.XML, CONS_ENHANCED.XML) into entities.

The enhanced format writes most meanings inline (``<aliasType>A.K.A.</aliasType>``) and
gives each name its ``translations``: the Latin form and, for some parties, the same name
in Cyrillic or Chinese. Every translation becomes a Name with its alias's role and the
ISO 15924 code the file's SCRIPT reference values give. ``<entity id>`` is the same
number as the SDN.XML ``uid`` and the advanced FixedRef, so ids agree across formats.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from lxml import etree

from core.countries import country_code
from core.model import (
    Address,
    Country,
    DateValue,
    Entity,
    Kind,
    Name,
    NameRole,
    ParsedList,
)
from indexer.errors import ListFormatError
from indexer.parsers._common import (
    child_text,
    children,
    clean,
    find_file,
    iter_xml,
    local_name,
    source_file,
)
from indexer.parsers._dates import parse_date_text
from indexer.parsers._ofac_labels import (
    add_fact,
    alias_role,
    birth_place,
    check_root,
    date_between,
    identifier,
    kind_for,
    person_name,
    property_key,
    script_code,
)

FORMAT_NAME = "an OFAC enhanced XML file"

_PERSON_PARTS = {"first name", "middle name", "last name", "patronymic"}


def parse_ofac_enhanced_xml(path: Path, list_id: str) -> ParsedList:
    """Read an OFAC enhanced XML file (or a folder holding sdn_/cons_enhanced.xml)."""
    file = find_file(path, "sdn_enhanced.xml", "cons_enhanced.xml")
    check_root(file, "sanctionsData", FORMAT_NAME)
    published: date | None = None
    scripts: dict[str, str] = {}  # SCRIPT reference id -> ISO 15924
    entities: list[Entity] = []
    for element in iter_xml(file, {"publicationInfo", "referenceValues", "entity"}):
        tag = local_name(element)
        if tag == "publicationInfo":
            published = _data_as_of(file, element)
        elif tag == "referenceValues":
            scripts = _scripts(element)
        else:
            entities.append(_entity(file, element, list_id, scripts))
    if not entities:
        raise ListFormatError(file, f"no <entity> found in {FORMAT_NAME}")
    return ParsedList(
        list_id=list_id, published=published, entities=entities, files=[source_file(file)]
    )


def _data_as_of(file: Path, element: etree._Element) -> date | None:
    text = child_text(element, "dataAsOf")
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text).date()
    except ValueError as exc:
        raise ListFormatError(
            file, f"dataAsOf {text!r} is not an ISO date", f"line {element.sourceline}"
        ) from exc


def _scripts(element: etree._Element) -> dict[str, str]:
    scripts: dict[str, str] = {}
    for value in children(element, "referenceValue"):
        if (child_text(value, "type") or "").upper() != "SCRIPT":
            continue
        code = script_code(child_text(value, "value"), child_text(value, "code"))
        if code is not None:
            scripts[value.get("refId", "")] = code
    return scripts


def _entity(file: Path, element: etree._Element, list_id: str, scripts: dict[str, str]) -> Entity:
    uid = element.get("id")
    if not uid:
        raise ListFormatError(file, "entity without id", f"line {element.sourceline}")
    general = children(element, "generalInfo")
    type_text = child_text(general[0], "entityType") if general else None
    kind = kind_for(type_text)
    if kind is None:
        raise ListFormatError(
            file, f"entity {uid}: unknown entityType {type_text!r}", f"line {element.sourceline}"
        )
    entity = Entity(id=f"{list_id}:{uid}", list_id=list_id, kind=kind)
    for section in element:
        tag = local_name(section)
        if tag == "remarks":
            entity.remarks = clean(section.text)
        elif tag == "sanctionsLists":
            _sanctions_lists(entity, section)
        elif tag == "sanctionsPrograms":
            for program in children(section, "sanctionsProgram"):
                text = clean(program.text)
                if text and text not in entity.programs:
                    entity.programs.append(text)
        elif tag == "names":
            for name in children(section, "name"):
                entity.names.extend(_names(kind, name, scripts))
        elif tag == "addresses":
            entity.addresses.extend(a for x in children(section, "address") if (a := _address(x)))
        elif tag == "features":
            main_dates: list[DateValue] = []  # like SDN.XML's mainEntry: listed first
            for feature in children(section, "feature"):
                _feature(entity, feature, main_dates)
            entity.birth_dates[:0] = main_dates
        elif tag == "identityDocuments":
            for document in children(section, "identityDocument"):
                _document(entity, document)
        elif tag == "relationships":
            for relationship in children(section, "relationship"):
                _relationship(entity, relationship, list_id)
    if entity.remarks is None and general:
        entity.remarks = child_text(general[0], "remarks")
    return entity


def _sanctions_lists(entity: Entity, section: etree._Element) -> None:
    """List names, and the earliest date the party was published on any of them."""
    for listing in children(section, "sanctionsList"):
        entity.add_property("sanctions_list", clean(listing.text))
        published = listing.get("datePublished")
        if published and (entity.listed_on is None or published < entity.listed_on):
            entity.listed_on = published


def _names(kind: Kind, name: etree._Element, scripts: dict[str, str]) -> list[Name]:
    role = alias_role(
        child_text(name, "aliasType"),
        weak=child_text(name, "isLowQuality") == "true",
        primary=child_text(name, "isPrimary") == "true",
    )
    found: list[Name] = []
    for translations in children(name, "translations"):
        for translation in children(translations, "translation"):
            made = _translation(kind, translation, role, scripts)
            if made is not None:
                found.append(made)
    return found


def _translation(
    kind: Kind, translation: etree._Element, role: NameRole, scripts: dict[str, str]
) -> Name | None:
    script_elements = children(translation, "script")
    script: str | None = None
    if script_elements:
        element = script_elements[0]
        script = scripts.get(element.get("refId", "")) or script_code(clean(element.text))
    typed: list[tuple[str, str]] = []
    for parts in children(translation, "nameParts"):
        for part in children(parts, "namePart"):
            value = child_text(part, "value")
            if value:
                typed.append(((child_text(part, "type") or "").lower(), value))
    formatted_full = child_text(translation, "formattedFullName")
    formatted_first = child_text(translation, "formattedFirstName")
    formatted_last = child_text(translation, "formattedLastName")
    by_type = dict(typed)
    if kind is not Kind.PERSON:
        # The formatted name is written as SDN.XML writes it (upper case); the parts are
        # sometimes in mixed case. Keeping the formatted form keeps the formats alike.
        full = formatted_full or " ".join(v for _t, v in typed)
        return Name(full=full, role=role, script=script) if full else None
    if formatted_first or formatted_last:
        name = person_name(role, given=formatted_first, family=formatted_last, script=script)
        if name is not None:  # middle/patronymic are inside formattedFirstName already
            name.middle = by_type.get("middle name")
            name.patronymic = by_type.get("patronymic")
        return name
    return person_name(
        role,
        given=by_type.get("first name"),
        middle=by_type.get("middle name"),
        family=by_type.get("last name"),
        patronymic=by_type.get("patronymic"),
        others=[v for t, v in typed if t not in _PERSON_PARTS] or [formatted_full or ""],
        script=script,
    )


def _address(element: etree._Element) -> Address | None:
    country = child_text(element, "country")
    parts: dict[str, str] = {}
    for translations in children(element, "translations"):
        for translation in children(translations, "translation"):
            if parts:  # the first (primary) translation is the address; others repeat it
                break
            for part_list in children(translation, "addressParts"):
                for part in children(part_list, "addressPart"):
                    part_type = (child_text(part, "type") or "").upper()
                    value = child_text(part, "value")
                    if value and part_type not in parts:
                        parts[part_type] = value
    street = ", ".join(p for k in ("ADDRESS1", "ADDRESS2", "ADDRESS3") if (p := parts.get(k)))
    known = {"ADDRESS1", "ADDRESS2", "ADDRESS3", "CITY", "STATE/PROVINCE", "POSTAL CODE"}
    other = [v for k, v in parts.items() if k not in known]
    city = parts.get("CITY")
    region = parts.get("STATE/PROVINCE")
    postal = parts.get("POSTAL CODE")
    pieces = [p for p in (street or None, *other, city, region, postal, country) if p]
    if not pieces:
        return None
    return Address(
        full=", ".join(pieces),
        street=street or None,
        city=city,
        region=region,
        postal_code=postal,
        country=country,
        country_code=country_code(country),
    )


def _feature(entity: Entity, feature: etree._Element, main_dates: list[DateValue]) -> None:
    label = child_text(feature, "type") or "Feature"
    lowered = label.lower()
    value = child_text(feature, "value")
    if lowered == "birthdate":
        when = parse_date_text(value) or _value_date(feature)
        if when is not None:
            is_main = child_text(feature, "isPrimary") == "true"
            (main_dates if is_main else entity.birth_dates).append(when)
    elif lowered == "place of birth":
        if value:
            entity.birth_places.append(birth_place(value))
    elif lowered in ("nationality country", "citizenship country"):
        if value:
            target = entity.nationalities if lowered.startswith("n") else entity.citizenships
            target.append(Country(name=value, code=country_code(value)))
    elif lowered == "location":
        if value:
            entity.addresses.append(Address(full=value))
    elif lowered == "nationality of registration":
        entity.add_property(property_key(label), value)
    else:
        add_fact(entity, label, value, as_identifier=False)


def _value_date(feature: etree._Element) -> DateValue | None:
    """Fallback when a feature's text is not a date: its valueDate bounds."""
    for value_date in children(feature, "valueDate"):
        try:
            first = date.fromisoformat((child_text(value_date, "fromDateBegin") or "")[:10])
            last = date.fromisoformat((child_text(value_date, "toDateEnd") or "")[:10])
        except ValueError:
            continue
        approximate = child_text(value_date, "isApproximate") == "true"
        return date_between(first, last, approximate=approximate)
    return None


def _document(entity: Entity, document: etree._Element) -> None:
    label = child_text(document, "type") or "Identifier"
    number = child_text(document, "documentNumber")
    if number is None:
        return
    notes: list[str] = []
    authority = child_text(document, "issuingAuthority")
    if authority:
        notes.append(f"issued by {authority}")
    if child_text(document, "isValid") == "false":
        notes.append("fraudulent")
    for child in document:
        tag = local_name(child)
        text = clean(child.text)
        if text and tag.lower().endswith("date"):
            notes.append(f"{tag} {text}")
    entity.identifiers.append(
        identifier(
            label,
            number,
            country=child_text(document, "issuingCountry"),
            note="; ".join(notes) or None,
        )
    )


def _relationship(entity: Entity, relationship: etree._Element, list_id: str) -> None:
    relation = child_text(relationship, "type")
    for related in children(relationship, "relatedEntity"):
        target = related.get("entityId")
        if relation and target:
            entity.add_property(property_key(relation), f"{list_id}:{target}")
