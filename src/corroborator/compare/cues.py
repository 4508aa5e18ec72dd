"""Small text cues the conflict checks share: stems, negation, speakers, quoted passages, event words.

No model here: regular expressions over a claim's text, used beside the typed facts (which come from
spaCy) where a fact type does not carry what a comparison needs (which verb a date belongs to, which
word a negation governs, who is credited with a scare-quoted phrase).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corroborator.model import Claim
from corroborator.text import words as text_words


def wordset(text: str) -> frozenset[str]:
    """A set of words written as one string (easier to read and edit than a list literal)."""
    return frozenset(text.split())


# The conflict checks' stop words (data/words/en/stopwords-claims.txt, corroborator.text.words).
STOPWORDS = text_words.stopwords("en", "claims")

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*")


def stem(word: str) -> str:
    """A crude suffix stripper: enough to match 'restriction' with 'restrict', 'ratified' with 'ratify'."""
    return text_words.suffix_stem(word, "claims")


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text)]


def content_stems(text: str) -> set[str]:
    return {stem(w) for w in words(text) if w.lower() not in STOPWORDS and not w[0].isdigit() and len(w) > 2}


# -- negation --------------------------------------------------------------------------------------

_NEG = re.compile(
    r"\b(?!not only|not just|no matter|no doubt|not least)(?:not|never|no longer|no|n't|without|neither|nor|"
    r"cannot|(?:can|won|don|doesn|didn|isn|wasn|aren|weren|hasn|haven|hadn|couldn|wouldn|shouldn)['’]t|"
    r"ended|ending|ends|end|lifted|lifting|lifts|lift|removed|removing|reversed|reversing|reversal of|"
    r"scrapped|scrapping|abandoned|abandoning|eliminated|eliminating|denied|denies|deny)\b",
    re.IGNORECASE,
)
_SKIP = wordset(
    "be been being have has had yet formally officially a an the ever to any its their his her this "
    "that did do does is are was were will would longer fully"
)
_CUE_WINDOW = 3  # words between a cue and the word it governs
_AUXILIARIES = wordset("did do does will would could can should must may might shall")
_DETERMINERS = wordset("a an the this that its their his her these those")
_MODAL_ENDINGS = ("did", "do", "does", "will", "would", "could", "can", "should", "must", "may", "might")
_AUX_ENDINGS = (
    "did",
    "do",
    "does",
    "will",
    "would",
    "could",
    "can",
    "has",
    "have",
    "had",
    "should",
    "must",
    "is",
    "are",
    "was",
    "were",
)
# Negators proper (a report that something did not happen), as opposed to words like "ended".
STRICT_NEGATORS = frozenset({"not", "never", "no longer", "n't"})


@dataclass(frozen=True, slots=True)
class Negated:
    cue: str
    head: str  # stem of the governed word
    word: str  # the governed word as written
    verbal: bool  # the governed word reads as a verb ("never ratified", "did not sign")
    start: int  # offsets in the article (cue start .. head end)
    end: int


def negations(claim: Claim) -> list[Negated]:
    """Negation cues with the content word each one governs ("never ratified" -> ratif)."""
    out = []
    text = claim.text
    for m in _NEG.finditer(text):
        rest = text[m.end() :]
        taken = 0
        crossed = False  # a function word between cue and head ("did not say publicly")
        for w in _WORD.finditer(rest):
            low = w.group().lower()
            if low in _SKIP or (low.endswith("ly") and len(low) > 4):
                continue  # auxiliaries, determiners, adverbs ("never formally ratified")
            taken += 1
            if taken > _CUE_WINDOW:
                break
            if low in STOPWORDS:
                crossed = True
                continue
            between = rest[: w.start()].lower().split()
            out.append(
                Negated(
                    cue=m.group().lower(),
                    head=stem(w.group()),
                    word=w.group(),
                    verbal=not crossed
                    and not any(x in _DETERMINERS for x in between)
                    and (
                        w.group().lower().endswith(("ed", "en"))
                        or any(x in _AUXILIARIES for x in between)
                        or text[: m.start()].lower().rstrip().endswith(_MODAL_ENDINGS)
                    ),
                    start=claim.start + m.start(),
                    end=claim.start + m.end() + w.end(),
                )
            )
            break
    return out


def negated_stems(claim: Claim) -> set[str]:
    return {n.head for n in negations(claim)}


# -- speakers ---------------------------------------------------------------------------------------

_SAY_VERBS = (
    r"argue|argues|argued|say|says|said|claim|claims|claimed|contend|contends|contended|warn|warns|warned|"
    r"insist|insists|insisted|state|states|stated|note|notes|noted|emphasize|emphasizes|emphasized|"
    r"emphasizing|maintain|maintains|maintained|believe|believes|told|add|adds|added|describe|describes|"
    r"described|call|calls|called|hail|hailed|tout|touted|wrote|writes|tweeted|tweets|posted|vowed|vows|"
    r"pledged|promised|replied|responded|explained|acknowledged|conceded|admitted|declared|asked"
)
_PRONOUN_WORDS = wordset("he she they it we i you")
_SAID = re.compile(r"\b(?:" + _SAY_VERBS + r")\b")
_ACCORDING = re.compile(r"\baccording to\s+((?:[\w.’'-]+\s*){1,5}?)(?=[,.;]|$)", re.IGNORECASE)
_POSSESSIVE = re.compile(
    r"\b((?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w.-]*)[’']s\s+(?:memo|memorandum|statement|letter|order|report|speech|"
    r"post|tweet|directive|announcement|remarks|office|spokesman|spokeswoman|spokesperson)\b"
)
_LEADERS = wordset("as because since though although if")
_GENERIC = wordset("the some many other a an this that these those it")


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    start: int  # article offsets
    end: int


def speakers(claim: Claim) -> list[Speaker]:
    """Who the claim credits: quote/attribution fact speakers, 'according to X', 'X's memo', 'X said'."""
    out: list[Speaker] = []
    for f in claim.facts:
        # Attribution facts carry their verb ("Brightwater said"); a quote fact's speaker may have been
        # guessed from context, so it is not taken as evidence here.
        if f.kind == "attribution" and f.speaker:
            first = f.text.split()[0].lower() if f.text.split() else ""
            if first in _PRONOUN_WORDS:
                continue  # "she said": the name was resolved from context, not read in the claim
            out.append(Speaker(f.speaker, f.start, f.end))
    text = claim.text
    for pattern in (_ACCORDING, _POSSESSIVE):
        for m in pattern.finditer(text):
            name = m.group(1).strip()
            tokens = [t for t in name.split() if t.lower() not in _GENERIC]
            if not tokens:
                continue
            s = claim.start + m.start(1) + m.group(1).find(tokens[0])
            name = text[s - claim.start : s - claim.start + len(" ".join(tokens))]
            out.append(Speaker(name, s, s + len(name)))
    for m in _SAID.finditer(text):
        before = text[: m.start()]
        cut = max(before.rfind(c) for c in ",;:(—")
        seg_start = cut + 1
        toks = list(_WORD.finditer(before[seg_start:]))[-3:]
        while toks and (toks[0].group().lower() in STOPWORDS or toks[0].group().lower() in _LEADERS):
            toks.pop(0)
        if not toks:
            continue
        s = claim.start + seg_start + toks[0].start()
        e = claim.start + seg_start + toks[-1].end()
        out.append(Speaker(text[s - claim.start : e - claim.start], s, e))
    return out


