"""One label-to-type table for OFAC's XML and CSV readers: the same label, the same type."""

from __future__ import annotations

import pytest

from core.model import Entity, IdType, Kind
from indexer.parsers._ofac_csv_remarks import apply_remarks
from indexer.parsers._ofac_labels import ID_LABELS, identifier


def _from_remarks(clause: str) -> list[tuple[IdType, str]]:
    entity = Entity(id="t:1", list_id="t", kind=Kind.PERSON)
    apply_remarks(entity, clause, is_person=True)
    return [(i.type, i.value) for i in entity.identifiers]


@pytest.mark.parametrize("label", sorted(ID_LABELS))
def test_xml_and_csv_readers_type_every_label_alike(label: str) -> None:
    """Before, the XML readers typed 41 of these labels otherwise (e.g. "Kenyan ID No.",
    "R.F.C." and "Chamber of Commerce Number" as OTHER) than the CSV remarks reader."""
    from_xml = identifier(label, "AB 12345")
    assert _from_remarks(f"{label} AB 12345") == [(from_xml.type, from_xml.value)]
    assert from_xml.type is ID_LABELS[label]


@pytest.mark.parametrize(
    ("label", "value", "expected"),
    [
        ("Vessel Registration Identification", "IMO 9187629", (IdType.IMO, "9187629")),
        ("Vessel Registration Identification", "RS 130280", (IdType.REGISTRATION, "RS 130280")),
        ("Company Number", "IMO 5055293", (IdType.IMO, "5055293")),
        ("IMO Number", "IMO 12345", (IdType.IMO, "12345")),  # not in the table: pattern
    ],
)
def test_the_value_decides_imo_numbers(
    label: str, value: str, expected: tuple[IdType, str]
) -> None:
    found = identifier(label, value)
    assert (found.type, found.value) == expected
