"""Server-rendered pages: Jinja2 templates with autoescape on, so article text is always escaped.

Article text and titles are untrusted. Nothing here marks article content as safe; the only markup that
is emitted unescaped is markup built by corroborator itself (the comparison report, highlight spans
built from escaped segments).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from corroborator.model import Article, Fact

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def env() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["date"] = lambda d: d.strftime("%Y-%m-%d %H:%M") if d else "date unknown"
    return environment


def page(name: str, **context: Any) -> str:
    return env().get_template(name).render(**context)


def error_page(status: int, message: str) -> str:
    return page("error.html", status=status, message=message, title=f"Error {status}")


def highlight_facts(article: Article, facts: Sequence[Fact]) -> Markup:
    """The article text with each fact wrapped in a <mark>; every text segment escaped.

    Overlapping facts (an entity inside a quote) keep the outer one, so marks never nest or cross.
    """
    text = article.text
    chosen: list[Fact] = []
    last_end = -1
    for fact in sorted(facts, key=lambda f: (f.start, -(f.end - f.start))):
        if fact.start >= last_end and 0 <= fact.start < fact.end <= len(text):
            chosen.append(fact)
            last_end = fact.end
    out: list[str] = []
    pos = 0
    for fact in chosen:
        out.append(_paragraphs(text[pos : fact.start]))
        title = f"{fact.kind}: {fact.norm}" + (f" (speaker: {fact.speaker})" if fact.speaker else "")
        out.append(
            f'<mark class="fact fact-{escape(fact.kind)}" title="{escape(title)}" '
            f'data-start="{fact.start}" data-end="{fact.end}">{escape(text[fact.start : fact.end])}</mark>'
        )
        pos = fact.end
    out.append(_paragraphs(text[pos:]))
    return Markup("".join(out))


def _paragraphs(segment: str) -> str:
    return escape(segment).replace("\n\n", "<br><br>").replace("\n", "<br>")
