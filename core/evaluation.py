"""Measuring a matcher: pair benchmarks and screening evaluation sets, as pure functions.

Two kinds of labelled data check the matching core:

- *pair benchmarks* (``name1, name2, is_match``; e.g. the nomenklatura name benchmark):
  precision, recall and F1 of "score ≥ threshold" against the labels;
- *screening sets* (``query, type, expected, category``; ``eval/screening_dev.csv``):
  each query is screened against whole lists; recall@10 (the expected entity among the
  first ten, whatever its score), alert recall (it scores at or above the threshold),
  the false alert rate on negatives (queries expecting nothing), and latency.

Nothing here reads files or runs a matcher: callers pass the outcomes in, so the same
metrics serve the command line, tests and any engine.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from core.model import Kind

# The benchmark's FollowTheMoney schema names and this project's kinds.
SCHEMA_KINDS: dict[str, Kind | None] = {
    "person": Kind.PERSON,
    "company": Kind.ORGANIZATION,
    "organization": Kind.ORGANIZATION,
    "organisation": Kind.ORGANIZATION,
    "legalentity": None,  # a person or an organisation: say nothing
    "vessel": Kind.VESSEL,
    "airplane": Kind.AIRCRAFT,
    "aircraft": Kind.AIRCRAFT,
    "thing": None,
}


def kind_of(label: str | None) -> Kind | None:
    """A kind from a ``type``/``schema`` cell (person, Company, LegalEntity...)."""
    if not label or not label.strip():
        return None
    return SCHEMA_KINDS.get(label.strip().casefold().replace("_", "").replace(" ", ""))


@dataclass(frozen=True, slots=True)
class PairMetrics:
    threshold: float
    pairs: int
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def pair_metrics(scored: Iterable[tuple[float, bool]], threshold: float) -> PairMetrics:
    """Metrics of "score ≥ threshold" for (score, is_match) pairs."""
    tp = fp = fn = n = 0
    for score, is_match in scored:
        n += 1
        alert = score >= threshold
        tp += alert and is_match
        fp += alert and not is_match
        fn += (not alert) and is_match
    return PairMetrics(threshold, n, tp, fp, fn)


def best_threshold(scored: Sequence[tuple[float, bool]]) -> PairMetrics:
    """The threshold (among the scores seen) with the highest F1, for reference only."""
    candidates = sorted({round(score, 4) for score, _ in scored})
    best = pair_metrics(scored, 1.0)
    for threshold in candidates:
        metrics = pair_metrics(scored, threshold)
        if metrics.f1 > best.f1:
            best = metrics
    return best


@dataclass(frozen=True, slots=True)
class QueryOutcome:
    """What screening one query of an evaluation set gave."""

    category: str
    expected: str | None  # entity id, None for a negative
    results: tuple[tuple[str, float], ...]  # (entity id, score), best first
    milliseconds: float

    def found_at(self, k: int = 10) -> bool:
        return any(entity_id == self.expected for entity_id, _ in self.results[:k])

    def alerts(self, threshold: float) -> list[str]:
        return [entity_id for entity_id, score in self.results if score >= threshold]


@dataclass(slots=True)
class CategoryMetrics:
    queries: int = 0
    found_at_10: int = 0
    alerted: int = 0  # positives: the expected entity alerted; negatives: anything alerted

    @property
    def recall_at_10(self) -> float:
        return self.found_at_10 / self.queries if self.queries else 0.0

    @property
    def alert_rate(self) -> float:
        return self.alerted / self.queries if self.queries else 0.0


@dataclass(slots=True)
class ScreeningReport:
    threshold: float
    by_category: dict[str, CategoryMetrics] = field(default_factory=dict)
    # Categories "family:member" summed per family ("cross-script" over its scripts).
    by_family: dict[str, CategoryMetrics] = field(default_factory=dict)
    positives: CategoryMetrics = field(default_factory=CategoryMetrics)
    negatives: CategoryMetrics = field(default_factory=CategoryMetrics)
    latencies: list[float] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) if self.latencies else 0.0

    @property
    def p95_ms(self) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]

    def to_dict(self) -> dict[str, object]:
        def block(m: CategoryMetrics, negative: bool) -> dict[str, object]:
            key = "false_alert_rate" if negative else "alert_recall"
            out: dict[str, object] = {"queries": m.queries, key: round(m.alert_rate, 4)}
            if not negative:
                out["recall_at_10"] = round(m.recall_at_10, 4)
            return out

        return {
            "threshold": self.threshold,
            "positives": block(self.positives, False),
            "negatives": block(self.negatives, True),
            "by_category": {
                name: block(m, name.startswith("negative"))
                for name, m in sorted(self.by_category.items())
            },
            "by_family": {
                name: block(m, name.startswith("negative"))
                for name, m in sorted(self.by_family.items())
            },
            "latency_ms": {"median": round(self.median_ms, 2), "p95": round(self.p95_ms, 2)},
        }

    def render(self) -> str:
        lines = [f"threshold {self.threshold:.2f}"]
        header = f"{'category':<28}{'queries':>8}{'recall@10':>11}{'alert recall':>14}"
        lines.append(header + f"{'false alerts':>14}")
        rows = [("all positives", self.positives), ("all negatives", self.negatives)]
        rows += [(f"{name} (all)", m) for name, m in sorted(self.by_family.items())]
        rows += sorted(self.by_category.items())
        for name, m in rows:
            if name.startswith("negative") or name == "all negatives":
                cells = f"{'':>11}{'':>14}{m.alert_rate:>14.3f}"
            else:
                cells = f"{m.recall_at_10:>11.3f}{m.alert_rate:>14.3f}{'':>14}"
            lines.append(f"{name:<28}{m.queries:>8}{cells}")
        lines.append(f"latency per query: median {self.median_ms:.2f} ms, p95 {self.p95_ms:.2f} ms")
        return "\n".join(lines)


def category_group(category: str) -> str:
    """Negatives are grouped over locales ("negative:de_DE" → "negative")."""
    return "negative" if category.startswith("negative") else category or "uncategorised"


def category_family(category: str) -> str | None:
    """The family of a "family:member" category ("cross-script:arabic" → "cross-script")."""
    family, colon, _member = category.partition(":")
    return family if colon and family != "negative" else None


def screening_report(outcomes: Iterable[QueryOutcome], threshold: float) -> ScreeningReport:
    report = ScreeningReport(threshold)
    for outcome in outcomes:
        report.latencies.append(outcome.milliseconds)
        group = report.by_category.setdefault(category_group(outcome.category), CategoryMetrics())
        overall = report.negatives if outcome.expected is None else report.positives
        counted = [group, overall]
        family = category_family(outcome.category)
        if family is not None:
            counted.append(report.by_family.setdefault(family, CategoryMetrics()))
        for metrics in counted:
            metrics.queries += 1
            if outcome.expected is None:
                metrics.alerted += bool(outcome.alerts(threshold))
            else:
                metrics.found_at_10 += outcome.found_at(10)
                metrics.alerted += outcome.expected in outcome.alerts(threshold)
    return report
