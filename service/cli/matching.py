"""`screening screen`, `screening compare` and `screening eval`: the matching core at work.

- ``screen NAME --list ID=PATH ...``: the best listed parties for a name, with why: one
  result per party (the listing that scored best, and every listing of the party);
  ``--no-group`` one per listing; ``--id TYPE:VALUE`` adds an identifier (the name may
  then be left out).
- ``compare NAME1 NAME2``: the score of one pair; ``compare --input pairs.csv --output
  scores.csv`` scores a file of pairs (``name1,name2`` and an optional ``type`` or
  ``schema`` column) and prints precision/recall/F1 when it has an ``is_match`` column.
- ``eval --set FILE.csv --list ID=PATH ...``: a screening evaluation set in the format of
  ``eval/screening_dev.csv``; prints recall@10, alert recall, false alerts, latency.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.evaluation import (
    QueryOutcome,
    best_threshold,
    kind_of,
    pair_metrics,
    screening_report,
)
from core.identifiers import LINKABLE, normalise_identifier
from core.model import Entity, Identifier, IdType, Kind
from core.score import ALERT_THRESHOLD, Query, compare
from engines.blocking import BlockingServerIndex
from engines.embedded import EmbeddedIndex, Hit
from indexer.build import build_embedded
from service.cli.common import add_list_option, parse_lists
from service.screening import engine_limit, kept_hits, party_of

KIND_CHOICES = [kind.value for kind in Kind]


def register(sub: Any) -> None:
    screen = sub.add_parser("screen", help="screen a name against lists")
    screen.add_argument("name", nargs="?", default="")
    screen.add_argument(
        "--id",
        dest="identifiers",
        action="append",
        type=identifier_spec,
        default=[],
        metavar="TYPE:VALUE",
        help="an identifier of the party (imo:9187629, passport:IR:A1234567); repeatable",
    )
    screen.add_argument(
        "--no-group", dest="group", action="store_false", help="one result per listing"
    )
    screen.add_argument("--type", choices=KIND_CHOICES, help="what the name is of")
    screen.add_argument("--country", help="country of the party (ISO code or name)")
    screen.add_argument("--dob", help="date of birth: YYYY, YYYY-MM or YYYY-MM-DD")
    screen.add_argument("--limit", type=int, default=10, help="results to show (10)")
    screen.add_argument("--json", action="store_true", help="print one JSON object")
    add_list_option(screen, required=True)
    screen.set_defaults(handler=run_screen)

    pair = sub.add_parser("compare", help="score two names, or a CSV file of pairs")
    pair.add_argument("name1", nargs="?")
    pair.add_argument("name2", nargs="?")
    pair.add_argument("--type", choices=KIND_CHOICES, help="what both names are of")
    pair.add_argument("--json", action="store_true", help="print one JSON object")
    pair.add_argument("--input", type=Path, help="CSV with name1,name2[,type|schema]")
    pair.add_argument("--output", type=Path, help="write the rows with a score column")
    pair.set_defaults(handler=run_compare)

    evaluate = sub.add_parser("eval", help="run a screening evaluation set")
    evaluate.add_argument("--set", dest="eval_set", type=Path, required=True, metavar="FILE")
    evaluate.add_argument("--output", type=Path, help="write one result row per query")
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluate.add_argument("--engine-url", help="screen through this Elasticsearch/OpenSearch")
    evaluate.add_argument("--engine-kind", choices=["elasticsearch", "opensearch", "auto"])
    add_list_option(evaluate)
    evaluate.set_defaults(handler=run_eval)


def identifier_spec(text: str) -> str:
    """``TYPE:VALUE`` or ``TYPE:COUNTRY:VALUE`` as a comparable key (core.identifiers)."""
    kind, sep, rest = text.partition(":")
    country, _, value = rest.rpartition(":") if rest.count(":") == 1 else ("", "", rest)
    try:
        id_type = IdType(kind.strip().lower())
    except ValueError:
        raise argparse.ArgumentTypeError(f"unknown identifier type {kind!r}") from None
    if not sep or id_type not in LINKABLE:
        kinds = ", ".join(sorted(t.value for t in LINKABLE))
        raise argparse.ArgumentTypeError(f"expected TYPE:VALUE with TYPE one of {kinds}")
    key = normalise_identifier(Identifier(id_type, value, country_code=country or None))
    if key is None:
        raise argparse.ArgumentTypeError(f"{text!r} is too short or not a valid {kind}")
    return key


def read_entities(specs: list[tuple[str, Path]]) -> list[Entity]:
    return [entity for parsed in parse_lists(specs) for entity in parsed.entities]


def hit_to_dict(hit: Hit) -> dict[str, Any]:
    entity = hit.entity
    party = party_of(hit)
    return {
        "entity_id": entity.id,
        "list_id": entity.list_id,
        "kind": entity.kind.value,
        "name": entity.primary_name,
        "score": hit.score,
        "alert": hit.alert,
        "listing_ends_on": entity.ends_on,
        "listing_ended": hit.listing_ended,
        "explanation": hit.explanation.to_dict(),
        "reason": hit.explanation.render(),
        "party_id": party.id,
        "listings": [listing.to_dict() for listing in party.listings],
    }


def run_screen(args: argparse.Namespace) -> int:
    if not args.name.strip() and not args.identifiers:
        print("screening screen: give a NAME, or --id TYPE:VALUE", file=sys.stderr)
        return 2
    started = time.perf_counter()
    engine = build_embedded(parse_lists(args.lists))
    index = engine.index
    assert index is not None
    built = time.perf_counter()
    kind = Kind(args.type) if args.type else None
    query = Query(args.name, kind, args.country, args.dob, tuple(args.identifiers))
    found = asyncio.run(
        engine.screen(query, limit=engine_limit(args.limit, args.group), lists=None)
    )
    hits = kept_hits(found, 0.0, group=args.group, limit=args.limit)
    screened = time.perf_counter()
    if args.json:
        out = {
            "query": args.name,
            "identifiers": list(args.identifiers),
            "threshold": index.threshold,
            "grouped": args.group,
            "alerts": sum(hit.alert for hit in hits),
            "results": [hit_to_dict(hit) for hit in hits],
            "build_seconds": round(built - started, 3),
            "screen_ms": round((screened - built) * 1000, 2),
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(f"{len(index)} entities indexed in {built - started:.1f} s; screened in "
          f"{(screened - built) * 1000:.1f} ms")  # fmt: skip
    if not hits:
        print("no candidates")
    for rank, hit in enumerate(hits, 1):
        flag = "ALERT" if hit.alert else "     "
        print(f"\n{rank:>2}. {flag} {hit.score:.3f}  {hit.entity.id}  {hit.entity.primary_name}")
        listings = party_of(hit).listings
        if len(listings) > 1:
            others = ", ".join(f"{item.entity_id} ({item.name})" for item in listings)
            print(f"    one party, listed as: {others}")
        print("    " + hit.explanation.render().replace("\n", "\n    "))
        if hit.listing_ended:
            print(f"    not an alert: the listing ended on {hit.entity.ends_on}")
    return 0


def _pair_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        if "name1" not in fields or "name2" not in fields:
            raise SystemExit(f"screening: error: {path}: needs columns name1 and name2")
        yield from reader


def run_compare(args: argparse.Namespace) -> int:
    if args.input:
        return _compare_file(args)
    if not args.name1 or not args.name2:
        print("screening compare: give NAME1 NAME2, or --input FILE", file=sys.stderr)
        return 2
    explanation = compare(args.name1, args.name2, Kind(args.type) if args.type else None)
    if args.json:
        out = {
            "name1": args.name1,
            "name2": args.name2,
            "score": explanation.score,
            "threshold": explanation.threshold,
            "alert": explanation.alert,
            "explanation": explanation.to_dict(),
            "reason": explanation.render(),
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(explanation.render())
    return 0


def _compare_file(args: argparse.Namespace) -> int:
    rows = list(_pair_rows(args.input))
    labelled: list[tuple[float, bool]] = []
    started = time.perf_counter()
    for row in rows:
        kind = kind_of(row.get("type") or row.get("schema"))
        if args.type:
            kind = Kind(args.type)
        score = compare(row["name1"], row["name2"], kind).score
        row["score"] = f"{score:.4f}"
        label = (row.get("is_match") or "").strip().lower()
        if label in ("true", "false", "1", "0", "yes", "no"):
            labelled.append((score, label in ("true", "1", "yes")))
    elapsed = time.perf_counter() - started
    if args.output:
        fields = list(rows[0].keys()) if rows else ["name1", "name2", "score"]
        with args.output.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
    print(f"{len(rows)} pairs scored in {elapsed:.2f} s")
    if labelled:
        at = pair_metrics(labelled, ALERT_THRESHOLD)
        best = best_threshold(labelled)
        for label, m in (("default threshold", at), ("best threshold", best)):
            print(f"{label} {m.threshold:.2f}: precision {m.precision:.3f} "
                  f"recall {m.recall:.3f} F1 {m.f1:.3f}")  # fmt: skip
    return 0


def run_eval(args: argparse.Namespace) -> int:
    if bool(args.engine_url) == bool(args.lists):
        print("screening eval: give --list ID=PATH ... or --engine-url URL", file=sys.stderr)
        return 2
    started = time.perf_counter()
    parse_seconds = 0.0
    index: EmbeddedIndex | BlockingServerIndex
    if args.engine_url:
        index = BlockingServerIndex(args.engine_url, args.engine_kind)
    else:
        # Reading the files and building the index are timed apart: the first depends on
        # the list's format (XML, CSV), the second is the matching core's work.
        entities = read_entities(args.lists)
        parse_seconds = time.perf_counter() - started
        started = time.perf_counter()
        index = EmbeddedIndex(entities)
    build_seconds = time.perf_counter() - started
    with args.eval_set.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    outcomes: list[QueryOutcome] = []
    for row in rows:
        query = Query(row["query"], kind_of(row.get("type")))
        began = time.perf_counter()
        hits = index.screen(query, limit=10)
        ms = (time.perf_counter() - began) * 1000
        results = tuple((hit.entity.id, hit.score) for hit in hits)
        expected = (row.get("expected") or "").strip() or None
        outcome = QueryOutcome(row.get("category") or "", expected, results, ms)
        outcomes.append(outcome)
        row["results"] = ";".join(f"{entity_id}:{score:.4f}" for entity_id, score in results)
        row["alerts"] = ";".join(outcome.alerts(index.threshold))
        row["ms"] = f"{ms:.2f}"
    report = screening_report(outcomes, index.threshold)
    if isinstance(index, BlockingServerIndex):
        index.close()
    if args.output:
        fields = list(rows[0].keys()) if rows else ["query", "results", "alerts", "ms"]
        with args.output.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
    if args.json:
        out = report.to_dict() | {
            "parse_seconds": round(parse_seconds, 2),
            "build_seconds": round(build_seconds, 2),
            "entities": len(index),
        }
        print(json.dumps(out, indent=2))
    else:
        print(
            f"{len(index)} entities, {index.name_count} names: files read in "
            f"{parse_seconds:.1f} s, index built in {build_seconds:.1f} s"
        )
        print(report.render())
    return 0
