"""The trade.gov Consolidated Screening List (CSL) CSV: 13 US export screening lists in one.

One row per listing; ``source`` names the list it comes from ("Entity List (EL) - Bureau
of Industry and Security"); multi-valued cells are joined with "; ". What the real file
(2022-05 snapshot) shows, and how it is read:

* ``_id`` is the record id. OFAC rows use the OFAC entity number, so a party on several
  Treasury lists (SDN and SSI, SDN and CAPTA...) appears in several rows with the same
  ``_id`` and the same facts. Those rows are one party: they become one entity whose
  ``source_list`` property names every list, so entity ids stay unique.
* ``type`` is Individual/Entity/Vessel/Aircraft for Treasury rows and empty for the
  Commerce and State lists; an empty type is read as an organization (the file does not
  say, and guessing a person from a name would be worse than a stated default).
* ``addresses``: each "street, city, state, postal code, country" with empty parts
  dropped, so the parts cannot be told apart reliably; the address is kept whole and the
  trailing ISO country code, where present, is read.
* ``ids``: each the non-empty parts of (country, expiration date, issue date, number,
  type) in that order (in every row with two dates the first is the later one). The
  last part says what it is: documents become identifiers, "Gender" the gender, and
  OFAC's informational entries ("Secondary sanctions risk:", directive dates...)
  properties, since they identify nobody.
* The file states no publication date, so ``published`` is None.
"""

from __future__ import annotations

import re
from pathlib import Path

from core.countries import country_code
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
from indexer.parsers._common import clean, find_file, source_file
from indexer.parsers._dates import parse_date_text
from indexer.parsers._delimited import iter_delimited

_REQUIRED = ("_id", "source", "name", "type", "alt_names", "addresses", "ids")
_SEP = "; "
_KINDS = {
    "individual": Kind.PERSON,
    "entity": Kind.ORGANIZATION,
    "vessel": Kind.VESSEL,
    "aircraft": Kind.AIRCRAFT,
    "": Kind.ORGANIZATION,
}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_SOURCE_CODE = re.compile(r"\(([^)]+)\)")

# Plain facts copied into properties under the column's own name.
_PROPERTY_COLUMNS = (
    "entity_number",
    "title",
    "federal_register_notice",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "source_list_url",
    "source_information_url",
)

# The last part of an ``ids`` entry → the kind of identifier it is.
_ID_TYPES: dict[str, IdType] = {
    "passport": IdType.PASSPORT,
    "diplomatic passport": IdType.PASSPORT,
    "stateless person passport": IdType.PASSPORT,
    "national id no.": IdType.NATIONAL_ID,
    "personal id card": IdType.NATIONAL_ID,
    "cedula no.": IdType.NATIONAL_ID,
    "c.u.r.p.": IdType.NATIONAL_ID,
    "d.n.i.": IdType.NATIONAL_ID,
    "identification number": IdType.NATIONAL_ID,
    "national foreign id number": IdType.NATIONAL_ID,
    "credencial electoral": IdType.NATIONAL_ID,
    "electoral registry no.": IdType.NATIONAL_ID,
    "c.u.i.": IdType.NATIONAL_ID,
    "residency number": IdType.NATIONAL_ID,
    "tax id no.": IdType.TAX_ID,
    "nit #": IdType.TAX_ID,
    "r.f.c.": IdType.TAX_ID,
    "rfc": IdType.TAX_ID,
    "ruc #": IdType.TAX_ID,
    "rif #": IdType.TAX_ID,
    "v.a.t. number": IdType.TAX_ID,
    "us fein": IdType.TAX_ID,
    "italian fiscal code": IdType.TAX_ID,
    "registration number": IdType.REGISTRATION,
    "registration id": IdType.REGISTRATION,
    "company number": IdType.REGISTRATION,
    "commercial registry number": IdType.REGISTRATION,
    "business registration number": IdType.REGISTRATION,
    "business registration document #": IdType.REGISTRATION,
    "chamber of commerce number": IdType.REGISTRATION,
    "unified social credit code (uscc)": IdType.REGISTRATION,
    "legal entity number": IdType.REGISTRATION,
    "government gazette number": IdType.REGISTRATION,
    "folio mercantil no.": IdType.REGISTRATION,
    "matricula mercantil no": IdType.REGISTRATION,
    "trade license no.": IdType.REGISTRATION,
    "c.r. no.": IdType.REGISTRATION,
    "public registration number": IdType.REGISTRATION,
    "d-u-n-s number": IdType.REGISTRATION,
    "vessel registration identification": IdType.IMO,
    "mmsi": IdType.MMSI,
    "swift/bic": IdType.SWIFT_BIC,
    "aircraft manufacturer's serial number (msn)": IdType.AIRCRAFT_SERIAL,
    "aircraft construction number (also called l/n or s/n or f/n)": IdType.AIRCRAFT_SERIAL,
    "aircraft tail number": IdType.AIRCRAFT_TAIL,
    "email address": IdType.EMAIL,
    "website": IdType.WEBSITE,
    "phone number": IdType.PHONE,
}

