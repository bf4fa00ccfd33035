"""Thai names: the letters said, the silent ones (marked ์) left out."""

from __future__ import annotations

import pytest

from core.translit import romanisations


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ทักษิณ ชินวัตร", "thaksin chinwat"),
        ("ประยุทธ์ จันทร์โอชา", "prayuth chanoocha"),  # ธ์ and ทร์ are not said
        ("ประยุทธ์", "prayut"),  # the Royal Thai General System's final t
    ],
)
def test_thai_names(name: str, expected: str) -> None:
    assert expected in [r.text for r in romanisations(name)], romanisations(name)
