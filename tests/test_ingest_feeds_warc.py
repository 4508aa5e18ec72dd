"""Real feeds and web archives from ../shared/fixtures: item counts, charsets, damage handling."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corroborator.errors import EmptyInput, InputError, MalformedInput
from corroborator.ingest import read_bytes, read_paths
from corroborator.model import Article
from corroborator.settings import Settings
from tests.conftest import shared_path

SETTINGS = Settings()

# Item counts from the fixtures README, matched to files by reading each one.
FEEDS = {
    "rss-parser/guardian.rss": 55,  # RSS 2.0
    "rss-parser/heise.atom": 15,  # Atom
    "rss-parser/encoding.rss": 40,  # ISO-8859-1, declared
    "rss-parser/uolNoticias.rss": 15,  # latin-1 without a declaration
    "rss-parser/encoding-gb2312.xml": 20,  # GB2312, rejected by a plain expat parse
    "rss-parser/rss-1.rss": 69,  # RSS 1.0 / RDF
    "rss-parser/nhs-feed.rss": 2,
    "rss-parser/reddit-atom.rss": 24,
    "rss-parser/feedburner.atom": 25,  # Blogger Atom
    "trafilatura_npr_feed.json": 25,  # JSON Feed
}
CJK = re.compile(r"[\u4e00-\u9fff]")
PORTUGUESE = re.compile(r"[ãçõéá]")
MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf]|\ufffd")


def split(items: list[Article | InputError]) -> tuple[list[Article], list[InputError]]:
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, InputError)]


@pytest.mark.parametrize(("name", "expected"), FEEDS.items())
def test_ingest_feed_yields_every_item(name: str, expected: int) -> None:
    path = shared_path("fixtures", "feeds", *name.split("/"))
    articles, errors = split(list(read_paths([path], SETTINGS)))
    # Every item is accounted for: an article, or an EmptyInput naming that entry (an item whose
    # headline is its only text and is shorter than min_text_chars). No file-level error.
    assert len(articles) + len(errors) == expected
    assert all(isinstance(e, EmptyInput) and "#entry-" in e.path for e in errors), errors[:3]
    assert len(articles) >= expected // 5
    print(f"{name}: {len(articles)} articles, {len(errors)} headline-only items too short")
    origins = [a.origin for a in articles]
    assert len(set(origins)) == len(origins)
    assert all(a.source for a in articles)  # the feed's title when the entry has none
    assert all(a.title for a in articles)
    assert all(not MOJIBAKE.search(a.text + (a.title or "")) for a in articles)
    dated = [a for a in articles if a.published is not None]
    assert len(dated) >= len(articles) * 0.9
    assert all(a.published is not None and a.published.utcoffset().total_seconds() == 0 for a in dated)


@pytest.mark.parametrize(
    ("name", "script"),
    [
        ("rss-parser/encoding-gb2312.xml", CJK),
        ("rss-parser/uolNoticias.rss", PORTUGUESE),
        ("rss-parser/encoding.rss", PORTUGUESE),
    ],
)
def test_ingest_feed_charsets_are_detected(name: str, script: re.Pattern[str]) -> None:
    path = shared_path("fixtures", "feeds", *name.split("/"))
    articles, _ = split(list(read_paths([path], SETTINGS)))
    with_script = [a for a in articles if script.search(a.text + (a.title or ""))]
    assert len(with_script) >= len(articles) * 0.5


def test_ingest_feed_entry_ids_and_bylines() -> None:
    path = shared_path("fixtures", "feeds", "rss-parser", "feedburner.atom")
    articles, _ = split(list(read_paths([path], SETTINGS)))
    assert all(a.external_id and a.external_id.startswith("tag:") for a in articles)
    assert all(a.byline for a in articles)
    # Entry HTML became text (the posts quote XML in code samples, so look for HTML tags only).
    assert not any(re.search(r"<(p|div|a|br|span|img)[\s>/]", a.text) for a in articles)
    assert sum("\n\n" in a.text for a in articles) >= len(articles) // 2


WARCS = {
    "ukwa/IAH-urls-wget.warc.gz": 2,  # 36 records; 2 HTML pages with status 200
    "ukwa/IAH-20080430204825-00000-blackbook-truncated.warc.gz": 2,  # 23 records
    "resiliparse/warcfile.warc.gz": 16,  # Common Crawl sample: 16 HTML responses
}


@pytest.mark.slow
@pytest.mark.parametrize(("name", "pages"), WARCS.items())
def test_ingest_warc_html_responses_become_articles(name: str, pages: int) -> None:
    path = shared_path("fixtures", "warc", *name.split("/"))
    articles, errors = split(list(read_paths([path], SETTINGS)))
    assert errors == []
    assert len(articles) == pages
    for article in articles:
        assert article.url and article.url.startswith("http")  # the record's target URI
        assert article.published is not None  # the page's date, else the WARC-Date
        assert re.fullmatch(rf"{re.escape(str(path))}#\d+", article.origin or "")
        assert article.source  # site name or host


def test_ingest_warc_malformed_is_one_clear_error_and_the_batch_goes_on(tmp_path: Path) -> None:
    malformed = shared_path("fixtures", "warc", "elpais_malformed", "test.warc.gz")
    good = tmp_path / "good.md"
    good.write_text("A report that must still go in when the archive beside it is damaged, as any batch.")
    items = list(read_paths([malformed, good], SETTINGS))
    articles, errors = split(items)
    assert [a.origin for a in articles] == [str(good)]
    [error] = errors
    assert isinstance(error, MalformedInput)
    message = str(error)
    assert message.startswith(f"{malformed}: ") and "\n" not in message
    assert "warcio recompress" in message  # the likely fix


@pytest.mark.slow
def test_ingest_warc_cut_off_keeps_the_records_before_the_damage() -> None:
    data = shared_path("fixtures", "warc", "resiliparse", "warcfile.warc.gz").read_bytes()
    whole, _ = read_bytes("sample.warc.gz", data, SETTINGS)
    cut, errors = read_bytes("sample.warc.gz", data[: len(data) // 2], SETTINGS)
    assert 0 < len(cut) < len(whole)
    assert [a.id for a in cut] == [a.id for a in whole[: len(cut)]]
    [error] = errors
    assert isinstance(error, MalformedInput)
    assert re.search(r"cut off inside record \d+ \(byte offset \d+\)", str(error))
    _, errors = read_bytes("notes.warc", b"Just some notes, not an archive at all.", SETTINGS)
    assert isinstance(errors[0], MalformedInput) and "not a WARC" in str(errors[0])
