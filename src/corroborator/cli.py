"""The ``corroborator`` command line: a thin typer layer over the library.

Each command lives in ``corroborator/commands/<name>.py`` and registers itself on the shared typer app
(:mod:`corroborator.commands.base`); importing the modules below is what registers them. Library errors
become one-line CLI errors at the edge, with exit code 1 (2 for usage).
"""

from __future__ import annotations

from corroborator.commands import (  # noqa: F401  (registers)
    batch,
    check,
    compare,
    history,
    ingest,
    load,
    pair,
    quotes,
    serve,
    settings,
    stories,
    watch,
)
from corroborator.commands.base import (
    app,
    err_console,
    fail,
    library_errors,
    out_console,
    settings_from,
)

__all__ = ["app", "err_console", "fail", "library_errors", "main", "out_console", "settings_from"]


def main() -> None:
    import logging

    # Readers' libraries log per-record warnings (odd WARC URIs, pages without a date) that the ingest
    # summary already reports as one line per input; keep the terminal for those lines.
    for noisy in ("trafilatura", "htmldate", "warcio", "courlan", "readability", "justext"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    app()
