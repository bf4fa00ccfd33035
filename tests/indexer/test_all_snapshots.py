"""Every real snapshot in ../shared/lists parses into a non-trivial list.

The per-format tests check exact counts against counts established independently from
each file; this test guards that no snapshot is left unreadable and that the generic
invariants hold for all of them: unique ids of the right list, a primary name each.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.model import NameRole
from indexer.bench import snapshots
from indexer.registry import parse_list
from tests.conftest import SHARED_LISTS

SNAPSHOTS = snapshots(SHARED_LISTS) if SHARED_LISTS.is_dir() else []


@pytest.mark.skipif(not SNAPSHOTS, reason="../shared/lists is absent")
@pytest.mark.parametrize(("list_id", "path"), SNAPSHOTS, ids=lambda v: getattr(v, "name", v))
def test_snapshot_parses(list_id: str, path: Path) -> None:
    parsed = parse_list(list_id, path)
    assert parsed.list_id == list_id
    assert parsed.entities
    ids = [e.id for e in parsed.entities]
    assert len(ids) == len(set(ids)), "entity ids must be unique"
    for entity in parsed.entities:
        assert entity.id.startswith(f"{list_id}:") and entity.record_id
        assert entity.names, entity.id
        assert any(n.role is NameRole.PRIMARY for n in entity.names), entity.id
        assert all(n.full.strip() for n in entity.names), entity.id
    assert parsed.files and all(f.sha256 and f.size > 0 for f in parsed.files)
