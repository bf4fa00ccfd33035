"""Logistic regression with an L2 penalty, fitted by Newton's method, in pure Python.

The score calibration has a dozen features and tens of thousands of pairs: a few Newton
steps over a 15 x 15 system, no need for numpy or scikit-learn at run time or to fit.
The intercept is not penalised; the penalty keeps the weights of rare features (a script
family with few pairs) from running off when the data separate them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Fitted:
    intercept: float
    weights: tuple[float, ...]
    iterations: int
    log_loss: float  # mean negative log-likelihood on the training rows, penalty excluded

    def log_odds(self, row: Sequence[float]) -> float:
        return self.intercept + sum(w * x for w, x in zip(self.weights, row, strict=True))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve ``matrix @ x = vector`` (symmetric positive definite) by Gaussian elimination
    with partial pivoting."""
    n = len(vector)
    a = [[*row, b] for row, b in zip(matrix, vector, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        if abs(a[pivot][col]) < 1e-12:
            raise ValueError("logistic fit: singular system (a feature is constant?)")
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            if factor:
                for c in range(col, n + 1):
                    a[r][c] -= factor * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x


def fit_signed(
    rows: Sequence[Sequence[float]],
    labels: Sequence[int],
    signs: Sequence[int],
    l2: float = 1.0,
) -> Fitted:
    """:func:`fit_logistic` with sign constraints: a weight whose ``signs`` entry is +1 is
    at least 0, -1 at most 0, 0 free. Active set: fit, hold at 0 the weight that most
    breaks its sign, fit the rest again, until none does (a feature that may only count
    against a match then never counts for one, whatever the corpus's label noise says)."""
    if len(signs) != len(rows[0]):
        raise ValueError("logistic fit: one sign per feature")
    held: set[int] = set()
    while True:
        free = [k for k in range(len(signs)) if k not in held]
        fitted = fit_logistic([[row[k] for k in free] for row in rows], labels, l2=l2)
        weights = dict(zip(free, fitted.weights, strict=True))
        broken = [(weights[k] * signs[k], k) for k in free if weights[k] * signs[k] < 0]
        if not broken:
            full = tuple(weights.get(k, 0.0) for k in range(len(signs)))
            return Fitted(fitted.intercept, full, fitted.iterations, fitted.log_loss)
        held.add(min(broken)[1])


def fit_logistic(
    rows: Sequence[Sequence[float]],
    labels: Sequence[int],
    l2: float = 1.0,
    max_iterations: int = 50,
    tolerance: float = 1e-8,
) -> Fitted:
    """Weights maximising the log-likelihood of ``labels`` (0/1) minus ``l2/2 * |w|^2``.

    Newton's method on the penalised log-likelihood; it is concave, so the steps converge
    from zero weights (halved when a step would lower it).
    """
    if not rows or len(rows) != len(labels):
        raise ValueError("logistic fit: needs as many labels as rows, at least one")
    d = len(rows[0]) + 1  # intercept first
    design = [(1.0, *row) for row in rows]
    beta = [0.0] * d

    def objective(b: Sequence[float]) -> float:
        total = 0.0
        for x, y in zip(design, labels, strict=True):
            z = sum(bi * xi for bi, xi in zip(b, x, strict=True))
            # log(1 + e^z) - y z, computed stably
            total += (z if z > 0 else 0.0) + math.log1p(math.exp(-abs(z))) - y * z
        return total + l2 / 2 * sum(bi * bi for bi in b[1:])

    current = objective(beta)
    iterations = 0
    for iterations in range(1, max_iterations + 1):  # noqa: B007 - reported
        gradient = [0.0] * d
        hessian = [[0.0] * d for _ in range(d)]
        for x, y in zip(design, labels, strict=True):
            p = _sigmoid(sum(bi * xi for bi, xi in zip(beta, x, strict=True)))
            residual = p - y
            curvature = p * (1.0 - p)
            for i in range(d):
                xi = x[i]
                if xi == 0.0:
                    continue
                gradient[i] += residual * xi
                row = hessian[i]
                scaled = curvature * xi
                for j in range(i, d):
                    row[j] += scaled * x[j]
        for i in range(1, d):
            gradient[i] += l2 * beta[i]
            hessian[i][i] += l2
        for i in range(d):
            for j in range(i):
                hessian[i][j] = hessian[j][i]
        step = _solve(hessian, gradient)
        size = 1.0
        while True:
            trial = [b - size * s for b, s in zip(beta, step, strict=True)]
            value = objective(trial)
            if value <= current or size < 1e-6:
                break
            size /= 2
        improvement = current - value
        beta, current = trial, value
        if abs(improvement) < tolerance * max(1.0, abs(current)):
            break
    penalty = l2 / 2 * sum(bi * bi for bi in beta[1:])
    return Fitted(beta[0], tuple(beta[1:]), iterations, (current - penalty) / len(rows))
