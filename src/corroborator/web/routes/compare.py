"""Compare uploaded or pasted articles on the spot (``/compare``, ``POST /api/compare``); nothing is stored."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from corroborator.api import read_files
from corroborator.web.context import (
    MAX_REQUEST_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_FILES,
    WebContext,
    context,
    report_response,
    require_token,
    split_items,
    upload_files,
)
from corroborator.web.errors import ApiError, responses
from corroborator.web.pages import page

router = APIRouter()


def _compare(ctx: WebContext, files: list[UploadFile], texts: list[str]) -> tuple[Any, list[str]]:
    from corroborator.compare import compare_articles

    articles, errors = split_items(read_files(upload_files(files, texts), ctx.settings))
    if len({a.id for a in articles}) < 2:
        problems = "; ".join(str(e) for e in errors) or f"{len(articles)} readable article(s) given"
        raise ApiError(400, f"a comparison needs at least two different readable articles: {problems}")
    return compare_articles(articles, settings=ctx.settings), [str(e) for e in errors]


@router.post(
    "/api/compare",
    tags=["compare"],
    responses=responses(400, 401, 403, 413, 422),
    summary="Compare uploaded or pasted articles on the spot",
    dependencies=[Depends(require_token)],
)
def api_compare(
    files: list[UploadFile] = File(default=[], description="article files (any supported format)"),
    text: list[str] = Form(default=[], description="pasted articles (optional YAML front matter)"),
    ctx: WebContext = Depends(context),
) -> dict[str, Any]:
    from corroborator.render import render

    comparison, errors = _compare(ctx, files, text)
    result: dict[str, Any] = json.loads(render(comparison, "json"))
    result["input_errors"] = errors
    return result


@router.get("/compare", response_class=HTMLResponse, include_in_schema=False)
def compare_page(ctx: WebContext = Depends(context)) -> str:
    return page(
        "compare.html",
        title="Compare",
        needs_token=ctx.token is not None,
        max_files=MAX_UPLOAD_FILES,
        max_mb=MAX_UPLOAD_BYTES // 1_000_000,
        max_request_mb=MAX_REQUEST_BYTES // 1_000_000,
        json_url=None,  # its twins are POSTs (/api/compare, /api/ingest), named on the page
    )


@router.post(
    "/compare",
    response_class=HTMLResponse,
    include_in_schema=False,
    dependencies=[Depends(require_token)],
)
def compare_submit(
    request: Request,
    files: list[UploadFile] = File(default=[]),
    text: list[str] = Form(default=[]),
    ctx: WebContext = Depends(context),
) -> Response:
    from corroborator.render import render

    comparison, errors = _compare(ctx, files, text)
    notes = [f"not read: {e}" for e in errors]
    return report_response(request, render(comparison, "html"), back="/compare", notes=notes)
