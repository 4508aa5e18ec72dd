"""Which atoms of two sources state one fact.

Names and quotes are matched wherever they are (a person named, a quote given, is one fact of the
story whatever sentence holds it). Figures, dates, times and details are matched only between related
claims (aligned, or close in meaning: ``RELATED_COSINE``), since "Friday" or "7" in two unrelated
sentences are two facts. Values written differently agree when they are consistent: equal, the same
figure at another precision (:func:`~corroborator.compare.checks.number.numbers_agree`), overlapping
calendar spans, an age against a decade ("the 60-year-old pipe" in 2026 and "laid in the 1960s").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from corroborator.compare.checks.number import numbers_agree, unit_class
from corroborator.compare.ledger.atoms import Atom, detail_bigrams
from corroborator.model import Claim

# Cosine of the sentence encoder from which two claims of two sources are taken to speak of one matter:
# chosen on the Dunmere example (the cast-iron pipe 0.52, the bottled water station 0.47; unrelated
# sentences of the story 0.1-0.3) before any labelled story was read.
RELATED_COSINE = 0.4
# A run of two content words written by both is itself evidence of one matter: a lower bar (the bottled
# water station at the market hall, 0.38, on the same example).
DETAIL_COSINE = 0.3
# Share of the shorter quote's words the other must hold ("crews will work through the night" trimmed).
QUOTE_OVERLAP = 0.6
_AGE_UNITS = frozenset({"years old", "year old", "year-old", "years-old"})


@dataclass(frozen=True, slots=True)
class Match:
    a: Atom
    b: Atom
    agreement: str  # "same" | "about" (one less precise) | "consistent" (an age and a decade, a day and a date)
    note: str = ""


def _quote_words(key: str) -> set[str]:
    return {w for w in key.split() if len(w) > 2}


_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def _person_tokens(key: str) -> list[str]:
    return [t for t in key.replace(",", " ").split() if t not in _SUFFIXES]


def names_match(a: Atom, b: Atom) -> bool:
    """One name; for a person, one the end of the other ("Wole" and "Anita Wole"; not "Street" and "Mill
    Street"), or the same first and last names around a middle name or a suffix ("Robert Lee Strong" and
    "Robert Strong III")."""
    if a.key == b.key:
        return True
    if a.fact is None or b.fact is None or "person" not in (a.fact.kind, b.fact.kind):
        return False
    short, long = sorted((a.key, b.key), key=len)
    if len(short) >= 4 and long.endswith(" " + short):
        return True
    ta, tb = _person_tokens(a.key), _person_tokens(b.key)
    return len(ta) >= 2 and len(tb) >= 2 and ta[0] == tb[0] and ta[-1] == tb[-1]


def quotes_match(a: Atom, b: Atom) -> bool:
    wa, wb = _quote_words(a.key), _quote_words(b.key)
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= QUOTE_OVERLAP


def _years(atom: Atom) -> tuple[int, int] | None:
    f = atom.fact
    if f is None or not f.earliest:
        return None
    return int(f.earliest[:4]), int((f.latest or f.earliest)[:4])


def _age_against_years(age: Atom, dated: Atom, year: int | None) -> str | None:
    f = age.fact
    span = _years(dated)
    if f is None or year is None or span is None or f.number is None:
        return None
    if (f.unit or "").lower() not in _AGE_UNITS:
        return None
    born = year - int(f.number)
    if span[0] - 1 <= born <= span[1] + 1:
        return f"{age.text!r} in {year} and {dated.text!r} agree"
    return None


def values_agree(a: Atom, b: Atom, years: Mapping[str, int | None], tolerance: float) -> Match | None:
    """The match of two atoms of related claims, or None when they state different things."""
    if a.kind == "time" and b.kind == "time" and a.minutes is not None and b.minutes is not None:
        return Match(a, b, "same") if abs(a.minutes - b.minutes) <= 30 else None
    if a.kind == "date" and b.kind == "date":
        sa, sb = a.fact, b.fact
        if sa is None or sb is None or not sa.earliest or not sb.earliest:
            return None
        if sa.earliest <= (sb.latest or sb.earliest) and sb.earliest <= (sa.latest or sa.earliest):
            same = (sa.earliest, sa.latest) == (sb.earliest, sb.latest)
            return Match(a, b, "same" if same else "consistent", "" if same else f"{a.text!r} and {b.text!r} agree")
        return None
    if a.kind == "figure" and b.kind == "figure" and a.fact is not None and b.fact is not None:
        if unit_class(a.fact) != unit_class(b.fact) or not unit_class(a.fact)[1]:
            return None
        agreement = numbers_agree(a.fact, b.fact, tolerance)
        if agreement == "different":
            return None
        return Match(a, b, "same" if agreement == "same" else "about")
    for age, dated in ((a, b), (b, a)):
        if age.kind == "figure" and dated.kind == "date":
            note = _age_against_years(age, dated, years.get(age.claim.article_id) or years.get(dated.claim.article_id))
            if note:
                return Match(a, b, "consistent", note)
    return None


def shared_details(a: Claim, b: Claim) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
    """Runs of content words two related claims both write ("cast-iron", "bottled water station"): the
    span in each and the stems, adjacent shared pairs merged into one run."""
    ba, bb = detail_bigrams(a), detail_bigrams(b)
    shared = sorted((ba[k], bb[k], k) for k in ba.keys() & bb.keys())
    runs: list[tuple[tuple[int, int], tuple[int, int], str]] = []
    for sa, sb, k in shared:
        if runs and sa[0] <= runs[-1][0][1] and sb[0] <= runs[-1][1][1]:
            (pa, pb, key) = runs[-1]
            runs[-1] = ((pa[0], max(pa[1], sa[1])), (pb[0], max(pb[1], sb[1])), key + " " + k[1])
        else:
            runs.append((sa, sb, " ".join(k)))
    return runs
