"""A store with real articles for the web tests: the two seed reports, examples/, and a hostile page."""

from __future__ import annotations

from pathlib import Path

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


def build_store(path: Path, seeds: list[Path], examples: Path, hostile_dir: Path) -> Store:
    hostile_dir.mkdir(parents=True, exist_ok=True)
    (hostile_dir / "hostile.html").write_text(HOSTILE_HTML, encoding="utf-8")
    store = open_store(path)
    settings = Settings().with_overrides({"ingest_workers": "0"})
    report = ingest([*seeds, examples, hostile_dir / "hostile.html"], store, settings)
    assert report.failed == 0, report.errors
    return store
