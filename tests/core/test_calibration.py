"""The fitted calibration of a name score: bounded, monotone in the alignment, explained in
words, and the floor a search prunes with never loses a score that reaches it."""

from __future__ import annotations

import dataclasses
import json
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core.score
from core.calibration import (
    FEATURES,
    Calibration,
    calibration_data,
    cross_script,
    default_calibration,
    feature_values,
    fitted_calibration,
    from_dict,
    script_family,
)
from core.model import Kind
from core.score import (
    HAND_SET_THRESHOLD,
    best_name_match,
    compare,
    default_rarity,
    explain,
    form_weights,
    name_floor,
    prepare_name,
)

PAIRS = [
    ("Ким Чен Ын", "KIM Jong Un", None),
    ("Kim Jong-eun", "KIM Jong Un", None),
    ("محمد يوسف", "Muhammad YUSUF", Kind.PERSON),
    ("金正恩", "김정은", None),
    ("Sergei Sergejewitsch IWANOW", "IVANOV, Sergei Sergeevich", Kind.PERSON),
    ("Mohammed", "Mohammed Ali HASSAN", Kind.PERSON),
    ("Ahmed Hassan AL-DULAIMI", "Ahmed Hassan AL-TIKRITI", Kind.PERSON),
    ("Bank Melli Iran", "BANK MELLI IRAN", Kind.ORGANIZATION),
    ("John Smith", "Jon SMYTHE", Kind.PERSON),
]
MATCHES = [compare(a, b, kind).name for a, b, kind in PAIRS]


@pytest.fixture
def adopted(monkeypatch: pytest.MonkeyPatch) -> Calibration:
    """Screening with the fitted calibration adopted, whatever the data file decided."""
    calibration = fitted_calibration()
    monkeypatch.setattr(core.score, "CALIBRATION", calibration)
    return calibration


def test_the_bundled_calibration_is_the_fitted_one() -> None:
    data = json.loads(
        resources.files("core.data").joinpath("score_calibration.json").read_text("utf-8")
    )
    calibration = fitted_calibration()
    assert calibration == from_dict(data["model"], source=calibration.source)
    assert "fit_score" in data["command"]
    assert set(data["features"]) == {f.name for f in FEATURES}
    assert 0.0 < calibration.threshold < 1.0
    assert calibration.false_alert_target == pytest.approx(0.01)
    assert isinstance(data["adopted"], bool) and data["adoption"]


def test_screening_follows_the_adoption() -> None:
    explanation = compare("Ким Чен Ын", "KIM Jong Un")
    if calibration_data()["adopted"]:
        assert default_calibration() == fitted_calibration()
        assert fitted_calibration().threshold == core.score.ALERT_THRESHOLD
        assert explanation.calibration is not None
    else:  # the hand-set score, as it was
        assert default_calibration() is None
        assert core.score.ALERT_THRESHOLD == HAND_SET_THRESHOLD
        assert explanation.calibration is None
        assert explanation.score == round(explanation.name.score, 4)


def test_features_are_bounded_and_read_the_scripts() -> None:
    for match in MATCHES:
        assert all(0.0 <= v <= 1.0 for v in feature_values(match).values())
    cyrillic, latin = MATCHES[0], MATCHES[1]
    assert script_family(cyrillic) == "cyrillic" and cross_script(cyrillic)
    assert script_family(latin) == "latin" and not cross_script(latin)
    assert script_family(MATCHES[2]) == "arabic"
    assert script_family(MATCHES[3]) == "chinese" and cross_script(MATCHES[3])


def test_no_alignment_is_no_score(adopted: Calibration) -> None:
    empty = dataclasses.replace(MATCHES[1], score=0.0)
    calibrated = adopted.apply(empty)
    assert calibrated.score == 0.0 and calibrated.steps == ()
    assert compare("Ivan Petrov", "Zhang Wei").score < adopted.threshold


def test_an_exact_name_scores_at_the_top(adopted: Calibration) -> None:
    for name, kind in (("KIM Jong Un", Kind.PERSON), ("BANK MELLI IRAN", Kind.ORGANIZATION)):
        explanation = compare(name, name, kind)
        assert explanation.score >= 0.95 and explanation.score >= adopted.threshold


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(MATCHES),
    st.floats(0.01, 1.0),
    st.floats(0.01, 1.0),
)
def test_a_better_alignment_never_scores_lower(match: object, a: float, b: float) -> None:
    low, high = sorted((a, b))
    calibration = fitted_calibration()
    first = calibration.apply(dataclasses.replace(match, score=low))  # type: ignore[type-var]
    second = calibration.apply(dataclasses.replace(match, score=high))  # type: ignore[type-var]
    assert 0.0 <= first.score <= second.score <= 1.0


