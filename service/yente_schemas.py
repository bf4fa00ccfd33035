"""Request and response models of the yente-compatible endpoints (``/match``, ``/entities``,
``/catalog``, ``/algorithms``): the shapes OpenSanctions' yente documents, so a yente
client switches by changing its base URL. Mapping to and from this service's own model is
in :mod:`service.yente_mapping`.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from service.schemas import (
    MAX_NAME_LENGTH,
    MAX_PARTIES,
    MAX_TEXT,
    NAME_PATTERN,
    TEXT_PATTERN,
    ClearedOut,
    check_name,
    check_text,
)

# The FollowTheMoney schemata a query may name, and what they screen as.
FtmSchema = Literal[
    "Thing", "LegalEntity", "Person", "Organization", "Company", "PublicBody", "Vessel",
    "Airplane",
]  # fmt: skip
QUERY_ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"
PROPERTY_PATTERN = r"^[A-Za-z][A-Za-z0-9]{0,49}$"
MAX_VALUES = 20  # values per property
MAX_PROPERTIES = 50

_PROPERTY = re.compile(PROPERTY_PATTERN)
_QUERY_ID = re.compile(QUERY_ID_PATTERN)


def _values(value: object, what: str, *, name: bool) -> list[str]:
    """A property's value(s) as a list, each checked; the problem named otherwise."""
    items = value if isinstance(value, list) else [value]
    if isinstance(value, list) and name and not value:
        raise ValueError(f"{what} holds no value")
    if len(items) > MAX_VALUES:
        raise ValueError(f"{what} holds more than {MAX_VALUES} values")
    out = []
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"{what} values are strings")
        out.append(
            check_name(item, what, MAX_NAME_LENGTH) if name else check_text(item, what, 1000)
        )
    return out


def _names_field(description: str) -> Any:
    return Field(
        None,
        description=description,
        json_schema_extra={
            "anyOf": [
                {"type": "string", "pattern": NAME_PATTERN, "minLength": 1, "maxLength": 1000},
                {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": MAX_VALUES,
                    "items": {
                        "type": "string",
                        "pattern": NAME_PATTERN,
                        "minLength": 1,
                        "maxLength": 1000,
                    },
                },
            ]
        },
    )


class ExampleProperties(BaseModel):
    """FollowTheMoney properties of a query entity: ``name`` (or ``firstName`` /
    ``lastName``) is needed; ``birthDate``, ``nationality``, ``country``, ``jurisdiction``,
    ``citizenship`` and the identifiers (``imoNumber``, ``passportNumber``, ``idNumber``,
    ``registrationNumber``, ``taxNumber``, ``swiftBic``, ``mmsi``, ``serialNumber``...)
    are used for matching; any other property is accepted, echoed in ``query``, and not
    matched on. A value is a string or a list of strings."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "anyOf": [
                {"required": ["name"]},
                {"required": ["firstName"]},
                {"required": ["lastName"]},
            ],
            "maxProperties": MAX_PROPERTIES,
            "propertyNames": {"pattern": PROPERTY_PATTERN},
            "additionalProperties": {
                "anyOf": [
                    {"type": "string", "maxLength": 1000, "pattern": TEXT_PATTERN},
                    {
                        "type": "array",
                        "maxItems": MAX_VALUES,
                        "items": {"type": "string", "maxLength": 1000, "pattern": TEXT_PATTERN},
                    },
                ]
            },
        },
    )

    __pydantic_extra__: dict[str, object]

    name: list[str] | None = _names_field("names, any script")
    firstName: list[str] | None = _names_field("given names (used without name)")
    lastName: list[str] | None = _names_field("family names (used without name)")

    @field_validator("name", "firstName", "lastName", mode="before")
    @classmethod
    def _names(cls, value: object) -> list[str]:
        return _values(value, "name", name=True)

    @model_validator(mode="after")
    def _rest(self) -> ExampleProperties:
        extra = self.__pydantic_extra__ or {}
        if len(extra) + 3 > MAX_PROPERTIES:
            raise ValueError(f"more than {MAX_PROPERTIES} properties")
        for key, value in list(extra.items()):
            if not _PROPERTY.match(key):
                raise ValueError(f"not a property name: {key[:50]!r}")
            extra[key] = _values(value, key, name=False)
        if not (self.name or self.firstName or self.lastName):
            raise ValueError("a query needs name (or firstName / lastName)")
        return self

    def extra_values(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in (self.__pydantic_extra__ or {}).items()}  # type: ignore[call-overload]


class EntityExample(BaseModel):
    """One query: an entity described the way FollowTheMoney describes entities."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str | None = Field(None, max_length=MAX_TEXT, pattern=TEXT_PATTERN)
    schema_: FtmSchema = Field(alias="schema", examples=["Person"])
    properties: ExampleProperties = Field(
        examples=[{"name": ["Vladimir Putin"], "birthDate": ["1952-10-07"], "nationality": ["ru"]}]
    )


