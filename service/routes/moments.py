"""Moments given as query parameters (``since`` of ``/v1/alerts``, ``since`` and ``until``
of ``/v1/decisions``): an RFC 3339 date-time or a date, the two formats the OpenAPI
document names, so that a client generated from it never sends one the service refuses."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from service.routes.errors import invalid

MOMENT_MAX_LENGTH = 64
# What the OpenAPI document says of such a parameter (json_schema_extra of its Query: it
# replaces the anyOf FastAPI writes for an optional one, so each branch is a string).
MOMENT_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "format": "date-time", "maxLength": MOMENT_MAX_LENGTH},
        {"type": "string", "format": "date"},
    ]
}

_MOMENT = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[Tt](?P<time>\d{2}:\d{2}:(?P<second>\d{2}))(?P<fraction>\.\d+)?"
    r"(?P<offset>[Zz]|[+-]\d{2}:\d{2}))?$"
)


def parse_moment(text: str, name: str) -> datetime:
    """An RFC 3339 date-time (lower-case ``t``/``z`` and leap seconds included) or date;
    a date is midnight UTC. 422 naming the query parameter ``name`` otherwise."""
    value = text.strip()
    if " " in value and "T" in value.upper():
        value = value.replace(" ", "+")  # an unencoded "+00:00" arrives as " 00:00"
    match = _MOMENT.match(value)
    if match is None:
        raise invalid(("query", name), f"{name} must be an RFC 3339 date-time or a date")
    text_value = match["date"]
    if match["time"]:
        second = min(59, int(match["second"]))  # a leap second: the second before it
        time_part = f"{match['time'][:6]}{second:02d}"
        fraction = (match["fraction"] or "")[:7]
        offset = match["offset"].upper().replace("Z", "+00:00")
        text_value = f"{text_value}T{time_part}{fraction}{offset}"
    try:
        moment = datetime.fromisoformat(text_value)
    except ValueError as exc:
        raise invalid(("query", name), f"{name} is not a moment of the calendar: {exc}") from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
