"""The OpenAPI document as this deployment answers: every rule a request is held to.

FastAPI writes the document from the models; this adds what the models cannot say by
themselves, so a client generated from the document (and schemathesis, which the test
suite runs over it with every check) sends nothing the service refuses and nothing it
should refuse is allowed:

* the error answers (RFC 9457 ``Problem``) and the two ways of presenting a key;
* the configured limits (``max_parties``, ``max_name_length``) in place of the hard
  ceilings of the models;
* country codes as the list of ISO 3166-1 codes; a date of birth as a year, a month or a
  calendar date (``format: date``, so 1970-02-31 is not one);
* a party's name or identifiers (one of the two), and each identifier type's rule as a
  ``format`` of its value (``imo-number``: the check digit holds, ...) with its shape as
  a pattern;
* the list ids and yente dataset names that are loaded now (the document is rebuilt when
  the index version changes);
* security on ``/metrics`` when ``metrics_require_key`` is set.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

from core.countries import is_country_code
from engines.base import IndexInfo
from service.problems import FieldError, Problem
from service.schemas import _YEAR as YEAR_PATTERN
from service.schemas import (
    IDENTIFIER_FORMATS,
    IDENTIFIER_PATTERNS,
    IDENTIFIER_RULES,
    MAX_DOCUMENT_DEPTH,
    MAX_DOCUMENT_FIELDS,
    MAX_TEXT,
    TEXT_PATTERN,
)
from service.security import SECURED, SECURITY_SCHEMES
from service.settings import Settings

YEAR_OR_MONTH_PATTERN = f"^{YEAR_PATTERN}(-(0[1-9]|1[0-2]))?$"
DATASET_ALIASES = ("default", "sanctions", "all")


def country_codes() -> list[str]:
    """Every ISO 3166-1 alpha-2 code, upper and lower case (the two the API accepts)."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    codes = [a + b for a in letters for b in letters if is_country_code(a + b)]
    return codes + [code.lower() for code in codes]


def _nullable(schema: dict[str, Any], inner: dict[str, Any]) -> None:
    """Replace the non-null alternatives of an Optional field's schema with ``inner``."""
    alternatives = schema.get("anyOf")
    if alternatives is None:
        schema.clear()
        schema.update(inner)
        return
    has_null = any(alt.get("type") == "null" for alt in alternatives)
    rest = inner.get("anyOf", [inner])
    schema["anyOf"] = [*rest, *([{"type": "null"}] if has_null else [])]


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if isinstance(operation, dict):
                yield path, method, operation


def _parameter(operation: dict[str, Any], name: str) -> dict[str, Any] | None:
    for parameter in operation.get("parameters", []):
        if parameter.get("name") == name:
            schema: dict[str, Any] = parameter["schema"]
            return schema
    return None


def _set_max_length(schema: dict[str, Any], length: int) -> None:
    """Lower every maxLength of a (possibly Optional / array) string schema."""
    if schema.get("type") == "string" and "maxLength" in schema:
        schema["maxLength"] = min(int(schema["maxLength"]), length)
    for key in ("anyOf", "oneOf"):
        for alt in schema.get(key, []):
            _set_max_length(alt, length)
    if isinstance(schema.get("items"), dict):
        _set_max_length(schema["items"], length)


def document_value_schemas() -> dict[str, Any]:
    """The free-form ``document`` of a screening as JSON Schema: levels 1 to 4, each a
    scalar or an object/array (at most 50 entries) of the next level's values."""
    text = {"type": "string", "maxLength": 1000, "pattern": TEXT_PATTERN}
    scalars: list[dict[str, Any]] = [
        text,
        {"type": "number"},
        {"type": "boolean"},
        {"type": "null"},
    ]
    out: dict[str, Any] = {}
    for level in range(MAX_DOCUMENT_DEPTH, 0, -1):
        below: dict[str, Any] = (
            {"$ref": f"#/components/schemas/DocumentValue{level + 1}"}
            if level < MAX_DOCUMENT_DEPTH
            else {"not": {}}
        )
        out[f"DocumentValue{level}"] = {
            "anyOf": [
                *scalars,
                {"type": "array", "maxItems": MAX_DOCUMENT_FIELDS, "items": below},
                {
                    "type": "object",
                    "maxProperties": MAX_DOCUMENT_FIELDS,
                    "propertyNames": {"maxLength": MAX_TEXT, "pattern": TEXT_PATTERN},
                    "additionalProperties": below,
                },
            ]
        }
    return out


def identifier_schema(schema: dict[str, Any]) -> None:
    """An identifier's schema: its country a code, and one alternative per type whose
    value has that type's shape (a pattern) and rule (a format, described)."""
    properties = schema["properties"]
    if "country" in properties:
        _nullable(properties["country"], {"type": "string", "enum": country_codes()})
    value = properties["value"]
    schema["oneOf"] = [
        {
            "properties": {
                "type": {"const": kind},
                "value": {
                    "type": "string",
                    "minLength": value.get("minLength", 1),
                    "maxLength": value.get("maxLength", MAX_TEXT),
                    "pattern": IDENTIFIER_PATTERNS[kind],
                    "format": IDENTIFIER_FORMATS[kind],
                    "description": IDENTIFIER_RULES[kind],
                },
            }
        }
        for kind in IDENTIFIER_RULES
    ]


