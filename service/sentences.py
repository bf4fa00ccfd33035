"""Why a candidate is (or is not) the listed party, in one sentence an officer reads.

"The listed name KIM Jong Un matches: 김정은 read in the North Korean spelling; family
name and given names agree." The sentence is built from :class:`core.score.Explanation`'s
public fields only (the listed name and its role, how each side was read, the word pairs
and how they agree, the words left over, what date of birth, country and type added), so
the scorer may change how it scores without this module changing how it speaks. The
technical detail (methods, similarities, effects) is the page's second click, not this.

Every fragment is a catalogue message (:mod:`service.i18n`), so the page speaks the
officer's language; the API's ``reason`` is the English sentence after the outcome word
of the glossary (:mod:`service.outcomes`). Names are shown as written, never translated.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.identifiers import LABELS as IDENTIFIER_LABELS
from core.normalise import normalise
from core.score import Explanation, NameMatch, TokenMatch
from core.translit import Romanisation, romanisations
from service.i18n import ENGLISH, Messages
from service.outcomes import GLOSSARY, N_, Outcome, candidate_outcome

SCRIPT_NAMES = {
    "Latn": N_("Latin"),
    "Cyrl": N_("Cyrillic"),
    "Arab": N_("Arabic"),
    "Grek": N_("Greek"),
    "Hebr": N_("Hebrew"),
    "Hani": N_("Chinese"),
    "Hira": N_("Japanese"),
    "Kana": N_("Japanese"),
    "Jpan": N_("Japanese"),
    "Hang": N_("Korean"),
    "Geor": N_("Georgian"),
    "Armn": N_("Armenian"),
    "Deva": N_("Devanagari"),
    "Thai": N_("Thai"),
    "Mymr": N_("Burmese"),
    "Khmr": N_("Khmer"),
    "Ethi": N_("Ethiopic"),
    "Syrc": N_("Syriac"),
    "Mong": N_("Mongolian"),
    "Tibt": N_("Tibetan"),
}

# The subject of the sentence: which of the listing's names matched.
SUBJECTS = {
    "primary": N_("The listed name {name}"),
    "original_script": N_("The listed name as written in {script}, {name},"),
    "aka": N_("The listed alias {name}"),
    "fka": N_("The listed former name {name}"),
    "weak": N_("The listed low-quality alias {name} (so the list itself calls it)"),
}
HEADS = {
    Outcome.ALERT: N_("{subject} matches"),
    Outcome.NEEDS_REVIEW: N_("{subject} resembles the name searched"),
    Outcome.CLEAR: N_("{subject} does not match"),
}
# How two words that are not the same still agree ("a" typed or read, "b" listed).
PAIRS = {
    "variant": N_("{a} and {b} are spellings of one name"),
    "spelling variant": N_("{a} and {b} are spellings of one name"),
    "vowel variant": N_("{a} and {b} are spellings of one name"),
    "phonetic": N_("{a} sounds like {b}"),
    "fuzzy": N_("{a} is spelt nearly as {b}"),
    "initial": N_("{a} is the initial of {b}"),
    "glued": N_("{a} and {b} are the same letters written together or apart"),
    "nickname": N_("{a} is a short form of {b}"),
    "acronym": N_("{a} is made of the initials of {b}"),
}
SAME = frozenset({"exact", "legal form"})
MOST_PAIRS_SAID = 3
EVIDENCE = {
    ("birth_date", True): N_("the date of birth fits"),
    ("birth_date", False): N_("the date of birth does not fit"),
    ("country", True): N_("the country fits"),
    ("country", False): N_("the country is not one of the listing's"),
    ("kind", False): N_("the listing is not of the type searched"),
}


# core.identifiers.LABELS, marked for the catalogues (the evidence of an identifier match
# names the number in these words); tests/service/test_sentences.py checks they agree.
IDENTIFIER_WORDS = {
    "IMO number": N_("IMO number"),
    "MMSI": N_("MMSI"),
    "SWIFT/BIC": N_("SWIFT/BIC"),
    "passport": N_("passport"),
    "national id": N_("national id"),
    "registration number": N_("registration number"),
    "tax number": N_("tax number"),
    "aircraft serial number": N_("aircraft serial number"),
    "aircraft tail number": N_("aircraft tail number"),
}


def identifier_text(detail: str, messages: Messages = ENGLISH) -> str:
    """The number an identifier match names, its kind in the officer's words: the
    evidence's detail "IMO number 9187629, as listed" reads "IMO番号 9187629"."""
    number = detail.removesuffix(", as listed")
    for label in sorted(IDENTIFIER_LABELS.values(), key=len, reverse=True):
        if number.startswith(label + " "):
            words = IDENTIFIER_WORDS.get(label, label)
            return f"{messages.gettext(words)} {number[len(label) + 1 :]}"
    return number


