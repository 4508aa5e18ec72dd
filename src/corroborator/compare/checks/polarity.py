"""Polarity: one report asserts what the other denies ("approved" / "did not approve", "raised" /
"left unchanged", "no injuries were reported" / "two firefighters were treated").

Finder: a strict negation of a verb the other claim asserts (near-paraphrases, the same speakers),
an antonym pair, or "no injuries/deaths" against reported ones; both claims negating different steps of
one scale ("never ratified" / "never signed") is a precision note. Link test: one claim denies a harm
the other asserts.
"""

from __future__ import annotations

import functools
import re

from corroborator.compare import cues
from corroborator.compare.checks.base import Check, Link, PairContext, register, side, table
from corroborator.compare.checks.referent import different_referents, same_subject, speakers_differ
from corroborator.model import Claim, Conflict, ConflictSide
from corroborator.settings import Settings

_SCALES: tuple[tuple[tuple[str, int], ...], ...] = tuple(
    tuple((prefix, level) for level, prefix in enumerate(scale["steps"], start=1))
    for scale in table("polarity")["scales"]
)
_ANTONYMS: tuple[tuple[str, str], ...] = tuple((pos, neg) for pos, neg in table("polarity")["antonyms"])


def _scale_step(head: str) -> tuple[int, int] | None:
    for i, scale in enumerate(_SCALES):
        for prefix, level in scale:
            if head.startswith(prefix):
                return (i, level)
    return None


def _has_stem(claim: Claim, prefix: str) -> tuple[int, int] | None:
    for m in re.finditer(r"[A-Za-z]+", claim.text):
        if cues.stem(m.group()).startswith(prefix) or m.group().lower().startswith(prefix):
            return (claim.start + m.start(), claim.start + m.end())
    return None


def _opposed(a: Claim, b: Claim, first: bool, this: ConflictSide, other: ConflictSide, why: str) -> Conflict:
    """A polarity conflict found reading the pair as (this, other); its sides always in (a, b) order."""
    sides = (this, other) if first else (other, this)
    return Conflict(kind="polarity", explanation=why, sides=sides, claims=(a.id, b.id))


def polarity_conflicts(
    a: Claim, b: Claim, link: Link, similarity: float, settings: Settings, ctx: PairContext | None = None
) -> list[Conflict]:
    out: list[Conflict] = []
    neg_a, neg_b = cues.negations(a), cues.negations(b)
    # Both negated, different steps of one scale: one report is just less precise.
    for x in neg_a:
        for y in neg_b:
            sx, sy = _scale_step(x.head), _scale_step(y.head)
            if sx and sy and sx[0] == sy[0] and sx[1] != sy[1] and _shares_topic(a, b, {x.head, y.head}):
                strong, weak = (x, y) if sx[1] < sy[1] else (y, x)
                strong_text = _span_text(a, b, strong)
                weak_text = _span_text(a, b, weak)
                out.append(
                    Conflict(
                        kind="polarity",
                        explanation=(
                            f"Not a contradiction: ‘{strong_text}’ implies ‘{weak_text}’; "
                            "one report is only less precise."
                        ),
                        sides=(
                            side(a, x.start, x.end, x.cue + " " + x.word),
                            side(b, y.start, y.end, y.cue + " " + y.word),
                        ),
                        claims=(a.id, b.id),
                        precision_only=True,
                    )
                )
                return out
    if link != "aligned" or similarity < POLARITY_MIN_SIMILARITY or speakers_differ(a, b):
        # Different parties' opposite positions ("X says it did not discriminate", "Y says it did")
        # are reported speech, not a contradiction between the reports.
        return out
    # One negates a verb the other asserts.
    for negs, this, other, first in ((neg_a, a, b, True), (neg_b, b, a, False)):
        other_negated = {n.head for n in (neg_b if first else neg_a)}
        for n in negs:
            if n.head in other_negated or len(n.head) < 4 or n.cue not in cues.STRICT_NEGATORS or not n.verbal:
                continue
            hit = _has_stem(other, n.head)
            if hit is None:
                continue
            asserted = other.text[hit[0] - other.start : hit[1] - other.start]
            if not (asserted.lower().endswith(("ed", "en")) or asserted.lower() == n.word.lower()):
                continue
            if any(m.start <= hit[0] <= m.end + 30 for m in cues.negations(other)):
                continue  # "not a concession" / "no normal concession": negated on both sides
            if not same_subject(this, n.start, other, hit[0]) or different_referents(this, other):
                continue  # "Collins will not vote" / "Murkowski will vote": two subjects, no contradiction
            step = _scale_step(n.head)
            out.append(
                _opposed(
                    a,
                    b,
                    first,
                    side(this, n.start, n.end, "not " + n.word),
                    side(other, hit[0], hit[1], n.head),
                    f"One report says ‘{this.text[n.start - this.start : n.end - this.start]}’, the other "
                    f"asserts ‘{other.text[hit[0] - other.start : hit[1] - other.start]}’."
                    + (" (a scale: check which step each means)" if step else ""),
                )
            )
            return out
    for pos, neg in _ANTONYMS:
        for this, other, first in ((a, b, True), (b, a, False)):
            if "as opposed" in this.text.lower() or "as opposed" in other.text.lower():
                continue  # "as opposed to" contrasts, it does not oppose
            hx, hy = _has_stem(this, pos), _has_stem(other, neg)
            if hx and hy and not _has_stem(other, pos) and not _has_stem(this, neg):
                if not same_subject(this, hx[0], other, hy[0]) or different_referents(this, other):
                    continue
                out.append(
                    _opposed(
                        a,
                        b,
                        first,
                        side(this, hx[0], hx[1], pos),
                        side(other, hy[0], hy[1], neg),
                        f"Opposite outcomes: ‘{this.text[hx[0] - this.start : hx[1] - this.start]}’ vs "
                        f"‘{other.text[hy[0] - other.start : hy[1] - other.start]}’.",
                    )
                )
                return out
    return out


