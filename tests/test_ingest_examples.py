"""The bundled fictional corpus (examples/) and the two seed reports read as Articles."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from corroborator.errors import InputError
from corroborator.ingest import read_file, read_paths
from corroborator.model import Article
from corroborator.settings import Settings
from tests.conftest import EXAMPLES

SETTINGS = Settings()

# (file, source, published, external_id): the values examples/README.md documents.
STORY_ONE = [
    ("01-example-wire.md", "Example Wire", datetime(2026, 3, 4, 6, 10, tzinfo=UTC), "elvan-fire-01-wire"),
    ("02-daily-lantern.md", "The Daily Lantern", datetime(2026, 3, 4, 10, 45, tzinfo=UTC), "elvan-fire-02-lantern"),
    ("03-kessmoor-courier.md", "Kessmoor Courier", datetime(2026, 3, 4, 14, 30, tzinfo=UTC), "elvan-fire-03-courier"),
    (
        "04-northern-sentinel-column.md",
        "The Northern Sentinel",
        datetime(2026, 3, 5, 8, 0, tzinfo=UTC),
        "elvan-fire-04-sentinel-column",
    ),
    (
        "05-coastline-radio.md",
        "Coastline Radio News",
        datetime(2026, 3, 4, 12, 0, tzinfo=UTC),
        "elvan-fire-05-coastline",
    ),
]


@pytest.mark.parametrize(("name", "source", "published", "external_id"), STORY_ONE)
def test_ingest_examples_front_matter_becomes_metadata(
    name: str, source: str, published: datetime, external_id: str
) -> None:
    [article] = read_file(EXAMPLES / "port-elvan-fire" / name, SETTINGS)
    assert article.source == source
    assert article.published == published
    assert article.external_id == external_id
    assert article.url is not None and article.url.startswith("https://") and ".test/" in article.url
    assert article.title and article.byline
    assert article.origin == str(EXAMPLES / "port-elvan-fire" / name)
    # The front matter and the title stay out of the body; paragraphs are separated by blank lines.
    assert "---" not in article.text and "fictional" not in article.text
    assert article.title not in article.text
    assert "\n\n" in article.text and "\n\n\n" not in article.text
    words = len(article.text.split())
    assert 250 <= words <= 450, f"{name}: {words} words"


def test_ingest_examples_folder_gives_two_stories_and_the_html_twin() -> None:
    items = list(read_paths([EXAMPLES], SETTINGS))
    errors = [i for i in items if isinstance(i, InputError)]
    articles = [i for i in items if isinstance(i, Article)]
    assert errors == []  # README.md is documentation and is skipped when walking a folder
    assert len(articles) == 8
    folders = [Path(a.origin or "").parent.name for a in articles]
    assert folders.count("port-elvan-fire") == 5
    assert folders.count("dunmere-water") == 2
    assert folders.count("html") == 1
    # Walking is depth-first in name order, so a run is reproducible.
    origins = [a.origin or "" for a in articles]
    assert origins == sorted(origins)


def test_ingest_examples_html_page_reads_like_its_markdown_twin() -> None:
    [page] = read_file(EXAMPLES / "html" / "example-wire-port-elvan-fire.html", SETTINGS)
    [markdown] = read_file(EXAMPLES / "port-elvan-fire" / "01-example-wire.md", SETTINGS)
    assert page.id == markdown.id  # same paragraphs -> same content hash
    assert page.title == markdown.title
    assert page.source == "Example Wire"  # og:site_name
    assert page.byline == "Mara Quell"  # <meta name="author">
    assert page.url == markdown.url  # canonical link
    assert page.published == markdown.published  # the time of day comes from the page's stamps


def test_ingest_examples_second_story_dates_are_the_same_week() -> None:
    articles = read_file(EXAMPLES / "dunmere-water" / "01-example-wire.md", SETTINGS) + read_file(
        EXAMPLES / "dunmere-water" / "02-kessmoor-courier.md", SETTINGS
    )
    assert [a.source for a in articles] == ["Example Wire", "Kessmoor Courier"]
    assert all(a.published and a.published.isocalendar()[1] == 10 for a in articles)


def test_ingest_seeds_read_as_articles(seeds: list) -> None:
    assert len(seeds) == 2
    articles = [read_file(path, SETTINGS)[0] for path in seeds]
    for article, path in zip(articles, seeds, strict=True):
        assert article.origin == str(path)
        assert len(article.text.split()) > 300
        assert article.published is None and article.source is None  # plain text carries no metadata
    # One seed starts with a headline line above a blank line (the documented title rule); the
    # other starts straight with a sentence and has no title.
    titled = [a for a in articles if a.title]
    assert len(titled) == 1
    assert len(titled[0].title or "") < 150 and titled[0].title not in titled[0].text