def script_label(code: str | None) -> str:
    """The English name of a script (translate it when showing it)."""
    return SCRIPT_NAMES.get(code or "", code or N_("an unknown script"))


def spelling(form: Romanisation, messages: Messages = ENGLISH) -> str:
    """How a non-Latin name was read, in words: "the North Korean spelling"."""
    method = form.method
    script = messages.gettext(script_label(form.script))
    if method.startswith("Korean, MR"):
        return messages.gettext("the North Korean spelling")
    if method.startswith("Korean, South"):
        return messages.gettext("the usual South Korean spelling")
    if method.startswith("Korean, RR"):
        return messages.gettext("the Revised Romanization of Korean")
    if method.startswith("Korean"):
        return messages.gettext("a usual spelling of Korean names")
    if method.startswith("Chinese"):
        return messages.gettext("Chinese pinyin")
    if method.startswith("Japanese"):
        return messages.gettext("the Hepburn romanisation of Japanese")
    if method.startswith("Cyrillic, ") and "mixed" not in method:
        return messages.tr("the {system} spelling of Cyrillic", system=method[10:])
    if method == "Arabic script, words translated":
        return messages.gettext("Arabic, with its words translated")
    if method == "anyascii":
        return messages.tr("letter by letter from {script}", script=script)
    return messages.tr("the usual Latin spelling of {script} names", script=script)


def _shown(token: str, written: str, form: Romanisation) -> str:
    """A token as written ("Хаматович", "Karimi") when one written word alone gives it,
    else its reading ("khamatovich")."""
    words = written.replace(",", " ").split()
    if form.method == "as written":
        for word in words:
            if normalise(word) == token:
                return word
            start = word.casefold().find(token)  # a part of "Pettersson-Quarles"
            if start >= 0 and token in normalise(word).split():
                return word[start : start + len(token)]
        return token
    for word in words:
        if any(reading.text == token for reading in romanisations(word, limit=3)):
            return word
    return token


def _family_known(name: NameMatch, kind: str | None) -> bool:
    """Whether the name is a person's whose family name is known: a Korean or Chinese
    reading (family name first), "FAMILY, Given", or a family name in capitals beside
    given names that are not."""
    if kind != "person":
        return False
    method = name.query_form.method
    if name.query_form.script in ("Hang", "Hani") and "given name first" not in method:
        return True
    listed = name.listed_name
    if "," in listed:
        return True
    words = [w for w in listed.split() if any(c.isalpha() for c in w)]
    caps = [w.isupper() for w in words]
    return any(caps) and not all(caps)


def _words(count: int, messages: Messages) -> str:
    return messages.ngettext("{n} word", "{n} words", count).format(n=count)


def _agreement(query: str, name: NameMatch, kind: str | None, messages: Messages) -> list[str]:
    """The clauses that say which words agree, how, and which are left over."""
    t = messages
    tokens: Sequence[TokenMatch] = name.tokens
    if not tokens:
        return [t.gettext("no word agrees")]
    pairs = [p for p in tokens if p.how not in SAME]
    left = len(name.unmatched_query) + len(name.unmatched_listed)
    clauses: list[str] = []
    if not left and not pairs:
        words = len(tokens)
        if words == 1:
            clauses.append(t.gettext("the name agrees"))
        elif _family_known(name, kind):
            clauses.append(t.gettext("family name and given names agree"))
        elif words == 2:
            clauses.append(t.gettext("both words agree"))
        else:
            clauses.append(t.tr("all {words} agree", words=_words(words, t)))
    elif not name.unmatched_query:
        clauses.append(t.gettext("every word searched agrees"))
    else:
        total = len(tokens) + len(name.unmatched_query)
        clauses.append(
            t.tr("{matched} of {total} agree", matched=len(tokens), total=_words(total, t))
        )
    for pair in pairs[:MOST_PAIRS_SAID]:
        a = _shown(pair.query, query, name.query_form)
        b = _shown(pair.listed, name.listed_name, name.listed_form)
        template = PAIRS.get(pair.how, N_("{a} is close to {b}"))
        clauses.append(t.tr(template, a=a, b=b))
    if name.unmatched_query:
        shown = ", ".join(_shown(w, query, name.query_form) for w in name.unmatched_query)
        clauses.append(t.tr("{words}: not in the listed name", words=shown))
    if name.unmatched_listed:
        listed = name.listed_name
        shown = ", ".join(_shown(w, listed, name.listed_form) for w in name.unmatched_listed)
        clauses.append(t.tr("{words}: listed, not searched", words=shown))
    return clauses