# -- harm: "no injuries were reported" vs "two firefighters were treated" ---------------------------

_HARM_CLASSES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "injuries": (
        re.compile(
            r"\b(?:no (?:injuries|injury|one (?:was|were) (?:hurt|injured))|nobody (?:was )?(?:hurt|injured)|"
            r"no-one (?:was )?(?:hurt|injured)|without (?:injury|injuries)|no reports? of injur\w*|"
            r"no one (?:has been|had been) (?:hurt|injured))",
            re.IGNORECASE,
        ),
        re.compile(
            r"\b(?:were|was|been|are|is) (?:\w+ )?"
            r"(?:injured|hurt|wounded|hospitali[sz]ed|treated (?:at|for|in))"
            r"|\b(?:injuries|injured people|wounded)\b(?! were not)",
            re.IGNORECASE,
        ),
    ),
    "deaths": (
        re.compile(
            r"\b(?:no (?:deaths|fatalities|one (?:was|were) killed|one died)|nobody (?:was killed|died))",
            re.I,
        ),
        re.compile(r"\b(?:were|was|been) killed\b|\b(?:died|dead|deaths|fatalities)\b", re.I),
    ),
}


def harm_conflicts(
    a: Claim, b: Claim, link: Link, similarity: float, settings: Settings, ctx: PairContext | None = None
) -> list[Conflict]:
    """One report says nobody was hurt (or killed), the other that people were."""
    out: list[Conflict] = []
    for what, (none_re, some_re) in _HARM_CLASSES.items():
        for this, other, first in ((a, b, True), (b, a, False)):
            m_none = none_re.search(this.text)
            if m_none is None or none_re.search(other.text):
                continue
            m_some = some_re.search(other.text)
            if different_referents(this, other):
                continue  # harm at another place or on another day
            if m_some is None or (
                cues.negations(other)
                and any(n.start <= other.start + m_some.start() <= n.end for n in cues.negations(other))
            ):
                continue
            out.append(
                _opposed(
                    a,
                    b,
                    first,
                    side(this, this.start + m_none.start(), this.start + m_none.end(), f"no {what}"),
                    side(other, other.start, other.end, what),
                    f"One report says there were no {what} (‘{m_none.group()}’); "
                    f"the other reports some (‘{' '.join(other.text.split())}’).",
                )
            )
            return out
    return out


POLARITY_MIN_SIMILARITY = 0.6


def _span_text(a: Claim, b: Claim, n: cues.Negated) -> str:
    for c in (a, b):
        if c.start <= n.start and n.end <= c.end:
            return c.text[n.start - c.start : n.end - c.start]
    return n.head


def _shares_topic(a: Claim, b: Claim, ignore: set[str]) -> bool:
    shared = cues.content_stems(a.text) & cues.content_stems(b.text)
    return bool(shared - ignore)


@functools.lru_cache(maxsize=8192)
def harm_flags(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(harm classes the text denies, harm classes it asserts). Cached: the link test asks it for every
    claim pair, so each claim's text would otherwise be searched once per claim of the other article."""
    denies = frozenset(k for k, (none_re, _) in _HARM_CLASSES.items() if none_re.search(text))
    asserts = frozenset(k for k, (_, some_re) in _HARM_CLASSES.items() if some_re.search(text)) - denies
    return denies, asserts


def _linked(a: Claim, b: Claim, ctx: PairContext) -> bool:
    (deny_a, assert_a), (deny_b, assert_b) = harm_flags(a.text), harm_flags(b.text)
    return bool(deny_a & assert_b) or bool(assert_a & deny_b)


def find(a: Claim, b: Claim, link: Link, similarity: float, settings: Settings, ctx: PairContext) -> list[Conflict]:
    return polarity_conflicts(a, b, link, similarity, settings) + harm_conflicts(a, b, link, similarity, settings)


CHECK = register(Check("polarity", find, _linked))
