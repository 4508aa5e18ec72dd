"""What every conflict check shares: the conflict side, the pair context, the registry and word tables.

A check is one kind of disagreement (number, date, entity, attribution, polarity, quote, claim). It has a
finder, which compares two claims and returns :class:`~corroborator.model.Conflict` values of its kind,
and optionally a link test: whether its own facts tie two claims together that the embedding did not
propose ("since 1990s" and "since 2021" about the same subject, one quotation in two mouths). Both live
in the check's module, so changing a rule means editing one file; its word lists live beside the code
as data (``corroborator/data/conflicts/<kind>.json``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from corroborator.model import Claim, Conflict, ConflictSide, Fact
from corroborator.settings import Settings

Link = Literal["aligned", "topic"]
DATA = Path(__file__).resolve().parents[2] / "data" / "conflicts"


@cache
def table(name: str) -> dict[str, Any]:
    """The word tables of one check (``data/conflicts/<name>.json``)."""
    path = DATA / f"{name}.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"{path}: cannot read the conflict word table: {exc}") from exc
    return data


def words(name: str, key: str) -> frozenset[str]:
    """A word list of a table as a set (tables write word lists as one space-separated string)."""
    value = table(name)[key]
    return frozenset(value.split() if isinstance(value, str) else value)


@dataclass(frozen=True)
class PairContext:
    """What a check may need beyond the two claims: who spoke before a claim in its article
    (``antecedents``: claim id -> person), and how common each content stem is among the claims of
    the two articles (``stem_df``, ``claims``), so a link test can ask for a rare shared word."""

    antecedents: Mapping[str, str] = field(default_factory=dict)
    stem_df: Mapping[str, int] = field(default_factory=dict)
    claims: int = 0


Finder = Callable[[Claim, Claim, Link, float, Settings, PairContext], list[Conflict]]
LinkTest = Callable[[Claim, Claim, PairContext], bool]


@dataclass(frozen=True)
class Check:
    kind: str
    find: Finder
    linked: LinkTest | None = None
    # Checks whose finding makes this one redundant on the same pair (the role check after an entity one).
    after: tuple[str, ...] = ()


REGISTRY: dict[str, Check] = {}


def register(check: Check) -> Check:
    REGISTRY[check.kind] = check
    return check


# The order checks run in (a registered check of another kind runs after these).
ORDER = ("number", "date", "entity", "polarity", "attribution", "quote", "claim")


def registered() -> Sequence[Check]:
    rank = {k: n for n, k in enumerate(ORDER)}
    return tuple(sorted(REGISTRY.values(), key=lambda c: rank.get(c.kind, len(ORDER))))


def side(claim: Claim, start: int, end: int, value: str) -> ConflictSide:
    """A conflict side for article offsets ``start..end``, clipped to the claim."""
    start = max(start, claim.start)
    end = min(end, claim.end)
    if end <= start:
        start, end = claim.start, claim.end
    text = claim.text[start - claim.start : end - claim.start]
    return ConflictSide(article=claim.article_id, text=text, start=start, end=end, value=value)


def fact_text(claim: Claim, f: Fact) -> str:
    return claim.text[max(f.start, claim.start) - claim.start : min(f.end, claim.end) - claim.start]
