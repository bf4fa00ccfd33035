"""One designation of the FCDO's UK Sanctions List, as both its XML and its CSV give it.

The XML nests a designation's names, addresses and details in one ``<Designation>``; the
CSV repeats the designation on one row per name and address. Both readers collect the
values into a :class:`Designation` (every field a de-duplicated list, in first-seen
order) and :func:`designation_entity` maps it into the entity model once, so the two
formats give the same entities.

What goes where: the Unique ID (``RUS0251``) is the record id and also the property
``uk_sanctions_list_ref`` (the name OFSI's list gave it), the OFSI Group ID the property
``ofsi_group_id`` (how the parties of OFSI's retired list are found again), the UN
reference number ``un_ref`` (as the OFSI parser stores it), regimes are programs, the
designation date ``listed_on``; phone numbers, e-mail addresses, websites, passports,
national identifiers, business registration and IMO numbers are identifiers, labelled as
OFSI labelled them; the other facts are properties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from core.countries import country_code
from core.model import Address, Country, Entity, Identifier, IdType, Kind, Name, NameRole, Place
from indexer.errors import ListFormatError
from indexer.parsers._dates import iso_prefix, parse_date_text
from indexer.parsers._list_meta import registry_source_url
from indexer.parsers._uk_common import KINDS, latin_name, name_role, original_script_name

_SNAKE = re.compile(r"(?<!^)(?=[A-Z])")


@dataclass(frozen=True, slots=True)
class NameParts:
    parts: tuple[str | None, ...]  # Name 1 .. Name 6
    name_type: str | None
    strength: str | None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class NonLatinName:
    text: str
    script_type: str | None
    language: str | None


@dataclass(frozen=True, slots=True)
class AddressParts:
    lines: tuple[str | None, ...]  # Address Line 1 .. 6
    postal_code: str | None
    country: str | None


@dataclass(slots=True)
class Designation:
    """Everything read about one Unique ID; lists keep first-seen order, no repeats."""

    unique_id: str
    where: str
    values: dict[str, list[object]] = field(default_factory=dict)

    def add(self, key: str, value: object) -> None:
        if value is None or value == "" or value == ():
            return
        items = self.values.setdefault(key, [])
        if value not in items:
            items.append(value)

    def texts(self, key: str) -> list[str]:
        return [str(v) for v in self.values.get(key, [])]

    def first(self, key: str) -> str | None:
        found = self.texts(key)
        return found[0] if found else None

    def items(self, key: str) -> list[object]:
        return list(self.values.get(key, []))


def uk_date(text: str | None) -> str | None:
    """ISO form of the UK's dd/mm/yyyy (a full date only)."""
    found = iso_prefix(text) if text else None
    return found if found and len(found) == 10 else None


def published_date(text: str | None) -> date | None:
    found = uk_date(text)
    return date.fromisoformat(found) if found else None


def measure_key(tag: str) -> str:
    """ "AssetFreeze" -> "asset_freeze" (the XML's SanctionsImposedIndicators)."""
    return _SNAKE.sub("_", tag).lower()


def designation_entity(path: Path, item: Designation, list_id: str) -> Entity:
    kind_text = (item.first("kind") or "").casefold()
    if kind_text not in KINDS:
        raise ListFormatError(
            path, f"{item.unique_id}: unknown designation type {item.first('kind')!r}", item.where
        )
    kind = KINDS[kind_text]
    entity = Entity(
        id=f"{list_id}:{item.unique_id}",
        list_id=list_id,
        kind=kind,
        source_url=registry_source_url(list_id, item.unique_id),
    )
    _names(entity, item, kind)
    if not entity.names:
        raise ListFormatError(path, f"{item.unique_id}: a designation without a name", item.where)
    entity.programs = item.texts("regime")
    entity.listed_on = uk_date(item.first("date_designated"))
    entity.remarks = item.first("other_information")
    _facts(entity, item)
    _addresses(entity, item)
    _contacts(entity, item)
    _individual(entity, item)
    _entity_details(entity, item)
    _ship(entity, item)
    return entity


def _names(entity: Entity, item: Designation, kind: Kind) -> None:
    title = item.first("title")
    for parts in item.items("name"):
        assert isinstance(parts, NameParts)
        role = name_role(parts.name_type, parts.strength)
        name = latin_name(list(parts.parts), role, kind, parts.title or title)
        if name is not None and name not in entity.names:
            entity.names.append(name)
    for other in item.items("non_latin"):
        assert isinstance(other, NonLatinName)
        name = original_script_name(other.text, other.script_type, other.language)
        if name not in entity.names:
            entity.names.append(name)
    _ensure_primary(entity.names)


