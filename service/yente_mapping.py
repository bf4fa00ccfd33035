"""Between yente's FollowTheMoney shapes and this service's model.

A yente query entity becomes one :class:`service.schemas.Party` per name it gives (yente
clients often send a name in two scripts), all screened in one request through the same
path as ``POST /v1/screen``; each query's answer is its best match per listed entity.
Listed entities go out as FollowTheMoney entities: ``Person``, ``Organization``,
``Vessel``, ``Airplane`` with ``name``, ``alias``, ``birthDate``, ``nationality`` and the
other properties the lists carry. Values a query gives that cannot be read (a date that is
not one, a country nobody knows, an IMO number whose check digit fails) are left out, as
yente does: ``query`` in the answer shows what was used.

A query's identifier properties (``imoNumber``, ``passportNumber``, ``idNumber``,
``registrationNumber``, ``swiftBic`` ...) become the party's identifiers: a listing that
carries one alerts whatever its name. A result is one listed *party*, as OpenSanctions'
merged entities are: the entity of its listing that decided the match (its ``id``), every
list naming the party in ``datasets`` and its other listings in ``referents``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from pydantic import ValidationError

from core.countries import country_code
from core.model import Entity, IdType, Kind, NameRole
from service.schemas import (
    MAX_IDENTIFIERS,
    EntityType,
    IdentifierIn,
    IdentifierType,
    MatchOut,
    Party,
    check_date,
)
from service.yente_schemas import (
    EntityExample,
    EntityResponse,
    FeatureDoc,
    QueryEcho,
    ScoredEntityResponse,
)

KIND_OF_SCHEMA: dict[str, EntityType | None] = {
    "Thing": None,
    "LegalEntity": None,
    "Person": "person",
    "Organization": "organization",
    "Company": "organization",
    "PublicBody": "organization",
    "Vessel": "vessel",
    "Airplane": "aircraft",
}
SCHEMA_OF_KIND = {
    Kind.PERSON: "Person",
    Kind.ORGANIZATION: "Organization",
    Kind.VESSEL: "Vessel",
    Kind.AIRCRAFT: "Airplane",
}
COUNTRY_PROPERTIES = ("nationality", "citizenship", "country", "jurisdiction")
DATE_PROPERTIES = ("birthDate", "incorporationDate", "buildDate")
IDENTIFIER_PROPERTY = {
    IdType.PASSPORT: "passportNumber",
    IdType.NATIONAL_ID: "idNumber",
    IdType.TAX_ID: "taxNumber",
    IdType.REGISTRATION: "registrationNumber",
    IdType.IMO: "imoNumber",
    IdType.MMSI: "mmsi",
    IdType.SWIFT_BIC: "swiftBic",
    IdType.AIRCRAFT_SERIAL: "serialNumber",
    IdType.AIRCRAFT_TAIL: "registrationNumber",
    IdType.EMAIL: "email",
    IdType.WEBSITE: "website",
    IdType.PHONE: "phone",
    IdType.CRYPTO_WALLET: "cryptoWallet",
    IdType.OTHER: "idNumber",
}
# FollowTheMoney's identifier properties, as the identifier types a party carries (an
# Airplane's registrationNumber is its tail number).
IDENTIFIER_OF_PROPERTY: dict[str, IdentifierType] = {
    "imoNumber": "imo",
    "mmsi": "mmsi",
    "swiftBic": "swift_bic",
    "passportNumber": "passport",
    "idNumber": "national_id",
    "taxNumber": "tax_id",
    "innCode": "tax_id",
    "registrationNumber": "registration",
    "ogrnCode": "registration",
    "serialNumber": "aircraft_serial",
}
_DATE_PREFIX = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?)(T[\d:.]*Z?)?$")

MATCHER: dict[str, FeatureDoc] = {
    "name_score": FeatureDoc(
        description="How well the best listed name or alias matches the query's name, "
        "across scripts and romanisations (token alignment with rarity weights)",
        coefficient=1.0,
    ),
    "birth_date": FeatureDoc(
        description="Added when the birth date agrees (exact day or year), taken off when "
        "it conflicts",
        coefficient=1.0,
    ),
    "country": FeatureDoc(
        description="Added when a country (nationality, citizenship, address) agrees, "
        "taken off when it conflicts",
        coefficient=1.0,
    ),
    "identifier": FeatureDoc(
        description="Added when a number the query gives (imoNumber, passportNumber, "
        "registrationNumber ...) is one the listing carries: enough alone to match",
        coefficient=1.0,
    ),
    "kind": FeatureDoc(
        description="Taken off when the listed entity is of another kind than asked "
        "(a vessel for a person)",
        coefficient=1.0,
    ),
}


def _date(value: str) -> str | None:
    match = _DATE_PREFIX.match(value.strip())
    if match is None:
        return None
    try:
        return check_date(match.group(1), "date")
    except ValueError:
        return None


def names_of(example: EntityExample) -> list[str]:
    """The names to screen: ``name`` values, else first and last names put together."""
    props = example.properties
    if props.name:
        return list(dict.fromkeys(props.name))
    extra = props.extra_values()
    parts = [
        *(props.firstName or []),
        *extra.get("middleName", []),
        *extra.get("fatherName", []),
        *(props.lastName or []),
    ]
    return [" ".join(parts)]


def identifiers_of(
    schema: str, extra: dict[str, list[str]]
) -> tuple[list[IdentifierIn], dict[str, list[str]]]:
    """The identifiers a query's properties give that can be compared, and by property
    the values used (the others are left out, as yente leaves out what it cannot read)."""
    found: list[IdentifierIn] = []
    used: dict[str, list[str]] = {}
    for prop, kind in IDENTIFIER_OF_PROPERTY.items():
        if schema == "Airplane" and prop == "registrationNumber":
            kind = "aircraft_tail"
        for value in extra.get(prop, []):
            if len(found) == MAX_IDENTIFIERS:
                break
            try:
                found.append(IdentifierIn(type=kind, value=value.strip()))
            except ValidationError:
                continue
            used.setdefault(prop, []).append(value)
    return found, used


def parties_of(query_id: str, example: EntityExample) -> tuple[list[Party], QueryEcho]:
    """The parties one query screens as, and the query as read (for ``query``)."""
    extra = example.properties.extra_values()
    used: dict[str, list[str]] = {}
    country = None
    for prop in COUNTRY_PROPERTIES:
        codes = [c for c in (country_code(v) for v in extra.get(prop, [])) if c]
        if codes:
            used[prop] = [c.lower() for c in codes]
            country = country or codes[0]
    birth_dates = [d for d in (_date(v) for v in extra.get("birthDate", [])) if d]
    if birth_dates:
        used["birthDate"] = birth_dates
    for prop in DATE_PROPERTIES[1:]:
        dates = [d for d in (_date(v) for v in extra.get(prop, [])) if d]
        if dates:
            used[prop] = dates
    identifiers, used_identifiers = identifiers_of(example.schema_, extra)
    used |= used_identifiers
    for prop, values in extra.items():
        read = (*COUNTRY_PROPERTIES, *DATE_PROPERTIES, *IDENTIFIER_OF_PROPERTY)
        if prop not in used and prop not in read:
            used[prop] = values  # kept as given, not matched on
    names = names_of(example)
    kind = KIND_OF_SCHEMA[example.schema_]
    parties = [
        Party(
            name=name,
            type=kind,
            country=country,
            date_of_birth=birth_dates[0] if birth_dates and kind in (None, "person") else None,
            reference=query_id,
            identifiers=identifiers,
        )
        for name in names
    ]
    echo_props = {"name": names, **used}
    if example.properties.firstName:
        echo_props["firstName"] = list(example.properties.firstName)
    if example.properties.lastName:
        echo_props["lastName"] = list(example.properties.lastName)
    return parties, QueryEcho(id=example.id, schema=example.schema_, properties=echo_props)


def _add(properties: dict[str, list[str]], name: str, values: Iterable[str | None]) -> None:
    kept = [v for v in dict.fromkeys(values) if v]
    if kept:
        properties.setdefault(name, []).extend(kept)


def entity_response(entity: Entity) -> EntityResponse:
    """A listed entity as a FollowTheMoney entity."""
    props: dict[str, list[str]] = {}
    primary = entity.primary_name
    _add(props, "name", [primary])
    _add(props, "alias", (n.full for n in entity.names if n.role != NameRole.PRIMARY))
    _add(props, "birthDate", (d.value for d in entity.birth_dates))
    _add(props, "birthPlace", (p.full for p in entity.birth_places))
    _add(props, "nationality", ((c.code or "").lower() for c in entity.nationalities))
    _add(props, "citizenship", ((c.code or "").lower() for c in entity.citizenships))
    _add(props, "country", ((a.country_code or "").lower() for a in entity.addresses))
    _add(props, "address", (a.full for a in entity.addresses))
    for identifier in entity.identifiers:
        _add(props, IDENTIFIER_PROPERTY.get(identifier.type, "idNumber"), [identifier.value])
    _add(props, "program", entity.programs)
    _add(props, "gender", [entity.gender])
    _add(props, "notes", [entity.remarks])
    _add(props, "sourceUrl", [entity.source_url])
    _add(props, "createdAt", [entity.listed_on])
    props["topics"] = ["sanction"]
    return EntityResponse(
        id=entity.id,
        caption=primary,
        schema=SCHEMA_OF_KIND.get(entity.kind, "LegalEntity"),
        properties=props,
        datasets=[entity.list_id],
    )


def features_of(match: MatchOut) -> dict[str, float]:
    explanation = match.explanation
    features = {"name_score": float(explanation.get("name_score", match.score))}
    for evidence in explanation.get("evidence", []):
        factor = str(evidence.get("factor"))
        features[factor] = features.get(factor, 0.0) + float(evidence.get("effect", 0.0))
    return features


def scored(
    entity: Entity, match: MatchOut, threshold: float, scope: Collection[str] | None = None
) -> ScoredEntityResponse:
    """One result: the party's deciding listing, every list naming the party in
    ``datasets`` and its other listings in ``referents`` (of the lists in ``scope``, the
    datasets matched against; None: all). A listing the list has ended is no ``match``
    whatever its score (as it is no alert)."""
    base = entity_response(entity).model_dump(by_alias=True)
    others = [
        item
        for item in match.listings
        if item.entity_id != entity.id and (scope is None or item.list_id in scope)
    ]
    base["datasets"] = list(dict.fromkeys([entity.list_id, *(i.list_id for i in others)]))
    base["referents"] = [item.entity_id for item in others]
    return ScoredEntityResponse(
        **base,
        score=match.score,
        features=features_of(match),
        # An ended listing is no match (as it is no alert); nor is a party whose alerting
        # listings recorded decisions cleared (its score stays).
        match=match.score >= threshold and not match.listing_ended and match.cleared is None,
        cleared=match.cleared,
    )
