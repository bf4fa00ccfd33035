"""Identifiers in one comparable form, so that two lists' ways of writing the same number meet.

Lists write the same passport as "H 236483", "H236483" or "h-236483", add the country in
the value ("R00005943, South Sudan"), a label ("UK Company no. 06527449", "OGRN:
1027700456024") or a remark in brackets ("381110042 (Expired 25 Jan. 2016)"). A link
between two listings, or a query that carries a number, must compare the number itself.
A key is ``"<type>:<value>"`` for the types that are unique worldwide (IMO, MMSI,
SWIFT/BIC, aircraft serial and tail) and ``"<type>:<country>:<value>"`` for those that a
country issues (passport, national id, registration, tax id), the country empty when the
list does not say it: ``"passport:IR:A1234567"``, ``"passport::A1234567"``.

A value that is too weak to link two listings on is refused (no key): empty, a
placeholder ("N/A", "000000"), too short to be unique, an IMO number whose check digit
fails, a BIC of the wrong shape. A wrong link merges two parties; a missing one only
leaves them apart, so doubt refuses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from core.countries import country_code, is_country_code
from core.model import Entity, Identifier, IdType

# Types whose number a country issues: equal numbers of two countries are not the same.
COUNTRY_SCOPED = frozenset(
    {IdType.PASSPORT, IdType.NATIONAL_ID, IdType.REGISTRATION, IdType.TAX_ID}
)
# Types that name one party and are worth linking on (phone numbers, e-mail addresses and
# websites are shared by a group's companies; wallets by associates; "other" is anything).
LINKABLE = COUNTRY_SCOPED | {
    IdType.IMO,
    IdType.MMSI,
    IdType.SWIFT_BIC,
    IdType.AIRCRAFT_SERIAL,
    IdType.AIRCRAFT_TAIL,
}
# Readable names of the linkable types, for evidence sentences.
LABELS = {
    "imo": "IMO number",
    "mmsi": "MMSI",
    "swift_bic": "SWIFT/BIC",
    "passport": "passport",
    "national_id": "national id",
    "registration": "registration number",
    "tax_id": "tax number",
    "aircraft_serial": "aircraft serial number",
    "aircraft_tail": "aircraft tail number",
}
# Registration and tax numbers are both a company's number at its registry: lists file
# the Russian INN under either, so they compare as one family.
FAMILY = {IdType.TAX_ID.value: IdType.REGISTRATION.value}
# The fewest letters and digits a country-scoped number has to have to be unique (4-digit
# "national identification numbers" on the UN list are card serials of one office).
_MIN_COUNTRY_SCOPED = 5
_MIN_AIRCRAFT = 4

_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}")
# A run of letters and digits, optionally joined by the separators lists put inside numbers.
_RUN = re.compile(r"[A-Z0-9]+(?:[-./][A-Z0-9]+)*")
_SEPARATORS = re.compile(r"[-./\s]")
# A space or dash between two digits, as in "918 7629" (digits-only types drop it).
_DIGIT_GAP = re.compile(r"(?<=\d)[\s-](?=\d)")
_PLACEHOLDERS = frozenset({"NA", "NONE", "UNKNOWN", "NIL", "NULL", "TBD", "NOTKNOWN"})
_BIC = re.compile(r"[A-Z]{4}([A-Z]{2})[A-Z0-9]{2}(?:[A-Z0-9]{3})?")


def imo_check_digit_ok(digits: str) -> bool:
    """IMO ship numbers: the 7th digit is the sum of the first six weighted 7..2, mod 10."""
    if len(digits) != 7 or not digits.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:6], range(7, 1, -1), strict=True)
    )
    return total % 10 == int(digits[6])


def _is_placeholder(compact: str) -> bool:
    return compact in _PLACEHOLDERS or len(set(compact)) == 1


def _imo(text: str) -> list[str]:
    digits = re.sub(r"\D+", " ", _DIGIT_GAP.sub("", text)).split()
    return [run for run in digits if imo_check_digit_ok(run)]


def _mmsi(text: str) -> list[str]:
    runs = re.sub(r"\D+", " ", _DIGIT_GAP.sub("", text)).split()
    return [run for run in runs if len(run) == 9 and not _is_placeholder(run)]


def _bic(text: str) -> list[str]:
    compact = re.sub(r"[\s-]+", "", text.upper())
    found = _BIC.fullmatch(compact)
    if found is None or not is_country_code(found[1]):
        return []
    # "XXX" is the head office of an 8-character BIC; another branch code stays distinct.
    return [compact[:8] if compact.endswith("XXX") or len(compact) == 8 else compact]


def _aircraft(text: str) -> list[str]:
    out = []
    for run in _RUN.findall(_BRACKETED.sub(" ", text.upper())):
        compact = _SEPARATORS.sub("", run)
        long_enough = len(compact) >= _MIN_AIRCRAFT
        if long_enough and any(ch.isdigit() for ch in compact) and not _is_placeholder(compact):
            out.append(compact)
    return out


def _numbers(text: str) -> list[str]:
    """The numbers in a country-scoped value, label words and dates left out.

    "H 236483" joins a lone letter prefix to its number, as other lists write it glued;
    an all-digit number loses its leading zeros ("00490327" = "490327")."""
    text = _DATE.sub(" ", _BRACKETED.sub(" ", text.upper()))
    words = _RUN.findall(text)
    out: list[str] = []
    for index, word in enumerate(words):
        compact = _SEPARATORS.sub("", word)
        if not any(ch.isdigit() for ch in compact):
            continue
        previous = words[index - 1] if index else ""
        if len(previous) == 1 and previous.isalpha() and compact[0].isdigit():
            compact = previous + compact
        if compact.isdigit():
            compact = compact.lstrip("0")
        if len(compact) >= _MIN_COUNTRY_SCOPED and not _is_placeholder(compact):
            out.append(compact)
    return out


def identifier_country(identifier: Identifier) -> str | None:
    """The issuing country's ISO code: stated, or written into the value or the note."""
    if identifier.country_code:
        return identifier.country_code.upper()
    code = country_code(identifier.country)
    if code:
        return code
    for text in (identifier.value, identifier.note):
        if not text:
            continue
        # "R00005943, South Sudan": a country after the number; "Kuwait" as the whole note.
        for part in re.split(r"[,;]", text):
            code = country_code(part.strip())
            if code and not part.strip().isdigit():
                return code
    return None


