"""One self-contained HTML report: inline CSS, a few lines of inline JS, nothing fetched.

Sections: the brief (each citation jumps to and flashes the cited span in its source), the contested
claims (a party disputes them, as a report says; apart from the conflicts: no contradiction), the sources
side by side (claims coloured by status, aligned claims linked, conflicting spans marked on every
side), the conflicts, a corroboration matrix, the rewrite graph as inline SVG, the framing table and
the timeline.

The page is the Jinja template ``templates/report.html``; its sections are the macro ``report_body`` in
``templates/report_macros.html``, which the web app's story page includes too (with :func:`report_view`
as ``r``). Article text and metadata are untrusted: autoescape is on for every template, and the only
markup marked safe is built here from escaped pieces (:func:`_source_html`) or is the renderer's own
constants (CSS, script). Element ids are generated here, never taken from input; links are emitted only
for http(s) URLs; no data is put into the script; and a Content-Security-Policy forbids loading
anything. The web app allows the report's script by the hash of :data:`_JS` (any module-level ``*JS``
string here is hashed), so the template emits exactly that constant.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from corroborator.render.document import build_document, cue_at
from corroborator.results import (
    CitationDoc,
    Comparison,
    ComparisonDoc,
    ContestDoc,
    FramingDoc,
    MentionDoc,
    SideDoc,
)

TEMPLATES = Path(__file__).parent / "templates"

_CSS = (TEMPLATES / "report.css").read_text(encoding="utf-8")
# Citations jump to their span and flash it; clicking a claim outlines the claims aligned with it.
_JS = (TEMPLATES / "report.js").read_text(encoding="utf-8")
_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The report's templates, autoescaped (the web app adds this folder to its own loader)."""
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _letters(doc: ComparisonDoc) -> dict[str, str]:
    return {a.id: chr(ord("A") + i) if i < 26 else str(i + 1) for i, a in enumerate(doc.articles)}


class _Anchors:
    """Element ids for every span a citation may point at, per article."""

    def __init__(self, doc: ComparisonDoc) -> None:
        self.article_index = {a.id: i for i, a in enumerate(doc.articles)}
        self.claim_ids: dict[str, str] = {}
        self.claim_spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for n, c in enumerate(doc.claims):
            el = f"c{n}"
            self.claim_ids[c.id] = el
            self.claim_spans[c.article].append((c.start, c.end, el))
        # Conflict sides, merged where they overlap so marks never interleave.
        raw: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for cf in doc.conflicts:
            for sd in cf.sides:
                raw[sd.article].append((sd.start, sd.end))
        self.marks: dict[str, list[tuple[int, int, str, bool]]] = {}
        self.mark_of: dict[tuple[str, int, int], str] = {}
        m = 0
        for art, spans in raw.items():
            merged: list[list[int]] = []
            for s, t in sorted(spans):
                if merged and s < merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], t)
                else:
                    merged.append([s, t])
            out = []
            for s, t in merged:
                el = f"m{m}"
                m += 1
                out.append((s, t, el, False))
                for s2, t2 in spans:
                    if s <= s2 and t2 <= t:
                        self.mark_of[(art, s2, t2)] = el
            self.marks[art] = out
        self.precision_marks: set[str] = set()
        for cf in doc.conflicts:
            if cf.precision_only:
                for sd in cf.sides:
                    self.precision_marks.add(self.mark_of[(sd.article, sd.start, sd.end)])
        # Contradiction marks win over precision marks when merged.
        for cf in doc.conflicts:
            if not cf.precision_only:
                for sd in cf.sides:
                    self.precision_marks.discard(self.mark_of[(sd.article, sd.start, sd.end)])

    def target(self, article: str, start: int, end: int) -> str:
        """The element a citation jumps to: an exact mark or claim, else the claim containing it."""
        if (article, start, end) in self.mark_of:
            return self.mark_of[(article, start, end)]
        best = None
        for s, t, el in self.claim_spans.get(article, []):
            if s == start and t == end:
                return el
            if s <= start < t and best is None:
                best = el
        return best or f"art{self.article_index.get(article, 0)}"


