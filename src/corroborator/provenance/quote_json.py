"""The published shape of quote clusters, ``corroborator.quotes/1`` (docs/schema.md, "Quotes").

One document: ``{"schema", "filters", "articles", "quotes", "clusters": [cluster...]}``; a cluster
``{"key", "speaker", "speakers", "size", "outlets", "languages", "stories", "first", "first_tied",
"credited_outside", "mutated", "meaning_changed", "appearances": [appearance...]}``; ``first`` is the
first appearance (the same object as ``appearances[0]``). Field names only grow within /1.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from corroborator.provenance.quotes import Mutation, QuoteAppearance, QuoteCluster

QUOTES_SCHEMA: Final = "corroborator.quotes/1"


def _iso(d: datetime | None) -> str | None:
    return d.isoformat() if d else None


def mutation_dict(m: Mutation) -> dict[str, Any]:
    return {"kind": m.kind, "before": m.before, "after": m.after, "meaning": m.meaning, "why": m.why,
            "start": m.start, "end": m.end}  # fmt: skip


def appearance_dict(a: QuoteAppearance) -> dict[str, Any]:
    return {
        "article": a.article_id,
        "article_url": f"/api/articles/{a.article_id}",
        "source": a.source,
        "published": _iso(a.published),
        "language": a.language,
        "story": a.story,
        "start": a.start,
        "end": a.end,
        "text": a.text,
        "speaker": a.speaker,
        "credits": list(a.credits),
        "credits_earlier": a.credits_earlier,
        "translated": a.translated,
        "meaning_changed": a.meaning_changed,
        "mutations": [mutation_dict(m) for m in a.mutations],
    }


def cluster_dict(c: QuoteCluster) -> dict[str, Any]:
    appearances = [appearance_dict(a) for a in c.appearances]
    return {
        "key": c.key,
        "speaker": c.speaker,
        "speakers": list(c.speakers),
        "size": len(c.appearances),
        "outlets": list(c.outlets),
        "languages": list(c.languages),
        "stories": list(c.stories),
        "first": appearances[0],
        "first_tied": c.first_tied,
        "credited_outside": list(c.credited_outside),
        "mutated": c.mutated,
        "meaning_changed": c.meaning_changed,
        "appearances": appearances,
    }


def quotes_document(
    clusters: Sequence[QuoteCluster], *, articles: int, quotes: int, filters: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "schema": QUOTES_SCHEMA,
        "filters": filters or {},
        "articles": articles,
        "quotes": quotes,
        "clusters": [cluster_dict(c) for c in clusters],
    }