def identifier_keys(identifier: Identifier) -> tuple[str, ...]:
    """Every comparable key one identifier holds ("INN: 7831000122 OGRN: 1027800000084"
    holds two), the most likely number first; empty when none is strong enough."""
    kind = identifier.type
    if kind not in LINKABLE or not identifier.value:
        return ()
    text = identifier.value
    if kind is IdType.IMO:
        values = _imo(text)
    elif kind is IdType.MMSI:
        values = _mmsi(text)
    elif kind is IdType.SWIFT_BIC:
        values = _bic(text)
    elif kind in (IdType.AIRCRAFT_SERIAL, IdType.AIRCRAFT_TAIL):
        values = _aircraft(text)
    else:
        values = _numbers(text)
    if kind in COUNTRY_SCOPED:
        country = identifier_country(identifier) or ""
        keys = [f"{kind.value}:{country}:{value}" for value in values]
    else:
        keys = [f"{kind.value}:{value}" for value in values]
    return tuple(dict.fromkeys(keys))


def normalise_identifier(identifier: Identifier) -> str | None:
    """A comparable key such as "imo:9187629", "passport:IR:A1234567",
    "swift_bic:BMJIIRTH"; None when the value is too weak to link on."""
    keys = identifier_keys(identifier)
    return keys[0] if keys else None


def split_key(key: str) -> tuple[str, str, str]:
    """(type, country, value) of a key; the country is "" for worldwide types."""
    kind, _, rest = key.partition(":")
    if kind in {t.value for t in COUNTRY_SCOPED}:
        country, _, value = rest.partition(":")
        return kind, country, value
    return kind, "", rest


def family(kind: str) -> str:
    """The type two keys must share to compare (tax and registration numbers are one)."""
    return FAMILY.get(kind, kind)


def keys_agree(one: str, other: str) -> bool:
    """Same number of the same family, and no two different countries."""
    kind_a, country_a, value_a = split_key(one)
    kind_b, country_b, value_b = split_key(other)
    if value_a != value_b or family(kind_a) != family(kind_b):
        return False
    return not (country_a and country_b and country_a != country_b)


def describe_key(key: str) -> str:
    """ "IMO number 9187629", "passport A1234567 (IR)": a key in words."""
    kind, country, value = split_key(key)
    where = f" ({country})" if country else ""
    return f"{LABELS.get(kind, kind)} {value}{where}"


def entity_keys(entity: Entity) -> tuple[str, ...]:
    """Every comparable key of an entity's identifiers."""
    return tuple(dict.fromkeys(key for i in entity.identifiers for key in identifier_keys(i)))


def shared_identifier(query_keys: Iterable[str], entity: Entity) -> str | None:
    """The entity's identifier (in words) that one of ``query_keys`` names, if any."""
    listed = entity_keys(entity)
    for key in query_keys:
        for other in listed:
            if keys_agree(key, other):
                return describe_key(other)
    return None


class IdentifierIndex:
    """Which entities carry a number: for a query that gives one, with or without a name."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self._postings: dict[tuple[str, str], list[tuple[int, str]]] = {}
        for position, entity in enumerate(entities):
            for key in entity_keys(entity):
                kind, country, value = split_key(key)
                self._postings.setdefault((family(kind), value), []).append((position, country))

    def find(self, keys: Iterable[str]) -> list[int]:
        """Positions of the entities carrying one of ``keys``, in list order."""
        found: set[int] = set()
        for key in keys:
            kind, country, value = split_key(key)
            for position, listed_country in self._postings.get((family(kind), value), ()):
                if not (country and listed_country and country != listed_country):
                    found.add(position)
        return sorted(found)
