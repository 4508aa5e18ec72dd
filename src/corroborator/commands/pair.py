"""``corroborator pair``: judge sentence pairs from a JSON-lines file (same / overlap / none + similarity)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import typer

from corroborator.commands.base import app, err_console, fail, library_errors, out_console

# Not a setting: encoder batch size, a speed detail with no effect on the scores.
_BATCH = 256
_PROGRESS_FROM = 500  # records; smaller files finish before a bar is worth drawing


@dataclass(frozen=True, slots=True)
class _Record:
    line: int
    id: Any
    a: str
    b: str


def _read(path: Path, errors: list[str]) -> Iterator[_Record]:
    """Records of a JSON-lines file; each bad line is reported on stderr as ``FILE:LINE: problem`` as it
    is met (so a long run shows it at once) and added to ``errors``."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, raw in enumerate(handle, start=1):
            text = raw.strip()
            if not text:
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                _bad(errors, f"{where}: not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(record, dict):
                _bad(errors, f'{where}: expected an object {{"id", "a", "b"}}, got {type(record).__name__}')
                continue
            bad = [key for key in ("a", "b") if not isinstance(record.get(key), str)]
            if bad:
                _bad(errors, f"{where}: field {' and '.join(repr(k) for k in bad)} missing or not a string")
                continue
            yield _Record(number, record.get("id", number), record["a"], record["b"])


def _bad(errors: list[str], message: str) -> None:
    errors.append(message)
    err_console.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


@app.command("pair")
@library_errors
def pair_command(
    pairs: Path = typer.Option(..., "--pairs", help='JSON-lines file of {"id", "a", "b"} records.'),
    fmt: str = typer.Option("json", "--format", help="json (one line per pair) or text (a table)."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write here instead of stdout."),
) -> None:
    """Judge each pair of sentences: relation (same / overlap / none), similarity 0..1, paraphrase or not.

    A line that cannot be read is reported on stderr as FILE:LINE and skipped; the exit code is then 1.
    """
    if fmt not in ("json", "text"):
        raise fail(f"--format must be json or text, not {fmt!r}", code=2)
    if not pairs.is_file():
        raise fail(f"{pairs}: no such file; give a JSON-lines file of {{id, a, b}} records", code=2)

    from corroborator.compare.alignment.judge import PairJudgement, default_judge

    judge = default_judge()
    errors: list[str] = []
    results: list[tuple[_Record, PairJudgement]] = []
    total = _count_lines(pairs)
    sink: IO[str]
    with output.open("w", encoding="utf-8") if output else nullcontext(sys.stdout) as sink:
        progress = _progress(total)
        with progress if progress is not None else nullcontext():
            task = progress.add_task("judging pairs", total=total) if progress is not None else None
            batch: list[_Record] = []
            for record in _chain_flush(_read(pairs, errors)):
                if record is not None:
                    batch.append(record)
                if batch and (record is None or len(batch) >= _BATCH):
                    judged = judge.judge_many([(r.a, r.b) for r in batch])
                    for rec, j in zip(batch, judged, strict=True):
                        if fmt == "json":
                            sink.write(json.dumps(_row(rec, j), ensure_ascii=False) + "\n")
                        else:
                            results.append((rec, j))
                    if progress is not None and task is not None:
                        progress.update(task, completed=batch[-1].line)
                    batch = []
        if fmt == "text":
            _table(results, sink)
    if errors:
        raise typer.Exit(1)


def _chain_flush(records: Iterator[_Record]) -> Iterator[_Record | None]:
    """The records, then one ``None`` telling the consumer to flush its last batch."""
    yield from records
    yield None


def _row(record: _Record, judgement: Any) -> dict[str, Any]:
    return {
        "id": record.id,
        "relation": judgement.relation,
        "similarity": round(judgement.similarity, 4),
        "same": judgement.same,
        "probability": round(judgement.probability, 4),
    }


def _progress(total: int) -> Any:
    if total < _PROGRESS_FROM:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    )


def _table(results: list[tuple[_Record, Any]], sink: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "relation", "similarity", "P(same)", "a", "b")
    for record, j in results:
        table.add_row(
            str(record.id),
            j.relation,
            f"{j.similarity:.2f}",
            f"{j.probability:.2f}",
            _short(record.a),
            _short(record.b),
        )
    console = out_console if sink is sys.stdout else Console(file=sink, highlight=False, width=160)
    console.print(table)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
