"""What OFAC's own labels mean in the entity model, shared by its three XML formats.

SDN.XML, the advanced XML and the enhanced XML describe the same parties with the same
vocabulary ("Passport", "SWIFT/BIC", "Vessel Call Sign", "Gender", "a.k.a.", "Cyrillic"),
but SDN.XML puts many facts into its ``idList`` that the other two call features. Mapping
every label in one place keeps a party's entity identical whichever format it came from.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date
from pathlib import Path

from lxml import etree

from core.countries import country_code
from core.model import DateKind, DateValue, Entity, Identifier, IdType, Kind, Name, NameRole, Place
from indexer.errors import ListFormatError
from indexer.parsers._common import clean, local_name, refuse_doctype, require_nonempty

# OFAC's identifier labels -> identifier type: the one table for every OFAC format (the
# XML readers' idList and features, the CSV readers' Remarks clauses, which are found by
# these exact labels, longest first). A label not in it falls back to _ID_TYPE_PATTERNS.
ID_LABELS: dict[str, IdType] = {
    # travel documents
    "Passport": IdType.PASSPORT,
    "Diplomatic Passport": IdType.PASSPORT,
    "Travel Document Number": IdType.PASSPORT,
    # personal identity numbers
    "National ID No.": IdType.NATIONAL_ID,
    "Cedula No.": IdType.NATIONAL_ID,
    "Identification Number": IdType.NATIONAL_ID,
    "Personal ID Card": IdType.NATIONAL_ID,
    "D.N.I.": IdType.NATIONAL_ID,
    "C.U.R.P.": IdType.NATIONAL_ID,
    "C.U.R.P. #": IdType.NATIONAL_ID,
    "C.U.I.": IdType.NATIONAL_ID,
    "C.U.I.P.": IdType.NATIONAL_ID,
    "Kenyan ID No.": IdType.NATIONAL_ID,
    "Turkish Identification Number": IdType.NATIONAL_ID,
    "Citizen's Card Number": IdType.NATIONAL_ID,
    "Numero de Identidad": IdType.NATIONAL_ID,
    "Tazkira National ID Card": IdType.NATIONAL_ID,
    "National Foreign ID Number": IdType.NATIONAL_ID,
    "Bosnian Personal ID No.": IdType.NATIONAL_ID,
    "Electoral Registry No.": IdType.NATIONAL_ID,
    "Credencial electoral": IdType.NATIONAL_ID,
    "I.F.E.": IdType.NATIONAL_ID,
    "Residency Number": IdType.NATIONAL_ID,
    "Refugee ID Card": IdType.NATIONAL_ID,
    "Stateless Person ID Card": IdType.NATIONAL_ID,
    "Birth Certificate Number": IdType.NATIONAL_ID,
    "SSN": IdType.NATIONAL_ID,
    # tax numbers
    "Tax ID No.": IdType.TAX_ID,
    "R.F.C.": IdType.TAX_ID,
    "R.F.C. #": IdType.TAX_ID,
    "RFC": IdType.TAX_ID,
    "NIT #": IdType.TAX_ID,
    "RUC #": IdType.TAX_ID,
    "RIF #": IdType.TAX_ID,
    "RTN": IdType.TAX_ID,
    "C.U.I.T.": IdType.TAX_ID,
    "V.A.T. Number": IdType.TAX_ID,
    "US FEIN": IdType.TAX_ID,
    "Italian Fiscal Code": IdType.TAX_ID,
    # company and other registrations
    "Registration Number": IdType.REGISTRATION,
    "Registration ID": IdType.REGISTRATION,
    "Business Registration Number": IdType.REGISTRATION,
    "Business Registration Document #": IdType.REGISTRATION,
    "Business Number": IdType.REGISTRATION,
    "Commercial Registry Number": IdType.REGISTRATION,
    "Company Number": IdType.REGISTRATION,
    "UK Company Number": IdType.REGISTRATION,
    "Government Gazette Number": IdType.REGISTRATION,
    "Legal Entity Number": IdType.REGISTRATION,
    "LE Number": IdType.REGISTRATION,
    "Unified Social Credit Code (USCC)": IdType.REGISTRATION,
    "United Social Credit Code Certificate (USCCC)": IdType.REGISTRATION,
    "Chamber of Commerce Number": IdType.REGISTRATION,
    "Central Registration System Number": IdType.REGISTRATION,
    "Istanbul Chamber of Comm. No.": IdType.REGISTRATION,
    "Dubai Chamber of Commerce Membership No.": IdType.REGISTRATION,
    "Folio Mercantil No.": IdType.REGISTRATION,
    "Matricula Mercantil No": IdType.REGISTRATION,
    "Trade License No.": IdType.REGISTRATION,
    "C.R. No.": IdType.REGISTRATION,
    "Romanian C.R.": IdType.REGISTRATION,
    "Certificate of Incorporation Number": IdType.REGISTRATION,
    "Enterprise Number": IdType.REGISTRATION,
    "Branch Unit Number": IdType.REGISTRATION,
    "Public Registration Number": IdType.REGISTRATION,
    "Registered Charity No.": IdType.REGISTRATION,
    "Organization Code": IdType.REGISTRATION,
    "Economic Register Number (CBLS)": IdType.REGISTRATION,
    "D-U-N-S Number": IdType.REGISTRATION,
    "License": IdType.REGISTRATION,
    "Permit Number": IdType.REGISTRATION,
    "File Number": IdType.REGISTRATION,
    # OFAC files IMO numbers ("IMO 9187629") and national registry numbers ("RS 130280")
    # alike under this label; the value decides (see typed_value).
    "Vessel Registration Identification": IdType.REGISTRATION,
    # ships, aircraft, banks
    "MMSI": IdType.MMSI,
    "SWIFT/BIC": IdType.SWIFT_BIC,
    "Aircraft Manufacturer's Serial Number (MSN)": IdType.AIRCRAFT_SERIAL,
    "Aircraft Construction Number (also called L/N or S/N or F/N)": IdType.AIRCRAFT_SERIAL,
    "Aircraft Serial Identification": IdType.AIRCRAFT_SERIAL,
    "Aircraft Tail Number": IdType.AIRCRAFT_TAIL,
    # contact details
    "Email Address": IdType.EMAIL,
    "Website": IdType.WEBSITE,
    "Phone Number": IdType.PHONE,
    "Telephone": IdType.PHONE,
    "Telephone No.": IdType.PHONE,
    "PHONE": IdType.PHONE,
    "Fax": IdType.PHONE,
    "Fax No.": IdType.PHONE,
    # others, kept under their own label
    "BIK (RU)": IdType.OTHER,
    "ISIN": IdType.OTHER,
    "Chinese Commercial Code": IdType.OTHER,
    "VisaNumberID": IdType.OTHER,
    "SRE Permit No.": IdType.OTHER,
    "Cartilla de Servicio Militar Nacional": IdType.OTHER,
    "Aircraft Mode S Transponder Code": IdType.OTHER,
    "Driver's License No.": IdType.OTHER,
}


_ID_LABEL_TYPES: dict[str, IdType] = {label.casefold(): t for label, t in ID_LABELS.items()}
_IMO_VALUE = re.compile(r"^IMO\s*(\d{7})$", re.I)

# For labels not in ID_LABELS (OFAC adds labels over time). Ordered: the first pattern that
# matches a lower-cased label wins.
_ID_TYPE_PATTERNS: list[tuple[re.Pattern[str], IdType]] = [
    (re.compile(r"driver"), IdType.OTHER),
    (re.compile(r"passport"), IdType.PASSPORT),
    (re.compile(r"\bimo\b"), IdType.IMO),
    (re.compile(r"\bmmsi\b"), IdType.MMSI),
    (re.compile(r"swift|\bbic\b"), IdType.SWIFT_BIC),
    (re.compile(r"serial number|\bmsn\b|construction number"), IdType.AIRCRAFT_SERIAL),
    (re.compile(r"tail number"), IdType.AIRCRAFT_TAIL),
    (re.compile(r"e-?mail"), IdType.EMAIL),
    (re.compile(r"website"), IdType.WEBSITE),
    (re.compile(r"phone|\bfax\b"), IdType.PHONE),
    (re.compile(r"digital currency address"), IdType.CRYPTO_WALLET),
    (re.compile(r"tax id|v\.?a\.?t\.? number|\btin\b|\binn\b|\brfc\b|\bnit\b"), IdType.TAX_ID),
    (
        re.compile(r"national id|cedula|c[eé]dula|\bssn\b|identification number|personal id"),
        IdType.NATIONAL_ID,
    ),
    (
        re.compile(
            r"regist|gazette|company number|c\.r\. no|legal entity number|"
            r"unified social credit|\buscc\b|licen[cs]e|enterprise number|d-u-n-s|\bogrn\b"
        ),
        IdType.REGISTRATION,
    ),
]

# Labels that name an identifier even though nothing above recognises them as a type.
_OTHER_IDENTIFIER_LABELS = frozenset(
    {
        "bik (ru)",
        "isin",
        "equity ticker",
        "vessel call sign",
        "other vessel call sign",
        "aircraft mode s transponder code",
        "previous aircraft tail number",
        "driver's license no.",
    }
)

# Facts OFAC files under idList (SDN.XML) or features (advanced, enhanced) that do not
# identify the party: kept as properties, never as identifiers a match could hinge on.
_FACT_LABEL = re.compile(
    r"^(?:secondary sanctions risk|executive order|target type|listing date|effective date|"
    r"purchase/sales|organization established date|organization type|issuer name|caatsa|"
    r"additional sanctions information|transactions prohibited|nationality of registration|"
    r"vessel (?:type|flag|owner|tonnage|gross registered tonnage|year of build)|"
    r"other vessel (?:type|flag)|former vessel flag|aircraft (?:model|operator|manufacture date)|"
    r"title|ifca determination|"
    r"peesa information|prohibited transactions|eo 13846 information|"
    r"gender|citizenship|nationality)",
    re.I,
)

# OFAC script names (advanced ScriptValues, enhanced SCRIPT reference values) -> ISO 15924.
_SCRIPT_CODES: dict[str, str] = {
    "latin": "Latn",
    "cyrillic": "Cyrl",
    "arabic": "Arab",
    "armenian": "Armn",
    "chinese simplified": "Hans",
    "chinese traditional": "Hant",
    "chinese": "Hani",
    "georgian": "Geor",
    "greek": "Grek",
    "hebrew": "Hebr",
    "japanese": "Jpan",
    "korean": "Hang",
    "hangul": "Hang",
    "thai": "Thai",
    "burmese": "Mymr",
    "persian": "Arab",
}

_ISO_15924 = re.compile(r"^[A-Z][a-z]{3}$")

_KINDS: dict[str, Kind] = {
    "individual": Kind.PERSON,
    "entity": Kind.ORGANIZATION,
    "vessel": Kind.VESSEL,
    "aircraft": Kind.AIRCRAFT,
}


def id_type_for(label: str) -> IdType:
    """The model's identifier type for an OFAC document/identifier label; OTHER if unsure."""
    known = _ID_LABEL_TYPES.get(label.strip().casefold())
    if known is not None:
        return known
    lowered = label.lower()
    for pattern, id_type in _ID_TYPE_PATTERNS:
        if pattern.search(lowered):
            return id_type
    return IdType.OTHER


