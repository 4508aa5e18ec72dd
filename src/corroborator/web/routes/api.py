"""The API's own pages: ``/docs`` (the OpenAPI description rendered on the server) and ``/api/health``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from corroborator.api import store_summary
from corroborator.web.context import WebContext, context
from corroborator.web.pages import page

router = APIRouter()


# FastAPI's /docs loads Swagger UI from a CDN, which the CSP (and an offline machine) refuses;
# this page renders the same OpenAPI description on the server instead.
@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs(request: Request, ctx: WebContext = Depends(context)) -> str:
    return page(
        "api.html",
        title="JSON API",
        spec=request.app.openapi(),
        token_required=ctx.token is not None,
        json_url="/openapi.json",
    )


@router.get("/api/health", tags=["meta"], summary="Liveness, store size and background work")
def health(ctx: WebContext = Depends(context)) -> dict[str, Any]:
    return {
        "ok": True,
        **store_summary(ctx.store),
        "token_required": ctx.token is not None,
        "comparisons_pending": ctx.refresher.pending() if ctx.refresher is not None else 0,
    }
