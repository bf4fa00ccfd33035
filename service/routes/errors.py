"""Client errors in the same shape FastAPI gives schema violations, naming the field."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi.exceptions import RequestValidationError


def invalid(
    loc: Sequence[str | int], message: str, kind: str = "value_error"
) -> RequestValidationError:
    """A 422 whose ``detail[0].loc`` points at the offending field."""
    return RequestValidationError(
        [{"type": kind, "loc": tuple(loc), "msg": message, "input": None}]
    )
