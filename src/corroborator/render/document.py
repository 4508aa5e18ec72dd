"""A Comparison as plain JSON-ready data: the one structure every renderer reads.

The JSON format (``corroborator.comparison/1``) is exactly this document; docs/schema.md describes
every field and :mod:`corroborator.render.schema` holds the machine-checkable schema.
"""

from __future__ import annotations

from typing import Any

from corroborator.compare import SCHEMA_VERSION, Comparison
from corroborator.compare.brief import group_disputes, label_of
from corroborator.compare.lineage import is_rewrite
from corroborator.model import Citation, Fact

Cell = str  # "supports" | "disputes" | "silent"


def _citation(c: Citation) -> dict[str, Any]:
    return {"article": c.article_id, "start": c.start, "end": c.end}


def _fact(f: Fact) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": f.kind, "text": f.text, "start": f.start, "end": f.end, "norm": f.norm}
    for name in ("number", "unit", "earliest", "latest", "label", "speaker"):
        value = getattr(f, name)
        if value is not None:
            out[name] = value
    if f.approximate:
        out["approximate"] = True
    return out


def matrix(comparison: Comparison) -> list[dict[str, Any]]:
    """Rows of the corroboration matrix: each point, contradiction and shown single-source claim, with
    one cell per article: supports, disputes or silent."""
    claims = {c.id: c for c in comparison.claims}
    statuses = comparison.statuses
    ids = [a.id for a in comparison.articles]
    rows: list[dict[str, Any]] = []

    def cells(supporting: set[str], disputing: set[str]) -> dict[str, Cell]:
        return {a: ("supports" if a in supporting else "disputes" if a in disputing else "silent") for a in ids}

    for p in comparison.points:
        sup = {claims[m].article_id for m in p.claims}
        dis: set[str] = set()
        for m in p.claims:
            dis.update(statuses[m].disputed_by)
        rows.append(
            {
                "kind": "corroborated",
                "claim": p.claims[0],
                "text": claims[p.claims[0]].text,
                "cells": cells(sup, dis - sup),
            }
        )
    for dispute in group_disputes([c for c in comparison.conflicts if not c.precision_only]):
        # Two camps: the first side of the first conflict and whoever sides with it, and the others.
        first = dispute[0]
        camp_a = {first.sides[0].article}
        camp_b = {first.sides[1].article} if len(first.sides) > 1 else set()
        for cf in dispute[1:]:
            if len(cf.sides) != 2:
                continue
            x, y = cf.sides[0].article, cf.sides[1].article
            if x in camp_a or y in camp_b:
                camp_a.add(x)
                camp_b.add(y)
            else:
                camp_a.add(y)
                camp_b.add(x)
        rows.append(
            {
                "kind": "disputed",
                "claim": first.claims[0] if first.claims else "",
                "text": first.explanation,
                "cells": cells(camp_a - camp_b, camp_b - camp_a),
            }
        )
    shown = {c.article_id + ":" + f"{c.start}-{c.end}" for s in comparison.brief.sentences for c in s.citations}
    for c in comparison.claims:
        st = statuses[c.id]
        if st.status == "single-source" and c.id in shown:
            rows.append(
                {
                    "kind": "single-source",
                    "claim": c.id,
                    "text": c.text,
                    "cells": cells({c.article_id}, set()),
                }
            )
    return rows


def to_document(comparison: Comparison) -> dict[str, Any]:
    arts = comparison.articles
    statuses = comparison.statuses
    claims = {c.id: c for c in comparison.claims}
    support_spans: dict[str, list[dict[str, Any]]] = {c.id: [] for c in comparison.claims}
    for al in comparison.alignments:
        if al.relation in ("same", "overlap"):
            for x, y in ((al.a, al.b), (al.b, al.a)):
                other = claims[y]
                support_spans[x].append({"article": other.article_id, "start": other.start, "end": other.end})
    return {
        "schema": SCHEMA_VERSION,
        "title": comparison.brief.title,
        "articles": [
            {
                "id": a.id,
                "external_id": a.external_id,
                "source": a.source,
                "label": label_of(a),
                "title": a.title,
                "url": a.url,
                "byline": a.byline,
                "published": a.published.isoformat() if a.published else None,
                "origin": a.origin,
                "group": comparison.groups.get(a.id, a.id),
            }
            for a in arts
        ],
        "claims": [
            {
                "id": c.id,
                "text": c.text,
                "article": c.article_id,
                "sentence": c.sentence,
                "start": c.start,
                "end": c.end,
                "status": statuses[c.id].status,
                "sources": list(statuses[c.id].sources),
                "disputed_by": list(statuses[c.id].disputed_by),
                "independent_sources": statuses[c.id].independent_sources,
                "citations": [
                    {"article": c.article_id, "start": c.start, "end": c.end},
                    *support_spans[c.id],
                ],
                "facts": [_fact(f) for f in c.facts],
            }
            for c in comparison.claims
        ],
        "points": [{"claims": list(p.claims), "status": p.status} for p in comparison.points],
        "alignments": [
            {"a": al.a, "b": al.b, "relation": al.relation, "similarity": al.similarity} for al in comparison.alignments
        ],
        "conflicts": [
            {
                "kind": cf.kind,
                "explanation": cf.explanation,
                "precision_only": cf.precision_only,
                "claims": list(cf.claims),
                "sides": [
                    {"article": s.article, "text": s.text, "start": s.start, "end": s.end, "value": s.value}
                    for s in cf.sides
                ],
            }
            for cf in comparison.conflicts
        ],
        "rewrites": [
            {
                "a": d.a,
                "b": d.b,
                "carried_share": d.carried_share,
                "order_kept": d.order_kept,
                "verbatim_runs": d.verbatim_runs,
                "direction": d.direction,
                "rewrite": is_rewrite(d),
                "evidence": d.evidence,
                "added_by_a": list(d.added_by_a),
                "added_by_b": list(d.added_by_b),
                "credited": list(d.credited),
            }
            for d in comparison.derivations
        ],
        "framing": [
            {
                "article": fr.article_id,
                "subjectivity": round(fr.subjectivity, 4),
                "tone": round(fr.tone, 4),
                "terms": [{"text": t.text, "start": t.start, "end": t.end, "category": t.category} for t in fr.terms],
                "voices": {k: list(v) for k, v in fr.voices.items()},
            }
            for fr in comparison.framings
        ],
        "brief": {
            "title": comparison.brief.title,
            "sentences": [
                {"text": s.text, "status": s.status, "citations": [_citation(c) for c in s.citations]}
                for s in comparison.brief.sentences
            ],
            "left_out": comparison.brief.left_out,
        },
        "timeline": [
            {"when": e.when, "sort_key": e.sort_key, "what": e.what, "citation": _citation(e.citation)}
            for e in comparison.timeline
        ],
        "matrix": matrix(comparison),
        "summary": summary(comparison),
    }


def summary(comparison: Comparison) -> dict[str, int]:
    counts = {"corroborated": 0, "single-source": 0, "disputed": 0}
    for s in comparison.statuses.values():
        counts[s.status] += 1
    return {
        "articles": len(comparison.articles),
        "claims": len(comparison.claims),
        "corroborated_claims": counts["corroborated"],
        "single_source_claims": counts["single-source"],
        "disputed_claims": counts["disputed"],
        "contradictions": sum(1 for c in comparison.conflicts if not c.precision_only),
        "precision_only": sum(1 for c in comparison.conflicts if c.precision_only),
        "rewrites": sum(1 for d in comparison.derivations if is_rewrite(d)),
        "independent_sources": len(set(comparison.groups.values())) or len(comparison.articles),
    }
