"""Whether a version's changes moved the story's corroboration: a claim that was single-source is now
corroborated, a contradiction with another outlet disappeared, a claim another outlet made lost its only
second source.

The story is compared twice with :func:`corroborator.compare.compare_articles`: the other articles with
the version before, and with the version after. Each real change of the :class:`VersionDiff` is then
read against both comparisons: its own claim's status before and after, and the status of every other
article's claim aligned with it (or in conflict with it) in either comparison. Claims whose status and
conflicts are the same in both are not reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from corroborator.model import Article, ClaimStatus
from corroborator.provenance.versions import ArticleVersion, VersionDiff
from corroborator.results import Comparison


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One claim whose standing in the story differs between the comparison with the version before and
    the one with the version after, and the change (index into ``VersionDiff.changes``) that caused it.

    ``claim`` is the after claim's id when it exists, else the before claim's; ``before``/``after`` are
    None where the claim is absent from that comparison (an added or removed claim)."""

    change: int
    claim: str
    article: str
    own: bool  # the changed article's own claim (else another article's, linked to it)
    before: ClaimStatus | None
    after: ClaimStatus | None
    conflicts_gone: tuple[str, ...] = ()  # conflict kinds with the changed claim that disappeared
    conflicts_new: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        moved = f"{self.before or 'absent'} -> {self.after or 'absent'}"
        extra = [f"{', '.join(self.conflicts_gone)} conflict gone"] if self.conflicts_gone else []
        extra += [f"{', '.join(self.conflicts_new)} conflict new"] if self.conflicts_new else []
        return moved + (f" ({'; '.join(extra)})" if extra else "")


def _linked(comparison: Comparison, claim: str | None) -> set[str]:
    """Other claims aligned with ``claim`` or in conflict with it."""
    if claim is None:
        return set()
    out = {al.b if al.a == claim else al.a for al in comparison.alignments
           if claim in (al.a, al.b) and al.relation != "none"}  # fmt: skip
    for cf in comparison.conflicts:
        if claim in cf.claims:
            out |= set(cf.claims) - {claim}
    return out


def _conflicts(comparison: Comparison, claim: str | None, other: str | None = None) -> dict[frozenset[str], str]:
    """Conflicts involving ``claim`` (and ``other``, when given), by the other claim(s) -> kind."""
    if claim is None:
        return {}
    out: dict[frozenset[str], str] = {}
    for cf in comparison.conflicts:
        if claim in cf.claims and not cf.precision_only and (other is None or other in cf.claims):
            out[frozenset(cf.claims) - {claim}] = cf.kind
    return out


def status_changes(diff: VersionDiff, before: Comparison, after: Comparison) -> tuple[StatusChange, ...]:
    """Status changes caused by each real change of ``diff``: ``before`` compares the story with the
    version before, ``after`` with the version after (the other articles the same)."""
    out: list[StatusChange] = []
    for k, change in enumerate(diff.changes):
        if not change.real or change.part != "body":
            continue
        b = change.before.id if change.before is not None else None
        a = change.after.id if change.after is not None else None
        own_before = before.statuses[b].status if b in before.statuses else None
        own_after = after.statuses[a].status if a in after.statuses else None
        gone_kinds = _gone(_conflicts(before, b), _conflicts(after, a))
        new_kinds = _gone(_conflicts(after, a), _conflicts(before, b))
        # An added claim that stands alone, or a removed one that stood alone, moved nothing.
        trivial = {own_before, own_after} <= {None, "single-source"} and None in (own_before, own_after)
        if (own_before != own_after or gone_kinds or new_kinds) and not (trivial and not gone_kinds and not new_kinds):
            out.append(StatusChange(k, a or b or "", diff.after if a else diff.before, True,
                                    own_before, own_after, gone_kinds, new_kinds))  # fmt: skip
        for other in sorted(_linked(before, b) | _linked(after, a)):
            was = before.statuses[other].status if other in before.statuses else None
            now = after.statuses[other].status if other in after.statuses else None
            gone = tuple(sorted(set(_conflicts(before, other, b).values()) - set(_conflicts(after, other, a).values())))
            new = tuple(sorted(set(_conflicts(after, other, a).values()) - set(_conflicts(before, other, b).values())))
            if was != now or gone or new:
                article = (after if now is not None else before).statuses[other].sources[0]
                out.append(StatusChange(k, other, article, False, was, now, gone, new))
    return tuple(out)


def _gone(was: dict[frozenset[str], str], now: dict[frozenset[str], str]) -> tuple[str, ...]:
    """Kinds of the conflicts in ``was`` with no conflict of that kind against the same claims in ``now``."""
    return tuple(sorted({kind for claims, kind in was.items() if now.get(claims) != kind}))


def story_status_changes(
    diff: VersionDiff,
    before: ArticleVersion,
    after: ArticleVersion,
    others: Sequence[Article],
    **compare: Any,
) -> tuple[tuple[StatusChange, ...], Comparison, Comparison]:
    """Compare the story (``others``, the story's other articles) with each version, and the status changes
    each real change of ``diff`` caused; also the two comparisons. ``compare`` goes to
    :func:`corroborator.compare.compare_articles` (settings, judge, encoder, caches)."""
    from corroborator.compare import compare_articles

    # The versions' own sentences and facts: the comparisons' claim ids are then the diff's.
    sentences = dict(compare.pop("sentences", None) or {})
    facts = dict(compare.pop("facts", None) or {})
    for v in (before, after):
        if v.sentences:
            sentences.setdefault(v.article.id, v.sentences)
        if v.facts is not None:
            facts.setdefault(v.article.id, v.facts)
    rest = [o for o in others if o.id not in (before.article.id, after.article.id)]
    was = compare_articles([before.article, *rest], sentences=sentences, facts=facts, **compare)
    now = compare_articles([after.article, *rest], sentences=sentences, facts=facts, **compare)
    return status_changes(diff, was, now), was, now
