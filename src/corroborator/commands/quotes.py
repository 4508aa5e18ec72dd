"""``corroborator quotes``: where each quote first appeared, and how outlets worded and credited it."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from corroborator.commands.base import app, err_console, library_errors, out_console
from corroborator.commands.stories import DbOpt, _open


class QuotesFormat(StrEnum):
    text = "text"
    md = "md"
    json = "json"


@app.command("quotes")
@library_errors
def quotes_command(
    db: Path = DbOpt,
    speaker: str | None = typer.Option(None, "--speaker", help="Only quotes of NAME (as any outlet credits it)."),
    story: str | None = typer.Option(None, "--story", help="Only quotes with an appearance in story ID."),
    article: str | None = typer.Option(None, "--article", help="Only quotes with an appearance in article ID."),
    min_size: int = typer.Option(2, "--min-size", min=1, help="Only quotes found in N articles or more."),
    fmt: QuotesFormat = typer.Option(QuotesFormat.text, "--format", help="Output format."),
) -> None:
    """Quotes clustered across every stored article: first appearance, each outlet's wording and
    credited speaker, words changed on the way, and credits to earlier outlets."""
    from corroborator.api import quote_report

    with _open(db) as store:
        report = quote_report(store, speaker=speaker, story=story, article=article, min_size=min_size)
    doc = report.as_dict()
    if fmt is QuotesFormat.json:
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    if not doc["clusters"]:
        err_console.print(f"no quote clusters match ({doc['quotes']} quotes in {doc['articles']} articles)")
        return
    lines = _markdown(doc) if fmt is QuotesFormat.md else None
    if lines is not None:
        print("\n".join(lines))
        return
    for c in doc["clusters"]:
        out_console.print(_text_cluster(c), markup=False)


def _when(a: dict[str, Any]) -> str:
    return (a["published"] or "date unknown")[:16].replace("T", " ")


def _changes(a: dict[str, Any]) -> str:
    parts = []
    for m in a["mutations"]:
        flag = "MEANING " if m["meaning"] else ""
        parts.append(f"{flag}{m['kind']} ({m['why']}): {m['before']!r} -> {m['after']!r}")
    return "; ".join(parts)


def _credit(a: dict[str, Any]) -> str:
    if not a["credits"]:
        return ""
    earlier = f" (earlier here: {a['credits_earlier'][:12]})" if a["credits_earlier"] else ""
    return f" credits {', '.join(a['credits'])}{earlier}"


def _text_cluster(c: dict[str, Any]) -> str:
    head = f"{c['key']}  {c['speaker'] or 'speaker unknown'}  ({c['size']} articles, {', '.join(c['languages'])})"
    first = c["first"]
    tied = " (tied)" if c["first_tied"] else ""
    out = [head, f"  first: {first['source'] or 'unknown source'}, {_when(first)}{tied}"]
    if c["credited_outside"]:
        out.append(f"  credited to outlets not in the store: {', '.join(c['credited_outside'])}")
    for a in c["appearances"]:
        said = f" [{a['speaker']}]" if a["speaker"] else ""
        out.append(f"  {_when(a)}  {a['source'] or 'unknown source'}{said}{_credit(a)}: \u201c{a['text']}\u201d")
        if a["mutations"]:
            out.append(f"      {_changes(a)}")
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    # Article text is untrusted: keep it from closing our table or adding markup.
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def _markdown(doc: dict[str, Any]) -> list[str]:
    lines = [f"# Quotes ({len(doc['clusters'])} clusters, {doc['quotes']} quotes in {doc['articles']} articles)", ""]
    for c in doc["clusters"]:
        lines.append(f"## {_md(c['speaker'] or 'speaker unknown')} · `{c['key']}`")
        lines.append("")
        first = c["first"]
        tied = " (tied)" if c["first_tied"] else ""
        lines.append(f"First appearance: {_md(first['source'] or 'unknown source')}, {_when(first)}{tied}")
        lines.append("")
        lines.append("| when | outlet | speaker | wording | credits | changes |")
        lines.append("|---|---|---|---|---|---|")
        for a in c["appearances"]:
            lines.append(
                f"| {_when(a)} | {_md(a['source'] or '')} | {_md(a['speaker'] or '')} | {_md(a['text'])} | "
                f"{_md(', '.join(a['credits']))} | {_md(_changes(a))} |"
            )
        lines.append("")
    return lines
