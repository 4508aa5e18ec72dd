"""Self-correction: merge stories an article bridges, split a story whose articles drift apart.

Incremental assignment decides each article once, against the stories as they were; a later article
can show that two stories are one (it reaches both) or that a story holds two events (a weakly joined
article starts a second cluster). Both checks are bounded per article, so ingest stays linear:

* merge: when the new article also reaches another story (``Decision.also``, at most two), the two
  stories' ``MERGE_MEMBERS`` newest articles are compared pairwise; they merge when some pair reaches
  ``MERGE_LINK`` times the decision threshold (the article alone is not enough: a bridge of one is how
  single-link clustering chains events together).
* split: when the story has at least ``SPLIT_MIN`` articles and the new one joined weakly (score under
  the threshold plus ``WEAK_MARGIN``) or the story's size reached a power of two, its ``SPLIT_MEMBERS``
  newest articles are compared pairwise; pairs at or above the threshold link, and a group of at least
  two articles with no pair above ``SPLIT_LINK`` times the threshold to the group holding the story's
  oldest compared article leaves as a story of its own.

The constants were set before any evaluation except ``MERGE_LINK``: at 0.5 (a direct pair at half the
threshold) merges cost ECB+ precision (first 250 articles: 11 merges, B-cubed P 0.84 -> 0.71), so a
merge now needs a direct pair that reaches the threshold on its own. The functions plan on the index alone; the assigner
carries the plan out in the store and records it as story flags (``merged_from``, ``split_from``,
``split_into``) that ``corroborator stories`` and the web app show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from corroborator.stories.index import NO_DAY, StoryIndex

MERGE_MEMBERS = 8
MERGE_LINK = 1.0
SPLIT_MIN = 4
SPLIT_MEMBERS = 16
SPLIT_LINK = 0.5
WEAK_MARGIN = 0.1


@dataclass(frozen=True, slots=True)
class Merge:
    into: str
    absorbed: str
    link: float  # best pair score between the two stories' compared articles


@dataclass(frozen=True, slots=True)
class Split:
    story: str
    parts: tuple[tuple[int, ...], ...]  # index positions of each group that leaves, oldest first


def _scores(index: StoryIndex, pairs: list[tuple[int, int]]) -> np.ndarray:
    if not pairs:
        return np.zeros(0)
    rows = np.asarray([index.stored_pair_vector(i, j) for i, j in pairs], dtype=np.float64)
    scores = index.pair_scores(rows)
    # Articles further apart than the follow-up reach are never candidates of each other when they
    # arrive, so the model never saw such a pair; a re-check holds them to the same rule (no link).
    reach = max(index.params.window_days, index.params.followup_days)
    days = index.days.view
    a = np.asarray([days[i] for i, _ in pairs], dtype=np.int64)
    b = np.asarray([days[j] for _, j in pairs], dtype=np.int64)
    apart = (a != NO_DAY) & (b != NO_DAY) & (np.abs(a - b) > reach)
    scores[apart] = 0.0
    return scores


def plan_merges(index: StoryIndex, story: str, also: tuple[tuple[str, float], ...], article: int) -> list[Merge]:
    """Stories the article at position ``article`` bridges with ``story`` that are linked directly too."""
    out: list[Merge] = []
    mine = [j for j in index.members.get(story, []) if j != article][-MERGE_MEMBERS:]
    for other, _ in also[:2]:
        theirs = index.members.get(other, [])[-MERGE_MEMBERS:]
        if not mine or not theirs or other == story:
            continue
        best = float(_scores(index, [(i, j) for i in mine for j in theirs]).max())
        if best >= MERGE_LINK * index.threshold:
            big, small = (story, other) if len(index.members[story]) >= len(index.members[other]) else (other, story)
            out.append(Merge(big, small, best))
            break  # one merge per article: the next article re-checks with the merged story
    return out


def should_check_split(index: StoryIndex, story: str, score: float) -> bool:
    size = len(index.members.get(story, []))
    if size < SPLIT_MIN:
        return False
    return score < index.threshold + WEAK_MARGIN or (size & (size - 1)) == 0


def plan_split(index: StoryIndex, story: str) -> Split | None:
    """Groups of the story's newest articles that no longer link to the rest, or None."""
    members = index.members.get(story, [])[-SPLIT_MEMBERS:]
    n = len(members)
    if n < SPLIT_MIN:
        return None
    pairs = [(members[a], members[b]) for a in range(n) for b in range(a + 1, n)]
    scores = _scores(index, pairs)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    where = {j: k for k, j in enumerate(members)}
    for (i, j), sc in zip(pairs, scores, strict=True):
        if sc >= index.threshold:
            parent[find(where[i])] = find(where[j])
    groups: dict[int, list[int]] = {}
    for k in range(n):
        groups.setdefault(find(k), []).append(members[k])
    if len(groups) < 2:
        return None
    main_root = find(0)
    # Each other group's best link to the main group: a group still close to it is not a drift.
    cross: dict[int, float] = {}
    for (i, j), sc in zip(pairs, scores, strict=True):
        gi, gj = find(where[i]), find(where[j])
        if gi == gj or main_root not in (gi, gj):
            continue
        g = gj if gi == main_root else gi
        cross[g] = max(cross.get(g, -np.inf), float(sc))
    parts = tuple(
        tuple(g)
        for root, g in groups.items()
        if root != main_root and len(g) >= 2 and cross.get(root, -np.inf) < SPLIT_LINK * index.threshold
    )
    return Split(story, parts) if parts else None