# ``ids`` entries that are facts about the party rather than identifiers.
_FACT_LABELS: dict[str, str] = {
    "organization established date": "organization_established_date",
    "organization type:": "organization_type",
    "target type": "target_type",
    "aircraft model": "aircraft_model",
    "aircraft manufacture date": "aircraft_manufacture_date",
    "aircraft operator": "aircraft_operator",
    "former vessel flag": "former_vessel_flag",
    "nationality of registration": "nationality_of_registration",
    "issuer name": "issuer_name",
}


def parse_us_csl_csv(path: Path, list_id: str) -> ParsedList:
    """Read the CSL ``consolidated.csv`` at ``path`` (the file or a folder holding it)."""
    csv_path = find_file(path, "consolidated.csv", "consolidated_screening_list.csv")
    entities: dict[str, Entity] = {}
    for line, row in iter_delimited(csv_path, delimiter=",", required=_REQUIRED):
        record_id = clean(row["_id"])
        if record_id is None:
            raise ListFormatError(csv_path, "row without an _id", f"line {line}")
        entity_id = f"{list_id}:{record_id}"
        entity = entities.get(entity_id)
        if entity is None:
            entity = _new_entity(csv_path, line, row, entity_id, list_id)
            entities[entity_id] = entity
        _add_row(entity, row)
    if not entities:
        raise ListFormatError(csv_path, "no rows: the list is empty")
    return ParsedList(
        list_id=list_id,
        published=None,
        entities=list(entities.values()),
        files=[source_file(csv_path)],
    )


def _new_entity(path: Path, line: int, row: dict[str, str], entity_id: str, list_id: str) -> Entity:
    type_text = (clean(row["type"]) or "").lower()
    if type_text not in _KINDS:
        raise ListFormatError(path, f"unknown type {row['type']!r}", f"line {line}")
    name = clean(row["name"])
    if name is None:
        raise ListFormatError(path, "row without a name", f"line {line}")
    kind = _KINDS[type_text]
    entity = Entity(id=entity_id, list_id=list_id, kind=kind)
    entity.names.append(_name(name, NameRole.PRIMARY, kind))
    entity.listed_on = _iso(row.get("start_date"))
    entity.remarks = clean(row.get("remarks"))
    entity.source_url = clean(row.get("source_list_url")) or clean(
        row.get("source_information_url")
    )
    return entity


def _add_row(entity: Entity, row: dict[str, str]) -> None:
    """Add one row's facts; a second row of the same party only adds what is new."""
    source = clean(row["source"])
    entity.add_property("source_list", source)
    entity.add_property("source_list_code", source_code(source))
    known_names = {n.full for n in entity.names}
    for alias in _split(row.get("alt_names")):
        alias = re.sub(r"^and\s+", "", alias)  # "X; and Y" in some Entity List rows
        if alias not in known_names:
            entity.names.append(_name(alias, NameRole.AKA, entity.kind))
            known_names.add(alias)
    for program in _split(row.get("programs")):
        if program not in entity.programs:
            entity.programs.append(program)
    for column in _PROPERTY_COLUMNS:
        entity.add_property(column, clean(row.get(column)))
    for text in _split(row.get("dates_of_birth")):
        birth = parse_date_text(text, day_first=False) or DateValue(value=text, text=text)
        if birth not in entity.birth_dates:
            entity.birth_dates.append(birth)
    for text in _split(row.get("places_of_birth")):
        place = _place(text)
        if place not in entity.birth_places:
            entity.birth_places.append(place)
    for text in _split(row.get("nationalities")):
        country = Country(name=text, code=country_code(text))
        if country not in entity.nationalities:
            entity.nationalities.append(country)
    for text in _split(row.get("citizenships")):
        country = Country(name=text, code=country_code(text))
        if country not in entity.citizenships:
            entity.citizenships.append(country)
    for text in _split(row.get("addresses")):
        address = _address(text)
        if address not in entity.addresses:
            entity.addresses.append(address)
    for text in _split(row.get("ids")):
        _add_id_entry(entity, text)


