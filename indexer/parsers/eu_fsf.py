"""The EU Financial Sanctions Files, v1.1: the XML export and the semicolon CSV.

Both carry the same records: a ``sanctionEntity`` (id ``logicalId``) with its name aliases,
citizenships, birth dates, addresses and identifications, each a sub-record with its own
logical id. The XML nests them; the CSV repeats the entity's columns on one row per
sub-record, so rows are grouped by ``Entity_LogicalId``. Both readers build the same
entities through the ``_add_*`` functions below, so the two formats cannot drift apart.

The first name alias is the entry's name as the regulation lists it (PRIMARY); later ones
are a.k.a., or WEAK where the XML marks them ``strong="false"`` (the CSV has no such
column). Names keep their ``nameLanguage`` (ISO 639-1, lower-cased) and detected script.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
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
    children,
    clean,
    iter_xml,
    local_name,
    require_nonempty,
    source_file,
)
from indexer.parsers._dates import iso_prefix, parse_date_text
from indexer.parsers._list_meta import read_xml_root, registry_source_url

_KIND = {
    "person": Kind.PERSON,
    "p": Kind.PERSON,
    "enterprise": Kind.ORGANIZATION,
    "e": Kind.ORGANIZATION,
}
_ID_TYPES = {
    "passport": IdType.PASSPORT,
    "id": IdType.NATIONAL_ID,
    "nationalid": IdType.NATIONAL_ID,
    "ssn": IdType.NATIONAL_ID,
    "fiscalcode": IdType.TAX_ID,
    "tin": IdType.TAX_ID,
    "regnumber": IdType.REGISTRATION,
    "swiftbic": IdType.SWIFT_BIC,
    "bic": IdType.SWIFT_BIC,
    "imo": IdType.IMO,
}
_CONTACT_TYPES = {
    "email": IdType.EMAIL,
    "phone": IdType.PHONE,
    "fax": IdType.PHONE,
    "web": IdType.WEBSITE,
    "website": IdType.WEBSITE,
}
_UNKNOWN_COUNTRY = {"00", ""}
_TRUE = {"true", "yes", "y", "1"}

Get = Callable[[str], str | None]


# --- building entities (shared by XML and CSV) ----------------------------------------


def _new_entity(list_id: str, logical_id: str, get: Get, where: str, file: Path) -> Entity:
    """An entity from the entity-level fields; ``get(field)`` reads them in either format
    (field names are the XML attribute names; the CSV maps its columns onto them)."""
    code = (get("subjectType") or "").lower()
    classification = (get("classificationCode") or "").lower()
    kind = _KIND.get(code) or _KIND.get(classification)
    if kind is None:
        raise ListFormatError(file, f"entity {logical_id}: unknown subject type {code!r}", where)
    entity = Entity(
        id=f"{list_id}:{logical_id}",
        list_id=list_id,
        kind=kind,
        listed_on=_iso(get("designationDate")) or _iso(get("publicationDate")),
        source_url=registry_source_url(list_id, logical_id),
    )
    programme = get("programme")
    if programme:
        entity.programs.append(programme)
    entity.add_property("eu_reference_number", get("euReferenceNumber"))
    entity.add_property("un_id", get("unitedNationId"))
    entity.add_property("designation_details", get("designationDetails"))
    entity.add_property("regulation", get("numberTitle"))
    entity.add_property("regulation_url", get("publicationUrl"))
    entity.add_property("regulation_publication_date", _iso(get("publicationDate")))
    _add_remark(entity, get("remark"))
    return entity


def _iso(text: str | None) -> str | None:
    return iso_prefix(text) if text else None


def _add_remark(entity: Entity, remark: str | None) -> None:
    if not remark:
        return
    if entity.remarks is None:
        entity.remarks = remark
    elif remark not in entity.remarks:
        entity.remarks = f"{entity.remarks}\n{remark}"


def _add_name(entity: Entity, get: Get) -> None:
    parts = [get(k) for k in ("firstName", "middleName", "lastName")]
    full = get("wholeName") or " ".join(p for p in parts if p)
    if not full:
        return
    if not entity.names:
        role = NameRole.PRIMARY
    elif (get("strong") or "").lower() == "false":
        role = NameRole.WEAK
    else:
        role = NameRole.AKA
    language = get("nameLanguage")
    entity.names.append(
        Name(
            full=full,
            role=role,
            script=detect_script(full),
            lang=language.lower() if language else None,
            given=parts[0],
            middle=parts[1],
            family=parts[2],
            title=get("title"),
        )
    )
    gender = {"m": "male", "f": "female"}.get((get("gender") or "").lower())
    if gender and entity.gender is None:
        entity.gender = gender
    entity.add_property("function", get("function"))
    _add_remark(entity, get("remark"))


def _country(get: Get) -> tuple[str | None, str | None]:
    """(name as written, ISO code) from countryIso2Code/countryDescription; "00" is unknown."""
    iso = (get("countryIso2Code") or "").upper()
    description = get("countryDescription")
    if description and description.upper() == "UNKNOWN":
        description = None
    code = iso if iso not in _UNKNOWN_COUNTRY else country_code(description)
    return description or (code if code else None), code


def _add_citizenship(entity: Entity, get: Get) -> None:
    name, code = _country(get)
    if name and all((c.name, c.code) != (name, code) for c in entity.citizenships):
        entity.citizenships.append(Country(name=name, code=code))


def _birth_date(get: Get) -> DateValue | None:
    circa = (get("circa") or "").lower() in _TRUE
    calendar = (get("calendarType") or "GREGORIAN").upper()
    kind = DateKind.CIRCA if circa else DateKind.EXACT
    start, end = get("yearRangeFrom"), get("yearRangeTo")
    value: DateValue | None = None
    if start and end and iso_prefix(start) and iso_prefix(end):
        value = DateValue(value=start, kind=DateKind.RANGE, end=end, text=f"{start} to {end}")
    else:
        full = iso_prefix(get("birthdate") or "")
        year, month, day = get("year"), get("monthOfYear"), get("dayOfMonth")
        if not full and year:
            stated = year
            if month:
                stated += f"-{int(month):02d}"
                if day:
                    stated += f"-{int(day):02d}"
            full = iso_prefix(stated) or iso_prefix(year)
        if full:
            value = DateValue(value=full, kind=kind, text=f"circa {full}" if circa else full)
    if value is not None and calendar != "GREGORIAN":
        value.text = f"{value.text} ({calendar.lower()} calendar)"
    return value


def _add_birth(entity: Entity, get: Get) -> None:
    value = _birth_date(get)
    if value is not None and all(
        (d.value, d.kind, d.end) != (value.value, value.kind, value.end) for d in entity.birth_dates
    ):
        entity.birth_dates.append(value)
    country, code = _country(get)
    parts = [get("place"), get("city"), get("region"), country]
    full = ", ".join(dict.fromkeys(p for p in parts if p))
    if full and all(p.full != full for p in entity.birth_places):
        entity.birth_places.append(Place(full=full, country=country, country_code=code))
    _add_remark(entity, get("remark"))


def _add_address(entity: Entity, get: Get, contacts: list[tuple[str, str]]) -> None:
    country, code = _country(get)
    street, city, postal = get("street"), get("city"), get("zipCode")
    po_box = get("poBox")
    region, place = get("region"), get("place")
    parts = [street, f"P.O. Box {po_box}" if po_box else None, place, city, region, postal]
    full = ", ".join(p for p in [*parts, country] if p)
    if full:
        entity.addresses.append(
            Address(
                full=full,
                street=street,
                city=city,
                region=region,
                postal_code=postal,
                country=country,
                country_code=code,
            )
        )
    for key, value in contacts:
        id_type = _CONTACT_TYPES.get(key.lower(), IdType.OTHER)
        entity.identifiers.append(Identifier(type=id_type, value=value, label=key))
    _add_remark(entity, get("remark"))


def _add_identification(entity: Entity, get: Get) -> None:
    number = get("number") or get("latinNumber")
    if not number:
        return
    code = (get("identificationTypeCode") or "").lower()
    country, iso = _country(get)
    flags = [
        flag
        for flag, attr in (
            ("diplomatic", "diplomatic"),
            ("known expired", "knownExpired"),
            ("known false", "knownFalse"),
            ("reported lost", "reportedLost"),
            ("revoked by issuer", "revokedByIssuer"),
        )
        if (get(attr) or "").lower() in _TRUE
    ]
    details = [
        *flags,
        *(f"issued by {v}" for v in [get("issuedBy")] if v),
        *(f"issued {v}" for v in [get("issueDate")] if v),
        *(f"valid to {v}" for v in [get("validTo")] if v),
        *(f"name on document: {v}" for v in [get("nameOnDocument")] if v),
        *(v for v in [get("remark")] if v),
    ]
    entity.identifiers.append(
        Identifier(
            type=_ID_TYPES.get(code, IdType.OTHER),
            value=number,
            label=get("identificationTypeDescription") or code or None,
            country=country,
            country_code=iso,
            note="; ".join(details) or None,
        )
    )


def _finish(file: Path, entities: list[Entity], published: date | None, list_id: str) -> ParsedList:
    if not entities:
        raise ListFormatError(file, "no sanction entities", "whole file")
    return ParsedList(
        list_id=list_id, published=published, entities=entities, files=[source_file(file)]
    )


# --- XML -------------------------------------------------------------------------------


def _find(path: Path, suffix: str) -> Path:
    if path.is_file():
        return path
    if path.is_dir():
        found = sorted(c for c in path.iterdir() if c.is_file() and c.suffix.lower() == suffix)
        if found:
            return found[0]
    raise ListFormatError(path, f"no EU FSF {suffix} file here")


def _attrs(element: etree._Element) -> Get:
    attrib = {str(k): v for k, v in element.attrib.items()}

    def get(key: str) -> str | None:
        return clean(attrib.get(key))

    return get


def _texts(element: etree._Element, name: str) -> list[str]:
    return [t for t in (clean(c.text) for c in children(element, name)) if t]


def parse_eu_fsf_xml(path: Path, list_id: str) -> ParsedList:
    """Read xmlFullSanctionsList_1_1.xml (schema eu_fsf_schema_1_1.xsd)."""
    file = _find(path, ".xml")
    root = read_xml_root(file, "export")
    generated = root.get("generationDate")
    published = (
        date.fromisoformat(generated[:10]) if generated and iso_prefix(generated[:10]) else None
    )
    if generated and published is None:
        raise ListFormatError(file, f"bad generationDate {generated!r}", "root element")
    entities: list[Entity] = []
    seen: set[str] = set()
    for element in iter_xml(file, {"sanctionEntity"}):
        where = f"line {element.sourceline or '?'}"
        logical_id = clean(element.get("logicalId"))
        if not logical_id:
            raise ListFormatError(file, "sanctionEntity without logicalId", where)
        if logical_id in seen:
            raise ListFormatError(file, f"logicalId {logical_id} appears twice", where)
        seen.add(logical_id)
        entities.append(_xml_entity(file, element, logical_id, list_id, where))
    return _finish(file, entities, published, list_id)


def _xml_entity(
    file: Path, element: etree._Element, logical_id: str, list_id: str, where: str
) -> Entity:
    own = _attrs(element)
    regulation = next(iter(children(element, "regulation")), None)
    subject = next(iter(children(element, "subjectType")), None)
    regulation_get = _attrs(regulation) if regulation is not None else (lambda _k: None)
    subject_get = _attrs(subject) if subject is not None else (lambda _k: None)
    regulation_urls = _texts(regulation, "publicationUrl") if regulation is not None else []

    def get(key: str) -> str | None:
        if key == "subjectType":
            return subject_get("code")
        if key == "classificationCode":
            return subject_get("classificationCode")
        if key in ("programme", "publicationDate", "numberTitle"):
            return regulation_get(key)
        if key == "publicationUrl":
            return regulation_urls[0] if regulation_urls else None
        if key == "remark":
            return "\n".join(_texts(element, "remark")) or None
        return own(key)

    entity = _new_entity(list_id, logical_id, get, where, file)
    for child in element:
        tag = local_name(child)
        child_get = _with_remarks(child)
        if tag == "nameAlias":
            _add_name(entity, child_get)
        elif tag == "citizenship":
            _add_citizenship(entity, child_get)
        elif tag == "birthdate":
            _add_birth(entity, child_get)
        elif tag == "address":
            contacts = [
                (k, v)
                for k, v in (
                    (clean(c.get("key")), clean(c.get("value")))
                    for c in children(child, "contactInfo")
                )
                if k and v
            ]
            _add_address(entity, child_get, contacts)
        elif tag == "identification":
            _add_identification(entity, child_get)
        elif tag == "additionalInformation":
            key, value = clean(child.get("key")), clean(child.get("value"))
            if key:
                entity.add_property(key, value)
    if not entity.names:
        raise ListFormatError(file, f"entity {logical_id} has no nameAlias", where)
    return entity


def _with_remarks(element: etree._Element) -> Get:
    attrs = _attrs(element)
    remarks = "\n".join(_texts(element, "remark")) or None

    def get(key: str) -> str | None:
        return remarks if key == "remark" else attrs(key)

    return get


# --- CSV -------------------------------------------------------------------------------

# XML attribute name -> CSV column, per sub-record prefix.
_CSV_ENTITY = {
    "subjectType": "Entity_SubjectType",
    "classificationCode": "Entity_SubjectType_ClassificationCode",
    "programme": "Entity_Regulation_Programme",
    "publicationDate": "Entity_Regulation_PublicationDate",
    "numberTitle": "Entity_Regulation_NumberTitle",
    "publicationUrl": "Entity_Regulation_PublicationUrl",
    "designationDate": "Entity_DesignationDate",
    "designationDetails": "Entity_DesignationDetails",
    "euReferenceNumber": "Entity_EU_ReferenceNumber",
    "unitedNationId": "Entity_UnitedNationId",
    "remark": "Entity_Remark",
}
_CSV_SUB = {
    "NameAlias": {
        "wholeName": "WholeName",
        "firstName": "FirstName",
        "middleName": "MiddleName",
        "lastName": "LastName",
        "nameLanguage": "NameLanguage",
        "gender": "Gender",
        "title": "Title",
        "function": "Function",
        "remark": "Remark",
    },
    "BirthDate": {
        "birthdate": "BirthDate",
        "dayOfMonth": "Day",
        "monthOfYear": "Month",
        "year": "Year",
        "yearRangeFrom": "YearRangeFrom",
        "yearRangeTo": "YearRangeTo",
        "circa": "Circa",
        "calendarType": "CalendarType",
        "region": "Region",
        "place": "Place",
        "city": "City",
        "countryIso2Code": "CountryIso2Code",
        "countryDescription": "CountryDescription",
        "remark": "Remark",
    },
    "Address": {
        "city": "City",
        "street": "Street",
        "poBox": "PoBox",
        "zipCode": "ZipCode",
        "region": "Region",
        "place": "Place",
        "countryIso2Code": "CountryIso2Code",
        "countryDescription": "CountryDescription",
        "remark": "Remark",
    },
    "Identification": {
        "number": "Number",
        "latinNumber": "LatinNumber",
        "diplomatic": "Diplomatic",
        "knownExpired": "KnownExpired",
        "knownFalse": "KnownFalse",
        "reportedLost": "ReportedLost",
        "revokedByIssuer": "RevokedByIssuer",
        "issuedBy": "IssuedBy",
        "issueDate": "IssuedDate",
        "validTo": "ValidTo",
        "nameOnDocument": "NameOnDocument",
        "identificationTypeCode": "TypeCode",
        "identificationTypeDescription": "TypeDescription",
        "countryIso2Code": "CountryIso2Code",
        "countryDescription": "CountryDescription",
        "remark": "Remark",
    },
    "Citizenship": {
        "countryIso2Code": "CountryIso2Code",
        "countryDescription": "CountryDescription",
        "region": "Region",
        "remark": "Remark",
    },
}
_CSV_REQUIRED = ("Entity_LogicalId", "Entity_SubjectType", "NameAlias_WholeName")


def _csv_rows(file: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) pairs; refuses a file whose header is not the FSF CSV's."""
    require_nonempty(file)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ListFormatError(file, f"not UTF-8 text: {exc.reason}", f"byte {exc.start}") from exc
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header = next(reader, None)
    if not header or any(column not in header for column in _CSV_REQUIRED):
        missing = [c for c in _CSV_REQUIRED if not header or c not in header]
        raise ListFormatError(
            file, f"not an EU FSF CSV: header lacks {', '.join(missing)}", "line 1"
        )
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ListFormatError(
                file,
                f"row has {len(row)} fields, the header {len(header)} (truncated or broken)",
                f"line {line}",
            )
        yield line, dict(zip(header, row, strict=True))


