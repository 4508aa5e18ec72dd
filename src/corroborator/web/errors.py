"""The one JSON error body every endpoint returns, documented in docs/web.md.

    {"error": {"status": 404, "code": "not_found", "message": "no story 'sx' in this store"}}

No traceback ever leaves the server: unexpected exceptions are logged and become a 500 with this body.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from corroborator.errors import CorroboratorError, InputError, MissingExtra, ModelError, NotFound, StoreError

log = logging.getLogger("corroborator.web")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    422: "invalid_request",
    500: "internal_error",
    503: "busy",
}


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str


class ErrorBody(BaseModel):
    """The one error body, for the OpenAPI description."""

    error: ErrorDetail


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the error statuses an endpoint may answer with (422 and 500 always:
    FastAPI would otherwise describe its own validation body, which this app never sends)."""
    return {s: {"model": ErrorBody, "description": CODES[s]} for s in sorted({*statuses, 422, 500})}


class ApiError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        self.status = status
        self.message = message
        self.code = code or CODES.get(status, "error")
        super().__init__(message)


def error_body(status: int, message: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"status": status, "code": code or CODES.get(status, "error"), "message": message}}


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def _respond(request: Request, status: int, message: str, code: str | None = None) -> JSONResponse | HTMLResponse:
    if _wants_html(request):
        from corroborator.web.pages import error_page

        return HTMLResponse(error_page(status, message), status_code=status)
    return JSONResponse(error_body(status, message, code), status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse | HTMLResponse:
        return _respond(request, exc.status, exc.message, exc.code)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> JSONResponse | HTMLResponse:
        return _respond(request, 404, str(exc))

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> JSONResponse | HTMLResponse:
        return _respond(request, 400, str(exc))

    @app.exception_handler(StoreError)
    @app.exception_handler(ModelError)
    @app.exception_handler(MissingExtra)
    async def _server_side(request: Request, exc: CorroboratorError) -> JSONResponse | HTMLResponse:
        # The server's own trouble: the message may name server paths, so it goes to the log only.
        log.error("%s on %s: %s", type(exc).__name__, request.url.path, exc)
        return _respond(request, 500, f"internal error ({type(exc).__name__}); the server log has the details")

    @app.exception_handler(CorroboratorError)
    async def _library_error(request: Request, exc: CorroboratorError) -> JSONResponse | HTMLResponse:
        return _respond(request, 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse | HTMLResponse:
        return _respond(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse | HTMLResponse:
        parts = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x != "body")
            parts.append(f"{where}: {err.get('msg', 'invalid')}")
        return _respond(request, 422, "; ".join(parts) or "invalid request")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse | HTMLResponse:
        log.exception("unhandled error on %s", request.url.path)
        return _respond(request, 500, "internal error; the server log has the details")
