"""``corroborator batch``: many files through the pipeline on Apache Spark (or locally), results as Parquet."""

from __future__ import annotations

import json

import typer

from corroborator.commands.base import app, err_console, library_errors, out_console, settings_from


@app.command("batch")
@library_errors
def batch_command(
    inputs: list[str] = typer.Argument(..., help="Files, folders or object-store paths (WARC, JSONL, ...)."),
    out: str = typer.Option(..., "--out", help="Folder (or s3a:// path with Spark) for the Parquet tables."),
    engine: str = typer.Option("spark", "--engine", help="spark (pyspark) or local (the single-machine pipeline)."),
    master: str = typer.Option("local[*]", "--master", help="Spark master URL, passed to Spark."),
    partitions: int | None = typer.Option(None, "--partitions", help="Spark partitions (default 2 x cores)."),
    block_days: int = typer.Option(90, "--block-days", help="Days per story time block (Spark)."),
    context_days: int | None = typer.Option(
        None, "--context-days", help="Days either side of a block seen as context (default story_window_days)."
    ),
    no_compare: bool = typer.Option(False, "--no-compare", help="Skip comparing stories."),
    compare_limit: int = typer.Option(8, "--compare-limit", min=2, help="Independent articles compared per story."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    overrides: list[str] = typer.Option([], "--set", help="Override a setting: name=value."),
) -> None:
    """Read, analyse, link near-copies, form stories and compare them; write Parquet tables (docs/batch.md)."""
    from corroborator.scale import ENGINES, run_batch

    if engine not in ENGINES:
        raise typer.BadParameter(f"choose {' or '.join(ENGINES)}", param_hint="--engine")
    settings = settings_from(overrides)
    options = {}
    if engine == "spark":
        options = {"partitions": partitions, "block_days": block_days, "context_days": context_days}
    with err_console.status(f"batch ({engine}) running", spinner="dots"):
        report = run_batch(
            inputs,
            out,
            settings,
            engine=engine,
            master=master,
            compare=not no_compare,
            compare_limit=compare_limit,
            **options,
        )
    for message in report.errors[:50]:
        err_console.print(f"failed: {message}", markup=False, highlight=False)
    if len(report.errors) > 50:
        err_console.print(f"... and {len(report.errors) - 50} more failures (table failures)")
    if as_json:
        print(json.dumps(report.as_dict(), indent=2, default=str))
    else:
        out_console.print(
            f"{engine}: read {report.read}, articles {report.articles}, later versions {report.versions}, "
            f"exact copies {report.exact_duplicates}, "
            f"near-copies {report.near_duplicates}, stories {report.stories}, compared {report.compared}, "
            f"conflicts {report.conflicts}, failed {report.failed} in {report.seconds:.1f}s -> {out}"
        )
    if report.failed:
        raise typer.Exit(1)
