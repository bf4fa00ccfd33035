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
from indexer.parsers._common import _refuse_doctype, clean, local_name, require_nonempty

# Ordered: the first pattern that matches a lower-cased label wins.
_ID_TYPE_PATTERNS: list[tuple[re.Pattern[str], IdType]] = [
    (re.compile(r"driver"), IdType.OTHER),
    (re.compile(r"passport"), IdType.PASSPORT),
    (re.compile(r"vessel registration identification|\bimo\b"), IdType.IMO),
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
    lowered = label.lower()
    for pattern, id_type in _ID_TYPE_PATTERNS:
        if pattern.search(lowered):
            return id_type
    return IdType.OTHER


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
    id_type = id_type_for(label)
    if id_type is IdType.IMO:
        value = re.sub(r"^IMO\s*", "", value, flags=re.I)
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
    _refuse_doctype(path)
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