def _readings(query: str, name: NameMatch, messages: Messages) -> list[str]:
    clauses: list[str] = []
    query_read = name.query_form.method != "as written"
    if query_read and name.query_form.script == name.listed_form.script:
        return clauses  # both written in the same script: how it was read says nothing
    if query_read and name.query_form.text:
        clauses.append(
            messages.tr(
                "{query} read in {spelling}",
                query=query.strip(),
                spelling=spelling(name.query_form, messages),
            )
        )
    # The listed name's reading says something only when the search was not read too
    # (a Latin search of a name listed in its own script).
    if clauses or name.query_form.method != "as written":
        return clauses
    if name.listed_form.method != "as written" and name.listed_form.text:
        clauses.append(
            messages.tr(
                "the listed name read in {spelling}",
                spelling=spelling(name.listed_form, messages),
            )
        )
    return clauses


def subject(name: NameMatch, messages: Messages = ENGLISH) -> str:
    """Which listed name matched, as the sentence's subject ("The listed alias ...")."""
    role = name.listed_role or "primary"
    template = SUBJECTS.get(role, SUBJECTS["primary"])
    script = messages.gettext(script_label(name.listed_form.script))
    return messages.tr(template, name=name.listed_name, script=script)


def explanation_sentence(
    query: str,
    explanation: Explanation,
    messages: Messages = ENGLISH,
    kind: str | None = None,
    ended_on: str | None = None,
) -> str:
    """The one sentence: whether the listed name matches, how it was read, what agrees.
    ``kind``: the listing's kind ("person" lets the sentence speak of family names);
    ``ended_on``: the day the list ended the listing, said first (it is why no alert)."""
    if ended_on is not None:
        ended = messages.tr("Not an alert: the listing ended on {date}.", date=ended_on)
        return f"{ended} {explanation_sentence(query, explanation, messages, kind)}"
    outcome = candidate_outcome(explanation.score, explanation.threshold)
    name = explanation.name
    numbers = [
        identifier_text(e.detail, messages)
        for e in explanation.evidence
        if e.factor == "identifier" and e.effect > 0
    ]
    if numbers and not name.tokens:
        # Found by a number the query gives, the name not compared (none given, or none
        # alike): the number is the evidence.
        return messages.tr(
            "{subject} carries the number given, {identifier}: the number alone names "
            "the listed party.",
            subject=subject(name, messages),
            identifier=numbers[0],
        )
    head = messages.tr(HEADS[outcome], subject=subject(name, messages))
    if normalise(query) == normalise(name.listed_name) and name.tokens:
        clauses = [messages.gettext("written exactly as listed")]
    else:
        clauses = [*_readings(query, name, messages), *_agreement(query, name, kind, messages)]
    for evidence in explanation.evidence:
        said = EVIDENCE.get((evidence.factor, evidence.effect > 0))
        if said:
            clauses.append(messages.gettext(said))
    clauses += [messages.tr("the {identifier} given is listed too", identifier=n) for n in numbers]
    if not clauses:
        return messages.tr("{head}.", head=head)
    details = messages.gettext("; ").join(clauses)
    return messages.tr("{head}: {details}.", head=head, details=details)


def reason(
    query: str, explanation: Explanation, kind: str | None = None, ended_on: str | None = None
) -> str:
    """The API's ``reason``: the glossary's outcome word, then the sentence (English)."""
    outcome = candidate_outcome(explanation.score, explanation.threshold, ended_on=ended_on)
    sentence = explanation_sentence(query, explanation, ENGLISH, kind, ended_on)
    return f"{GLOSSARY[outcome].label}. {sentence}"


def reason_as(reason_text: str, outcome: Outcome) -> str:
    """A ``reason`` given another outcome word, its sentence kept: a match that a recorded
    decision clears reads "Cleared by decision. The listed name ..."."""
    for term in GLOSSARY.values():
        prefix = f"{term.label}. "
        if reason_text.startswith(prefix):
            return f"{GLOSSARY[outcome].label}. {reason_text[len(prefix) :]}"
    return f"{GLOSSARY[outcome].label}. {reason_text}"
