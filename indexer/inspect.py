"""The summary `screening lists inspect` prints: what a list file holds, at a glance."""

from __future__ import annotations

from collections import Counter
from typing import Any

from core.model import ParsedList
from core.scripts import detect_script


def summarise(parsed: ParsedList) -> dict[str, Any]:
    by_kind: Counter[str] = Counter()
    by_role: Counter[str] = Counter()
    by_script: Counter[str] = Counter()
    names = dobs = identifiers = addresses = 0
    for entity in parsed.entities:
        by_kind[entity.kind.value] += 1
        for name in entity.names:
            names += 1
            by_role[name.role.value] += 1
            by_script[name.script or detect_script(name.full) or "unknown"] += 1
        dobs += len(entity.birth_dates)
        identifiers += len(entity.identifiers)
        addresses += len(entity.addresses)
    return {
        "list": parsed.list_id,
        "format": parsed.format,
        "published": parsed.published.isoformat() if parsed.published else None,
        "as_of": parsed.as_of.isoformat() if parsed.as_of else None,
        "as_of_source": str(parsed.as_of_source) if parsed.as_of_source else None,
        "entities": len(parsed.entities),
        "by_kind": dict(sorted(by_kind.items())),
        "names": names,
        "names_by_role": dict(sorted(by_role.items())),
        "names_by_script": dict(by_script.most_common()),
        "birth_dates": dobs,
        "identifiers": identifiers,
        "addresses": addresses,
        "files": [{"path": f.path, "sha256": f.sha256, "size": f.size} for f in parsed.files],
    }


def render_text(summary: dict[str, Any]) -> str:
    lines = [
        f"list       {summary['list']} ({summary['format']})",
        f"published  {summary['published'] or 'not stated in the file'}",
        f"as of      {summary['as_of'] or 'undated'} "
        f"({summary['as_of_source'] or 'nothing dates it'})",
        f"entities   {summary['entities']}",
    ]
    lines += [f"  {kind:<13}{count}" for kind, count in summary["by_kind"].items()]
    lines.append(f"names      {summary['names']}")
    lines += [f"  {role:<13}{count}" for role, count in summary["names_by_role"].items()]
    lines.append("names by script")
    lines += [f"  {script:<13}{count}" for script, count in summary["names_by_script"].items()]
    lines += [
        f"dates of birth  {summary['birth_dates']}",
        f"identifiers     {summary['identifiers']}",
        f"addresses       {summary['addresses']}",
    ]
    for f in summary["files"]:
        lines.append(f"file  {f['path']}  sha256 {f['sha256'][:16]}…  {f['size']} bytes")
    return "\n".join(lines)
