"""Logs an operator can use: one JSON object a line, on standard error.

Every record has ``time`` (UTC, ISO 8601), ``level``, ``logger`` and ``message``; a record
about a request adds ``request_id`` (the X-Request-ID it was answered with), and the access
record of each request (logger ``screening.access``) adds ``method``, ``route`` (the route
template, never the raw path or query: a search query is a name), ``status``,
``duration_ms``, ``key`` (the API key's name), ``decision`` (screenings), ``parties``,
``audit_id`` (the audit record a screening left) and ``problem`` (the problem type of a
refusal). Screened names are never written unless ``log_screened_names`` is set; then the
access record of a screening carries them in ``names``.

The application's own events (index loaded, swapped, rolled back, refresh results,
engine reachable, audit purge) are INFO records of the ``screening`` loggers; uvicorn's
own records go through the same formatter, and its plain-text access log is off.
"""

from __future__ import annotations

import json
import logging
import logging.config
from datetime import UTC, datetime
from typing import Any

ACCESS_LOGGER = "screening.access"
access_log = logging.getLogger(ACCESS_LOGGER)

# Attributes every LogRecord has; anything else given through ``extra=`` is a field.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "color_message",
    "taskName",
}


class JsonLines(logging.Formatter):
    """A record as one JSON object: the standard fields, then the ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in record.__dict__.items():
            if name not in _STANDARD and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(level: str = "info") -> dict[str, Any]:
    """The ``logging.config.dictConfig`` for the service (also given to uvicorn, whose
    worker processes apply it themselves)."""
    upper = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "service.logs.JsonLines"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "screening": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "indexer": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "engines": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "uvicorn.error": {"level": upper},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }


def configure_logging(level: str = "info") -> None:
    """JSON lines on standard error for this process (the command line and each worker)."""
    logging.config.dictConfig(logging_config(level))


def log_access(fields: dict[str, Any]) -> None:
    """The access record of one request; refusals (4xx) and answers alike at INFO, server
    errors at ERROR."""
    status = int(fields.get("status", 0))
    level = logging.ERROR if status >= 500 else logging.INFO
    if access_log.isEnabledFor(level):
        access_log.log(level, "request", extra=fields)
