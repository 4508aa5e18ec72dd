"""``corroborator stories``, ``corroborator story ID`` and ``corroborator recluster``."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import typer

from corroborator.cli import app, err_console, fail, library_errors, out_console, settings_from

DEFAULT_DB = Path("corroborator.db")
DbOpt = typer.Option(DEFAULT_DB, "--db", help="SQLite file or postgresql:// URL.")


def _parse_date(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2024-05-01", param_hint="--since") from None


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _open(db: str | Path):  # type: ignore[no-untyped-def]
    from corroborator.store import open_store

    return open_store(str(db), create=False)


@app.command("stories")
@library_errors
def stories_command(
    db: Path = DbOpt,
    since: str | None = typer.Option(None, "--since", help="Only stories active on or after DATE."),
    source: str | None = typer.Option(None, "--source", help="Only stories with an article from NAME."),
    query: str | None = typer.Option(None, "--query", help="Words matched against story and article titles."),
    min_size: int | None = typer.Option(None, "--min-size", min=1, help="Only stories of N articles or more."),
    fmt: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """List stories, newest activity first."""
    if fmt not in ("text", "json"):
        raise fail(f"--format {fmt!r}: use text or json", code=2)
    from corroborator.store import StoryFilter
    from corroborator.stories import independent_articles

    flt = StoryFilter(since=_parse_date(since), source=source, query=query, min_size=min_size)
    with _open(db) as store:
        rows: list[dict[str, Any]] = []
        for story in store.stories(flt):
            arts = [store.get_article(a) for a in story.article_ids]
            rows.append(
                {
                    "id": story.id,
                    "title": story.title,
                    "articles": [a.external_id or a.id for a in arts],
                    "size": len(story.article_ids),
                    "independent": len(independent_articles(store, story.id)),
                    "first_published": _iso(story.first_published),
                    "last_published": _iso(story.last_published),
                }
            )
    if fmt == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        err_console.print("no stories match")
        return
    from rich.table import Table

    table = Table("id", "title", "size", "independent", "first", "last")
    for r in rows:
        table.add_row(
            r["id"],
            r["title"],
            str(r["size"]),
            str(r["independent"]),
            (r["first_published"] or "-")[:10],
            (r["last_published"] or "-")[:10],
        )
    out_console.print(table)


@app.command("story")
@library_errors
def story_command(
    story_id: str = typer.Argument(..., help="A story id (see `corroborator stories`)."),
    db: Path = DbOpt,
    fmt: str = typer.Option("text", "--format", help="text, md, html or json."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write to OUT instead of stdout."),
) -> None:
    """Compare the articles of one story claim by claim."""
    if fmt not in ("text", "md", "html", "json"):
        raise fail(f"--format {fmt!r}: use text, md, html or json", code=2)
    from corroborator.compare import compare_story
    from corroborator.render import render

    with _open(db) as store:
        store.story(story_id)  # NotFound names how to list ids
        comparison = compare_story(store, story_id)
    text = render(comparison, fmt)
    if output is None:
        print(text)
    else:
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        err_console.print(f"wrote {output}")


@app.command("recluster")
@library_errors
def recluster_command(
    db: Path = DbOpt,
    overrides: list[str] = typer.Option([], "--set", help="Override a setting: name=value."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
) -> None:
    """Forget all stories and assign every article again (after changing story settings)."""
    from corroborator.stories import recluster

    settings = settings_from(overrides)
    with _open(db) as store:
        opened = recluster(store, settings, progress=not quiet)
        total = store.count_articles()
    out_console.print(f"{total} articles in {opened} stories")
