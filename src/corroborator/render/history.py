"""An article's history (``corroborator.history/1``, :mod:`corroborator.api.history`) as text, Markdown,
HTML or JSON: the versions as a timeline, then for each new version its real changes, each with the
typed facts that changed, and its refactors counted. HTML is one self-contained page, every value escaped.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from html import escape

from corroborator.provenance.history import ClaimChangeDoc, DiffDoc, HistoryDoc

_SIGN = {"added": "+", "removed": "-", "changed": "~"}


def _line(c: ClaimChangeDoc) -> str:
    where = "headline" if c.part == "headline" else "claim"
    note = f" [{c.note} note]" if c.note else ""
    if c.kind == "changed" and c.before and c.after:
        return f"~ {where} changed{note}: {c.before.text!r} -> {c.after.text!r}"
    span = c.after or c.before
    return f"{_SIGN.get(c.kind, '?')} {where} {c.kind}{note}: {span.text if span else ''!r}"


def _refactors(d: DiffDoc) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in sorted(d.refactors.items())) or "none"


def as_text(doc: HistoryDoc) -> str:
    a = doc.article
    out = [f"{a['title'] or a['id']} ({a['source'] or 'no source'}) {a['url'] or ''}".rstrip()]
    out.append(f"article {a['id']}, story {doc.story or '-'}, {len(doc.versions)} version(s)")
    for v in doc.versions:
        out.append(f"  v{v.index}  {v.at or 'undated'}  {v.id}  {v.chars} chars")
    for d in doc.diffs:
        out.append(f"\nv{d.before} -> v{d.after}: {len(d.changes)} change(s); refactors: {_refactors(d)}")
        for c in d.changes:
            out.append("  " + _line(c))
            out += [f"      {f.summary}" for f in c.facts]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def as_markdown(doc: HistoryDoc) -> str:
    a = doc.article
    out = [f"# History: {_md(a['title'] or a['id'])}", "", f"Article `{a['id']}` ({_md(a['source'] or 'no source')})"]
    out += ["", "| version | time | id | characters |", "|---|---|---|---|"]
    out += [f"| v{v.index} | {v.at or 'undated'} | `{v.id}` | {v.chars} |" for v in doc.versions]
    for d in doc.diffs:
        out += ["", f"## v{d.before} -> v{d.after}", "", f"Refactors: {_refactors(d)}", ""]
        for c in d.changes:
            out.append(f"- {_md(_line(c))}")
            out += [f"  - {_md(f.summary)}" for f in c.facts]
    return "\n".join(out) + "\n"


_CSS = (
    "body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "ol.timeline{list-style:none;padding:0;border-left:3px solid #888}ol.timeline li{margin:.4rem 0 .4rem 1rem}"
    ".added{background:#e6ffec}.removed{background:#ffebe9;text-decoration:line-through}"
    ".changed{background:#fff8c5}.fact{color:#555;font-size:.9em}li.change{margin:.5rem 0}"
)


def change_html(c: ClaimChangeDoc) -> str:
    """One change as HTML (also the web app's history panel): old text struck, new text marked."""
    note = f" <em>({escape(c.note)} note)</em>" if c.note else ""
    parts = [
        f'<li class="change {escape(c.kind)}" data-kind="{escape(c.kind)}">{escape(c.part)} {escape(c.kind)}{note}: '
    ]
    if c.before is not None:
        parts.append(f'<del class="removed">{escape(c.before.text)}</del> ')
    if c.after is not None:
        parts.append(f'<ins class="added">{escape(c.after.text)}</ins>')
    if c.facts:
        parts.append("<ul>" + "".join(f'<li class="fact">{escape(f.summary)}</li>' for f in c.facts) + "</ul>")
    return "".join(parts) + "</li>"


def history_body(doc: HistoryDoc) -> str:
    """The timeline and the changes, without the page around them."""
    rows = "".join(
        f'<li data-version="{v.index}">v{v.index} · {escape(v.at or "undated")} · <code>{escape(v.id)}</code></li>'
        for v in doc.versions
    )
    out = [f'<ol class="timeline">{rows}</ol>']
    for d in doc.diffs:
        out.append(f"<h3>v{d.before} → v{d.after}</h3><p>Refactors: {escape(_refactors(d))}</p>")
        out.append("<ul>" + "".join(change_html(c) for c in d.changes) + "</ul>")
    return "".join(out)


def as_html(doc: HistoryDoc) -> str:
    title = escape(doc.article["title"] or doc.article["id"])
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>History: {title}</title>'
        f"<style>{_CSS}</style></head><body><h1>History: {title}</h1>{history_body(doc)}</body></html>\n"
    )


def render_history(doc: HistoryDoc, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(asdict(doc), indent=2, ensure_ascii=False) + "\n"
    return {"text": as_text, "md": as_markdown, "html": as_html}[fmt](doc)
