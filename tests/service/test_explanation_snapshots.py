"""Snapshots of the explanation as the page renders it, for real hits in many scripts.

Each case is a name typed as an officer would (Hangul, Cyrillic, Arabic, kanji, kana,
Simplified and Traditional Chinese, Latin variants) screened against the real UN, OFAC
SDN, UK and METI lists; the expected listing's explanation is rendered as the API's
reason (English), the page's sentence in Japanese and Korean, and the technical detail's
word pairs. The text is compared with ``snapshots/explanations.txt``.

When the wording or the scorer changes on purpose, review the difference and rewrite the
file: ``SCREENING_UPDATE_SNAPSHOTS=1 pytest tests/service/test_explanation_snapshots.py``.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from core.score import Query
from engines.base import Hit
from service.i18n import languages
from service.page.explain import explanation_view
from service.sentences import explanation_sentence, reason

SNAPSHOT = Path(__file__).parent / "snapshots" / "explanations.txt"
UPDATE = os.environ.get("SCREENING_UPDATE_SNAPSHOTS") == "1"

# (what is typed, the listing it must explain)
CASES = (
    ("김정은", "us-ofac-sdn:20157"),  # Hangul against a Latin listing
    ("김정은", "us-ofac-sdn:17619"),  # a near miss that needs review
    ("리창호", "gb-ofsi:16815"),  # Hangul against the listing's own Hangul
    ("Умаров Доку Хаматович", "un-sc:QDi.290"),  # Cyrillic against Cyrillic as written
    ("Умаров Доку", "us-ofac-sdn:12110"),  # Cyrillic against Latin, a word fewer
    ("محمد حمزة زبيدي", "us-ofac-sdn:7851"),  # Arabic against Latin
    ("Ahmad Hassan Karimi", "gb-ofsi:15852"),  # Latin against the listed Arabic
    ("国防科学院", "jp-meti-eul:299"),  # kanji, an organisation
    ("ロケット産業省", "jp-meti-eul:391"),  # katakana and kanji
    ("赵伟", "gb-ofsi:16300"),  # Simplified Chinese, a person
    ("長安海連技術有限公司", "gb-ofsi:13626"),  # Traditional Chinese, a company
    ("Владимир Путин", "us-ofac-sdn:35096"),  # Cyrillic against a Latin alias
    ("Mohamed Yousef", "un-sc:TAi.107"),  # Latin spellings of one Arabic name
    ("Wilhelmina Pettersson-Quarles", "us-ofac-sdn:8179"),  # clear: why it is not a match
)


def _hits(engine: Any, name: str) -> list[Hit]:
    # In a thread of its own: another test's event loop may be running in this one.
    with ThreadPoolExecutor(1) as pool:
        found: list[Hit] = pool.submit(
            asyncio.run, engine.screen(Query(name), limit=10, lists=None)
        ).result()
    return found


def rendered(name: str, hit: Hit) -> str:
    kind = hit.entity.kind.value
    lines = [f"## {name} → {hit.entity.id} ({hit.entity.primary_name})"]
    lines.append("en: " + reason(name, hit.explanation, kind))
    for tag in ("ja", "ko"):
        lines.append(
            f"{tag}: " + explanation_sentence(name, hit.explanation, languages()[tag], kind)
        )
    view = explanation_view(name, hit.explanation, kind=kind)
    for token in view.tokens:
        typed = token.query_written + (f" ({token.query_reading})" if token.query_reading else "")
        listed = token.listed_written + (
            f" ({token.listed_reading})" if token.listed_reading else ""
        )
        lines.append(f"  {typed} = {listed}: {token.how_words}")
    return "\n".join(lines)


def test_explanations_read_as_the_snapshot_says(regional_engine: Any) -> None:
    blocks = []
    for name, expected in CASES:
        hit = next((h for h in _hits(regional_engine, name) if h.entity.id == expected), None)
        assert hit is not None, f"{expected} not among the candidates for {name}"
        blocks.append(rendered(name, hit))
    text = "\n\n".join(blocks) + "\n"
    if UPDATE or not SNAPSHOT.exists():
        SNAPSHOT.write_text(text, "utf-8")
        if not UPDATE:
            pytest.fail(f"wrote the first snapshot {SNAPSHOT}: review it and commit it")
    assert text == SNAPSHOT.read_text("utf-8")


def test_a_person_s_family_name_is_spoken_of_an_organisation_s_is_not(
    regional_engine: Any,
) -> None:
    person = next(h for h in _hits(regional_engine, "赵伟") if h.entity.id == "us-ofac-sdn:23647")
    assert "family name" in reason("赵伟", person.explanation, "person")
    company = next(
        h for h in _hits(regional_engine, "長安海連技術有限公司") if h.entity.id == "gb-ofsi:13626"
    )
    assert "family name" not in reason("長安海連技術有限公司", company.explanation, "organization")
