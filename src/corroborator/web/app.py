"""The web app: server-rendered pages, each with a JSON twin under /api, described by OpenAPI.

One app object holds one store. The routers (``corroborator.web.routes``: stories, story, article,
compare, check, ingest, api) parse requests and render pages; the work is the library API
(:mod:`corroborator.api`), the same functions the CLI calls. Besides requests, the app runs one
background worker that compares stories which gained an independent source (so the "disputed" filter
is right without anyone opening them), and keeps ingest jobs in the store (a restart shows them as
interrupted and can resume them).

Security defaults: bound to localhost by the CLI, a strict Content-Security-Policy, every article
string escaped, upload size and count limits, no request value ever used as a file-system path,
cross-site writes refused, and write endpoints protected by a token when CORROBORATOR_WEB_TOKEN is set.
See docs/web.md.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from corroborator.api import ClaimChecks, JobRunner, Refresher, Store, Worker
from corroborator.settings import Settings
from corroborator.web.context import (
    MAX_REQUEST_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_FILES,
    PAGE_SIZE,
    TOKEN_ENV,
    WebContext,
)
from corroborator.web.errors import error_body, install_error_handlers
from corroborator.web.routes import api, article, check, compare, ingest, quotes, stories, story
from corroborator.web.routes.check import MAX_WAITING as MAX_CHECKS_WAITING
from corroborator.web.security import BodyLimit, csp, host_name, report_script_hashes

__all__ = [
    "MAX_REQUEST_BYTES",
    "MAX_UPLOAD_BYTES",
    "MAX_UPLOAD_FILES",
    "PAGE_SIZE",
    "TOKEN_ENV",
    "create_app",
]

STATIC = Path(__file__).parent / "static"
SWEEP_EVERY_S = 60.0  # how often the background worker looks for stories another process changed


def create_app(
    store: Store,
    settings: Settings | None = None,
    token: str | None = None,
    allowed_hosts: Collection[str] | None = None,
    *,
    background: bool = True,
    location: str | None = None,
) -> FastAPI:
    """Build the app around an open store. ``token`` defaults to $CORROBORATOR_WEB_TOKEN (unset: no token).

    ``allowed_hosts``: host names the Host header may carry (any when None); ``serve`` on localhost
    passes the loopback names, so a web page that rebinds its own DNS name to 127.0.0.1 gets nothing.
    ``background``: run the comparison worker (started and stopped with the app's lifespan).
    ``location``: where ``store`` is (what ``open_store`` was given); with it and ``background``,
    comparisons, facts and claim checks run in two processes of their own over that store (``serve``
    does this), so the readers' threads never wait for the GIL behind them. Without it they run on
    threads of this process.
    """
    settings = settings or Settings()
    token = token if token is not None else os.environ.get(TOKEN_ENV) or None
    spawn = background and location is not None and location != ":memory:"
    worker = Worker(location, settings) if spawn and location else None
    checker = Worker(location, settings) if spawn and location else None
    refresher = Refresher(store, settings, sweep_every=SWEEP_EVERY_S, worker=worker) if background else None
    checks = ClaimChecks(checker, waiting=MAX_CHECKS_WAITING) if checker is not None else None
    ctx = WebContext(store, settings, token, JobRunner(store, settings, refresher), refresher, checks)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if refresher is not None:
            refresher.start()
        try:
            yield
        finally:
            if refresher is not None:
                refresher.stop()
            for process in (worker, checker):
                if process is not None:
                    process.close()

    app = FastAPI(
        docs_url=None,
        redoc_url=None,
        title="corroborator",
        version="1",
        lifespan=lifespan,
        description=(
            "Stories, comparisons, articles and claim checks. Every page has a JSON twin under /api. "
            'Every error is {"error": {"status", "code", "message"}}. Write endpoints need '
            f"`Authorization: Bearer <token>` when ${TOKEN_ENV} is set."
        ),
    )
    app.state.ctx = ctx
    app.state.store = store
    install_error_handlers(app)
    app.add_middleware(
        BodyLimit,
        max_bytes=MAX_REQUEST_BYTES,
        message=f"request body larger than {MAX_REQUEST_BYTES // 1_000_000} MB; send fewer or smaller files",
    )
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

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

    for family in (stories, story, article, compare, check, ingest, quotes, api):
        app.include_router(family.router)
    return app
