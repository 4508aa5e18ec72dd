"""The quote pages in a real headless Chromium: the list filtered by speaker, a cluster's timeline with
the changed words marked, the JSON twin, and no script from a quote ever running."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import chromium, running_server, skip_without_browser
from tests.test_quotes_cli_web import db  # noqa: F401  (the store of quoting articles)

skip_without_browser()
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def base(db: Path) -> Iterator[str]:  # noqa: F811
    from corroborator.store import open_store
    from corroborator.web.app import create_app

    store = open_store(db)
    with running_server(create_app(store, token=None, background=False)) as url:
        yield url
    store.close()


def test_web_browser_quotes_list_cluster_and_escaping(base: str, tmp_path: Path) -> None:
    with chromium() as browser:
        page: Any = browser.new_page(viewport={"width": 1300, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("dialog", lambda d: (errors.append(d.message), d.dismiss()))
        page.set_default_timeout(120_000)
        page.goto(f"{base}/quotes")
        assert page.locator("tr.quote-row").count() >= 2
        page.fill("#speaker", "Lopez")
        page.click("#quote-filter-button")
        page.wait_for_url("**/quotes?speaker=Lopez*")
        assert page.locator("tr.quote-row").count() == 1
        page.click("a.quote-link")
        page.wait_for_selector("#appearances")
        assert page.locator("li.appearance").count() == 3
        assert page.locator("#quote-first").inner_text() == "Example Wire"
        marked = page.locator("li.appearance del.mut-meaning, li.appearance mark.mut-meaning")
        assert marked.count() >= 1 and page.locator("li.mutation.meaning").count() >= 1
        page.screenshot(path=str(tmp_path / "quote.png"), full_page=True)
        json_href = page.get_attribute("#json-link", "href")
        assert json_href and json_href.startswith("/api/quotes/")
        # The hostile quotes: shown as characters, never run.
        page.goto(f"{base}/quotes?speaker=Berg")
        page.click("a.quote-link")
        page.wait_for_selector("#appearances")
        assert (
            "<script>" in page.locator("#appearances").inner_text()
            or "<img" in page.locator("#appearances").inner_text()
        )
        assert page.evaluate("window.__pwned") is None and not errors
