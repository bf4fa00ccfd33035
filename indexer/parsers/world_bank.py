"""The World Bank's listing of ineligible (debarred and cross-debarred) firms and individuals.

The Bank publishes the list only through the API behind its debarred-firms page: one
JSON document, ``{"response": {"ZPROCSUPP": [record, ...]}}``, a record per listing with
the supplier's id (``SUPP_ID``, the record id), name, type (``I`` individual, ``F``
firm, ``C`` company, ``U`` unstated), address, the ineligibility period
(``DEBAR_FROM_DATE`` .. ``DEBAR_TO_DATE``, the year 2999 for "no end"), its status
(``INELIGIBLY_STATUS``: Ongoing, Permanent), the grounds, whether the Bank debarred the
party itself or cross-debarred it after another development bank (``SUPP_ELIG_STAT``
DEBARRED / X-DEBARRED), and ``ADD_SUPP_INFO``, free text holding registration numbers,
the name in Chinese, former and trading names, and footnote numbers (``*512``: the
affiliates of one sanctioned firm share one) that point at notes on the Bank's page.

The period is part of the listing: the end date becomes ``Entity.ends_on``, so a
debarment that has run out still matches but no longer alerts. ``LAST_REFRESH_DATE``
(the same on every record) is the publication date.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from core.countries import country_code
from core.model import Entity, Identifier, IdType, Kind, Name, NameRole, ParsedList
from core.scripts import detect_script
from indexer.errors import ListFormatError
from indexer.parsers._bracketed import BRACKET, take_bracketed
from indexer.parsers._common import clean, find_file, make_address, require_nonempty, source_file
from indexer.parsers._dates import iso_prefix
from indexer.parsers._embedded_aliases import split_embedded_aliases
from indexer.parsers._list_meta import registry_source_url
from indexer.parsers._party_kind import infer_kind_of_names

_KINDS = {"I": Kind.PERSON, "F": Kind.ORGANIZATION, "C": Kind.ORGANIZATION}
# DEBAR_TO_DATE of a debarment with no end.
_OPEN_ENDED_YEAR = 2999
_FOOTNOTE = re.compile(r"\*\s*(\d+)(?:\s+and\s+(\d+))?\.?")
_HONORIFIC = re.compile(r"^(MR|MRS|MS|MISS|DR|PROF|ENGR?)\.?\s+", re.I)
# The Bank's wordings for other names, rewritten to the markers split_embedded_aliases knows.
_FORMER = re.compile(
    r"\b(?:previously known as|formerly operating as:?|name change from|formerly)\s+",
    re.I,
)
_TRADING = re.compile(
    r"\b(?:also doing business under|currently doing business as|also d\.?b\.?a\.?)\s+", re.I
)
_ALSO = re.compile(r"^\s*,?\s*also\s+", re.I)
_ALIAS_START = re.compile(
    r"^\s*,?\s*(?:A/K/A|A\.K\.A\.?|AKA|F/K/A|F\.K\.A\.?|D/B/A|D\.B\.A\.?)\s", re.I
)
# Identifiers in brackets: "(Reg. No.: 91320691564338509P)", "(CNPJ: 20.182.043/0001-42)".
_ID_LABELS: tuple[tuple[re.Pattern[str], IdType], ...] = (
    (re.compile(r"^(TIN)\s*[:.]?\s*(.+)$", re.I), IdType.TAX_ID),
    (re.compile(r"^(Tax Registration No\.?)\s*[:.]?\s*(.+)$", re.I), IdType.TAX_ID),
    (re.compile(r"^(National ID|ID No\.?)\s*[:.]?\s*(.+)$", re.I), IdType.NATIONAL_ID),
    (
        re.compile(
            r"^((?:China )?(?:Business )?Reg(?:istration|\.)?\s*No\.?|CNPJ|"
            r"China Unified Social Credit Code)\s*[:.]?\s*(.+)$",
            re.I,
        ),
        IdType.REGISTRATION,
    ),
)
_BARE_REGISTRATION = re.compile(r"\bRegistration\s*#\s*([A-Z0-9-]+)", re.I)


def parse_world_bank_json(path: Path, list_id: str) -> ParsedList:
    """Read the list API's JSON (a file, or a folder holding ``sanction_list.json``)."""
    path = find_file(path, "sanction_list.json")
    require_nonempty(path)
    records = _records(path)
    entities: list[Entity] = []
    seen: set[str] = set()
    refreshed: list[date] = []
    for position, record in enumerate(records):
        where = f"record {position + 1}"
        if not isinstance(record, dict):
            raise ListFormatError(path, "a record is not a JSON object", where)
        entity = _entity(path, record, list_id, where)
        if entity.record_id in seen:
            raise ListFormatError(path, f"SUPP_ID {entity.record_id} appears twice", where)
        seen.add(entity.record_id)
        entities.append(entity)
        day = _day(record.get("LAST_REFRESH_DATE"))
        if day:
            refreshed.append(date.fromisoformat(day))
    if not entities:
        raise ListFormatError(path, "the list holds no records", "response.ZPROCSUPP")
    return ParsedList(
        list_id=list_id,
        published=max(refreshed) if refreshed else None,
        entities=entities,
        files=[source_file(path)],
    )


