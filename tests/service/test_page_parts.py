"""The lookup page's parts without HTTP: batch rows, the explanation's technical detail,
the signed session and CSRF tokens, CSV cells a spreadsheet must not run."""

from __future__ import annotations

import pytest

from core.score import compare
from service.auth import ApiKey, KeyRing, Scope, hash_key
from service.outcomes import Outcome
from service.page.batch import BatchError, BatchRow, ColumnsNeeded, parse_table
from service.page.batch_files import read_text
from service.page.explain import explanation_view
from service.page.export import safe_cell
from service.page.session import Signer


def parse_batch(text: str, max_rows: int, max_name_length: int) -> list[BatchRow]:
    return parse_table(read_text(text).rows, max_rows, max_name_length)


def test_batch_rows_positional_or_with_a_header() -> None:
    rows = parse_batch("ACME Trading,company,Iran\nIvan Petrov,,RU,1961-05\n", 100, 300)
    assert [r.party.name for r in rows if r.party] == ["ACME Trading", "Ivan Petrov"]
    assert rows[0].party and rows[0].party.type == "organization"
    assert rows[0].party.country == "IR"
    assert rows[1].party and rows[1].party.date_of_birth == "1961-05"
    headed = parse_batch("country,name\nKP,Kim Chol Su\n", 100, 300)
    assert headed[0].party and headed[0].party.country == "KP"
    assert headed[0].line == 2


def test_batch_row_errors_stay_on_their_row() -> None:
    rows = parse_batch("Good Name\nBad,spaceship\nDated,person,,1990-13\n,person\n", 100, 300)
    assert rows[0].error is None
    assert rows[1].error and "Unknown type" in rows[1].error
    assert rows[2].error and "YYYY" in rows[2].error
    assert rows[3].error and "blank" in rows[3].error


def test_batch_as_a_whole_is_refused_when_too_long_or_not_text() -> None:
    with pytest.raises(BatchError, match="at most 3 rows per batch \\(got 4\\)") as refused:
        parse_batch("a\nb\nc\nd\n", 3, 300)
    assert "page_batch_max_rows" in str(refused.value)  # the setting that sets the limit
    with pytest.raises(BatchError, match="No party names"):
        parse_batch("\n \n", 3, 300)
    with pytest.raises(ColumnsNeeded) as needed:
        parse_batch("name,passport\nx,1\n", 3, 300)
    assert needed.value.guess == {"name": 0}


def test_explanation_shows_words_as_written_beside_their_reading() -> None:
    explanation = compare("محمد حمزة زبيدي", "MUHAMMAD HAMZA ZUBAIDI")
    view = explanation_view("محمد حمزة زبيدي", explanation)
    assert view.outcome is Outcome.ALERT
    assert view.query_reading is not None and view.query_reading.script == "Arabic"
    pairs = {(t.query_written, t.query_reading) for t in view.tokens}
    assert ("محمد", "muhammad") in pairs
    assert all(w.matched for w in view.query_words)
    assert [w.text for w in view.matched_words] == ["MUHAMMAD", "HAMZA", "ZUBAIDI"]


def test_unmatched_words_are_named_and_not_marked() -> None:
    explanation = compare("Ahmad Hassan Karimi", "HASSAN, Ahmad Ali")
    view = explanation_view("Ahmad Hassan Karimi", explanation)
    assert view.not_in_listed == ("karimi",)
    assert view.not_in_query == ("ali",)
    marked = {w.text: w.matched for w in view.query_words}
    assert marked == {"Ahmad": True, "Hassan": True, "Karimi": False}
    assert {w.text: w.matched for w in view.matched_words}["Ali"] is False


def _ring() -> tuple[ApiKey, KeyRing]:
    key = ApiKey("officer", hash_key("sk_secret"), frozenset({Scope.READ}))
    return key, KeyRing([key])


def test_session_is_signed_expires_and_ends_with_the_key() -> None:
    key, ring = _ring()
    signer = Signer.from_setting("a long configured secret")
    value = signer.session_value(key, hours=1, now=1000.0)
    assert "sk_secret" not in value
    assert signer.session_key(value, ring, now=1000.0) == key
    assert signer.session_key(value, ring, now=1000.0 + 3601) is None
    assert signer.session_key(value, KeyRing([]), now=1000.0) is None
    assert Signer.from_setting("another secret").session_key(value, ring, now=1000.0) is None
    assert signer.session_key(value.replace(".", "x."), ring, now=1000.0) is None
    assert signer.session_key("garbage", ring) is None


def test_csrf_token_is_bound_to_the_browser_nonce() -> None:
    signer = Signer.from_setting(None)
    token = signer.csrf_token("nonce-a")
    assert signer.csrf_ok("nonce-a", token)
    assert not signer.csrf_ok("nonce-b", token)
    assert not signer.csrf_ok(None, token)
    assert not signer.csrf_ok("nonce-a", None)


def test_cells_a_spreadsheet_would_run_are_defused() -> None:
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("-1+2") == "'-1+2"
    assert safe_cell("@SUM") == "'@SUM"
    assert safe_cell("AL-DURI") == "AL-DURI"
    assert safe_cell(None) == ""
