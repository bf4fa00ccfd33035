"""Romanising names written in other scripts, into several likely Latin forms.

A listed name is usually romanised one way ("Muhammad YUSUF"), a query another
("Мухаммад Юсуф", "Mohamed Yousef"); producing the likely romanisations of each side lets
the scorer compare Latin with Latin. Every variant carries the method that made it, so
an explanation can say "Muhammad ← محمد (Arabic, romanised)".
"""

from __future__ import annotations

from dataclasses import dataclass

from anyascii import anyascii

from core.normalise import normalise
from core.scripts import detect_script, script_runs


@dataclass(frozen=True, slots=True)
class Romanisation:
    text: str  # normalised Latin text
    script: str | None  # ISO 15924 script of the source ("Latn" when it was Latin already)
    method: str  # how it was made, for explanations ("as written", "anyascii", ...)


def romanisations(text: str, limit: int = 8) -> list[Romanisation]:
    """Likely Latin forms of ``text``, most likely first; Latin text yields itself."""
    script = detect_script(text)
    if script in (None, "Latn"):
        return [Romanisation(normalise(text), "Latn", "as written")]
    parts: list[str] = []
    for run_script, run in script_runs(text):
        parts.append(run if run_script in (None, "Latn") else anyascii(run))
    latin = normalise(" ".join(parts))
    return [Romanisation(latin, script, "anyascii")][:limit]
