"""Numbers: two reports give different figures for the same thing ("340 residents" vs "430 people").

Finder: figures of one unit class (people, homes, percent, money...) that count the same thing (shared
words around them) and differ beyond rounding. A difference of precision is a note, not a contradiction:
"about 2,000" vs "1,950" (within ``number_tolerance`` of an approximate figure) and "1,200" vs "1,234"
(a rounding within the same tolerance). Link test: two claims give a figure of one unit for one thing.
"""

from __future__ import annotations

from typing import Literal

from corroborator.compare import cues
from corroborator.compare.checks.base import Check, Link, PairContext, fact_text, register, side, table, words
from corroborator.compare.checks.referent import different_referents, one_sided
from corroborator.model import NUMERIC_KINDS, Claim, Conflict, Fact
from corroborator.settings import Settings


def _significant_round(value: float) -> int:
    """Decimal places a round number was given at: 1200 -> -2, 118 -> 0, 2.5 -> 1."""
    if value == 0:
        return 0
    if value != int(value):
        s = repr(value).rstrip("0")
        return len(s.split(".")[1]) if "." in s else 0
    digits = str(int(abs(value)))
    return -(len(digits) - len(digits.rstrip("0")))


Agreement = Literal["same", "about", "rounded", "different"]


def numbers_agree(a: Fact, b: Fact, tolerance: float) -> Agreement:
    """How two figures compare: equal ("same"); within ``tolerance`` (relative) of an approximate one
    ("about 2,000" vs "1,950"); the round one a rounding of the other within ``tolerance`` ("1,200" vs
    "1,234", but not "10" vs "14", which no reader takes for rounding); else "different"."""
    x, y = a.number, b.number
    if x is None or y is None:
        return "same"
    if abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y)):
        return "same"
    rel = abs(x - y) / max(abs(x), abs(y))
    if (a.approximate or b.approximate) and rel <= tolerance:
        return "about"
    if rel <= tolerance:
        for rough, exact in ((x, y), (y, x)):
            places = _significant_round(rough)
            if places < 0 and round(exact, places) == rough:
                return "rounded"
    return "different"


# Count nouns that name the same thing in news copy ("340 residents" vs "430 people").
_UNIT_CLASSES: dict[str, str] = {k: v for k, v in table("number")["unit_classes"].items() if not k.startswith("_")}


def unit_class(f: Fact) -> tuple[str, str]:
    """A figure's kind and the class of what it counts ("households" and "homes" are one class)."""
    unit = (f.unit or "").lower().strip()
    unit = unit.split()[-1] if unit else ""
    unit = unit.rstrip("s") if not unit.endswith("ss") else unit
    return (f.kind, _UNIT_CLASSES.get(unit, unit))


def _looks_like_year(f: Fact) -> bool:
    return f.kind == "number" and not f.unit and f.number is not None and 1800 <= f.number <= 2100


_CONTEXT_WORDS = 6
_MEASURE_WORDS = words("number", "measure_words")
_DATE_WORDS = words("date", "date_words")


def number_context(claim: Claim, f: Fact) -> set[str]:
    """Content stems within a few words either side of a figure: what the figure counts or measures
    ("340 residents [forced from their homes]" and "430 people [were evacuated from their homes]")."""
    before = cues.words(claim.text[: max(0, f.start - claim.start)])[-_CONTEXT_WORDS:]
    after = cues.words(claim.text[max(0, f.end - claim.start) :])[:_CONTEXT_WORDS]
    unit = cues.stem(f.unit or "")
    return {
        cues.stem(w)
        for w in (*before, *after)
        if w.islower()
        and w not in cues.STOPWORDS
        and w not in _MEASURE_WORDS
        and w not in _DATE_WORDS
        and not w[0].isdigit()
        and len(w) > 2
        and cues.stem(w) != unit
    }


def numeric_facts(claim: Claim) -> list[Fact]:
    return [f for f in claim.facts if f.kind in NUMERIC_KINDS and f.number is not None and not _looks_like_year(f)]


def numbers_linked(a: Claim, b: Claim) -> bool:
    """Two claims give a figure of the same unit for the same thing (shared words around the figures)."""
    for x in numeric_facts(a):
        for y in numeric_facts(b):
            if unit_class(x) == unit_class(y) and unit_class(x)[1] and number_context(a, x) & number_context(b, y):
                return True
    return False


# Judge similarity from which two claims are near-paraphrases: a place or day named on one side only is
# then taken as detail the other left out, not as another referent.
NEAR_PARAPHRASE = 0.8


