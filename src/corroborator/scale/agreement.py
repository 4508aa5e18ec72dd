"""How far two batch outputs agree: the same articles, near-copy links and conflicts, and B-cubed of stories.

Used by the tests (Spark against the single-machine engine on the same input) and bench/spark.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from corroborator.scale.parquet import read_table

# Columns of the articles table that must be equal byte for byte; vectors are compared with a tolerance
# (the encoder runs batches of different make-up in the two engines), story ids through B-cubed.
EXACT_ARTICLE_COLUMNS = (
    "seq",
    "external_id",
    "source",
    "url",
    "title",
    "byline",
    "published",
    "language",
    "text",
    "origin",
    "sentence_starts",
    "sentence_ends",
    "encoder",
    "minhash",
    "lead_entities",
)


def bcubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of a clustering (item -> cluster) against another, over shared items."""
    items = [i for i in pred if i in gold]
    if not items:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "items": 0}
    pc = Counter(pred[i] for i in items)
    gc = Counter(gold[i] for i in items)
    both = Counter((pred[i], gold[i]) for i in items)
    p = sum(both[(pred[i], gold[i])] / pc[pred[i]] for i in items) / len(items)
    r = sum(both[(pred[i], gold[i])] / gc[gold[i]] for i in items) / len(items)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "items": len(items)}


def _conflict_key(c: Mapping[str, Any]) -> tuple:
    sides = tuple((s["article"], s["start"], s["end"], s["value"]) for s in c["sides"])
    return (c["story_id"], c["kind"], c["explanation"], bool(c["precision_only"]), sides)


def agreement(a: Path, b: Path) -> dict[str, Any]:
    """Differences between two --out folders (a is the reference)."""
    arts_a = {r["id"]: r for r in read_table(a, "articles")}
    arts_b = {r["id"]: r for r in read_table(b, "articles")}
    shared = sorted(set(arts_a) & set(arts_b))
    differing: dict[str, int] = {}
    max_vec = 0.0
    for aid in shared:
        ra, rb = arts_a[aid], arts_b[aid]
        for col in EXACT_ARTICLE_COLUMNS:
            if ra[col] != rb[col]:
                differing[col] = differing.get(col, 0) + 1
        if ra["vector"] is not None and rb["vector"] is not None:
            max_vec = max(max_vec, float(np.max(np.abs(np.asarray(ra["vector"]) - np.asarray(rb["vector"])))))
        elif (ra["vector"] is None) != (rb["vector"] is None):
            differing["vector"] = differing.get("vector", 0) + 1
    links_a = {(d["article_id"], d["original_id"]) for d in read_table(a, "duplicates")}
    links_b = {(d["article_id"], d["original_id"]) for d in read_table(b, "duplicates")}
    story_a = {aid: r["story_id"] for aid, r in arts_a.items()}
    story_b = {aid: r["story_id"] for aid, r in arts_b.items()}
    members_a = {frozenset(s["article_ids"]) for s in read_table(a, "stories")}
    members_b = {frozenset(s["article_ids"]) for s in read_table(b, "stories")}
    same_stories = {sid for sid, s in _by_id(a).items() if frozenset(s["article_ids"]) in members_b}
    conf_a = Counter(_conflict_key(c) for c in read_table(a, "conflicts"))
    conf_b = Counter(_conflict_key(c) for c in read_table(b, "conflicts"))
    conf_a_same = Counter({k: v for k, v in conf_a.items() if k[0] in same_stories})
    conf_b_same = Counter({k: v for k, v in conf_b.items() if k[0] in same_stories})
    return {
        "articles": (len(arts_a), len(arts_b)),
        "only_in_a": sorted(set(arts_a) - set(arts_b)),
        "only_in_b": sorted(set(arts_b) - set(arts_a)),
        "differing_columns": differing,
        "max_vector_difference": max_vec,
        "links": (len(links_a), len(links_b)),
        "links_only_in_a": sorted(links_a - links_b),
        "links_only_in_b": sorted(links_b - links_a),
        "stories": (len(members_a), len(members_b)),
        "identical_stories": len(members_a & members_b),
        "bcubed": bcubed(story_b, story_a),
        "conflicts": (sum(conf_a.values()), sum(conf_b.values())),
        "conflicts_equal": conf_a == conf_b,
        "conflicts_equal_in_identical_stories": conf_a_same == conf_b_same,
        **version_agreement(a, b),
    }


def version_agreement(a: Path, b: Path) -> dict[str, Any]:
    """The two ``versions`` tables: the same versions of the same articles, equal in every column but the
    batch's start time (``seen_at``, and ``at`` where it is that time rather than a publication time)."""
    ver_a = {(r["article_id"], r["version"]): r for r in read_table(a, "versions")}
    ver_b = {(r["article_id"], r["version"]): r for r in read_table(b, "versions")}
    differing: dict[str, int] = {}
    for key in sorted(set(ver_a) & set(ver_b)):
        ra, rb = ver_a[key], ver_b[key]
        for col in ra:
            if col == "seen_at" or (col == "at" and (ra["at"] == ra["seen_at"] and rb["at"] == rb["seen_at"])):
                continue
            if ra[col] != rb[col]:
                differing[col] = differing.get(col, 0) + 1
    return {
        "versions": (len(ver_a), len(ver_b)),
        "versions_only_in_a": sorted(set(ver_a) - set(ver_b)),
        "versions_only_in_b": sorted(set(ver_b) - set(ver_a)),
        "versions_differing_columns": differing,
    }


def _by_id(out: Path) -> dict[str, dict[str, Any]]:
    return {s["story_id"]: s for s in read_table(out, "stories")}
