"""``corroborator load``: the Parquet tables of ``corroborator batch`` into a store."""

from __future__ import annotations

from pathlib import Path

import typer

from corroborator.commands.base import app, err_console, library_errors, out_console


@app.command("load")
@library_errors
def load_command(
    folder: Path = typer.Argument(..., help="The --out folder of `corroborator batch`."),
    db: str = typer.Option("corroborator.db", "--db", help="SQLite file (created if missing) or postgresql:// URL."),
) -> None:
    """Bring batch results (articles and their versions, stories, near-copies, disputed flags) into the store."""
    from rich.progress import BarColumn, Progress, TextColumn

    from corroborator.scale.load import load_batch
    from corroborator.store import open_store

    with (
        open_store(db) as store,
        Progress(
            TextColumn("[bold]load[/]"),
            BarColumn(bar_width=None),
            TextColumn("{task.completed}/{task.total}"),
            console=err_console,
            transient=True,
        ) as progress,
    ):
        task = progress.add_task("load", total=None)
        report = load_batch(
            folder, store, on_progress=lambda done, total: progress.update(task, completed=done, total=total)
        )
    for message in report.errors:
        err_console.print(f"failed: {message}", markup=False, highlight=False)
    out_console.print(
        f"loaded {report.articles} articles ({report.duplicates} already stored, {report.failed} refused), "
        f"{report.versions} later versions ({report.version_duplicates} already stored), "
        f"{report.stories} stories ({report.disputed} disputed), {report.links} near-copy links into {db}"
    )
    if report.failed:
        raise typer.Exit(1)
