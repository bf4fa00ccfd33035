"""OFAC advanced XML (sdn_advanced.xml, cons_advanced.xml) into entities.

The advanced schema is reference-based: a party's alias says ``AliasTypeID="1400"``, its
name parts ``ScriptID="220"`` and ``NamePartGroupID``, its addresses ``LocationID``; the
meanings sit in ``ReferenceValueSets``, ``Locations`` and ``IDRegDocuments`` earlier in
the file (the XSD fixes that order). So one streaming pass suffices: the small lookup
sections are kept in dicts as they close, each ``DistinctParty`` becomes an entity as it
closes, and the ``SanctionsEntries`` that follow add programs and listing dates.

It is the only OFAC format that carries names in their original script (Cyrillic, Arabic,
Chinese...) on the same alias as the Latin form; each written form becomes its own Name
with the alias's role and the ISO 15924 code of its script.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree

from core.countries import country_code
from core.model import (
    Address,
    Country,
    DateValue,
    Entity,
    Identifier,
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

FORMAT_NAME = "an OFAC advanced XML file"

_SECTIONS = {
    "DateOfIssue",
    "ReferenceValueSets",
    "Location",
    "IDRegDocument",
    "DistinctParty",
    "ProfileRelationship",
    "SanctionsEntry",
}


@dataclass(slots=True)
class _Ref:
    """One reference value: its text and attributes (ScriptCode, ISO2, PartyTypeID...)."""

    text: str
    attrs: dict[str, str]


@dataclass(slots=True)
class _Location:
    parts: dict[str, str] = field(default_factory=dict)  # LocPartType text -> value
    country: str | None = None
    country_iso2: str | None = None


@dataclass(slots=True)
class _State:
    """The lookups built while streaming, and the entities made so far."""

    file: Path
    list_id: str
    refs: dict[str, dict[str, _Ref]] = field(default_factory=dict)
    locations: dict[str, _Location] = field(default_factory=dict)
    documents: dict[str, list[Identifier]] = field(default_factory=dict)  # by IdentityID
    entities: dict[str, Entity] = field(default_factory=dict)  # by ProfileID
    published: date | None = None

    def ref(self, kind: str, ref_id: str | None) -> _Ref | None:
        if ref_id is None:
            return None
        return self.refs.get(kind, {}).get(ref_id)

    def ref_text(self, kind: str, ref_id: str | None) -> str | None:
        found = self.ref(kind, ref_id)
        return found.text if found else None


def parse_ofac_advanced_xml(path: Path, list_id: str) -> ParsedList:
    """Read an OFAC advanced XML file (or a folder holding sdn_/cons_advanced.xml)."""
    file = find_file(path, "sdn_advanced.xml", "cons_advanced.xml")
    check_root(file, "Sanctions", FORMAT_NAME)
    state = _State(file=file, list_id=list_id)
    for element in iter_xml(file, _SECTIONS):
        tag = local_name(element)
        if tag == "DateOfIssue":
            state.published = _date_point(element)
        elif tag == "ReferenceValueSets":
            state.refs = _reference_values(element)
        elif tag == "Location":
            state.locations[element.get("ID", "")] = _location(state, element)
        elif tag == "IDRegDocument":
            _id_document(state, element)
        elif tag == "DistinctParty":
            entity = _party(state, element)
            profile_id = entity.record_id
            state.entities[profile_id] = entity
        elif tag == "ProfileRelationship":
            _relationship(state, element)
        elif tag == "SanctionsEntry":
            _sanctions_entry(state, element)
    if not state.entities:
        raise ListFormatError(file, f"no <DistinctParty> found in {FORMAT_NAME}")
    return ParsedList(
        list_id=list_id,
        published=state.published,
        entities=list(state.entities.values()),
        files=[source_file(file)],
    )


def _reference_values(element: etree._Element) -> dict[str, dict[str, _Ref]]:
    """``<AliasTypeValues><AliasType ID="1400">A.K.A.</AliasType>...`` -> {"AliasType": ...}."""
    refs: dict[str, dict[str, _Ref]] = {}
    for value_set in element:
        for value in value_set:
            ref_id = value.get("ID")
            if ref_id is None:
                continue
            attrs = {str(k): str(v) for k, v in value.attrib.items()}
            refs.setdefault(local_name(value), {})[ref_id] = _Ref(clean(value.text) or "", attrs)
    return refs


def _date_point(element: etree._Element) -> date | None:
    """A ``Year/Month/Day`` element as a date."""
    try:
        return date(
            int(child_text(element, "Year") or ""),
            int(child_text(element, "Month") or ""),
            int(child_text(element, "Day") or ""),
        )
    except ValueError:
        return None


def _location(state: _State, element: etree._Element) -> _Location:
    location = _Location()
    for child in element:
        tag = local_name(child)
        if tag == "LocationCountry":
            country = state.ref("Country", child.get("CountryID"))
            if country is not None:
                location.country = country.text
                location.country_iso2 = country.attrs.get("ISO2")
        elif tag == "LocationPart":
            part_type = state.ref_text("LocPartType", child.get("LocPartTypeID")) or "Unknown"
            values = children(child, "LocationPartValue")
            primary = [v for v in values if v.get("Primary") == "true"] or values
            for value in primary[:1]:
                text = child_text(value, "Value")
                if text:
                    location.parts[part_type.upper()] = text
    return location


def _id_document(state: _State, element: etree._Element) -> None:
    label = state.ref_text("IDRegDocType", element.get("IDRegDocTypeID")) or "Identifier"
    number = child_text(element, "IDRegistrationNo")
    if number is None:
        return
    country = state.ref_text("Country", element.get("IssuedBy-CountryID"))
    notes: list[str] = []
    authority = child_text(element, "IssuingAuthority")
    if authority:
        notes.append(f"issued by {authority}")
    if state.ref_text("Validity", element.get("ValidityID")) == "Fraudulent":
        notes.append("fraudulent")
    for document_date in children(element, "DocumentDate"):
        what = state.ref_text("IDRegDocDateType", document_date.get("IDRegDocDateTypeID"))
        periods = children(document_date, "DatePeriod")
        when = _date_period(periods[0]) if periods else None
        if what and when:
            notes.append(f"{what} {when.text}")
    state.documents.setdefault(element.get("IdentityID", ""), []).append(
        identifier(label, number, country=country, note="; ".join(notes) or None)
    )


def _party(state: _State, element: etree._Element) -> Entity:
    profiles = children(element, "Profile")
    if not profiles:
        raise ListFormatError(
            state.file, "DistinctParty without Profile", f"line {element.sourceline}"
        )
    profile = profiles[0]
    fixed_ref = element.get("FixedRef") or profile.get("ID")
    if not fixed_ref:
        raise ListFormatError(
            state.file, "DistinctParty without FixedRef", f"line {element.sourceline}"
        )
    kind = _kind(state, profile.get("PartySubTypeID"))
    if kind is None:
        raise ListFormatError(
            state.file,
            f"party {fixed_ref}: unknown PartySubTypeID {profile.get('PartySubTypeID')}",
            f"line {profile.sourceline}",
        )
    entity = Entity(id=f"{state.list_id}:{fixed_ref}", list_id=state.list_id, kind=kind)
    comment = child_text(element, "Comment")
    entity.remarks = comment
    for identity in children(profile, "Identity"):
        _identity(state, entity, identity)
    for feature in children(profile, "Feature"):
        _feature(state, entity, feature)
    return entity


def _kind(state: _State, sub_type_id: str | None) -> Kind | None:
    """Vessel/Aircraft from the party sub-type, else Individual/Entity from its type."""
    sub_type = state.ref("PartySubType", sub_type_id)
    if sub_type is None:
        return None
    kind = kind_for(sub_type.text)
    if kind is not None:
        return kind
    return kind_for(state.ref_text("PartyType", sub_type.attrs.get("PartyTypeID")))


def _identity(state: _State, entity: Entity, identity: etree._Element) -> None:
    group_types: dict[str, str] = {}
    for group in identity.iter("{*}NamePartGroup"):
        part_type = state.ref_text("NamePartType", group.get("NamePartTypeID"))
        if part_type:
            group_types[group.get("ID", "")] = part_type
    for alias in children(identity, "Alias"):
        role = alias_role(
            state.ref_text("AliasType", alias.get("AliasTypeID")),
            weak=alias.get("LowQuality") == "true",
            primary=alias.get("Primary") == "true",
        )
        for documented in children(alias, "DocumentedName"):
            name = _documented_name(state, entity.kind, documented, group_types, role)
            if name is not None:
                entity.names.append(name)
    entity.identifiers.extend(state.documents.pop(identity.get("ID", ""), []))


def _documented_name(
    state: _State,
    kind: Kind,
    documented: etree._Element,
    group_types: dict[str, str],
    role: NameRole,
) -> Name | None:
    """One written form of an alias: its parts by type, in the script its parts give."""
    typed: list[tuple[str, str]] = []
    script: str | None = None
    for value in documented.iter("{*}NamePartValue"):
        text = clean(value.text)
        if text is None:
            continue
        if script is None:
            found = state.ref("Script", value.get("ScriptID"))
            if found is not None:
                script = script_code(found.text, found.attrs.get("ScriptCode"))
        typed.append((group_types.get(value.get("NamePartGroupID", ""), ""), text))
    if not typed:
        return None
    if kind is Kind.PERSON:
        by_type = {t.lower(): v for t, v in typed}
        known = {"first name", "middle name", "last name", "patronymic"}
        return person_name(
            role,
            given=by_type.get("first name"),
            middle=by_type.get("middle name"),
            family=by_type.get("last name"),
            patronymic=by_type.get("patronymic"),
            others=[v for t, v in typed if t.lower() not in known],
            script=script,
        )
    return Name(full=" ".join(v for _t, v in typed), role=role, script=script)


def _feature(state: _State, entity: Entity, feature: etree._Element) -> None:
    label = state.ref_text("FeatureType", feature.get("FeatureTypeID")) or "Feature"
    lowered = label.lower()
    for version in children(feature, "FeatureVersion"):
        periods = children(version, "DatePeriod")
        when = _date_period(periods[0]) if periods else None
        text: str | None = None
        for detail in children(version, "VersionDetail"):
            reference = state.ref_text("DetailReference", detail.get("DetailReferenceID"))
            text = reference or clean(detail.text) or text
        location: _Location | None = None
        for version_location in children(version, "VersionLocation"):
            location = state.locations.get(version_location.get("LocationID", ""))
        if lowered == "birthdate":
            if when is not None:
                entity.birth_dates.append(when)
        elif lowered == "place of birth":
            place = text or (_address(location).full if location else None)
            if place:
                entity.birth_places.append(birth_place(place))
        elif lowered in ("nationality country", "citizenship country"):
            country = _country(location, text)
            if country is not None:
                target = entity.nationalities if lowered.startswith("n") else entity.citizenships
                target.append(country)
        elif lowered == "location":
            if location is not None:
                address = _address(location)
                if address.full:
                    entity.addresses.append(address)
        elif when is not None:
            entity.add_property(property_key(label), when.text)
        elif location is not None:
            country = _country(location, text)
            entity.add_property(property_key(label), country.name if country else None)
        else:
            add_fact(entity, label, text, as_identifier=False)


def _country(location: _Location | None, text: str | None) -> Country | None:
    name = (location.country if location else None) or text
    if name is None and location is not None and location.parts:
        name = next(iter(location.parts.values()))
    if name is None:
        return None
    code = (location.country_iso2 if location else None) or country_code(name)
    return Country(name=name, code=code)


def _address(location: _Location) -> Address:
    parts = location.parts
    street = ", ".join(p for k in ("ADDRESS1", "ADDRESS2", "ADDRESS3") if (p := parts.get(k)))
    known = {"ADDRESS1", "ADDRESS2", "ADDRESS3", "CITY", "STATE/PROVINCE", "POSTAL CODE"}
    other = [v for k, v in parts.items() if k not in known]
    city = parts.get("CITY")
    region = parts.get("STATE/PROVINCE")
    postal = parts.get("POSTAL CODE")
    pieces = [p for p in (street or None, *other, city, region, postal, location.country) if p]
    return Address(
        full=", ".join(pieces) or None,
        street=street or None,
        city=city,
        region=region,
        postal_code=postal,
        country=location.country,
        country_code=location.country_iso2 or country_code(location.country),
    )


def _boundary(element: etree._Element | None) -> tuple[date | None, date | None, bool]:
    """(From, To, Approximate) of a Start or End boundary."""
    if element is None:
        return None, None, False
    points = {local_name(c): _date_point(c) for c in element if local_name(c) in ("From", "To")}
    return points.get("From"), points.get("To"), element.get("Approximate") == "true"


def _date_period(period: etree._Element) -> DateValue | None:
    """A DatePeriod: the earliest Start and the latest End bound, see ``date_between``."""
    starts = children(period, "Start")
    ends = children(period, "End")
    start_from, start_to, start_approx = _boundary(starts[0] if starts else None)
    end_from, end_to, end_approx = _boundary(ends[0] if ends else None)
    first = start_from or start_to or end_from or end_to
    last = end_to or end_from or start_to or start_from
    if first is None or last is None:
        return None
    return date_between(first, last, approximate=start_approx or end_approx)


def _relationship(state: _State, element: etree._Element) -> None:
    entity = state.entities.get(element.get("From-ProfileID", ""))
    relation = state.ref_text("RelationType", element.get("RelationTypeID"))
    target = element.get("To-ProfileID")
    if entity is not None and relation and target:
        entity.add_property(property_key(relation), f"{state.list_id}:{target}")


def _sanctions_entry(state: _State, element: etree._Element) -> None:
    """Programs (the comment of a "Program" measure), list names and the listing date."""
    entity = state.entities.get(element.get("ProfileID", ""))
    if entity is None:
        return
    entity.add_property("sanctions_list", state.ref_text("List", element.get("ListID")))
    for event in children(element, "EntryEvent"):
        for event_date in children(event, "Date"):
            listed = _date_point(event_date)
            if listed is not None:
                iso = listed.isoformat()
                if entity.listed_on is None or iso < entity.listed_on:
                    entity.listed_on = iso
    for measure in children(element, "SanctionsMeasure"):
        if state.ref_text("SanctionsType", measure.get("SanctionsTypeID")) != "Program":
            continue
        program = child_text(measure, "Comment")
        if program and program not in entity.programs:
            entity.programs.append(program)