def number_conflicts(
    a: Claim, b: Claim, link: Link, similarity: float, settings: Settings, ctx: PairContext | None = None
) -> list[Conflict]:
    fa = numeric_facts(a)
    fb = numeric_facts(b)
    out: list[Conflict] = []
    for unit in {unit_class(f) for f in fa} & {unit_class(f) for f in fb}:
        # A bare count ("three") is only compared in claims that say the same thing.
        if not unit[1] and (similarity < 0.8 or link != "aligned"):
            continue
        xa = [f for f in fa if unit_class(f) == unit]
        xb = [f for f in fb if unit_class(f) == unit]
        # Only figures that count the same thing (two shared words around them) are compared, one
        # shared word being enough for the single figures of two paraphrases.
        need = 1 if link == "aligned" and similarity >= 0.8 and len(xa) == len(xb) == 1 else 2
        counted_a = [x for x in xa if any(len(number_context(a, x) & number_context(b, y)) >= need for y in xb)]
        counted_b = [y for y in xb if any(len(number_context(a, x) & number_context(b, y)) >= need for x in counted_a)]
        if not counted_a or not counted_b:
            out.extend(_precision_note(a, b, xa, xb, unit, settings))
            continue
        xa, xb = counted_a, counted_b
        verdicts = {(id(x), id(y)): numbers_agree(x, y, settings.number_tolerance) for x in xa for y in xb}
        if any(v == "same" for v in verdicts.values()) and (len(xa) == 1 or len(xb) == 1):
            continue
        unmatched_a = [x for x in xa if all(verdicts[(id(x), id(y))] != "same" for y in xb)]
        unmatched_b = [y for y in xb if all(verdicts[(id(x), id(y))] != "same" for x in xa)]
        if not unmatched_a or not unmatched_b:
            continue
        x, y = unmatched_a[0], unmatched_b[0]
        if x.number and y.number and max(x.number, y.number) / max(1e-9, min(x.number, y.number)) >= 10:
            continue  # an order of magnitude apart: a different quantity ("$700 billion" vs "$600" each)
        verdict = verdicts[(id(x), id(y))]
        rounded = verdict in ("rounded", "about")
        if not rounded and (
            different_referents(a, b, x, y)
            or (one_sided(a, b, x, y) and (link != "aligned" or similarity < NEAR_PARAPHRASE))
        ):
            continue  # another place, day or source: another count, not a different figure for one
        what = f" ({unit[1]})" if unit[1] else ""
        if verdict == "about":
            explanation = (
                f"{fact_text(a, x)} and {fact_text(b, y)}{what} agree: one figure is approximate, the other "
                "is within what “about” allows; one report is only less precise."
            )
        elif rounded:
            explanation = f"{x.norm} and {y.norm}{what} differ only by rounding: one is less precise."
        else:
            explanation = f"Different figures for the same thing{what}: {x.norm} vs {y.norm}."
        out.append(
            Conflict(
                kind="number",
                explanation=explanation,
                sides=(side(a, x.start, x.end, x.norm), side(b, y.start, y.end, y.norm)),
                claims=(a.id, b.id),
                precision_only=rounded,
            )
        )
    return out


def _precision_note(
    a: Claim, b: Claim, xa: list[Fact], xb: list[Fact], unit: tuple[str, str], settings: Settings
) -> list[Conflict]:
    """One figure of a counted thing each ("About 2,000 homes", "1,950 households"), no words around
    them in common, and one only a less precise form of the other: worth a note (a coincidence of two
    counts of one unit this close is rarer than two ways of wording one count), never a contradiction."""
    if unit[0] != "number" or not unit[1] or len(xa) != 1 or len(xb) != 1:
        return []
    x, y = xa[0], xb[0]
    verdict = numbers_agree(x, y, settings.number_tolerance)
    if verdict not in ("about", "rounded"):
        return []
    return [
        Conflict(
            kind="number",
            explanation=(
                f"{fact_text(a, x)} and {fact_text(b, y)} ({unit[1]}) agree: one report is only less precise."
            ),
            sides=(side(a, x.start, x.end, x.norm), side(b, y.start, y.end, y.norm)),
            claims=(a.id, b.id),
            precision_only=True,
        )
    ]


def _linked(a: Claim, b: Claim, ctx: PairContext) -> bool:
    return bool(numeric_facts(a)) and bool(numeric_facts(b)) and numbers_linked(a, b)


CHECK = register(Check("number", number_conflicts, _linked))
