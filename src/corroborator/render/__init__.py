"""Renderers of a Comparison: terminal text (rich), Markdown, one self-contained HTML file, JSON.

``render(comparison, fmt)`` returns the document as a string; the JSON format is versioned
(``corroborator.comparison/3.2``, see docs/schema.md).
"""

from __future__ import annotations

import json
from typing import Literal

from corroborator.compare import Comparison

Format = Literal["text", "md", "html", "json"]
FORMATS: tuple[str, ...] = ("text", "md", "html", "json")


def render_json(comparison: Comparison) -> str:
    from corroborator.render.document import to_document

    return json.dumps(to_document(comparison), ensure_ascii=False, indent=2)


def render(comparison: Comparison, fmt: str = "text") -> str:
    """The comparison as ``text``, ``md``, ``html`` or ``json``."""
    if fmt == "text":
        from corroborator.render.text import render_text

        return render_text(comparison)
    if fmt == "md":
        from corroborator.render.markdown import render_markdown

        return render_markdown(comparison)
    if fmt == "html":
        from corroborator.render.html import render_html

        return render_html(comparison)
    if fmt == "json":
        return render_json(comparison)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "Format", "render", "render_json"]
