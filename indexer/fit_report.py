"""Per-family figures of a score on a labelled corpus part: alert recall on the positives
and the false-alert rate on the hard negatives, before (the hand-set score at its
threshold) and after (the calibrated score at the fitted one)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

ALL = "all"


@dataclass(slots=True)
class FamilyFigures:
    family: str
    positives: int = 0
    negatives: int = 0
    alerted_before: int = 0
    alerted_after: int = 0
    false_before: int = 0
    false_after: int = 0

    @property
    def recall_before(self) -> float:
        return self.alerted_before / self.positives if self.positives else 0.0

    @property
    def recall_after(self) -> float:
        return self.alerted_after / self.positives if self.positives else 0.0

    @property
    def false_rate_before(self) -> float:
        return self.false_before / self.negatives if self.negatives else 0.0

    @property
    def false_rate_after(self) -> float:
        return self.false_after / self.negatives if self.negatives else 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {
            "alert_recall_before": round(self.recall_before, 4),
            "alert_recall_after": round(self.recall_after, 4),
            "false_alert_rate_before": round(self.false_rate_before, 4),
            "false_alert_rate_after": round(self.false_rate_after, 4),
        }


def family_figures(
    rows: Iterable[tuple[str, int, float, float]], before: float, after: float
) -> list[FamilyFigures]:
    """Figures of (family, label, score before, score after) rows, all families first."""
    found: dict[str, FamilyFigures] = {ALL: FamilyFigures(ALL)}
    for family, label, score_before, score_after in rows:
        for figures in (found[ALL], found.setdefault(family, FamilyFigures(family))):
            if label:
                figures.positives += 1
                figures.alerted_before += round(score_before, 4) >= before
                figures.alerted_after += round(score_after, 4) >= after
            else:
                figures.negatives += 1
                figures.false_before += round(score_before, 4) >= before
                figures.false_after += round(score_after, 4) >= after
    return [found[ALL], *sorted((f for k, f in found.items() if k != ALL), key=lambda f: f.family)]


def render_figures(figures: Iterable[FamilyFigures]) -> str:
    lines = [
        f"{'family':<10} {'positives':>9} {'recall before':>13} {'after':>6}"
        f" {'hard negatives':>14} {'false alerts before':>19} {'after':>6}"
    ]
    for f in figures:
        lines.append(
            f"{f.family:<10} {f.positives:>9} {f.recall_before:>13.3f} {f.recall_after:>6.3f}"
            f" {f.negatives:>14} {f.false_rate_before:>19.3f} {f.false_rate_after:>6.3f}"
        )
    return "\n".join(lines)