def _records(path: Path) -> list[Any]:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ListFormatError(path, f"not UTF-8 text: {exc.reason}") from exc
    except json.JSONDecodeError as exc:
        raise ListFormatError(path, f"broken JSON: {exc.msg}", f"line {exc.lineno}") from exc
    response = data.get("response") if isinstance(data, dict) else None
    records = response.get("ZPROCSUPP") if isinstance(response, dict) else None
    if not isinstance(records, list):
        raise ListFormatError(
            path, "not the World Bank list API's JSON: no response.ZPROCSUPP array", "start"
        )
    return records


def _text(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, dict | list):
        return None
    return clean(value)


def _day(value: Any) -> str | None:
    """The ISO day of "2021-01-16" or "2021-01-16T05:00:47.000Z"."""
    text = clean(value) if value is not None else None
    found = iso_prefix(text) if text else None
    return found if found and len(found) == 10 else None


def _entity(path: Path, record: dict[str, Any], list_id: str, where: str) -> Entity:
    record_id = _text(record, "SUPP_ID")
    name = _text(record, "SUPP_NAME")
    if record_id is None or name is None:
        raise ListFormatError(path, "a record without SUPP_ID or SUPP_NAME", where)
    info = _text(record, "ADD_SUPP_INFO")
    names, title = _names(name, info, _text(record, "SUPP_TYPE_CODE"))
    type_code = (_text(record, "SUPP_TYPE_CODE") or "").upper()
    kind = _KINDS.get(type_code) or infer_kind_of_names([n.full for n in names])
    if kind is not Kind.PERSON:
        for item in names:
            item.title = None
    elif title and names:
        names[0].title = title
    entity = Entity(
        id=f"{list_id}:{record_id}",
        list_id=list_id,
        kind=kind,
        names=names,
        source_url=registry_source_url(list_id, record_id),
        remarks=info,
    )
    _period(entity, record)
    _address(entity, record)
    status = _text(record, "SUPP_ELIG_STAT")
    if status:
        entity.programs.append(status)
    entity.add_property("grounds", _text(record, "DEBAR_REASON"))
    entity.add_property("name_prefix", _text(record, "SUPP_PRE_ACRN"))
    entity.add_property("last_update", _day(record.get("UPD_DATE")))
    if info:
        _info_facts(entity, info)
    return entity


def _period(entity: Entity, record: dict[str, Any]) -> None:
    entity.listed_on = _day(record.get("DEBAR_FROM_DATE"))
    until = _day(record.get("DEBAR_TO_DATE"))
    status = _text(record, "INELIGIBLY_STATUS")
    if until and int(until[:4]) < _OPEN_ENDED_YEAR:
        entity.ends_on = until
    entity.add_property("ineligibility", status or (None if entity.ends_on else "no end date"))


def _address(entity: Entity, record: dict[str, Any]) -> None:
    address = make_address(
        _text(record, "SUPP_ADDR"),
        _text(record, "SUPP_CITY"),
        _text(record, "SUPP_STATE_CODE") or _text(record, "SUPP_PROV_NAME"),
        _text(record, "SUPP_ZIP_CODE") or _text(record, "SUPP_POST_CODE"),
        _text(record, "COUNTRY_NAME"),
    )
    if address is None:
        return
    iso = (_text(record, "LAND1") or "").upper()
    if len(iso) == 2 and iso.isalpha() and country_code(iso) == iso:
        address.country_code = iso
    entity.addresses.append(address)


def _normalised_markers(text: str) -> str:
    """The Bank's wordings of other names as the markers split_embedded_aliases reads."""
    text = _FORMER.sub("F.K.A. ", text)
    text = _TRADING.sub("D/B/A ", text)
    return _ALSO.sub("A.K.A. ", text)


def _split(text: str) -> list[tuple[str, NameRole]]:
    """Names in ``text``, each with its bracketed abbreviation or original-script names."""
    found: list[tuple[str, NameRole]] = []
    for part, role in split_embedded_aliases(_normalised_markers(text)):
        bracketed = take_bracketed(part)
        found.append((bracketed.name, role))
        found += [(a, NameRole.AKA) for a in bracketed.abbreviations]
        found += [(o, NameRole.ORIGINAL_SCRIPT) for o in bracketed.original_script]
    return found


