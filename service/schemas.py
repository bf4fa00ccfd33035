"""Request and response models of the REST API: the contract customs systems code against.

Requests reject unknown fields (a misspelt field must not be silently ignored by a
screening service) and bound every size, so no request can ask for unbounded work. The
bounds written here are hard ceilings; the configured limits (``max_parties``,
``max_name_length``, at most these) are checked by the endpoint, so they can be lowered
per deployment without a new schema.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from core.countries import is_country_code
from core.identifiers import identifier_keys
from core.model import Identifier, IdType

EntityType = Literal["person", "organization", "vessel", "aircraft"]
# The identifier types that name one party (core.identifiers.LINKABLE): e-mail addresses,
# websites, phones and wallets are shared by a group's members and are not matched on.
IdentifierType = Literal[
    "passport", "national_id", "tax_id", "registration", "imo", "mmsi", "swift_bic",
    "aircraft_serial", "aircraft_tail",
]  # fmt: skip
# What a value of each type must hold to be compared (core.identifiers), as the API says
# it: the OpenAPI document names these rules as formats (service.openapi).
IDENTIFIER_RULES: dict[str, str] = {
    "imo": "seven digits whose last is the IMO check digit",
    "mmsi": "nine digits, not all the same",
    "swift_bic": "a BIC: 4 letters, a country code, 2 letters or digits, optionally a "
    "3-character branch",
    "passport": "a number of 5 or more letters and digits, with a digit",
    "national_id": "a number of 5 or more letters and digits, with a digit",
    "tax_id": "a number of 5 or more letters and digits, with a digit",
    "registration": "a number of 5 or more letters and digits, with a digit",
    "aircraft_serial": "4 or more letters and digits, with a digit",
    "aircraft_tail": "4 or more letters and digits, with a digit",
}
# The shape of each identifier type's value (its format says the rest: check digits,
# placeholders): letters, digits and the separators lists write inside numbers.
_NUMBER = r"^[ ]*[A-Za-z0-9]+([ ./-][A-Za-z0-9]+)*[ ]*$"
IDENTIFIER_PATTERNS: dict[str, str] = {
    kind: _NUMBER
    for kind in (
        "passport",
        "national_id",
        "tax_id",
        "registration",
        "aircraft_serial",
        "aircraft_tail",
    )
} | {
    "imo": r"^[ ]*(IMO[ ]?)?[0-9]{7}[ ]*$",
    "mmsi": r"^[ ]*[0-9]{9}[ ]*$",
    "swift_bic": r"^[ ]*[A-Za-z]{6}[A-Za-z0-9]{2}([A-Za-z0-9]{3})?[ ]*$",
}
_IDENTIFIER_SHAPES = {kind: re.compile(pattern) for kind, pattern in IDENTIFIER_PATTERNS.items()}
IDENTIFIER_FORMATS: dict[str, str] = {
    kind: f"{kind.replace('_', '-')}-number" for kind in IDENTIFIER_RULES
}
MAX_IDENTIFIERS = 20
Decision = Literal["clear", "alert"]

# Characters that cannot be part of any text: C0 and C1 controls other than the ones that
# are whitespace (tab, line breaks: names arrive from multi-line fields of a declaration),
# lone surrogates (cannot be stored or echoed as UTF-8) and the noncharacters U+FFFE/FFFF.
FORBIDDEN_CLASS = r"\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff"
_FORBIDDEN = re.compile(f"[{FORBIDDEN_CLASS}\ud800-\udfff]")
# Whitespace, spelt out: JSON Schema's \s and Python's differ.
WHITESPACE_CLASS = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_LINE_BREAKS = re.compile(r"[\t\n\x0b\x0c\r\x85\u2028\u2029]")
# Characters that show nothing: zero-width spaces and joiners, bidi controls such as the
# right-to-left override, the soft hyphen, variation selectors, the BOM, and the fillers
# that are letters only in name (Hangul fillers, the braille blank).
INVISIBLE_CLASS = (
    r"\xad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    r"\u202a-\u202e\u2060-\u2064\u2066-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff"
    r"\uffa0\ufff9-\ufffb"
)
_VISIBLE = re.compile(f"[^{FORBIDDEN_CLASS}{WHITESPACE_CLASS}{INVISIBLE_CLASS}]")
# The same rules as JSON Schema patterns (ECMA-262 and Python read them alike), so the
# OpenAPI document states exactly what is accepted.
TEXT_PATTERN = f"^[^{FORBIDDEN_CLASS}]*$"
NAME_PATTERN = (
    f"^[^{FORBIDDEN_CLASS}]*[^{FORBIDDEN_CLASS}{WHITESPACE_CLASS}{INVISIBLE_CLASS}]"
    f"[^{FORBIDDEN_CLASS}]*$"
)
_YEAR = "([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
DATE_PATTERN = f"^{_YEAR}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
_DOB = re.compile(DATE_PATTERN)
LIST_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,40}$"
_LIST_ID = re.compile(LIST_ID_PATTERN)

MAX_NAME_LENGTH = 1000  # hard ceiling; the configured limit (default 300) is lower
MAX_PARTIES = 1000  # hard ceiling; the configured limit (default 100) is lower
MAX_LIMIT = 100
MAX_TEXT = 200
MAX_DOCUMENT_FIELDS = 50
MAX_DOCUMENT_DEPTH = 4


def check_text(value: str, what: str, max_length: int = MAX_NAME_LENGTH) -> str:
    if _FORBIDDEN.search(value):
        raise ValueError(f"{what} contains control characters or lone surrogates")
    if len(value) > max_length:
        raise ValueError(f"{what} is longer than {max_length} characters")
    return value


def check_name(value: str, what: str, max_length: int = MAX_NAME_LENGTH) -> str:
    """A name to screen: no control characters, each line break or tab a space, and at
    least one character that shows (zero-width spaces or a right-to-left override alone
    are as blank as spaces)."""
    value = check_text(value, what, max_length)
    if not _VISIBLE.search(value):
        raise ValueError(f"{what} is blank (no visible character)")
    return _LINE_BREAKS.sub(" ", value)


def check_date(value: str, what: str) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a day the calendar has (not 1970-02-31)."""
    if not _DOB.match(value):
        raise ValueError(f"{what} must be YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise ValueError(f"{what} {value!r} is not a date of the calendar ({exc})") from exc
    return value


def json_integer(value: Any) -> Any:
    """A JSON integer: 10 or 10.0 (JSON Schema's integer), not "10", true or 10.5."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a JSON integer (not a string or a boolean)")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("must be a whole number")
        return int(value)
    return value


def json_number(value: Any) -> Any:
    """A JSON number: 0, 0.5; not "0.5" or false."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise ValueError("must be a JSON number (not a string or a boolean)")
    return value


def check_country(value: str) -> str:
    """An ISO 3166-1 alpha-2 code, upper or lower case ('IR', 'ir'), as upper case."""
    if len(value) != 2 or not (value.isupper() or value.islower()) or not is_country_code(value):
        raise ValueError("country must be an ISO 3166-1 alpha-2 code such as 'IR' or 'ir'")
    return value.upper()


def _check_document_value(value: Any, path: str, depth: int) -> None:
    """Walk a free-form document value: strings without control characters, at most
    ``MAX_DOCUMENT_FIELDS`` entries in any object or array, ``MAX_DOCUMENT_DEPTH`` levels."""
    if depth > MAX_DOCUMENT_DEPTH:
        raise ValueError(f"document.{path} nests deeper than {MAX_DOCUMENT_DEPTH} levels")
    if isinstance(value, str):
        check_text(value, f"document.{path}", 1000)
    elif isinstance(value, dict | list):
        if len(value) > MAX_DOCUMENT_FIELDS:
            raise ValueError(f"document.{path} holds more than {MAX_DOCUMENT_FIELDS} values")
        if isinstance(value, dict):
            for key, item in value.items():
                check_text(str(key), f"document.{path} key", MAX_TEXT)
                _check_document_value(item, f"{path}.{key}", depth + 1)
        else:
            for i, item in enumerate(value):
                _check_document_value(item, f"{path}[{i}]", depth + 1)


class IdentifierIn(BaseModel):
    """A number the trade document gives for a party: an IMO number, a passport...

    Only the types that name one party are matched (``core.identifiers.LINKABLE``). The
    value must hold a number strong enough to compare (``core.identifiers``): an IMO
    number whose check digit holds, a BIC of the right shape, a passport or registration
    number of five or more letters and digits... The OpenAPI document names each type's
    rule as a ``format`` (:data:`IDENTIFIER_FORMATS`), with a pattern of its shape.
    """

    model_config = ConfigDict(extra="forbid")

    type: IdentifierType = Field(
        description="what the number is (a core.model.IdType value that names one party)",
        examples=["imo"],
    )
    value: str = Field(
        min_length=1, max_length=MAX_TEXT, pattern=TEXT_PATTERN, examples=["9187629"]
    )
    country: str | None = Field(
        default=None,
        description="issuing country, ISO 3166-1 alpha-2, upper or lower case (passports, "
        "ids, registration and tax numbers)",
        examples=["IR"],
    )

    @field_validator("value")
    @classmethod
    def _value(cls, value: str) -> str:
        return check_text(value, "identifier value", MAX_TEXT)

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> Any:
        return check_country(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _comparable(self) -> IdentifierIn:
        if not _IDENTIFIER_SHAPES[self.type].fullmatch(self.value) or not self.comparable_keys():
            raise ValueError(
                f"identifier {self.type} {self.value[:50]!r} is too short, a placeholder or "
                f"not a valid {self.type} number to match on ({IDENTIFIER_RULES[self.type]})"
            )
        return self

    def comparable_keys(self) -> tuple[str, ...]:
        """The comparable keys of this identifier (core.identifiers)."""
        identifier = Identifier(IdType(self.type), self.value, country_code=self.country)
        return identifier_keys(identifier)


class Party(BaseModel):
    """One name to screen, with what the trade document says about it."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_NAME_LENGTH,
        pattern=NAME_PATTERN,
        description="the name as the document gives it, any script; line breaks and tabs "
        "count as spaces; at least one visible character; may be left out when the party "
        "carries identifiers",
        examples=["Мухаммад Юсуф"],
    )
    type: EntityType | None = None
    country: str | None = Field(
        default=None,
        description="ISO 3166-1 alpha-2, upper or lower case",
        examples=["IR"],
    )
    date_of_birth: str | None = Field(
        default=None,
        description="YYYY, YYYY-MM or YYYY-MM-DD (a day the calendar has)",
        examples=["1960-01-01"],
    )
    role: str | None = Field(default=None, max_length=100, pattern=TEXT_PATTERN)
    reference: str | None = Field(default=None, max_length=MAX_TEXT, pattern=TEXT_PATTERN)

    identifiers: list[IdentifierIn] = Field(
        default_factory=list,
        max_length=MAX_IDENTIFIERS,
        description="numbers the document gives for the party; an exact match alerts",
    )

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> Any:
        # Before pydantic's own pattern check (the same rule, for the OpenAPI document),
        # so the failure is named in words.
        return check_name(value, "name") if isinstance(value, str) else value

    @model_validator(mode="after")
    def _named_or_identified(self) -> Party:
        if self.name is None and not self.identifiers:
            raise ValueError("a party needs a name, or identifiers to screen by")
        return self

    def identifier_keys(self) -> tuple[str, ...]:
        return tuple(
            dict.fromkeys(key for item in self.identifiers for key in item.comparable_keys())
        )

    @field_validator("role", "reference")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return None if value is None else check_text(value, "field", MAX_TEXT)

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> Any:
        return check_country(value) if isinstance(value, str) else value

    @field_validator("date_of_birth", mode="before")
    @classmethod
    def _dob(cls, value: Any) -> Any:
        return check_date(value, "date_of_birth") if isinstance(value, str) else value


class DocumentInfo(BaseModel):
    """The trade document the parties come from; free-form besides its reference.

    Kept in the audit record as given, so it is bounded: at most 50 values in any object or
    array, 4 levels deep, no control characters.
    """

    model_config = ConfigDict(extra="allow")

    reference: str | None = Field(default=None, max_length=MAX_TEXT, pattern=TEXT_PATTERN)
    trader: str | None = Field(
        default=None,
        max_length=MAX_TEXT,
        pattern=TEXT_PATTERN,
        description="the trader (importer, exporter, declarant) the document is for: "
        "decisions scoped to this trader apply to its screenings",
    )

    @field_validator("reference", "trader")
    @classmethod
    def _reference(cls, value: str | None, info: ValidationInfo) -> str | None:
        what = f"document.{info.field_name}"
        return None if value is None else check_text(value, what, MAX_TEXT)

    @model_validator(mode="after")
    def _bounded(self) -> DocumentInfo:
        extra = self.model_extra or {}
        if len(extra) + ("reference" in self.model_fields_set) > MAX_DOCUMENT_FIELDS:
            raise ValueError(f"document holds more than {MAX_DOCUMENT_FIELDS} values")
        _check_document_value(extra, "", 0)
        return self


class ScreenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    parties: list[Party] = Field(min_length=1, max_length=MAX_PARTIES)
    limit: int = Field(default=10, ge=1, le=MAX_LIMIT, strict=True, description="matches per party")
    min_score: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        strict=True,
        description="matches below this score are left out; default the alert threshold, "
        "0 returns the nearest candidates",
    )
    lists: list[str] | None = Field(
        default=None,
        max_length=50,
        description="screen against these list ids only (GET /v1/lists names them); "
        "none or [] is every loaded list, and the answer names each list version",
    )
    group: bool = Field(
        default=True,
        description="one match per party (the listing that scored best, with every listing "
        "of the party); false: one match per listing",
    )
    document: DocumentInfo | None = None

    @field_validator("limit", mode="before")
    @classmethod
    def _limit(cls, value: Any) -> Any:
        return json_integer(value)

    @field_validator("min_score", mode="before")
    @classmethod
    def _min_score(cls, value: Any) -> Any:
        return json_number(value)

    @field_validator("lists")
    @classmethod
    def _lists(cls, value: list[str] | None) -> list[str] | None:
        if value is not None:
            for item in value:
                if not _LIST_ID.match(item):
                    raise ValueError(f"not a list id: {item[:50]!r}")
        return value


class ClearedOut(BaseModel):
    """The decision that cleared a match: the match keeps its score but does not alert."""

    by: str = Field(description="the key or signed-in officer who cleared it")
    at: str
    reason: str
    decision_id: str


class ListingOut(BaseModel):
    """One list's entry for a party."""

    list_id: str = Field(examples=["un-sc"])
    entity_id: str = Field(examples=["un-sc:KPe.001"])
    name: str = Field(description="the primary name on that list")
    programs: list[str]
    listed_on: str | None


class MatchListingOut(ListingOut):
    """One list's entry for the matched party, with its own state in this screening:
    decisions are made per listing (``POST /v1/decisions`` takes its ``entity_id``)."""

    alert: bool = Field(
        False,
        description="this listing alerts in this screening: it scored at or above the alert "
        "threshold, is still in force and no recorded decision clears it",
    )
    cleared: ClearedOut | None = Field(
        default=None,
        description="set when a recorded decision cleared this listing for this party and "
        "this version of the listing (alert is then false)",
    )


class MatchOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    entity_id: str = Field(examples=["us-ofac-sdn:36"], description="the listing that scored best")
    list_id: str = Field(serialization_alias="list", validation_alias="list")
    score: float
    alert: bool = Field(
        description="grouped: some listing of the party alerts (see listings[].alert); "
        "group=false: this listing alerts"
    )
    name: str = Field(description="the listed primary name")
    matched_name: str = Field(description="the listed name or alias that matched")
    kind: str
    programs: list[str]
    reason: str = Field(
        description="why, in plain words: the outcome (Alert, Needs review or Clear, as "
        "the glossary defines them) and one sentence on how the name matched",
        examples=[
            "Alert. The listed name KIM Jong Un matches: 김정은 read in the North Korean "
            "spelling; family name and given names agree."
        ],
    )
    explanation: dict[str, Any]
    party_id: str = Field(description="the party the listing belongs to (same lists, same id)")
    listings: list[MatchListingOut] = Field(
        description="every listing of that party, one per entry, each with its own alert "
        "and clearance"
    )
    listing_ends_on: str | None = Field(
        None,
        description="the last day the listing is in force, where the list gives an end "
        "(e.g. a World Bank debarment period); null: in force until the list removes it",
    )
    listing_ended: bool = Field(
        False,
        description="the listing's end date has passed: the match is shown but does not "
        "alert, whatever its score",
    )
    cleared: ClearedOut | None = Field(
        default=None,
        description="set when recorded decisions cleared this match for this party: "
        "grouped, every listing that would otherwise alert is cleared (this is the "
        "clearance of the best-scoring such listing); alert is then false and the score "
        "kept",
    )


class PartyResult(BaseModel):
    reference: str | None
    role: str | None
    name: str | None
    decision: Decision
    matches: list[MatchOut]


class ListVersionOut(BaseModel):
    id: str
    version: str
    published: str | None


class ScreenResponse(BaseModel):
    request_id: str
    screened_at: str
    decision: Decision
    results: list[PartyResult]
    lists: list[ListVersionOut]
    index_version: str


class SearchResponse(BaseModel):
    query: str
    matches: list[MatchOut]
    lists: list[ListVersionOut]
    index_version: str


class SourceFileOut(BaseModel):
    name: str
    sha256: str
    size: int


class ListOut(BaseModel):
    id: str
    title: str
    publisher: str
    version: str
    published: str | None
    loaded_at: str
    entities: int
    format: str | None
    files: list[SourceFileOut]
    stale: bool = Field(
        description="older than the list's cadence (registry) plus list_grace_days, else "
        "than list_max_age_days; an undated list is stale"
    )
    as_of: str | None = Field(
        None, description="the day the list is known to be current as of (ISO date)"
    )
    as_of_source: str | None = Field(
        None,
        description="where as_of comes from: publisher, last_modified, fetched, "
        "newest_record; null: the list is undated",
    )
    age_days: int | None = Field(None, description="whole days since as_of")
    stale_after_days: int = Field(0, description="the age after which the list is stale")


class ListFreshnessOut(BaseModel):
    id: str
    as_of: str | None
    as_of_source: str | None
    age_days: int | None
    stale_after_days: int
    stale: bool


class ListsResponse(BaseModel):
    index_version: str
    built_at: str
    lists: list[ListOut]


class EntityResponse(BaseModel):
    entity: dict[str, Any] = Field(
        description="every field of the entity model: names (with script and role), "
        "birth dates, places, nationalities, citizenships, addresses, identifiers, "
        "programs, listed_on, source_url, properties"
    )
    list: ListVersionOut
    index_version: str


class LinkOut(BaseModel):
    a: str = Field(description="entity id")
    b: str = Field(description="entity id")
    kind: str = Field(examples=["un_reference"], description="the kind of evidence")
    strength: float
    evidence: str = Field(examples=["UN reference KPe.001 on both listings"])


class SplitOut(BaseModel):
    entity_ids: list[str]
    cause: str = Field(examples=["birth_date"])
    reason: str


class PartyResponse(BaseModel):
    party_id: str
    listings: list[ListingOut]
    links: list[LinkOut] = Field(description="the evidence joining the listings")
    splits: list[SplitOut] = Field(
        description="listings the evidence pointed to but kept apart, and why"
    )
    entities: list[dict[str, Any]] = Field(description="each listing in full, as /v1/entities")
    index_version: str


class HealthResponse(BaseModel):
    status: str


class ReadyResponse(BaseModel):
    status: str
    index_version: str | None = None
    entities: int | None = None
    reason: str | None = None
    lists: list[ListFreshnessOut] | None = Field(
        default=None,
        description="how current each loaded list is (readiness does not depend on it)",
    )
    stale: list[str] | None = Field(
        default=None, description="ids of the loaded lists that are stale"
    )
