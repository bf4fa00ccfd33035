"""Turning the country names lists use ("Korea, North", "Burma", "Iran (Islamic Republic
of)") into ISO 3166-1 alpha-2 codes, so filters and secondary evidence compare like with
like across lists.

Deliberately exact (after normalising case, accents and punctuation): a fuzzy country
guess is worse than none, because a wrong code silently changes a screening score.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources

import pycountry


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@functools.cache
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                table.setdefault(_norm(value), code)
    text = resources.files("core.data").joinpath("country_aliases.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        spelling, code = line.split("\t")
        table[_norm(spelling)] = code.strip()
    return table


@functools.cache
def _codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries) | {"XK"}


def country_code(name: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code for a country name, alpha-2 or alpha-3 code; None if unsure."""
    if not name:
        return None
    stripped = name.strip().strip(".")
    if len(stripped) == 2 and stripped.upper() in _codes():
        return stripped.upper()
    if len(stripped) == 3 and stripped.isupper():
        found = pycountry.countries.get(alpha_3=stripped)
        if found is not None:
            return str(found.alpha_2)
    return _table().get(_norm(stripped))


def is_country_code(code: str) -> bool:
    return code.upper() in _codes()
