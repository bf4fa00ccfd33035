"""Urdu names (Pakistan) read with the Urdu letters and customary spellings."""

from __future__ import annotations

import pytest

from core.translit import romanisations


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("عمران خان", "imran khan"),
        ("مسعود اظہر", "masood azhar"),  # ہ (heh goal) is the h of Arabic ه
        ("داؤد ابراہیم", "dawud ibrahim"),
        ("حافظ محمد سعید", "hafiz muhammad saeed"),
    ],
)
def test_urdu_names(name: str, expected: str) -> None:
    assert expected in [r.text for r in romanisations(name)], romanisations(name)
