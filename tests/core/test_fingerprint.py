"""Party and listing fingerprints: what a decision was about."""

from __future__ import annotations

import dataclasses

from core.fingerprint import PARTY_FIELDS, listing_fingerprint, party_fingerprint
from core.model import Entity, Identifier, IdType, Kind, Name, NameRole


def test_the_same_party_written_differently_has_one_fingerprint() -> None:
    one = party_fingerprint({"name": "Muhammad  YUSUF", "country": "ir", "type": "person"})
    two = party_fingerprint({"name": "muhammad yusuf", "country": "IR", "type": "person"})
    assert one == two
    assert one.fields == {"name": "muhammad yusuf", "type": "person", "country": "IR"}


def test_each_detail_changes_the_fingerprint() -> None:
    base = {"name": "Muhammad Yusuf", "type": "person", "country": "IR"}
    key = party_fingerprint(base).key
    for change in (
        {"name": "Muhammad Yousef"},
        {"type": "organization"},
        {"country": "IQ"},
        {"date_of_birth": "1970"},
        {"identifiers": [{"type": "passport", "value": "A 123", "country": "IR"}]},
    ):
        assert party_fingerprint({**base, **change}).key != key, change


def test_an_empty_field_is_left_out_so_adding_fields_keeps_old_fingerprints() -> None:
    assert set(PARTY_FIELDS) >= {"name", "type", "country", "date_of_birth", "identifiers"}
    bare = party_fingerprint({"name": "Acme"})
    assert party_fingerprint({"name": "Acme", "identifiers": [], "date_of_birth": None}) == bare
    ids_a = [{"type": "imo", "value": "91 876 29"}, {"type": "mmsi", "value": "422036100"}]
    ids_b = [{"type": "mmsi", "value": "422036100"}, {"type": "imo", "value": "9187629"}]
    assert party_fingerprint({"name": "x", "identifiers": ids_a}) == party_fingerprint(
        {"name": "x", "identifiers": ids_b}
    )


def _entity() -> Entity:
    return Entity(
        id="un-sc:1",
        list_id="un-sc",
        kind=Kind.PERSON,
        names=[Name("Muhammad YUSUF"), Name("M. Yusuf", NameRole.AKA)],
        identifiers=[Identifier(IdType.PASSPORT, "A123")],
        programs=["QDi"],
        remarks="first remark",
    )


def test_a_listing_fingerprint_follows_names_identifiers_and_programs() -> None:
    entity = _entity()
    key = listing_fingerprint(entity)
    reordered = dataclasses.replace(entity, names=list(reversed(entity.names)))
    assert listing_fingerprint(reordered) == key
    assert listing_fingerprint(dataclasses.replace(entity, remarks="edited")) == key
    for change in (
        {"names": [*entity.names, Name("Abu Yusuf", NameRole.AKA)]},
        {"identifiers": [*entity.identifiers, Identifier(IdType.PASSPORT, "B9")]},
        {"programs": ["QDi", "IRAQ"]},
    ):
        assert listing_fingerprint(dataclasses.replace(entity, **change)) != key, change
