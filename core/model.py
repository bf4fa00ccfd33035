"""The one entity model every list parser produces.

Each official list has its own shape; screening, diffing and display must not care which
list an entity came from, so every parser maps into these plain dataclasses. Nothing here
knows about files, HTTP or search engines.

Values are kept *as the list states them* (e.g. a date of birth "circa 1962" stays a
circa year, not an invented 1962-01-01), because an officer reviewing an alert must see
what the publisher actually said.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any


class Kind(enum.StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"


class NameRole(enum.StrEnum):
    """How the publisher presents a name; screening weighs them differently."""

    PRIMARY = "primary"
    AKA = "aka"  # also known as (OFAC "strong" a.k.a., UN "Good quality")
    FKA = "fka"  # formerly known as
    WEAK = "weak"  # low-quality alias (OFAC "weak", UN "Low quality")
    ORIGINAL_SCRIPT = "original_script"  # the primary name as written in its own script


@dataclass(slots=True)
class Name:
    full: str
    role: NameRole = NameRole.PRIMARY
    # ISO 15924 code of the script the name is written in ("Latn", "Cyrl", "Arab", ...).
    script: str | None = None
    # ISO 639 code of the language, where the list says so (EU, OFAC advanced).
    lang: str | None = None
    given: str | None = None
    family: str | None = None
    middle: str | None = None
    patronymic: str | None = None
    title: str | None = None


class DateKind(enum.StrEnum):
    EXACT = "exact"  # the list gives a full or partial date without qualification
    CIRCA = "circa"  # "circa", "approximately", "about"
    RANGE = "range"  # "between 1955 and 1958", "1955 to 1958"


@dataclass(slots=True)
class DateValue:
    """A date as the list states it.

    ``value`` is an ISO 8601 prefix at the precision given: "1962", "1962-05" or
    "1962-05-01". A range keeps its start in ``value`` and its end in ``end``.
    ``text`` is the publisher's wording, kept for display.
    """

    value: str
    kind: DateKind = DateKind.EXACT
    end: str | None = None
    text: str | None = None


@dataclass(slots=True)
class Address:
    full: str | None = None
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None  # the country as the list writes it
    country_code: str | None = None  # ISO 3166-1 alpha-2 where recognisable


class IdType(enum.StrEnum):
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    TAX_ID = "tax_id"
    REGISTRATION = "registration"
    IMO = "imo"
    MMSI = "mmsi"
    SWIFT_BIC = "swift_bic"
    AIRCRAFT_SERIAL = "aircraft_serial"
    AIRCRAFT_TAIL = "aircraft_tail"
    EMAIL = "email"
    WEBSITE = "website"
    PHONE = "phone"
    CRYPTO_WALLET = "crypto_wallet"
    OTHER = "other"


@dataclass(slots=True)
class Identifier:
    type: IdType
    value: str
    label: str | None = None  # the publisher's own name for it ("Cedula No.", "D-U-N-S Number")
    country: str | None = None  # issuing country as written
    country_code: str | None = None
    note: str | None = None


@dataclass(slots=True)
class Place:
    full: str
    country: str | None = None
    country_code: str | None = None


@dataclass(slots=True)
class Country:
    """A nationality, citizenship or other country link."""

    name: str
    code: str | None = None  # ISO 3166-1 alpha-2 where recognisable


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _flat(value: Any) -> dict[str, Any]:
    """A flat dataclass (Name, Address ...) as a dict of its fields."""
    return {name: getattr(value, name) for name in _field_names(type(value))}


@dataclass(slots=True)
class Entity:
    id: str  # "<list-id>:<the list's own stable record id>"
    list_id: str
    kind: Kind
    names: list[Name] = field(default_factory=list)
    birth_dates: list[DateValue] = field(default_factory=list)
    birth_places: list[Place] = field(default_factory=list)
    nationalities: list[Country] = field(default_factory=list)
    citizenships: list[Country] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    listed_on: str | None = None  # ISO date (prefix) of designation
    # ISO date (prefix) of the last day the listing is in force, where the list gives an
    # end (a debarment period, a denial order's expiry); None: in force until removed.
    ends_on: str | None = None
    remarks: str | None = None
    source_url: str | None = None
    gender: str | None = None
    # Further facts a list publishes that have no field of their own (e.g. METI's type of
    # WMD concern, a vessel's flag and tonnage, a position held). Keys are snake_case.
    properties: dict[str, list[str]] = field(default_factory=dict)

    @property
    def record_id(self) -> str:
        return self.id.split(":", 1)[1]

    @property
    def primary_name(self) -> str:
        for name in self.names:
            if name.role is NameRole.PRIMARY:
                return name.full
        return self.names[0].full if self.names else ""

    def listing_ended(self, on: date | None = None) -> bool:
        """True when the list itself says the listing is over by ``on`` (today, UTC):
        its end date has passed. Such an entity still matches (an officer may want to
        see it) but is no alert: the restriction no longer applies.

        A partial end date ("2021" or "2021-05") ends with its last day."""
        if not self.ends_on:
            return False
        today = (on or datetime.now(UTC).date()).isoformat()
        return today[: len(self.ends_on)] > self.ends_on

    def add_property(self, key: str, value: str | None) -> None:
        if value:
            values = self.properties.setdefault(key, [])
            if value not in values:
                values.append(value)

    def to_dict(self) -> dict[str, Any]:
        """``dataclasses.asdict(self)``, several times faster: asdict deep-copies every
        string, and publishing a million names spent a third of its time there. The
        nested values are flat dataclasses of strings and enums (a test pins equality)."""
        data: dict[str, Any] = {}
        for name in _field_names(Entity):
            value = getattr(self, name)
            if isinstance(value, list):
                value = [item if isinstance(item, str) else _flat(item) for item in value]
            elif isinstance(value, dict):
                value = {key: list(items) for key, items in value.items()}
            data[name] = value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(
            id=data["id"],
            list_id=data["list_id"],
            kind=Kind(data["kind"]),
            names=[Name(**{**n, "role": NameRole(n["role"])}) for n in data.get("names", [])],
            birth_dates=[
                DateValue(**{**d, "kind": DateKind(d["kind"])}) for d in data.get("birth_dates", [])
            ],
            birth_places=[Place(**p) for p in data.get("birth_places", [])],
            nationalities=[Country(**c) for c in data.get("nationalities", [])],
            citizenships=[Country(**c) for c in data.get("citizenships", [])],
            addresses=[Address(**a) for a in data.get("addresses", [])],
            identifiers=[
                Identifier(**{**i, "type": IdType(i["type"])}) for i in data.get("identifiers", [])
            ],
            programs=list(data.get("programs", [])),
            listed_on=data.get("listed_on"),
            ends_on=data.get("ends_on"),
            remarks=data.get("remarks"),
            source_url=data.get("source_url"),
            gender=data.get("gender"),
            properties={k: list(v) for k, v in data.get("properties", {}).items()},
        )


@dataclass(slots=True)
class SourceFile:
    """One official file a parsed list was read from, for provenance and diffing."""

    path: str
    sha256: str
    size: int


class AsOfSource(enum.StrEnum):
    """Where a list's "as of" date comes from (see :attr:`ParsedList.as_of`), best first."""

    PUBLISHER = "publisher"  # the publication date the file states
    LAST_MODIFIED = "last_modified"  # the publisher's server's Last-Modified (fetch.json)
    FETCHED = "fetched"  # when these bytes were downloaded (fetch.json)
    NEWEST_RECORD = "newest_record"  # the newest listing date of its records


@dataclass(slots=True)
class ParsedList:
    list_id: str
    # Publication date found inside the file(s); None when the format carries none.
    published: date | None
    entities: list[Entity]
    files: list[SourceFile] = field(default_factory=list)
    format: str | None = None
    # The date the list is known to be current as of, and where that date comes from:
    # ``published`` when the file states one, else what the download recorded, else the
    # newest dated record (indexer.freshness). None: nothing dates the list at all.
    as_of: date | None = None
    as_of_source: AsOfSource | None = None
