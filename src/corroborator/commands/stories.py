"""``corroborator stories``, ``corroborator story ID`` and ``corroborator recluster``."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import typer

from corroborator.commands.base import (
    ListFormat,
    ReportFormat,
    app,
    err_console,
    library_errors,
    out_console,
    settings_from,
)

DEFAULT_DB = Path("corroborator.db")
DbOpt = typer.Option(DEFAULT_DB, "--db", help="SQLite file or postgresql:// URL.")


def _parse_date(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2024-05-01", param_hint="--since") from None


def _open(db: str | Path):  # type: ignore[no-untyped-def]
    from corroborator.api import open_store

    return open_store(str(db), create=False)


@app.command("stories")
@library_errors
def stories_command(
    db: Path = DbOpt,
    since: str | None = typer.Option(None, "--since", help="Only stories active on or after DATE."),
    source: str | None = typer.Option(None, "--source", help="Only stories with an article from NAME."),
    language: str | None = typer.Option(None, "--language", help="Only stories with an article in LANG (en, es...)."),
    query: str | None = typer.Option(None, "--query", help="Words matched against story and article titles."),
    min_size: int | None = typer.Option(None, "--min-size", min=1, help="Only stories of N articles or more."),
    fmt: ListFormat = typer.Option(ListFormat.text, "--format", help="Output format."),
) -> None:
    """List stories, newest activity first."""
    from corroborator.api import StoryFilter, list_stories

    flt = StoryFilter(since=_parse_date(since), source=source, language=language, query=query, min_size=min_size)
    with _open(db) as store:
        listed, _ = list_stories(store, flt)
    rows: list[dict[str, Any]] = [
        {
            "id": r["id"],
            "title": r["title"],
            "articles": [a["external_id"] or a["id"] for a in r["articles"]],
            "size": r["size"],
            "independent": r["independent"],
            "disputed": r["disputed"],
            "contested": r["contested"],
            "first_published": r["first_published"],
            "last_published": r["last_published"],
            "merged_from": r["merged_from"],
            "split_from": r["split_from"],
            "events": r["events"],
        }
        for r in listed
    ]
    if fmt is ListFormat.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        err_console.print("no stories match")
        return
    from rich.table import Table

    table = Table("id", "title", "size", "independent", "first", "last", "history")
    for r in rows:
        history = [_event_text(e) for e in r["events"]]
        if not history:  # a store written before story_events: the flags alone
            history = [f"merged from {x}" for x in r["merged_from"]]
            if r["split_from"]:
                history.append(f"split from {r['split_from']}")
        table.add_row(
            r["id"],
            r["title"],
            str(r["size"]),
            str(r["independent"]),
            (r["first_published"] or "-")[:10],
            (r["last_published"] or "-")[:10],
            "; ".join(history),
        )
    out_console.print(table)


_EVENT_WORDS = {
    "kept": "merged from {other}",
    "absorbed": "merged into {other}",
    "left": "{n} split out to {other}",
    "new": "split from {other}",
}


def _event_text(e: dict[str, Any]) -> str:
    """One history entry: "2024-05-01 merged from s123 (2 articles, on a1b2c3)"."""
    what = _EVENT_WORDS[e["role"]].format(other=e["other"], n=e["articles"])
    trigger = f", on {e['article'][:12]}" if e["article"] else ""
    return f"{(e['at'] or '')[:10]} {what} ({e['articles']} articles{trigger})".strip()


@app.command("story")
@library_errors
def story_command(
    story_id: str = typer.Argument(..., help="A story id (see `corroborator stories`)."),
    db: Path = DbOpt,
    fmt: ReportFormat = typer.Option(ReportFormat.text, "--format", help="Output format."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write to OUT instead of stdout."),
) -> None:
    """Compare the articles of one story claim by claim."""
    from corroborator.api import compare_story
    from corroborator.render import render

    with _open(db) as store:
        comparison = compare_story(store, story_id)  # NotFound names how to list ids
    text = render(comparison, fmt.value)
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
    from corroborator.api import recluster

    settings = settings_from(overrides)
    with _open(db) as store:
        opened, total = recluster(store, settings, progress=not quiet)
    out_console.print(f"{total} articles in {opened} stories")
