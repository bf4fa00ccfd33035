"""The hand-set numbers of the name score, read from ``core/data/score_params.json``.

The score's rules (:mod:`core.token_similarity`, :mod:`core.rarity`, :mod:`core.edges`,
:mod:`core.alignment`, :mod:`core.name_rules`, :mod:`core.evidence`) are code; how much
each rule counts is data, so that the numbers are seen together, each with why it is what
it is, and so that a change to one is a change to a data file that the tests check, not a
constant edited among the code. They were set by hand (issue 13: each moved until the
development set improved); a fitted model replaces them one day, through this file.

Loading refuses a file with a key missing, a key it does not know, a value of the wrong
type or outside its range, naming the key: a typo must not silently leave a default in
force. The modules bind the values they use to module-level ``Final`` names at import, so
the compiled hot path reads a native constant, not an attribute of this object.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from importlib import resources
from typing import Any, Final

_DATA_FILE = "score_params.json"


def _bounded(low: float, high: float) -> Any:
    """A field's allowed range, both ends included."""
    return field(metadata={"range": (low, high)})


@dataclass(frozen=True, slots=True)
class ScoreParams:
    """Every hand-set number of the score; see the data file for why each is what it is."""

    # token similarity (core.token_similarity)
    variant_similarity: float = _bounded(0.0, 1.0)
    initial_similarity: float = _bounded(0.0, 1.0)
    nickname_similarity: float = _bounded(0.0, 1.0)
    vowel_variant_similarity: float = _bounded(0.0, 1.0)
    vowel_variant_min_consonants: int = _bounded(1, 10)
    min_pair_similarity: float = _bounded(0.0, 1.0)
    phonetic_lift: float = _bounded(0.0, 0.99)
    credit_floor: float = _bounded(0.0, 0.99)
    credit_power: float = _bounded(0.1, 10.0)
    variant_credit: float = _bounded(0.0, 1.0)
    rule_credit: float = _bounded(0.0, 1.0)
    # token weights (core.rarity)
    rarity_min_weight: float = _bounded(0.0, 1.0)
    rarity_offset: float = _bounded(0.0, 1.0)
    role_weight_name: float = _bounded(0.0, 1.0)
    role_weight_initial: float = _bounded(0.0, 1.0)
    role_weight_number: float = _bounded(0.0, 1.0)
    role_weight_org_word: float = _bounded(0.0, 1.0)
    role_weight_legal_form: float = _bounded(0.0, 1.0)
    # edges (core.edges)
    glued_similarity: float = _bounded(0.0, 1.0)
    acronym_similarity: float = _bounded(0.0, 1.0)
    # alignment (core.alignment)
    surplus_query_cost: float = _bounded(0.0, 5.0)
    surplus_listed_cost: float = _bounded(0.0, 5.0)
    conflict_cost: float = _bounded(1.0, 5.0)
    weak_alias_factor: float = _bounded(0.01, 1.0)
    # name rules (core.name_rules)
    conflict_penalty: float = _bounded(0.0, 1.0)
    conflict_min_weight: float = _bounded(0.0, 1.0)
    legal_form_clash_penalty: float = _bounded(0.0, 1.0)
    weak_pair_similarity: float = _bounded(0.0, 1.0)
    filiation_swap_factor: float = _bounded(0.0, 1.0)
    shuffled_order_factor: float = _bounded(0.0, 1.0)
    single_token_cap: float = _bounded(0.0, 1.0)
    rare_lone_weight: float = _bounded(0.0, 1.0)
    rare_lone_similarity: float = _bounded(0.0, 1.0)
    rare_lone_cap: float = _bounded(0.0, 1.0)
    rare_lone_min_length: int = _bounded(1, 20)
    min_evidence: float = _bounded(0.01, 5.0)
    # evidence beyond the name (core.evidence): added to the name score
    birth_date_exact: float = _bounded(0.0, 1.0)
    birth_year_match: float = _bounded(0.0, 1.0)
    birth_date_conflict: float = _bounded(-1.0, 0.0)
    country_match: float = _bounded(0.0, 1.0)
    country_conflict: float = _bounded(-1.0, 0.0)
    kind_conflict: float = _bounded(-1.0, 0.0)
    identifier_match: float = _bounded(0.0, 1.0)


class ScoreParamsError(ValueError):
    """The parameter file is not one this code can use; the message names the key."""


def parse_score_params(text: str) -> ScoreParams:
    """The parameters in a JSON document ``{"params": {key: {"value": v, "why": "..."}}}``."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ScoreParamsError(f"{_DATA_FILE} is not JSON: {error}") from None
    entries = document.get("params") if isinstance(document, dict) else None
    if not isinstance(entries, dict):
        raise ScoreParamsError(f'{_DATA_FILE} has no "params" object')
    known = {f.name: f for f in fields(ScoreParams)}
    unknown = sorted(set(entries) - set(known))
    if unknown:
        raise ScoreParamsError(f"unknown score parameter {unknown[0]!r}")
    values: dict[str, float | int] = {}
    for name, spec in known.items():
        if name not in entries:
            raise ScoreParamsError(f"score parameter {name!r} is missing")
        values[name] = _value(name, entries[name], spec.type, spec.metadata["range"])
    return ScoreParams(**values)  # type: ignore[arg-type]  # every field, each checked


def _value(name: str, entry: object, kind: object, bounds: tuple[float, float]) -> float | int:
    """One entry's value, checked against its field's type and range."""
    if not isinstance(entry, dict) or set(entry) != {"value", "why"}:
        raise ScoreParamsError(f'score parameter {name!r} must be {{"value": ..., "why": ...}}')
    why, value = entry["why"], entry["value"]
    if not isinstance(why, str) or not why.strip():
        raise ScoreParamsError(f"score parameter {name!r} says no why")
    integral = kind in (int, "int")
    allowed = (int,) if integral else (int, float)
    if isinstance(value, bool) or not isinstance(value, allowed):
        wanted = "an integer" if integral else "a number"
        raise ScoreParamsError(f"score parameter {name!r} must be {wanted}, not {value!r}")
    low, high = bounds
    if not low <= value <= high:
        raise ScoreParamsError(f"score parameter {name!r} = {value} is outside [{low}, {high}]")
    return value if integral else float(value)


def load_score_params() -> ScoreParams:
    """The parameters shipped in ``core/data/score_params.json``."""
    text = resources.files("core.data").joinpath(_DATA_FILE).read_text("utf-8")
    return parse_score_params(text)


SCORE_PARAMS: Final = load_score_params()
