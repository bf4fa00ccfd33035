"""The score's hand-set numbers as data: the shipped file loads, and a file with a key
missing, unknown, mistyped or out of range is refused with the key named."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import fields
from importlib import resources
from typing import Any

import pytest

import core.alignment
import core.evidence
import core.name_rules
import core.rarity
import core.token_similarity
from core.names import TokenRole
from core.score import ALERT_THRESHOLD
from core.score_params import (
    SCORE_PARAMS,
    ScoreParams,
    ScoreParamsError,
    parse_score_params,
)


def shipped() -> dict[str, Any]:
    text = resources.files("core.data").joinpath("score_params.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def with_params(change: Callable[[dict[str, Any]], dict[str, Any]]) -> str:
    """The shipped file with ``change`` made to its parameters."""
    document = shipped()
    document["params"] = change(document["params"])
    return json.dumps(document)


def test_the_shipped_file_gives_every_parameter_with_a_reason() -> None:
    params = shipped()["params"]
    assert set(params) == {f.name for f in fields(ScoreParams)}
    for name, entry in params.items():
        assert entry["why"].strip(), name
    assert parse_score_params(json.dumps(shipped())) == SCORE_PARAMS


def test_the_modules_score_with_the_loaded_values() -> None:
    assert SCORE_PARAMS.nickname_similarity == core.token_similarity.NICKNAME_SIMILARITY
    assert SCORE_PARAMS.credit_floor == core.token_similarity.CREDIT_FLOOR
    assert core.rarity.ROLE_WEIGHT[TokenRole.LEGAL_FORM] == SCORE_PARAMS.role_weight_legal_form
    assert SCORE_PARAMS.conflict_cost == core.alignment.CONFLICT_COST
    assert SCORE_PARAMS.rare_lone_min_length == core.name_rules.RARE_LONE_MIN_LENGTH
    assert SCORE_PARAMS.birth_date_conflict == core.evidence.BIRTH_DATE_CONFLICT


def test_one_shared_token_cannot_alert_and_a_rare_lone_name_can() -> None:
    # What SINGLE_TOKEN_CAP and RARE_LONE_CAP are for (core.name_rules).
    assert SCORE_PARAMS.single_token_cap < ALERT_THRESHOLD <= SCORE_PARAMS.rare_lone_cap


def test_a_missing_parameter_is_refused_by_name() -> None:
    def drop(params: dict[str, Any]) -> dict[str, Any]:
        del params["conflict_penalty"]
        return params

    with pytest.raises(ScoreParamsError, match="'conflict_penalty' is missing"):
        parse_score_params(with_params(drop))


def test_an_unknown_parameter_is_refused_by_name() -> None:
    def add(params: dict[str, Any]) -> dict[str, Any]:
        params["conflict_penalti"] = {"value": 0.3, "why": "a typo"}
        return params

    with pytest.raises(ScoreParamsError, match="unknown score parameter 'conflict_penalti'"):
        parse_score_params(with_params(add))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("conflict_penalty", 1.5),
        ("credit_floor", 1.0),  # a fuzzy pair's credit divides by 1 - credit_floor
        ("kind_conflict", 0.2),  # a conflict must lower the score
        ("conflict_cost", 0.5),
        ("rare_lone_min_length", 0),
    ],
)
def test_a_value_out_of_range_is_refused_by_name(name: str, value: float) -> None:
    def set_value(params: dict[str, Any]) -> dict[str, Any]:
        params[name]["value"] = value
        return params

    with pytest.raises(ScoreParamsError, match=f"'{name}' = {value} is outside"):
        parse_score_params(with_params(set_value))


@pytest.mark.parametrize(
    ("name", "value"),
    [("nickname_similarity", "0.85"), ("nickname_similarity", True), ("rare_lone_min_length", 4.0)],
)
def test_a_value_of_the_wrong_type_is_refused_by_name(name: str, value: object) -> None:
    def set_value(params: dict[str, Any]) -> dict[str, Any]:
        params[name]["value"] = value
        return params

    with pytest.raises(ScoreParamsError, match=f"'{name}' must be"):
        parse_score_params(with_params(set_value))


def test_a_parameter_without_a_reason_is_refused_by_name() -> None:
    def no_why(params: dict[str, Any]) -> dict[str, Any]:
        params["min_evidence"]["why"] = " "
        return params

    with pytest.raises(ScoreParamsError, match="'min_evidence' says no why"):
        parse_score_params(with_params(no_why))


def test_a_file_without_parameters_is_refused() -> None:
    with pytest.raises(ScoreParamsError, match='no "params"'):
        parse_score_params("{}")
    with pytest.raises(ScoreParamsError, match="not JSON"):
        parse_score_params("{")
