"""The hand check of links over the real lists: 265 links read one by one, precision >= 0.99.

``tests/fixtures/links_hand_check.csv`` holds two samples of the links inside parties over
the snapshots of :data:`SNAPSHOTS` (the newest of each list the registry knows):

* ``random``: 100 links drawn with ``random.Random(14).sample`` from all of them, sorted by
  (a, b, kind): half copy an OFAC entry into trade.gov's list, as the links do;
* ``weak``: 100 drawn with ``random.Random(1414)`` from the name links (name with date
  of birth, name with country, name alone) between lists of different publishers (the
  US lists among themselves left out), the evidence most likely to be wrong;
* ``birth_year``: 50 drawn with ``random.Random(1415)`` from the links on a name and the
  years of birth where one list gives no full date (added after the first two samples,
  for the UN parties DFAT lists without their reference). The least certain verdict:
  ``au-dfat:3599``/``us-ofac-sdn:27224``, "Aung Aung" born 1973, both a Burmese general.
* ``india_mha``: every link of India's banned organisations (``in-mha-banned``, added with
  the World Bank's list, which links to no sanctions listing at all): 15 name links, all
  the same group. Two more were wrong before ``core/data/group_words.txt``: India's
  People's Liberation Army (Manipur) and Peru's Shining Path, whose DFAT and trade.gov
  entries carry "People's Liberation Army" as an alias.

Each pair was read side by side (every name, dates of birth, nationalities, addresses,
identifiers, programs, remarks) and judged the same party or not (``verdict``). The test
recomputes the links: the checked links must still be found (at least 95 %: a change of
name normalisation may move a few name links) and the verdicts over them give the
precision.
"""

from __future__ import annotations

import csv

import pytest

from core.links import group_parties
from indexer.registry import parse_list
from tests.conftest import FIXTURES, shared_list

pytestmark = pytest.mark.shared_lists

SNAPSHOTS = {
    "au-dfat": "2026-07",
    "ca-sema": "2025-03",
    "eu-fsf": "2024-10-02",
    "gb-ofsi": "2025-04-14",
    "in-mha-banned": "2023-12-18",
    "jp-meti-eul": "2025-09-29",
    "un-sc": "2026-08-01",
    "us-bis-dpl": "2023-11-30",
    "us-csl": "2022-05",
    "us-ofac-cons": "2026-01-08",
    "us-ofac-sdn": "2024-05-03",
    "world-bank-debarred": "2021-01-16",
}


def test_hand_checked_links_are_still_found_and_precise() -> None:
    entities = [
        entity
        for list_id, day in SNAPSHOTS.items()
        for entity in parse_list(list_id, shared_list(list_id, day)).entities
    ]
    found = {(link.a, link.b, link.kind) for link in group_parties(entities).links}
    with (FIXTURES / "links_hand_check.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    sizes = {"random": 100, "weak": 100, "birth_year": 50, "india_mha": 15}
    assert {row["sample"] for row in rows} == set(sizes)
    for sample, size in sizes.items():
        checked = [row for row in rows if row["sample"] == sample]
        assert len(checked) == size
        still = [row for row in checked if (row["a"], row["b"], row["kind"]) in found]
        assert len(still) >= 0.95 * len(checked), f"{sample}: links gone, check them again"
        right = sum(1 for row in still if row["verdict"] == "same")
        assert right / len(still) >= 0.99, sample