def _ensure_primary(names: list[Name]) -> None:
    """A designation listed only under variations: the first Latin name is primary."""
    if any(n.role is NameRole.PRIMARY for n in names):
        return
    for name in names:
        if name.role is NameRole.AKA:
            name.role = NameRole.PRIMARY
            return


def _facts(entity: Entity, item: Designation) -> None:
    entity.add_property("uk_sanctions_list_ref", item.unique_id)
    entity.add_property("ofsi_group_id", item.first("ofsi_group_id"))
    for ref in item.texts("un_ref"):
        entity.add_property("un_ref", ref)
    entity.add_property("last_updated", uk_date(item.first("last_updated")))
    entity.add_property("designation_source", item.first("designation_source"))
    for measure in item.texts("sanctions_imposed"):
        entity.add_property("sanctions_imposed", measure)
    for measure in item.texts("measure"):
        entity.add_property("measures", measure)
    entity.add_property("uk_statement_of_reasons", item.first("statement_of_reasons"))
    for title in item.texts("title"):
        entity.add_property("title", title)


def _addresses(entity: Entity, item: Designation) -> None:
    for parts in item.items("address"):
        assert isinstance(parts, AddressParts)
        lines = [line for line in parts.lines if line]
        if not lines and not parts.postal_code and not parts.country:
            continue
        street = ", ".join(line for line in parts.lines[:5] if line) or None
        address = Address(
            full=", ".join([*lines, *(p for p in (parts.postal_code, parts.country) if p)]),
            street=street,
            city=parts.lines[5] if len(parts.lines) > 5 else None,
            postal_code=parts.postal_code,
            country=parts.country,
            country_code=country_code(parts.country),
        )
        if address not in entity.addresses:
            entity.addresses.append(address)


def _identifier(entity: Entity, identifier: Identifier) -> None:
    if identifier not in entity.identifiers:
        entity.identifiers.append(identifier)


def _contacts(entity: Entity, item: Designation) -> None:
    for key, id_type, label in (
        ("phone", IdType.PHONE, "Phone number"),
        ("email", IdType.EMAIL, "Email address"),
        ("website", IdType.WEBSITE, "Website"),
    ):
        for value in item.texts(key):
            _identifier(entity, Identifier(type=id_type, value=value, label=label))


def _individual(entity: Entity, item: Designation) -> None:
    for text in item.texts("dob"):
        parsed = parse_date_text(text)
        if parsed is None:
            entity.add_property("birth_date_text", text)
        elif parsed not in entity.birth_dates:
            entity.birth_dates.append(parsed)
    for place in item.items("birth_place"):
        assert isinstance(place, tuple)
        town, country = place
        full = ", ".join(p for p in (town, country) if p)
        found = Place(full=full, country=country or None, country_code=country_code(country))
        if full and found not in entity.birth_places:
            entity.birth_places.append(found)
    for nationality in item.texts("nationality"):
        country = Country(name=nationality, code=country_code(nationality))
        if country not in entity.nationalities:
            entity.nationalities.append(country)
    genders = item.texts("gender")
    entity.gender = genders[0].casefold() if genders else None
    for position in item.texts("position"):
        entity.add_property("position", position)
    for key, id_type, label in (
        ("passport", IdType.PASSPORT, "Passport Number"),
        ("national_id", IdType.NATIONAL_ID, "National Identification Number"),
    ):
        for pair in item.items(key):
            assert isinstance(pair, tuple)
            number, note = pair
            _identifier(entity, Identifier(type=id_type, value=number, label=label, note=note))


def _entity_details(entity: Entity, item: Designation) -> None:
    for number in item.texts("registration"):
        _identifier(entity, Identifier(IdType.REGISTRATION, number, label="Business Reg No"))
    for key, prop in (
        ("entity_type", "entity_type"),
        ("parent", "parent_company"),
        ("subsidiary", "subsidiaries"),
    ):
        for value in item.texts(key):
            entity.add_property(prop, value)


def _ship(entity: Entity, item: Designation) -> None:
    for imo in item.texts("imo"):
        number = re.sub(r"^IMO\s*", "", imo, flags=re.I)
        _identifier(entity, Identifier(IdType.IMO, number, label="IMO number"))
    for hin in item.texts("hin"):
        _identifier(entity, Identifier(IdType.OTHER, hin, label="Hull identification number"))
    for key, prop in (
        ("owner", "vessel_owner"),
        ("previous_owner", "vessel_previous_owner"),
        ("flag", "vessel_flag"),
        ("previous_flag", "vessel_previous_flags"),
        ("ship_type", "vessel_type"),
        ("tonnage", "vessel_tonnage"),
        ("length", "vessel_length"),
        ("year_built", "vessel_year_built"),
    ):
        for value in item.texts(key):
            entity.add_property(prop, value)
