"""Shared test fixtures: where the real list snapshots and eval data live."""

from __future__ import annotations

import os
from pathlib import Path

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
