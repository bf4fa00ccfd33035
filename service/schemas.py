"""Request and response models of the REST API: the contract customs systems code against.

Requests reject unknown fields (a misspelt field must not be silently ignored by a
screening service) and bound every size, so no request can ask for unbounded work.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.countries import is_country_code

EntityType = Literal["person", "organization", "vessel", "aircraft"]
Decision = Literal["clear", "alert"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_DOB = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_LIST_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,40}$")

MAX_NAME_LENGTH = 300
MAX_LIMIT = 100


def check_text(value: str, what: str, max_length: int = MAX_NAME_LENGTH) -> str:
    if _CONTROL.search(value):
        raise ValueError(f"{what} contains control characters")
    if len(value) > max_length:
        raise ValueError(f"{what} is longer than {max_length} characters")
    return value


class Party(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    type: EntityType | None = None
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2")
    date_of_birth: str | None = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    role: str | None = Field(default=None, max_length=100)
    reference: str | None = Field(default=None, max_length=200)

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
        return None if value is None else check_text(value, "field", 200)

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
    """The trade document the parties come from; free-form besides its reference."""

    model_config = ConfigDict(extra="allow")

    reference: str | None = Field(default=None, max_length=200)


class ScreenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    parties: list[Party] = Field(min_length=1)
    limit: int = Field(default=10, ge=1, le=MAX_LIMIT)
    min_score: float | None = Field(default=None, ge=0.0, le=1.0)
    lists: list[str] | None = Field(default=None, max_length=50)
    document: DocumentInfo | None = None

    @field_validator("lists")
    @classmethod
    def _lists(cls, value: list[str] | None) -> list[str] | None:
        if value is not None:
            for item in value:
                if not _LIST_ID.match(item):
                    raise ValueError(f"not a list id: {item[:50]!r}")
        return value


class MatchOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    entity_id: str
    list_id: str = Field(serialization_alias="list", validation_alias="list")
    score: float
    alert: bool
    name: str
    matched_name: str
    kind: str
    programs: list[str]
    explanation: dict[str, Any]


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
