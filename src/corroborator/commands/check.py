"""``corroborator check "CLAIM"``: stance of the stored coverage toward a claim, with evidence.

``corroborator check --pairs FILE.jsonl`` judges ``{"id", "claim", "text"}`` records in batch. Both parse
the command line and print; the work is :func:`corroborator.api.check_claim` and
:func:`corroborator.api.judge_pairs`, which the web app and bench/check.py call too.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import IO, Any

import typer

from corroborator.commands.base import ListFormat, app, err_console, fail, library_errors, out_console, settings_from

DEFAULT_DB = Path("corroborator.db")
PROGRESS_FROM = 50  # batch size from which a progress bar is shown


@app.command("check")
@library_errors
def check_command(
    claim: str | None = typer.Argument(None, help="The claim to check against the stored coverage."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help="SQLite file or postgresql:// URL."),
    story: str | None = typer.Option(None, "--story", help="Only the articles of this story id."),
    fmt: ListFormat = typer.Option(ListFormat.text, "--format", help="Output format."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Show at most N articles."),
    show_all: bool = typer.Option(False, "--all", help="Also list articles judged unrelated."),
    pairs: Path | None = typer.Option(
        None, "--pairs", help='Batch mode: JSON lines {"id", "claim", "text"}; one result line each.'
    ),
    output: Path | None = typer.Option(None, "-o", "--output", help="Batch mode: write results here."),
    overrides: list[str] = typer.Option([], "--set", help="Override a setting: name=value (e.g. stance_model=...)."),
) -> None:
    """Which stored articles support, contradict or discuss CLAIM, with the sentences that show it."""
    if pairs is not None:
        if claim is not None:
            raise fail("give either CLAIM or --pairs FILE, not both", code=2)
        bad = run_pairs_file(pairs, output)
        if bad:
            raise typer.Exit(1)
        return
    if not claim or not claim.strip():
        raise fail('give a claim to check, e.g. corroborator check "The bridge closed in 2021"', code=2)
    from corroborator.api import check_claim, open_store

    settings = settings_from(overrides)
    with open_store(str(db), create=False) as store:
        result = check_claim(store, claim.strip(), story, settings)
    _print_check(result, fmt.value, limit, show_all)


# -- store mode ---------------------------------------------------------------------------------
def _print_check(result: Any, fmt: str, limit: int | None, show_all: bool) -> None:
    shown = [(a, j) for a, j in result.judgements if show_all or j.stance != "unrelated"]
    hidden = len(result.judgements) - len(shown)
    if limit is not None:
        shown = shown[:limit]
    summary = (
        f"{result.supporting_sources} independent source{'s' * (result.supporting_sources != 1)} support, "
        f"{result.disputing_sources} dispute"
    )
    if fmt == "json":
        doc = result.as_dict()
        keep = {a.id for a, _ in shown}
        doc["results"] = [r for r in doc["results"] if r["article"] in keep]
        doc["unrelated_hidden"] = hidden
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    from rich.markup import escape

    if not shown:
        out_console.print(f"no stored article is about this claim ({len(result.judgements)} judged)")
    colours = {"supports": "green", "contradicts": "red", "discusses": "yellow", "unrelated": "dim"}
    for a, j in shown:
        title = f" — {escape(a.title)}" if a.title else ""
        out_console.print(
            f"[bold {colours[j.stance]}]{j.stance:<11}[/] {j.score:.2f}  {escape(a.label)}{title}  [dim]{a.id}[/]"
        )
        for e in j.evidence:
            out_console.print(f"    [dim]“[/]{escape(e.text)}[dim]”[/]")
    facts = getattr(result, "facts", ())
    if facts:
        out_console.print("[bold]fact by fact[/]")
        for f in facts:
            who = ", ".join(dict.fromkeys(s.article[:8] for s in f.stated_by)) or "no article"
            line = f"  {escape(f.kind):<7} “{escape(f.text)}”: stated by {who}"
            if f.differs:
                other = "; ".join(f"‘{escape(s.text)}’ ({s.article[:8]})" for s in f.differs)
                line += f"; [red]another value[/]: {other}"
            out_console.print(line)
    if hidden and not show_all:
        out_console.print(f"[dim]{hidden} unrelated article{'s' * (hidden != 1)} not shown (--all lists them)[/]")
    out_console.print(f"[bold]{summary}[/]")


# -- batch mode ---------------------------------------------------------------------------------
def run_pairs_file(path: Path, output: Path | None) -> int:
    """Judge every record of ``path``; write one JSON line each; return how many lines were bad."""
    if not path.exists():
        raise fail(f"{path}: no such file; --pairs takes a JSON-lines file of {{id, claim, text}}")
    with path.open(encoding="utf-8") as fh:
        lines = fh.readlines()
    sink: Any = output.open("w", encoding="utf-8") if output else nullcontext(sys.stdout)
    with sink as out:
        return write_pair_lines(lines, out, name=str(path))


def write_pair_lines(lines: Sequence[str], out: IO[str], *, name: str = "<pairs>") -> int:
    """Print each judgement as a JSON line, each bad line as ``error: FILE:LINE: problem``; returns the bad count."""
    from corroborator.api import judge_pairs

    bad = 0
    for outcome in judge_pairs(_progress(lines, name)):
        if outcome.error is not None:
            bad += 1
            err_console.print(f"[bold red]error:[/] {name}:{outcome.lineno}: {outcome.error}", markup=True)
        else:
            out.write(json.dumps(outcome.row, ensure_ascii=False) + "\n")
    return bad


def _progress(lines: Sequence[str], name: str) -> Iterator[str]:
    if len(lines) < PROGRESS_FROM:
        yield from lines
        return
    from rich.progress import Progress

    with Progress(console=err_console, transient=True) as bar:
        task = bar.add_task(f"checking {Path(name).name}", total=len(lines))
        for line in lines:
            yield line
            bar.advance(task)
