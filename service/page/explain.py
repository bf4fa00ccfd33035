"""The matching core's explanation, in the plain words an officer reads on the page.

:class:`core.score.Explanation` says which listed name matched, how each side was read
(romanised from which script, by which method), which token pairs aligned and how, what
was left over, and what date of birth, country and kind added. This module turns it into
display pieces: a verdict word, the listed and typed names with their matched words
marked, and one line per aligned pair that shows each word *as written* beside its
reading — "محمد → muhammad = MUHAMMAD" — so an officer who cannot read the script still
sees why the service thinks so.

Words are mapped back to how they were written only where that is certain (the reading
has as many words as the text, or each word romanised alone gives the token); otherwise
the reading is shown alone. Nothing here scores: it only presents what the core decided.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from core.normalise import normalise
from core.score import Explanation, NameMatch
from core.translit import Romanisation, romanisations

# Below the alert threshold, a candidate at or above this score is shown as "weak": worth
# a glance (a partial name, a near spelling), not an alert. Below it: "no match".
WEAK_SCORE = 0.4

SCRIPT_NAMES = {
    "Latn": "Latin",
    "Cyrl": "Cyrillic",
    "Arab": "Arabic",
    "Grek": "Greek",
    "Hebr": "Hebrew",
    "Hani": "Chinese",
    "Hira": "Japanese",
    "Kana": "Japanese",
    "Jpan": "Japanese",
    "Hang": "Korean",
    "Geor": "Georgian",
    "Armn": "Armenian",
    "Deva": "Devanagari",
    "Thai": "Thai",
    "Mymr": "Burmese",
    "Khmr": "Khmer",
    "Ethi": "Ethiopic",
    "Syrc": "Syriac",
    "Mong": "Mongolian",
    "Tibt": "Tibetan",
}

ROLE_LABELS = {
    "primary": "primary name",
    "original_script": "name in original script",
    "aka": "also known as",
    "fka": "formerly known as",
    "weak": "low-quality alias",
}

HOW_WORDS = {
    "exact": "same word",
    "variant": "spelling variant of the same name",
    "phonetic": "sounds alike",
    "fuzzy": "similar spelling",
    "initial": "initial",
    "glued": "same letters written together or apart",
    "legal form": "same legal form",
}

EVIDENCE_LABELS = {"birth_date": "Date of birth", "country": "Country", "kind": "Type"}


def script_name(code: str | None) -> str:
    return SCRIPT_NAMES.get(code or "", code or "unknown script")


def verdict(score: float, threshold: float) -> str:
    """alert / weak / none: the word beside the score bar."""
    if score >= threshold:
        return "alert"
    return "weak" if score >= WEAK_SCORE else "none"


VERDICT_LABELS = {"alert": "Alert", "weak": "Weak", "none": "No match", "ended": "Listing ended"}


def listing_ended_view(view: ExplanationView, ends_on: str) -> ExplanationView:
    """The view of a match whose listing the list itself ended (a debarment period run
    out): shown, but not an alert, and the summary says why."""
    return dataclasses.replace(
        view,
        verdict="ended",
        verdict_label=VERDICT_LABELS["ended"],
        summary=f"Not an alert: the listing ended on {ends_on}. {view.summary}",
    )


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a name as written, and whether it took part in the match."""

    text: str
    matched: bool


@dataclass(frozen=True, slots=True)
class TokenLine:
    """One aligned pair: the typed word(s) and the listed word(s), as written and as read."""

    query_written: str
    query_reading: str | None  # shown when the word was romanised
    listed_written: str
    listed_reading: str | None
    how: str  # exact / variant / phonetic / fuzzy / initial / glued / legal form
    how_words: str
    similarity: float


@dataclass(frozen=True, slots=True)
class Reading:
    """How one side was romanised before comparing, when it was not Latin already."""

    text: str
    script: str
    method: str


@dataclass(frozen=True, slots=True)
class ExplanationView:
    score: float
    percent: int
    threshold: float
    verdict: str  # alert | weak | none
    verdict_label: str
    name_score: float
    matched_name: str
    matched_role: str
    matched_script: str | None  # set when the matched name is not in Latin letters
    matched_words: tuple[Word, ...]
    query_words: tuple[Word, ...]
    query_reading: Reading | None
    listed_reading: Reading | None
    tokens: tuple[TokenLine, ...]
    not_in_listed: tuple[str, ...]
    not_in_query: tuple[str, ...]
    evidence: tuple[tuple[str, str, str], ...]  # (label, "+0.02", detail)
    summary: str


