"""The entity model's dict form: what the state directory and the server index store."""

from __future__ import annotations

import dataclasses

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
    Place,
)


def _full_entity() -> Entity:
    entity = Entity(
        id="t:1",
        list_id="t",
        kind=Kind.PERSON,
        names=[
            Name("Ivan PETROV", NameRole.PRIMARY, "Latn", "en", "Ivan", "PETROV"),
            Name("Иван Петров", NameRole.ORIGINAL_SCRIPT, "Cyrl"),
        ],
        birth_dates=[DateValue("1962", DateKind.CIRCA, text="circa 1962")],
        birth_places=[Place("Moscow, Russia", "Russia", "RU")],
        nationalities=[Country("Russia", "RU")],
        citizenships=[Country("Cyprus", "CY")],
        addresses=[Address(full="1 Main St", city="Limassol", country_code="CY")],
        identifiers=[Identifier(IdType.PASSPORT, "123", "Passport No.", "Russia", "RU", "x")],
        programs=["UKRAINE-EO13660"],
        listed_on="2014-03-20",
        remarks="remark",
        source_url="https://example.org",
        gender="male",
    )
    entity.add_property("position", "Deputy Minister")
    return entity


def test_to_dict_is_asdict() -> None:
    for entity in (_full_entity(), Entity("t:2", "t", Kind.VESSEL)):
        assert entity.to_dict() == dataclasses.asdict(entity)
        assert Entity.from_dict(entity.to_dict()) == entity


def test_to_dict_is_a_copy() -> None:
    entity = _full_entity()
    data = entity.to_dict()
    data["names"][0]["full"] = "changed"
    data["programs"].append("changed")
    data["properties"]["position"].append("changed")
    assert entity == _full_entity()
