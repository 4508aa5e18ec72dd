"""Screenshots of the web app and the HTML report, for a person to look at.

    .venv/bin/python scripts/screenshots.py [--out screenshots]

Ingests examples/ into a temporary store, serves it on a free loopback port, and has Debian's headless
Chromium save: the stories list, the story page, an article page with its facts highlighted, the check
page, and the self-contained report written by `corroborator compare --format html`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from browser_support import chromium, running_server  # noqa: E402

from corroborator.compare import compare_articles  # noqa: E402
from corroborator.model import Article  # noqa: E402
from corroborator.pipeline import ingest  # noqa: E402
from corroborator.render import render  # noqa: E402
from corroborator.settings import Settings  # noqa: E402
from corroborator.store import open_store  # noqa: E402
from corroborator.store.base import StoryFilter  # noqa: E402
from corroborator.web.app import create_app  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    settings = Settings().with_overrides({"ingest_workers": "0"})
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "shots.db")
        ingest([REPO / "examples"], store, settings)
        story = store.stories(StoryFilter(min_size=3))[0]
        articles: list[Article] = [store.get_article(a) for a in story.article_ids]
        report = Path(tmp) / "report.html"
        report.write_text(render(compare_articles(articles, settings=settings), "html"), encoding="utf-8")
        with running_server(create_app(store)) as base, chromium() as browser:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            shots = {
                "stories.png": f"{base}/",
                "story.png": f"{base}/stories/{story.id}",
                "article.png": f"{base}/articles/{story.article_ids[0]}",
                "check.png": f"{base}/check?claim=Residents+were+evacuated+after+the+depot+fire&story={story.id}",
                "report.png": report.as_uri(),
            }
            for name, url in shots.items():
                page.goto(url)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(args.out / name), full_page=True)
                print(args.out / name)
        store.close()


if __name__ == "__main__":
    main()
