"""One article with its facts highlighted (``/articles/{id}``) and as JSON (``/api/articles/{id}``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from corroborator.api import article_detail
from corroborator.web.context import WebContext, context
from corroborator.web.errors import responses
from corroborator.web.pages import highlight_facts, page

router = APIRouter()


@router.get(
    "/api/articles/{article_id}",
    tags=["articles"],
    responses=responses(404),
    summary="One article with its sentences and facts",
)
def api_article(article_id: str, ctx: WebContext = Depends(context)) -> dict[str, Any]:
    return article_detail(ctx.store, article_id).as_dict()


@router.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
def article_page(article_id: str, ctx: WebContext = Depends(context)) -> str:
    detail = article_detail(ctx.store, article_id)
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
        json_url=f"/api/articles/{detail.article.id}",
    )
