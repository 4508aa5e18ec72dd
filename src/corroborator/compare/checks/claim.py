"""Claim: the entailment model reads two aligned claims and says they state opposite things.

The string rules above see only the disagreements they anticipate, and their guards (a different verb
before two dates, a speaker named on one side) drop real ones. Here the entailment model
(:mod:`corroborator.entail`) judges every aligned candidate pair in both directions:

- a confident **contradiction** with a typed fact that differs (a figure, a date, a name, a negation)
  becomes a conflict of that fact's kind, even where the rule's guards would drop it. The differing fact
  is checked the way the model was trained (pairs that differ in one fact): the pair is judged again with
  one side's fact put into the other; when the contradiction goes, that fact was its cause;
- a very confident contradiction with no typed difference becomes a conflict of kind ``claim``: "the
  reports state opposite things";
- a difference of precision stays a note ("about 2,000" vs "1,950"), whatever the model says;
- **entailment** is corroboration, even where the cosine-based pair judge says only "overlap" or
  nothing: both directions make the pair "same", one direction (one report states all the other does,
  and more) "overlap".

The model runs only on the candidate pairs alignment proposes; its name is recorded on the alignments
and conflicts it decides. Thresholds are settings (``compare_*``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from corroborator.compare import cues
from corroborator.compare.checks.base import Check, Link, PairContext, register, side
from corroborator.compare.checks.date import _DEICTIC, _YEAR, _date_range, _disjoint, _grain
from corroborator.compare.checks.entity import _names_match
from corroborator.compare.checks.number import numbers_agree, numeric_facts, unit_class
from corroborator.compare.checks.polarity import polarity_conflicts
from corroborator.compare.checks.referent import different_referents, place_clash, same_statement, speakers_differ
from corroborator.entail import EntailmentModel
from corroborator.model import Claim, Conflict, Fact
from corroborator.settings import Settings


@dataclass(frozen=True, slots=True)
class Verdict:
    """The model on one claim pair, both directions: ``entail`` the smaller entailment (each side
    entails the other), ``entail_one`` the larger (one side states all the other does), ``contradict``
    the mean contradiction."""

    entail: float
    contradict: float
    entail_one: float = 0.0


def judge(model: EntailmentModel, pairs: Sequence[tuple[str, str]]) -> list[Verdict]:
    if not pairs:
        return []
    probs = model.predict([*pairs, *((b, a) for a, b in pairs)])
    n = len(pairs)
    fwd, bwd = probs[:n], probs[n:]
    entail = np.minimum(fwd[:, 0], bwd[:, 0])
    entail_one = np.maximum(fwd[:, 0], bwd[:, 0])
    contradict = (fwd[:, 2] + bwd[:, 2]) / 2
    return [Verdict(float(e), float(c), float(e1)) for e, c, e1 in zip(entail, contradict, entail_one, strict=True)]


@dataclass(frozen=True, slots=True)
class Difference:
    """A typed fact that differs between two claims; ``swap`` is claim b with a's fact put in place of
    b's (None when the fact cannot be swapped, e.g. a negation)."""

    conflict: Conflict
    swap: str | None


_NAME_KINDS = ("person", "place", "organization")
_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)
_MONTH = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december)\b", re.IGNORECASE
)


def _swapped(b: Claim, y: Fact, text: str) -> str:
    s, e = max(y.start, b.start) - b.start, min(y.end, b.end) - b.start
    return b.text[:s] + text + b.text[e:]


def _text(c: Claim, f: Fact) -> str:
    return c.text[max(f.start, c.start) - c.start : min(f.end, c.end) - c.start]


def _number_difference(a: Claim, b: Claim, settings: Settings) -> Difference | None:
    na, nb = numeric_facts(a), numeric_facts(b)
    for x in na:
        if any(numbers_agree(x, y, settings.number_tolerance) == "same" for y in nb):
            continue
        for y in nb:
            if unit_class(x) != unit_class(y) or any(
                numbers_agree(z, y, settings.number_tolerance) == "same" for z in na
            ):
                continue
            verdict = numbers_agree(x, y, settings.number_tolerance)
            if verdict == "same" or different_referents(a, b, x, y):
                continue
            what = f" ({unit_class(x)[1]})" if unit_class(x)[1] else ""
            precision = verdict in ("about", "rounded")
            explanation = (
                f"{_text(a, x)} and {_text(b, y)}{what}: one figure is only less precise."
                if precision
                else f"Different figures for the same thing{what}: {x.norm} vs {y.norm}."
            )
            conflict = Conflict(
                kind="number",
                explanation=explanation,
                sides=(side(a, x.start, x.end, x.norm), side(b, y.start, y.end, y.norm)),
                claims=(a.id, b.id),
                precision_only=precision,
            )
            return Difference(conflict, None if precision else _swapped(b, y, _text(a, x)))
    return None


def _date_key(c: Claim, f: Fact) -> str:
    """What a date names when it cannot be resolved to the calendar: its weekday or month word, else its text."""
    text = _text(c, f)
    m = _WEEKDAY.search(text) or _MONTH.search(text)
    return (m.group(1) if m else text).lower()


