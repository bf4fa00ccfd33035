"""Sentences of a match found by a number: the identifier said in the officer's words,
whether the name was compared or not."""

from __future__ import annotations

from core.identifiers import LABELS
from core.model import Entity, Identifier, IdType, Kind, Name, NameRole
from core.score import Query, compare, explain, secondary_evidence
from engines.identifiers import unnamed_match
from service.i18n import languages
from service.sentences import IDENTIFIER_WORDS, explanation_sentence, identifier_text, reason

VESSEL = Entity(
    id="un-sc:LYe.006",
    list_id="un-sc",
    kind=Kind.VESSEL,
    names=[Name("AVAX", NameRole.PRIMARY)],
    identifiers=[Identifier(IdType.IMO, "9058713")],
)
QUERY = Query("", identifiers=("imo:9058713",))


def test_every_identifier_label_is_catalogued() -> None:
    assert set(IDENTIFIER_WORDS) == set(LABELS.values())
    assert identifier_text("IMO number 9058713, as listed") == "IMO number 9058713"
    assert identifier_text("passport A1234567 (IR), as listed") == "passport A1234567 (IR)"
    assert identifier_text("something else") == "something else"


def test_a_number_alone_is_the_evidence_of_its_sentence() -> None:
    explanation = explain(unnamed_match(VESSEL), secondary_evidence(QUERY, VESSEL))
    assert explanation.alert
    said = reason("", explanation, "vessel")
    assert said == (
        "Alert. The listed name AVAX carries the number given, IMO number 9058713: the "
        "number alone names the listed party."
    )
    assert "no word agrees" not in said
    japanese = explanation_sentence("", explanation, languages()["ja"], "vessel")
    assert "9058713" in japanese and "AVAX" in japanese and "IMO number" not in japanese


def test_a_number_that_agrees_with_a_matching_name_is_said_too() -> None:
    name = compare("Avax", "AVAX", Kind.VESSEL).name
    explanation = explain(
        name, secondary_evidence(Query("Avax", identifiers=QUERY.identifiers), VESSEL)
    )
    sentence = explanation_sentence("Avax", explanation)
    assert sentence.endswith("the IMO number 9058713 given is listed too.")
