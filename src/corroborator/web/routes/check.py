"""Check a claim against the store (``/check``) and its JSON twin (``/api/check``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from corroborator.api import MAX_CLAIM_CHARS, check_claim
from corroborator.web.charts import stance_bar
from corroborator.web.context import PAGE_SIZE, WebContext, context, next_url
from corroborator.web.errors import ApiError, responses
from corroborator.web.pages import page

router = APIRouter()


def _check(ctx: WebContext, request: Request, claim: str, story: str | None, limit: int, offset: int) -> dict[str, Any]:
    if len(claim.strip()) < 3:
        raise ApiError(400, "claim: write at least a few words to check")
    result = check_claim(ctx.store, claim, story, ctx.settings, refresher=ctx.refresher).as_dict()
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
    responses=responses(400, 404, 422),
    summary="Which stored articles support or dispute a claim (paginated)",
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
