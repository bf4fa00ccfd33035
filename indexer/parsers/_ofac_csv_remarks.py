"""Facts OFAC hides in the free-text Remarks column of its legacy CSV (and fixed-field) files.

The legacy files have no columns for dates of birth, passports, weak aliases and so on:
OFAC writes them into ``Remarks`` as "; "-separated clauses, each opening with its label
("DOB 01 Jan 1960", "alt. Passport A123 (Iran) expires 2020", "a.k.a. 'ABU X'"). Screening
needs them as structured values (a date of birth is secondary evidence, a weak alias must
be weighed as weak), so each clause is read by its label; a clause with no known label
is kept as a ``remark`` property rather than guessed at. The whole text always stays in
``Entity.remarks`` too, for the reviewing officer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from core.countries import country_code
from core.model import Country, Entity, Identifier, IdType, Name, NameRole, Place
from core.scripts import detect_script
from indexer.parsers._dates import iso_prefix, parse_date_text
from indexer.parsers._ofac_labels import ID_LABELS, id_type_for, typed_value


@dataclass(frozen=True, slots=True)
class PropertyClause:
    """A clause that is a fact but not an identifier, stored under ``key``.

    ``prefix`` is a cheap literal test run before ``pattern``. The pattern's group
    "value" is what is stored; a pattern without it stores the whole clause, because
    there the label itself carries the meaning ("Executive Order 13662 Directive ...").
    Date-valued clauses are stored as an ISO prefix when readable, else as written."""

    prefix: str
    pattern: re.Pattern[str]
    key: str
    is_date: bool = False


def _clause(prefix: str, rest: str, key: str, *, is_date: bool = False) -> PropertyClause:
    return PropertyClause(prefix, re.compile("^" + re.escape(prefix) + rest + "$"), key, is_date)


_PROPERTY_CLAUSES: list[PropertyClause] = [
    _clause("Linked To", r":\s*(?P<value>.+)", "linked_to"),
    _clause(
        "Additional Sanctions Information",
        r"\s*-\s*(?P<value>.+)",
        "additional_sanctions_information",
    ),
    _clause("Secondary sanctions risk", r":\s*(?P<value>.+)", "secondary_sanctions_risk"),
    _clause(
        "Transactions Prohibited For Persons Owned or Controlled By U.S.",
        r" .+",
        "transactions_prohibited",
    ),
    _clause("Organization Type", r":\s*(?P<value>.+)", "organization_type"),
    _clause("Target Type", r"\s+(?P<value>.+)", "target_type"),
    _clause(
        "Executive Order",
        r" \d+ (?:Directive Determination|Directive Information|information)\b.*",
        "executive_order_information",
    ),
    _clause("Listing Date", r" \(.+\):.*", "directive_dates"),
    _clause("Effective Date", r" \(.+\):.*", "directive_dates"),
    _clause("CAATSA Section", r" \d+ Information:.*", "caatsa_information"),
    _clause("IFCA Determination", r"\s*-\s*(?P<value>.+)", "ifca_determination"),
    _clause("Aircraft Model", r"\s+(?P<value>.+)", "aircraft_model"),
    _clause("Aircraft Operator", r"\s+(?P<value>.+)", "aircraft_operator"),
    _clause("Vessel Year of Build", r"\s+(?P<value>.+)", "vessel_year_of_build"),
    _clause("Former Vessel Flag", r"\s+(?P<value>.+)", "former_vessel_flag"),
    _clause("Other Vessel Type", r"\s+(?P<value>.+)", "other_vessel_type"),
    _clause("Nationality of Registration", r"\s+(?P<value>.+)", "nationality_of_registration"),
    _clause(
        "Organization Established Date",
        r"\s+(?P<value>.+)",
        "organization_established",
        is_date=True,
    ),
    _clause(
        "Aircraft Manufacture Date", r"\s+(?P<value>.+)", "aircraft_manufacture_date", is_date=True
    ),
]
_PROPERTY_PREFIXES = tuple(c.prefix for c in _PROPERTY_CLAUSES)

_CLAUSE_SPLIT = re.compile(r";\s*")
_ALIAS = re.compile(r"^([afn])\.k\.a\.?,?\s+(.+)$", re.I)
_DOB = re.compile(r"^DOB:?\s+(.+)$")
_POB = re.compile(r"^POB:?\s+(.+)$")
# "Nationality of Registration X" is an aircraft's or vessel's, read as a property.
_NATIONALITY = re.compile(r"^nationality:?\s+(?!of Registration\b)(.+)$", re.I)
_CITIZEN = re.compile(r"^citizen(?:ship)?:?\s+(.+)$", re.I)
_GENDER = re.compile(r"^Gender\s+(Male|Female)$", re.I)
_CRYPTO = re.compile(r"^(Digital Currency Address\s*-\s*\S+)\s+(\S+)$")
_ID_LABEL = re.compile(
    r"^(?P<label>"
    + "|".join(re.escape(label) for label in sorted(ID_LABELS, key=len, reverse=True))
    + r"):?\s+(?P<rest>.+)$"
)
# "<value> (<country>) issued <date> expires <date>"; all but the value optional.
_ID_TAIL = re.compile(
    r"^(?P<value>.+?)(?:\s+\((?P<country>[^()]+)\))?"
    r"(?:,?\s+issued\s+(?P<issued>.+?))?(?:,?\s+expires\s+(?P<expires>.+?))?$"
)
# An unlisted label followed by a value with a digit and a recognisable country.
_UNKNOWN_ID = re.compile(r"^(?P<label>[A-Za-z][^\d()]{1,60}?)\s+(?P<rest>\S*\d.*\([^()]+\).*)$")


@functools.lru_cache(maxsize=4096)
def cached_country_code(name: str) -> str | None:
    """country_code() remembered: OFAC repeats a few hundred country spellings thousands
    of times, and the lookup normalises text on every call."""
    return country_code(name)


_code = cached_country_code
_ASCII_LETTER = re.compile(r"[A-Za-z]")


def name_script(text: str) -> str | None:
    """detect_script(), with a shortcut for plain ASCII (every OFAC CSV name seen so far)."""
    if text.isascii():
        return "Latn" if _ASCII_LETTER.search(text) else None
    return detect_script(text)


def place_country(text: str) -> tuple[str | None, str | None]:
    """The country at the end of a place ("Culiacan, Sinaloa, Mexico" -> Mexico, MX).

    Two trailing parts are tried before one, because OFAC writes some countries with a
    comma ("Korea, North", "Congo, Democratic Republic of the")."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    for take in (2, 1):
        if len(parts) >= take:
            candidate = ", ".join(parts[-take:])
            code = _code(candidate)
            if code:
                return candidate, code
    return None, None


