"""The embedded index's state directory: published index versions and the pointer to one.

A refresh must replace what a running service screens against without ever exposing a
half-written version, and must be able to compare tonight's lists with last night's
without re-reading last night's files. So each published index version is a folder of
its own, written in full under a temporary name and renamed into place::

    DIR/
      current                      the serving version's name (a pointer file, os.replace'd)
      refresh.lock                 held by the one refresh that may run (fcntl.flock)
      versions/<index_version>/
        manifest.json              index version, built_at, per list: version, date, files
        <list-id>.jsonl.gz         the list's parsed entities, one JSON object per line

Readers only ever follow ``current`` to a complete folder: the folder is renamed into
place before the pointer names it, and the pointer itself is replaced atomically. A list
unchanged since the previous version is hard-linked, not rewritten. The newest ``keep``
versions besides the current one are kept for rollback; older ones are removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from core.model import AsOfSource, Entity, ParsedList, SourceFile
from engines.base import ListInfo
from indexer.build import DuplicateListError, index_version, list_info
from indexer.checks import ListSummary
from indexer.diff import list_version

MANIFEST_FORMAT = 1
POINTER_NAME = "current"
LOCK_NAME = "refresh.lock"
VERSIONS_DIR = "versions"
DEFAULT_KEEP = 3


class StateError(Exception):
    """The state directory is unreadable or inconsistent; the message says where."""


class StateLocked(StateError):
    """Another refresh holds the state directory's lock."""


@dataclass(frozen=True, slots=True)
class PublishedList:
    """One list of a published index version, as its manifest describes it."""

    list_id: str
    version: str
    published: date | None
    format: str | None
    entities: int
    files: tuple[SourceFile, ...]
    data_file: str
    as_of: date | None = None  # see ParsedList.as_of
    as_of_source: AsOfSource | None = None

    @property
    def summary(self) -> ListSummary:
        return ListSummary(self.list_id, self.published, self.entities, self.version)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.list_id,
            "version": self.version,
            "published": self.published.isoformat() if self.published else None,
            "format": self.format,
            "entities": self.entities,
            "files": [{"path": f.path, "sha256": f.sha256, "size": f.size} for f in self.files],
            "data_file": self.data_file,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "as_of_source": str(self.as_of_source) if self.as_of_source else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PublishedList:
        published = data.get("published")
        as_of = data.get("as_of")
        source = data.get("as_of_source")
        return cls(
            list_id=str(data["id"]),
            version=str(data["version"]),
            published=date.fromisoformat(published) if published else None,
            format=data.get("format"),
            entities=int(data["entities"]),
            files=tuple(SourceFile(f["path"], f["sha256"], int(f["size"])) for f in data["files"]),
            data_file=str(data["data_file"]),
            as_of=date.fromisoformat(as_of) if as_of else None,
            as_of_source=AsOfSource(source) if source else None,
        )


@dataclass(frozen=True, slots=True)
class Manifest:
    """What one published index version holds."""

    index_version: str
    built_at: datetime
    lists: tuple[PublishedList, ...] = field(default=())

    def list(self, list_id: str) -> PublishedList | None:
        for item in self.lists:
            if item.list_id == list_id:
                return item
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": MANIFEST_FORMAT,
            "index_version": self.index_version,
            "built_at": self.built_at.isoformat(),
            "lists": [item.to_dict() for item in self.lists],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        if data.get("format") != MANIFEST_FORMAT:
            raise ValueError(f"unknown manifest format {data.get('format')!r}")
        return cls(
            index_version=str(data["index_version"]),
            built_at=datetime.fromisoformat(data["built_at"]),
            lists=tuple(PublishedList.from_dict(item) for item in data["lists"]),
        )


def _file_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _write_entities(path: Path, entities: Sequence[Entity]) -> None:
    # mtime=0: the same entities give the same bytes, whatever the day.
    with (
        path.open("wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=3, mtime=0) as packed,
    ):
        for entity in entities:
            line = json.dumps(entity.to_dict(), ensure_ascii=False, separators=(",", ":"))
            packed.write(line.encode("utf-8") + b"\n")
        packed.flush()
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _read_entities(path: Path) -> list[Entity]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [Entity.from_dict(json.loads(line)) for line in handle if line.strip()]


def _write_json_atomically(path: Path, data: Any) -> None:
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        os.chmod(temp, 0o644)  # mkstemp's 0600 would hide it from a service user
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2, ensure_ascii=False)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


