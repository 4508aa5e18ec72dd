"""Terminal rendering with rich: the brief, contested claims, the conflicts, the matrix, rewrites, framing
and timeline.

``print_comparison`` writes to a console (colour when it is a terminal); ``render_text`` returns the
same as plain text. Article text goes through ``rich.text.Text`` (never markup), so a report containing
"[bold]" prints as written.
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from corroborator.render.document import build_document, cue_at
from corroborator.results import Comparison, ComparisonDoc, ContestDoc

_STATUS_STYLE = {
    "corroborated": "green",
    "disputed": "bold red",
    "contested": "bold magenta",
    "single-source": "yellow",
    "note": "cyan",
    "timeline": "blue",
}
_CELL = {"supports": ("✓", "green"), "disputes": ("✗", "bold red"), "silent": ("·", "dim")}


def _letters(doc: ComparisonDoc) -> dict[str, str]:
    return {a.id: chr(ord("A") + i) if i < 26 else str(i + 1) for i, a in enumerate(doc.articles)}


def _clip(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _contests(doc: ComparisonDoc, letters: dict[str, str]) -> Table:
    """Contested claims, apart from the conflicts: a report of a party's dispute is no contradiction."""
    table = Table(title="Contested claims (a party disputes them, as a report says)", show_lines=True)
    for col in ("stated", "disputed by", "the dispute"):
        table.add_column(col)
    for k in doc.contests:
        table.add_row(_side(k, 0, letters), Text(k.party, style="bold"), _side(k, 1, letters))
    return table


def _side(k: ContestDoc, i: int, letters: dict[str, str]) -> Text:
    if i >= len(k.sides):
        return Text()
    sd = k.sides[i]
    out = Text(f"{letters[sd.article]}: ", style="bold")
    text = " ".join(sd.text.split())
    span = cue_at(text, k.cue) if i == 1 else None
    if span is None:
        out.append(_clip(text, 160))
    else:  # the cue highlighted
        s, e = span
        out.append(text[:s])  # untrusted text as Text, never markup
        out.append(text[s:e], style="bold magenta underline")
        rest = text[e:]
        out.append((" " if rest.startswith(" ") else "") + _clip(rest, max(20, 160 - e)))
    return out


def renderables(comparison: Comparison) -> list[Any]:
    doc = build_document(comparison)
    letters = _letters(doc)
    out: list[Any] = []

    sources = Table(title="Sources", show_lines=False, expand=False)
    for col in ("", "source", "title", "published", "id"):
        sources.add_column(col)
    for a in doc.articles:
        sources.add_row(
            letters[a.id],
            Text(a.label or ""),
            Text(_clip(a.title or "", 60)),
            (a.published or "")[:16],
            a.id,
        )
    out.append(sources)
    s = doc.summary
    out.append(
        Text(
            f"{s.claims} claims: {s.corroborated_claims} corroborated, "
            f"{s.disputed_claims} disputed, {s.contested_claims} contested, "
            f"{s.single_source_claims} single-source; {s.contradictions} contradictions, "
            f"{s.precision_only} differences of precision only; {s.rewrites} rewrites; "
            f"{s.independent_sources} independent sources."
        )
    )

    lines = []
    for sent in doc.brief.sentences:
        line = Text()
        line.append(f"[{sent.status}] ", style=_STATUS_STYLE.get(sent.status, ""))
        line.append(sent.text)
        tags = sorted({letters[c.article] for c in sent.citations})
        line.append(" [" + ",".join(tags) + "]", style="dim")
        lines.append(line)
    lines.append(Text(doc.brief.left_out, style="italic"))
    out.append(Panel(Group(*lines), title=Text(f"Brief: {doc.brief.title}"), title_align="left"))

    if doc.contests:
        out.append(_contests(doc, letters))

    if doc.conflicts:
        out.append(_conflicts_table(doc, letters))

    if doc.matrix:
        out.append(_matrix_table(doc, letters))

    if doc.rewrites:
        out.append(_rewrites_table(doc, letters))

    if doc.framing:
        out.append(_framing_table(doc, letters))

    if doc.timeline:
        table = Table(title="Timeline")
        for col in ("when", "source", "what"):
            table.add_column(col)
        for e in doc.timeline:
            table.add_row(Text(e.when), letters[e.citation.article], Text(_clip(e.what, 90)))
        out.append(table)
    return out


def _conflicts_table(doc: ComparisonDoc, letters: dict[str, str]) -> Table:
    table = Table(title="Conflicts", show_lines=True)
    for col in ("kind", "verdict", "explanation", "sides"):
        table.add_column(col)
    for cf in doc.conflicts:
        sides = Text()
        for i, sd in enumerate(cf.sides):
            if i:
                sides.append("\n")
            sides.append(f"{letters[sd.article]}: ", style="bold")
            sides.append(_clip(sd.text, 80))
        verdict = Text("precision only", style="cyan") if cf.precision_only else Text("contradiction", style="red")
        table.add_row(cf.kind, verdict, Text(cf.explanation), sides)
    return table


def _matrix_table(doc: ComparisonDoc, letters: dict[str, str]) -> Table:
    table = Table(title="Corroboration matrix (✓ supports, ✗ disputes, · silent)")
    table.add_column("point")
    for a in doc.articles:
        table.add_column(letters[a.id], justify="center")
    for row in doc.matrix:
        cells = [Text(_CELL[row.cells[a.id]][0], style=_CELL[row.cells[a.id]][1]) for a in doc.articles]
        table.add_row(Text(_clip(row.text, 70)), *cells)
    return table


def _rewrites_table(doc: ComparisonDoc, letters: dict[str, str]) -> Table:
    table = Table(title="Rewrites (carried-over share, order kept, verbatim runs of 8+ words)")
    for col in ("pair", "carried", "order", "runs", "direction", "verdict", "evidence"):
        table.add_column(col)
    for d in doc.rewrites:
        table.add_row(
            f"{letters[d.a]}→{letters[d.b]}",
            f"{d.carried_share:.0%}",
            f"{d.order_kept:.2f}",
            str(d.verbatim_runs),
            d.direction,
            Text("rewrite", style="magenta") if d.rewrite else Text("independent"),
            Text(d.evidence),
        )
    return table


def _framing_table(doc: ComparisonDoc, letters: dict[str, str]) -> Table:
    table = Table(title="Framing")
    for col in ("source", "subjectivity", "tone", "loaded / emotive wording", "voices"):
        table.add_column(col)
    for fr in doc.framing:
        terms = ", ".join(dict.fromkeys(t.text for t in fr.terms))
        voices = "; ".join(f"{role}: {', '.join(v)}" for role, v in fr.voices.items() if v)
        table.add_row(
            letters[fr.article],
            f"{fr.subjectivity:.2f}",
            f"{fr.tone:+.2f}",
            Text(_clip(terms, 80)),
            Text(_clip(voices, 60)),
        )
    return table


def print_comparison(comparison: Comparison, console: Console) -> None:
    for item in renderables(comparison):
        console.print(item)


def render_text(comparison: Comparison, width: int = 110) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=False, color_system=None, highlight=False)
    print_comparison(comparison, console)
    return buf.getvalue()
