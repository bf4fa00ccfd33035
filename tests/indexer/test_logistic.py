"""The pure-Python logistic fit behind the score calibration."""

from __future__ import annotations

import math
import random

import pytest

from indexer.logistic import fit_logistic, fit_signed


def _sample(weights: list[float], intercept: float, n: int, seed: int) -> tuple[list, list]:
    rng = random.Random(seed)
    rows, labels = [], []
    for _ in range(n):
        row = [rng.random() for _ in weights]
        z = intercept + sum(w * x for w, x in zip(weights, row, strict=True))
        rows.append(row)
        labels.append(int(rng.random() < 1 / (1 + math.exp(-z))))
    return rows, labels


def test_recovers_the_weights_that_made_the_labels() -> None:
    rows, labels = _sample([6.0, -3.0, 0.0], -1.5, 6000, seed=13)
    fitted = fit_logistic(rows, labels, l2=0.01)
    assert fitted.intercept == pytest.approx(-1.5, abs=0.35)
    assert fitted.weights[0] == pytest.approx(6.0, abs=0.6)
    assert fitted.weights[1] == pytest.approx(-3.0, abs=0.5)
    assert abs(fitted.weights[2]) < 0.4
    assert fitted.iterations < 20


def test_the_penalty_keeps_separable_data_finite() -> None:
    rows = [[0.1], [0.2], [0.8], [0.9]]
    fitted = fit_logistic(rows, [0, 0, 1, 1], l2=1.0)
    assert 0.0 < fitted.weights[0] < 20.0
    assert fitted.log_odds([0.9]) > 0 > fitted.log_odds([0.1])


def test_a_constant_feature_is_no_solution() -> None:
    with pytest.raises(ValueError, match="singular"):
        fit_logistic([[1.0], [1.0]], [0, 1], l2=0.0)


def test_a_signed_weight_is_held_at_zero_rather_than_turned() -> None:
    rows, labels = _sample([6.0, -3.0], -1.5, 4000, seed=7)
    free = fit_logistic(rows, labels, l2=0.01)
    held = fit_signed(rows, labels, [+1, +1], l2=0.01)
    assert free.weights[1] < -2.0
    assert held.weights[1] == 0.0 and held.weights[0] > 3.0
    assert fit_signed(rows, labels, [+1, -1], l2=0.01).weights == pytest.approx(
        free.weights, abs=1e-6
    )