def _reading(form: Romanisation) -> Reading | None:
    if form.method == "as written":
        return None
    return Reading(form.text, script_name(form.script), form.method)


def _clean(word: str) -> str:
    """A written word without the punctuation around it ("AL-DURI," → "AL-DURI")."""
    return word.strip(",;:()[]\"'«»“”")


def written_words(text: str, form: Romanisation) -> list[tuple[str, tuple[str, ...]]]:
    """Each word of ``text`` as written, with the normalised reading words it gave."""
    words = [w for w in (_clean(w) for w in text.split()) if w]
    if form.method == "as written":
        return [(w, tuple(normalise(w).split())) for w in words]
    read = form.text.split()
    if len(read) == len(words):
        return [(w, (r,)) for w, r in zip(words, read, strict=True)]
    out: list[tuple[str, tuple[str, ...]]] = []
    for word in words:
        alone = romanisations(word, limit=1)
        out.append((word, tuple(alone[0].text.split()) if alone else ()))
    return out


def _written_for(surface: str, words: Sequence[tuple[str, tuple[str, ...]]]) -> str | None:
    """The written words a token's reading came from, when every part is accounted for."""
    found: list[str] = []
    for part in surface.split():
        source = next((w for w, reading in words if part in reading), None)
        if source is None:
            return None
        if source not in found:
            found.append(source)
    return " ".join(found)


def _marked(words: Sequence[tuple[str, tuple[str, ...]]], matched: set[str]) -> tuple[Word, ...]:
    return tuple(Word(w, any(r in matched for r in reading)) for w, reading in words)


def _summary(view_verdict: str, name: NameMatch, matched_role: str) -> str:
    pairs = len(name.tokens)
    if view_verdict == "alert":
        head = "Likely listed"
    elif view_verdict == "weak":
        head = "Partial resemblance"
    else:
        head = "Not a match"
    left = len(name.unmatched_query) + len(name.unmatched_listed)
    detail = f"{pairs} word{'s' if pairs != 1 else ''} aligned with the {matched_role}"
    if left:
        detail += f", {left} left unmatched"
    return f"{head}: {detail}."


def explanation_view(query: str, explanation: Explanation) -> ExplanationView:
    name = explanation.name
    query_words = written_words(query, name.query_form)
    listed_words = written_words(name.listed_name, name.listed_form)
    tokens: list[TokenLine] = []
    matched_query: set[str] = set()
    matched_listed: set[str] = set()
    query_romanised = name.query_form.method != "as written"
    listed_romanised = name.listed_form.method != "as written"
    for match in name.tokens:
        matched_query.update(match.query.split())
        matched_listed.update(match.listed.split())
        query_written = _written_for(match.query, query_words)
        listed_written = _written_for(match.listed, listed_words)
        tokens.append(
            TokenLine(
                query_written=query_written or match.query,
                query_reading=match.query if query_romanised and query_written else None,
                listed_written=listed_written or match.listed,
                listed_reading=match.listed if listed_romanised and listed_written else None,
                how=match.how,
                how_words=HOW_WORDS.get(match.how, match.how),
                similarity=match.similarity,
            )
        )
    role = ROLE_LABELS.get(name.listed_role or "", name.listed_role or "listed name")
    word = verdict(explanation.score, explanation.threshold)
    evidence = tuple(
        (EVIDENCE_LABELS.get(e.factor, e.factor), f"{e.effect:+.2f}", e.detail)
        for e in explanation.evidence
    )
    listed_script = name.listed_form.script
    return ExplanationView(
        score=explanation.score,
        percent=round(explanation.score * 100),
        threshold=explanation.threshold,
        verdict=word,
        verdict_label=VERDICT_LABELS[word],
        name_score=explanation.name_score,
        matched_name=name.listed_name,
        matched_role=role,
        matched_script=script_name(listed_script) if listed_romanised else None,
        matched_words=_marked(listed_words, matched_listed),
        query_words=_marked(query_words, matched_query),
        query_reading=_reading(name.query_form),
        listed_reading=_reading(name.listed_form),
        tokens=tuple(tokens),
        not_in_listed=name.unmatched_query,
        not_in_query=name.unmatched_listed,
        evidence=evidence,
        summary=_summary(word, name, role),
    )
