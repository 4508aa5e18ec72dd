"""Independent sources: an article and everything copied from it (near-duplicates, rewrites) count once.

One function, :func:`source_groups`, decides this for every stage: the comparison's per-claim counts,
a claim check's supporting and disputing counts, and the stories list. Groups are the connected
components of the copy links (union-find), so the answer does not depend on the links' order or
direction, a chain of rewrites is one group, and a cycle of links cannot hang it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

Links = Iterable[tuple[str, str]] | Mapping[str, str]


def source_groups(article_ids: Sequence[str], links: Links) -> dict[str, str]:
    """Each article id -> its group's representative (the smallest id in the group).

    ``links``: (copy, original) pairs, or a copy -> original mapping; links naming an article outside
    ``article_ids`` are ignored (a copy of something not being counted is still one witness).
    """
    pairs = links.items() if isinstance(links, Mapping) else links
    parent = {a: a for a in article_ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving keeps the trees flat
            x = parent[x]
        return x

    for x, y in pairs:
        if x in parent and y in parent:
            rx, ry = find(x), find(y)
            if rx != ry:
                # The smaller id wins, so the representative is the same whatever order links come in.
                parent[max(rx, ry)] = min(rx, ry)
    return {a: find(a) for a in article_ids}


def independent_count(article_ids: Iterable[str], groups: Mapping[str, str]) -> int:
    """How many independent sources the given articles are (articles unknown to ``groups`` count alone)."""
    return len({groups.get(a, a) for a in article_ids})
