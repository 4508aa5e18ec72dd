"""One article with its facts highlighted (``/articles/{id}``) and as JSON (``/api/articles/{id}``).

Both only read: facts not kept yet are made by the background worker, and meanwhile the article is
shown with ``facts_state: "pending"`` (the page reloads itself); ``wait`` waits for them a little.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse

from corroborator.api import article_detail
from corroborator.web.context import WebContext, context
from corroborator.web.errors import responses
from corroborator.web.pages import highlight_facts, page

router = APIRouter()

WAIT_DOC = "seconds to wait for facts not made yet before answering with facts_state 'pending' (0: do not wait)"


@router.get(
    "/api/articles/{article_id}",
    tags=["articles"],
    responses=responses(404),
    summary="One article with its sentences and facts",
)
def api_article(
    article_id: str,
    wait: float = Query(0, ge=0, le=30, description=WAIT_DOC),
    ctx: WebContext = Depends(context),
) -> dict[str, Any]:
    return article_detail(ctx.store, article_id, ctx.refresher, wait=wait).as_dict()


@router.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
def article_page(article_id: str, wait: float = Query(1.0, ge=0, le=30), ctx: WebContext = Depends(context)) -> str:
    detail = article_detail(ctx.store, article_id, ctx.refresher, wait=wait)
    counts: dict[str, int] = {}
    for f in detail.facts:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    return page(
        "article.html",
        title=detail.article.title or detail.article.id,
        article=detail.article,
        body=highlight_facts(detail.article, detail.facts),
        counts=sorted(counts.items()),
        story=detail.story,
        facts_pending=detail.facts_state == "pending",
        json_url=f"/api/articles/{detail.article.id}",
    )
