"""Quote provenance: the clusters (``/quotes``, filterable by speaker, story and article) and one cluster
(``/quotes/{key}``: its appearances as a timeline, each wording with its changes marked), each with its
JSON twin under ``/api/quotes`` (schema ``corroborator.quotes/1``, docs/schema.md).

Quote text is article text, so untrusted: every segment is escaped, and the only markup added is our own.
Clustering reads every article's facts; the first request on a store makes the missing ones, later
ones reuse the clustering (:mod:`corroborator.api.quotes`).
"""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from corroborator.api import QuoteReport, quote_cluster, quote_cluster_dict, quote_report
from corroborator.web.context import WebContext, context
from corroborator.web.errors import responses
from corroborator.web.pages import page

router = APIRouter()

MAX_LISTED = 200  # clusters on one page; the JSON twin has them all


def _report(ctx: WebContext, speaker: str | None, story: str | None, article: str | None, min_size: int) -> QuoteReport:
    return quote_report(ctx.store, speaker=speaker or None, story=story or None, article=article or None,
                        min_size=min_size)  # fmt: skip


@router.get("/api/quotes", tags=["quotes"], responses=responses(404), summary="Quote clusters (corroborator.quotes/1)")
def api_quotes(
    speaker: str | None = Query(None, description="a speaker's name as any outlet credits it"),
    story: str | None = Query(None, description="only quotes with an appearance in this story"),
    article: str | None = Query(None, description="only quotes with an appearance in this article"),
    min_size: int = Query(2, ge=1, description="only quotes found in at least this many articles"),
    ctx: WebContext = Depends(context),
) -> dict[str, Any]:
    return _report(ctx, speaker, story, article, min_size).as_dict()


@router.get("/api/quotes/{key}", tags=["quotes"], responses=responses(404), summary="One quote cluster")
def api_quote(key: str, ctx: WebContext = Depends(context)) -> dict[str, Any]:
    return quote_cluster_dict(quote_cluster(ctx.store, key))


@router.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
def quotes_page(
    request: Request,
    speaker: str | None = None,
    story: str | None = None,
    article: str | None = None,
    min_size: int = Query(2, ge=1),
    ctx: WebContext = Depends(context),
) -> str:
    doc = _report(ctx, speaker, story, article, min_size).as_dict()
    return page(
        "quotes.html",
        title="Quotes",
        doc=doc,
        clusters=doc["clusters"][:MAX_LISTED],
        params={"speaker": speaker or "", "story": story or "", "article": article or "", "min_size": min_size},
        json_url=str(request.url.replace(path="/api/quotes")),
    )


@router.get("/quotes/{key}", response_class=HTMLResponse, include_in_schema=False)
def quote_page(key: str, ctx: WebContext = Depends(context)) -> str:
    cluster = quote_cluster_dict(quote_cluster(ctx.store, key))
    wordings = {a["article"]: marked_wording(a) for a in cluster["appearances"]}
    return page(
        "quote.html",
        title=f"Quote of {cluster['speaker'] or 'an unknown speaker'}",
        cluster=cluster,
        wordings=wordings,
        json_url=f"/api/quotes/{key}",
    )


def marked_wording(appearance: dict[str, Any]) -> Markup:
    """One appearance's wording with each change marked: changed and added words in a <mark>, dropped
    words as a <del> at the place they were; every piece of quote text escaped."""
    text: str = appearance["text"]
    base: int = appearance["start"]
    out: list[str] = []
    pos = 0
    # Translations are compared as wholes (numbers, negation): their notes go below, not inline.
    inline = [m for m in appearance["mutations"] if not appearance["translated"]]
    for m in sorted(inline, key=lambda m: (m["start"], m["end"])):
        start, end = m["start"] - base, m["end"] - base
        if not pos <= start <= end <= len(text):
            continue
        out.append(escape(text[pos:start]))
        cls = "mut mut-meaning" if m["meaning"] else "mut"
        note = escape(f"{m['kind']} ({m['why']}){': was ' + repr(m['before']) if m['before'] else ''}")
        attrs = f'class="{cls}" title="{note}" data-kind="{escape(m["kind"])}"'
        if end > start:
            out.append(f"<mark {attrs}>{escape(text[start:end])}</mark>")
        elif m["before"]:
            out.append(f"<del {attrs}>{escape(m['before'])}</del> ")
        pos = end
    out.append(escape(text[pos:]))
    return Markup("".join(out))
