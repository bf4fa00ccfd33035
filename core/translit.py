"""Romanising names written in other scripts, into several likely Latin forms.

A listed name is usually romanised one way ("Muhammad YUSUF"), a query another
("Мухаммад Юсуф", "Mohamed Yousef"); producing the likely romanisations of each side lets
the scorer compare Latin with Latin. Every variant carries the method that made it, so
an explanation can say "Muhammad ← محمد (Arabic, romanised)".

The text is normalised first (NFKC, format characters, marks: ``core.normalise``), split
into runs of one script, and each run goes to the romaniser of its script
(``core.romanise.*``); the runs' forms are combined by the product of their weights and
the ``limit`` best full-name forms kept. Scripts without a romaniser of their own fall
back to anyascii (letter by letter, one form).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from anyascii import anyascii

from core.normalise import alternative_reading, normalise
from core.romanise import (
    arabic,
    chinese,
    cyrillic,
    devanagari,
    hanja,
    japanese,
    korean,
    korean_cyrillic,
    korean_latin,
    others,
    thai,
)
from core.romanise._rank import Reading, best_products
from core.scripts import char_script, detect_script


@dataclass(frozen=True, slots=True)
class Romanisation:
    text: str  # normalised Latin text
    script: str | None  # ISO 15924 script of the source ("Latn" when it was Latin already)
    method: str  # how it was made, for explanations ("as written", "anyascii", ...)


_Romaniser = Callable[[str, int], list[Reading]]

_ROMANISERS: dict[str, _Romaniser] = {
    "Cyrl": cyrillic.romanise,
    "Arab": arabic.romanise,
    "Hang": korean.romanise,
    "Hani": chinese.romanise,
    "Jpan": japanese.romanise,
    "Grek": others.romanise_greek,
    "Hebr": others.romanise_hebrew,
    "Armn": others.romanise_armenian,
    "Geor": others.romanise_georgian,
    "Deva": devanagari.romanise,
    "Thai": thai.romanise,
}
# Characters that belong to the run around them whatever their own script (kana marks).
_JAPANESE_SCRIPTS = frozenset({"Hira", "Kana", "Jpan"})


def _run_script(script: str | None, japanese_text: bool) -> str | None:
    if script in _JAPANESE_SCRIPTS or (japanese_text and script == "Hani"):
        return "Jpan"
    return script


def _runs(text: str, japanese_text: bool) -> list[tuple[str | None, str]]:
    """Normalised text split into (script, run) where runs of Han and kana in Japanese
    text stay together (a kanji name is read with its kana)."""
    runs: list[tuple[str | None, list[str]]] = []
    for word in text.split():
        script: str | None = None
        for ch in word:
            ch_script = char_script(ch)
            if ch_script is None and ch == "ー":
                ch_script = "Kana"
            ch_script = _run_script(ch_script, japanese_text)
            if ch_script is None:
                ch_script = script
            if runs and runs[-1][0] == ch_script and script == ch_script:
                runs[-1][1].append(ch)
            elif runs and runs[-1][0] == ch_script and script is None:
                runs[-1][1].append(" " + ch)  # same script as the previous word
            else:
                runs.append((ch_script, [ch]))
            script = ch_script
    return [(script, "".join(chars)) for script, chars in runs]


def _romanise_run(script: str | None, run: str, limit: int, written: str) -> list[Reading]:
    """Readings of one run; ``written`` is the run before Han characters were folded to
    simplified (Korean Hanja and Japanese kanji are read in their own forms)."""
    if script in (None, "Latn"):
        return [Reading(run, 1.0, "as written")]
    romaniser = _ROMANISERS.get(script)
    if romaniser is not None:
        readings = romaniser(run, limit)
        if script == "Cyrl":  # a Korean name as Russian writes it: read as Korean too
            readings = _interleave(readings, korean_cyrillic.romanise(run, limit))
        if script == "Hani" and " " not in run and 2 <= len(run) <= 5:
            # An all-Han personal name may be Korean (in Hanja) or Japanese as well as
            # Chinese: each reader's best forms come before any reader's weaker ones.
            korean_forms = hanja.romanise(written, limit)
            japanese_forms = japanese.romanise_kanji_name(written, limit) if len(run) <= 4 else []
            readings = _interleave(readings, korean_forms, japanese_forms)
        return readings
    latin = normalise(anyascii(run))
    return [Reading(latin, 0.8, "anyascii")] if latin else []


def _interleave(*readers: list[Reading]) -> list[Reading]:
    """Several readers' forms taking turns, each reader's best first."""
    out: list[Reading] = []
    for turn in itertools.zip_longest(*readers):
        out.extend(reading for reading in turn if reading is not None)
    return out


@functools.lru_cache(maxsize=32768)
def _romanisations(text: str, limit: int) -> tuple[Romanisation, ...]:
    normalised = normalise(text)
    written = normalise(text, han_variants=False)
    primary = _romanise_normalised(normalised, limit, written)
    other = alternative_reading(text)
    if other is None:
        return primary
    # Look-alike letters allow a second reading ("САРAН"): its best form keeps a place.
    second = tuple(
        Romanisation(rom.text, rom.script, f"look-alike letters read the other way, {rom.method}")
        for rom in _romanise_normalised(other, limit)
    )
    merged: dict[str, Romanisation] = {}
    for rom in (*primary[: max(1, limit - 1)], *second[:1], *primary, *second):
        merged.setdefault(rom.text, rom)
    return tuple(merged.values())[:limit]


def _romanise_normalised(
    normalised: str, limit: int, written: str | None = None
) -> tuple[Romanisation, ...]:
    script = detect_script(normalised)
    if script in (None, "Latn"):
        as_written = Romanisation(normalised, "Latn", "as written")
        mr = korean_latin.mr_reading(normalised)
        if mr is None or limit < 2:
            return (as_written,)
        return (as_written, Romanisation(mr, "Latn", "Korean RR read as McCune-Reischauer"))
    japanese_text = script == "Jpan"
    runs = _runs(normalised, japanese_text)
    # Han folding replaces characters one for one: the runs of the text as written line up.
    written_runs = _runs(written, japanese_text) if written else runs
    if len(written_runs) != len(runs):
        written_runs = runs
    per_run = [
        _romanise_run(run_script, run, limit, written_run)
        for (run_script, run), (_, written_run) in zip(runs, written_runs, strict=True)
    ]
    per_run = [readings for readings in per_run if readings]
    if not per_run:
        return ()
    methods = {reading.text: reading.method for readings in per_run for reading in readings}
    if len(per_run) == 1:
        return tuple(
            Romanisation(reading.text, script, reading.method) for reading in per_run[0][:limit]
        )
    combined = best_products(
        [[(r.text, r.weight) for r in readings] for readings in per_run], limit
    )
    return tuple(
        Romanisation(text, script, _combined_method(text, methods)) for text, _ in combined
    )


def _combined_method(text: str, methods: dict[str, str]) -> str:
    return methods.get(text, "mixed scripts, romanised per run")


def romanisations(text: str, limit: int = 8) -> list[Romanisation]:
    """Likely Latin forms of ``text``, most likely first; Latin text yields itself.

    At most ``limit`` forms, ranked by the product of their parts' likelihoods. A text in
    a script that cannot be read (kanji with no Japanese reader installed) may yield none.
    """
    return list(_romanisations(text, limit))


# Alphabets whose words a romaniser spells letter by letter: a word's spellings do not
# depend on the words around it, so a phrase's are the product of its words'.
_ALPHABETS = frozenset({"Cyrl", "Grek", "Armn", "Geor"})


def word_spellings(word: str) -> tuple[str, ...]:
    """Every Latin spelling the romanisers give one normalised word of an alphabet
    (Cyrillic under every scheme), itself for a Latin word, () for other scripts."""
    script = detect_script(word)
    if script in (None, "Latn"):
        return (word,)
    if script == "Cyrl":
        return cyrillic.every_spelling(word)
    if script in _ALPHABETS:
        return tuple(dict.fromkeys(rom.text for rom in romanisations(word, limit=8)))
    return ()
