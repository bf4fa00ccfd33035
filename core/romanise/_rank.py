"""Ranking full-name forms from per-token alternatives without a combinatorial explosion.

A three-token name with five spellings per token has 125 forms; only the few most likely
are worth indexing. Forms are ranked by the product of their tokens' weights; a beam of
``limit`` prefixes finds the exact top ``limit`` products (a product of independent
factors can only be in the top k if its prefix is in the top k of the prefixes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple


class Reading(NamedTuple):
    """One Latin form of a run of text: normalised text, weight (likelihood), method."""

    text: str
    weight: float
    method: str


Option = tuple[str, float]


def best_products(token_options: Sequence[Sequence[Option]], limit: int) -> list[Option]:
    """The ``limit`` most likely space-joined forms, one option per token, best first."""
    beam: list[Option] = [("", 1.0)]
    for options in token_options:
        if not options:
            continue
        grown = [
            ((prefix + " " + text) if prefix else text, weight * option_weight)
            for prefix, weight in beam
            for text, option_weight in options
        ]
        grown.sort(key=lambda item: -item[1])
        beam = _dedupe(grown)[:limit]
    return [(text, weight) for text, weight in beam if text]


def merge_readings(groups: Iterable[Iterable[Reading]], limit: int) -> list[Reading]:
    """Concatenate reading lists in order, dropping empty and repeated texts, up to ``limit``."""
    seen: set[str] = set()
    out: list[Reading] = []
    for group in groups:
        for reading in group:
            if reading.text and reading.text not in seen:
                seen.add(reading.text)
                out.append(reading)
                if len(out) >= limit:
                    return out
    return out


def _dedupe(options: list[Option]) -> list[Option]:
    seen: set[str] = set()
    out: list[Option] = []
    for text, weight in options:
        if text not in seen:
            seen.add(text)
            out.append((text, weight))
    return out
