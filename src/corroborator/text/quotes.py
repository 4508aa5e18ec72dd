"""Quoted words and who said them: quote spans, attribution phrases and speaker resolution.

Quotes are found over the whole text (a quote may run over several sentences): straight "...",
curly “...” and curly single ‘...’ (a ’ closes only when no letter follows, so "country’s" inside
‘...’ does not end it). A quote left open at a paragraph's end closes there (the news convention for
quotes that run on into the next paragraph).

Attributions are rules over one sentence and its named entities:

* "according to (a report by) X", "reported/described/framed by X"
* "X said/says/told/argued/claimed/warned/announced/denied/insisted/...", also "X, who ..., said"
* '"...," said X'
* "X's memo/statement/letter ..." (the document speaks for X)

A pronoun ("he") or a role ("the defense chief") as speaker resolves to the most recent full PERSON
name, and a bare surname to the full name seen earlier; anything else keeps the phrase as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corroborator.text.names import clean_name


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    start: int  # the quoted words, without the marks
    end: int
    text: str
    norm: str


@dataclass(frozen=True, slots=True)
class Entity:
    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class Attribution:
    start: int
    end: int
    speaker: str
    verb: str  # lemma: "say", "argue", "according to", "report"


# ----------------------------------------------------------------------------------------------- quotes

_WORDS = re.compile(r"\w+(?:['’]\w+)*")
_MAX_SINGLE = 600


def quote_norm(text: str) -> str:
    """Lower case, punctuation dropped, one space between words."""
    return " ".join(_WORDS.findall(text.lower().replace("’", "'")))


def find_quotes(text: str) -> list[QuoteSpan]:
    """Quoted spans in ``text`` (straight and curly double quotes, curly single quotes), in order."""
    found: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        found.extend(_double_quotes(text, line.start(), line.end()))
        found.extend(_single_quotes(text, line.start(), line.end()))
    out = []
    for s, e in sorted(set(found)):
        while s < e and text[s].isspace():
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:"):
            e -= 1
        if e - s > 1 and text[e - 1] == "." and text[e - 2].islower():
            e -= 1  # the sentence's full stop, kept inside the marks by US style
        norm = quote_norm(text[s:e])
        if norm:
            out.append(QuoteSpan(s, e, text[s:e], norm))
    return out


def _double_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    i = start
    while i < end:
        ch = text[i]
        if ch == "“":
            close = text.find("”", i + 1, end)
            reopen = text.find("“", i + 1, end)
            stop = close if close != -1 and (reopen == -1 or close < reopen) else (reopen if reopen != -1 else end)
            spans.append((i + 1, stop))
            i = stop + 1 if stop == close else stop
        elif ch == '"':
            close = text.find('"', i + 1, end)
            stop = close if close != -1 else end
            spans.append((i + 1, stop))
            i = stop + 1
        else:
            i += 1
    return [(s, e) for s, e in spans if e > s]


_SINGLE_OPEN_BEFORE = set(' \t([{“"—–-/')


def _single_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    i = text.find("‘", start, end)
    while i != -1:
        if (i == start or text[i - 1] in _SINGLE_OPEN_BEFORE) and i + 1 < end and not text[i + 1].isspace():
            j = i + 1
            limit = min(end, i + _MAX_SINGLE)
            close = -1
            while True:
                j = text.find("’", j, limit)
                if j == -1:
                    break
                after = text[j + 1] if j + 1 < len(text) else " "
                if not after.isalpha() and not text[j - 1].isspace():
                    close = j
                    break
                j += 1
            if close != -1:
                spans.append((i + 1, close))
                i = text.find("‘", close + 1, end)
                continue
        i = text.find("‘", i + 1, end)
    return spans


# ------------------------------------------------------------------------------------------ attributions

_VERBS = {
    "say": "said says say",
    "tell": "told tells",
    "argue": "argued argues argue",
    "claim": "claimed claim",
    "warn": "warned warns warn",
    "announce": "announced announces announce",
    "deny": "denied denies deny",
    "insist": "insisted insists insist",
    "add": "added adds",
    "state": "stated",
    "write": "wrote writes write",
    "note": "noted",
    "explain": "explained explains",
    "acknowledge": "acknowledged acknowledges acknowledge",
    "admit": "admitted admits admit",
    "contend": "contended contends contend",
    "assert": "asserted asserts assert",
    "emphasize": "emphasized emphasizes emphasised emphasises",
    "stress": "stressed",
    "suggest": "suggested suggests",
    "testify": "testified testifies",
    "tweet": "tweeted",
    "confirm": "confirmed confirms confirm",
    "allege": "alleged alleges allege",
    "maintain": "maintained maintains maintain",
    "declare": "declared declares",
    "specify": "specified specifies",
    "report": "reported",
    "describe": "described describes",
    "call": "called",
    "predict": "predicted predicts predict",
    "promise": "promised promise",
    "vow": "vowed",
    "believe": "believes believe",
}
_LEMMA = {form: lemma for lemma, forms in _VERBS.items() for form in forms.split()}
_PASSIVE_LEMMA = {
    **_LEMMA,
    "framed": "frame",
    "characterized": "characterize",
    "characterised": "characterize",
    "cited": "cite",
    "quoted": "quote",
}
_VERB_RE = re.compile(r"\b(" + "|".join(sorted(_LEMMA, key=len, reverse=True)) + r")\b")
_PASSIVE = re.compile(
    r"\b(reported|described|framed|characterized|characterised|cited|quoted|announced|confirmed|"
    r"denied|stated|claimed|called)\s+by\s+"
)
_ACCORDING = re.compile(
    r"\b[Aa]ccording\s+to\s+(?:(?:a|an|the)\s+(?:new\s+)?(?:report|statement|memo|letter|study|survey|"
    r"analysis|document|documents|filing|transcript|copy|review|investigation)s?\s+(?:by|from|of|in)\s+)?"
)
_DOCS = (
    r"memo|memorandum|statement|letter|report|order|directive|post|tweet|speech|remarks|testimony|email|"
    r"op-ed|column|interview|proposal|announcement|message|note|book|press\s+release|spokesman|spokeswoman|"
    r"spokesperson|office|campaign|administration"
)
_POSSESSIVE_DOC = re.compile(rf"['’]s?\s+(?:new\s+|latest\s+|own\s+)?({_DOCS})\b")
_DOC_AFTER = re.compile(rf"\s+(?:new\s+|latest\s+|own\s+)?({_DOCS})\b")
_TRAILING_ADVERBS = re.compile(
    r"(?:\s+(?:also|later|then|previously|repeatedly|has|have|had|once|further|again|publicly|privately|"
    r"recently|reportedly|did|does|would|will|could|long|already|often|has\s+long|have\s+long))+$"
)
_BOUNDARY = re.compile(
    r".*(?:[,;:“”\"(—–]|[‘’](?!\w)|\b(?i:that|and|but|as|while|because|which|who|when|where|if|since|though|"
    r"although|so|whereas|after|before|what|how|why|whether)\b)\s*",
    re.DOTALL,
)
_RELATIVE = re.compile(r",\s+(?:who|which|whose|a|an|the|its|his|her|their|one)\b")
_PRONOUNS = {"he", "she", "him", "her"}
_PREPOSITIONS = {"of", "to", "for", "with", "about", "on", "in", "at", "by", "from", "into", "than", "like"}
_REJECT_SUBJECTS = {"it", "this", "that", "they", "we", "i", "you", "there", "which", "who", "what", "one"}
_ROLE = re.compile(
    r"^(?:the\s+)?(?:[\w-]+\s+)?(?:chief|secretary|minister|senator|governor|mayor|spokesman|"
    r"spokeswoman|spokesperson|director|ambassador|envoy|lawmaker|congressman|congresswoman|commander|"
    r"chairman|chairwoman|prosecutor|judge|chancellor)$",
    re.IGNORECASE,
)
_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_NP_AFTER = re.compile(
    r"((?:the\s+|a\s+|an\s+)?(?:[\w.’'-]+\s+){0,5}?[\w.’'-]+?)(?=\s*(?:[,.;:!?”\"]|$|\s+(?:who|which|that|in|on|at|during)\b))"
)


def find_attributions(
    text: str, entities: Sequence[Entity], quotes: Sequence[tuple[int, int]] = ()
) -> list[Attribution]:
    """Attribution phrases in one sentence ``text``; ``quotes`` are spans (relative) to ignore inside."""
    out: list[Attribution] = []

    def inside_quote(pos: int) -> bool:
        return any(s <= pos < e for s, e in quotes)

    for m in _ACCORDING.finditer(text):
        if inside_quote(m.start()):
            continue
        speaker = _speaker_after(text, m.end(), entities)
        if speaker:
            out.append(Attribution(m.start(), speaker[1], speaker[0], "according to"))
    for m in _PASSIVE.finditer(text):
        if inside_quote(m.start()):
            continue
        speaker = _speaker_after(text, m.end(), entities)
        if speaker:
            out.append(Attribution(m.start(), speaker[1], speaker[0], _PASSIVE_LEMMA[m.group(1)]))
    for ent in entities:
        if ent.label != "PERSON" and ent.label != "ORG":
            continue
        # spaCy often keeps the "'s" inside the entity ("Hegseth’s").
        owned = ent.text.endswith(("'s", "’s"))
        doc = (_DOC_AFTER if owned else _POSSESSIVE_DOC).match(text, ent.end)
        if doc and not inside_quote(ent.start):
            out.append(Attribution(ent.start, doc.end(), ent.text, doc.group(1).lower()))
    for m in _VERB_RE.finditer(text):
        if inside_quote(m.start()) or any(a.start <= m.start() < a.end for a in out):
            continue
        if re.search(r"\bto\s+$", text[: m.start()]):
            continue  # "to say", "refused to deny"
        verb = _LEMMA[m.group(1)]
        before = text[: m.start()].rstrip()
        # '“...,” said X' names the speaker after the verb; "X, who ..., said" before it.
        subject = None if before.endswith(("”", '"', "’")) else _subject_before(text, m.start(), entities)
        if subject:
            out.append(Attribution(subject[1], m.end(), subject[0], verb))
        elif before.endswith((",", "”", '"', "’")) or not before:
            found = _speaker_after(text, m.end(), entities, capital_only=True)
            if found:
                out.append(Attribution(m.start(), found[1], found[0], verb))
    return sorted(out, key=lambda a: a.start)


def _entity_at(entities: Sequence[Entity], start: int, end: int) -> Entity | None:
    for ent in entities:
        if ent.label in _SPEAKER_LABELS and start <= ent.start < end:
            return ent
    return None


def _speaker_after(
    text: str, pos: int, entities: Sequence[Entity], capital_only: bool = False
) -> tuple[str, int] | None:
    rest = text[pos:]
    lead = len(rest) - len(rest.lstrip())
    ent = _entity_at(entities, pos, pos + lead + 30)
    if ent is not None and not text[pos : ent.start].strip(" ,").count(","):
        return ent.text, ent.end
    m = _NP_AFTER.match(text, pos + lead)
    if m is None:
        return None
    phrase = m.group(1).strip()
    if capital_only and not (phrase[:1].isupper() or phrase.lower().startswith("the ")):
        return None
    if not phrase or len(phrase.split()) > 6 or phrase.lower() in _REJECT_SUBJECTS:
        return None
    return phrase, m.end(1)


_PASSIVE_BEFORE = re.compile(r"\b(?:is|was|were|are|be|been|being|get|gets|got)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_NOT_SUBJECT_END = {
    "is", "was", "are", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "don't",
    "doesn't", "didn't", "won't", "can't", "not",
}  # fmt: skip


def _subject_before(text: str, verb_start: int, entities: Sequence[Entity]) -> tuple[str, int] | None:
    if _PASSIVE_BEFORE.search(text, 0, verb_start):
        return None  # "has been described", "was called": no speaker in front of the verb
    left = _TRAILING_ADVERBS.sub("", text[:verb_start].rstrip())
    if left.endswith(","):
        rel = list(_RELATIVE.finditer(left[:-1]))
        if not rel:
            return None
        left = left[: rel[-1].start()]
    end = len(left)
    for i, ent in enumerate(entities):
        if ent.label in _SPEAKER_LABELS and end - 3 <= ent.end <= end and ent.start < end:
            # "Mayor Anna Lindqvist of Portland said": the person, not the place, is speaking.
            if i > 0 and entities[i - 1].label == "PERSON":
                between = text[entities[i - 1].end : ent.start]
                if re.fullmatch(r"\s+(?:of|from|at)\s+(?:the\s+)?", between):
                    return entities[i - 1].text, entities[i - 1].start
            return ent.text, ent.start
    m = _BOUNDARY.match(left)
    start = m.end() if m else 0
    phrase = left[start:].strip()
    if not phrase or len(phrase.split()) > 6 or phrase.lower() in _REJECT_SUBJECTS:
        return None
    words = phrase.lower().split()
    if not re.match(r"[^\W\d_]{2}", phrase) or words[-1] in {"to", "not", "would", "the", "a"}:
        return None
    if words[0] in _PREPOSITIONS or words[-1].replace("’", "'") in _NOT_SUBJECT_END:
        return None
    return phrase, start + (len(left[start:]) - len(left[start:].lstrip()))


class SpeakerResolver:
    """Resolves pronouns, roles and bare surnames to the most recent full PERSON name seen so far."""

    def __init__(self) -> None:
        self._people: list[str] = []

    def see(self, name: str) -> None:
        name = clean_name(name)
        if name:
            self._people.append(name)

    def resolve(self, speaker: str) -> str:
        clean = clean_name(speaker)
        low = clean.lower()
        full = [p for p in reversed(self._people) if len(p.split()) >= 2]
        if low in _PRONOUNS or _ROLE.match(speaker.strip()):
            return full[0] if full else clean
        if len(clean.split()) == 1:
            for person in full:
                if person.split()[-1].lower() == low:
                    return person
        return clean
