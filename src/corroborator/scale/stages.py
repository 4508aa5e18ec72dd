"""The batch stages as pure functions over plain rows, mapped over partitions by either engine.

Each wraps the library function the single-machine pipeline uses: ``pipeline.analyse_many`` (language,
sentences, lead entities, MinHash, embedding), the story index's ``band_keys`` for near-copy candidates,
``StoryIndex.prepare/decide/add`` for the story decision and ``compare.compare_articles`` for a story's
comparison. Nothing here re-implements a stage; what is new is only how work is cut into partitions.

Models load lazily, once per process (the encoder, spaCy and the pair judge are process-wide singletons),
so a Spark Python worker that runs many tasks loads them once.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from corroborator.errors import InputError
from corroborator.model import Article
from corroborator.scale.rows import Row, analysed_from_row, article_from_row, article_row, comparison_rows
from corroborator.settings import Settings

UNDATED = -(2**31)  # the block of articles without a publication date


# -- analysis ------------------------------------------------------------------------------------


def analyse_partition(
    items: Iterable[tuple[int, Article]], settings: Settings, encoder: str
) -> Iterator[tuple[str, Row]]:
    """("article", row) per analysed article and ("failure", row) per stage error, in batches."""
    from corroborator.pipeline import StageError, analyse_many

    batch: list[tuple[int, Article]] = []

    def flush() -> Iterator[tuple[str, Row]]:
        results = analyse_many([a for _, a in batch], settings)
        for (seq, _), res in zip(batch, results, strict=True):
            if isinstance(res, StageError):
                yield "failure", {"origin": res.origin, "message": str(res)}
            else:
                yield "article", article_row(res, seq, encoder)

    for item in items:
        batch.append(item)
        if len(batch) >= max(1, settings.ingest_batch):
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def failure_row(err: InputError) -> Row:
    return {"origin": err.path, "message": str(err)}


# -- near-duplicates -----------------------------------------------------------------------------


def folded(minhash: Sequence[int], num_perm: int) -> np.ndarray:
    """The signature as the story index keeps it (uint32-folded), from a row's signed column."""
    from corroborator.scale.rows import minhash_from_column
    from corroborator.stories.state import _as_u32

    return _as_u32(np.asarray(minhash_from_column(minhash), dtype=np.uint64), num_perm)


def band_entries(row: Row, settings: Settings) -> list[tuple[int, tuple[int, str]]]:
    """(band key, (seq, id)) per band: the keys the story index's LSH files the article under."""
    from corroborator.stories.lsh import band_keys, band_layout

    if row.get("minhash") is None:
        return []
    bands, rows = band_layout(settings.minhash_perm, settings.near_duplicate_jaccard)
    sig = folded(row["minhash"], settings.minhash_perm)
    return [(k, (int(row["seq"]), row["id"])) for k in band_keys(sig, bands, rows)]


def bucket_pairs(members: Iterable[tuple[int, str]], limit: int = 1000) -> Iterator[tuple[str, tuple[int, str]]]:
    """(later id, (earlier seq, earlier id)) for every pair in one band bucket.

    A bucket is capped at ``limit`` members (the earliest): a band shared by thousands of articles is a
    boilerplate text, and its pairs would be quadratic; the cap is logged by the caller's counters.
    """
    ms = sorted(set(members))[:limit]
    for i in range(1, len(ms)):
        for j in range(i):
            yield ms[i][1], ms[j]


def best_original(candidates: Iterable[tuple[int, str, float]], threshold: float) -> tuple[str, float] | None:
    """Among (earlier seq, id, Jaccard) candidates: the most similar at or above the threshold, the
    earliest on a tie (the story index keeps the first strictly better one over positions in order)."""
    best: tuple[int, str, float] | None = None
    for seq, cid, sim in sorted(candidates):
        if sim >= threshold and (best is None or sim > best[2]):
            best = (seq, cid, sim)
    return None if best is None else (best[1], best[2])


def jaccard(a: Sequence[int], b: Sequence[int], num_perm: int) -> float:
    return float(np.count_nonzero(folded(a, num_perm) == folded(b, num_perm))) / num_perm


def resolve_roots(best: dict[str, tuple[str, float]]) -> dict[str, tuple[str, float]]:
    """copy -> (first original of its chain, similarity to its direct original), as the index links."""
    out: dict[str, tuple[str, float]] = {}
    for copy, (orig, sim) in best.items():
        seen = {copy}
        while orig in best and orig not in seen:
            seen.add(orig)
            orig = best[orig][0]
        out[copy] = (orig, sim)
    return out


# -- stories -------------------------------------------------------------------------------------


def day_of(row: Row) -> int | None:
    from datetime import datetime

    published = row.get("published")
    return None if not published else datetime.fromisoformat(published).date().toordinal()


