"""The scorer: hard cases pinned by name, with the ranking and the alert decision."""

from __future__ import annotations

from core.model import DateValue, Entity, Kind, Name
from core.score import (
    ALERT_THRESHOLD,
    Query,
    compare,
    secondary_evidence,
    string_similarity,
)


def score(a: str, b: str, kind: Kind | None = None) -> float:
    return compare(a, b, kind).score


def test_order_does_not_matter() -> None:
    assert score("KIM Jong Un", "Jong Un Kim") == 1.0
    assert score("YUSUF Muhammad", "Muhammad YUSUF") >= 0.99


def test_scripts_and_romanisations_of_one_name_alert() -> None:
    for query in ("Мухаммад Юсуф", "Mohamed Yousef", "YUSUF Muhammad", "محمد يوسف"):
        assert score(query, "Muhammad YUSUF") >= ALERT_THRESHOLD, query
    assert score("김정은", "KIM Jong Un") >= ALERT_THRESHOLD
    assert score("习近平", "XI Jinping") >= ALERT_THRESHOLD
    assert score("Владимир Путин", "Vladimir PUTIN") >= ALERT_THRESHOLD


def test_homoglyphs_are_the_latin_letter() -> None:
    assert score("Рutin Vladimir", "Vladimir Putin") == 1.0  # Cyrillic Р


def test_different_names_with_one_phonetic_code_do_not_alert() -> None:
    assert score("Hussein", "Hassan") < ALERT_THRESHOLD
    assert score("Ali Hussein", "Ali Hassan") < ALERT_THRESHOLD


def test_a_lone_common_given_name_does_not_alert() -> None:
    assert score("Mohammed", "Muhammad YUSUF") < ALERT_THRESHOLD


def test_legal_forms_and_generic_words_are_weak_evidence() -> None:
    assert score("X Trading Company Limited", "Y Trading Co. Ltd.") < ALERT_THRESHOLD
    assert score("Golden Star Trading LLC", "Blue Ocean Trading LLC") < ALERT_THRESHOLD
    assert score("OOO Rosneft", "Rosneft LLC") >= ALERT_THRESHOLD
    assert score("ООО Роснефть", "Rosneft LLC") >= ALERT_THRESHOLD


def test_glued_and_split_tokens_match() -> None:
    assert score("Abdulrahman Hamid", "Abd al-Rahman HAMID") >= ALERT_THRESHOLD
    assert score("ALQAIDA", "Al Qa'ida", Kind.ORGANIZATION) >= ALERT_THRESHOLD
    assert score("A.B.C. Company", "ABC Co", Kind.ORGANIZATION) >= ALERT_THRESHOLD


def test_titles_do_not_count() -> None:
    assert score("Haji Asad Khan ZARKARI", "Asad Khan ZARKARI") == 1.0


def test_swapped_patronymic_chain_scores_lower_than_a_rotation() -> None:
    rotated = score("AL-RAWI Salman bin Muhammad", "Salman bin Muhammad AL-RAWI")
    shuffled = score("Muhammad bin Salman AL-RAWI", "Salman bin Muhammad AL-RAWI")
    assert shuffled < rotated


def test_string_similarity_does_not_over_reward_a_shared_prefix() -> None:
    assert string_similarity("yusuf", "yusufzai") < string_similarity("yousef", "yusuf") + 0.05


def test_explanation_says_what_matched_how() -> None:
    explanation = compare("Мухаммад Юсуф", "Muhammad YUSUF")
    text = explanation.render()
    assert "Muhammad YUSUF" in text
    assert "Cyrl" in text
    hows = {m.how for m in explanation.name.tokens}
    assert hows <= {"exact", "variant", "fuzzy", "phonetic"}
    assert explanation.to_dict()["score"] == explanation.score


def test_secondary_evidence() -> None:
    entity = Entity(
        id="t:1",
        list_id="t",
        kind=Kind.PERSON,
        names=[Name("Muhammad YUSUF")],
        birth_dates=[DateValue("1970-05-01")],
    )
    exact = secondary_evidence(Query("x", birth_date="1970-05-01"), entity)
    year = secondary_evidence(Query("x", birth_date="1970"), entity)
    conflict = secondary_evidence(Query("x", birth_date="1985"), entity)
    kind = secondary_evidence(Query("x", kind=Kind.ORGANIZATION), entity)
    assert exact[0].effect > year[0].effect > 0 > conflict[0].effect
    assert kind[0].effect < 0
    assert secondary_evidence(Query("x"), entity) == []
