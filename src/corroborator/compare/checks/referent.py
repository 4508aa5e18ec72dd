"""Same referent: two claims disagree about a value only when they talk about the same thing.

Read by hand over real article pairs, most typed conflicts a naive comparison reports are two
different things that look alike: a state of emergency in 3 New Jersey counties and in 12 Maryland ones,
top winds at landfall and at noon, two polls, "not vote" said of one senator and "vote" of another. A
typed conflict is reported only when nothing in the two claims says they are about different things:

- **qualifiers** (:func:`qualifiers`): the places, dated days or years and credited sources of each claim
  (the differing fact itself left out). When both claims name qualifiers of one sort and none is shared,
  the claims are about different referents (two places, two time frames, two pollsters);
- **subjects** (:func:`subject_before`): for a polarity difference, who or what the negated verb is said
  of ("Collins will not vote" / "Murkowski will vote");
- **places** (:func:`place_clash`): two place names clash only at one level of the gazetteer
  (``data/conflicts/places.json``: countries, US states): a city against the state or country that may
  contain it, or a city against another unknown name, is no clash.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from corroborator.compare import cues
from corroborator.compare.checks.base import table
from corroborator.model import Claim, Fact

_PLACE_KINDS = ("place",)
_SOURCE_WORDS = re.compile(
    r"\b(?:poll|survey|study|report|analysis|estimate|estimates|census|count|tally|data|figures)\b", re.I
)


@cache
def _gazetteer() -> dict[str, str]:
    """Lower-cased place name -> its level ("country", "us-state") and canonical name, as "level:name"."""
    data = table("places")
    out: dict[str, str] = {}
    for level in ("countries", "us_states"):
        for entry in data[level]:
            names = entry.split("|")
            for n in names:
                out[n.lower()] = f"{level}:{names[0].lower()}"
    return out


def place_level(name: str) -> str | None:
    return _gazetteer().get(name.lower().strip(" .").removeprefix("the "))


def place_clash(x: str, y: str) -> bool:
    """Two place names that cannot be one place: both known, at one level, and different."""
    lx, ly = place_level(x), place_level(y)
    if lx is None or ly is None:
        return False
    return lx.split(":")[0] == ly.split(":")[0] and lx != ly


def _norm(f: Fact) -> str:
    return (f.norm or f.text).lower().strip()


def _outside(facts: Iterable[Fact], skip: Fact | None) -> list[Fact]:
    return [f for f in facts if skip is None or not (f.start < skip.end and skip.start < f.end)]


def qualifiers(claim: Claim, skip: Fact | None = None) -> dict[str, set[str]]:
    """What a claim's statement is qualified by: places, dated days/years, credited sources."""
    facts = _outside(claim.facts, skip)
    places = {_norm(f) for f in facts if f.kind in _PLACE_KINDS}
    dates: set[str] = set()
    for f in facts:
        if f.kind == "date" and f.earliest and f.latest and f.earliest == f.latest:
            dates.add(f.earliest)
        elif f.kind == "date" and f.earliest and f.latest and f.earliest[:4] == f.latest[:4]:
            dates.add(f.earliest[:4])
    sources = {
        sp.name.lower() for sp in cues.speakers(claim) if sp.name.lower() not in ("he", "she", "they", "it", "we", "i")
    }
    if _SOURCE_WORDS.search(claim.text):
        sources |= {_norm(f) for f in facts if f.kind == "organization"}
    return {"place": places, "date": dates, "source": sources}


def _dates_overlap(xs: set[str], ys: set[str]) -> bool:
    return any(x.startswith(y) or y.startswith(x) for x in xs for y in ys)


def _may_be_one(x: str, y: str) -> bool:
    """Two names may name one thing: equal, sharing a word, or a place and another that may contain it
    (a known country or state against an unknown name, a country against a state)."""
    if x == y or cues.same_speaker(x, y):
        return True
    lx, ly = place_level(x), place_level(y)
    if (lx is None) != (ly is None):
        return True
    return lx is not None and ly is not None and lx.split(":")[0] != ly.split(":")[0]


