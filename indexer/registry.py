"""The registry of known lists (``lists/sources.toml``) and finding the parser for a path.

Besides where a list is published and how it is read, an entry says how often its
publisher releases it (``cadence_days``: a list older than that is stale), whether it
was retired (``retired``: still readable for archived files, no longer fetched by
default) and which retired list it succeeds (``succeeds``: the refresh then moves an
installation from one to the other as a change of source, matching the parties across
by the property named there; see :mod:`indexer.succession`).
"""

from __future__ import annotations

import fnmatch
import functools
import importlib
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.model import ParsedList
from indexer.errors import ListNotFoundError
from indexer.freshness import date_list

Parser = Callable[[Path, str], ParsedList]

REGISTRY_ENV = "SCREENING_REGISTRY"


_ENV_REFERENCE = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")


@dataclass(frozen=True, slots=True)
class Download:
    """One official file: where it is fetched from, the name it is saved under, and the
    request headers the publisher's server wants (``${NAME}`` in a value is read from
    the environment when fetching, so no key is written into the registry)."""

    file: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()

    def request_headers(self, environ: Mapping[str, str] | None = None) -> dict[str, str]:
        """The headers with ``${NAME}`` filled in; :class:`KeyError` names a variable
        that is not set."""
        env = os.environ if environ is None else environ

        def fill(match: re.Match[str]) -> str:
            name = match[1]
            if not env.get(name):
                raise KeyError(name)
            return env[name]

        return {key: _ENV_REFERENCE.sub(fill, value) for key, value in self.headers}


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
class Succession:
    """This list replaces the retired list ``list_id``: an entity of this list whose
    property ``match_property`` holds an old entity's record id is the same party."""

    list_id: str
    match_property: str
    note: str = ""


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
    # Days between two releases the publisher keeps to (1: daily); None: no stated
    # cadence, the service's list_max_age_days applies.
    cadence_days: int | None = None
    # Why and since when the list is no longer published; None: it is current.
    retired: str | None = None
    succeeds: Succession | None = None
    successor: str | None = None  # the list that succeeds this one

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


def _download(data: dict[str, Any]) -> Download:
    headers = tuple(sorted((str(k), str(v)) for k, v in data.get("headers", {}).items()))
    return Download(file=data["file"], url=data["url"], headers=headers)


def _succession(data: dict[str, Any] | None) -> Succession | None:
    if data is None:
        return None
    return Succession(data["list"], data["property"], data.get("note", ""))


@functools.cache
def load_registry(path: Path | None = None) -> dict[str, ListSource]:
    path = path or registry_path()
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    entries: dict[str, dict[str, Any]] = data.get("lists", {})
    successors = {
        entry["succeeds"]["list"]: list_id
        for list_id, entry in entries.items()
        if "succeeds" in entry
    }
    sources: dict[str, ListSource] = {}
    for list_id, entry in entries.items():
        formats = tuple(
            ListFormat(
                name=f["name"],
                files=tuple(f["files"]),
                parser_path=f["parser"],
                downloads=tuple(_download(d) for d in f.get("downloads", [])),
            )
            for f in entry.get("formats", [])
        )
        cadence = entry.get("cadence_days")
        sources[list_id] = ListSource(
            id=list_id,
            publisher=entry["publisher"],
            title=entry["title"],
            homepage=entry["homepage"],
            record_id=entry["record_id"],
            terms=entry["terms"],
            source_url=entry.get("source_url"),
            formats=formats,
            cadence_days=int(cadence) if cadence is not None else None,
            retired=entry.get("retired"),
            succeeds=_succession(entry.get("succeeds")),
            successor=successors.get(list_id),
        )
    for source in sources.values():
        if source.succeeds and source.succeeds.list_id not in sources:
            raise ValueError(
                f"{path}: {source.id} succeeds {source.succeeds.list_id}, which is not listed"
            )
    return sources


def current_ids(registry: Mapping[str, ListSource]) -> list[str]:
    """The lists a fetch or refresh takes by default: every one that is not retired."""
    return [list_id for list_id, source in registry.items() if source.retired is None]


def get_source(list_id: str) -> ListSource:
    registry = load_registry()
    if list_id not in registry:
        raise ListNotFoundError(f"unknown list id {list_id!r}; known: {', '.join(registry)}")
    return registry[list_id]


def parse_list(list_id: str, path: Path) -> ParsedList:
    """Parse the official file(s) of ``list_id`` at ``path`` (a file or a folder)."""
    return parse_source(get_source(list_id), path)


def parse_source(source: ListSource, path: Path) -> ParsedList:
    """Parse ``source``'s files at ``path`` with the format they are in, and date the
    result (:func:`indexer.freshness.date_list`: publisher, download record, records)."""
    fmt = source.format_for(path)
    parsed = fmt.parser()(path, source.id)
    parsed.format = fmt.name
    date_list(parsed)
    return parsed