def _csv_getter(row: dict[str, str], columns: dict[str, str], prefix: str = "") -> Get:
    def get(key: str) -> str | None:
        column = columns.get(key)
        return clean(row.get(f"{prefix}{column}")) if column else None

    return get


def parse_eu_fsf_csv(path: Path, list_id: str) -> ParsedList:
    """Read csvFullSanctionsList_1_1.csv: one row per sub-record, grouped by Entity_LogicalId."""
    file = _find(path, ".csv")
    by_id: dict[str, Entity] = {}
    seen_sub: set[tuple[str, str, str]] = set()
    published: date | None = None
    for line, row in _csv_rows(file):
        where = f"line {line}"
        logical_id = clean(row.get("Entity_LogicalId"))
        if not logical_id:
            raise ListFormatError(file, "row without Entity_LogicalId", where)
        generated = clean(row.get("fileGenerationDate"))
        if published is None and generated:
            found = parse_date_text(generated, day_first=True)
            published = (
                date.fromisoformat(found.value) if found and len(found.value) == 10 else None
            )
        entity = by_id.get(logical_id)
        if entity is None:
            entity = _new_entity(
                list_id,
                logical_id,
                _csv_getter(row, {k: v for k, v in _CSV_ENTITY.items()}),
                where,
                file,
            )
            by_id[logical_id] = entity
        for prefix, columns in _CSV_SUB.items():
            sub_id = clean(row.get(f"{prefix}_LogicalId"))
            get = _csv_getter(row, columns, f"{prefix}_")
            if not sub_id and not any(get(k) for k in columns):
                continue
            key = (logical_id, prefix, sub_id or str(line))
            if key in seen_sub:
                continue
            seen_sub.add(key)
            if prefix == "NameAlias":
                _add_name(entity, get)
            elif prefix == "BirthDate":
                _add_birth(entity, get)
            elif prefix == "Address":
                contact = clean(row.get("Address_ContactInfo"))
                _add_address(entity, get, [("contact", contact)] if contact else [])
            elif prefix == "Identification":
                _add_identification(entity, get)
            else:
                _add_citizenship(entity, get)
    for logical_id, entity in by_id.items():
        if not entity.names:
            raise ListFormatError(file, f"entity {logical_id} has no name alias row", "whole file")
    return _finish(file, list(by_id.values()), published, list_id)