def typed_value(id_type: IdType, value: str) -> tuple[IdType, str]:
    """The type and value of an identifier once its value is seen: an "IMO 9187629" value
    is an IMO number whatever its label ("Vessel Registration Identification", even
    "Company Number"), stored as its seven digits; an IMO-typed value loses its "IMO"."""
    imo = _IMO_VALUE.match(value.strip())
    if imo:
        return IdType.IMO, imo[1]
    if id_type is IdType.IMO:
        return id_type, re.sub(r"^IMO\s*", "", value, flags=re.I)
    return id_type, value


def is_identifier_label(label: str) -> bool:
    """True when a feature label names something that identifies the party."""
    return (
        id_type_for(label) is not IdType.OTHER
        or label.lower().rstrip(" :-") in _OTHER_IDENTIFIER_LABELS
    )


def is_fact_label(label: str) -> bool:
    """True for labels OFAC lists among identifiers that are really facts about a listing."""
    return bool(_FACT_LABEL.match(label.strip()))


def property_key(label: str) -> str:
    """snake_case key for a label: "Target Type" -> "target_type"."""
    key = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    return key or "other"


def script_code(name: str | None, code: str | None = None) -> str | None:
    """ISO 15924 code of an OFAC script, from its code when that is already ISO
    ("Cyrl", "Hans"), else from its name ("Cyrillic", "Korean")."""
    if code and _ISO_15924.match(code) and code != "Hebrew":
        return code
    if name:
        return _SCRIPT_CODES.get(name.strip().lower())
    return None


