"""Renderers: the JSON validates against the versioned schema, HTML is self-contained and escapes
untrusted article text, Markdown and text carry the brief with its citations."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from corroborator.compare import SCHEMA_VERSION, Comparison, compare_articles
from corroborator.model import Article
from corroborator.render import render
from corroborator.render.schema import SCHEMA, validate
from tests.test_compare_support import CosineJudge, FakeEncoder

HOSTILE_A = (
    "Officials said 340 residents were evacuated on Tuesday <script>alert('a')</script> from the estate.\n\n"
    'The mayor said "we were lucky the wind turned when it did" '
    '<img src=x onerror="alert(1)"> at the scene.\n\n'
    "No injuries were reported, the fire service said & added that crews stayed overnight."
)
HOSTILE_B = (
    "Council officials said 430 residents were evacuated on Tuesday from the estate "
    "</textarea><script>x()</script>.\n\n"
    'The fire chief said "we were lucky the wind turned when it did" at the scene '
    "<b onmouseover=alert(2)>.\n\n"
    "Two firefighters were treated at the scene for heat exhaustion, the fire service said."
)


@pytest.fixture(scope="module")
def hostile() -> Comparison:
    a = Article.create(HOSTILE_A, source="<b>Wire</b>", title="Fire <script>t()</script>", url="javascript:alert(3)")
    b = Article.create(HOSTILE_B, source='Courier" onload="x', title="Fire & smoke", url="https://courier.test/a?b=<c>")
    return compare_articles([a, b], judge=CosineJudge(), encoder=FakeEncoder())


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def test_render_html_escapes_untrusted_text(hostile: Comparison) -> None:
    html = render(hostile, "html")
    parser = _Collector()
    parser.feed(html)
    # exactly one script element: ours, with no article text in it
    assert [t for t, _ in parser.tags].count("script") == 1
    assert "alert" not in parser.scripts[0] and "x()" not in parser.scripts[0]
    for tag, attrs in parser.tags:
        assert tag not in ("img", "b", "textarea"), f"article markup leaked as a <{tag}> element"
        for name, value in attrs:
            assert not name.startswith("on"), f"event handler attribute {name} on <{tag}>"
            if name == "href":
                assert value and (value.startswith("#") or value.startswith("https://")), value
    assert "&lt;script&gt;alert(&#39;a&#39;)&lt;/script&gt;" in html
    assert "onerror=&#34;alert(1)&#34;" in html
    assert 'href="javascript:' not in html  # shown as text, never a link
    assert re.search(r"https?://(?!courier\.test)", html.replace("http://www.w3.org/2000/svg", "")) is None


def test_render_html_is_self_contained(hostile: Comparison) -> None:
    html = render(hostile, "html")
    assert html.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"<(?:link|iframe|object|embed)\b", html)
    parser = _Collector()
    parser.feed(html)
    assert not [t for t, attrs in parser.tags if any(n == "src" for n, _ in attrs)]
    # every citation jumps to an element that exists
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    targets = re.findall(r'data-target="([^"]+)"', html)
    assert targets and set(targets) <= ids


def test_render_json_validates_and_is_versioned(hostile: Comparison) -> None:
    doc = json.loads(render(hostile, "json"))
    assert doc["schema"] == SCHEMA_VERSION == "corroborator.comparison/3.2"
    assert validate(doc) == []
    # compared from files, not a store: no version of any article, no "as of" time (left out, not null)
    assert "as_of" not in doc and all("version" not in a for a in doc["articles"])
    texts = {a.id: a.text for a in hostile.articles}
    for claim in doc["claims"]:
        assert texts[claim["article"]][claim["start"] : claim["end"]] == claim["text"]
    for cf in doc["conflicts"]:
        for side in cf["sides"]:
            assert texts[side["article"]][side["start"] : side["end"]] == side["text"]
    for sent in doc["brief"]["sentences"]:
        assert sent["citations"]


def test_render_schema_validator_reports_problems() -> None:
    wrong_version = validate({"schema": "other/9"})
    assert any(p.startswith("$.schema: 'corroborator.comparison/3.2' was expected") for p in wrong_version)
    problems = validate({"schema": SCHEMA_VERSION, "conflicts": [{"kind": "vibes"}]}, SCHEMA)
    assert "$: 'articles' is a required property" in problems
    assert any(p.startswith("$.conflicts[0].kind: 'vibes' is not one of") for p in problems)


def test_render_markdown_and_text_escape_and_cite(hostile: Comparison) -> None:
    md = render(hostile, "md")
    assert "<script>" not in md and "<img" not in md
    assert "## Brief" in md and "[^1]" in md
    text = render(hostile, "text")
    assert "Brief" in text and "\x1b[" not in text
    with pytest.raises(ValueError, match="unknown format"):
        render(hostile, "pdf")


def test_render_html_script_is_the_renderers_constant(hostile: Comparison) -> None:
    # The web app allows the report's script by the hash of this constant; the page must carry it exactly.
    from corroborator.render import html as report_html

    parser = _Collector()
    parser.feed(render(hostile, "html"))
    assert parser.scripts == [report_html._JS]


def test_render_html_sections_macro_is_the_report_body(hostile: Comparison) -> None:
    # The web app's story page includes report_macros.html's report_body; it must be the standalone body.
    from corroborator.render.html import environment, report_view

    macros = environment().get_template("report_macros.html").module
    body = str(macros.report_body(report_view(hostile)))
    page = render(hostile, "html")
    assert body.startswith("<header><h1>Fire &lt;script&gt;t()&lt;/script&gt;</h1>")
    assert body in page
    assert environment().autoescape("report_macros.html") and environment().autoescape("report.html")
