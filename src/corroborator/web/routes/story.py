"""One story: its comparison report (``/stories/{id}``) and the comparison as JSON (``/api/stories/{id}``).

Both show the comparison kept in the store; when the story has gained articles since, the kept one is
shown marked as being refreshed while the background worker computes the new one.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse

from corroborator.api import article_row, story_articles, story_comparison
from corroborator.web.context import WebContext, context, report_response
from corroborator.web.errors import responses
from corroborator.web.pages import page

router = APIRouter()


@router.get(
    "/api/stories/{story_id}",
    tags=["stories"],
    responses=responses(400, 404),
    summary="The comparison of one story (schema corroborator.comparison/1)",
)
def api_story(story_id: str, response: Response, ctx: WebContext = Depends(context)) -> dict[str, Any]:
    kept = story_comparison(ctx.store, story_id, ctx.settings, ctx.refresher)
    if kept.refreshing:
        # The document itself keeps its schema; the header says it is being brought up to date.
        response.headers["X-Corroborator-Refreshing"] = "1"
    return kept.document


@router.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
def story_page(request: Request, story_id: str, ctx: WebContext = Depends(context)) -> Response:
    story, arts = story_articles(ctx.store, story_id)
    if len({a.id for a in arts}) < 2:
        return HTMLResponse(
            page(
                "story_single.html",
                title=story.title,
                story=story,
                articles=[article_row(a) for a in arts],
                json_url=f"/api/articles/{arts[0].id}" if arts else None,
            )
        )
    kept = story_comparison(ctx.store, story.id, ctx.settings, ctx.refresher)
    notes = ["this story has new articles: the comparison below is being refreshed"] if kept.refreshing else []
    links = [(a.label, f"/articles/{a.id}") for a in arts]
    return report_response(
        request, kept.html, back="/", json_url=f"/api/stories/{story.id}", articles=links, notes=notes
    )
