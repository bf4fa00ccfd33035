"""Request and response models of the REST API: the contract customs systems code against.

Requests reject unknown fields (a misspelt field must not be silently ignored by a
screening service) and bound every size, so no request can ask for unbounded work. The
bounds written here are hard ceilings; the configured limits (``max_parties``,
``max_name_length``, at most these) are checked by the endpoint, so they can be lowered
per deployment without a new schema.
"""

from __future__ import annotations

import re
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

EntityType = Literal["person", "organization", "vessel", "aircraft"]
Decision = Literal["clear", "alert"]

# C0 and C1 control characters (tab and line breaks included: a name is one line) and
# lone surrogates, which cannot be stored or echoed as UTF-8.
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_DOB = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
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


def _check_document_value(value: Any, path: str, depth: int) -> int:
    """Walk a free-form document value; returns how many scalars it holds."""
    if depth > MAX_DOCUMENT_DEPTH:
        raise ValueError(f"document.{path} nests deeper than {MAX_DOCUMENT_DEPTH} levels")
    if isinstance(value, str):
        check_text(value, f"document.{path}", 1000)
        return 1
    if isinstance(value, dict):
        count = 0
        for key, item in value.items():
            check_text(str(key), f"document.{path} key", MAX_TEXT)
            count += _check_document_value(item, f"{path}.{key}", depth + 1)
        return count
    if isinstance(value, list):
        return sum(_check_document_value(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value))
    return 1


class Party(BaseModel):
    """One name to screen, with what the trade document says about it."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    type: EntityType | None = None
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2")
    date_of_birth: str | None = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    role: str | None = Field(default=None, max_length=100)
    reference: str | None = Field(default=None, max_length=MAX_TEXT)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = check_text(value, "name")
        if not value.strip():
            raise ValueError("name is blank")
        return value

    @field_validator("role", "reference")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return None if value is None else check_text(value, "field", MAX_TEXT)

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if len(value) != 2 or not is_country_code(value):
            raise ValueError("country must be an ISO 3166-1 alpha-2 code such as 'IR'")
        return value.upper()

    @field_validator("date_of_birth")
    @classmethod
    def _dob(cls, value: str | None) -> str | None:
        if value is not None and not _DOB.match(value):
            raise ValueError("date_of_birth must be YYYY, YYYY-MM or YYYY-MM-DD")
        return value


class DocumentInfo(BaseModel):
    """The trade document the parties come from; free-form besides its reference.

    Kept in the audit record as given, so it is bounded: at most 50 values, 4 levels deep,
    no control characters.
    """

    model_config = ConfigDict(extra="allow")

    reference: str | None = Field(default=None, max_length=MAX_TEXT)
    trader: str | None = Field(
        default=None,
        max_length=MAX_TEXT,
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
        if _check_document_value(extra, "", 0) > MAX_DOCUMENT_FIELDS:
            raise ValueError(f"document holds more than {MAX_DOCUMENT_FIELDS} values")
        return self


class ScreenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    parties: list[Party] = Field(min_length=1, max_length=MAX_PARTIES)
    limit: int = Field(default=10, ge=1, le=MAX_LIMIT, description="matches per party")
    min_score: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="matches below this score are left out; default the alert threshold, "
        "0 returns the nearest candidates",
    )
    lists: list[str] | None = Field(
        default=None, max_length=50, description="screen against these list ids only"
    )
    document: DocumentInfo | None = None

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


class MatchOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    entity_id: str = Field(examples=["us-ofac-sdn:36"])
    list_id: str = Field(serialization_alias="list", validation_alias="list")
    score: float
    alert: bool
    name: str = Field(description="the listed primary name")
    matched_name: str = Field(description="the listed name or alias that matched")
    kind: str
    programs: list[str]
    explanation: dict[str, Any]
    cleared: ClearedOut | None = Field(
        default=None,
        description="set when a recorded decision cleared this match for this party and "
        "this version of the listing; alert is then false",
    )


class PartyResult(BaseModel):
    reference: str | None
    role: str | None
    name: str
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
    stale: bool = Field(description="published longer ago than list_max_age_days")


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


class HealthResponse(BaseModel):
    status: str


class ReadyResponse(BaseModel):
    status: str
    index_version: str | None = None
    entities: int | None = None
    reason: str | None = None