class EntityMatchQuery(BaseModel):
    """The body of ``POST /match/{dataset}``: named queries (the names come back as the
    keys of ``responses``). ``weights`` and ``config`` (yente's scoring knobs) are
    accepted and have no effect: this service's scorer is calibrated as a whole."""

    model_config = ConfigDict(extra="forbid")

    queries: dict[str, EntityExample] = Field(
        min_length=1,
        max_length=MAX_PARTIES,
        json_schema_extra={"propertyNames": {"pattern": QUERY_ID_PATTERN}},
    )
    weights: dict[str, float] = Field(default_factory=dict, max_length=50)
    config: dict[str, Any] = Field(default_factory=dict, max_length=50)

    @field_validator("queries")
    @classmethod
    def _query_ids(cls, value: dict[str, EntityExample]) -> dict[str, EntityExample]:
        for key in value:
            if not _QUERY_ID.match(key):
                raise ValueError(f"not a query id (1-64 letters, digits, _.:-): {key[:64]!r}")
        return value


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class EntityResponse(BaseModel):
    """A listed entity in FollowTheMoney form."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    id: str = Field(examples=["us-ofac-sdn:36"])
    caption: str = Field(examples=["AEROCARIBBEAN AIRLINES"])
    schema_: str = Field(alias="schema", examples=["Organization"])
    properties: dict[str, list[str]]
    datasets: list[str] = Field(examples=[["us-ofac-sdn"]])
    referents: list[str] = Field(default_factory=list)
    target: bool = True
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None


class ScoredEntityResponse(EntityResponse):
    score: float
    features: dict[str, float]
    match: bool
    cleared: ClearedOut | None = Field(
        default=None,
        description="this service's addition: set when a recorded decision cleared this "
        "result for this query (match is then false); yente clients may ignore it",
    )

    @model_serializer(mode="wrap")
    def _without_unset_clearance(self, handler: SerializerFunctionWrapHandler) -> Any:
        """yente's shape exactly, unless a decision cleared the result."""
        data = handler(self)
        if isinstance(data, dict) and data.get("cleared") is None:
            data.pop("cleared", None)
        return data


class QueryEcho(BaseModel):
    """The query as it was read: the properties that were used or kept."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    id: str | None = None
    schema_: str = Field(alias="schema")
    properties: dict[str, list[str]]


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: QueryEcho


class FeatureDoc(BaseModel):
    description: str
    coefficient: float
    url: str | None = None


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int
    request_id: str = Field(description="this service's audit record of the batch")
    index_version: str
    decision: Literal["clear", "alert"] = Field(
        description="alert when any query matched at the service's alert threshold"
    )


class DatasetModel(BaseModel):
    name: str
    title: str
    summary: str | None = None
    url: str | None = None
    load: bool = True
    entities_url: str | None = None
    version: str
    index_version: str | None = None
    index_current: bool = True
    children: list[str] = Field(default_factory=list)


class DataCatalogModel(BaseModel):
    datasets: list[DatasetModel]
    current: list[str]
    outdated: list[str] = Field(default_factory=list)
    index_stale: bool = False


class Algorithm(BaseModel):
    name: str
    description: str
    features: dict[str, FeatureDoc]


class AlgorithmResponse(BaseModel):
    algorithms: list[Algorithm]
    default: str
    best: str
