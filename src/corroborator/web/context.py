"""What every router shares: the app's context (store, settings, token, jobs, background worker), the
token check for writes, and small request helpers. Store work goes through :mod:`corroborator.api`."""

from __future__ import annotations

import hmac
import os
import re
from dataclasses import dataclass
from datetime import datetime

from fastapi import Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from markupsafe import escape

from corroborator.api import ClaimChecks, JobRunner, Refresher, Store, StoryFilter
from corroborator.errors import InputError
from corroborator.model import Article
from corroborator.settings import Settings
from corroborator.web.errors import ApiError
from corroborator.web.security import cross_origin

TOKEN_ENV = "CORROBORATOR_WEB_TOKEN"
MAX_UPLOAD_BYTES = 5_000_000  # one file or one pasted text
MAX_UPLOAD_FILES = 50  # files plus pasted texts in one request
MAX_REQUEST_BYTES = 20_000_000  # a whole request body
PAGE_SIZE = 20


@dataclass
class WebContext:
    store: Store
    settings: Settings
    token: str | None
    jobs: JobRunner
    refresher: Refresher | None
    checks: ClaimChecks | None = None  # claim checks in their own process (serve); None: on the request's thread


def context(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.ctx
    return ctx


def require_token(request: Request, form_token: str | None = Form(None, alias="token")) -> None:
    """Writes: refused cross-site, and refused without the token when one is set."""
    foreign = cross_origin(request.headers)
    if foreign is not None:
        raise ApiError(403, f"cross-site write from origin {foreign!r} refused; use this app's own pages or the API")
    token = context(request).token
    if token is None:
        return
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    # A plain HTML form cannot set headers, so the compare page may send the token as a field.
    given = given or request.headers.get("x-corroborator-token", "") or (form_token or "")
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise ApiError(401, f"this endpoint needs the token set in ${TOKEN_ENV} (Authorization: Bearer ...)")


def next_url(request: Request, offset: int, limit: int, shown: int, total: int) -> str | None:
    if offset + shown >= total:
        return None
    params = dict(request.query_params)
    params["offset"] = str(offset + limit)
    return str(request.url.replace_query_params(**params))


def date_param(name: str, value: str | None, end_of_day: bool = False) -> datetime | None:
    """A YYYY-MM-DD (or ISO date-time) query value; a bare day as an upper bound includes the whole day."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise ApiError(400, f"{name}: {value!r} is not a date (use YYYY-MM-DD)") from None
    if end_of_day and len(value) == 10:
        when = when.replace(hour=23, minute=59, second=59, microsecond=999_999)
    return when


def story_filter(
    q: str | None,
    since: str | None,
    until: str | None,
    source: str | None,
    min_size: int | None,
    disputed: bool,
    limit: int,
    offset: int,
    language: str | None = None,
) -> StoryFilter:
    return StoryFilter(
        since=date_param("since", since),
        until=date_param("until", until, end_of_day=True),
        source=source or None,
        language=language or None,
        query=q or None,
        min_size=min_size,
        disputed_only=disputed,
        limit=limit,
        offset=offset,
    )


def upload_files(files: list[UploadFile], texts: list[str]) -> list[tuple[str, bytes]]:
    """The request's files and pasted texts as (name, bytes), within the size and count limits.

    The client's file name only picks the reader by its extension; it never reaches the disk.
    """
    texts = [t for t in texts if t.strip()]
    files = [f for f in files if f.filename or f.size]
    if len(files) + len(texts) > MAX_UPLOAD_FILES:
        raise ApiError(413, f"too many files: {len(files) + len(texts)} given, at most {MAX_UPLOAD_FILES} per request")
    out: list[tuple[str, bytes]] = []
    for upload in files:
        name = os.path.basename((upload.filename or "").replace("\\", "/")) or "upload.txt"
        data = upload.file.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise ApiError(413, f"{name}: larger than the {MAX_UPLOAD_BYTES // 1_000_000} MB limit per file")
        out.append((name, data))
    for i, text in enumerate(texts):
        data = text.encode("utf-8")
        if len(data) > MAX_UPLOAD_BYTES:
            raise ApiError(413, f"pasted text {i + 1}: larger than the {MAX_UPLOAD_BYTES // 1_000_000} MB limit")
        out.append((f"pasted-{i + 1}.md", data))
    return out


def split_items(items: list[Article | InputError]) -> tuple[list[Article], list[InputError]]:
    return [a for a in items if isinstance(a, Article)], [e for e in items if isinstance(e, InputError)]


def report_response(
    request: Request,
    report: str,
    back: str,
    json_url: str | None = None,
    articles: list[tuple[str, str]] | None = None,
    notes: list[str] | None = None,
) -> HTMLResponse:
    """Serve a self-contained report with a navigation bar; the CSP allows only the renderer's own scripts.

    The report carries its own meta CSP (nothing loaded from anywhere), so the bar is styled inline.
    """
    request.state.report = True
    link = 'style="color:#fff;margin-right:1em"'
    bar = "font:14px system-ui,sans-serif;padding:8px 20px;background:#1f2937;color:#d1d5db"
    parts = [
        f'<nav class="cb-nav" id="cb-nav" style="{bar}">',
        f'<a {link} href="{escape(back)}">&larr; back</a><a {link} href="/"><b>corroborator</b></a>',
        f'<a {link} href="/">stories</a><a {link} href="/compare">compare</a>',
        f'<a {link} href="/check">check a claim</a>',
    ]
    if json_url:
        parts.append(f'<a {link} href="{escape(json_url)}" id="json-link">JSON</a>')
    if articles:
        parts.append('<span style="margin-left:1em">articles:</span> ')
        parts.extend(
            f'<a {link} class="article-link" href="{escape(url)}">{escape(label)}</a>' for label, url in articles
        )
    parts.extend(f'<div class="cb-note" style="color:#fcd34d">{escape(n)}</div>' for n in notes or [])
    parts.append("</nav>")
    nav = "".join(parts)
    if json_url:
        nav = f'<link rel="alternate" type="application/json" href="{escape(json_url)}">' + nav
    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, report, count=1)
    return HTMLResponse(html)
