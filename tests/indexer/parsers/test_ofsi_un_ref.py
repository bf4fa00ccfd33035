"""OFSI's "(UN Ref):" value: the entry's own UN reference is the value's start, however
OFSI writes it; a reference later in the text names an associate."""

from __future__ import annotations

import pytest

from core.model import Entity, Kind
from indexer.parsers._ofsi_other_info import apply_other_information


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(UN Ref):KPe.001. Primary arms dealer", ["KPe.001"]),
        ("(UN Ref):QDE.131. Mainly active ... Led by Doku Umarov (QDi.290)", ["QDe.131"]),
        ("(UN Ref):CDi. 037. Listed pursuant to paragraphs 7 (b)", ["CDi.037"]),
        ("(UN Ref):see the UN list (QDi.290)", None),
    ],
)
def test_the_un_reference_is_the_one_the_value_starts_with(
    text: str, expected: list[str] | None
) -> None:
    entity = Entity("gb-ofsi:1", "gb-ofsi", Kind.ORGANIZATION)
    apply_other_information(entity, text)
    assert entity.properties.get("un_ref") == expected