def kind_for(label: str | None) -> Kind | None:
    """Kind for OFAC's party type words (Individual, Entity, Vessel, Aircraft)."""
    if label is None:
        return None
    return _KINDS.get(label.strip().lower())


def alias_role(alias_type: str | None, *, weak: bool, primary: bool = False) -> NameRole:
    """Role of a name: primary, or a.k.a./f.k.a./n.k.a.; weak a.k.a.s are WEAK."""
    if primary:
        return NameRole.PRIMARY
    if weak:
        return NameRole.WEAK
    if alias_type and alias_type.strip().lower().startswith("f"):
        return NameRole.FKA
    return NameRole.AKA


def identifier(
    label: str,
    value: str,
    *,
    country: str | None = None,
    note: str | None = None,
) -> Identifier:
    """An Identifier from an OFAC label and value, keeping the label for display."""
    id_type, value = typed_value(id_type_for(label), value)
    return Identifier(
        type=id_type,
        value=value,
        label=label,
        country=country,
        country_code=country_code(country),
        note=note,
    )


def add_fact(entity: Entity, label: str, value: str | None, *, as_identifier: bool) -> None:
    """Record one labelled fact: gender, an identifier, or a property.

    ``as_identifier`` is the default for labels this module does not know: True for
    SDN.XML's idList (where OFAC puts identifiers), False for features.
    """
    value = clean(value)
    label = clean(label) or ""
    if value is None:
        return
    if label.lower() == "gender":
        entity.gender = value.lower()
        return
    if is_fact_label(label):
        entity.add_property(property_key(label), value)
    elif as_identifier or is_identifier_label(label):
        entity.identifiers.append(identifier(label, value))
    else:
        entity.add_property(property_key(label), value)


