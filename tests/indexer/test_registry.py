from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from indexer.errors import ListNotFoundError
from indexer.registry import get_source, load_registry

EXPECTED_IDS = {
    "us-ofac-sdn",
    "us-ofac-cons",
    "un-sc",
    "eu-fsf",
    "gb-ofsi",
    "us-csl",
    "us-bis-dpl",
    "au-dfat",
    "ca-sema",
    "jp-meti-eul",
}


def test_registry_names_every_list_with_publisher_url_and_record_id() -> None:
    registry = load_registry()
    assert set(registry) >= EXPECTED_IDS
    for source in registry.values():
        assert source.publisher and source.title and source.record_id and source.terms
        assert source.formats, source.id
        for fmt in source.formats:
            assert fmt.downloads, (source.id, fmt.name)
            assert all(d.url.startswith("https://") for d in fmt.downloads)


def test_every_registered_parser_is_importable() -> None:
    for source in load_registry().values():
        for fmt in source.formats:
            module, _, func = fmt.parser_path.partition(":")
            assert callable(getattr(importlib.import_module(module), func)), fmt.parser_path


def test_unknown_list_id_is_a_clear_error() -> None:
    with pytest.raises(ListNotFoundError, match="unknown list id 'xx-nope'"):
        get_source("xx-nope")


def test_folder_without_a_known_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "readme.md").write_text("nothing here")
    with pytest.raises(ListNotFoundError, match="no file of a known un-sc format"):
        get_source("un-sc").format_for(tmp_path)


def test_format_is_chosen_by_the_files_present(tmp_path: Path) -> None:
    (tmp_path / "ConList.csv").write_text("x")
    assert get_source("gb-ofsi").format_for(tmp_path).name == "ofsi-csv"
    (tmp_path / "ConList.xlsx").write_text("x")
    assert get_source("gb-ofsi").format_for(tmp_path).name == "ofsi-xlsx"
