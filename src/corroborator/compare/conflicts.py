"""Typed conflicts between two claims of different articles that talk about the same thing.

Embeddings cannot tell "raised rates" from "left rates unchanged" or 118 from 120; typed facts can.
Each kind of disagreement is one registered check (:mod:`corroborator.compare.checks`: number, date,
entity, attribution, polarity, quote, claim), which returns :class:`Conflict` values carrying both
sides' exact spans, their normalised values and one plain sentence saying what differs. Where one side
is only less precise ("never ratified" vs "never signed", "1,200" vs "1,234", "about 2,000" vs "1,950")
the conflict is returned with ``precision_only=True``: reported to the reader, never counted as a
contradiction.

``link`` says how the two claims were paired: "aligned" (the pair judge found them the same or
overlapping statements: every check runs) or "topic" (close in meaning only: just the checks whose
facts are specific enough to carry the link themselves: periods, event dates, shared quotes).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from corroborator.compare import cues
from corroborator.compare.checks import PairContext, registered
from corroborator.compare.checks.base import Link
from corroborator.compare.checks.date import _year_range
from corroborator.compare.checks.number import numbers_agree
from corroborator.model import Claim, Conflict
from corroborator.settings import Settings

__all__ = ["Link", "_year_range", "antecedent_names", "find_conflicts", "numbers_agree"]


def find_conflicts(
    a: Claim,
    b: Claim,
    *,
    link: Link,
    similarity: float,
    settings: Settings | None = None,
    antecedents: Mapping[str, str] | None = None,
    context: PairContext | None = None,
) -> list[Conflict]:
    """Every typed conflict the registered checks find between two claims (of different articles).

    ``antecedents`` maps a claim id to the person named last before it in its article, so that a quote
    closed by "he said" can be credited.
    """
    settings = settings or Settings()
    ctx = context or PairContext(antecedents=antecedents or {})
    out: list[Conflict] = []
    for check in registered():
        out.extend(check.find(a, b, link, similarity, settings, ctx))
    return out


def antecedent_names(claims: Sequence[Claim]) -> dict[str, str]:
    """Claim id -> the speaker of the claim just before it, when that claim has one named person who
    speaks ("Fire Chief Tomas Oduya said ..." then '"...," he said'); otherwise no entry."""
    out: dict[str, str] = {}
    for prev, c in itertools.pairwise(claims):
        people = {(f.norm or f.text) for f in prev.facts if f.kind == "person"}
        if len(people) != 1:
            continue
        person = next(iter(people))
        if any(cues.same_speaker(sp.name, person) for sp in cues.speakers(prev)):
            out[c.id] = person
    return out


def linked_pairs(claims_a: Sequence[Claim], claims_b: Sequence[Claim], ctx: PairContext) -> list[tuple[int, int]]:
    """Claim pairs the embedding may miss but whose facts link them on their own: each registered
    check's link test (the same quoted words, a "since ..." period on a rare subject, figures of one
    unit for one thing, dates of one incident, a harm denied and asserted)."""
    tests = [c.linked for c in registered() if c.linked is not None]
    return [
        (i, j) for i, a in enumerate(claims_a) for j, b in enumerate(claims_b) if any(test(a, b, ctx) for test in tests)
    ]
