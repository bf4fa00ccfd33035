"""Why a listed entity scored what it did, as data and in plain words.

An officer reviewing an alert reads what matched how (token by token, with the
romanisation each side was read in), what was left unmatched, and what each piece of
evidence beyond the name did to the score.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from core.calibration import Calibrated
from core.evidence import Evidence
from core.translit import Romanisation


@dataclass(frozen=True, slots=True)
class TokenMatch:
    query: str  # the query token(s), space-separated when several were glued
    listed: str
    # exact | variant | fuzzy | phonetic | initial | glued | legal form | nickname | acronym
    # | spelling variant | vowel variant
    how: str
    similarity: float


@dataclass(frozen=True, slots=True)
class NameMatch:
    """The best comparison of a query with one listed name."""

    score: float
    listed_name: str
    listed_role: str | None
    listed_form: Romanisation
    query_form: Romanisation
    tokens: tuple[TokenMatch, ...]
    unmatched_query: tuple[str, ...]
    unmatched_listed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a listed entity scored what it did, for the officer reviewing an alert."""

    score: float
    name_score: float
    name: NameMatch
    evidence: tuple[Evidence, ...]
    threshold: float  # the alert threshold in force (core.score.ALERT_THRESHOLD by default)
    # What calibration made of the alignment's score (name.score) to give name_score;
    # None with the hand-set score (core.score.CALIBRATION not adopted).
    calibration: Calibrated | None = None

    @property
    def alert(self) -> bool:
        return self.score >= self.threshold

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"alert": self.alert}

    def render(self) -> str:
        """The explanation in plain words."""
        name = self.name
        role = f" ({name.listed_role})" if name.listed_role else ""
        lines = [f"score {self.score:.2f} (alert at {self.threshold:.2f})"]
        lines.append(f"matched listed name {name.listed_name!r}{role}")
        form = name.query_form
        if form.method != "as written":
            lines.append(f"query read as {form.text!r} ({form.script}, {form.method})")
        listed_form = name.listed_form
        if listed_form.method != "as written":
            script, method = listed_form.script, listed_form.method
            lines.append(f"listed name read as {listed_form.text!r} ({script}, {method})")
        for match in name.tokens:
            if match.how in ("exact", "legal form"):
                how = match.how
            else:
                how = f"{match.how}, similarity {match.similarity:.2f}"
            lines.append(f"  {match.query!r} = {match.listed!r} ({how})")
        if name.unmatched_query:
            lines.append("  not in the listed name: " + ", ".join(name.unmatched_query))
        if name.unmatched_listed:
            lines.append("  not in the query: " + ", ".join(name.unmatched_listed))
        if self.calibration is not None:
            lines.append(self.calibration.render())
        lines.append(f"name score {self.name_score:.2f}")
        for evidence in self.evidence:
            lines.append(f"{evidence.factor}: {evidence.effect:+.2f} ({evidence.detail})")
        return "\n".join(lines)
