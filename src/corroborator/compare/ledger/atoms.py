"""Atoms: the facts a claim states, each a span of it that another source can state too.

The typed facts are the anchors (figures, dates, names, quotes: :mod:`corroborator.text.facts`); clock
times ("around 7 a.m.") and details the typed facts do not carry ("cast-iron", "bottled water station")
are read here. A detail is a run of two or more content words; it is a fact only where another source
writes the same run (see :mod:`corroborator.compare.ledger.match`), so a claim's own details are never
listed as facts no one else states.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from corroborator.compare import cues
from corroborator.model import NUMERIC_KINDS, Claim, Fact
from corroborator.text import words as text_words

AtomKind = str  # figure | date | time | name | quote | detail

# Kinds of typed fact that are atoms, and the atom kind each becomes.
_ATOM_OF: dict[str, str] = {
    "number": "figure",
    "money": "figure",
    "percent": "figure",
    "duration": "figure",
    "date": "date",
    "period": "date",
    "person": "name",
    "organization": "name",
    "place": "name",
    "name": "name",
    "quote": "quote",
}
# Kinds a claim is counted by when its status is summarised (a detail is shared by definition).
COUNTED_KINDS: frozenset[str] = frozenset({"figure", "date", "time", "name", "quote"})

_TIME = re.compile(
    r"\b(?P<h>\d{1,2})(?:[:.](?P<m>\d\d))?\s*(?P<ap>a\.?\s?m\b\.?|p\.?\s?m\b\.?)|\b(?P<noon>noon|midday|midnight)\b",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’]*")
# A clause of a few words carries its details; "Mr", "said" and the like are never part of one.
_DETAIL_STOP = text_words.stopwords("en", "claims") | cues.wordset(
    "said says say told according added mr mrs ms dr also would could may might will new "
    # number words are figures (typed facts), never details
    "one two three four five six seven eight nine ten eleven twelve dozen dozens hundred hundreds thousand "
    "thousands million millions billion first second third"
)


@dataclass(frozen=True, slots=True)
class Atom:
    """One fact of one claim: ``key`` is what equality between sources is judged on (a name in lower
    case, a figure's unit class, a date's ISO span, a time in minutes, a detail's stems)."""

    claim: Claim
    kind: AtomKind
    key: str
    start: int
    end: int
    fact: Fact | None = None
    minutes: int | None = None  # a clock time, minutes after midnight

    @property
    def text(self) -> str:
        return self.claim.text[self.start - self.claim.start : self.end - self.claim.start]


def _looks_like_year(f: Fact) -> bool:
    return f.kind == "number" and not f.unit and f.number is not None and 1800 <= f.number <= 2100


def _name_key(text: str) -> str:
    low = " ".join(text.lower().replace("’", "'").split())
    low = re.sub(r"^(?:the|a|an)\s+", "", low)
    return re.sub(r"'s$", "", low)


def typed_atoms(claim: Claim) -> list[Atom]:
    """The claim's typed facts that are atoms: figures (not a bare year, not a bare number with nothing
    counted), dates, names and quotes."""
    out: list[Atom] = []
    for f in claim.facts:
        kind = _ATOM_OF.get(f.kind)
        if kind is None or not (claim.start <= f.start and f.end <= claim.end):
            continue
        if kind == "figure" and (f.number is None or _looks_like_year(f) or (f.kind == "number" and not f.unit)):
            continue
        if kind == "date" and not (f.earliest or f.latest):
            continue
        key = _name_key(f.norm or f.text) if kind in ("name", "quote") else f.norm
        out.append(Atom(claim, kind, key, f.start, f.end, fact=f))
    return out


def time_atoms(claim: Claim) -> list[Atom]:
    """Clock times: "7 a.m.", "5:30 p.m.", "midday"."""
    out = []
    for m in _TIME.finditer(claim.text):
        if m.group("noon"):
            minutes = 0 if m.group("noon").lower() == "midnight" else 12 * 60
        else:
            hour = int(m.group("h"))
            if not 1 <= hour <= 12:
                continue
            pm = m.group("ap").lower().startswith("p")
            minutes = (hour % 12 + (12 if pm else 0)) * 60 + int(m.group("m") or 0)
        start, end = claim.start + m.start(), claim.start + m.end()
        out.append(Atom(claim, "time", f"{minutes // 60:02d}:{minutes % 60:02d}", start, end, minutes=minutes))
    return out


def detail_tokens(claim: Claim) -> list[tuple[str, int, int]]:
    """(stem, start, end) of each content word, in order; ``""`` for a word that breaks a detail run
    (a stop word, a name's word, punctuation other than a hyphen between words)."""
    named = [(f.start, f.end) for f in claim.facts if _ATOM_OF.get(f.kind) in ("name", "quote")]
    out: list[tuple[str, int, int]] = []
    prev_end = None
    for m in _TOKEN.finditer(claim.text):
        start, end = claim.start + m.start(), claim.start + m.end()
        gap = claim.text[prev_end - claim.start : m.start()] if prev_end is not None else ""
        if gap.strip(" -") or "--" in gap:
            out.append(("", start, start))  # a comma or a full stop ends a run
        prev_end = end
        word = m.group().lower().rstrip("'’")
        inside_name = any(a <= start < b for a, b in named)
        if word in _DETAIL_STOP or len(word) < 3 or inside_name or (m.group()[0].isupper() and start > claim.start):
            out.append(("", start, end))
            continue
        out.append((text_words.stem(word, "en"), start, end))
    return out


@functools.lru_cache(maxsize=8192)
def detail_bigrams(claim: Claim) -> Mapping[tuple[str, str], tuple[int, int]]:
    """Each run of two content words in the claim, by their stems, with its span (the first occurrence).
    Once per claim (read-only result): the ledger asks for it for every related pair."""
    toks = detail_tokens(claim)
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for (s1, a, _), (s2, _, b) in itertools.pairwise(toks):
        if s1 and s2 and s1 != s2:
            out.setdefault((s1, s2), (a, b))
    return out


def claim_atoms(claim: Claim) -> list[Atom]:
    """The claim's typed atoms and clock times (details are found in pairs: see ``match``)."""
    return typed_atoms(claim) + time_atoms(claim)


def is_figure_kind(kind: str) -> bool:
    return kind in NUMERIC_KINDS or kind == "duration"
