"""End to end in a real headless Chromium against the running server, on the seeds, examples/ and a
hostile article: stories list, story page (conflicts highlighted on both sides, citations jump to their
spans, under the page's CSP), article facts, compare on the spot, upload with progress, check, and that
no script from an article ever runs.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import CHROMIUM

if not os.path.exists(CHROMIUM):
    pytest.skip(
        f"browser tests need Debian's chromium at {CHROMIUM} (.ci/browser.sh installs it)", allow_module_level=True
    )
if importlib.util.find_spec("playwright") is None or importlib.util.find_spec("fastapi") is None:
    pytest.skip("browser tests need playwright and the web extra: pip install -e '.[web,dev]'", allow_module_level=True)

from corroborator.store.base import Store
from corroborator.web.app import create_app
from tests.browser_support import chromium, running_server
from tests.conftest import EXAMPLES
from tests.web_support import HOSTILE_HTML, HOSTILE_TEXT, web_store  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIRE = EXAMPLES / "port-elvan-fire"


@pytest.fixture(scope="module")
def base(web_store: Store) -> Iterator[str]:  # noqa: F811
    app = create_app(web_store, token=None)
    with running_server(app) as url:
        # The background worker compares the stored stories at start-up, so pages serve kept comparisons
        # (a comparison computed in a request can outlast the browser's 30 s timeout on a busy machine).
        assert app.state.ctx.refresher.wait_idle(1800)
        yield url
        # Uploads queue comparisons: let them finish, so no model code runs on a thread at exit.
        app.state.ctx.refresher.wait_idle(600)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


class Watch:
    """What a page did that it should not: dialogs, CSP refusals, script errors."""

    def __init__(self, page: Any) -> None:
        self.dialogs: list[str] = []
        self.csp: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _console(self, msg: Any) -> None:
        if "Content Security Policy" in msg.text:
            self.csp.append(msg.text)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    pg = context.new_page()
    # Comparing on the spot runs the models in the request: generous on a busy 2-core CI machine.
    pg.set_default_timeout(60_000)
    pg.set_default_navigation_timeout(180_000)
    pg.watch = Watch(pg)
    yield pg
    context.close()


def pwned(page: Any) -> Any:
    return page.evaluate("() => window.__pwned")


def open_fire_story(page: Any, base: str, disputed_only: bool = True) -> dict[str, Any]:
    """Search the list for the fire, then open the biggest story of it (that has a contradiction)."""
    page.goto(f"{base}/")
    page.fill("#q", "fire")
    page.fill("#min_size", "2")
    page.click("#filter-button")
    page.wait_for_url("**/?q=fire*")
    assert page.locator("tr.story-row").count() >= 1
    stories = page.request.get(f"{base}/api/stories", params={"q": "fire", "min_size": 2}).json()["items"]
    disputed = [
        s
        for s in sorted(stories, key=lambda s: -s["size"])
        if not disputed_only or page.request.get(f"{base}/api/stories/{s['id']}").json()["conflicts"]
    ]
    assert disputed, "no stored fire story shows a conflict (examples/ plants several)"
    page.click(f"a.story-link[href='{disputed[0]['url']}']")
    page.wait_for_selector("#sources")
    return disputed[0]  # type: ignore[no-any-return]


def test_web_browser_stories_list_filters_and_chart(page: Any, base: str) -> None:
    story = open_fire_story(page, base)  # a story is known to be disputed once it has been compared
    page.goto(f"{base}/")
    assert page.locator("tr.story-row").count() >= 3
    assert page.locator("#sources-over-time circle.dot").count() >= 5
    source = story["sources"][0]
    page.check("#disputed")
    page.fill("#source", source)
    page.click("#filter-button")
    page.wait_for_url("**disputed=true*")
    # The filters are applied on the server; every listed story matches them.
    rows = page.locator("tr.story-row")
    assert page.locator(f"tr.story-row[data-story='{story['id']}']").count() == 1
    assert page.locator("tr.story-row .badge.disputed").count() == rows.count()
    for row in rows.all():
        assert source in row.inner_text()
    assert page.is_checked("#disputed") and page.input_value("#source") == source


def assert_report_works(page: Any) -> None:
    """The served report: conflicts marked on both sides, citations jump and flash, claims link, CSP quiet."""
    # Conflicting spans are highlighted in at least two of the side-by-side sources.
    sides = page.locator("#sources article.source").filter(has=page.locator("mark.conflict"))
    assert sides.count() >= 2
    # Each conflict row's citations point at highlighted spans in different articles.
    row = page.locator("#conflicts tr").nth(1)
    targets = [a.get_attribute("data-target") for a in row.locator("a.cite").all()]
    assert len(targets) >= 2
    owners = set()
    for t in targets:
        el = page.locator(f"#{t}")
        assert el.evaluate("e => e.tagName") in {"MARK", "SPAN"}
        owners.add(el.evaluate("e => e.closest('article.source').id"))
    assert len(owners) >= 2
    # Following a citation from the brief scrolls its source span into view and flashes it.
    cite = page.locator("ol.brief a.cite").last
    target = cite.get_attribute("data-target")
    page.evaluate("() => window.scrollTo(0, 0)")
    cite.click()
    page.wait_for_function("id => document.getElementById(id).classList.contains('flash')", arg=target)
    page.wait_for_function(
        "id => { const r = document.getElementById(id).getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }",
        arg=target,
    )
    assert page.locator(f"#{target}").inner_text().strip()
    # Clicking a claim outlines the claims aligned with it in the other sources.
    page.locator("#sources .claim[data-links]:not([data-links=''])").first.click()
    assert page.locator(".linked").count() >= 2
    assert page.watch.csp == [] and page.watch.errors == []


def test_web_browser_story_conflicts_and_citations(page: Any, base: str) -> None:
    open_fire_story(page, base)
    assert_report_works(page)


def test_web_browser_story_csp_blocks_other_inline_scripts(page: Any, base: str) -> None:
    open_fire_story(page, base, disputed_only=False)
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = \"window.__pwned = 'injected'\";"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(100)
    assert pwned(page) is None
    assert any("Content Security Policy" in m for m in page.watch.csp), "the CSP should have refused the script"


def test_web_browser_article_facts_highlighted(page: Any, base: str) -> None:
    open_fire_story(page, base, disputed_only=False)
    page.locator("a.article-link").first.click()
    # Facts not made yet: the page says so and reloads itself until the worker has made them.
    page.wait_for_selector("#fact-legend", timeout=120_000)
    marks = page.locator("#article-body mark.fact")
    assert marks.count() >= 5
    kinds = set(page.eval_on_selector_all("#article-body mark.fact", "ms => ms.map(m => m.classList[1])"))
    assert {"fact-person", "fact-number", "fact-date", "fact-place", "fact-quote"} & kinds
    first = marks.first
    assert first.get_attribute("title")
    assert page.locator("#story-link").count() == 1


def test_web_browser_compare_on_the_spot(page: Any, base: str) -> None:
    page.goto(f"{base}/compare")
    page.set_input_files("#files", [str(FIRE / "01-example-wire.md"), str(FIRE / "03-kessmoor-courier.md")])
    with page.expect_navigation():
        page.click("#compare-button")
    page.wait_for_selector("#sources")
    assert page.locator("#sources article.source").count() == 2
    assert_report_works(page)


def test_web_browser_upload_shows_progress_to_the_end(page: Any, base: str, tmp_path: Path) -> None:
    files = []
    for i, town in enumerate(["Dunmere", "Kessmoor", "Port Elvan"]):
        path = tmp_path / f"bridge-{i}.md"
        path.write_text(
            f"---\nsource: Upload Desk {i}\ntitle: {town} bridge closed for repairs\n"
            f"published: 2026-05-0{i + 2}T09:00:00Z\n---\n"
            f"The Alder Street bridge in {town} closed on Friday for {3 + i} weeks of repairs, the county said.\n\n"
            "Engineers found corrosion on two of the twelve steel supports during an inspection in April.",
            encoding="utf-8",
        )
        files.append(str(path))
    page.goto(f"{base}/compare")
    # Every status the page shows, in order, so the test sees the progress and not only its end.
    page.evaluate(
        "() => { window.__seen = []; new MutationObserver(() => window.__seen.push("
        "document.getElementById('progress-text').textContent)).observe("
        "document.getElementById('progress-text'), {childList: true, characterData: true, subtree: true}); }"
    )
    page.set_input_files("#files", files)
    page.click("#store-button")
    page.wait_for_selector("#progress[data-state='done']", timeout=60_000)
    seen = page.evaluate("() => window.__seen")
    assert "analysing…" in seen and seen[-1].startswith("done"), seen
    assert page.eval_on_selector("#progress-bar", "b => b.value") == 1
    status = page.inner_text("#progress-text")
    assert status.startswith("done: 3 of 3 read, 3 new"), status
    assert page.locator("#store-button").is_enabled()
    link = page.locator("#job-result a").first
    link.click()
    page.wait_for_load_state()
    assert "bridge" in page.content().lower()


def test_web_browser_upload_limit_is_explained(page: Any, base: str, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 1_100_000)
    page.goto(f"{base}/compare")
    page.set_input_files("#files", [str(big)])
    page.click("#store-button")
    assert "larger than the 5 MB limit" in page.inner_text("#progress-text")


def test_web_browser_store_with_a_token(browser: Any, tmp_path: Path) -> None:
    from corroborator.store import open_store

    note = tmp_path / "note.md"
    note.write_text(
        "---\nsource: Token Desk\ntitle: Ferry timetable changes in Dunmere\n---\n"
        "The Dunmere ferry will run every 40 minutes from Monday, the operator said.",
        encoding="utf-8",
    )
    with open_store(tmp_path / "locked.db") as store, running_server(create_app(store, token="s3cret")) as url:
        page = browser.new_page()
        page.goto(f"{url}/compare")
        page.set_input_files("#files", [str(note)])
        page.fill("#token", "wrong")
        page.click("#store-button")
        page.wait_for_selector("#progress[data-state='error']")
        assert "CORROBORATOR_WEB_TOKEN" in page.inner_text("#progress-text")
        page.fill("#token", "s3cret")
        page.click("#store-button")
        page.wait_for_selector("#progress[data-state='done']", timeout=60_000)
        assert "1 new" in page.inner_text("#progress-text")
        page.close()


def test_web_browser_check_a_claim(page: Any, base: str) -> None:
    page.goto(f"{base}/check")
    page.fill("#claim", "Residents were evacuated after the depot fire")
    with page.expect_navigation():
        page.click("#check-button")
    page.wait_for_selector("#check-summary")
    rows = page.locator("#check-results tbody tr")
    assert rows.count() >= 1
    stances = {r.locator("td.stance").inner_text() for r in rows.all()}
    assert stances and stances <= {"supports", "contradicts", "discusses", "unrelated"}


def poke_everything(page: Any, root: str) -> int:
    """Hover and click every element under ``root`` (links' default navigation prevented first)."""
    page.evaluate(
        "root => document.querySelectorAll(root + ' a').forEach(a => a.addEventListener('click',"
        " e => e.preventDefault()))",
        root,
    )
    n = 0
    for el in page.locator(f"{root} *").all():
        if el.is_visible():
            el.hover(timeout=2_000)
            el.click(timeout=2_000, force=True)
            n += 1
    return n


def test_web_browser_detects_a_script_that_does_run(page: Any) -> None:
    # The check below can fail: the same markup as a page of its own runs its script.
    page.set_content(HOSTILE_HTML)
    assert pwned(page) is not None


def assert_nothing_ran(page: Any) -> None:
    assert pwned(page) is None, f"a script from an article ran on {page.url}: {pwned(page)!r}"
    assert page.watch.dialogs == [], page.watch.dialogs


def test_web_browser_hostile_article_runs_nothing(page: Any, base: str, tmp_path: Path) -> None:
    page.goto(f"{base}/?q=harbour")
    assert page.locator("a.story-link").count() >= 1
    poke_everything(page, "#stories")
    assert_nothing_ran(page)
    stories = page.request.get(f"{base}/api/stories", params={"q": "harbour"}).json()["items"]
    articles = [a for s in stories for a in s["articles"]]
    assert len(articles) >= 2
    for story in stories:
        page.goto(f"{base}{story['url']}")
        poke_everything(page, "main, #sources")
        assert_nothing_ran(page)
    for article in articles:
        page.goto(f"{base}{article['url']}")
        body = page.inner_text("#article-body")
        assert "called it rushed" in body
        if "quay <script>" in article["title"]:  # front matter keeps markup: shown as characters
            assert "<script>" in page.inner_text("#article-title")
            assert page.locator("a[href^='javascript:']").count() == 0
            assert "javascript:" in page.inner_text(".url")
        assert page.locator("#article-body script, #article-body img, #article-body a, #article-body svg").count() == 0
        assert poke_everything(page, "#article-body") >= 1
        assert_nothing_ran(page)
    # Both hostile articles compared on the spot: the report shows their text and runs none of it.
    html, md = tmp_path / "hostile.html", tmp_path / "hostile.md"
    html.write_text(HOSTILE_HTML, encoding="utf-8")
    md.write_text(HOSTILE_TEXT, encoding="utf-8")
    page.goto(f"{base}/compare")
    page.set_input_files("#files", [str(html), str(md)])
    with page.expect_navigation():
        page.click("#compare-button")
    page.wait_for_selector("#sources")
    assert "<script>" in page.inner_text("#sources")
    assert page.locator("a[href^='javascript:']").count() == 0
    assert poke_everything(page, "#sources, #brief, #cb-nav") >= 2
    assert_nothing_ran(page)
    # Reflected input: a search, a missing id and a claim that carry markup.
    page.goto(f"{base}/?q=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E")
    assert_nothing_ran(page)
    page.goto(f"{base}/stories/%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D2%22%3E")
    assert "<img" in page.inner_text("#error-message")
    assert_nothing_ran(page)
    page.goto(f"{base}/check?claim=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E+harbour+council+vote")
    poke_everything(page, "main")
    assert_nothing_ran(page)
    assert page.watch.errors == []
