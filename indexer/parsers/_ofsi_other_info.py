"""OFSI's "Other Information" column: labelled facts packed into one text.

OFSI writes contact details, registration numbers, gender and every ship particular into
one cell as "(Label):value (Label):value". Screening needs the IMO number and e-mail
addresses as identifiers, not as prose, so the known labels are cut out here; the whole
text still goes to ``remarks`` for the officer.
"""

from __future__ import annotations

import re

from core.model import Entity, Identifier, IdType
from indexer.parsers._sheet import cell_text, split_enumerated

# The labels OFSI uses (seen across the 2022-format ConList), in the form they appear.
_LABELS = (
    "UK Sanctions List Ref",
    "UK Statement of Reasons",
    "UN Ref",
    "Gender",
    "Phone number",
    "Fax",
    "Tel",
    "Email address",
    "Website",
    "Business Reg No",
    "Type of entity",
    "Parent company",
    "Subsidiaries",
    "IMO number",
    "Current owners",
    "Flag of ship",
    "Previous flags",
    "Type of ship",
    "Tonnage of ship",
    "Length of ship",
    "Year built",
)
_LABEL = re.compile(r"\((" + "|".join(re.escape(label) for label in _LABELS) + r")\):")

_IDENTIFIER_LABELS: dict[str, IdType] = {
    "Phone number": IdType.PHONE,
    "Fax": IdType.PHONE,
    "Tel": IdType.PHONE,
    "Email address": IdType.EMAIL,
    "Website": IdType.WEBSITE,
    "Business Reg No": IdType.REGISTRATION,
    "IMO number": IdType.IMO,
}
_PROPERTY_LABELS: dict[str, str] = {
    "Type of entity": "entity_type",
    "Parent company": "parent_company",
    "Subsidiaries": "subsidiaries",
    "Current owners": "vessel_owner",
    "Flag of ship": "vessel_flag",
    "Previous flags": "vessel_previous_flags",
    "Type of ship": "vessel_type",
    "Tonnage of ship": "vessel_tonnage",
    "Length of ship": "vessel_length",
    "Year built": "vessel_year_built",
}
# The UN reference is the value's start ("QDi.290", also written "QDE.131" or "CDi. 037");
# a reference further on names an associate ("Led by ... (QDi.290)"), not this entry.
_UN_REF = re.compile(r"\s*([A-Z]{2})([A-Za-z])\.\s?(\d+)\b")
_LIST_REF = re.compile(r"[A-Z]{2,4}\d{3,5}")


def labelled_parts(text: str) -> list[tuple[str, str]]:
    """(label, value) pairs in order; text before the first label is ignored here."""
    pieces = _LABEL.split(text)
    return [
        (pieces[i], pieces[i + 1].strip()) for i in range(1, len(pieces) - 1, 2) if pieces[i + 1]
    ]


def _values(label: str, value: str) -> list[str]:
    items = split_enumerated(value)
    if label == "Email address":  # several addresses are sometimes only space-separated
        items = [word for item in items for word in item.split() if "@" in word]
    return [item.rstrip(".;,") for item in items if item.strip(".;, ")]


def apply_other_information(entity: Entity, text: str | None) -> str | None:
    """Add the identifiers, gender and properties found in one Other Information text.

    Returns the gender the text states (the last one, as it is what the entity keeps), so
    a caller that meets the same text again can re-apply it without parsing it again."""
    if not text:
        return None
    stated_gender: str | None = None
    for label, value in labelled_parts(text):
        if label == "UK Sanctions List Ref":
            found = _LIST_REF.search(value)
            entity.add_property("uk_sanctions_list_ref", found[0] if found else None)
        elif label == "UN Ref":
            found = _UN_REF.match(value)
            ref = f"{found[1]}{found[2].lower()}.{found[3]}" if found else None
            entity.add_property("un_ref", ref)
        elif label == "Gender":
            gender = (cell_text(value) or "").rstrip(".").casefold()
            if gender:
                entity.gender = stated_gender = gender
        elif label in _IDENTIFIER_LABELS:
            for item in _values(label, value):
                identifier = Identifier(type=_IDENTIFIER_LABELS[label], value=item, label=label)
                if identifier not in entity.identifiers:
                    entity.identifiers.append(identifier)
        elif label in _PROPERTY_LABELS:
            for item in _values(label, value):
                entity.add_property(_PROPERTY_LABELS[label], item)
    return stated_gender
