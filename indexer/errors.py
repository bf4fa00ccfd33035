"""Errors the indexer raises for bad input; the CLI turns them into exit status 2."""

from __future__ import annotations

from pathlib import Path


class ListError(Exception):
    """Base class for problems with a list: the message must name the file and the place."""


class ListFormatError(ListError):
    """A list file is not what it claims, is truncated, empty, or breaks its format."""

    def __init__(self, path: str | Path, message: str, where: str | None = None) -> None:
        self.path = str(path)
        self.where = where
        self.message = message
        place = f" ({where})" if where else ""
        super().__init__(f"{self.path}{place}: {message}")


class ListNotFoundError(ListError):
    """The list id is unknown, or no file of a known format for it is at the path given."""
