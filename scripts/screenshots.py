"""Screenshots of the web app and the HTML report, for a person to look at.

    .venv/bin/python scripts/screenshots.py [--out screenshots]      (or: make screenshots)

Ingests examples/ into a temporary store, serves it on a free loopback port, and has Debian's headless
Chromium (/usr/bin/chromium; never a downloaded browser) save: the stories list, the story page of the
biggest story, an article page with its facts highlighted, the compare page after an upload finished,
the check page, the quotes list and one quote's page, and the self-contained report of the fire story written as by
`corroborator compare --format html`, opened from disk.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from corroborator.compare import compare_articles  # noqa: E402
from corroborator.ingest import read_paths  # noqa: E402
from corroborator.model import Article  # noqa: E402
from corroborator.pipeline import ingest  # noqa: E402
from corroborator.render import render  # noqa: E402
from corroborator.settings import Settings  # noqa: E402
from corroborator.store import open_store  # noqa: E402
from corroborator.store.base import StoryFilter  # noqa: E402
from corroborator.web.app import create_app  # noqa: E402
from tests.browser_support import chromium, running_server  # noqa: E402

FIRE = REPO / "examples" / "port-elvan-fire"
CLAIM = "Residents were evacuated after the depot fire"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    settings = Settings().with_overrides({"ingest_workers": "0"})
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "shots.db")
        ingest([REPO / "examples"], store, settings)
        story = max(store.stories(StoryFilter()), key=lambda s: len(s.article_ids))
        fire: list[Article] = [a for a in read_paths([FIRE], settings) if isinstance(a, Article)]
        report = Path(tmp) / "report.html"
        report.write_text(render(compare_articles(fire, settings=settings), "html"), encoding="utf-8")
        with running_server(create_app(store, settings)) as base, chromium() as browser:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            shots = {
                "stories.png": f"{base}/",
                "story.png": f"{base}/stories/{story.id}",
                "article.png": f"{base}/articles/{story.article_ids[0]}",
                "check.png": f"{base}/check?claim={CLAIM.replace(' ', '+')}",
                "report.png": report.as_uri(),
                "api.png": f"{base}/docs",
                "quotes.png": f"{base}/quotes?min_size=2",
            }
            for name, url in shots.items():
                page.goto(url)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(args.out / name), full_page=True)
                print(args.out / name)
            # The full report is very tall; its first screen is what a reader sees first.
            page.goto(report.as_uri())
            page.screenshot(path=str(args.out / "report-top.png"))
            page.goto(f"{base}/stories/{story.id}#sources")
            page.screenshot(path=str(args.out / "story-sources.png"))
            # The first quote cluster's page (docs/quotes.png is one of these, from a store of quoting reports).
            page.goto(f"{base}/quotes?min_size=2")
            if page.locator("a.quote-link").count():
                page.click("a.quote-link")
                page.wait_for_selector("#appearances")
                page.screenshot(path=str(args.out / "quote.png"), full_page=True)
                print(args.out / "quote.png")
            page.goto(f"{base}/compare")
            page.set_input_files("#files", [str(p) for p in sorted((REPO / "examples" / "dunmere-water").glob("*.md"))])
            page.click("#store-button")
            page.wait_for_selector("#progress[data-state]", timeout=120_000)
            page.screenshot(path=str(args.out / "compare.png"), full_page=True)
            print(args.out / "compare.png")
        store.close()


if __name__ == "__main__":
    main()
