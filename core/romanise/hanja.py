"""Korean names written in Chinese characters (Hanja), read as Korean.

North and South Korean names have Hanja forms (金正恩 = 김정은 = Kim Jong Un), and lists and
documents print them; read as Chinese they give "Jin Zhengen", which no list prints for
the person. A Han name of two to four characters (five with a two-character surname)
whose surname is a Korean one (``core/data/korean_hanja_surnames.tsv``: 金 = 김 Kim,
李 = 이 Ri/Lee/Yi, 朴 = 박 Pak/Park, 崔 = 최 Choe) is turned into Hangul, character by
character (``core/data/hanja_readings.tsv``), and romanised by :mod:`core.romanise.korean`
as a Hangul name is. Characters are found in their traditional form (as Korean writes
them) or in the simplified one a Chinese writer would use.
"""

from __future__ import annotations

import functools
from importlib import resources

from core.han_variants import fold_han_variants
from core.romanise import korean
from core.romanise._rank import Reading


def _rows(name: str) -> list[tuple[str, str]]:
    text = resources.files("core.data").joinpath(name).read_text("utf-8")
    rows: list[tuple[str, str]] = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            hanja, _, hangul = line.partition("\t")
            rows.append((hanja.strip(), hangul.strip()))
    return rows


def _with_simplified(rows: list[tuple[str, str]]) -> dict[str, str]:
    table = dict(rows)
    for hanja, hangul in rows:
        table.setdefault(fold_han_variants(hanja), hangul)
    return table


@functools.cache
def _readings() -> dict[str, str]:
    return _with_simplified(_rows("hanja_readings.tsv"))


@functools.cache
def _surnames() -> dict[str, str]:
    return _with_simplified(_rows("korean_hanja_surnames.tsv"))


def to_hangul(name: str) -> str | None:
    """The Hangul of a Han personal name with a Korean surname; None if it is not one."""
    surnames = _surnames()
    for length in (2, 1):
        surname, given = name[:length], name[length:]
        if surname in surnames and 1 <= len(given) <= 3:
            readings = _readings()
            if all(ch in readings for ch in given):
                return surnames[surname] + "".join(readings[ch] for ch in given)
    return None


@functools.lru_cache(maxsize=16384)
def romanise(run: str, limit: int = 8) -> list[Reading]:
    """Korean readings of a one-word Han name (see the module docstring); [] otherwise."""
    words = run.split()
    hangul = to_hangul(words[0]) if len(words) == 1 else None
    if hangul is None:
        return []
    return [
        reading._replace(method=f"Korean from Hanja ({hangul}), {reading.method}")
        for reading in korean.romanise(hangul, limit)
    ]
