from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from indexer.errors import ListNotFoundError
from indexer.registry import Download, current_ids, get_source, load_registry

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
    "uk-fcdo",
    "in-mha-banned",
    "world-bank-debarred",
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


def test_retired_lists_are_not_taken_by_default_and_name_their_successor() -> None:
    registry = load_registry()
    assert "gb-ofsi" not in current_ids(registry) and "uk-fcdo" in current_ids(registry)
    ofsi, fcdo = registry["gb-ofsi"], registry["uk-fcdo"]
    assert ofsi.retired and "2026-01-28" in ofsi.retired and ofsi.successor == "uk-fcdo"
    assert fcdo.succeeds is not None
    assert (fcdo.succeeds.list_id, fcdo.succeeds.match_property) == ("gb-ofsi", "ofsi_group_id")


def test_cadences_are_recorded_where_publishers_state_one() -> None:
    registry = load_registry()
    for daily in ("us-ofac-sdn", "us-ofac-cons", "uk-fcdo", "world-bank-debarred"):
        assert registry[daily].cadence_days == 1, daily
    assert registry["un-sc"].cadence_days is None  # the service's default applies


def test_download_headers_take_their_values_from_the_environment() -> None:
    (world_bank,) = get_source("world-bank-debarred").formats[0].downloads
    assert dict(world_bank.headers) == {"apikey": "${SCREENING_WORLD_BANK_API_KEY}"}
    assert world_bank.request_headers({"SCREENING_WORLD_BANK_API_KEY": "k1"}) == {"apikey": "k1"}
    with pytest.raises(KeyError, match="SCREENING_WORLD_BANK_API_KEY"):
        world_bank.request_headers({})
    assert Download("f", "https://x").request_headers({}) == {}


def test_a_successor_of_an_unknown_list_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(
        '[lists.a]\npublisher = "p"\ntitle = "t"\nhomepage = "h"\nrecord_id = "r"\n'
        'terms = "x"\n[lists.a.succeeds]\nlist = "b"\nproperty = "b_id"\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="a succeeds b, which is not listed"):
        load_registry(path)


def test_screening_lists_marks_retired_lists_and_their_successor(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from service.cli import main

    assert main(["lists"]) == 0
    text = capsys.readouterr().out
    ofsi = text.split("gb-ofsi", 1)[1].split("\n\n", 1)[0]
    assert "[RETIRED]" in ofsi and "succeeded by uk-fcdo" in ofsi and "2026-01-28" in ofsi
    fcdo = text.split("\nuk-fcdo", 1)[1].split("\n\n", 1)[0]
    assert "succeeds gb-ofsi (parties matched by ofsi_group_id)" in fcdo and "daily" in fcdo
    assert main(["lists", "--json"]) == 0
    registry = json.loads(capsys.readouterr().out)
    assert registry["gb-ofsi"]["retired"] and registry["gb-ofsi"]["successor"] == "uk-fcdo"
    assert registry["uk-fcdo"]["succeeds"] == {"list": "gb-ofsi", "property": "ofsi_group_id"}
    assert registry["world-bank-debarred"]["cadence_days"] == 1
