"""One article with its facts highlighted (``/articles/{id}``) and as JSON (``/api/articles/{id}``); its
versions and what changed between each two (``/articles/{id}/history``, ``/api/articles/{id}/history``:
``corroborator.history/1``), also a panel of the article page when it has more than one version.

Both only read: facts not kept yet are made by the background worker, and meanwhile the article is
shown with ``facts_state: "pending"`` (the page reloads itself); ``wait`` waits for them a little.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse
from markupsafe import Markup

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


@router.get(
    "/api/articles/{article_id}/history",
    tags=["articles"],
    responses=responses(404),
    summary="An article's versions and the claims and facts changed between each two (corroborator.history/1)",
)
def api_history(article_id: str, ctx: WebContext = Depends(context)) -> dict[str, Any]:
    from corroborator.api.history import article_history, history_json

    return history_json(article_history(ctx.store, article_id))


@router.get("/articles/{article_id}/history", response_class=HTMLResponse, include_in_schema=False)
def history_page(article_id: str, ctx: WebContext = Depends(context)) -> str:
    from corroborator.api.history import article_history, history_document
    from corroborator.render.history import history_body

    history = article_history(ctx.store, article_id)
    return page(
        "history.html",
        title=f"History: {history.article.title or history.article.id}",
        article=history.article,
        body=Markup(history_body(history_document(history))),  # built from escaped text only
        versions=len(history.versions),
        json_url=f"/api/articles/{history.article.id}/history",
    )


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
        versions=detail.versions,
    )