def _source_html(
    text: str,
    claims: list[tuple[int, int, str, str, str]],
    marks: list[tuple[int, int, str, bool]],
    precision: set[str],
    facts: Sequence[tuple[int, int, str, str]] = (),
) -> Markup:
    """The article text with claims as <span>, conflict sides as <mark> and shared ledger facts as
    <mark class="fact">, all text escaped.

    ``claims``: (start, end, element id, status, space-separated linked element ids); ``facts``: (start,
    end, fact id, status), each inside one claim and apart from the conflict marks and from each other.
    """
    opens: dict[int, list[tuple[int, str]]] = defaultdict(list)  # pos -> (priority, tag)
    closes: dict[int, list[tuple[int, str]]] = defaultdict(list)
    claim_bounds = sorted((s, t) for s, t, *_ in claims)
    for s, t, el, status, links in claims:
        opens[s].append((0, f'<span class="claim st-{escape(status)}" id="{el}" data-links="{escape(links)}">'))
        closes[t].append((1, "</span>"))
    for s, t, el, _ in marks:
        # Clip to the claim holding the start so tags nest properly.
        holder = next(((cs, ct) for cs, ct in claim_bounds if cs <= s < ct), None)
        if holder is not None:
            t = min(t, holder[1])
        cls = "conflict precision" if el in precision else "conflict"
        opens[s].append((1, f'<mark class="{cls}" id="{el}">'))
        closes[t].append((0, "</mark>"))
    for s, t, fid, status in facts:
        holder = next(((cs, ct) for cs, ct in claim_bounds if cs <= s and t <= ct), None)
        if holder is None:
            continue
        opens[s].append((2, f'<mark class="fact fs-{escape(status)}" data-fact="{escape(fid)}">'))
        closes[t].append((-1, "</mark>"))
    points = sorted(set(opens) | set(closes) | {0, len(text)})
    out = []
    prev = 0
    for p in points:
        if p > prev:
            out.append(str(escape(text[prev:p])))
        for _, tag in sorted(closes.get(p, [])):
            out.append(tag)
        for _, tag in sorted(opens.get(p, [])):
            out.append(tag)
        prev = max(prev, p)
    if prev < len(text):
        out.append(str(escape(text[prev:])))
    return Markup("".join(out))  # built only from escaped text and tags made here


def _fact_marks(doc: ComparisonDoc, article_id: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str, str]]:
    """The shared facts' mentions in one article (no statements: a whole claim is its span already),
    first come first kept where two overlap, none over a conflict mark."""
    out: list[tuple[int, int, str, str]] = []
    spans = list(taken)
    for f in doc.ledger:
        if f.status == "single-source" or f.kind == "statement" or len(f.sources) < 2:
            continue
        for m in f.mentions:
            if m.article != article_id or any(s < m.end and m.start < t for s, t in spans):
                continue
            spans.append((m.start, m.end))
            out.append((m.start, m.end, f.id, f.status))
    return out


@dataclass(frozen=True, slots=True)
class _Edge:
    x1: str
    y1: str
    x2: str
    y2: str
    colour: str
    width: str
    dashed: bool
    arrow: bool
    evidence: str
    label_x: str
    label_y: str
    share: str


@dataclass(frozen=True, slots=True)
class _Node:
    x: str
    y: str
    letter_y: str
    label_y: str
    letter: str
    label: str


