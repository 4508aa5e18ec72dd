"""One self-contained HTML report: inline CSS, a few lines of inline JS, nothing fetched.

Sections: the brief (each citation jumps to and flashes the cited span in its source), the sources
side by side (claims coloured by status, aligned claims linked, conflicting spans marked on every
side), the conflicts, a corroboration matrix, the rewrite graph as inline SVG, the framing table and
the timeline.

Article text and metadata are untrusted. Every value goes through :func:`e` (``html.escape`` with
quotes); element ids are generated here, never taken from input; links are emitted only for http(s)
URLs; no data is put into the script; and a Content-Security-Policy forbids loading anything.
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from typing import Any

from corroborator.compare import Comparison
from corroborator.render.document import to_document


def e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _letters(doc: dict[str, Any]) -> dict[str, str]:
    return {a["id"]: chr(ord("A") + i) if i < 26 else str(i + 1) for i, a in enumerate(doc["articles"])}


class _Anchors:
    """Element ids for every span a citation may point at, per article."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.article_index = {a["id"]: i for i, a in enumerate(doc["articles"])}
        self.claim_ids: dict[str, str] = {}
        self.claim_spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for n, c in enumerate(doc["claims"]):
            el = f"c{n}"
            self.claim_ids[c["id"]] = el
            self.claim_spans[c["article"]].append((c["start"], c["end"], el))
        # Conflict sides, merged where they overlap so marks never interleave.
        raw: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for cf in doc["conflicts"]:
            for sd in cf["sides"]:
                raw[sd["article"]].append((sd["start"], sd["end"]))
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
        for cf in doc["conflicts"]:
            if cf["precision_only"]:
                for sd in cf["sides"]:
                    self.precision_marks.add(self.mark_of[(sd["article"], sd["start"], sd["end"])])
        # Contradiction marks win over precision marks when merged.
        for cf in doc["conflicts"]:
            if not cf["precision_only"]:
                for sd in cf["sides"]:
                    self.precision_marks.discard(self.mark_of[(sd["article"], sd["start"], sd["end"])])

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
) -> str:
    """The article text with claims as <span> and conflict sides as <mark>, all text escaped.

    ``claims``: (start, end, element id, status, space-separated linked element ids).
    """
    opens: dict[int, list[tuple[int, str]]] = defaultdict(list)  # pos -> (priority, tag)
    closes: dict[int, list[tuple[int, str]]] = defaultdict(list)
    claim_bounds = sorted((s, t) for s, t, *_ in claims)
    for s, t, el, status, links in claims:
        opens[s].append((0, f'<span class="claim st-{e(status)}" id="{el}" data-links="{e(links)}">'))
        closes[t].append((1, "</span>"))
    for s, t, el, _ in marks:
        # Clip to the claim holding the start so tags nest properly.
        holder = next(((cs, ct) for cs, ct in claim_bounds if cs <= s < ct), None)
        if holder is not None:
            t = min(t, holder[1])
        cls = "conflict precision" if el in precision else "conflict"
        opens[s].append((1, f'<mark class="{cls}" id="{el}">'))
        closes[t].append((0, "</mark>"))
    points = sorted(set(opens) | set(closes) | {0, len(text)})
    out = []
    prev = 0
    for p in points:
        if p > prev:
            out.append(e(text[prev:p]))
        for _, tag in sorted(closes.get(p, [])):
            out.append(tag)
        for _, tag in sorted(opens.get(p, [])):
            out.append(tag)
        prev = max(prev, p)
    if prev < len(text):
        out.append(e(text[prev:]))
    return "".join(out)