def _dated(c: Claim, f: Fact) -> bool:
    """A date that names a day, month or year (not "this afternoon", "today": the report's own present)."""
    text = _text(c, f)
    if _DEICTIC.match(text):
        return False
    return bool(_WEEKDAY.search(text) or _MONTH.search(text) or _YEAR.search(text))


def _date_difference(a: Claim, b: Claim) -> Difference | None:
    da = [f for f in a.facts if f.kind == "date" and _dated(a, f)]
    db = [f for f in b.facts if f.kind == "date" and _dated(b, f)]
    keys_a, keys_b = {_date_key(a, x) for x in da}, {_date_key(b, y) for y in db}
    for x in da:
        if _date_key(a, x) in keys_b:
            continue
        for y in db:
            if _date_key(b, y) in keys_a:
                continue
            if different_referents(a, b, x, y):
                continue
            rx, ry = _date_range(x), _date_range(y)
            if rx is not None and ry is not None:
                if not _disjoint(rx, ry):
                    continue  # one contains the other: the rule's precision note covers it
                if _grain(rx) != _grain(ry):
                    continue
            conflict = Conflict(
                kind="date",
                explanation=(
                    f"Different dates for what the reports otherwise state alike: {_text(a, x)} vs {_text(b, y)}."
                ),
                sides=(side(a, x.start, x.end, x.norm), side(b, y.start, y.end, y.norm)),
                claims=(a.id, b.id),
            )
            return Difference(conflict, _swapped(b, y, _text(a, x)))
    return None


def _entity_difference(a: Claim, b: Claim) -> Difference | None:
    for kind in _NAME_KINDS:
        na = [f for f in a.facts if f.kind == kind]
        nb = [f for f in b.facts if f.kind == kind]
        only_a = [
            x
            for x in na
            if (x.norm or x.text).lower() not in b.text.lower()
            and not any(_names_match((x.norm or x.text).lower(), (y.norm or y.text).lower()) for y in nb)
        ]
        only_b = [
            y
            for y in nb
            if (y.norm or y.text).lower() not in a.text.lower()
            and not any(_names_match((x.norm or x.text).lower(), (y.norm or y.text).lower()) for x in na)
        ]
        if only_a and only_b:
            x, y = only_a[0], only_b[0]
            if kind == "place" and not place_clash(x.norm or x.text, y.norm or y.text):
                continue
            if kind == "person" and not same_statement(a, x, b, y):
                continue
            label = "speaker or person" if kind == "person" else kind
            conflict = Conflict(
                kind="entity",
                explanation=f"A different {label} in what the reports otherwise state alike: {x.norm} vs {y.norm}.",
                sides=(side(a, x.start, x.end, x.norm), side(b, y.start, y.end, y.norm)),
                claims=(a.id, b.id),
            )
            return Difference(conflict, _swapped(b, y, _text(a, x)))
    return None


# Words of a party's position: where two claims credit different speakers and use them, they report
# the two sides of a dispute ("X said the report was not accurate" / "Y maintained it was accurate").
_CAMP_WORDS = re.compile(
    r"\b(?:accurate|inaccurate|true|false|maintain\w*|insist\w*|den(?:y|ies|ied)|disput\w*|stand by|wrong)\b", re.I
)


def _polarity_difference(a: Claim, b: Claim, settings: Settings) -> Difference | None:
    if speakers_differ(a, b) and _CAMP_WORDS.search(a.text + " " + b.text):
        return None  # two parties' opposite positions are reported speech, not the reports contradicting
    found = [c for c in polarity_conflicts(a, b, "aligned", 1.0, settings) if not c.precision_only]
    if found:
        return Difference(found[0], None)
    # A negation on one side only, of a verb both share ("was charged" / "was not charged").
    strict_a = [n for n in cues.negations(a) if n.cue in cues.STRICT_NEGATORS]
    strict_b = [n for n in cues.negations(b) if n.cue in cues.STRICT_NEGATORS]
    heads_a, heads_b = {n.head for n in strict_a}, {n.head for n in strict_b}
    stems_a, stems_b = cues.content_stems(a.text), cues.content_stems(b.text)
    for negs, this, other_heads, other_stems, first in (
        (strict_a, a, heads_b, stems_b, True),
        (strict_b, b, heads_a, stems_a, False),
    ):
        for n in negs:
            if n.head in other_heads or n.head not in other_stems:
                continue
            other = b if first else a
            at = next(
                (m for m in re.finditer(r"[A-Za-z]+", other.text) if cues.stem(m.group()) == n.head),
                None,
            )
            if at is None:
                continue
            if any(m.start <= other.start + at.start() <= m.end + 30 for m in cues.negations(other)):
                continue  # negated on both sides ("not a concession" / "no normal concession")
            sides = (
                side(this, n.start, n.end, "not " + n.word),
                side(other, other.start + at.start(), other.start + at.end(), n.word),
            )
            conflict = Conflict(
                kind="polarity",
                explanation=(
                    f"One report says ‘{this.text[n.start - this.start : n.end - this.start]}’, "
                    f"the other asserts ‘{at.group()}’."
                ),
                sides=sides if first else (sides[1], sides[0]),
                claims=(a.id, b.id),
            )
            return Difference(conflict, None)
    return None


