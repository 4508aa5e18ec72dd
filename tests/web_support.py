"""A store with real articles for the web tests: the two seed reports, examples/, and a hostile page.

``web_store`` is session-scoped so the API and browser tests share one ingest; import it into a test
module to use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corroborator.pipeline import ingest
from corroborator.settings import Settings
from corroborator.store import open_store
from corroborator.store.base import Store

# An article written to attack the page that shows it: script tags, event handlers, javascript: links.
HOSTILE_HTML = """<!doctype html><html><head><title>Harbour council vote &lt;b&gt;</title>
<script>window.__pwned = 'head';</script></head>
<body><article><h1>Harbour council <script>window.__pwned='title'</script> vote delayed</h1>
<p>The harbour council delayed its vote on the new quay on Monday after a long debate.
<img src=x onerror="window.__pwned='img'"> Councillors said the plan needs more study.</p>
<p>Critics of the plan <a href="javascript:window.__pwned='link'">called it rushed</a> and
<span onmouseover="window.__pwned='hover'">asked for a public hearing</span> before any vote.</p>
<p>&lt;script&gt;window.__pwned='escaped'&lt;/script&gt; The mayor said a vote could come in April.</p>
</article></body></html>"""

# The same attacks as plain text with front matter: readers keep text verbatim, so the markup reaches
# the pages as characters and must be shown as characters.
HOSTILE_TEXT = """---
source: Hostile <b onmouseover="window.__pwned='source'">Desk</b>
title: Harbour quay <script>window.__pwned='md-title'</script> vote
url: "javascript:window.__pwned='url'"
published: 2026-03-02T10:00:00Z
---
The harbour council <img src=x onerror="window.__pwned='md-img'"> delayed its vote on the new quay.

Critics <a href="javascript:window.__pwned='md-link'">called it rushed</a> and <svg onload="window.__pwned='svg'">
asked for a hearing. <script>alert('md')</script> The mayor said a vote could come in April.
"""


def build_store(path: Path, seeds: list[Path], examples: Path, hostile_dir: Path) -> Store:
    hostile_dir.mkdir(parents=True, exist_ok=True)
    (hostile_dir / "hostile.html").write_text(HOSTILE_HTML, encoding="utf-8")
    (hostile_dir / "hostile.md").write_text(HOSTILE_TEXT, encoding="utf-8")
    store = open_store(path)
    settings = Settings().with_overrides({"ingest_workers": "0"})
    report = ingest([*seeds, examples, hostile_dir / "hostile.html", hostile_dir / "hostile.md"], store, settings)
    assert report.failed == 0, report.errors
    return store


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    from tests.conftest import EXAMPLES, shared_path

    seeds = sorted(shared_path("corpus", "seeds").glob("*.txt"))
    tmp = tmp_path_factory.mktemp("web")
    store = build_store(tmp / "web.db", seeds, EXAMPLES, tmp / "hostile")
    yield store
    store.close()
