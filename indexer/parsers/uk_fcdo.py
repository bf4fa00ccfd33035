"""The UK Sanctions List of the Foreign, Commonwealth & Development Office (``uk-fcdo``).

Since OFSI's consolidated list closed (28 January 2026) it is the UK's single list. The
FCDO publishes it as XML, CSV and ODS:

* **XML** (``UK-Sanctions-List.xml``): root ``<Designations>`` holding ``<DateGenerated>``
  (dd/mm/yyyy) and one ``<Designation>`` per designation: ``LastUpdated``,
  ``DateDesignated``, ``UniqueID``, ``OFSIGroupID``, ``UNReferenceNumber``,
  ``Names/Name`` (``Name1``..``Name6``, ``NameType``, ``AliasStrength``),
  ``NonLatinNames/NonLatinName``, ``Titles``, ``RegimeName``, ``IndividualEntityShip``,
  ``DesignationSource``, ``SanctionsImposed`` ("|"-separated) with
  ``SanctionsImposedIndicators``, ``OtherInformation``, ``UKStatementofReasons``,
  ``Addresses``, ``PhoneNumbers``, ``EmailAddresses``, ``Websites`` and, by type,
  ``IndividualDetails``, ``EntityDetails`` or ``ShipDetails``.
* **CSV** (``UK-Sanctions-List.csv``): a first line "Report Date: 08-Oct-2026", a header
  of 58 columns, then one row per name and address of a designation, tied by "Unique ID".

Both are read into :class:`indexer.parsers._uk_designation.Designation` and mapped to
entities by one function, so the two formats give the same entities.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree

from core.model import Entity, ParsedList
from indexer.errors import ListFormatError
from indexer.parsers._common import (
    child_text,
    children,
    clean,
    find_file,
    iter_xml,
    local_name,
    require_nonempty,
    source_file,
)
from indexer.parsers._list_meta import read_xml_root
from indexer.parsers._sheet import cell_text, find_header, header_key
from indexer.parsers._uk_designation import (
    AddressParts,
    Designation,
    NameParts,
    NonLatinName,
    designation_entity,
    measure_key,
    published_date,
)

XML_FILES = ("UK-Sanctions-List.xml", "UK_Sanctions_List.xml")
CSV_FILES = ("UK-Sanctions-List.csv", "UK_Sanctions_List.csv")
# The CSV's type column: "Designation Type" in the files of 2026, "Individual, Entity,
# Ship" in earlier ones.
TYPE_COLUMNS = ("Designation Type", "Individual, Entity, Ship")
REQUIRED_COLUMNS = ("Unique ID", "Name 6", "Name type", "Regime Name")


def _finish(
    path: Path, items: Iterable[Designation], list_id: str, published: date | None
) -> ParsedList:
    entities: list[Entity] = [designation_entity(path, item, list_id) for item in items]
    if not entities:
        raise ListFormatError(path, "the list holds no designations")
    return ParsedList(
        list_id=list_id, published=published, entities=entities, files=[source_file(path)]
    )


# --- XML ---------------------------------------------------------------------------------


def parse_uk_fcdo_xml(path: Path, list_id: str) -> ParsedList:
    """Read UK-Sanctions-List.xml (a file, or a folder holding it)."""
    path = find_file(path, *XML_FILES)
    read_xml_root(path, "Designations")
    published: date | None = None
    items: dict[str, Designation] = {}
    for element in iter_xml(path, {"Designation", "DateGenerated"}):
        if local_name(element) == "DateGenerated":
            published = published_date(clean(element.text))
            continue
        where = f"line {element.sourceline or '?'}"
        unique_id = child_text(element, "UniqueID")
        if unique_id is None:
            raise ListFormatError(path, "a designation without a UniqueID", where)
        if unique_id in items:
            raise ListFormatError(path, f"UniqueID {unique_id} appears twice", where)
        items[unique_id] = _from_xml(element, unique_id, where)
    return _finish(path, items.values(), list_id, published)


def _all(element: etree._Element, path: str) -> list[etree._Element]:
    """The descendants along ``path`` ("IndividualDetails/Individual/DOBs/DOB")."""
    found = [element]
    for step in path.split("/"):
        found = [child for parent in found for child in children(parent, step)]
    return found


def _texts(element: etree._Element, path: str) -> list[str]:
    return [text for text in (clean(e.text) for e in _all(element, path)) if text]


def _from_xml(element: etree._Element, unique_id: str, where: str) -> Designation:
    item = Designation(unique_id, where)
    for key, tag in (
        ("last_updated", "LastUpdated"),
        ("date_designated", "DateDesignated"),
        ("ofsi_group_id", "OFSIGroupID"),
        ("un_ref", "UNReferenceNumber"),
        ("regime", "RegimeName"),
        ("kind", "IndividualEntityShip"),
        ("designation_source", "DesignationSource"),
        ("other_information", "OtherInformation"),
        ("statement_of_reasons", "UKStatementofReasons"),
    ):
        item.add(key, child_text(element, tag))
    for text in _texts(element, "SanctionsImposed"):
        for measure in text.split("|"):
            item.add("sanctions_imposed", clean(measure))
    for indicators in _all(element, "SanctionsImposedIndicators"):
        for flag in indicators:
            if (clean(flag.text) or "").casefold() == "true":
                item.add("measure", measure_key(local_name(flag)))
    for name in _all(element, "Names/Name"):
        parts = tuple(child_text(name, f"Name{i}") for i in range(1, 7))
        item.add(
            "name",
            NameParts(parts, child_text(name, "NameType"), child_text(name, "AliasStrength")),
        )
    for other in _all(element, "NonLatinNames/NonLatinName"):
        script_text = child_text(other, "NameNonLatinScript")
        if script_text:
            item.add(
                "non_latin",
                NonLatinName(
                    script_text,
                    child_text(other, "NonLatinScriptType"),
                    child_text(other, "NonLatinScriptLanguage"),
                ),
            )
    for title in _texts(element, "Titles/Title"):
        item.add("title", title)
    for address in _all(element, "Addresses/Address"):
        item.add(
            "address",
            AddressParts(
                tuple(child_text(address, f"AddressLine{i}") for i in range(1, 7)),
                child_text(address, "AddressPostalCode"),
                child_text(address, "AddressCountry"),
            ),
        )
    for key, path in (
        ("phone", "PhoneNumbers/PhoneNumber"),
        ("email", "EmailAddresses/EmailAddress"),
        ("website", "Websites/Website"),
    ):
        for text in _texts(element, path):
            for value in _contact_values(key, text):
                item.add(key, value)
    _xml_individual(item, element)
    _xml_details(item, element)
    return item


def _contact_values(key: str, text: str) -> list[str]:
    """E-mail addresses are sometimes several to a field, separated by ";" or spaces."""
    if key != "email":
        return [text]
    return [word.strip(";,") for word in text.replace(";", " ").split() if "@" in word]


def _xml_individual(item: Designation, element: etree._Element) -> None:
    for person in _all(element, "IndividualDetails/Individual"):
        for dob in _texts(person, "DOBs/DOB"):
            item.add("dob", dob)
        for location in _all(person, "BirthDetails/Location"):
            place = (child_text(location, "TownOfBirth"), child_text(location, "CountryOfBirth"))
            if any(place):
                item.add("birth_place", place)
        for key, path in (
            ("gender", "Genders/Gender"),
            ("nationality", "Nationalities/Nationality"),
            ("position", "Positions/Position"),
        ):
            for text in _texts(person, path):
                item.add(key, text)
        for passport in _all(person, "PassportDetails/Passport"):
            number = child_text(passport, "PassportNumber")
            if number:
                item.add(
                    "passport", (number, child_text(passport, "PassportAdditionalInformation"))
                )
        for national in _all(person, "NationalIdentifierDetails/NationalIdentifier"):
            number = child_text(national, "NationalIdentifierNumber")
            if number:
                info = child_text(national, "NationalIdentifierAdditionalInformation")
                item.add("national_id", (number, info))


_ENTITY_PATHS = (
    ("registration", "EntityDetails/Entity/BusinessRegistrationNumbers/BusinessRegistrationNumber"),
    ("entity_type", "EntityDetails/Entity/TypeOfEntities/TypeOfEntity"),
    ("parent", "EntityDetails/Entity/ParentCompanies/ParentCompany"),
    ("subsidiary", "EntityDetails/Entity/Subsidiaries/Subsidiary"),
    ("imo", "ShipDetails/Ship/IMONumbers/IMONumber"),
    ("owner", "ShipDetails/Ship/CurrentOwnerOperators/CurrentOwnerOperator"),
    ("previous_owner", "ShipDetails/Ship/PreviousOwnerOperators/PreviousOwnerOperator"),
    ("flag", "ShipDetails/Ship/CurrentBelievedFlagOfShips/CurrentBelievedFlagOfShip"),
    ("previous_flag", "ShipDetails/Ship/PreviousFlags/PreviousFlag"),
    ("ship_type", "ShipDetails/Ship/TypeOfShipDetails/TypeOfShip"),
    ("tonnage", "ShipDetails/Ship/TonnageOfShipDetails/TonnageOfShip"),
    ("length", "ShipDetails/Ship/LengthOfShipDetails/LengthOfShip"),
    ("year_built", "ShipDetails/Ship/YearsBuilt/YearBuilt"),
)


def _xml_details(item: Designation, element: etree._Element) -> None:
    for key, path in _ENTITY_PATHS:
        for text in _texts(element, path):
            item.add(key, text)


# --- CSV ---------------------------------------------------------------------------------

# CSV column -> Designation key, for the columns that hold one value each.
_CSV_VALUES = (
    ("Last Updated", "last_updated"),
    ("OFSI Group ID", "ofsi_group_id"),
    ("UN Reference Number", "un_ref"),
    ("Regime Name", "regime"),
    ("Designation source", "designation_source"),
    ("Other Information", "other_information"),
    ("UK Statement of Reasons", "statement_of_reasons"),
    ("Phone number", "phone"),
    ("Website", "website"),
    ("Email address", "email"),
    ("Date Designated", "date_designated"),
    ("D.O.B", "dob"),
    ("Nationality(/ies)", "nationality"),
    ("Position", "position"),
    ("Gender", "gender"),
    ("Title", "title"),
    ("Type of entity", "entity_type"),
    ("Subsidiaries", "subsidiary"),
    ("Parent company", "parent"),
    ("Business registration number (s)", "registration"),
    ("IMO number", "imo"),
    ("Current owner/operator (s)", "owner"),
    ("Previous owner/operator (s)", "previous_owner"),
    ("Current believed flag of ship", "flag"),
    ("Previous flags", "previous_flag"),
    ("Type of ship", "ship_type"),
    ("Tonnage of ship", "tonnage"),
    ("Length of ship", "length"),
    ("Year Built", "year_built"),
    ("Hull identification number (HIN)", "hin"),
)


def parse_uk_fcdo_csv(path: Path, list_id: str) -> ParsedList:
    """Read UK-Sanctions-List.csv (a file, or a folder holding it); UTF-8, BOM or not."""
    path = find_file(path, *CSV_FILES)
    require_nonempty(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ListFormatError(path, f"not UTF-8 text: {exc.reason}", f"line {line}") from exc
    if "\x00" in text:
        raise ListFormatError(path, "binary content in a CSV file", "start")
    try:
        rows: list[list[Any]] = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ListFormatError(path, f"broken CSV: {exc}") from exc
    header_index, columns = find_header(path, rows, REQUIRED_COLUMNS)
    type_column = next(
        (columns[header_key(c)] for c in TYPE_COLUMNS if header_key(c) in columns), None
    )
    if type_column is None:
        raise ListFormatError(
            path, f"no designation type column ({' or '.join(TYPE_COLUMNS)})", "header"
        )
    published = _report_date(rows[:header_index])
    items: dict[str, Designation] = {}

    def cell(cells: list[Any], name: str) -> str | None:
        position = columns.get(header_key(name))
        if position is None or position >= len(cells):
            return None
        return cell_text(cells[position])

    for offset, cells in enumerate(rows[header_index + 1 :]):
        if not any(cell_text(c) for c in cells):
            continue
        where = f"line {header_index + offset + 2}"
        unique_id = cell(cells, "Unique ID")
        if unique_id is None:
            raise ListFormatError(path, "a row without a Unique ID", where)
        item = items.get(unique_id)
        if item is None:
            item = items[unique_id] = Designation(unique_id, where)
        kind = cell_text(cells[type_column]) if type_column < len(cells) else None
        item.add("kind", kind)
        _csv_row(item, cells, cell)
    return _finish(path, items.values(), list_id, published)


def _report_date(rows: list[list[Any]]) -> date | None:
    """The date of the "Report Date: 08-Oct-2026" line above the header."""
    for cells in rows:
        for value in cells:
            text = cell_text(value) or ""
            label, sep, rest = text.partition(":")
            if sep and label.strip().casefold() == "report date":
                return published_date(rest.strip())
    return None


def _csv_row(
    item: Designation, cells: list[Any], cell: Callable[[list[Any], str], str | None]
) -> None:
    for column, key in _CSV_VALUES:
        value = cell(cells, column)
        if value is None:
            continue
        for part in _contact_values(key, value):
            item.add(key, part)
    for measure in (cell(cells, "Sanctions Imposed") or "").split("|"):
        item.add("sanctions_imposed", clean(measure))
    parts = tuple(cell(cells, f"Name {i}") for i in range(1, 7))
    if any(parts):
        item.add(
            "name",
            NameParts(
                parts, cell(cells, "Name type"), cell(cells, "Alias strength"), cell(cells, "Title")
            ),
        )
    original = cell(cells, "Name non-latin script")
    if original:
        item.add(
            "non_latin",
            NonLatinName(
                original,
                cell(cells, "Non-latin script type"),
                cell(cells, "Non-latin script language"),
            ),
        )
    lines = tuple(cell(cells, f"Address Line {i}") for i in range(1, 7))
    address = AddressParts(
        lines, cell(cells, "Address Postal Code"), cell(cells, "Address Country")
    )
    if any(lines) or address.postal_code or address.country:
        item.add("address", address)
    place = (cell(cells, "Town of birth"), cell(cells, "Country of birth"))
    if any(place):
        item.add("birth_place", place)
    for key, number_column, info_column in (
        ("passport", "Passport number", "Passport additional information"),
        ("national_id", "National Identifier number", "National Identifier additional information"),
    ):
        number = cell(cells, number_column)
        if number:
            item.add(key, (number, cell(cells, info_column)))
