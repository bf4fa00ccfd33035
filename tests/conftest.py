"""Shared test fixtures: where the real list snapshots and eval data live."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SCREENING_SHARED", REPO.parent / "shared"))
SHARED_LISTS = SHARED / "lists"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_list(*parts: str) -> Path:
    """Path of a real snapshot in ../shared/lists; skips the test where shared/ is absent."""
    path = SHARED_LISTS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real list snapshot not available: {path}")
    return path


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


# The real lists the lookup page is tested over: the UN list, OFAC SDN, the UK list (names
# in Hangul, Chinese, Arabic, Cyrillic as written) and Japan's METI End User List (names in
# kanji and kana). Built once per test run (about half a minute) for the explanation
# snapshots and the browser tests.
REGIONAL_LISTS = (
    ("un-sc", "2026-08-01"),
    ("us-ofac-sdn", "2023-12-28"),
    ("gb-ofsi", "2025-04-14"),
    ("jp-meti-eul", "2025-09-29"),
)


@pytest.fixture(scope="session")
def regional_engine() -> Any:
    from indexer.build import build_embedded
    from indexer.registry import parse_list

    paths = [(list_id, shared_list(list_id, version)) for list_id, version in REGIONAL_LISTS]
    return build_embedded([parse_list(list_id, path) for list_id, path in paths])
