"""``corroborator compare``: compare files, or a stored story, claim by claim."""

from __future__ import annotations

from pathlib import Path

import typer

from corroborator.commands.base import ReportFormat, app, err_console, fail, library_errors, out_console, settings_from


@app.command("compare")
@library_errors
def compare_command(
    files: list[Path] = typer.Argument(None, help="Two or more article files (txt, md, html, json, ...)."),
    db: str = typer.Option(None, "--db", help="Store to read a story from (with --story)."),
    story: str = typer.Option(None, "--story", help="Story id in --db to compare."),
    fmt: ReportFormat = typer.Option(ReportFormat.text, "--format", "-f", help="Output format."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
    overrides: list[str] = typer.Option([], "--set", help="Override a setting: name=value."),
) -> None:
    """Compare reports of one story: agreements, single-source details, conflicts, rewrites, framing."""
    settings = settings_from(overrides)
    from corroborator.compare import compare_articles

    if story is not None or db is not None:
        if files:
            raise fail("give either FILES or --db with --story, not both", code=2)
        if story is None or db is None:
            raise fail(
                "--story needs --db (and --db needs --story); list story ids with `corroborator stories`",
                code=2,
            )
        from corroborator.api import compare_story, open_store

        with open_store(db) as store:
            comparison = compare_story(store, story, settings=settings)
    else:
        if not files or len(files) < 2:
            raise fail("compare needs at least two files (or --db FILE --story ID)", code=2)
        from corroborator.errors import InputError
        from corroborator.ingest import read_paths
        from corroborator.model import Article

        articles: list[Article] = []
        for item in read_paths(files, settings):
            if isinstance(item, InputError):
                err_console.print(f"[yellow]skipped:[/] {item}", markup=True, highlight=False)
            else:
                articles.append(item)
        if len({a.id for a in articles}) < 2:
            raise fail(f"only {len({a.id for a in articles})} readable, distinct article(s); compare needs 2")
        comparison = compare_articles(articles, settings=settings)

    if output is None and fmt is ReportFormat.text:
        from rich.console import Console

        from corroborator.render.text import print_comparison

        # The shared out_console soft-wraps (long lines cut at the edge of a pipe); panels must wrap.
        print_comparison(comparison, Console(highlight=False, force_terminal=out_console.is_terminal))
        return
    from corroborator.render import render

    rendered = render(comparison, fmt.value)
    if output is None:
        print(rendered)
    else:
        output.write_text(rendered, encoding="utf-8")
        err_console.print(f"wrote {output} ({fmt.value}, {len(rendered):,} characters)", highlight=False)
