"""OFAC XML in the SDN.XML schema (SDN.XML, CONSOLIDATED.XML) into entities.

One ``sdnEntry`` per party, its ``uid`` the same number as the CSV ``ent_num`` and the
advanced/enhanced formats' FixedRef / entity id, so ids agree across OFAC's formats.
The file is streamed entry by entry; the publication date comes from
``publshInformation/Publish_Date`` (MM/DD/YYYY).
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
    make_address,
    source_file,
)
from indexer.parsers._dates import parse_date_text
from indexer.parsers._ofac_labels import (
    add_fact,
    alias_role,
    birth_place,
    check_root,
    identifier,
    kind_for,
    person_name,
)

FORMAT_NAME = "an OFAC SDN.XML-schema file"

# vesselInfo child -> the label OFAC's other formats use for the same fact.
_VESSEL_LABELS = {
    "callSign": "Vessel Call Sign",
    "vesselType": "Vessel Type",
    "vesselFlag": "Vessel Flag",
    "vesselOwner": "Vessel Owner",
    "tonnage": "Vessel Tonnage",
    "grossRegisteredTonnage": "Vessel Gross Registered Tonnage",
}


def parse_ofac_xml(path: Path, list_id: str) -> ParsedList:
    """Read an SDN.XML-schema file (or a folder holding sdn.xml / consolidated.xml)."""
    file = find_file(path, "sdn.xml", "consolidated.xml")
    check_root(file, "sdnList", FORMAT_NAME)
    published: date | None = None
    record_count: int | None = None
    entities: list[Entity] = []
    for element in iter_xml(file, {"publshInformation", "sdnEntry"}):
        if local_name(element) == "publshInformation":
            published = _publish_date(file, element)
            count_text = child_text(element, "Record_Count")
            record_count = int(count_text) if count_text and count_text.isdigit() else None
            continue
        entities.append(_entry(file, element, list_id))
    if not entities:
        raise ListFormatError(file, f"no <sdnEntry> found in {FORMAT_NAME}")
    if record_count is not None and record_count != len(entities):
        raise ListFormatError(
            file, f"Record_Count says {record_count} entries but the file holds {len(entities)}"
        )
    return ParsedList(
        list_id=list_id,
        published=published,
        entities=entities,
        files=[source_file(file)],
    )


def _publish_date(file: Path, element: etree._Element) -> date | None:
    text = child_text(element, "Publish_Date")
    if text is None:
        return None
    try:
        return datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError as exc:
        raise ListFormatError(
            file, f"Publish_Date {text!r} is not MM/DD/YYYY", f"line {element.sourceline}"
        ) from exc


def _entry(file: Path, element: etree._Element, list_id: str) -> Entity:
    uid = child_text(element, "uid")
    if uid is None:
        raise ListFormatError(file, "sdnEntry without uid", f"line {element.sourceline}")
    sdn_type = child_text(element, "sdnType")
    kind = kind_for(sdn_type)
    if kind is None:
        raise ListFormatError(
            file, f"sdnEntry {uid}: unknown sdnType {sdn_type!r}", f"line {element.sourceline}"
        )
    entity = Entity(id=f"{list_id}:{uid}", list_id=list_id, kind=kind)
    entity.remarks = child_text(element, "remarks")
    entity.add_property("title", child_text(element, "title"))
    primary = _name(
        kind,
        child_text(element, "firstName"),
        child_text(element, "lastName"),
        NameRole.PRIMARY,
    )
    if primary is not None:
        entity.names.append(primary)
    for child in element:
        tag = local_name(child)
        if tag == "programList":
            entity.programs.extend(t for p in children(child, "program") if (t := _text(p)))
        elif tag == "akaList":
            _akas(entity, child)
        elif tag == "idList":
            _ids(entity, child)
        elif tag == "addressList":
            entity.addresses.extend(a for c in children(child, "address") if (a := _address(c)))
        elif tag == "nationalityList":
            entity.nationalities.extend(_countries(child, "nationality"))
        elif tag == "citizenshipList":
            entity.citizenships.extend(_countries(child, "citizenship"))
        elif tag == "dateOfBirthList":
            _birth_dates(entity, child)
        elif tag == "placeOfBirthList":
            for item in children(child, "placeOfBirthItem"):
                place = child_text(item, "placeOfBirth")
                if place:
                    entity.birth_places.append(birth_place(place))
        elif tag == "vesselInfo":
            for vessel_child in child:
                label = _VESSEL_LABELS.get(local_name(vessel_child))
                if label:
                    add_fact(entity, label, _text(vessel_child), as_identifier=False)
    return entity


def _text(element: etree._Element) -> str | None:
    return clean(element.text)


def _name(kind: Kind, first: str | None, last: str | None, role: NameRole) -> Name | None:
    """Individuals keep given/family apart; other kinds put their whole name in lastName."""
    if kind is Kind.PERSON:
        return person_name(role, given=first, family=last, script="Latn")
    full = " ".join(part for part in (first, last) if part)
    return Name(full=full, role=role, script="Latn") if full else None


def _akas(entity: Entity, aka_list: etree._Element) -> None:
    for aka in children(aka_list, "aka"):
        category = (child_text(aka, "category") or "").lower()
        role = alias_role(child_text(aka, "type"), weak=category == "weak")
        name = _name(entity.kind, child_text(aka, "firstName"), child_text(aka, "lastName"), role)
        if name is not None:
            entity.names.append(name)


def _ids(entity: Entity, id_list: etree._Element) -> None:
    for item in children(id_list, "id"):
        label = child_text(item, "idType") or "Identifier"
        value = child_text(item, "idNumber")
        if value is None:
            continue
        country = child_text(item, "idCountry")
        dates = [
            f"{what} {when}"
            for what, tag in (("issued", "issueDate"), ("expires", "expirationDate"))
            if (when := child_text(item, tag))
        ]
        before = len(entity.identifiers)
        add_fact(entity, label, value, as_identifier=True)
        if len(entity.identifiers) > before:  # it was an identifier: add what SDN.XML adds
            entity.identifiers[-1] = identifier(
                label, value, country=country, note="; ".join(dates) or None
            )


def _address(element: etree._Element) -> Address | None:
    street_parts = [child_text(element, f"address{i}") for i in (1, 2, 3)]
    street = ", ".join(p for p in street_parts if p) or None
    city = child_text(element, "city")
    region = child_text(element, "stateOrProvince")
    postal = child_text(element, "postalCode")
    country = child_text(element, "country")
    return make_address(street, city, region, postal, country)


def _countries(list_element: etree._Element, item_tag: str) -> list[Country]:
    found: list[Country] = []
    for item in children(list_element, item_tag):
        name = child_text(item, "country")
        if name:
            found.append(Country(name=name, code=country_code(name)))
    return found


def _birth_dates(entity: Entity, dob_list: etree._Element) -> None:
    """Dates of birth as OFAC writes them, the main entry first."""
    dated: list[tuple[bool, DateValue]] = []
    for item in children(dob_list, "dateOfBirthItem"):
        text = child_text(item, "dateOfBirth")
        if text is None:
            continue
        value = parse_date_text(text)
        if value is None:
            entity.add_property("date_of_birth_text", text)
            continue
        dated.append(((child_text(item, "mainEntry") or "").lower() == "true", value))
    dated.sort(key=lambda pair: not pair[0])
    entity.birth_dates.extend(value for _main, value in dated)
