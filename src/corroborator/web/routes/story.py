"""One story: its comparison report (``/stories/{id}``) and the comparison as JSON (``/api/stories/{id}``).

Both show the comparison kept in the store; when the story has gained articles since, the kept one is
shown marked as being refreshed while the background worker computes the new one. A story never
compared yet goes to the front of the worker's queue and the request waits for it up to ``wait``
seconds, then answers 202 (JSON: ``{"state": "pending", ...}`` with Retry-After; the page reloads itself).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from corroborator.api import Pending, article_row, story_articles, story_comparison
from corroborator.web.context import WebContext, context, report_response
from corroborator.web.errors import responses
from corroborator.web.pages import page

router = APIRouter()

WAIT_S = 30.0  # how long a reader waits for a story's first comparison by default
WAIT_DOC = "seconds to wait for a story's first comparison before answering 202 pending (0: do not wait)"


def _pending(exc: Pending) -> dict[str, Any]:
    return {"state": "pending", "story": exc.story_id, "retry_after": exc.retry_after, "message": str(exc)}


@router.get(
    "/api/stories/{story_id}",
    tags=["stories"],
    responses=responses(400, 404),
    summary="The comparison of one story (schema corroborator.comparison/3.2); 202 while first computed",
)
def api_story(
    story_id: str,
    response: Response,
    wait: float = Query(WAIT_S, ge=0, le=60, description=WAIT_DOC),
    ctx: WebContext = Depends(context),
) -> Any:
    try:
        kept = story_comparison(ctx.store, story_id, ctx.settings, ctx.refresher, wait=wait)
    except Pending as exc:
        headers = {"Retry-After": str(round(exc.retry_after))}
        return JSONResponse(_pending(exc), status_code=202, headers=headers)
    if kept.refreshing:
        # The document itself keeps its schema; the header says it is being brought up to date.
        response.headers["X-Corroborator-Refreshing"] = "1"
    return kept.document


@router.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
def story_page(
    request: Request,
    story_id: str,
    wait: float = Query(WAIT_S, ge=0, le=60),
    ctx: WebContext = Depends(context),
) -> Response:
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
    try:
        kept = story_comparison(ctx.store, story.id, ctx.settings, ctx.refresher, wait=wait)
    except Pending as exc:
        body = page(
            "story_pending.html",
            title=story.title,
            story=story,
            articles=[article_row(a) for a in arts],
            retry_after=max(1, round(exc.retry_after)),
            json_url=f"/api/stories/{story.id}",
        )
        return HTMLResponse(body, status_code=202)
    notes = ["this story has new articles: the comparison below is being refreshed"] if kept.refreshing else []
    links = [(a.label, f"/articles/{a.id}") for a in arts]
    return report_response(
        request, kept.html, back="/", json_url=f"/api/stories/{story.id}", articles=links, notes=notes
    )