def split_remarks(remarks: str) -> list[str]:
    """The clauses of a Remarks text, without OFAC's closing full stop."""
    body = remarks.strip()
    if body.endswith("."):
        body = body[:-1]
    return [c.strip() for c in _CLAUSE_SPLIT.split(body) if c.strip()]


def person_name_parts(full: str) -> tuple[str | None, str | None]:
    """(family, given) of an OFAC person name written "FAMILY, Given Names"."""
    family, sep, given = full.partition(",")
    if not sep:
        return None, None
    return family.strip() or None, given.strip() or None


def apply_remarks(entity: Entity, remarks: str, *, is_person: bool) -> None:
    """Add every fact found in ``remarks`` to ``entity``."""
    for clause in split_remarks(remarks):
        if clause[:5].lower() == "alt. ":
            clause = clause[5:].lstrip()
        _apply_clause(entity, clause, is_person=is_person)


def _apply_clause(entity: Entity, clause: str, *, is_person: bool) -> None:
    for reader in _CLAUSE_READERS:
        if reader(entity, clause, is_person):
            return
    entity.add_property("remark", clause)


def _read_alias(entity: Entity, clause: str, is_person: bool) -> bool:
    m = _ALIAS.match(clause)
    if not m:
        return False
    # OFAC puts only weak aliases in the remarks, in single quotes (spec, "weak AKAs").
    full = m[2].strip().strip("'\"").strip()
    if not full:
        return True
    family, given = person_name_parts(full) if is_person else (None, None)
    name = Name(full=full, role=NameRole.WEAK, script=name_script(full), family=family, given=given)
    if all(n.full != full or n.role is not NameRole.WEAK for n in entity.names):
        entity.names.append(name)
    return True


