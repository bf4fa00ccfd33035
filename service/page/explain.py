"""The matching core's explanation as the page shows it: one sentence, then the detail.

The sentence (:mod:`service.sentences`) says in the officer's words whether the listed
name matches and why; the outcome word comes from the glossary (:mod:`service.outcomes`).
One click away, the technical detail: the listed and typed names with their matched words
marked, and one line per aligned pair that shows each word *as written* beside its
reading — "محمد → muhammad = MUHAMMAD" — with the romanisation methods, similarities and
the effect of date of birth, country and type, so an officer who cannot read the script
still sees why the service thinks so.

Words are mapped back to how they were written only where that is certain (the reading
has as many words as the text, or each word romanised alone gives the token); otherwise
the reading is shown alone. Nothing here scores: it only presents what the core decided.
Labels are English catalogue messages (``N_``), translated by the templates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.normalise import normalise
from core.score import Explanation
from core.translit import Romanisation, romanisations
from service.i18n import ENGLISH, Messages
from service.outcomes import N_, Outcome, candidate_outcome
from service.sentences import explanation_sentence, script_label

ROLE_LABELS = {
    "primary": N_("primary name"),
    "original_script": N_("name in original script"),
    "aka": N_("alias"),
    "fka": N_("former name"),
    "weak": N_("low-quality alias (so the list calls it)"),
}

HOW_WORDS = {
    "exact": N_("same word"),
    "variant": N_("another spelling of the same name"),
    "spelling variant": N_("another spelling of the same name"),
    "vowel variant": N_("another spelling of the same name"),
    "phonetic": N_("sounds alike"),
    "fuzzy": N_("similar spelling"),
    "initial": N_("initial"),
    "glued": N_("same letters written together or apart"),
    "legal form": N_("same legal form"),
    "nickname": N_("short form of the name"),
    "acronym": N_("initials of the name"),
}

EVIDENCE_LABELS = {
    "birth_date": N_("Date of birth"),
    "country": N_("Country"),
    "kind": N_("Type"),
}


def script_name(code: str | None) -> str:
    """The English name of a script; templates translate it."""
    return script_label(code)


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
    how: str  # exact / variant / phonetic / fuzzy / initial / glued / legal form / ...
    how_words: str  # an English catalogue message
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
    outcome: Outcome  # alert | needs review | clear (the glossary's words)
    sentence: str  # why, in one sentence of the officer's language
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


def explanation_view(
    query: str, explanation: Explanation, messages: Messages = ENGLISH, kind: str | None = None
) -> ExplanationView:
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
    role = ROLE_LABELS.get(name.listed_role or "", name.listed_role or N_("listed name"))
    evidence = tuple(
        (EVIDENCE_LABELS.get(e.factor, e.factor), f"{e.effect:+.2f}", e.detail)
        for e in explanation.evidence
    )
    listed_script = name.listed_form.script
    return ExplanationView(
        score=explanation.score,
        percent=round(explanation.score * 100),
        threshold=explanation.threshold,
        outcome=candidate_outcome(explanation.score, explanation.threshold),
        sentence=explanation_sentence(query, explanation, messages, kind),
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
    )
