"""``corroborator ingest`` and ``corroborator analyse``: files in, stories (and briefs) out."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from corroborator.commands.base import app, err_console, library_errors, out_console, settings_from
from corroborator.pipeline import IngestReport, ingest
from corroborator.settings import Settings

DEFAULT_DB = Path("corroborator.db")

PathsArg = typer.Argument(..., help="Files or folders (txt, md, html, json, jsonl, RSS/Atom, WARC).")
DbOpt = typer.Option(DEFAULT_DB, "--db", help="SQLite file (created if missing) or postgresql:// URL.")
SetOpt = typer.Option([], "--set", help="Override a setting: name=value (see `corroborator settings`).")


def run_ingest(paths: list[Path], db: str, settings: Settings, quiet: bool) -> IngestReport:
    from corroborator.store import open_store

    with open_store(db) as store:
        if quiet:
            # No progress bar, but every failure is still one line on stderr.
            def errors_only(report: IngestReport, error: str | None) -> None:
                if error:
                    err_console.print(f"failed: {error}", markup=False, highlight=False)

            return ingest(paths, store, settings, on_progress=errors_only)
        progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]ingest[/]"),
            BarColumn(bar_width=None),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
            console=err_console,
            transient=False,
        )
        with progress:
            task = progress.add_task("ingest", total=None, counts="starting")

            def hook(report: IngestReport, error: str | None) -> None:
                if error:
                    progress.console.print(f"[red]failed:[/] {error}", markup=True, highlight=False)
                rate = report.read / report.seconds if report.seconds else 0.0
                progress.update(
                    task,
                    completed=report.read,
                    counts=(
                        f"read {report.read}  new {report.new}  duplicates {report.duplicates}  "
                        f"failed {report.failed}  ({rate:.1f} articles/s)"
                    ),
                )

            report = ingest(paths, store, settings, on_progress=hook)
            progress.update(task, total=max(report.read, 1), completed=max(report.read, 1))
        return report


def print_summary(report: IngestReport, as_json: bool) -> None:
    if as_json:
        summary = {
            "read": report.read,
            "new": report.new,
            "duplicates": report.duplicates,
            "near_duplicates": report.near_duplicates,
            "versions": report.versions,
            "failed": report.failed,
            "stories_opened": report.stories_opened,
            "sentences": report.sentences,
            "seconds": round(report.seconds, 3),
            "errors": report.errors,
        }
        print(json.dumps(summary, indent=2))
        return
    out_console.print(
        f"read {report.read}, new {report.new}, duplicates {report.duplicates} "
        f"(near-copies {report.near_duplicates}), new versions {report.versions}, failed {report.failed}; "
        f"{report.stories_opened} new stories, {report.sentences} sentences in {report.seconds:.1f}s"
    )


@app.command("ingest")
@library_errors
def ingest_command(
    paths: list[Path] = PathsArg,
    db: str = DbOpt,
    workers: int = typer.Option(None, "--workers", help="Analysis processes (default: setting ingest_workers)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    overrides: list[str] = SetOpt,
) -> None:
    """Read articles into the store; each joins a story or opens one. Exit code 1 if any input failed."""
    settings = settings_from(overrides)
    if workers is not None:
        settings = settings.with_overrides({"ingest_workers": str(workers)})
    report = run_ingest(paths, db, settings, quiet)
    print_summary(report, as_json)
    if not report.ok:
        raise typer.Exit(1)


@app.command("analyse")
@library_errors
def analyse_command(
    paths: list[Path] = PathsArg,
    db: str = DbOpt,
    fmt: str = typer.Option("text", "--format", help="text | md | json"),
    min_sources: int = typer.Option(2, "--min-sources", help="Print briefs for stories with this many articles."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    overrides: list[str] = SetOpt,
) -> None:
    """The main job: ingest PATHS into stories, then print the brief of every story with several sources."""
    from corroborator.api import compare_story
    from corroborator.render import render
    from corroborator.store import open_store
    from corroborator.store.base import StoryFilter

    if fmt not in {"text", "md", "json"}:
        raise typer.BadParameter("choose text, md or json", param_hint="--format")
    settings = settings_from(overrides)
    report = run_ingest(paths, db, settings, quiet)
    print_summary(report, as_json=False)
    with open_store(db) as store:
        stories = store.stories(StoryFilter(min_size=min_sources))
        if not stories:
            out_console.print(f"No story has {min_sources} or more articles yet.")
        for story in stories:
            comparison = compare_story(store, story.id)
            text = render(comparison, fmt)
            if fmt == "text":
                out_console.rule(f"story {story.id}: {story.title}")
                out_console.print(text, markup=False, highlight=False)
            else:
                print(text)
    if not report.ok:
        raise typer.Exit(1)
