"""Batch files as offices have them: CSV in the region's encodings, and Excel workbooks.

A customs office's system exports CSV in its own code page — Shift_JIS (CP932) in Japan,
EUC-KR (CP949) in Korea, GB18030 on the mainland, Big5 in Taiwan and Hong Kong — or UTF-8
(with or without a byte-order mark) or UTF-16, or it hands over an ``.xlsx`` workbook.
This module turns any of them into rows of cells and says how it read them:

* a byte-order mark decides (UTF-8, UTF-16); UTF-16 without one is seen from its zero
  bytes; text that decodes as UTF-8 is UTF-8;
* otherwise the legacy CJK code pages are weighed by ``charset-normalizer`` (which letters
  the bytes make, and whether they read as a language), and the best one is *named* on
  the page so an officer who sees a wrong name can choose the encoding instead;
* a workbook is read with python-calamine: its first sheet with data, cells as text.

Nothing is guessed silently: the encoding used, detected or chosen, travels with the rows.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time

from charset_normalizer import from_bytes
from python_calamine import CalamineWorkbook

from service.i18n import MessageError
from service.outcomes import N_


class BatchFileError(MessageError):
    """The file cannot be read as a table: the message says what it is and what to do."""


# The encodings an officer may choose, in the order offered: codec name, and the name
# shown (an English catalogue message, translated by the page).
ENCODINGS: tuple[tuple[str, str], ...] = (
    ("utf-8", N_("UTF-8")),
    ("utf-16", N_("UTF-16")),
    ("cp932", N_("Shift_JIS (CP932), Japanese")),
    ("cp949", N_("EUC-KR (CP949), Korean")),
    ("gb18030", N_("GB18030, Simplified Chinese")),
    ("big5", N_("Big5, Traditional Chinese")),
)
ENCODING_NAMES = dict(ENCODINGS)
# Code pages weighed when the bytes are not Unicode.
LEGACY_ENCODINGS = ("cp932", "cp949", "gb18030", "big5")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of cells, and how they were read (for the page to say)."""

    rows: list[list[str]]
    kind: str  # "text" (pasted), "csv" or "workbook"
    encoding: str | None = None  # the codec used for a CSV file
    detected: bool = False  # the encoding was detected, not chosen
    sheet: str | None = None  # the sheet read from a workbook


def _utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when every other byte of a text is mostly zero."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def detect_encoding(data: bytes) -> str:
    """The codec a CSV file's bytes are most likely written in."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        raise BatchFileError(
            N_(
                "Cannot tell how the file is encoded (not UTF-8, UTF-16, Shift_JIS, EUC-KR, "
                "GB18030 or Big5): choose the encoding, or save the file as UTF-8."
            )
        )
    return _codec_name(best.encoding)


def _codec_name(name: str) -> str:
    found = codecs.lookup(name).name
    for codec, _label in ENCODINGS:
        if codecs.lookup(codec).name == found:
            return codec
    return found


def decode(data: bytes, encoding: str | None) -> tuple[str, str, bool]:
    """The text of a CSV file, the codec used, and whether it was detected."""
    detected = encoding is None
    codec = encoding or detect_encoding(data)
    try:
        text = data.decode(codec)
    except LookupError as exc:
        raise BatchFileError(N_("Unknown encoding {codec}."), codec=codec) from exc
    except UnicodeDecodeError as exc:
        name = ENCODING_NAMES.get(codec, codec)
        raise BatchFileError(
            N_(
                "The file is not {encoding} text (byte {byte} cannot be read): choose "
                "another encoding."
            ),
            encoding=name,
            byte=exc.start + 1,
        ) from exc
    return text.removeprefix("\ufeff"), _codec_name(codec), detected


def csv_rows(text: str) -> list[list[str]]:
    """CSV text as rows; a tab in the first line makes it tab-separated (spreadsheet copy)."""
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise BatchFileError(N_("Not readable as CSV: {reason}"), reason=str(exc)) from exc


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def workbook_rows(data: bytes) -> tuple[list[list[str]], str]:
    """The first sheet with data of a workbook, as rows of text, and the sheet's name."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in workbook.sheet_names:
            rows = [
                [_cell_text(v) for v in row]
                for row in workbook.get_sheet_by_name(name).to_python(skip_empty_area=True)
            ]
            if any(any(cell for cell in row) for row in rows):
                return rows, name
    except Exception as exc:  # calamine raises its own types for every broken file
        raise BatchFileError(
            N_("Not a readable Excel workbook: {reason}"), reason=str(exc)
        ) from exc
    raise BatchFileError(N_("The workbook has no sheet with data."))


def is_workbook(data: bytes, filename: str) -> bool:
    return filename.lower().endswith(WORKBOOK_SUFFIXES) or data.startswith((_ZIP_MAGIC, _OLE_MAGIC))


def read_upload(data: bytes, filename: str, encoding: str | None = None) -> Table:
    """An uploaded file as a table: a workbook, or CSV in ``encoding`` (None: detect)."""
    if not data.strip():
        raise BatchFileError(N_("The file is empty."))
    if is_workbook(data, filename):
        rows, sheet = workbook_rows(data)
        return Table(rows, "workbook", sheet=sheet)
    text, codec, detected = decode(data, encoding)
    return Table(csv_rows(text), "csv", codec, detected)


def read_text(text: str) -> Table:
    """Pasted text as a table."""
    return Table(csv_rows(text), "text")