def same_speaker(a: str, b: str) -> bool:
    """Two speaker names refer to the same voice when they share a content word (a surname, 'officials')."""
    ta = {stem(t) for t in words(a) if t.lower() not in STOPWORDS}
    tb = {stem(t) for t in words(b) if t.lower() not in STOPWORDS}
    return bool(ta & tb)


# -- quoted passages ----------------------------------------------------------------------------------

_QUOTE_RE = re.compile(r"“([^”]{3,400})”|\"([^\"]{3,400})\"|‘(.{3,400}?)’(?![A-Za-z])")


@dataclass(frozen=True, slots=True)
class Quoted:
    text: str  # inner words
    start: int  # article offsets of the whole quoted passage, marks included
    end: int
    speaker: str | None = None


def _is_title(inner: str) -> bool:
    """'This Week', 'Meet the Press': a name in quotation marks, not a quotation."""
    ws = words(inner)
    return bool(ws) and len(ws) <= 6 and all(w[0].isupper() or w.lower() in _TITLE_SMALL for w in ws)


_TITLE_SMALL = wordset("the a an of and in on for to with at by")


def quotes(claim: Claim) -> list[Quoted]:
    """Quoted passages (titles in quotation marks left out), from quote facts and quotation marks."""
    found: dict[tuple[int, int], Quoted] = {}
    for f in claim.facts:
        if f.kind == "quote":
            inner = f.text.strip("“”\"‘’' ,.")
            found[(f.start, f.end)] = Quoted(inner, f.start, f.end, f.speaker)
    for m in _QUOTE_RE.finditer(claim.text):
        inner = next(g for g in m.groups() if g is not None).strip(" ,.")
        s, e = claim.start + m.start(), claim.start + m.end()
        if not any(a <= s < b or s <= a < e for a, b in found):
            found[(s, e)] = Quoted(inner, s, e, None)
    return sorted((q for q in found.values() if not _is_title(q.text)), key=lambda q: q.start)


