"""The web app: server-rendered pages, each with a JSON twin under /api, described by OpenAPI.

One app object holds one store. Reads and writes go through the store facade (which serialises writes);
pages and the JSON API call the same library functions as the CLI. Security defaults: bound to
localhost by the CLI, a strict Content-Security-Policy, every article string escaped, upload size and
count limits, no request value ever used as a file-system path, cross-site writes refused, and write
endpoints protected by a token when CORROBORATOR_WEB_TOKEN is set. See docs/web.md.
"""

from __future__ import annotations

import hmac
import json
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Collection
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import escape

from corroborator.errors import InputError
from corroborator.model import Article
from corroborator.settings import Settings
from corroborator.store.base import Store, StoryFilter
from corroborator.web.charts import size_bar, source_colours, sources_over_time, stance_bar
from corroborator.web.errors import ApiError, error_body, install_error_handlers, responses
from corroborator.web.jobs import JobRunner
from corroborator.web.pages import highlight_facts, page
from corroborator.web.security import BodyLimit, cross_origin, csp, host_name, report_script_hashes

STATIC = Path(__file__).parent / "static"
TOKEN_ENV = "CORROBORATOR_WEB_TOKEN"
MAX_UPLOAD_BYTES = 5_000_000  # one file or one pasted text
MAX_UPLOAD_FILES = 50  # files plus pasted texts in one request
MAX_REQUEST_BYTES = 20_000_000  # a whole request body
MAX_CLAIM_CHARS = 1_000
PAGE_SIZE = 20
CHECK_POOL = 500  # most recent articles a claim is checked against when no story is given


class ComparisonCache:
    """Recent story comparisons, keyed by story id and its article ids (a new article invalidates)."""

    def __init__(self, size: int = 32) -> None:
        self._items: OrderedDict[tuple[str, tuple[str, ...]], Any] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, store: Store, story_id: str) -> Any:
        from corroborator.compare import compare_story

        story = store.story(story_id)
        key = (story.id, story.article_ids)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        comparison = compare_story(store, story.id)
        with self._lock:
            self._items[key] = comparison
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return comparison


def _iso(d: datetime | None) -> str | None:
    return d.isoformat() if d else None