def _svg_graph(doc: dict[str, Any], letters: dict[str, str]) -> str:
    arts = doc["articles"]
    n = len(arts)
    size = 440
    cx = cy = size / 2
    r = size / 2 - 80
    pos = {}
    for i, a in enumerate(arts):
        angle = 2 * math.pi * i / max(1, n) - math.pi / 2
        pos[a["id"]] = (cx + r * math.cos(angle), cy + r * math.sin(angle))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
        'role="img" aria-label="rewrite graph">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="30" refY="5" markerWidth="12" markerHeight="12" '
        'markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#a33"/></marker></defs>',
    ]
    for d in doc["rewrites"]:
        if d["carried_share"] < 0.15 and not d["rewrite"]:
            continue
        (x1, y1), (x2, y2) = pos[d["a"]], pos[d["b"]]
        width = 1 + 6 * d["carried_share"]
        colour = "#a33" if d["rewrite"] else "#999"
        dash = "" if d["rewrite"] else ' stroke-dasharray="4 3"'
        arrow = ' marker-end="url(#arrow)"' if d["direction"] == "a->b" and d["rewrite"] else ""
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
            f'stroke-width="{width:.1f}"{dash}{arrow}><title>{e(d["evidence"])}</title></line>'
        )
        parts.append(
            f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2 - 4:.1f}" class="edge">{d["carried_share"]:.0%}</text>'
        )
    for a in arts:
        x, y = pos[a["id"]]
        parts.append(
            f'<g><circle cx="{x:.1f}" cy="{y:.1f}" r="18" class="node"/>'
            f'<text x="{x:.1f}" y="{y + 5:.1f}" class="nodel">{e(letters[a["id"]])}</text>'
            f'<text x="{x:.1f}" y="{y + 34:.1f}" class="nlabel">{e(a["label"][:28])}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#222;background:#fafafa}
header,section{max-width:1400px;margin:0 auto;padding:12px 20px}h1{font-size:1.5em;margin:.3em 0}
h2{font-size:1.2em;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:1.4em}
.summary{color:#555}
.badge{display:inline-block;font-size:.75em;padding:1px 6px;border-radius:8px;margin-right:6px;
color:#fff;vertical-align:1px}.b-corroborated{background:#2e7d32}.b-disputed{background:#c62828}
.b-single-source{background:#b8860b}.b-note{background:#00838f}.b-timeline{background:#1565c0}
ol.brief li{margin:.35em 0}a.cite{font-size:.8em;text-decoration:none;background:#e8eaf6;border-radius:4px;
padding:0 4px;margin-left:2px;color:#283593}a.cite:hover{background:#c5cae9}
.sources{display:grid;grid-template-columns:repeat(var(--n),minmax(320px,1fr));gap:14px;overflow-x:auto}
.source{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 12px}
.source h3{margin:.2em 0;font-size:1em}.meta{color:#666;font-size:.85em;word-break:break-all}
.text{white-space:pre-wrap;font-size:.92em}.claim{border-radius:3px;cursor:pointer}
.st-corroborated{background:#e8f5e9}.st-disputed{background:#ffebee}.st-single-source{background:#fff8e1}
mark.conflict{background:#ef9a9a;outline:1px solid #c62828;border-radius:2px}
mark.precision{background:#b2ebf2;outline:1px solid #00838f}
.linked{outline:2px solid #3949ab}.flash{animation:flash 2s}
@keyframes flash{0%,60%{background:#ffd54f;outline:3px solid #ff6f00}}
table{border-collapse:collapse;background:#fff}td,th{border:1px solid #ddd;padding:4px 8px;vertical-align:top;
font-size:.9em;text-align:left}th{background:#f0f0f0}.c-supports{color:#2e7d32;text-align:center}
.c-disputes{color:#c62828;font-weight:bold;text-align:center}.c-silent{color:#bbb;text-align:center}
.node{fill:#e8eaf6;stroke:#3949ab}.nodel{text-anchor:middle;font-weight:bold}.nlabel{text-anchor:middle;font-size:11px}
.edge{font-size:11px;fill:#a33;text-anchor:middle}.leftout{font-style:italic;color:#555}
.legend span{margin-right:12px}
"""

# Citations jump to their span and flash it; clicking a claim outlines the claims aligned with it.
_JS = """
document.addEventListener('click',function(ev){
 var a=ev.target.closest('a.cite');
 if(a){var t=document.getElementById(a.getAttribute('data-target'));
  if(t){ev.preventDefault();t.scrollIntoView({behavior:'smooth',block:'center'});
   t.classList.remove('flash');void t.offsetWidth;t.classList.add('flash');}return;}
 var c=ev.target.closest('.claim');
 document.querySelectorAll('.linked').forEach(function(x){x.classList.remove('linked');});
 if(c){c.classList.add('linked');(c.getAttribute('data-links')||'').split(' ').forEach(function(id){
  var o=id&&document.getElementById(id);if(o){o.classList.add('linked');}});}
});
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def render_html(comparison: Comparison) -> str:
    doc = to_document(comparison)
    letters = _letters(doc)
    anchors = _Anchors(doc)
    texts = {a.id: a.text for a in comparison.articles}
    links: dict[str, set[str]] = defaultdict(set)
    for al in doc["alignments"]:
        links[al["a"]].add(anchors.claim_ids[al["b"]])
        links[al["b"]].add(anchors.claim_ids[al["a"]])

    def cite(c: dict[str, Any]) -> str:
        target = anchors.target(c["article"], c["start"], c["end"])
        snippet = texts[c["article"]][c["start"] : c["end"]]
        return (
            f'<a class="cite" href="#{target}" data-target="{target}" title="{e(snippet[:200])}">'
            f"{e(letters[c['article']])}</a>"
        )

    p: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{e(doc['title'])} · corroborator</title><style>{_CSS}</style></head><body>",
        f"<header><h1>{e(doc['title'])}</h1>",
    ]
    s = doc["summary"]
    p.append(
        f'<p class="summary">{s["articles"]} reports · {s["claims"]} claims: '
        f"{s['corroborated_claims']} corroborated, "
        f"{s['disputed_claims']} disputed, {s['single_source_claims']} single-source · {s['contradictions']} "
        f"contradictions, {s['precision_only']} differences of precision only · {s['rewrites']} rewrites · "
        f"{s['independent_sources']} independent sources</p></header>"
    )

    # Brief
    p.append('<section id="brief"><h2>Brief</h2><ol class="brief">')
    for sent in doc["brief"]["sentences"]:
        cites = "".join(cite(c) for c in sent["citations"])
        p.append(
            f'<li><span class="badge b-{e(sent["status"])}">{e(sent["status"])}</span>{e(sent["text"])} {cites}</li>'
        )
    p.append(f'</ol><p class="leftout">{e(doc["brief"]["left_out"])}</p></section>')

    # Conflicts
    if doc["conflicts"]:
        p.append(
            '<section id="conflicts"><h2>Conflicts</h2><table><tr><th>kind</th><th>verdict</th>'
            "<th>explanation</th><th>sides</th></tr>"
        )
        for cf in doc["conflicts"]:
            verdict = "precision only" if cf["precision_only"] else "contradiction"
            sides = "<br>".join(f"{cite(sd)} “{e(sd['text'])}” <small>({e(sd['value'])})</small>" for sd in cf["sides"])
            p.append(
                f"<tr><td>{e(cf['kind'])}</td><td>{verdict}</td><td>{e(cf['explanation'])}</td><td>{sides}</td></tr>"
            )
        p.append("</table></section>")

    # Sources side by side
    n = len(doc["articles"])
    p.append(
        '<section id="sources"><h2>Sources side by side</h2><p class="legend">'
        '<span class="claim st-corroborated">corroborated</span> '
        '<span class="claim st-disputed">disputed</span> '
        '<span class="claim st-single-source">single-source</span> '
        '<mark class="conflict">conflicting span</mark> '
        '<mark class="conflict precision">less precise</mark> '
        "Click a claim to outline the claims aligned with it.</p>"
        f'<div class="sources" style="--n:{n}">'
    )
    for i, a in enumerate(doc["articles"]):
        claim_list = [
            (c["start"], c["end"], anchors.claim_ids[c["id"]], c["status"], " ".join(sorted(links[c["id"]])))
            for c in doc["claims"]
            if c["article"] == a["id"]
        ]
        meta = [e(x) for x in (a["published"], a["byline"]) if x]
        url = a["url"] or ""
        if url.startswith(("http://", "https://")):
            meta.append(f'<a href="{e(url)}" rel="noopener noreferrer nofollow">{e(url)}</a>')
        elif url:
            meta.append(e(url))
        body = _source_html(texts[a["id"]], claim_list, anchors.marks.get(a["id"], []), anchors.precision_marks)
        p.append(
            f'<article class="source" id="art{i}"><h3>{e(letters[a["id"]])} · {e(a["label"])}</h3>'
            f'<div class="meta">{e(a["title"] or "")}<br>{" · ".join(meta)}<br>id {e(a["id"])}</div>'
            f'<div class="text">{body}</div></article>'
        )
    p.append("</div></section>")

    # Matrix
    if doc["matrix"]:
        head = "".join(f"<th>{e(letters[a['id']])}</th>" for a in doc["articles"])
        p.append(f'<section id="matrix"><h2>Corroboration matrix</h2><table><tr><th>point</th>{head}</tr>')
        sym = {"supports": "✓ supports", "disputes": "✗ disputes", "silent": "· silent"}
        for row in doc["matrix"]:
            target = anchors.claim_ids.get(row["claim"], "")
            label = row["text"] if len(row["text"]) <= 140 else row["text"][:139] + "…"
            cells = "".join(
                f'<td class="c-{row["cells"][a["id"]]}">{sym[row["cells"][a["id"]]]}</td>' for a in doc["articles"]
            )
            p.append(
                f'<tr><td><span class="badge b-{e(row["kind"])}">{e(row["kind"])}</span>'
                f'<a class="cite" href="#{target}" data-target="{target}">↗</a> {e(label)}</td>{cells}</tr>'
            )
        p.append("</table></section>")

    # Rewrites
    p.append('<section id="rewrites"><h2>Rewrites</h2>')
    p.append(_svg_graph(doc, letters))
    if doc["rewrites"]:
        p.append(
            "<table><tr><th>pair</th><th>carried over</th><th>order kept</th><th>verbatim runs</th>"
            "<th>direction</th><th>verdict</th><th>evidence</th></tr>"
        )
        for d in doc["rewrites"]:
            p.append(
                f"<tr><td>{e(letters[d['a']])}→{e(letters[d['b']])}</td><td>{d['carried_share']:.0%}</td>"
                f"<td>{d['order_kept']:.2f}</td><td>{d['verbatim_runs']}</td><td>{e(d['direction'])}</td>"
                f"<td>{'rewrite' if d['rewrite'] else 'independent'}</td><td>{e(d['evidence'])}</td></tr>"
            )
        p.append("</table>")
    p.append("</section>")

    # Framing
    if doc["framing"]:
        p.append(
            '<section id="framing"><h2>Framing</h2><table><tr><th>source</th><th>subjectivity</th>'
            "<th>tone</th><th>loaded, emotive and hedging wording</th><th>voices quoted</th></tr>"
        )
        for fr in doc["framing"]:
            by_cat: dict[str, list[str]] = defaultdict(list)
            for t in fr["terms"]:
                if t["text"] not in by_cat[t["category"]]:
                    by_cat[t["category"]].append(t["text"])
            terms = "<br>".join(f"<strong>{e(cat)}</strong>: {e(', '.join(ws))}" for cat, ws in sorted(by_cat.items()))
            voices = "<br>".join(
                f"<strong>{e(role)}</strong>: {e(', '.join(v))}" for role, v in fr["voices"].items() if v
            )
            p.append(
                f"<tr><td>{e(letters[fr['article']])}</td><td>{fr['subjectivity']:.2f}</td><td>{fr['tone']:+.2f}</td>"
                f"<td>{terms}</td><td>{voices}</td></tr>"
            )
        p.append("</table></section>")

    # Timeline
    if doc["timeline"]:
        p.append('<section id="timeline"><h2>Timeline</h2><table><tr><th>when</th><th>source</th><th>what</th></tr>')
        for t in doc["timeline"]:
            p.append(f"<tr><td>{e(t['when'])}</td><td>{cite(t['citation'])}</td><td>{e(t['what'])}</td></tr>")
        p.append("</table></section>")

    p.append(f"<script>{_JS}</script></body></html>")
    return "\n".join(p)
