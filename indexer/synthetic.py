"""A synthetic list of any size, the same for the same seed, for scale benchmarks.

Real lists hold ~100k entities together; a benchmark at 1,000,000 names needs more. The
names are combined from the matching core's own tables (``core/data``: given-name variant
groups, the commonest tokens of OFAC names, Arabic-script names) and small built-in tables
of Chinese characters, written in four scripts (Latin, Cyrillic, Arabic, Chinese), for
people and companies, so romanisation and key computation cost what they cost on real
lists. Never screened for matches: the entities are invented.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from importlib import resources

from core.model import Entity, Kind, Name, NameRole, ParsedList

LIST_ID = "synthetic"
_CYRILLIC = {
    "a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х",
    "i": "и", "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
    "q": "к", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "x": "кс",
    "y": "й", "z": "з",
}  # fmt: skip
_CHINESE_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
_CHINESE_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文金海云"
_ORG_WORDS = ("Trading", "Holdings", "Shipping", "Industries", "Logistics", "Energy", "Group")
_LEGAL = ("LLC", "Ltd", "JSC", "GmbH", "SA", "Co. Ltd", "FZE")


def _data(name: str) -> list[str]:
    text = resources.files("core.data").joinpath(name).read_text("utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


@functools.cache
def _tables() -> tuple[list[str], list[str], list[str]]:
    given = [line.split("\t")[0] for line in _data("name_variants.tsv")]
    family = [
        token
        for token, _, _count in (line.partition("\t") for line in _data("token_frequencies.tsv"))
        if token.isalpha() and token.isascii() and len(token) >= 4
    ]
    arabic = [line.split("\t")[0] for line in _data("arabic_names.tsv")]
    return given, family, arabic


def _cyrillic(word: str) -> str:
    return "".join(_CYRILLIC.get(letter, letter) for letter in word.lower()).capitalize()


def _name(rng: random.Random) -> tuple[Kind, str]:
    given, family, arabic = _tables()
    roll = rng.random()
    if roll < 0.55:
        parts = [rng.choice(given), rng.choice(family)]
        if rng.random() < 0.4:
            parts.insert(1, rng.choice(given))
        return Kind.PERSON, " ".join(p.capitalize() for p in parts)
    if roll < 0.65:
        return Kind.PERSON, f"{_cyrillic(rng.choice(given))} {_cyrillic(rng.choice(family))}"
    if roll < 0.75:
        return Kind.PERSON, " ".join(rng.choice(arabic) for _ in range(rng.choice((2, 3))))
    if roll < 0.80:
        size = rng.choice((1, 2))
        return Kind.PERSON, rng.choice(_CHINESE_SURNAMES) + "".join(
            rng.choice(_CHINESE_GIVEN) for _ in range(size)
        )
    words = [rng.choice(family).capitalize(), rng.choice(_ORG_WORDS), rng.choice(_LEGAL)]
    if roll < 0.95:
        return Kind.ORGANIZATION, " ".join(words)
    return Kind.ORGANIZATION, f'ООО "{_cyrillic(words[0])} {_cyrillic(words[1])}"'


def synthetic_entities(names: int, seed: int = 20260801) -> Iterator[Entity]:
    """Entities holding ``names`` names in all (one in five has a second name)."""
    rng = random.Random(seed)
    made = 0
    number = 0
    while made < names:
        number += 1
        kind, primary = _name(rng)
        entity = Entity(f"{LIST_ID}:{number}", LIST_ID, kind, [Name(primary, NameRole.PRIMARY)])
        made += 1
        if made < names and rng.random() < 0.2:
            other_kind, other = _name(rng)
            if other_kind is kind:
                entity.names.append(Name(other, NameRole.AKA))
                made += 1
        yield entity


def synthetic_list(names: int, seed: int = 20260801) -> ParsedList:
    """The whole list in memory (small sizes; stream :func:`synthetic_entities` for 1M)."""
    return ParsedList(LIST_ID, None, list(synthetic_entities(names, seed)), format="synthetic")
