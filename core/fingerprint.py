"""Fingerprints: what a decision on a hit was about, so a later screening can tell whether
it still applies.

An officer clears a hit for *this* party against *this* listing. The decision holds as long
as both are what they were: the party's details (normalised name, type, country, date of
birth, identifiers) and the listing's content (names, identifiers, programs, dates of birth,
nationalities). Either fingerprint changing means the decision no longer applies and the
hit alerts again.

Both fingerprints are made of named fields with one normaliser each (:data:`PARTY_FIELDS`,
:data:`LISTING_FIELDS`): adding a field is one line. A field that is empty is left out of
the hashed text, so adding a field does not change the fingerprint of parties that do not
carry it (decisions made before stay valid for them).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from core.model import Entity
from core.normalise import normalise

Normaliser = Callable[[Any], Any]


def _text(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _upper(value: Any) -> str | None:
    text = _text(value)
    return text.upper() if text else None


def _name(value: Any) -> str | None:
    if value is None:
        return None
    return normalise(str(value)) or None


def _identifier_text(item: Any) -> str:
    """One identifier as "TYPE:VALUE:COUNTRY": a dict (the API's shape) or a plain string."""
    if isinstance(item, Mapping):
        kind = _text(item.get("type")) or ""
        value = "".join(str(item.get("value", "")).split()).upper()
        country = _upper(item.get("country") or item.get("country_code")) or ""
        return f"{kind.lower()}:{value}:{country}"
    return "".join(str(item).split()).upper()


def _identifiers(value: Any) -> list[str] | None:
    if not value:
        return None
    items = value if isinstance(value, list | tuple) else [value]
    # Pydantic models (the API's identifiers) as their dicts.
    plain = [item.model_dump() if hasattr(item, "model_dump") else item for item in items]
    return sorted({_identifier_text(item) for item in plain}) or None


# The party as screened: field name in the API's Party -> its normaliser.
PARTY_FIELDS: dict[str, Normaliser] = {
    "name": _name,
    "type": _text,
    "country": _upper,
    "date_of_birth": _text,
    "identifiers": _identifiers,
}


@dataclass(frozen=True, slots=True)
class PartyFingerprint:
    key: str  # hex digest of ``fields``: the party's identity in decisions and alerts
    fields: dict[str, Any]  # the normalised fields that were hashed (empty ones left out)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, **self.fields}


def _digest(fields: Mapping[str, Any]) -> str:
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def party_fingerprint(party: Mapping[str, Any]) -> PartyFingerprint:
    """The fingerprint of a party given as a mapping of the API's Party fields."""
    fields = {}
    for name, normaliser in PARTY_FIELDS.items():
        value = normaliser(party.get(name))
        if value is not None:
            fields[name] = value
    return PartyFingerprint(_digest(fields), fields)


def _sorted_texts(values: Iterable[str | None]) -> list[str] | None:
    found = sorted({text for text in (_text(v) for v in values) if text})
    return found or None


# The listing's content a decision was made against: field -> how it is read off an entity.
LISTING_FIELDS: dict[str, Callable[[Entity], Any]] = {
    "kind": lambda e: e.kind.value,
    "names": lambda e: _sorted_texts(normalise(n.full) for n in e.names),
    "identifiers": lambda e: _identifiers(
        [{"type": i.type.value, "value": i.value, "country": i.country_code} for i in e.identifiers]
    ),
    "programs": lambda e: _sorted_texts(e.programs),
    "birth_dates": lambda e: _sorted_texts(d.value for d in e.birth_dates),
    "nationalities": lambda e: _sorted_texts(
        c.code or c.name for c in [*e.nationalities, *e.citizenships]
    ),
}


def listing_fingerprint(entity: Entity) -> str:
    """The fingerprint of a listing's content: the same whichever engine or parser run
    produced the entity, different when a refresh changed a name, identifier, program,
    date of birth or nationality."""
    fields = {}
    for name, read in LISTING_FIELDS.items():
        value = read(entity)
        if value is not None:
            fields[name] = value
    return _digest(fields)