def quote_key(text: str) -> tuple[str, ...]:
    """A quotation's words for comparing wordings: lower case, one apostrophe, hyphenated words split
    ("decision-making" and "decision making" are one wording)."""
    return tuple(p for w in words(text) for p in w.lower().replace("’", "'").split("-") if p)


# -- event words near a date ----------------------------------------------------------------------------

EVENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "came into force",
        re.compile(
            r"(?:came|come|comes|entered|enter|enters|went|go|goes)\s+into\s+(?:force|effect)"
            r"|took effect|takes effect|in force|into force|effective",
            re.I,
        ),
    ),
    ("ratified", re.compile(r"\bratif(?:y|ied|ies|ication)\b", re.I)),
    ("signed", re.compile(r"\bsign(?:ed|ing|s)?\b|\bsignatory\b", re.I)),
    (
        "established",
        re.compile(r"\b(?:established|created|founded|introduced|imposed|adopted|enacted)\b", re.I),
    ),
    ("announced", re.compile(r"\bannounc(?:ed|es|ing)\b", re.I)),
    ("ended", re.compile(r"\b(?:ended|lifted|repealed|revoked|reversed|withdrew|withdrawn)\b", re.I)),
    (
        "started",
        re.compile(r"\b(?:started|began|broke out|erupted|caught fire|struck|happened|occurred)\b", re.I),
    ),
    ("said", re.compile(r"\b(?:said|says|told|stated|confirmed|reported)\b", re.I)),
    ("elected", re.compile(r"\belected\b", re.I)),
    ("born", re.compile(r"\bborn\b", re.I)),
    ("died", re.compile(r"\b(?:died|killed)\b", re.I)),
)
_EVENT_WINDOW = 40  # characters before a date searched for the event it dates


def event_of(claim: Claim, start: int) -> tuple[str, int, int] | None:
    """The event word nearest before article offset ``start`` in the claim: (event, start, end)."""
    lo = max(claim.start, start - _EVENT_WINDOW)
    window = claim.text[lo - claim.start : start - claim.start]
    best: tuple[str, int, int] | None = None
    for name, pattern in EVENTS:
        for m in pattern.finditer(window):
            if best is None or m.end() + lo > best[2]:
                best = (name, lo + m.start(), lo + m.end())
    return best
