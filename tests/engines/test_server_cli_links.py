"""`screening index` says what the links made of the lists it published."""

from __future__ import annotations

import json

import pytest

from service.cli import main
from tests.engines.server_support import FIXTURES, engine_client, run, unique_alias


def test_index_reports_the_parties_it_published(
    elasticsearch_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    alias = unique_alias()
    lists = [
        f"--list=us-ofac-sdn={FIXTURES / 'us-ofac-sdn'}",
        f"--list=un-sc={FIXTURES / 'un-sc' / 'consolidated.xml'}",
    ]

    async def cleanup() -> None:
        async with engine_client(elasticsearch_url, alias):
            pass  # leaving the context deletes the alias's indices and metadata

    try:
        base = ["index", "--engine-url", elasticsearch_url, "--alias", alias]
        assert main([*base, *lists, "--json"]) == 0
        outcome = json.loads(capsys.readouterr().out)
        links = outcome["links"]
        assert links["listings"] == outcome["entities"]
        assert links["parties"] <= links["listings"] and set(links) >= {"links", "splits"}
        assert main([*base, *lists]) == 0
        assert f"{links['parties']} parties" in capsys.readouterr().out
    finally:
        run(cleanup)
