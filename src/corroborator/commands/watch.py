"""``corroborator watch``: follow folders, files and feed URLs, ingesting what is new until stopped."""

from __future__ import annotations

import signal
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

import typer

from corroborator.commands.base import app, err_console, library_errors, out_console, settings_from
from corroborator.pipeline import IngestReport

SourcesArg = typer.Argument(..., help="Folders, files (articles, feed files) or http(s):// feed URLs to follow.")


@app.command("watch")
@library_errors
def watch_command(
    sources: list[str] = SourcesArg,
    db: str = typer.Option("corroborator.db", "--db", help="SQLite file (created if missing) or postgresql:// URL."),
    interval: float = typer.Option(60.0, "--interval", min=0.05, help="Seconds between polls."),
    polls: int = typer.Option(0, "--polls", min=0, help="Stop after this many polls (0: run until stopped)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only errors and the final line."),
    overrides: list[str] = typer.Option([], "--set", help="Override a setting: name=value."),
) -> None:
    """Follow SOURCES: ingest new and changed files and feed items into stories, every --interval seconds.

    Runs until stopped; SIGTERM or Ctrl-C finishes the article in hand, saves the story index and exits.
    What was seen is recorded in the store, so a restart ingests nothing twice.
    """
    from corroborator.store import open_store
    from corroborator.watch import PollReport, Watcher, is_url

    settings = settings_from(overrides)
    for source in sources:
        if not is_url(source) and not Path(source).exists():
            err_console.print(f"note: {source} does not exist yet; watching for it", markup=False)

    def errors(report: IngestReport, error: str | None) -> None:
        if error:
            err_console.print(f"failed: {error}", markup=False, highlight=False)

    totals = PollReport()

    def on_poll(report: PollReport) -> None:
        totals.new += report.new
        totals.duplicates += report.duplicates
        totals.failed += report.failed
        totals.stories_opened += report.stories_opened
        if not quiet and (report.changed or report.errors):
            stamp = datetime.now(UTC).strftime("%H:%M:%S")
            out_console.print(
                f"{stamp} {report.changed} changed of {report.sources}: new {report.new}, "
                f"duplicates {report.duplicates}, failed {report.failed}, {report.stories_opened} new stories",
                markup=False,
                highlight=False,
            )

    with open_store(db) as store:
        watcher = Watcher(store, sources, settings, on_progress=errors)

        def request_stop(signum: int, frame: FrameType | None) -> None:
            err_console.print(f"{signal.Signals(signum).name}: stopping after the article in hand", markup=False)
            watcher.stop()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            if not quiet:
                out_console.print(f"watching {len(sources)} source(s) every {interval:g}s; Ctrl-C stops", markup=False)
            watcher.run(interval=interval, polls=polls or None, on_poll=on_poll)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    out_console.print(
        f"stopped: new {totals.new}, duplicates {totals.duplicates}, failed {totals.failed}, "
        f"{totals.stories_opened} new stories",
        markup=False,
        highlight=False,
    )
