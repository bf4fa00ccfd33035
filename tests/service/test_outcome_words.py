"""The glossary's words are the only outcome words: in the page templates and their
catalogues, in exported records (CSV and Excel) and in the API's ``reason`` texts.

The scan knows the words the page and the batch used before the glossary ("No alert",
"Weak", "No match", "Likely listed"...) and the usual synonyms of screening tools; none
may come back. Each translation of an outcome word is the same wherever it appears.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from python_calamine import CalamineWorkbook

from service.i18n import LOCALES_DIR
from service.outcomes import GLOSSARY, Outcome
from service.page.render import TEMPLATES_DIR
from tests.service.conftest import MakeClient, screen_body

LABELS = {term.label for term in GLOSSARY.values()}
VALUES = {outcome.value for outcome in Outcome}
# Outcome words that are not the glossary's: what the page said before it, and what
# screening tools say. "Not screened" is not an outcome (no screening happened).
OTHER_WORDS = (
    "no alert",
    "no match",
    "not a match",
    "weak",
    "likely listed",
    "partial resemblance",
    "possible match",
    "potential match",
    "false positive",
    "true positive",
    "hit",
    "passed",
    "flagged",
    "blocked",
    "cleared",  # only as "cleared by decision"
)


def other_words(text: str) -> list[str]:
    lowered = text.lower().replace("cleared by decision", "")
    return [word for word in OTHER_WORDS if re.search(rf"\b{re.escape(word)}\b", lowered)]


def test_the_glossary_defines_each_outcome_once() -> None:
    assert set(GLOSSARY) == set(Outcome)
    assert [term.label.lower() for term in GLOSSARY.values()] == [o.value for o in Outcome]


_MESSAGE = re.compile(r"""\b_[fn]?\(\s*("[^"]*"|'[^']*')(?:\s*,\s*("[^"]*"|'[^']*'))?""")


def _messages_only(code: re.Match[str]) -> str:
    """A block of template code as the messages it shows (``_("...")``): its variables and
    calls (``{% if item.cleared %}``) are not words anybody reads."""
    found = _MESSAGE.findall(code.group(0))
    return " " + " ".join(text[1:-1] for pair in found for text in pair if text) + " "


def _template_text(source: str) -> str:
    """A template's words an officer may read: its messages, attributes and text."""
    without_comments = re.sub(r"\{#.*?#\}", " ", source, flags=re.S)
    return re.sub(r"\{%.*?%\}|\{\{.*?\}\}", _messages_only, without_comments, flags=re.S)


def _readable(markup: str) -> str:
    # CSS class names and ids ("v-needs-review", "r-alert") are not words anybody reads,
    # nor is the value a form sends (the API's decision "cleared").
    return re.sub(r'(class|id|for|value|data-[a-z-]+)="[^"]*"', " ", markup)


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES_DIR.glob("*.html")))
def test_templates_use_no_other_outcome_word(template: str) -> None:
    text = _template_text((TEMPLATES_DIR / template).read_text("utf-8"))
    assert other_words(_readable(text)) == []
    # An outcome badge is drawn by the glossary's macro only (and "Not screened" rows).
    for found in re.finditer(r'class="verdict ([^"]*)"', text):
        assert template == "_macros.html" or found.group(1) == "v-error", found.group(0)


def _catalogues() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for path in LOCALES_DIR.glob("*/LC_MESSAGES/messages.po"):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        found[path.parts[-3]] = {
            (m.id[0] if isinstance(m.id, tuple) else m.id): (
                m.string[0] if isinstance(m.string, tuple) else m.string
            )
            for m in catalog
            if m.id
        }
    return found


def test_catalogue_messages_use_only_glossary_words_and_translate_them_alike() -> None:
    catalogues = _catalogues()
    assert {"ja", "ko", "zh_Hans", "zh_Hant", "hi"} <= set(catalogues)
    for language, messages in catalogues.items():
        for message_id, translated in messages.items():
            assert other_words(message_id) == [], message_id
            for term in GLOSSARY.values():
                # A message that names an outcome ("{n} of {total} rows: Alert") names it
                # in the words the glossary's own entry is translated with.
                if re.search(rf"\b{term.label}\b", message_id) and message_id != term.label:
                    assert messages[term.label] in translated, (language, message_id)


def test_rendered_pages_show_only_glossary_labels(make_client: MakeClient) -> None:
    client = make_client()
    for query in ("Иван Петров", "Ahmad Hassan Karimi", "Nobody Atall Whatsoever"):
        html = client.get("/", params={"q": query, "limit": "25"}).text
        shown = re.findall(r'class="verdict [^"]*"[^>]*>([^<]+)<', html)
        assert shown and set(shown) <= LABELS, shown
        assert other_words(re.sub(r"<[^>]+>", " ", html).split("Checked", 1)[1]) == []


def _export_rows(client_text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(client_text.lstrip("\ufeff"))))


def test_exports_speak_the_glossary(make_client: MakeClient) -> None:
    client = make_client()
    for query in ("Ahmad Hassan", "OCEAN STAR"):
        rows = _export_rows(client.get("/export.csv", params={"q": query}).text)
        assert rows
        for row in rows:
            assert row["outcome"] in VALUES
            assert row["candidate_outcome"] in VALUES
            assert other_words(row["reason"]) == []
        book = CalamineWorkbook.from_filelike(
            io.BytesIO(client.get("/export.xlsx", params={"q": query}).content)
        )
        sheet = book.get_sheet_by_name("Screening").to_python()
        header = sheet[0]
        for cells in sheet[1:]:
            assert cells[header.index("outcome")] in VALUES
            assert cells[header.index("candidate_outcome")] in VALUES


def test_api_reasons_begin_with_the_glossary_word(make_client: MakeClient) -> None:
    client = make_client()
    body = screen_body("Ahmad Hassan Karimi", "OCEAN STAR", "Иван Петров", min_score=0.0)
    answer = client.post("/v1/screen", json=body).json()
    reasons = [m["reason"] for r in answer["results"] for m in r["matches"]]
    search = client.get("/v1/search", params={"q": "Kim Chol Su", "min_score": 0}).json()
    reasons += [m["reason"] for m in search["matches"]]
    assert len(reasons) > 5
    for reason in reasons:
        label, _, sentence = reason.partition(". ")
        assert label in LABELS - {"Cleared by decision"}, reason
        assert sentence.startswith("The listed ")
        assert other_words(reason) == [], reason
    strongest = answer["results"][1]["matches"][0]
    assert strongest["alert"] and strongest["reason"].startswith("Alert. ")


def test_every_outcome_label_is_translated() -> None:
    for language, messages in _catalogues().items():
        for term in GLOSSARY.values():
            assert messages.get(term.label), (language, term.label)
            assert messages.get(term.meaning), (language, term.label)


def test_catalogue_files_are_where_the_service_reads_them() -> None:
    assert Path(LOCALES_DIR / "messages.pot").is_file()