class StateDir:
    """One state directory (see the module docstring). Cheap to create: nothing is read
    until asked, so the service can poll :meth:`current_version` every few seconds."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.versions = root / VERSIONS_DIR
        self.pointer = root / POINTER_NAME

    # --- reading ---------------------------------------------------------------------------

    def current_version(self) -> str | None:
        """The serving index version's name, or None when nothing was published yet."""
        try:
            name = self.pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StateError(f"{self.pointer}: cannot read the pointer: {exc}") from exc
        return name or None

    def manifest(self, version: str) -> Manifest:
        path = self.versions / version / "manifest.json"
        try:
            return Manifest.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise StateError(f"{path}: not a readable manifest: {exc}") from exc

    def current(self) -> Manifest | None:
        version = self.current_version()
        return None if version is None else self.manifest(version)

    def load_list(self, version: str, item: PublishedList) -> ParsedList:
        """The published list as the parser produced it (same list version, same entities)."""
        path = self.versions / version / item.data_file
        try:
            entities = _read_entities(path)
        except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
            raise StateError(f"{path}: cannot read the entities of {item.list_id}: {exc}") from exc
        if len(entities) != item.entities:
            raise StateError(f"{path}: {len(entities)} entities, the manifest says {item.entities}")
        parsed = ParsedList(
            list_id=item.list_id,
            published=item.published,
            entities=entities,
            files=list(item.files),
            format=item.format,
            as_of=item.as_of,
            as_of_source=item.as_of_source,
        )
        if list_version(parsed) != item.version:
            raise StateError(f"{path}: {item.list_id} does not hash to its version {item.version}")
        return parsed

    def load(self, version: str) -> tuple[Manifest, list[ParsedList]]:
        manifest = self.manifest(version)
        return manifest, [self.load_list(version, item) for item in manifest.lists]

    def list_versions(self) -> list[str]:
        """Published version folders, oldest first (by the manifest's build time)."""
        if not self.versions.is_dir():
            return []
        found: list[tuple[datetime, str]] = []
        for folder in self.versions.iterdir():
            if folder.name.startswith(".") or not folder.is_dir():
                continue
            with contextlib.suppress(StateError):
                found.append((self.manifest(folder.name).built_at, folder.name))
        return [name for _, name in sorted(found)]

    # --- writing (under the lock) ----------------------------------------------------------

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive right to publish; :class:`StateLocked` at once if another holds it.

        An advisory ``flock`` on a file that stays in place: the kernel releases it when
        the holder exits, so a killed refresh never leaves a stale lock behind.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / LOCK_NAME
        with path.open("a+", encoding="utf-8") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                raise StateLocked(
                    f"{self.root}: another refresh is running ({holder}); "
                    "nothing was changed by this one"
                ) from exc
            try:
                handle.seek(0)
                handle.truncate()
                handle.write(f"pid {os.getpid()} since {datetime.now(UTC).isoformat()}\n")
                handle.flush()
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def write_version(
        self,
        new: Sequence[ParsedList],
        kept: Sequence[tuple[str, PublishedList]] = (),
        built_at: datetime | None = None,
    ) -> Manifest:
        """Write the index version of the ``new`` lists plus the ``kept`` ones (each a
        version folder and a list stored there, hard-linked rather than rewritten), not
        yet serving (see :meth:`swap`). An index version that already exists (a
        rollback, or a refresh that changed nothing) is left as it is.
        """
        built_at = built_at or datetime.now(UTC)
        seen = [p.list_id for p in new] + [item.list_id for _, item in kept]
        if len(seen) != len(set(seen)):
            raise DuplicateListError(f"a list is given twice: {', '.join(sorted(seen))}")
        fresh = {p.list_id: p for p in new}
        infos = {p.list_id: list_info(p, built_at) for p in new}
        version = index_version(
            [infos[p.list_id] for p in new] + [_kept_info(item, built_at) for _, item in kept]
        )
        target = self.versions / version
        if (target / "manifest.json").is_file():
            return self.manifest(version)
        self.versions.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".build-", dir=self.versions))
        try:
            staging.chmod(0o755)  # mkdtemp's 0700 would hide it from a service user
            items: list[PublishedList] = []
            for folder, item in kept:
                _link_or_copy(self.versions / folder / item.data_file, staging / item.data_file)
                items.append(item)
            for list_id, parsed in fresh.items():
                data_file = f"{list_id}.jsonl.gz"
                _write_entities(staging / data_file, parsed.entities)
                items.append(
                    PublishedList(
                        list_id=list_id,
                        version=infos[list_id].version,
                        published=parsed.published,
                        format=parsed.format,
                        entities=len(parsed.entities),
                        files=tuple(
                            SourceFile(_file_name(f.path), f.sha256, f.size) for f in parsed.files
                        ),
                        data_file=data_file,
                        as_of=parsed.as_of,
                        as_of_source=parsed.as_of_source,
                    )
                )
            items.sort(key=lambda item: item.list_id)
            manifest = Manifest(version, built_at, tuple(items))
            _write_json_atomically(staging / "manifest.json", manifest.to_dict())
            os.rename(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return manifest

    def swap(self, version: str) -> None:
        """Make ``version`` the serving one: one atomic replacement of the pointer file."""
        if not (self.versions / version / "manifest.json").is_file():
            raise StateError(f"{self.versions / version}: no such published version")
        handle, temp = tempfile.mkstemp(prefix=".current-", dir=self.root)
        try:
            os.chmod(temp, 0o644)
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(version + "\n")
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, self.pointer)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    def prune(self, keep: int = DEFAULT_KEEP) -> list[str]:
        """Remove all but the current version and the ``keep`` newest others; returns the
        names removed. Leftover staging folders of a crashed refresh go too."""
        current = self.current_version()
        others = [name for name in self.list_versions() if name != current]
        doomed = others[: max(0, len(others) - keep)]
        for name in doomed:
            shutil.rmtree(self.versions / name, ignore_errors=True)
        if self.versions.is_dir():
            for folder in self.versions.glob(".build-*"):
                shutil.rmtree(folder, ignore_errors=True)
        return doomed


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _kept_info(item: PublishedList, at: datetime) -> ListInfo:
    """Enough of a :class:`ListInfo` for :func:`indexer.build.index_version` (id, version)."""
    return ListInfo(
        id=item.list_id,
        title=item.list_id,
        publisher="",
        version=item.version,
        published=item.published,
        loaded_at=at,
        entities=item.entities,
        as_of=item.as_of,
        as_of_source=str(item.as_of_source) if item.as_of_source else None,
    )
