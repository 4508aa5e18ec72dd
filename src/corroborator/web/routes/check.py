"""Check a claim against the store (``/check``) and its JSON twin (``/api/check``).

A check runs the stance model over up to 200 articles: seconds of CPU, minutes on a cold store of a busy
machine. Checks run one at a time, and at most ``MAX_WAITING`` more wait for their turn; beyond that the
server answers 503 with Retry-After at once, so a burst of checks (or clients that gave up and went away)
cannot starve every other page. Under ``serve`` checks run in a process of their own
(:class:`corroborator.api.ClaimChecks`): a request waits up to ``wait`` seconds, then answers 202
``{"state": "pending"}``; the check goes on and the same request made again gets its result.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from corroborator.api import MAX_CLAIM_CHARS, Busy, check_claim
from corroborator.web.charts import stance_bar
from corroborator.web.context import PAGE_SIZE, WebContext, context, next_url
from corroborator.web.errors import ApiError, responses
from corroborator.web.pages import page

router = APIRouter()

MAX_WAITING = 2
WAIT_S = 30.0  # how long a request waits for its check before answering 202 pending (worker process only)
RETRY_AFTER_S = 2
WAIT_DOC = "seconds to wait for the check before answering 202 pending (0: do not wait)"
_turn = threading.Semaphore(1)
_waiting = threading.Semaphore(1 + MAX_WAITING)


def _check(
    ctx: WebContext, request: Request, claim: str, story: str | None, limit: int, offset: int, wait: float
) -> dict[str, Any] | None:
    """One page of the check's rows, or None while the check runs in the worker process."""
    if len(claim.strip()) < 3:
        raise ApiError(400, "claim: write at least a few words to check")
    if ctx.checks is not None:
        try:
            result = ctx.checks.get(claim, story, wait)
        except Busy as exc:
            raise ApiError(503, str(exc)) from None
        if result is None:
            return None
    else:
        if not _waiting.acquire(blocking=False):
            raise ApiError(503, "too many claim checks at once; try again in a minute")
        try:
            with _turn:
                result = check_claim(ctx.store, claim, story, ctx.settings, refresher=ctx.refresher).as_dict()
        finally:
            _waiting.release()
    result = dict(result)  # ClaimChecks keeps its answer for the next request: never change it in place
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
    summary="Which stored articles support or dispute a claim (paginated; 202 while it runs; 503 when too many run)",
)
def api_check(
    request: Request,
    claim: str = Query(..., min_length=3, max_length=MAX_CLAIM_CHARS),
    story: str | None = Query(None, description="limit to one story"),
    limit: int = Query(20, ge=1, le=200),
    offset: int = Query(0, ge=0),
    wait: float = Query(WAIT_S, ge=0, le=60, description=WAIT_DOC),
    ctx: WebContext = Depends(context),
) -> Any:
    result = _check(ctx, request, claim, story, limit, offset, wait)
    if result is None:
        body = {
            "state": "pending",
            "claim": claim,
            "story": story,
            "retry_after": RETRY_AFTER_S,
            "message": "the check is running; ask again in a few seconds",
        }
        return JSONResponse(body, status_code=202, headers={"Retry-After": str(RETRY_AFTER_S)})
    return result


@router.get("/check", response_class=HTMLResponse, include_in_schema=False)
def check_page(
    request: Request,
    claim: str | None = None,
    story: str | None = None,
    offset: int = Query(0, ge=0),
    wait: float = Query(WAIT_S, ge=0, le=60),
    ctx: WebContext = Depends(context),
) -> Response:
    result = _check(ctx, request, claim, story or None, PAGE_SIZE, offset, wait) if claim else None
    pending = bool(claim) and result is None
    body = page(
        "check.html",
        title="Check a claim",
        claim=claim or "",
        story=story or "",
        result=result,
        json_url=str(request.url.replace(path="/api/check")) if claim else None,
        params={"claim": claim or "", "story": story or ""},
        chart=stance_bar(result["stances"]) if result else None,
        pending=pending,
        retry_after=RETRY_AFTER_S,
    )
    return HTMLResponse(body, status_code=202 if pending else 200)
