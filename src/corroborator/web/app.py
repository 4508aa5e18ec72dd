"""The web app: server-rendered pages, each with a JSON twin under /api, described by OpenAPI.

One app object holds one store. Reads and writes go through the store facade (which serialises writes);
pages and the JSON API call the same library functions as the CLI. Security defaults: bound to
localhost by the CLI, strict Content-Security-Policy, every article string escaped, upload size and
count limits, no request value ever used as a file-system path, and write endpoints protected by a token
when CORROBORATOR_WEB_TOKEN is set.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import threading
from collections import OrderedDict
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from corroborator.errors import InputError
from corroborator.model import Article
from corroborator.settings import Settings
from corroborator.store.base import Store, StoryFilter
from corroborator.web.errors import ApiError, install_error_handlers
from corroborator.web.jobs import JobRunner
from corroborator.web.pages import highlight_facts, page

STATIC = Path(__file__).parent / "static"
TOKEN_ENV = "CORROBORATOR_WEB_TOKEN"
MAX_UPLOAD_BYTES = 5_000_000
MAX_UPLOAD_FILES = 50
MAX_CLAIM_CHARS = 1_000
PAGE_SIZE = 20

_CSP = (
    "default-src 'self'; script-src 'self'{extra}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


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


def create_app(store: Store, settings: Settings | None = None, token: str | None = None) -> FastAPI:
    """Build the app around an open store. ``token`` defaults to $CORROBORATOR_WEB_TOKEN."""
    settings = settings or Settings()
    token = token if token is not None else os.environ.get(TOKEN_ENV) or None
    app = FastAPI(
        title="corroborator",
        version="1",
        description="Stories, comparisons, articles and claim checks. Every page has a JSON twin under /api.",
    )
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    cache = ComparisonCache()
    jobs = JobRunner(store, settings)
    app.state.store = store

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        extra = getattr(request.state, "script_hashes", "")
        response.headers.setdefault("Content-Security-Policy", _CSP.format(extra=extra))
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    def require_token(request: Request, form_token: str | None = Form(None, alias="token")) -> None:
        if token is None:
            return
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        # A plain HTML form cannot set headers, so the compare page may send the token as a field.
        given = given or request.headers.get("x-corroborator-token", "") or (form_token or "")
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise ApiError(401, f"this endpoint needs the token set in ${TOKEN_ENV} (Authorization: Bearer ...)")

    # -- helpers -------------------------------------------------------------------------------

    def story_row(story: Any) -> dict[str, Any]:
        arts = [store.get_article(a) for a in story.article_ids]
        return {
            "id": story.id,
            "title": story.title,
            "size": len(story.article_ids),
            "sources": sorted({a.label for a in arts}),
            "articles": [a.external_id or a.id for a in arts],
            "first_published": story.first_published.isoformat() if story.first_published else None,
            "last_published": story.last_published.isoformat() if story.last_published else None,
            "url": f"/stories/{story.id}",
        }

    def story_filter(
        q: str | None, since: str | None, source: str | None, min_size: int | None, disputed: bool, limit: int, offset: int
    ) -> StoryFilter:
        since_dt = None
        if since:
            try:
                since_dt = datetime.fromisoformat(since)
            except ValueError:
                raise ApiError(400, f"since: {since!r} is not a date (use YYYY-MM-DD)") from None
        return StoryFilter(
            since=since_dt, source=source or None, query=q or None, min_size=min_size,
            disputed_only=disputed, limit=limit, offset=offset,
        )

    def list_stories(flt: StoryFilter, request: Request) -> dict[str, Any]:
        total = store.count_stories(flt)
        items = [story_row(s) for s in store.stories(flt)]
        nxt = None
        if flt.offset + len(items) < total:
            params = dict(request.query_params)
            params["offset"] = str(flt.offset + (flt.limit or PAGE_SIZE))
            nxt = str(request.url.replace_query_params(**params))
        return {"items": items, "total": total, "limit": flt.limit, "offset": flt.offset, "next": nxt}

    def comparison_json(story_id: str) -> dict[str, Any]:
        import json

        from corroborator.render import render

        return json.loads(render(cache.get(store, story_id), "json"))  # type: ignore[no-any-return]

    def read_uploads(files: list[UploadFile], texts: list[str]) -> tuple[list[Article], list[InputError]]:
        from corroborator.ingest import read_bytes

        if len(files) + len(texts) > MAX_UPLOAD_FILES:
            raise ApiError(413, f"too many files: at most {MAX_UPLOAD_FILES} per request")
        articles: list[Article] = []
        errors: list[InputError] = []
        for upload in files:
            # The client's file name only picks the reader by its extension; it never reaches the disk.
            name = os.path.basename(upload.filename or "upload.txt") or "upload.txt"
            data = upload.file.read(MAX_UPLOAD_BYTES + 1)
            if len(data) > MAX_UPLOAD_BYTES:
                raise ApiError(413, f"{name}: larger than the {MAX_UPLOAD_BYTES // 1_000_000} MB upload limit")
            got, errs = read_bytes(name, data, settings)
            articles.extend(got)
            errors.extend(errs)
        for i, text in enumerate(t for t in texts if t.strip()):
            if len(text.encode()) > MAX_UPLOAD_BYTES:
                raise ApiError(413, f"text {i + 1}: larger than the upload limit")
            got, errs = read_bytes(f"pasted-{i + 1}.txt", text.encode("utf-8"), settings)
            articles.extend(got)
            errors.extend(errs)
        return articles, errors

    # -- JSON API ------------------------------------------------------------------------------

    @app.get("/api/stories", tags=["stories"], summary="Stories, newest activity first (paginated)")
    def api_stories(
        request: Request,
        q: str | None = Query(None, description="words in a story or article title"),
        since: str | None = Query(None, description="YYYY-MM-DD: stories active since"),
        source: str | None = Query(None, description="stories with an article from this outlet"),
        min_size: int | None = Query(None, ge=1),
        disputed: bool = Query(False, description="only stories with a disputed claim"),
        limit: int = Query(PAGE_SIZE, ge=1, le=200),
        offset: int = Query(0, ge=0),
    ) -> dict[str, Any]:
        return list_stories(story_filter(q, since, source, min_size, disputed, limit, offset), request)

    @app.get("/api/stories/{story_id}", tags=["stories"], summary="The comparison of one story (schema corroborator.comparison/1)")
    def api_story(story_id: str) -> dict[str, Any]:
        return comparison_json(story_id)

    @app.get("/api/articles/{article_id}", tags=["articles"], summary="One article with its sentences and facts")
    def api_article(article_id: str) -> dict[str, Any]:
        article = store.get_article(article_id)
        facts = _facts(store, article)
        return {
            "id": article.id,
            "external_id": article.external_id,
            "source": article.source,
            "url": article.url,
            "title": article.title,
            "byline": article.byline,
            "published": article.published.isoformat() if article.published else None,
            "language": article.language,
            "story": store.story_of(article.id),
            "text": article.text,
            "sentences": [{"index": s.index, "start": s.start, "end": s.end} for s in store.sentences(article.id)],
            "facts": [
                {"kind": f.kind, "start": f.start, "end": f.end, "text": f.text, "norm": f.norm, "speaker": f.speaker}
                for f in facts
            ],
        }

    @app.post("/api/compare", tags=["compare"], summary="Compare uploaded or pasted articles on the spot",
              dependencies=[Depends(require_token)])
    def api_compare(
        files: list[UploadFile] = File(default=[]),
        text: list[str] = Form(default=[]),
    ) -> dict[str, Any]:
        import json

        from corroborator.compare import compare_articles
        from corroborator.render import render

        articles, errors = read_uploads(files, text)
        if len(articles) < 2:
            problems = "; ".join(str(e) for e in errors) or "fewer than two articles given"
            raise ApiError(400, f"a comparison needs at least two readable articles: {problems}")
        result = json.loads(render(compare_articles(articles, settings=settings), "json"))
        result["input_errors"] = [str(e) for e in errors]
        return result  # type: ignore[no-any-return]

    @app.post("/api/ingest", tags=["ingest"], status_code=202, summary="Store uploaded articles (a background job)",
              dependencies=[Depends(require_token)])
    def api_ingest(files: list[UploadFile] = File(default=[]), text: list[str] = Form(default=[])) -> dict[str, Any]:
        articles, errors = read_uploads(files, text)
        if not articles and not errors:
            raise ApiError(400, "nothing to ingest: send files or text")
        job = jobs.start([*articles, *errors])
        return job.as_dict() | {"url": f"/api/jobs/{job.id}"}

    @app.get("/api/jobs/{job_id}", tags=["ingest"], summary="Progress of an ingest job")
    def api_job(job_id: str) -> dict[str, Any]:
        if not re.fullmatch(r"[0-9a-f]{12}", job_id) or (job := jobs.get(job_id)) is None:
            raise ApiError(404, f"no job {job_id!r} (jobs are kept in memory until the server restarts)")
        return job.as_dict()

    @app.get("/api/check", tags=["check"], summary="Which stored articles support or dispute a claim")
    def api_check(
        claim: str = Query(..., min_length=3, max_length=MAX_CLAIM_CHARS),
        story: str | None = Query(None, description="limit to one story"),
        limit: int = Query(20, ge=1, le=200),
    ) -> dict[str, Any]:
        return _check(store, claim, story, limit)

    # -- pages ---------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(
        request: Request,
        q: str | None = None,
        since: str | None = None,
        source: str | None = None,
        min_size: int | None = Query(None, ge=1),
        disputed: bool = False,
        offset: int = Query(0, ge=0),
    ) -> str:
        data = list_stories(story_filter(q, since, source, min_size, disputed, PAGE_SIZE, offset), request)
        return page(
            "stories.html", title="Stories", data=data,
            params={"q": q or "", "since": since or "", "source": source or "", "min_size": min_size or "",
                    "disputed": disputed},
            articles=store.count_articles(),
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str) -> Response:
        from corroborator.render import render

        report = render(cache.get(store, story_id), "html")
        return _report_response(request, report, back="/")

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str) -> str:
        article = store.get_article(article_id)
        facts = _facts(store, article)
        counts: dict[str, int] = {}
        for f in facts:
            counts[f.kind] = counts.get(f.kind, 0) + 1
        return page(
            "article.html", title=article.title or article.id, article=article,
            body=highlight_facts(article, facts), counts=sorted(counts.items()), story=store.story_of(article.id),
        )

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_page() -> str:
        return page("compare.html", title="Compare", needs_token=token is not None,
                    max_files=MAX_UPLOAD_FILES, max_mb=MAX_UPLOAD_BYTES // 1_000_000)

    @app.post("/compare", response_class=HTMLResponse, include_in_schema=False,
              dependencies=[Depends(require_token)])
    def compare_submit(
        request: Request, files: list[UploadFile] = File(default=[]), text: list[str] = Form(default=[])
    ) -> Response:
        from corroborator.compare import compare_articles
        from corroborator.render import render

        articles, errors = read_uploads(files, text)
        if len(articles) < 2:
            problems = "; ".join(str(e) for e in errors) or "fewer than two articles given"
            raise ApiError(400, f"a comparison needs at least two readable articles: {problems}")
        return _report_response(request, render(compare_articles(articles, settings=settings), "html"), back="/compare")

    @app.get("/check", response_class=HTMLResponse, include_in_schema=False)
    def check_page(claim: str | None = None, story: str | None = None) -> str:
        result = None
        if claim:
            if len(claim) > MAX_CLAIM_CHARS:
                raise ApiError(400, f"claim: at most {MAX_CLAIM_CHARS} characters")
            result = _check(store, claim, story, 20)
        return page("check.html", title="Check a claim", claim=claim or "", story=story or "", result=result)

    @app.get("/api/health", tags=["meta"], summary="Liveness and store size")
    def health() -> dict[str, Any]:
        return {"ok": True, "articles": store.count_articles(), "stories": store.count_stories(), "backend": store.backend}

    return app


def _report_response(request: Request, report: str, back: str) -> HTMLResponse:
    """Serve a self-contained report with a navigation bar, allowing only its own inline scripts by hash."""
    hashes = []
    for body in re.findall(r"<script(?:\s[^>]*)?>(.*?)</script>", report, flags=re.S):
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        import base64

        hashes.append(f" 'sha256-{base64.b64encode(digest).decode()}'")
    request.state.script_hashes = "".join(hashes)
    nav = (
        '<nav class="cb-nav" style="font:14px system-ui;padding:6px 12px;background:#1f2937">'
        f'<a style="color:#fff;margin-right:1em" href="{back}">&larr; back</a>'
        '<a style="color:#fff;margin-right:1em" href="/">stories</a>'
        '<a style="color:#fff;margin-right:1em" href="/compare">compare</a>'
        '<a style="color:#fff" href="/check">check a claim</a></nav>'
    )
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


def _check(store: Store, claim: str, story: str | None, limit: int) -> dict[str, Any]:
    from corroborator.check import check_claim

    if story:
        articles = [store.get_article(a) for a in store.story(story).article_ids]
    else:
        articles = store.articles(limit=500)
    duplicate_of = {link.article_id: link.original_id for link in store.duplicate_links()}
    result = check_claim(claim, articles, duplicate_of=duplicate_of)
    rows = []
    for article, judgement in result.judgements[:limit]:
        rows.append({
            "article": article.id,
            "source": article.label,
            "title": article.title,
            "stance": judgement.stance,
            "score": round(float(judgement.score), 4),
            "evidence": [
                {"text": e.text, "start": e.start, "end": e.end, "score": round(float(e.score), 4)}
                for e in judgement.evidence
            ],
        })
    return {
        "claim": claim,
        "story": story,
        "results": rows,
        "supporting_sources": result.supporting_sources,
        "disputing_sources": result.disputing_sources,
    }

