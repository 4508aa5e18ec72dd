"""The app's protections that are not about escaping: CSP, the report's script hashes, request size, origin.

The Content-Security-Policy of the app's own pages allows scripts from /static only. The story page
embeds the self-contained report, whose interactions are one inline script; the policy for that page
allows exactly the hashes of the script constants the renderer itself defines (taken from the
renderer's module, never from the page), so a script anywhere else in the page, say one smuggled in
through an article, cannot run even if escaping failed.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'{extra}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def sha256_source(script: str) -> str:
    """A CSP source expression for an inline script body."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


@lru_cache(maxsize=1)
def report_script_hashes() -> tuple[str, ...]:
    """Hashes of the inline scripts the HTML renderer emits: its module-level ``*JS`` string constants."""
    from corroborator.render import html as report_html

    bodies = {
        value for name, value in vars(report_html).items() if name.upper().endswith("JS") and isinstance(value, str)
    }
    return tuple(sorted(sha256_source(b) for b in bodies))


def csp(extra_hashes: tuple[str, ...] = ()) -> str:
    return CSP.format(extra="".join(" " + h for h in extra_hashes))


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def host_name(host: str) -> str:
    """The name in a Host header, without its port or IPv6 brackets."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def cross_origin(headers: Any) -> str | None:
    """The foreign origin of a browser request, or None when it comes from this app (or from no browser).

    Browsers send Origin on every cross-site POST; comparing it with Host stops another web site from
    making a reader's browser write to a server on localhost.
    """
    origin = headers.get("origin")
    if not origin or origin == "null":
        return origin or None
    host = headers.get("host", "")
    return None if urlsplit(origin).netloc == host else origin


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` before they are parsed or spooled to disk."""

    def __init__(self, app: ASGIApp, max_bytes: int, message: str) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.message = message

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0
        exceeded = False

        async def counted() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                # A chunked body without a length: stop reading; the parser sees the client as gone.
                exceeded = True
                return {"type": "http.disconnect"}
            return message

        async def answer(message: Message) -> None:
            # Whatever the app makes of the cut-off body, the client hears why it was cut off.
            if not exceeded:
                await send(message)
            elif message["type"] == "http.response.start":
                await self._refuse(send)

        await self.app(scope, counted, answer)

    async def _refuse(self, send: Send) -> None:
        import json

        from corroborator.web.errors import error_body

        body = json.dumps(error_body(413, self.message)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
