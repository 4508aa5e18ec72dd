"""Plain conversions between the library's dataclasses and the rows of the batch tables (scale.schema).

Pure functions, shared by both engines and by ``load``: what one engine writes for an article or a
comparison is exactly what the other writes for the same input.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np

from corroborator.model import AnalysedArticle, Article, Sentence

Row = dict[str, Any]

FILE_SHIFT = 32  # seq = file number << 32 | record number: read order as one sortable integer


def seq_of(file_no: int, record_no: int) -> int:
    return (file_no << FILE_SHIFT) | record_no


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def minhash_column(minhash: Sequence[int] | np.ndarray | None) -> list[int] | None:
    """uint64 MinHash values as signed 64-bit (Parquet has no unsigned 64-bit in Spark); bits kept."""
    if minhash is None:
        return None
    return [int(x) for x in np.asarray(minhash, dtype=np.uint64).view(np.int64)]


def minhash_from_column(values: Sequence[int] | None) -> tuple[int, ...] | None:
    if values is None:
        return None
    return tuple(int(x) for x in np.asarray(values, dtype=np.int64).view(np.uint64))


def vector_column(vector: Sequence[float] | np.ndarray | None) -> list[float] | None:
    """float32, as the store keeps vectors, so both engines write the same numbers."""
    if vector is None:
        return None
    return [float(x) for x in np.asarray(vector, dtype=np.float32)]


def article_row(item: AnalysedArticle, seq: int, encoder: str, story_id: str | None = None) -> Row:
    a = item.article
    return {
        "id": a.id,
        "seq": seq,
        "external_id": a.external_id,
        "source": a.source,
        "url": a.url,
        "title": a.title,
        "byline": a.byline,
        "published": _iso(a.published),
        "language": a.language,
        "text": a.text,
        "origin": a.origin,
        "sentence_starts": [s.start for s in item.sentences],
        "sentence_ends": [s.end for s in item.sentences],
        "vector": vector_column(item.vector),
        "encoder": encoder,
        "minhash": minhash_column(item.minhash),
        "lead_entities": list(item.lead_entities),
        "story_id": story_id,
    }


def article_from_row(row: Row) -> Article:
    published = row.get("published")
    return Article(
        id=row["id"],
        text=row["text"],
        source=row.get("source"),
        url=row.get("url"),
        title=row.get("title"),
        byline=row.get("byline"),
        published=datetime.fromisoformat(published) if published else None,
        language=row.get("language"),
        external_id=row.get("external_id"),
        origin=row.get("origin"),
    )


def analysed_from_row(row: Row) -> AnalysedArticle:
    """The AnalysedArticle a row was made from (sentence texts are spans of the article text)."""
    article = article_from_row(row)
    starts = row.get("sentence_starts") or []
    ends = row.get("sentence_ends") or []
    sentences = tuple(
        Sentence(article.id, i, int(s), int(e), article.text[int(s) : int(e)])
        for i, (s, e) in enumerate(zip(starts, ends, strict=True))
    )
    vector = row.get("vector")
    return AnalysedArticle(
        article=article,
        sentences=sentences,
        vector=None if vector is None else tuple(float(x) for x in vector),
        minhash=minhash_from_column(row.get("minhash")),
        lead_entities=tuple(row.get("lead_entities") or ()),
    )


def story_row(story_id: str, title: str, members: Sequence[Row], independent: int, compared: bool) -> Row:
    """``members`` in read order (rows with at least id and published)."""
    times = [(_instant(m["published"]), m["published"]) for m in members if m.get("published")]
    times.sort(key=lambda t: t[0])
    return {
        "story_id": story_id,
        "title": title,
        "article_ids": [m["id"] for m in members],
        "size": len(members),
        "independent": independent,
        "first_published": times[0][1] if times else None,
        "last_published": times[-1][1] if times else None,
        "compared": compared,
    }


def _instant(iso: str) -> float:
    from datetime import UTC

    t = datetime.fromisoformat(iso)
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)  # a naive time is taken as UTC, as the store does
    return t.timestamp()


def comparison_rows(story_id: str, comparison: Any) -> dict[str, list[Row]]:
    """claims, conflicts, rewrites and briefs rows of one story's Comparison."""
    from corroborator.render import render_json

    claims = [
        {
            "story_id": story_id,
            "claim_id": c.id,
            "article_id": c.article_id,
            "sentence": c.sentence,
            "start": c.start,
            "end": c.end,
            "text": c.text,
            "status": _status(comparison.statuses.get(c.id)),
        }
        for c in comparison.claims
    ]
    conflicts = [
        {
            "story_id": story_id,
            "kind": k.kind,
            "explanation": k.explanation,
            "precision_only": bool(k.precision_only),
            "claims": list(k.claims),
            "sides": [
                {"article": s.article, "text": s.text, "start": s.start, "end": s.end, "value": s.value}
                for s in k.sides
            ],
        }
        for k in comparison.conflicts
    ]
    rewrites = [
        {
            "story_id": story_id,
            "a": d.a,
            "b": d.b,
            "direction": d.direction,
            "carried_share": float(d.carried_share),
            "order_kept": float(d.order_kept),
            "verbatim_runs": int(d.verbatim_runs),
            "evidence": d.evidence,
        }
        for d in comparison.rewrites()
    ]
    brief = comparison.brief
    briefs = [
        {
            "story_id": story_id,
            "title": brief.title,
            "sentences": [
                {
                    "text": s.text,
                    "status": s.status,
                    "citations": [{"article": c.article_id, "start": c.start, "end": c.end} for c in s.citations],
                }
                for s in brief.sentences
            ],
            "left_out": brief.left_out,
            "document": render_json(comparison),
        }
    ]
    return {"claims": claims, "conflicts": conflicts, "rewrites": rewrites, "briefs": briefs}


def _status(value: Any) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "status", value))
