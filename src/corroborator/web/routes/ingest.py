"""Store uploaded articles as durable jobs: ``POST /api/ingest``, their progress, the jobs page, resuming.

A job's files and progress are kept in the store, so a restarted server lists a job it did not finish
as "interrupted" and can resume it (``POST /api/jobs/{id}/resume``, or the button on ``/jobs``).
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from corroborator.api import Job, read_files
from corroborator.web.context import WebContext, context, require_token, upload_files
from corroborator.web.errors import ApiError, responses
from corroborator.web.pages import page

router = APIRouter()


def _job(ctx: WebContext, job_id: str) -> Job:
    if not re.fullmatch(r"[0-9a-f]{12}", job_id) or (job := ctx.jobs.get(job_id)) is None:
        raise ApiError(404, f"no job {job_id!r}")
    return job


def _body(job: Job) -> dict[str, Any]:
    return job.as_dict() | {"url": f"/api/jobs/{job.id}"}


@router.post(
    "/api/ingest",
    tags=["ingest"],
    status_code=202,
    responses=responses(400, 401, 403, 413, 422),
    summary="Store uploaded articles (a background job kept in the store; poll its url)",
    dependencies=[Depends(require_token)],
)
def api_ingest(
    files: list[UploadFile] = File(default=[]),
    text: list[str] = Form(default=[]),
    ctx: WebContext = Depends(context),
) -> dict[str, Any]:
    uploads = upload_files(files, text)
    items = read_files(uploads, ctx.settings)
    if not items:
        raise ApiError(400, "nothing to ingest: send files or text")
    return _body(ctx.jobs.start(uploads, items))


@router.get("/api/jobs", tags=["ingest"], summary="Recent ingest jobs, newest first")
def api_jobs(ctx: WebContext = Depends(context)) -> dict[str, Any]:
    return {"items": [_body(j) for j in ctx.jobs.recent()]}


@router.get("/api/jobs/{job_id}", tags=["ingest"], responses=responses(404), summary="Progress of an ingest job")
def api_job(job_id: str, ctx: WebContext = Depends(context)) -> dict[str, Any]:
    return _body(_job(ctx, job_id))


@router.post(
    "/api/jobs/{job_id}/resume",
    tags=["ingest"],
    status_code=202,
    responses=responses(400, 401, 403, 404),
    summary="Run an interrupted or failed job again (articles already stored are not stored twice)",
    dependencies=[Depends(require_token)],
)
def api_resume(job_id: str, ctx: WebContext = Depends(context)) -> dict[str, Any]:
    _job(ctx, job_id)
    return _body(ctx.jobs.resume(job_id))


@router.get("/jobs", response_class=HTMLResponse, include_in_schema=False)
def jobs_page(ctx: WebContext = Depends(context)) -> str:
    return page(
        "jobs.html",
        title="Ingest jobs",
        jobs=[_body(j) for j in ctx.jobs.recent()],
        needs_token=ctx.token is not None,
        json_url="/api/jobs",
    )


@router.post("/jobs/{job_id}/resume", include_in_schema=False, dependencies=[Depends(require_token)])
def resume_submit(job_id: str, ctx: WebContext = Depends(context)) -> RedirectResponse:
    _job(ctx, job_id)
    ctx.jobs.resume(job_id)
    return RedirectResponse("/jobs", status_code=303)