weights = st.dictionaries(
    st.sampled_from([f.name for f in FEATURES if f.name != "alignment"]),
    st.floats(-5.0, 5.0),
)


@settings(max_examples=300, deadline=None)
@given(
    weights,
    st.floats(0.1, 12.0),
    st.floats(-6.0, 3.0),
    st.sampled_from(MATCHES),
    st.floats(0.01, 1.0),
    st.floats(0.05, 0.99),
)
def test_the_alignment_floor_never_loses_a_score_that_reaches_it(
    others: dict[str, float],
    slope: float,
    intercept: float,
    match: object,
    alignment: float,
    wanted: float,
) -> None:
    # Signs as the features allow, each family's slope on the alignment positive.
    signs = {f.name: f.sign for f in FEATURES}
    others = {k: abs(w) * signs[k] if signs[k] else w for k, w in others.items()}
    lowest = min([0.0, *(w for name, w in others.items() if name.startswith("alignment_"))])
    calibration = Calibration(intercept, {"alignment": slope - lowest, **others}, 0.5, 0.01)
    scored = dataclasses.replace(match, score=alignment)  # type: ignore[type-var]
    if calibration.apply(scored).score >= wanted:
        assert alignment >= calibration.alignment_floor(wanted) - 1e-12


def test_a_model_must_be_monotone_and_name_known_features() -> None:
    with pytest.raises(ValueError, match="alignment may not count the other way"):
        Calibration(0.0, {"alignment": -1.0}, 0.5, 0.01)
    with pytest.raises(ValueError, match="both_unmatched may not count the other way"):
        Calibration(0.0, {"alignment": 1.0, "both_unmatched": 0.5}, 0.5, 0.01)
    with pytest.raises(ValueError, match="read from arabic must be positive"):
        Calibration(0.0, {"alignment": 1.0, "alignment_arabic": -1.5}, 0.5, 0.01)
    with pytest.raises(ValueError, match="unknown"):
        Calibration(0.0, {"alignment": 1.0, "shoe_size": 1.0}, 0.5, 0.01)


def test_the_explanation_says_what_calibration_did(adopted: Calibration) -> None:
    calibration = Calibration(
        -4.0,
        {"alignment": 8.0, "family_cyrillic": 1.0, "alignment_cyrillic": 0.5,
         "unmatched_listed": -2.0},
        0.5,
        0.01,
    )  # fmt: skip
    calibrated = calibration.apply(compare("Мохаммед Али", "Mohammed Ali HASSAN").name)
    text = calibrated.render()
    assert "raised by read from Cyrillic" in text
    assert "lowered by share of listed words not in the query" in text
    assert f"-> {calibrated.score:.2f}" in text
    explanation = compare("Ким Чен Ын", "KIM Jong Un")
    assert explanation.calibration is not None
    assert explanation.calibration.render() in explanation.render()
    assert explanation.name_score == round(explanation.calibration.score, 4)


@pytest.mark.parametrize(("query", "listed", "kind"), PAIRS)
def test_an_adopted_calibration_prunes_no_name_that_reaches_the_floor(
    adopted: Calibration, query: str, listed: str, kind: Kind | None
) -> None:
    """name_floor turns a wanted score into the alignment that may calibrate to it: what
    best_name_match skips below that floor could not have reached the score."""
    rarity = default_rarity()
    prepared, other = prepare_name(query, kind), prepare_name(listed, kind)
    weights = form_weights(prepared, rarity)
    full = best_name_match(prepared, weights, [(other, form_weights(other, rarity))], rarity)
    assert full is not None
    score = explain(full, []).score
    for wanted in (0.3, 0.5, adopted.threshold, score, min(1.0, score + 0.01)):
        floor = name_floor(wanted, [])
        found = best_name_match(
            prepared, weights, [(other, form_weights(other, rarity))], rarity, floor
        )
        if score >= wanted:
            assert found is not None and explain(found, []).score == score