def _names(name: str, info: str | None, type_code: str | None) -> tuple[list[Name], str | None]:
    """The record's names and the honorific before a person's name.

    A record whose own name starts with an alias marker ("AKA COMPEQ") is the listing of
    another name of a party listed beside it: its additional information names that party
    ("COMÉRCIO PRODUTOS E EQUIPAMENTOS LTDA"), which is then one more name of this one."""
    plain = _FOOTNOTE.sub(" ", name).strip()
    title = None
    found = _HONORIFIC.match(plain)
    if found and (type_code or "").upper() in ("I", "U") and found.end() < len(plain):
        title, plain = found[1].upper(), plain[found.end() :]
    alias_row = bool(_ALIAS_START.match(" " + _normalised_markers(plain)))
    pieces = _split(plain)
    if alias_row:
        pieces = [
            (text, NameRole.AKA if role is NameRole.PRIMARY else role) for text, role in pieces
        ]
        pieces[0] = (pieces[0][0], NameRole.PRIMARY)
    if info:
        pieces += _info_names(info, main_name=alias_row)
    names: list[Name] = []
    seen: set[tuple[str, NameRole]] = set()
    for text, role in pieces:
        text = text.strip(" ,;")
        if role is not NameRole.ORIGINAL_SCRIPT:
            text = _HONORIFIC.sub("", text) if (type_code or "").upper() == "I" else text
        key = (text.casefold(), role)
        if (
            text
            and key not in seen
            and not any(n.full.casefold() == text.casefold() for n in names)
        ):
            seen.add(key)
            names.append(Name(full=text, role=role, script=detect_script(text)))
    if not names:
        names.append(Name(full=plain or name, role=NameRole.PRIMARY, script=detect_script(name)))
    return names, title


def _info_names(info: str, *, main_name: bool) -> list[tuple[str, NameRole]]:
    """Other names in the additional information: bracketed original-script names and
    a.k.a./formerly/trading names; with ``main_name``, its leading plain text too."""
    found: list[tuple[str, NameRole]] = []
    rest: list[str] = []
    last = 0
    text = _FOOTNOTE.sub(" ", info)
    for match in BRACKET.finditer(text):
        inner = match[1].strip()
        rest.append(text[last : match.start()])
        last = match.end()
        if detect_script(inner) not in (None, "Latn"):
            found.append((inner, NameRole.ORIGINAL_SCRIPT))
        elif _ALIAS_START.match(" " + _normalised_markers(inner)):
            found += [(t, r) for t, r in _split(inner) if r is not NameRole.PRIMARY]
    rest.append(text[last:])
    outside = " ".join(rest).strip(" ,;")
    if outside:
        pieces = _split(outside)
        leading = pieces[0][1] is NameRole.PRIMARY and not _ALIAS_START.match(" " + outside)
        for index, (name, role) in enumerate(pieces):
            if index == 0 and leading:
                if main_name and not _looks_like_remark(name):
                    found.append((name, NameRole.AKA))
                continue
            found.append((name, role))
    return found


def _looks_like_remark(text: str) -> bool:
    return bool(re.search(r"\b(successor|assign|except|lic\.|tax id|reg\.|no\.)", text, re.I))


def _info_facts(entity: Entity, info: str) -> None:
    """Identifiers and footnote numbers of the additional information."""
    for match in _FOOTNOTE.finditer(info):
        for number in (match[1], match[2]):
            entity.add_property("footnote", number)
    for match in BRACKET.finditer(info):
        for part in match[1].split(";"):
            identifier = _identifier(part.strip())
            if identifier is not None and identifier not in entity.identifiers:
                entity.identifiers.append(identifier)
    for match in _BARE_REGISTRATION.finditer(info):
        identifier = Identifier(IdType.REGISTRATION, match[1], label="Registration #")
        if identifier not in entity.identifiers:
            entity.identifiers.append(identifier)


def _identifier(text: str) -> Identifier | None:
    for pattern, id_type in _ID_LABELS:
        found = pattern.match(text)
        if not found:
            continue
        label, value = found[1].strip(), found[2].strip()
        note = None
        inner = BRACKET.search(value)
        if inner:
            note = inner[1].strip() or None
            value = (value[: inner.start()] + value[inner.end() :]).strip()
        # "Reg. No: CNPJ: 15.122.275/0001-75": the register named inside the number.
        sub = re.match(r"^(CNPJ|RUT|NIF|TIN)\s*[:.]?\s*(.+)$", value, re.I)
        if sub:
            label, value = f"{label} {sub[1]}", sub[2].strip()
        value = value.strip(" .;,:")
        if value:
            return Identifier(type=id_type, value=value, label=label, note=note)
    return None