def differences(a: Claim, b: Claim, settings: Settings) -> list[Difference]:
    """Typed facts that differ between two claims, without the rules' guards (the model has already
    said the claims contradict each other; these say where)."""
    out = []
    for found in (
        _number_difference(a, b, settings),
        _date_difference(a, b),
        _entity_difference(a, b),
        _polarity_difference(a, b, settings),
    ):
        if found is not None:
            out.append(found)
    return out


def _with_model(c: Conflict, model: str, p: float) -> Conflict:
    return Conflict(
        kind=c.kind,
        explanation=f"{c.explanation} (entailment model {model}: contradiction {p:.2f})",
        sides=c.sides,
        claims=c.claims,
        precision_only=c.precision_only,
        model=model,
    )


@dataclass(frozen=True, slots=True)
class Decision:
    """What the model decided on one pair: conflicts to add, and the relation it supports ("same" for
    mutual entailment, "overlap" when one side states all the other does, else None: leave the judge's
    relation)."""

    conflicts: tuple[Conflict, ...]
    relation: str | None


def decide(
    model: EntailmentModel,
    pairs: Sequence[tuple[Claim, Claim]],
    verdicts: Sequence[Verdict],
    claimable: Sequence[bool],
    settings: Settings,
) -> list[Decision]:
    """Conflicts and relations from the model's verdicts on ``pairs``. ``claimable`` says which pairs
    the pair judge aligned: only those may become a ``claim`` conflict (a typed difference carries its
    own evidence, so a topical pair may become a typed one)."""
    pending: list[tuple[int, Difference]] = []
    out: list[Decision | None] = [None] * len(pairs)
    for k, ((a, b), v) in enumerate(zip(pairs, verdicts, strict=True)):
        relation = (
            "same"
            if v.entail >= settings.compare_agreement
            else "overlap"
            if v.entail_one >= settings.compare_agreement
            else None
        )
        if v.contradict < settings.compare_contradiction:
            out[k] = Decision((), relation)
            continue
        diffs = differences(a, b, settings)
        precision = [d for d in diffs if d.conflict.precision_only]
        real = [d for d in diffs if not d.conflict.precision_only]
        if precision and not real:
            # "about 2,000" vs "1,950": the model may read it as a contradiction; it is a note.
            out[k] = Decision(tuple(d.conflict for d in precision), None)
            continue
        if not real:
            claim = (
                settings.compare_claim_conflicts
                and claimable[k]
                and v.contradict >= settings.compare_claim_contradiction
            )
            out[k] = Decision((_claim_conflict(a, b, model.name, v.contradict),) if claim else (), None)
            continue
        for d in real:
            pending.append((k, d))
    # The differing fact is the cause when putting one side's fact into the other removes the
    # contradiction (the model was trained on pairs that differ in one fact).
    swaps = [(k, d) for k, d in pending if d.swap is not None]
    again = judge(model, [(pairs[k][0].text, d.swap) for k, d in swaps if d.swap is not None])
    cleared = {
        (k, id(d)): v.contradict < settings.compare_contradiction for (k, d), v in zip(swaps, again, strict=True)
    }
    by_pair: dict[int, list[Difference]] = {}
    for k, d in pending:
        by_pair.setdefault(k, []).append(d)
    for k, diffs in by_pair.items():
        a, b = pairs[k]
        v = verdicts[k]
        # A figure, date or name is the cause only when putting one side's value into the other clears
        # the contradiction; a negation cannot be swapped back, so it needs the confidence a claim does.
        # Names are the weakest evidence (a swapped name makes any two sentences closer, and reports name
        # different people in one statement): they need that confidence too.
        confident = v.contradict >= settings.compare_claim_contradiction
        causes = [d for d in diffs if cleared.get((k, id(d)), confident) and (confident or d.conflict.kind != "entity")]
        if causes:
            out[k] = Decision((_with_model(causes[0].conflict, model.name, v.contradict),), None)
        elif settings.compare_claim_conflicts and claimable[k] and v.contradict >= settings.compare_claim_contradiction:
            out[k] = Decision((_claim_conflict(a, b, model.name, v.contradict),), None)
        else:
            out[k] = Decision((), None)
    return [d if d is not None else Decision((), None) for d in out]


def _claim_conflict(a: Claim, b: Claim, model: str, p: float) -> Conflict:
    return Conflict(
        kind="claim",
        explanation=(
            f"The reports state opposite things (entailment model {model}: contradiction {p:.2f}); "
            "no single figure, date or name accounts for it: read both."
        ),
        sides=(side(a, a.start, a.end, "states"), side(b, b.start, b.end, "states the opposite")),
        claims=(a.id, b.id),
        model=model,
    )


def _find(a: Claim, b: Claim, link: Link, similarity: float, settings: Settings, ctx: PairContext) -> list[Conflict]:
    # The claim check needs the model's verdicts, which alignment computes for all candidate pairs at
    # once (align.py calls :func:`judge` and :func:`decide`); claim by claim it finds nothing.
    return []


CHECK = register(Check("claim", _find))