def create_app(
    store: Store,
    settings: Settings | None = None,
    token: str | None = None,
    allowed_hosts: Collection[str] | None = None,
) -> FastAPI:
    """Build the app around an open store. ``token`` defaults to $CORROBORATOR_WEB_TOKEN (unset: no token).

    ``allowed_hosts``: host names the Host header may carry (any when None); ``serve`` on localhost
    passes the loopback names, so a web page that rebinds its own DNS name to 127.0.0.1 gets nothing.
    """
    settings = settings or Settings()
    token = token if token is not None else os.environ.get(TOKEN_ENV) or None
    app = FastAPI(
        docs_url=None,
        redoc_url=None,
        title="corroborator",
        version="1",
        description=(
            "Stories, comparisons, articles and claim checks. Every page has a JSON twin under /api. "
            'Every error is {"error": {"status", "code", "message"}}. Write endpoints need '
            f"`Authorization: Bearer <token>` when ${TOKEN_ENV} is set."
        ),
    )
    install_error_handlers(app)

    # FastAPI's /docs loads Swagger UI from a CDN, which the CSP (and an offline machine) refuses;
    # this page renders the same OpenAPI description on the server instead.
    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs() -> str:
        return page(
            "api.html",
            title="JSON API",
            spec=app.openapi(),
            token_required=token is not None,
            json_url="/openapi.json",
        )

    app.add_middleware(
        BodyLimit,
        max_bytes=MAX_REQUEST_BYTES,
        message=f"request body larger than {MAX_REQUEST_BYTES // 1_000_000} MB; send fewer or smaller files",
    )
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    cache = ComparisonCache()
    jobs = JobRunner(store, settings)
    app.state.store = store

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        if allowed_hosts is not None and host_name(request.headers.get("host", "")) not in allowed_hosts:
            response: Response = JSONResponse(
                error_body(400, "this server answers only to " + ", ".join(sorted(allowed_hosts))), status_code=400
            )
        else:
            response = await call_next(request)
        hashes = report_script_hashes() if getattr(request.state, "report", False) else ()
        response.headers["Content-Security-Policy"] = csp(hashes)
        response.headers["X-Content-Type-Options"] = "nosniff"
        # "no-referrer" would make Chromium send "Origin: null" on our own form posts, which the origin check refuses.
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    def require_token(request: Request, form_token: str | None = Form(None, alias="token")) -> None:
        foreign = cross_origin(request.headers)
        if foreign is not None:
            raise ApiError(
                403, f"cross-site write from origin {foreign!r} refused; use this app's own pages or the API"
            )
        if token is None:
            return
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        # A plain HTML form cannot set headers, so the compare page may send the token as a field.
        given = given or request.headers.get("x-corroborator-token", "") or (form_token or "")
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise ApiError(401, f"this endpoint needs the token set in ${TOKEN_ENV} (Authorization: Bearer ...)")

    # -- helpers -------------------------------------------------------------------------------

    def article_row(a: Article) -> dict[str, Any]:
        return {
            "id": a.id,
            "source": a.label,
            "title": a.title,
            "published": _iso(a.published),
            "url": f"/articles/{a.id}",
        }

    def story_row(story: Any) -> dict[str, Any]:
        arts = [store.get_article(a) for a in story.article_ids]
        return {
            "id": story.id,
            "title": story.title,
            "size": len(story.article_ids),
            "sources": sorted({a.label for a in arts}),
            "articles": [article_row(a) for a in arts],
            "first_published": _iso(story.first_published),
            "last_published": _iso(story.last_published),
            "disputed": store.story_flags(story.id).get("disputed") == "1",
            "url": f"/stories/{story.id}",
        }

    def next_url(request: Request, offset: int, limit: int, shown: int, total: int) -> str | None:
        if offset + shown >= total:
            return None
        params = dict(request.query_params)
        params["offset"] = str(offset + limit)
        return str(request.url.replace_query_params(**params))

    def story_filter(
        q: str | None,
        since: str | None,
        source: str | None,
        min_size: int | None,
        disputed: bool,
        limit: int,
        offset: int,
        until: str | None = None,
    ) -> StoryFilter:
        return StoryFilter(
            since=_date_param("since", since),
            until=_date_param("until", until, end_of_day=True),
            source=source or None,
            query=q or None,
            min_size=min_size,
            disputed_only=disputed,
            limit=limit,
            offset=offset,
        )

    def list_stories(flt: StoryFilter, request: Request) -> dict[str, Any]:
        total = store.count_stories(flt)
        items = [story_row(s) for s in store.stories(flt)]
        limit = flt.limit or PAGE_SIZE
        return {
            "items": items,
            "total": total,
            "limit": limit,
            "offset": flt.offset,
            "next": next_url(request, flt.offset, limit, len(items), total),
        }

    def comparison_json(story_id: str) -> dict[str, Any]:
        from corroborator.render import render

        doc: dict[str, Any] = json.loads(render(cache.get(store, story_id), "json"))
        return doc

    def read_uploads(files: list[UploadFile], texts: list[str]) -> tuple[list[Article], list[InputError]]:
        from corroborator.ingest import read_bytes

        texts = [t for t in texts if t.strip()]
        files = [f for f in files if f.filename or f.size]
        if len(files) + len(texts) > MAX_UPLOAD_FILES:
            raise ApiError(
                413,
                f"too many files: {len(files) + len(texts)} given, at most {MAX_UPLOAD_FILES} per request",
            )
        articles: list[Article] = []
        errors: list[InputError] = []
        for upload in files:
            # The client's file name only picks the reader by its extension; it never reaches the disk.
            name = os.path.basename((upload.filename or "").replace("\\", "/")) or "upload.txt"
            data = upload.file.read(MAX_UPLOAD_BYTES + 1)
            if len(data) > MAX_UPLOAD_BYTES:
                raise ApiError(413, f"{name}: larger than the {MAX_UPLOAD_BYTES // 1_000_000} MB limit per file")
            got, errs = read_bytes(name, data, settings)
            articles.extend(got)
            errors.extend(errs)
        for i, text in enumerate(texts):
            data = text.encode("utf-8")
            if len(data) > MAX_UPLOAD_BYTES:
                raise ApiError(413, f"pasted text {i + 1}: larger than the {MAX_UPLOAD_BYTES // 1_000_000} MB limit")
            got, errs = read_bytes(f"pasted-{i + 1}.md", data, settings)
            articles.extend(got)
            errors.extend(errs)
        return articles, errors

    def compare_uploads(files: list[UploadFile], texts: list[str]) -> tuple[Any, list[InputError]]:
        from corroborator.compare import compare_articles

        articles, errors = read_uploads(files, texts)
        if len({a.id for a in articles}) < 2:
            problems = "; ".join(str(e) for e in errors) or f"{len(articles)} readable article(s) given"
            raise ApiError(400, f"a comparison needs at least two different readable articles: {problems}")
        return compare_articles(articles, settings=settings), errors

    def article_json(article: Article) -> dict[str, Any]:
        facts = _facts(store, article)
        story = store.story_of(article.id)
        return {
            "id": article.id,
            "external_id": article.external_id,
            "source": article.source,
            "url": article.url,
            "title": article.title,
            "byline": article.byline,
            "published": _iso(article.published),
            "language": article.language,
            "story": story,
            "story_url": f"/api/stories/{story}" if story else None,
            "text": article.text,
            "sentences": [{"index": s.index, "start": s.start, "end": s.end} for s in store.sentences(article.id)],
            "facts": [
                {
                    "kind": f.kind,
                    "start": f.start,
                    "end": f.end,
                    "text": f.text,
                    "norm": f.norm,
                    "speaker": f.speaker,
                }
                for f in facts
            ],
        }

    def check_json(request: Request, claim: str, story: str | None, limit: int, offset: int) -> dict[str, Any]:
        if len(claim.strip()) < 3:
            raise ApiError(400, "claim: write at least a few words to check")
        if len(claim) > MAX_CLAIM_CHARS:
            raise ApiError(400, f"claim: at most {MAX_CLAIM_CHARS} characters ({len(claim)} given)")
        comparison = cache.get(store, story) if story and len(store.story(story).article_ids) > 1 else None
        result = _check(store, settings, claim, story, comparison)
        rows = result.pop("results")
        stances: dict[str, int] = {}
        for r in rows:
            stances[r["stance"]] = stances.get(r["stance"], 0) + 1
        result["stances"] = stances
        page_rows = rows[offset : offset + limit]
        return result | {
            "results": page_rows,
            "total": len(rows),
            "limit": limit,
            "offset": offset,
            "next": next_url(request, offset, limit, len(page_rows), len(rows)),
        }

    # -- JSON API ------------------------------------------------------------------------------

    @app.get(
        "/api/stories",
        tags=["stories"],
        responses=responses(400, 422),
        summary="Stories, newest activity first (paginated)",
    )
    def api_stories(
        request: Request,
        q: str | None = Query(None, description="words in a story or article title"),
        since: str | None = Query(None, description="YYYY-MM-DD: stories active on or after this day"),
        until: str | None = Query(None, description="YYYY-MM-DD: stories active on or before this day"),
        source: str | None = Query(None, description="stories with an article from this outlet"),
        min_size: int | None = Query(None, ge=1, description="stories with at least this many articles"),
        disputed: bool = Query(False, description="only stories with a contradiction (known once compared)"),
        limit: int = Query(PAGE_SIZE, ge=1, le=200),
        offset: int = Query(0, ge=0),
    ) -> dict[str, Any]:
        return list_stories(story_filter(q, since, source, min_size, disputed, limit, offset, until), request)

    @app.get(
        "/api/stories/{story_id}",
        tags=["stories"],
        responses=responses(400, 404),
        summary="The comparison of one story (schema corroborator.comparison/1)",
    )
    def api_story(story_id: str) -> dict[str, Any]:
        return comparison_json(story_id)

    @app.get(
        "/api/articles/{article_id}",
        tags=["articles"],
        responses=responses(404),
        summary="One article with its sentences and facts",
    )
    def api_article(article_id: str) -> dict[str, Any]:
        return article_json(store.get_article(article_id))

    @app.post(
        "/api/compare",
        tags=["compare"],
        responses=responses(400, 401, 403, 413, 422),
        summary="Compare uploaded or pasted articles on the spot",
        dependencies=[Depends(require_token)],
    )
    def api_compare(
        files: list[UploadFile] = File(default=[], description="article files (any supported format)"),
        text: list[str] = Form(default=[], description="pasted articles (optional YAML front matter)"),
    ) -> dict[str, Any]:
        from corroborator.render import render

        comparison, errors = compare_uploads(files, text)
        result: dict[str, Any] = json.loads(render(comparison, "json"))
        result["input_errors"] = [str(e) for e in errors]
        return result

    @app.post(
        "/api/ingest",
        tags=["ingest"],
        status_code=202,
        responses=responses(400, 401, 403, 413, 422),
        summary="Store uploaded articles (a background job; poll its url)",
        dependencies=[Depends(require_token)],
    )
    def api_ingest(files: list[UploadFile] = File(default=[]), text: list[str] = Form(default=[])) -> dict[str, Any]:
        articles, errors = read_uploads(files, text)
        if not articles and not errors:
            raise ApiError(400, "nothing to ingest: send files or text")
        job = jobs.start([*articles, *errors])
        return job.as_dict() | {"url": f"/api/jobs/{job.id}"}

    @app.get("/api/jobs/{job_id}", tags=["ingest"], responses=responses(404), summary="Progress of an ingest job")
    def api_job(job_id: str) -> dict[str, Any]:
        if not re.fullmatch(r"[0-9a-f]{12}", job_id) or (job := jobs.get(job_id)) is None:
            raise ApiError(404, f"no job {job_id!r} (jobs are kept in memory until the server restarts)")
        return job.as_dict() | {"url": f"/api/jobs/{job.id}"}

    @app.get(
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
    ) -> dict[str, Any]:
        return check_json(request, claim, story, limit, offset)

    @app.get("/api/health", tags=["meta"], summary="Liveness and store size")
    def health() -> dict[str, Any]:
        return {
            "ok": True,
            "articles": store.count_articles(),
            "stories": store.count_stories(),
            "backend": store.backend,
            "token_required": token is not None,
        }

    # -- pages ---------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(
        request: Request,
        q: str | None = None,
        since: str | None = None,
        until: str | None = None,
        source: str | None = None,
        min_size: str | None = None,  # a text field: an empty form field arrives as ""
        disputed: bool = False,
        offset: int = Query(0, ge=0),
    ) -> str:
        size: int | None = None
        if min_size:
            if not min_size.isdigit() or int(min_size) < 1:
                raise ApiError(400, f"min. articles: {min_size!r} is not a whole number of 1 or more")
            size = int(min_size)
        data = list_stories(story_filter(q, since, source, size, disputed, PAGE_SIZE, offset, until), request)
        arts = [a for s in data["items"] for a in s["articles"]]
        colours = source_colours([a["source"] for a in arts])
        points = [(a["source"], datetime.fromisoformat(a["published"])) for a in arts if a["published"]]
        biggest = max((s["size"] for s in data["items"]), default=1)
        params = {
            "q": q or "",
            "since": since or "",
            "until": until or "",
            "source": source or "",
            "min_size": min_size or "",
            "disputed": disputed,
        }
        query = dict(request.query_params)
        query.pop("offset", None)
        return page(
            "stories.html",
            title="Stories",
            data=data,
            params=params,
            articles=store.count_articles(),
            bars={s["id"]: size_bar(s["size"], biggest) for s in data["items"]},
            chart=sources_over_time(points, colours),
            colours=colours,
            json_url=str(request.url.replace(path="/api/stories")),
            prev_url=f"?{urlencode(query | {'offset': max(0, offset - PAGE_SIZE)})}" if offset > 0 else None,
            next_url=f"?{urlencode(query | {'offset': offset + PAGE_SIZE})}" if data["next"] else None,
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str) -> Response:
        from corroborator.render import render

        story = store.story(story_id)
        arts = [store.get_article(a) for a in story.article_ids]
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
        report = render(cache.get(store, story.id), "html")
        links = [(a.label, f"/articles/{a.id}") for a in arts]
        return _report_response(request, report, back="/", json_url=f"/api/stories/{story.id}", articles=links)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str) -> str:
        article = store.get_article(article_id)
        facts = _facts(store, article)
        counts: dict[str, int] = {}
        for f in facts:
            counts[f.kind] = counts.get(f.kind, 0) + 1
        return page(
            "article.html",
            title=article.title or article.id,
            article=article,
            body=highlight_facts(article, facts),
            counts=sorted(counts.items()),
            story=store.story_of(article.id),
            json_url=f"/api/articles/{article.id}",
        )

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_page() -> str:
        return page(
            "compare.html",
            title="Compare",
            needs_token=token is not None,
            max_files=MAX_UPLOAD_FILES,
            max_mb=MAX_UPLOAD_BYTES // 1_000_000,
            max_request_mb=MAX_REQUEST_BYTES // 1_000_000,
            json_url=None,  # its twins are POSTs (/api/compare, /api/ingest), named on the page
        )

    @app.post(
        "/compare",
        response_class=HTMLResponse,
        include_in_schema=False,
        dependencies=[Depends(require_token)],
    )
    def compare_submit(
        request: Request, files: list[UploadFile] = File(default=[]), text: list[str] = Form(default=[])
    ) -> Response:
        from corroborator.render import render

        comparison, errors = compare_uploads(files, text)
        notes = [f"not read: {e}" for e in errors]
        return _report_response(request, render(comparison, "html"), back="/compare", notes=notes)

    @app.get("/check", response_class=HTMLResponse, include_in_schema=False)
    def check_page(
        request: Request, claim: str | None = None, story: str | None = None, offset: int = Query(0, ge=0)
    ) -> str:
        result = check_json(request, claim, story or None, PAGE_SIZE, offset) if claim else None
        chart = stance_bar(result["stances"]) if result else None
        params = {"claim": claim or "", "story": story or ""}
        return page(
            "check.html",
            title="Check a claim",
            claim=claim or "",
            story=story or "",
            result=result,
            json_url=str(request.url.replace(path="/api/check")) if claim else None,
            params=params,
            chart=chart,
        )

    return app


