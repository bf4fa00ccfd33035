"""Thai names: anyascii's letters, without the letters Thai writes but does not say.

Thai marks a silent letter with the thanthakhat (์): ประยุทธ์ is Prayut(h), จันทร์ Chan,
ศักดิ์ Sak; letter-by-letter tools read those letters anyway ("prayuthth",
"chanthr"). The marked letter (with its vowel sign, ดิ์) goes, and so does the ท or ต
of a final ทร์/ตร์ cluster. A final consonant is written as lists print Thai names
(ทักษิณ Thaksin) and, second, as the Royal Thai General System ends a syllable: a final
r, l, ch, s, th, d becomes n or t (ชินวัตร Chinnawat, Chinwat).
"""

from __future__ import annotations

import functools
import re

from anyascii import anyascii

from core.normalise import normalise
from core.romanise._rank import Reading, best_products

_SILENT = re.compile(r"(?:[ทต]ร|[ก-ฮ][ิุ]?)์")
_RTGS_FINALS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:tr|th|ch|s|d|t)$"), "t"),
    (re.compile(r"(?:r|l)$"), "n"),
)


def _word_options(word: str) -> list[tuple[str, float]]:
    spoken = _SILENT.sub("", word)
    latin = normalise(anyascii(spoken)).replace(" ", "")
    if not latin:
        return []
    options = [(latin, 1.0)]
    for pattern, final in _RTGS_FINALS:
        rtgs = pattern.sub(final, latin)
        if rtgs != latin:
            options.append((rtgs, 0.8))
            break
    return options


@functools.lru_cache(maxsize=16384)
def romanise(run: str, limit: int = 8) -> list[Reading]:
    """Ranked Latin forms of a normalised Thai run."""
    options = [o for o in (_word_options(word) for word in run.split()) if o]
    return [
        Reading(text, weight, "Thai, spoken letters")
        for text, weight in best_products(options, limit)
    ]
