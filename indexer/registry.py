"""The registry of known lists (``lists/sources.toml``) and finding the parser for a path."""

from __future__ import annotations

import fnmatch
import functools
import importlib
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.model import ParsedList
from indexer.errors import ListNotFoundError

Parser = Callable[[Path, str], ParsedList]

REGISTRY_ENV = "SCREENING_REGISTRY"


@dataclass(frozen=True, slots=True)
class Download:
    file: str
    url: str


@dataclass(frozen=True, slots=True)
class ListFormat:
    name: str
    files: tuple[str, ...]
    parser_path: str
    downloads: tuple[Download, ...]

    def parser(self) -> Parser:
        module_name, _, func_name = self.parser_path.partition(":")
        module = importlib.import_module(module_name)
        func: Parser = getattr(module, func_name)
        return func

    def matches(self, path: Path) -> bool:
        """True when ``path`` is, or is a folder holding, a file named like this format's."""
        if path.is_file():
            return self._names_match(path.name)
        if path.is_dir():
            return any(c.is_file() and self._names_match(c.name) for c in path.iterdir())
        return False

    def _names_match(self, name: str) -> bool:
        return any(fnmatch.fnmatch(name.lower(), pattern.lower()) for pattern in self.files)


@dataclass(frozen=True, slots=True)
class ListSource:
    id: str
    publisher: str
    title: str
    homepage: str
    record_id: str
    terms: str
    source_url: str | None
    formats: tuple[ListFormat, ...]

    def format_for(self, path: Path) -> ListFormat:
        if not path.exists():
            raise ListNotFoundError(f"{path}: no such file or folder")
        for fmt in self.formats:
            if fmt.matches(path):
                return fmt
        known = "; ".join(f"{f.name}: {', '.join(f.files)}" for f in self.formats)
        raise ListNotFoundError(f"{path}: no file of a known {self.id} format ({known})")


def registry_path() -> Path:
    """``$SCREENING_REGISTRY``, else ``lists/sources.toml`` of the source tree or working dir."""
    if os.environ.get(REGISTRY_ENV):
        return Path(os.environ[REGISTRY_ENV])
    beside_code = Path(__file__).resolve().parents[1] / "lists" / "sources.toml"
    if beside_code.is_file():
        return beside_code
    return Path.cwd() / "lists" / "sources.toml"


@functools.cache
def load_registry(path: Path | None = None) -> dict[str, ListSource]:
    path = path or registry_path()
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    sources: dict[str, ListSource] = {}
    for list_id, entry in data.get("lists", {}).items():
        formats = tuple(
            ListFormat(
                name=f["name"],
                files=tuple(f["files"]),
                parser_path=f["parser"],
                downloads=tuple(Download(**d) for d in f.get("downloads", [])),
            )
            for f in entry.get("formats", [])
        )
        sources[list_id] = ListSource(
            id=list_id,
            publisher=entry["publisher"],
            title=entry["title"],
            homepage=entry["homepage"],
            record_id=entry["record_id"],
            terms=entry["terms"],
            source_url=entry.get("source_url"),
            formats=formats,
        )
    return sources


def get_source(list_id: str) -> ListSource:
    registry = load_registry()
    if list_id not in registry:
        raise ListNotFoundError(f"unknown list id {list_id!r}; known: {', '.join(registry)}")
    return registry[list_id]


def parse_list(list_id: str, path: Path) -> ParsedList:
    """Parse the official file(s) of ``list_id`` at ``path`` (a file or a folder)."""
    source = get_source(list_id)
    fmt = source.format_for(path)
    parsed = fmt.parser()(path, list_id)
    parsed.format = fmt.name
    return parsed
