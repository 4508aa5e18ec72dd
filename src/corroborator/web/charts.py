"""Small inline SVG charts for the pages, built on the server: no script, no library, nothing fetched.

Every label that comes from an article (a source name, a title) is escaped here, because the result is
marked safe for the templates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from markupsafe import Markup

# Colour-blind-safe palette (Okabe-Ito); a source keeps its colour across the page by its rank.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
OTHER = "#9ca3af"


def source_colours(sources: Sequence[str], top: int = len(PALETTE)) -> dict[str, str]:
    """The most frequent sources get palette colours, the rest share grey."""
    counts: dict[str, int] = {}
    for s in sources:
        counts[s] = counts.get(s, 0) + 1
    ranked = sorted(counts, key=lambda s: (-counts[s], s))
    return {s: (PALETTE[i] if i < top else OTHER) for i, s in enumerate(ranked)}


def size_bar(size: int, biggest: int, width: int = 80) -> Markup:
    share = size / biggest if biggest else 0.0
    return Markup(
        f'<svg class="bar" width="{width}" height="12" role="img" aria-label="{size} articles">'
        f'<rect width="{width * share:.1f}" height="12"></rect></svg>'
    )


def sources_over_time(
    points: Sequence[tuple[str, datetime]], colours: dict[str, str], width: int = 900, lane: int = 22
) -> Markup:
    """One lane per source, a dot per article at its publication time (undated articles left out)."""
    dated = [(s, d) for s, d in points if d is not None]
    if not dated:
        return Markup('<p class="muted">No dated articles to chart.</p>')
    lanes = sorted({s for s, _ in dated}, key=lambda s: (list(colours).index(s) if s in colours else 999, s))
    left, right, top = 170, 20, 8
    t0 = min(d.timestamp() for _, d in dated)
    t1 = max(d.timestamp() for _, d in dated)
    span = (t1 - t0) or 1.0
    height = top + lane * len(lanes) + 24

    def x(d: datetime) -> float:
        return left + (width - left - right) * ((d.timestamp() - t0) / span if t1 > t0 else 0.5)

    parts = [
        f'<svg class="timeline" id="sources-over-time" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="articles per source over time">'
    ]
    for i, s in enumerate(lanes):
        y = top + lane * i + lane / 2
        name = s if len(s) <= 24 else s[:23] + "…"
        parts.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" class="lane">{escape(name)}</text>'
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="lane-line"></line>'
        )
    for s, d in dated:
        y = top + lane * lanes.index(s) + lane / 2
        parts.append(
            f'<circle cx="{x(d):.1f}" cy="{y:.1f}" r="5" fill="{colours.get(s, OTHER)}" class="dot">'
            f"<title>{escape(s)} · {d:%Y-%m-%d %H:%M}</title></circle>"
        )
    axis_y = top + lane * len(lanes) + 16
    first, last = min(d for _, d in dated), max(d for _, d in dated)
    parts.append(f'<text x="{left}" y="{axis_y}" class="axis">{first:%Y-%m-%d}</text>')
    if last.date() != first.date():
        parts.append(f'<text x="{width - right}" y="{axis_y}" class="axis end">{last:%Y-%m-%d}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


STANCE_COLOURS = {"supports": "#047857", "contradicts": "#b91c1c", "discusses": "#6b7280", "unrelated": "#d1d5db"}


def stance_bar(counts: dict[str, int], width: int = 600) -> Markup:
    """One stacked bar: how many judged articles support, contradict, discuss or are unrelated to a claim."""
    total = sum(counts.values())
    if not total:
        return Markup("")
    parts = [
        f'<svg class="stances" id="stance-bar" viewBox="0 0 {width} 38" width="{width}" role="img" '
        f'aria-label="stances of the judged articles">'
    ]
    x = 0.0
    for stance, colour in STANCE_COLOURS.items():
        n = counts.get(stance, 0)
        if not n:
            continue
        w = width * n / total
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="18" fill="{colour}" class="st-{stance}">'
            f"<title>{stance}: {n}</title></rect>"
        )
        if w > 60:
            parts.append(f'<text x="{x + 4:.1f}" y="32">{stance} {n}</text>')
        x += w
    parts.append("</svg>")
    return Markup("".join(parts))
