"""Markdown rendering: the brief with numbered source citations, then the evidence tables.

Markdown viewers render inline HTML, and article text is untrusted: ``<``, ``>`` and ``&`` are written
as entities and Markdown's own punctuation that could start markup is backslash-escaped.
"""

from __future__ import annotations

import re

from corroborator.render.document import build_document, cue_at
from corroborator.results import CitationDoc, Comparison, ComparisonDoc, ContestDoc

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(text: str) -> str:
    """Untrusted text made inert in Markdown (and in the HTML a Markdown viewer makes of it)."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _letters(doc: ComparisonDoc) -> dict[str, str]:
    return {a.id: chr(ord("A") + i) if i < 26 else str(i + 1) for i, a in enumerate(doc.articles)}


def _quote_span(citation: CitationDoc, texts: dict[str, str]) -> str:
    return texts[citation.article][citation.start : citation.end]


def _dispute_md(k: ContestDoc) -> str:
    """The dispute's words with the cue in bold, every piece escaped."""
    text = " ".join(k.sides[1].text.split()) if len(k.sides) > 1 else ""
    span = cue_at(text, k.cue)
    if span is None:
        return md(text)
    s, e = span
    # md() trims the pieces' edges, so the spaces around the cue are put back outside the bold.
    pre = " " if text[:s].endswith(" ") else ""
    post = " " if text[e:].startswith(" ") else ""
    return f"{md(text[:s])}{pre}**{md(text[s:e])}**{post}{md(text[e:])}"


def render_markdown(comparison: Comparison) -> str:
    doc = build_document(comparison)
    letters = _letters(doc)
    texts = {a.id: a.text for a in comparison.articles}
    out: list[str] = [f"# {md(doc.title)}", ""]
    s = doc.summary
    out.append(
        f"{s.articles} reports, {s.claims} claims: {s.corroborated_claims} corroborated, "
        f"{s.disputed_claims} disputed, {s.contested_claims} contested, {s.single_source_claims} single-source; "
        f"{s.contradictions} contradictions, {s.precision_only} differences of precision only; "
        f"{s.independent_sources} independent sources."
    )
    out += _sources(doc, letters)
    brief, footnotes = _brief(doc, letters, texts)
    out += brief
    for section in (_contests, _conflicts, _matrix, _rewrites, _framing):
        out += section(doc, letters)
    if footnotes:
        out += ["## Citations", "", *footnotes, ""]
    return "\n".join(out)


def _sources(doc: ComparisonDoc, letters: dict[str, str]) -> list[str]:
    out: list[str] = []
    out += ["", "## Sources", ""]
    for a in doc.articles:
        parts = [f"**{letters[a.id]}**", md(a.label)]
        if a.title:
            parts.append(f"*{md(a.title)}*")
        if a.published:
            parts.append(md(a.published))
        if a.url:
            parts.append(f"<{md(a.url)}>" if a.url.startswith(("http://", "https://")) else md(a.url))
        parts.append(f"`{a.id}`")
        out.append("- " + " · ".join(parts))
    return out


def _brief(doc: ComparisonDoc, letters: dict[str, str], texts: dict[str, str]) -> tuple[list[str], list[str]]:
    """The brief by section, each sentence with footnote marks; and the footnotes quoting the cited spans."""
    out: list[str] = []
    out += ["", "## Brief", ""]
    section_names = {
        "corroborated": "Corroborated",
        "contested": "Disputed by a party",
        "disputed": "The reports contradict each other",
        "note": "Differences of precision only",
        "single-source": "Single source",
        "timeline": "Timeline",
    }
    current = None
    footnotes: list[str] = []
    for sent in doc.brief.sentences:
        if sent.status != current:
            current = sent.status
            out += ["", f"### {section_names.get(current, current)}", ""]
        marks = []
        for c in sent.citations:
            footnotes.append(
                f"[^{len(footnotes) + 1}]: {letters[c.article]} ({c.start}–{c.end}): “{md(_quote_span(c, texts))}”"
            )
            marks.append(f"[^{len(footnotes)}]")
        out.append(f"- {md(sent.text)} " + "".join(marks))
    out += ["", f"*{md(doc.brief.left_out)}*", ""]
    return out, footnotes


def _contests(doc: ComparisonDoc, letters: dict[str, str]) -> list[str]:
    out: list[str] = []
    if doc.contests:
        # Apart from the conflicts: a report that a party disputes a claim is no contradiction.
        out += [
            "## Contested claims",
            "",
            "| stated | disputed by | the dispute |",
            "|---|---|---|",
        ]
        for k in doc.contests:
            stated = f"{letters[k.sides[0].article]}: “{md(k.sides[0].text)}”" if k.sides else ""
            dispute = f"{letters[k.sides[1].article]}: “{_dispute_md(k)}”" if len(k.sides) > 1 else ""
            out.append(f"| {stated} | {md(k.party)} | {dispute} |")
        out.append("")
    return out


def _conflicts(doc: ComparisonDoc, letters: dict[str, str]) -> list[str]:
    out: list[str] = []
    if doc.conflicts:
        out += ["## Conflicts", "", "| kind | verdict | explanation | sides |", "|---|---|---|---|"]
        for cf in doc.conflicts:
            sides = "<br>".join(f"{letters[sd.article]}: “{md(sd.text)}”" for sd in cf.sides)
            verdict = "precision only" if cf.precision_only else "**contradiction**"
            out.append(f"| {cf.kind} | {verdict} | {md(cf.explanation)} | {sides} |")
        out.append("")
    return out


def _matrix(doc: ComparisonDoc, letters: dict[str, str]) -> list[str]:
    out: list[str] = []
    if doc.matrix:
        head = " | ".join(letters[a.id] for a in doc.articles)
        out += ["## Corroboration matrix", "", f"| point | {head} |", "|---|" + "---|" * len(doc.articles)]
        sym = {"supports": "✓", "disputes": "✗", "silent": "·"}
        for row in doc.matrix:
            cells = " | ".join(sym[row.cells[a.id]] for a in doc.articles)
            out.append(f"| {md(row.text[:120])} | {cells} |")
        out.append("")
    return out


def _rewrites(doc: ComparisonDoc, letters: dict[str, str]) -> list[str]:
    out: list[str] = []
    if doc.rewrites:
        out += [
            "## Rewrites",
            "",
            "| pair | carried over | order kept | verbatim runs | direction | verdict | evidence |",
            "|---|---|---|---|---|---|---|",
        ]
        for d in doc.rewrites:
            verdict = "rewrite" if d.rewrite else "independent"
            out.append(
                f"| {letters[d.a]}→{letters[d.b]} | {d.carried_share:.0%} | {d.order_kept:.2f} | "
                f"{d.verbatim_runs} | {d.direction} | {verdict} | {md(d.evidence)} |"
            )
        out.append("")
    return out


def _framing(doc: ComparisonDoc, letters: dict[str, str]) -> list[str]:
    out: list[str] = []
    if doc.framing:
        out += [
            "## Framing",
            "",
            "| source | subjectivity | tone | wording | voices |",
            "|---|---|---|---|---|",
        ]
        for fr in doc.framing:
            terms = ", ".join(dict.fromkeys(t.text for t in fr.terms))
            voices = "; ".join(f"{role}: {', '.join(v)}" for role, v in fr.voices.items() if v)
            out.append(
                f"| {letters[fr.article]} | {fr.subjectivity:.2f} | {fr.tone:+.2f} | {md(terms)} | {md(voices)} |"
            )
        out.append("")
    return out
