"""The embedded index: the expected entity first among decoys, filters, explanations."""

from __future__ import annotations

import pytest

from core.model import Country, DateValue, Entity, Kind, Name, NameRole
from core.score import ALERT_THRESHOLD, Query
from engines.embedded import EmbeddedIndex
from tests.conftest import shared_list


def person(
    entity_id: str, *names: str, dob: str | None = None, country: str | None = None
) -> Entity:
    return Entity(
        id=f"t:{entity_id}",
        list_id="t",
        kind=Kind.PERSON,
        names=[Name(n, NameRole.PRIMARY if i == 0 else NameRole.AKA) for i, n in enumerate(names)],
        birth_dates=[DateValue(dob)] if dob else [],
        nationalities=[Country(country, country)] if country else [],
    )


def organisation(entity_id: str, *names: str) -> Entity:
    return Entity(
        id=f"o:{entity_id}", list_id="o", kind=Kind.ORGANIZATION, names=[Name(n) for n in names]
    )


@pytest.fixture(scope="module")
def index() -> EmbeddedIndex:
    return EmbeddedIndex(
        [
            person("yusuf", "Muhammad YUSUF", dob="1970", country="PK"),
            person("yusufzai", "Muhammad YUSUFZAI"),
            person("ali", "Mohammed ALI"),
            person("islam", "Yusuf ISLAM"),
            person("kim", "KIM Jong Un"),
            person("hassan", "Ali HASSAN"),
            person("putin", "Vladimir Vladimirovich PUTIN"),
            organisation("rosneft", "Rosneft Oil Company", "OAO Rosneft"),
            organisation("trading", "Golden Star Trading Company Limited"),
            organisation("qaida", "AL QA'IDA", "AL-QAEDA"),
        ]
    )


@pytest.mark.parametrize(
    "query", ["Мухаммад Юсуф", "Mohamed Yousef", "YUSUF Muhammad", "محمد يوسف"]
)
def test_every_spelling_finds_the_listed_person_first(index: EmbeddedIndex, query: str) -> None:
    hits = index.screen(Query(query))
    assert hits[0].entity.id == "t:yusuf"
    assert hits[0].alert
    assert all(hit.score < hits[0].score for hit in hits[1:])


def test_a_bare_common_name_does_not_alert(index: EmbeddedIndex) -> None:
    hits = index.screen(Query("Mohammed"))
    assert hits  # found candidates ...
    assert not any(hit.alert for hit in hits)  # ... but raised nothing


def test_reversed_order_korean_and_homoglyphs(index: EmbeddedIndex) -> None:
    assert index.screen(Query("Jong Un Kim"))[0].entity.id == "t:kim"
    assert index.screen(Query("김정은"))[0].entity.id == "t:kim"
    hits = index.screen(Query("Vladimir Рutin"))  # Cyrillic Р
    assert hits[0].entity.id == "t:putin" and hits[0].alert


def test_hussein_is_not_hassan(index: EmbeddedIndex) -> None:
    hits = index.screen(Query("Ali Hussein"))
    assert not any(hit.alert for hit in hits)


def test_organisations(index: EmbeddedIndex) -> None:
    hits = index.screen(Query("ООО Роснефть", Kind.ORGANIZATION))
    assert hits[0].entity.id == "o:rosneft" and hits[0].alert
    assert not any(h.alert for h in index.screen(Query("Blue Moon Trading Co. Ltd.")))
    assert index.screen(Query("ALQAIDA"))[0].entity.id == "o:qaida"


def test_filters_and_secondary_evidence(index: EmbeddedIndex) -> None:
    assert index.screen(Query("Muhammad YUSUF"), lists=["o"]) == []
    assert index.screen(Query("Muhammad YUSUF"), kinds=[Kind.ORGANIZATION]) == []
    assert index.screen(Query("Muhammad YUSUF"), countries=["PK"])[0].entity.id == "t:yusuf"
    plain = index.screen(Query("Muhammad YUSUF"))[0]
    born = index.screen(Query("Muhammad YUSUF", birth_date="1970"))[0]
    other = index.screen(Query("Muhammad YUSUF", birth_date="1990"))[0]
    assert other.score < plain.score <= born.score
    assert "birth_date" in born.explanation.render()


@pytest.mark.shared_lists
def test_ofac_sdn_index_finds_a_listed_name() -> None:
    """Build and query time are measured by `screening eval`, not asserted here."""
    from indexer.registry import parse_list

    parsed = parse_list("us-ofac-sdn", shared_list("us-ofac-sdn", "2023-12-28"))
    index = EmbeddedIndex(parsed.entities)
    hits = index.screen(Query("Ayman al-Zawahiri"))
    assert hits[0].score >= ALERT_THRESHOLD
    assert "ZAWAHIRI" in hits[0].explanation.name.listed_name.upper()