def deployment_document(base: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """``base`` (FastAPI's document) with the rules of this deployment added."""
    document = copy.deepcopy(base)
    components = document.setdefault("components", {})
    components["securitySchemes"] = SECURITY_SCHEMES
    schemas = components.setdefault("schemas", {})
    for model in (Problem, FieldError):
        found = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(found.pop("$defs", {}))
        schemas[model.__name__] = found
    if "DocumentInfo" in schemas:
        schemas.update(document_value_schemas())
        info = schemas["DocumentInfo"]
        info["additionalProperties"] = {"$ref": "#/components/schemas/DocumentValue1"}
        info["maxProperties"] = MAX_DOCUMENT_FIELDS
        info["propertyNames"] = {"maxLength": MAX_TEXT, "pattern": TEXT_PATTERN}
    party = schemas.get("Party", {}).get("properties", {})
    if "country" in party:
        _nullable(party["country"], {"type": "string", "enum": country_codes()})
    if "date_of_birth" in party:
        _nullable(
            party["date_of_birth"],
            {
                "anyOf": [
                    {"type": "string", "pattern": YEAR_OR_MONTH_PATTERN},
                    {"type": "string", "format": "date"},
                ]
            },
        )
    if "name" in party:
        _set_max_length(party["name"], settings.max_name_length)
    if "identifiers" in party:
        schemas["Party"]["anyOf"] = [
            {"required": ["name"], "properties": {"name": {"type": "string"}}},
            {"required": ["identifiers"], "properties": {"identifiers": {"minItems": 1}}},
        ]
    if "IdentifierIn" in schemas:
        identifier_schema(schemas["IdentifierIn"])
    screen = schemas.get("ScreenRequest", {}).get("properties", {})
    if "parties" in screen:
        screen["parties"]["maxItems"] = settings.max_parties
    example = schemas.get("ExampleProperties", {}).get("properties", {})
    for name in ("name", "firstName", "lastName"):
        if name in example:
            _set_max_length(example[name], settings.max_name_length)
    match = schemas.get("EntityMatchQuery", {}).get("properties", {})
    if "queries" in match:
        match["queries"]["maxProperties"] = settings.max_parties
    for path, _method, operation in _operations(document):
        if path == "/v1/search" and (q := _parameter(operation, "q")) is not None:
            q["maxLength"] = settings.max_name_length
        if path == "/v1/search" and (country := _parameter(operation, "country")) is not None:
            _nullable(country, {"type": "string", "enum": country_codes()})
        if path == "/metrics" and settings.metrics_require_key:
            operation.update(SECURED)
    return document


def with_loaded_lists(document: dict[str, Any], info: IndexInfo) -> dict[str, Any]:
    """``document`` naming the list ids (and yente datasets) loaded in ``info``."""
    out = copy.deepcopy(document)
    ids = [item.id for item in info.lists]
    datasets = [*DATASET_ALIASES, *ids, *(i.replace("-", "_") for i in ids if "-" in i)]
    screen = out["components"]["schemas"].get("ScreenRequest", {}).get("properties", {})
    if "lists" in screen:
        _nullable(screen["lists"], {"type": "array", "minItems": 1, "maxItems": 50,
                                    "items": {"type": "string", "enum": ids}})  # fmt: skip
    for path, _method, operation in _operations(out):
        if path == "/v1/search" and (lists := _parameter(operation, "list")) is not None:
            _nullable(lists, {"type": "array", "maxItems": 50,
                              "items": {"type": "string", "enum": ids}})  # fmt: skip
        if path == "/match/{dataset}":
            dataset = _parameter(operation, "dataset")
            if dataset is not None:
                dataset.pop("pattern", None)
                dataset["enum"] = datasets
            for name in ("include_dataset", "exclude_dataset"):
                chosen = _parameter(operation, name)
                if chosen is not None and isinstance(chosen.get("items"), dict):
                    chosen["items"] = {"type": "string", "enum": datasets[len(DATASET_ALIASES) :]}
    return out


class DocumentCache:
    """The deployment's document, and its loaded-lists form per index version."""

    def __init__(self, base: Callable[[], dict[str, Any]], settings: Settings) -> None:
        self._base = base
        self._settings = settings
        self._deployment: dict[str, Any] | None = None
        self._by_version: dict[str, dict[str, Any]] = {}

    def deployment(self) -> dict[str, Any]:
        if self._deployment is None:
            self._deployment = deployment_document(self._base(), self._settings)
        return self._deployment

    def for_index(self, info: IndexInfo | None) -> dict[str, Any]:
        if info is None:
            return self.deployment()
        found = self._by_version.get(info.version)
        if found is None:
            self._by_version.clear()  # one index version is served at a time
            found = self._by_version[info.version] = with_loaded_lists(self.deployment(), info)
        return found
