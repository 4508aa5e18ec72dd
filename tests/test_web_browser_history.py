"""The article history page in a real headless Chromium: the article page links it, the timeline lists
both versions, the revised figure is struck and marked, the JSON twin answers, and a script in a new
version's text is shown as characters, never run."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from corroborator.cli import app
from tests.browser_support import chromium, running_server, skip_without_browser
from tests.test_versions_ingest import BODY, CHANGED, URL, record, write

skip_without_browser()
pytestmark = [pytest.mark.browser, pytest.mark.slow]
HOSTILE = '\n\n<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    from corroborator.api.history import article_history
    from corroborator.store import open_store
    from corroborator.web.app import create_app

    tmp = tmp_path_factory.mktemp("history")
    db = str(tmp / "h.db")
    runner = CliRunner()
    for name, rec in (("a.jsonl", record(BODY)), ("b.jsonl", record(CHANGED + HOSTILE))):
        assert runner.invoke(app, ["ingest", str(write(tmp / name, rec)), "--db", db, "--quiet"]).exit_code == 0
    store = open_store(db)
    article = article_history(store, URL).article
    with running_server(create_app(store, token=None, background=False)) as url:
        yield url, article.id
    store.close()


def test_web_browser_history_timeline_changes_and_escaping(base: tuple[str, str], tmp_path: Path) -> None:
    url, article_id = base
    with chromium() as browser:
        page: Any = browser.new_page(viewport={"width": 1300, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("dialog", lambda d: (errors.append(d.message), d.dismiss()))
        page.set_default_timeout(120_000)
        page.goto(f"{url}/articles/{article_id}")
        page.click(f'a[href="/articles/{article_id}/history"]')
        page.wait_for_selector("#history")
        history = page.locator("#history")
        assert "2 versions" in page.inner_text("body")
        struck = page.locator("#history del.removed")
        assert struck.count() >= 1 and any("12" in struck.nth(i).inner_text() for i in range(struck.count()))
        assert "15 people" in history.inner_text() and "Correction" in history.inner_text()
        # The hostile text of the second version: characters on the page, nothing executed.
        assert "<script>" in history.inner_text() or "<img" in history.inner_text()
        assert page.evaluate("window.__pwned") is None and not errors
        page.screenshot(path=str(tmp_path / "history.png"), full_page=True)
        shots = os.environ.get("CORROBORATOR_SCREENSHOTS")
        if shots:  # scripts write docs/history.png from this very page
            page.screenshot(path=str(Path(shots) / "history.png"), full_page=True)
        doc = json.loads(page.goto(f"{url}/api/articles/{article_id}/history").text())
        assert doc["schema"] == "corroborator.history/1" and len(doc["versions"]) == 2