@dataclass(frozen=True, slots=True)
class ReportView:
    """What the report templates read: the typed document plus the element ids and layout made here."""

    doc: ComparisonDoc
    letters: dict[str, str]
    anchors: _Anchors
    texts: dict[str, str]
    links: dict[str, str]  # claim id -> space-separated element ids of the claims aligned with it
    edges: tuple[_Edge, ...]
    nodes: tuple[_Node, ...]

    # The renderer's own constants, marked safe so they are emitted exactly (the script's hash allows it).
    @property
    def css(self) -> Markup:
        return Markup(_CSS)

    @property
    def js(self) -> Markup:
        return Markup(_JS)

    @property
    def csp(self) -> Markup:
        return Markup(_CSP)

    def target(self, c: CitationDoc | SideDoc | MentionDoc) -> str:
        return self.anchors.target(c.article, c.start, c.end)

    def snippet(self, c: CitationDoc | SideDoc | MentionDoc) -> str:
        return self.texts[c.article][c.start : c.end][:200]

    def source(self, article_id: str) -> Markup:
        claims: list[tuple[int, int, str, str, str]] = [
            (c.start, c.end, self.anchors.claim_ids[c.id], c.status, self.links[c.id])
            for c in self.doc.claims
            if c.article == article_id
        ]
        marks = self.anchors.marks.get(article_id, [])
        return _source_html(
            self.texts[article_id],
            claims,
            marks,
            self.anchors.precision_marks,
            _fact_marks(self.doc, article_id, [(m[0], m[1]) for m in marks]),
        )

    @staticmethod
    def cue_parts(k: ContestDoc) -> tuple[str, str, str]:
        """The dispute's text as (before the cue, the cue, after it), for the template to escape and mark."""
        text = " ".join(k.sides[1].text.split()) if len(k.sides) > 1 else ""
        span = cue_at(text, k.cue)
        if span is None:
            return (text, "", "")
        return (text[: span[0]], text[span[0] : span[1]], text[span[1] :])

    def meta(self, i: int) -> list[tuple[str, str | None]]:
        """An article's publication time, byline and URL as (text, link); only http(s) URLs are links."""
        a = self.doc.articles[i]
        out: list[tuple[str, str | None]] = [(x, None) for x in (a.published, a.byline) if x]
        if a.url:
            out.append((a.url, a.url if a.url.startswith(("http://", "https://")) else None))
        return out

    @staticmethod
    def terms(fr: FramingDoc) -> list[tuple[str, str]]:
        """(category, its distinct wordings joined), by category."""
        by_cat: dict[str, list[str]] = defaultdict(list)
        for t in fr.terms:
            if t.text not in by_cat[t.category]:
                by_cat[t.category].append(t.text)
        return [(cat, ", ".join(ws)) for cat, ws in sorted(by_cat.items())]


def _graph(doc: ComparisonDoc, letters: dict[str, str]) -> tuple[tuple[_Edge, ...], tuple[_Node, ...]]:
    """The rewrite graph's layout: articles on a circle, an edge per pair carrying over 15% or more."""
    n = len(doc.articles)
    size = 440
    cx = cy = size / 2
    r = size / 2 - 80
    pos = {}
    for i, a in enumerate(doc.articles):
        angle = 2 * math.pi * i / max(1, n) - math.pi / 2
        pos[a.id] = (cx + r * math.cos(angle), cy + r * math.sin(angle))
    edges = []
    for d in doc.rewrites:
        if d.carried_share < 0.15 and not d.rewrite:
            continue
        (x1, y1), (x2, y2) = pos[d.a], pos[d.b]
        edges.append(
            _Edge(
                f"{x1:.1f}",
                f"{y1:.1f}",
                f"{x2:.1f}",
                f"{y2:.1f}",
                colour="#a33" if d.rewrite else "#999",
                width=f"{1 + 6 * d.carried_share:.1f}",
                dashed=not d.rewrite,
                arrow=d.direction == "a->b" and d.rewrite,
                evidence=d.evidence,
                label_x=f"{(x1 + x2) / 2:.1f}",
                label_y=f"{(y1 + y2) / 2 - 4:.1f}",
                share=f"{d.carried_share:.0%}",
            )
        )
    nodes = tuple(
        _Node(
            f"{pos[a.id][0]:.1f}",
            f"{pos[a.id][1]:.1f}",
            f"{pos[a.id][1] + 5:.1f}",
            f"{pos[a.id][1] + 34:.1f}",
            letters[a.id],
            a.label[:28],
        )
        for a in doc.articles
    )
    return tuple(edges), nodes


def report_view(comparison: Comparison) -> ReportView:
    """The context of the report templates (``r``) for a comparison."""
    doc = build_document(comparison)
    letters = _letters(doc)
    anchors = _Anchors(doc)
    linked: dict[str, set[str]] = defaultdict(set)
    for al in doc.alignments:
        linked[al.a].add(anchors.claim_ids[al.b])
        linked[al.b].add(anchors.claim_ids[al.a])
    edges, nodes = _graph(doc, letters)
    return ReportView(
        doc=doc,
        letters=letters,
        anchors=anchors,
        texts={a.id: a.text for a in comparison.articles},
        links={c.id: " ".join(sorted(linked[c.id])) for c in doc.claims},
        edges=edges,
        nodes=nodes,
    )


def render_html(comparison: Comparison) -> str:
    return environment().get_template("report.html").render(r=report_view(comparison))
