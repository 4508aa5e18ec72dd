"""``corroborator history URL|ID``: an article's versions and what changed between each two."""

from __future__ import annotations

import sys

import typer

from corroborator.commands.base import ReportFormat, app, library_errors

# A string, not a Path: a Path would fold "postgresql://" into "postgresql:/".
DbOpt = typer.Option("corroborator.db", "--db", help="SQLite file or postgresql:// URL.")


@app.command("history")
@library_errors
def history_command(
    ref: str = typer.Argument(..., help="The article's URL, id, id prefix, external id or a version's id."),
    db: str = DbOpt,
    fmt: ReportFormat = typer.Option(ReportFormat.text, "--format", help="Output format."),
) -> None:
    """Show an article's versions (each changed body ingested at its URL) and, for each new version, the
    claims added, removed and changed with the typed facts that changed; refactors are counted apart."""
    from corroborator.api import open_store
    from corroborator.api.history import article_history, history_document
    from corroborator.render.history import render_history

    with open_store(db, create=False) as store:
        doc = history_document(article_history(store, ref))
    sys.stdout.write(render_history(doc, fmt.value))
