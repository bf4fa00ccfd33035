"""The BIS Denied Persons List ``dpl.txt``: tab-separated, every cell quoted, one header row.

Columns: Name, Street_Address, City, State, Country, Postal_Code, Effective_Date,
Expiration_Date, Standard_Order, Last_Update, Action, FR_Citation. Dates are MM/DD/YYYY
except Last_Update (ISO).

The file carries no record id, and one denied party with several known addresses takes
one row per address (BIS repeats the name, dates and citations). So:

* **Record id** = the first 16 hex digits of SHA-256 over the normalised name and the
  *first* Federal Register citation ("68 F.R. 38290"), the notice that imposed the
  denial. Later notices (renewals of temporary denial orders) are appended to the
  citation cell over time and are not always repeated on every address row of a party,
  so keying on the whole cell would split one party and change its id at each renewal.
  A row without a recognisable citation uses its whole (normalised) citation cell.
* Rows with the same id are **one entity** with several addresses; dates, actions and
  citations of all its rows are kept in properties.
* **Names**: BIS writes a party's other names into its name cell ("FUYI SUN A/K/A FRANK
  SUN", "SIBERIAN AIRLINES D/B/A S7 AIRLINES", "PEARL (A.K.A. NEI-CHIEN CHU) LI"). They
  are cut apart (:mod:`indexer.parsers._embedded_aliases`): the first part is the
  primary name, the others a.k.a. (f.k.a. for "F/K/A") names, and the cell as written is
  kept in the ``name_as_listed`` property. The record id is still computed from the cell
  as written, so ids do not change.
* **Kind**: the file does not say person or organization; it is inferred from the names
  (:mod:`indexer.parsers._party_kind`, shared with the CSL reader's DPL and DTC rows).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from core.model import Address, Entity, Name, ParsedList
from core.scripts import detect_script
from indexer.errors import ListFormatError
from indexer.parsers._common import clean, find_file, make_address, source_file
from indexer.parsers._dates import iso_prefix
from indexer.parsers._delimited import iter_delimited
from indexer.parsers._embedded_aliases import split_embedded_aliases
from indexer.parsers._party_kind import infer_kind_of_names

_REQUIRED = (
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
    "FR_Citation",
)
_CITATION = re.compile(r"(\d+)\s*F\.?\s*R\.?\s*(\d+)", re.I)


def parse_us_bis_dpl(path: Path, list_id: str) -> ParsedList:
    """Read the Denied Persons List ``dpl.txt`` at ``path`` (the file or a folder)."""
    txt_path = find_file(path, "dpl.txt")
    entities: dict[str, Entity] = {}
    for line, row in iter_delimited(txt_path, delimiter="\t", required=_REQUIRED):
        name = clean(row["Name"])
        if name is None:
            raise ListFormatError(txt_path, "row without a name", f"line {line}")
        citation = clean(row["FR_Citation"])
        entity_id = f"{list_id}:{record_id(name, citation)}"
        entity = entities.get(entity_id)
        if entity is None:
            entity = _new_entity(entity_id, list_id, name)
            entities[entity_id] = entity
        _add_row(entity, row)
    if not entities:
        raise ListFormatError(txt_path, "no rows: the list is empty")
    for entity in entities.values():
        effective = sorted(entity.properties.get("effective_date", []))
        entity.listed_on = effective[0] if effective else None
    return ParsedList(
        list_id=list_id,
        published=None,
        entities=list(entities.values()),
        files=[source_file(txt_path)],
    )


def record_id(name: str, citation: str | None) -> str:
    """The stable id of a denied party: digest of its name and first FR citation."""
    key_name = " ".join(name.upper().split())
    first = _CITATION.search(citation or "")
    key_citation = f"{first[1]} FR {first[2]}" if first else " ".join((citation or "").split())
    digest = hashlib.sha256(f"{key_name}\x1f{key_citation}".encode()).hexdigest()
    return digest[:16]


def _new_entity(entity_id: str, list_id: str, name: str) -> Entity:
    """An entity named by one name cell, its embedded aliases cut out as names of their own."""
    names = split_embedded_aliases(name)
    entity = Entity(
        id=entity_id, list_id=list_id, kind=infer_kind_of_names([text for text, _ in names])
    )
    for text, role in names:
        entity.names.append(Name(full=text, role=role, script=detect_script(text)))
    if len(names) > 1:
        entity.add_property("name_as_listed", name)
    return entity


def _add_row(entity: Entity, row: dict[str, str]) -> None:
    address = _address(row)
    if address is not None and address not in entity.addresses:
        entity.addresses.append(address)
    entity.add_property("effective_date", _us_date(row.get("Effective_Date")))
    entity.add_property("expiration_date", _us_date(row.get("Expiration_Date")))
    standard_order = clean(row.get("Standard_Order"))
    entity.add_property("standard_order", standard_order.upper() if standard_order else None)
    entity.add_property("last_update", clean(row.get("Last_Update")))
    entity.add_property("action", clean(row.get("Action")))
    entity.add_property("federal_register_citation", clean(row.get("FR_Citation")))


def _us_date(value: str | None) -> str | None:
    """ISO form of an MM/DD/YYYY cell; the cell as written when it is something else."""
    text = clean(value)
    if text is None:
        return None
    return iso_prefix(text, day_first=False) or text


def _address(row: dict[str, str]) -> Address | None:
    street = clean(row.get("Street_Address"))
    city = clean(row.get("City"))
    region = clean(row.get("State"))
    postal = clean(row.get("Postal_Code"))
    country = clean(row.get("Country"))
    return make_address(street, city, region, postal, country)