def source_code(source: str | None) -> str | None:
    """The short code of a CSL source list: "(EL)" → "EL", "(NS-MBS List)" → "NS-MBS"."""
    if not source:
        return None
    match = _SOURCE_CODE.search(source)
    if not match:
        return None
    return re.sub(r"\s+List$", "", match[1].strip())


def _split(value: str | None) -> list[str]:
    text = clean(value)
    if text is None:
        return []
    return [part for part in (clean(p) for p in text.split(_SEP)) if part]


def _iso(value: str | None) -> str | None:
    text = clean(value)
    return text if text and _ISO_DATE.fullmatch(text) else None


def _name(full: str, role: NameRole, kind: Kind) -> Name:
    """A name; Treasury writes individuals as "FAMILY, Given", which is split when clear."""
    name = Name(full=full, role=role, script=detect_script(full))
    if kind is Kind.PERSON and full.count(", ") == 1:
        family, given = (part.strip() for part in full.split(", "))
        if family and given:
            name.family, name.given = family, given
    return name


def _place(text: str) -> Place:
    last = text.rsplit(",", 1)[-1].strip()
    code = country_code(last)
    return Place(full=text, country=last if code else None, country_code=code)


def _address(text: str) -> Address:
    parts = [p.strip() for p in text.split(",")]
    last = parts[-1]
    if _COUNTRY.fullmatch(last) and country_code(last):
        return Address(full=text, country=last, country_code=last)
    return Address(full=text)


def _add_id_entry(entity: Entity, text: str) -> None:
    parts = [p.strip() for p in text.split(", ")]
    if len(parts) < 2:
        entity.add_property("ids_unparsed", text)
        return
    label = parts[-1]
    key = label.lower()
    body = parts[:-1]
    if key == "gender":
        entity.gender = entity.gender or body[0].lower()
        return
    if key in _FACT_LABELS:
        entity.add_property(_FACT_LABELS[key], ", ".join(body))
        return
    id_type = _id_type(key)
    if id_type is None:
        # OFAC's sanctions notes: "Secondary sanctions risk:", directive dates and the like.
        entity.add_property("sanctions_information", f"{label} {', '.join(body)}")
        return
    country: str | None = None
    if len(body) > 1 and _COUNTRY.fullmatch(body[0]) and country_code(body[0]):
        country = body.pop(0)
    dates: list[str] = []
    while len(body) > 1 and _ISO_DATE.fullmatch(body[0]):
        dates.append(body.pop(0))
    value = ", ".join(body)
    if id_type is IdType.IMO:
        value = re.sub(r"^IMO\s+", "", value)
    identifier = Identifier(
        type=id_type, value=value, label=label, country=country, country_code=country
    )
    if len(dates) == 2:
        identifier.note = f"expires {dates[0]}; issued {dates[1]}"
    elif dates:
        identifier.note = f"dated {dates[0]} (issue or expiration; the file does not say)"
    if identifier not in entity.identifiers:
        entity.identifiers.append(identifier)


def _id_type(key: str) -> IdType | None:
    if key in _ID_TYPES:
        return _ID_TYPES[key]
    if key.startswith("digital currency address"):
        return IdType.CRYPTO_WALLET
    if key.endswith((":", " -")) or "date" in key or "information" in key:
        return None
    return IdType.OTHER