def _read_birth_date(entity: Entity, clause: str, is_person: bool) -> bool:
    m = _DOB.match(clause)
    if not m:
        return False
    value = parse_date_text(m[1])
    if value is None:
        entity.add_property("birth_date_text", m[1])
    elif value not in entity.birth_dates:
        entity.birth_dates.append(value)
    return True


def _read_birth_place(entity: Entity, clause: str, is_person: bool) -> bool:
    m = _POB.match(clause)
    if not m:
        return False
    country, code = place_country(m[1])
    place = Place(full=m[1], country=country, country_code=code)
    if place not in entity.birth_places:
        entity.birth_places.append(place)
    return True


def _read_country_link(entity: Entity, clause: str, is_person: bool) -> bool:
    m = _NATIONALITY.match(clause)
    target = entity.nationalities
    if not m:
        m = _CITIZEN.match(clause)
        target = entity.citizenships
    if not m:
        return False
    country = Country(name=m[1], code=_code(m[1]))
    if country not in target:
        target.append(country)
    return True


def _read_gender(entity: Entity, clause: str, is_person: bool) -> bool:
    m = _GENDER.match(clause)
    if not m:
        return False
    entity.gender = m[1].lower()
    return True


def _read_property(entity: Entity, clause: str, is_person: bool) -> bool:
    if not clause.startswith(_PROPERTY_PREFIXES):
        return False
    for prop in _PROPERTY_CLAUSES:
        if not clause.startswith(prop.prefix):
            continue
        m = prop.pattern.match(clause)
        if m:
            value = (m.groupdict().get("value") or clause).strip()
            entity.add_property(prop.key, (iso_prefix(value) or value) if prop.is_date else value)
            return True
    return False


def _read_crypto(entity: Entity, clause: str, is_person: bool) -> bool:
    m = _CRYPTO.match(clause)
    if not m:
        return False
    _add_identifier(entity, Identifier(type=IdType.CRYPTO_WALLET, value=m[2], label=m[1]))
    return True


def _read_identifier(entity: Entity, clause: str, is_person: bool) -> bool:
    m = _ID_LABEL.match(clause)
    if m:
        _add_identifier(entity, _identifier(id_type_for(m["label"]), m["label"], m["rest"]))
        return True
    m = _UNKNOWN_ID.match(clause)
    if m:
        identifier = _identifier(IdType.OTHER, m["label"], m["rest"])
        if identifier.country_code:  # only a recognisable country makes it an identifier
            _add_identifier(entity, identifier)
            return True
    return False


def _identifier(id_type: IdType, label: str, rest: str) -> Identifier:
    m = _ID_TAIL.match(rest.strip())
    if m is None:  # the pattern accepts any non-empty text; kept for the type checker
        return Identifier(type=id_type, value=rest.strip(), label=label)
    value, country = m["value"].strip(), m["country"]
    code = _code(country) if country else None
    if country and not code:  # "(Stuttgart)", "(MSN)": part of the value, not a country
        value, country = f"{value} ({country})", None
    id_type, value = typed_value(id_type, value)
    notes = [f"{word} {m[word]}" for word in ("issued", "expires") if m[word]]
    return Identifier(
        type=id_type,
        value=value,
        label=label,
        country=country,
        country_code=code,
        note="; ".join(notes) or None,
    )


def _add_identifier(entity: Entity, identifier: Identifier) -> None:
    if identifier not in entity.identifiers:
        entity.identifiers.append(identifier)


_CLAUSE_READERS: list[Callable[[Entity, str, bool], bool]] = [
    _read_alias,
    _read_birth_date,
    _read_birth_place,
    _read_country_link,
    _read_gender,
    _read_crypto,
    _read_property,
    _read_identifier,
]