def person_name(
    role: NameRole,
    *,
    given: str | None = None,
    middle: str | None = None,
    family: str | None = None,
    patronymic: str | None = None,
    others: list[str] | None = None,
    script: str | None = None,
    lang: str | None = None,
) -> Name | None:
    """A Name from its parts, written given-name first for Latin-like scripts and
    family-name first for Chinese, Japanese and Korean (as those names are written)."""
    family_first = script in ("Hans", "Hant", "Hani", "Jpan", "Hang", "Kore")
    if family_first:
        ordered = [family, given, middle, patronymic]
    else:
        ordered = [given, middle, patronymic, family]
    ordered.extend(others or [])
    words = [w for w in ordered if w]
    if not words:
        return None
    return Name(
        full=" ".join(words),
        role=role,
        script=script,
        lang=lang,
        given=given,
        family=family,
        middle=middle,
        patronymic=patronymic,
    )


def birth_place(text: str) -> Place:
    """A place of birth; its last comma-separated part is often the country."""
    last = text.rsplit(",", 1)[-1].strip()
    code = country_code(last)
    return Place(full=text, country=last if code else None, country_code=code)


def check_root(path: Path, expected: str, format_name: str) -> None:
    """Refuse a file whose root element is not ``expected`` (an HTML error page, another
    list's XML) before reading it, naming the file and the line of the root."""
    require_nonempty(path)
    refuse_doctype(path)
    try:
        context = etree.iterparse(
            str(path),
            events=("start",),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        )
        for _event, element in context:
            found = local_name(element)
            if found != expected:
                raise ListFormatError(
                    path,
                    f"not {format_name}: root element is <{found}>, expected <{expected}>",
                    f"line {element.sourceline}",
                )
            return
    except etree.XMLSyntaxError as exc:
        raise ListFormatError(path, f"broken XML: {exc.msg}", f"line {exc.lineno or '?'}") from exc
    raise ListFormatError(path, f"not {format_name}: no XML element found", "line 1")


_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_between(first: date, last: date, *, approximate: bool) -> DateValue:
    """A date OFAC gives as bounds (advanced DatePeriod, enhanced valueDate), at the
    precision it means: Jan 1 to Dec 31 of one year is that year, a whole month that
    month, one day that day, anything wider a range; approximate makes it circa. The
    text is written the way SDN.XML writes the same date ("01 Jan 1960", "circa 1960")."""
    whole_years = (first.month, first.day, last.month, last.day) == (1, 1, 12, 31)
    whole_month = (
        first.year == last.year
        and first.month == last.month
        and first.day == 1
        and last.day == monthrange(last.year, last.month)[1]
    )
    if first == last:
        value, text = first.isoformat(), _day_text(first)
    elif whole_years and first.year == last.year:
        value, text = str(first.year), str(first.year)
    elif whole_month:
        value = f"{first.year:04d}-{first.month:02d}"
        text = f"{_MONTH_ABBR[first.month - 1]} {first.year}"
    elif whole_years:
        text = f"{first.year} to {last.year}"
        return DateValue(str(first.year), DateKind.RANGE, str(last.year), text)
    else:
        text = f"{_day_text(first)} to {_day_text(last)}"
        return DateValue(first.isoformat(), DateKind.RANGE, last.isoformat(), text)
    if approximate:
        return DateValue(value=value, kind=DateKind.CIRCA, text=f"circa {text}")
    return DateValue(value=value, kind=DateKind.EXACT, text=text)


def _day_text(day: date) -> str:
    return f"{day.day:02d} {_MONTH_ABBR[day.month - 1]} {day.year}"