def blocks_of(row: Row, block_days: int, context_days: int) -> list[tuple[int, bool]]:
    """(block, own?) for the article's own time block and each neighbouring block it is context for."""
    day = day_of(row)
    if day is None:
        return [(UNDATED, True)]
    own = day // block_days
    out = [(own, True)]
    if day - context_days < own * block_days:
        out.append((own - 1, False))
    if day + context_days >= (own + 1) * block_days:
        out.append((own + 1, False))
    return out


@dataclass(frozen=True, slots=True)
class Placed:
    article_id: str
    block: int
    own: bool
    label: str  # local story label, unique across blocks
    root: str | None  # near-copy original (first of its chain), when the article is a copy


def assign_block(
    block: int, rows: Iterable[tuple[bool, Row]], roots: dict[str, str], settings: Settings
) -> list[Placed]:
    """The single-machine story assignment run in read order over one time block and its context.

    It is the ingest's own ``StoryAssigner`` (decision, near-copy links and self-correction alike) over a
    temporary SQLite store that holds only this block, so whatever the story decision becomes, the
    batch makes the same one. Labels are local ("block:story"); the caller unites a label with the story
    its context articles, and the originals of copies from other blocks, have in their own block.
    """
    import tempfile
    from pathlib import Path

    from corroborator.store import open_store
    from corroborator.stories import StoryAssigner

    ordered = sorted(rows, key=lambda r: int(r[1]["seq"]))
    own_of = {r["id"]: own for own, r in ordered}
    items = [analysed_from_row(r) for _, r in ordered]
    encoders = {str(r["encoder"]) for _, r in ordered if r.get("encoder")}
    with tempfile.TemporaryDirectory(prefix="corroborator-block-") as tmp, open_store(Path(tmp) / "b.db") as store:
        outcomes = store.add(items, encoder=encoders.pop()) if len(encoders) == 1 else store.add(items)
        assigner = StoryAssigner(store, settings, catch_up=False)
        for item, outcome in zip(items, outcomes, strict=True):
            if outcome == "new":
                assigner.assign(item)
        stored = {item.article.id for item, outcome in zip(items, outcomes, strict=True) if outcome == "new"}
        out = [
            Placed(aid, block, own_of[aid], f"{block}:{store.story_of(aid)}", roots.get(aid))
            for aid in (i.article.id for i in items)
            if aid in stored
        ]
    return out


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def stitch(placed: Iterable[Placed]) -> dict[str, str]:
    """Local label -> component label: a context article (or a near-copy's original) seen in a block
    unites that block's label with the label the article has in its own block."""
    placed = list(placed)
    home = {p.article_id: p.label for p in placed if p.own}
    uf = UnionFind()
    for p in placed:
        if not p.own and p.article_id in home:
            uf.union(p.label, home[p.article_id])
        if p.own and p.root is not None and p.root in home:
            uf.union(p.label, home[p.root])
    return {label: uf.find(label) for label in set(home.values())}


# -- comparison ----------------------------------------------------------------------------------


def compare_rows(story_id: str, members: Sequence[Row], settings: Settings) -> dict[str, list[Row]]:
    """Compare a story's articles (read order) with the library's compare_articles."""
    from corroborator.compare import compare_articles

    comparison = compare_articles([article_from_row(m) for m in members], settings=settings)
    return comparison_rows(story_id, comparison)


def compare_partition(stories: Iterable[tuple[str, list[Row]]], settings: Settings) -> Iterator[tuple[str, Row]]:
    """(table, row) for each compared story; a story whose comparison fails is one failure row."""
    for story_id, members in stories:
        try:
            tables = compare_rows(story_id, members, settings)
        except Exception as exc:  # one story must not stop the batch
            yield "failures", {"origin": f"story {story_id}", "message": f"compare failed: {type(exc).__name__}: {exc}"}
            continue
        for table, rows in tables.items():
            for row in rows:
                yield table, row


def partition_stats(kind: str, items: int, started: float) -> Row:
    """Per-partition cost: seconds, items and the Python worker's peak resident memory."""
    return {
        "stage": kind,
        "items": items,
        "seconds": round(time.perf_counter() - started, 4),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1),
    }


def to_compare(members: Sequence[Row], copies: set[str], limit: int) -> list[Row]:
    """A story's independent members (read order), the first ``limit`` of them."""
    own = [m for m in sorted(members, key=lambda m: int(m["seq"])) if m["id"] not in copies]
    return own[:limit]


def story_members_order(rows: Iterable[Row]) -> list[Row]:
    return sorted(rows, key=lambda m: int(m["seq"]))


__all__ = [
    "UNDATED",
    "Placed",
    "UnionFind",
    "analyse_partition",
    "assign_block",
    "band_entries",
    "best_original",
    "blocks_of",
    "bucket_pairs",
    "compare_partition",
    "compare_rows",
    "failure_row",
    "jaccard",
    "partition_stats",
    "resolve_roots",
    "stitch",
    "to_compare",
]