def _date_param(name: str, value: str | None, end_of_day: bool = False) -> datetime | None:
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


def _report_response(
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


def _facts(store: Store, article: Article) -> list[Any]:
    from corroborator.text.facts import FACTS_ANALYSER, extract_facts

    cached = store.facts(article.id, FACTS_ANALYSER)
    if cached is not None:
        return cached
    sentences = store.sentences(article.id)
    facts = list(extract_facts(article, sentences))
    store.put_facts(article.id, FACTS_ANALYSER, facts)
    return facts


def _check(store: Store, settings: Settings, claim: str, story: str | None, comparison: Any = None) -> dict[str, Any]:
    from corroborator.check import check_claim
    from corroborator.store.base import DEFAULT_ENCODER

    if story:
        articles = [store.get_article(a) for a in store.story(story).article_ids]
    else:
        articles = store.articles(limit=CHECK_POOL)
    duplicate_of = {link.article_id: link.original_id for link in store.duplicate_links()}
    if comparison is not None:
        # Within a story, a rewrite of another article is not a second witness either.
        from corroborator.compare import copies

        duplicate_of = copies(comparison, duplicate_of)
    # The store's sentences and any cached sentence vectors, so a check re-splits and re-embeds nothing known.
    sentences = {a.id: store.sentences(a.id) for a in articles}
    vectors = {}
    for a in articles:
        vecs = store.sentence_vectors(a.id, DEFAULT_ENCODER)
        if vecs is not None and len(vecs) == len(sentences[a.id]):
            vectors[a.id] = vecs
    result = check_claim(
        claim,
        articles,
        duplicate_of=duplicate_of,
        sentences={k: v for k, v in sentences.items() if v},
        vectors=vectors,
    )
    rows = []
    for article, judgement in result.judgements:
        rows.append(
            {
                "article": article.id,
                "url": f"/articles/{article.id}",
                "source": article.label,
                "title": article.title,
                "stance": judgement.stance,
                "score": round(float(judgement.score), 4),
                "evidence": [
                    {"text": e.text, "start": e.start, "end": e.end, "score": round(float(e.score), 4)}
                    for e in judgement.evidence
                ],
            }
        )
    return {
        "claim": claim,
        "story": story,
        "results": rows,
        "supporting_sources": result.supporting_sources,
        "disputing_sources": result.disputing_sources,
    }
