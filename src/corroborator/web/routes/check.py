"""Check a claim against the store (``/check``) and its JSON twin (``/api/check``).

A check runs the stance model over up to 200 articles: seconds of CPU. Checks run one at a time, and at
most ``MAX_WAITING`` more wait for their turn; beyond that the server answers 503 with Retry-After at once,
so a burst of checks (or clients that gave up and went away) cannot starve every other page.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from corroborator.api import MAX_CLAIM_CHARS, check_claim
from corroborator.web.charts import stance_bar
from corroborator.web.context import PAGE_SIZE, WebContext, context, next_url
from corroborator.web.errors import ApiError, responses
from corroborator.web.pages import page

router = APIRouter()

MAX_WAITING = 2
_turn = threading.Semaphore(1)
_waiting = threading.Semaphore(1 + MAX_WAITING)


def _check(ctx: WebContext, request: Request, claim: str, story: str | None, limit: int, offset: int) -> dict[str, Any]:
    if len(claim.strip()) < 3:
        raise ApiError(400, "claim: write at least a few words to check")
    if not _waiting.acquire(blocking=False):
        raise ApiError(503, "too many claim checks at once; try again in a minute")
    try:
        with _turn:
            if ctx.checker is not None:
                result = ctx.checker.check(claim, story)
            else:
                result = check_claim(ctx.store, claim, story, ctx.settings, refresher=ctx.refresher).as_dict()
    finally:
        _waiting.release()
    rows = result.pop("results")
    shown = rows[offset : offset + limit]
    return result | {
        "results": shown,
        "total": len(rows),
        "limit": limit,
        "offset": offset,
        "next": next_url(request, offset, limit, len(shown), len(rows)),
    }


@router.get(
    "/api/check",
    tags=["check"],
    responses=responses(400, 404, 422, 503),
    summary="Which stored articles support or dispute a claim (paginated; 503 when too many run at once)",
)
def api_check(
    request: Request,
    claim: str = Query(..., min_length=3, max_length=MAX_CLAIM_CHARS),
    story: str | None = Query(None, description="limit to one story"),
    limit: int = Query(20, ge=1, le=200),
    offset: int = Query(0, ge=0),
    ctx: WebContext = Depends(context),
) -> dict[str, Any]:
    return _check(ctx, request, claim, story, limit, offset)


@router.get("/check", response_class=HTMLResponse, include_in_schema=False)
def check_page(
    request: Request,
    claim: str | None = None,
    story: str | None = None,
    offset: int = Query(0, ge=0),
    ctx: WebContext = Depends(context),
) -> str:
    result = _check(ctx, request, claim, story or None, PAGE_SIZE, offset) if claim else None
    return page(
        "check.html",
        title="Check a claim",
        claim=claim or "",
        story=story or "",
        result=result,
        json_url=str(request.url.replace(path="/api/check")) if claim else None,
        params={"claim": claim or "", "story": story or ""},
        chart=stance_bar(result["stances"]) if result else None,
    )
