"""The shared parser helpers other modules import by their public names."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.errors import ListFormatError
from indexer.parsers._common import refuse_doctype


def test_refuse_doctype_is_public_and_refuses_entity_declarations(tmp_path: Path) -> None:
    laughs = tmp_path / "list.xml"
    laughs.write_text('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aa">]><l>&a;</l>')
    with pytest.raises(ListFormatError, match="DOCTYPE/ENTITY, refused"):
        refuse_doctype(laughs)
    plain = tmp_path / "plain.xml"
    plain.write_text('<?xml version="1.0"?><l/>')
    refuse_doctype(plain)  # no declaration: accepted
