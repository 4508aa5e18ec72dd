"""``corroborator serve``: the web app over a store (needs the 'web' extra)."""

from __future__ import annotations

import os

import typer

from corroborator.commands.base import app, err_console, library_errors
from corroborator.errors import MissingExtra


@app.command("serve")
@library_errors
def serve_command(
    db: str = typer.Option("corroborator.db", "--db", help="SQLite file or postgresql:// URL."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; localhost by default."),
    port: int = typer.Option(8000, "--port", help="TCP port."),
) -> None:
    """Serve the stories, story, article, compare and check pages with their JSON API (OpenAPI at /docs).

    Write endpoints (compare, ingest) need the token in $CORROBORATOR_WEB_TOKEN when it is set.
    See docs/web.md.
    """
    try:
        import uvicorn

        from corroborator.web.app import TOKEN_ENV, create_app
        from corroborator.web.security import LOOPBACK_HOSTS
    except ImportError as exc:
        raise MissingExtra("web", "corroborator serve") from exc
    from corroborator.api import open_store

    local = host in LOOPBACK_HOSTS
    if not local:
        err_console.print(f"warning: serving on {host}, reachable from other machines", highlight=False)
        if not os.environ.get(TOKEN_ENV):
            err_console.print(
                f"warning: ${TOKEN_ENV} is not set, so anyone who can reach {host}:{port} can upload and store "
                "articles; set it to require a token",
                highlight=False,
            )
    with open_store(db) as store:
        # On localhost the Host header must name localhost too, against DNS rebinding.
        # ``location``: the background work and claim checks open the same store in their own processes.
        web = create_app(store, allowed_hosts=LOOPBACK_HOSTS if local else None, location=db)
        uvicorn.run(web, host=host, port=port, log_level="info")
