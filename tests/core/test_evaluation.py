"""The evaluation figures: pair metrics and the screening report's categories."""

from __future__ import annotations

import pytest

from core.evaluation import QueryOutcome, best_threshold, pair_metrics, screening_report


def outcome(category: str, expected: str | None, *results: tuple[str, float]) -> QueryOutcome:
    return QueryOutcome(category, expected, tuple(results), 1.0)


def test_screening_report_sums_categories_and_families() -> None:
    report = screening_report(
        [
            outcome("cross-script:arabic", "a:1", ("a:1", 0.9)),  # found, alerted
            outcome("cross-script:arabic", "a:2", ("a:9", 0.9)),  # missed
            outcome("cross-script:cyrillic", "a:3", ("a:3", 0.5)),  # found, no alert
            outcome("variant", "a:4", ("a:4", 0.7)),
            outcome("negative:de_DE", None, ("a:5", 0.8)),  # a false alert
            outcome("negative:fr_FR", None, ("a:6", 0.3)),
        ],
        threshold=0.62,
    )
    arabic = report.by_category["cross-script:arabic"]
    assert (arabic.queries, arabic.found_at_10, arabic.alerted) == (2, 1, 1)
    family = report.by_family["cross-script"]
    assert (family.queries, family.found_at_10, family.alerted) == (3, 2, 1)
    assert family.recall_at_10 == pytest.approx(2 / 3)
    assert set(report.by_family) == {"cross-script"}  # negatives are grouped, not a family
    assert report.negatives.queries == 2 and report.negatives.alert_rate == 0.5
    assert report.positives.queries == 4 and report.positives.alerted == 2
    rendered = report.render()
    assert "cross-script (all)" in rendered and "cross-script:cyrillic" in rendered
    assert report.to_dict()["by_family"] == {
        "cross-script": {"queries": 3, "alert_recall": 0.3333, "recall_at_10": 0.6667}
    }


def test_pair_metrics_at_a_threshold_and_the_best_one() -> None:
    scored = [(0.9, True), (0.7, True), (0.65, False), (0.4, True), (0.2, False)]
    at = pair_metrics(scored, 0.62)
    assert (at.precision, at.recall) == pytest.approx((2 / 3, 2 / 3))
    assert best_threshold(scored).f1 >= at.f1
