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
* **Kind**: the file does not say person or organization. A name containing a legal-form
  or business word (INC, LTD, LLC, CO., COMPANY, CORPORATION, GMBH, AIRLINES, TRADING...),
  a web domain, or a single word is an organization, every other name a person. This
  errs towards "person" for unusual company names ("AVIASTAR - TU"), which a reviewer
  sees at once; the words are in :data:`ORGANIZATION_WORDS`.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from core.model import Address, Entity, Kind, Name, NameRole, ParsedList
from core.scripts import detect_script
from indexer.errors import ListFormatError
from indexer.parsers._common import clean, find_file, make_address, source_file
from indexer.parsers._dates import iso_prefix
from indexer.parsers._delimited import iter_delimited

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

# Whole words (after removing punctuation) that mark a business name.
ORGANIZATION_WORDS = frozenset(
    {
        "INC",
        "INCORPORATED",
        "LTD",
        "LIMITED",
        "LLC",
        "LLP",
        "LP",
        "CO",
        "COMPANY",
        "CORP",
        "CORPORATION",
        "GMBH",
        "AG",
        "SA",
        "SARL",
        "SRL",
        "SPA",
        "BV",
        "NV",
        "PLC",
        "PTE",
        "PTY",
        "FZE",
        "FZCO",
        "FZC",
        "JSC",
        "OOO",
        "ZAO",
        "OAO",
        "PJSC",
        "KG",
        "AB",
        "AS",
        "OY",
        "ENTERPRISE",
        "ENTERPRISES",
        "INDUSTRIES",
        "INDUSTRY",
        "INTERNATIONAL",
        "TRADING",
        "TRADE",
        "GROUP",
        "HOLDING",
        "HOLDINGS",
        "AIRLINES",
        "AIRLINE",
        "AIRWAYS",
        "AVIATION",
        "AIR",
        "CARGO",
        "LOGISTICS",
        "SHIPPING",
        "FREIGHT",
        "TECHNOLOGY",
        "TECHNOLOGIES",
        "ELECTRONICS",
        "SYSTEMS",
        "SERVICES",
        "SUPPLY",
        "SUPPLIES",
        "IMPORT",
        "EXPORT",
        "EXPORTS",
        "IMPORTS",
        "CORPORATE",
        "ASSOCIATES",
        "PARTNERS",
        "FIRM",
        "BANK",
        "UNIVERSITY",
        "INSTITUTE",
        "LABORATORIES",
        "LABS",
        "AGENCY",
        "SL",
        "TECHNIK",
        "VERTRIEBS",
        "COMPUTER",
        "COMPUTERS",
        "METALS",
        "COMMERCIO",
        "RESULTS",
    }
)
_WORD = re.compile(r"[A-Z0-9]+")
_DOMAIN = re.compile(r"[A-Z0-9]\.(?:COM|NET|ORG)\b")


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
            entity = Entity(id=entity_id, list_id=list_id, kind=infer_kind(name))
            entity.names.append(Name(full=name, role=NameRole.PRIMARY, script=detect_script(name)))
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


def infer_kind(name: str) -> Kind:
    """Organization when the name holds a business word, is a web domain or is a single
    word (every person on the list has at least two names); else person."""
    upper = name.upper()
    if _DOMAIN.search(upper):
        return Kind.ORGANIZATION
    words = _WORD.findall(upper.replace(".", ""))
    if len(words) == 1 or set(words) & ORGANIZATION_WORDS:
        return Kind.ORGANIZATION
    return Kind.PERSON


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