def _names_overlap(xs: set[str], ys: set[str]) -> bool:
    return any(_may_be_one(x, y) for x in xs for y in ys)


def different_referents(a: Claim, b: Claim, fa: Fact | None = None, fb: Fact | None = None) -> str | None:
    """Why two claims are about different things (a qualifier of one sort on each side, none shared),
    or None when nothing says so. ``fa``/``fb`` are the differing facts, left out of the qualifiers."""
    qa, qb = qualifiers(a, fa), qualifiers(b, fb)
    if qa["place"] and qb["place"] and not _names_overlap(qa["place"], qb["place"]):
        return "place"
    if qa["date"] and qb["date"] and not _dates_overlap(qa["date"], qb["date"]):
        return "date"
    if qa["source"] and qb["source"] and not _names_overlap(qa["source"], qb["source"]):
        return "source"
    return None


def one_sided(a: Claim, b: Claim, fa: Fact | None = None, fb: Fact | None = None) -> bool:
    """One claim qualifies its statement by a place or a day the other does not name at all: unless the
    claims are near-paraphrases, their figures may well count different things."""
    qa, qb = qualifiers(a, fa), qualifiers(b, fb)
    return any(bool(qa[kind]) != bool(qb[kind]) for kind in ("place", "date"))


_SUBJECT_STOP = cues.wordset("the a an this that these those it its their his her and or but also")


def subject_before(claim: Claim, at: int) -> set[str]:
    """Content words of who or what a verb at article offset ``at`` is said of: the named people and
    organisations, else the nouns, in the clause before it (lower-cased stems)."""
    lo = claim.start
    window = claim.text[: max(0, at - claim.start)]
    cut = max(window.rfind(c) for c in ",;:(—")
    if cut >= 0:
        lo = claim.start + cut + 1
        window = window[cut + 1 :]
    names = [f for f in claim.facts if f.kind in ("person", "organization") and lo <= f.start < at]
    if names:
        return {cues.stem(w) for f in names for w in cues.words(f.norm or f.text) if w.lower() not in _SUBJECT_STOP}
    return {
        cues.stem(w)
        for w in cues.words(window)[-4:]
        if w.lower() not in cues.STOPWORDS and w.lower() not in _SUBJECT_STOP and not w[0].isdigit()
    }


def same_subject(a: Claim, at_a: int, b: Claim, at_b: int) -> bool:
    """The verbs at ``at_a`` and ``at_b`` are said of the same subject (or neither claim names one)."""
    sa, sb = subject_before(a, at_a), subject_before(b, at_b)
    if not sa or not sb:
        return True
    return bool(sa & sb)


# Share of content words (names left out) two claims must share to be one statement told of two
# people: below it, two different people are quoted saying different things.
SAME_STATEMENT = 0.5


def same_statement(a: Claim, fa: Fact, b: Claim, fb: Fact) -> bool:
    """Claims ``a`` and ``b`` make one statement once the people ``fa`` and ``fb`` are left out; only
    asked when one of them is a speaker (two people quoted saying different things look alike)."""
    if not (_speaks(a, fa) or _speaks(b, fb)):
        return True

    def rest(c: Claim, f: Fact) -> set[str]:
        text = c.text[: max(0, f.start - c.start)] + " " + c.text[max(0, f.end - c.start) :]
        names = {w.lower() for x in c.facts if x.kind == "person" for w in cues.words(x.norm or x.text)}
        return {w for w in cues.content_stems(text) if w.lower() not in names}

    ra, rb = rest(a, fa), rest(b, fb)
    return bool(ra and rb) and len(ra & rb) / len(ra | rb) >= SAME_STATEMENT


def speakers_differ(a: Claim, b: Claim) -> bool:
    """Both claims credit someone, and nobody in common: two parties' statements, not one told twice."""
    sa, sb = cues.speakers(a), cues.speakers(b)
    if not sa or not sb:
        return False
    return not any(cues.same_speaker(x.name, y.name) for x in sa for y in sb)


def _speaks(claim: Claim, person: Fact) -> bool:
    name = (person.norm or person.text).lower()
    return any(cues.same_speaker(sp.name.lower(), name) for sp in cues.speakers(claim))
