"""Property-based tests (hypothesis) over every reader and the fact extractors (issue 13).

Whatever the bytes or text: a reader never raises, every problem is one line naming the input, and
every article it returns is one the store can write (valid UTF-8, no NUL, within the size limits).
The extractors never raise and their spans point into the text they were given.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from corroborator.errors import InputError
from corroborator.ingest import read_bytes
from corroborator.ingest.fields import parse_published
from corroborator.model import Article
from corroborator.settings import Settings
from corroborator.text.numbers import parse_number
from corroborator.text.numeric import find_numeric
from corroborator.text.quotes import find_quotes
from corroborator.text.temporal import normalise_temporal

SETTINGS = Settings()
# Text that looks like news, with the characters that break things mixed in: quotes of every kind,
# digits, date words, markup, escapes, NUL and other controls, lone surrogates, non-Latin scripts.
NEWSY = st.sampled_from(
    [
        "The",
        "council",
        "said",
        "on",
        "Monday",
        "March",
        "5,",
        "2024",
        "that",
        "$1.5",
        "million",
        "37%",
        "“",
        "”",
        '"',
        "'",
        "‘",
        "’",
        "«",
        "»",
        "—",
        "-",
        ".",
        ",",
        "\n",
        "\n\n",
        "<p>",
        "</p>",
        "<b>",
        "&amp;",
        "&#0;",
        "\\",
        "{",
        "}",
        "[",
        "]",
        "\x00",
        "\x07",
        "\ud800",
        "\udfff",
        "\ufeff",
        "Жители",
        "北京",
        "١٢٣",
        "three",
        "hundred",
        "a",
        "dozen",
        "yesterday",
        "1/2/2019",
        "0001-11-30",
    ]
)
NEWS_TEXT = st.lists(st.one_of(NEWSY, st.text(max_size=8)), max_size=60).map(" ".join)
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_items(name: str, articles: list[Article], errors: list[InputError]) -> None:
    for error in errors:
        message = str(error)
        assert "\n" not in message and message.startswith(name), message
        message.encode("utf-8")  # printable and storable
    for article in articles:
        for value in (
            article.text,
            article.title,
            article.url,
            article.source,
            article.byline,
            article.external_id,
            article.origin,
        ):
            if value is not None:
                value.encode("utf-8")  # no lone surrogate reaches the store
                assert "\x00" not in value
        assert SETTINGS.min_text_chars <= len(article.text) <= SETTINGS.max_text_chars


# -- readers ----------------------------------------------------------------------------------


@PROPERTY
@given(
    st.binary(max_size=3000), st.sampled_from(["a.txt", "a.md", "a.html", "a.json", "a.jsonl", "a.rss", "a.warc", "a"])
)
def test_property_reader_any_bytes(data: bytes, name: str) -> None:
    articles, errors = read_bytes(name, data, SETTINGS)
    check_items(name, articles, errors)


@PROPERTY
@given(NEWS_TEXT, st.sampled_from(["a.txt", "a.md", "a.html", "a.rss"]))
def test_property_reader_newsy_text(text: str, name: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    articles, errors = read_bytes(name, data, SETTINGS)
    check_items(name, articles, errors)


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | NEWS_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)
RECORD = st.fixed_dictionaries(
    {"text": NEWS_TEXT},
    optional={
        key: JSON_VALUE
        for key in ("id", "url", "source", "title", "authors", "date", "content", "body-paragraphs", "published")
    },
)


@PROPERTY
@given(st.lists(RECORD | JSON_VALUE, max_size=6))
def test_property_reader_json_records(records: list[object]) -> None:
    jsonl = "".join(json.dumps(r) + "\n" for r in records).encode()
    articles, errors = read_bytes("a.jsonl", jsonl, SETTINGS)
    check_items("a.jsonl", articles, errors)
    articles, errors = read_bytes("a.json", json.dumps(records).encode(), SETTINGS)
    check_items("a.json", articles, errors)


@PROPERTY
@given(st.lists(st.tuples(NEWS_TEXT, NEWS_TEXT, NEWS_TEXT), max_size=5))
def test_property_reader_feed_entries(entries: list[tuple[str, str, str]]) -> None:
    from xml.sax.saxutils import escape

    items = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link><description>{escape(d)}</description></item>"
        for t, link, d in entries
    )
    feed = f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>T</title>{items}</channel></rss>"
    articles, errors = read_bytes("a.rss", feed.encode("utf-8", "surrogatepass"), SETTINGS)
    check_items("a.rss", articles, errors)


@PROPERTY
@given(NEWS_TEXT, st.binary(max_size=64), st.integers(min_value=-5, max_value=5000))
def test_property_reader_warc_records(page: str, junk: bytes, length_error: int) -> None:
    body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + f"<html><body><p>{page}</p></body></html>".encode(
        "utf-8", "surrogatepass"
    )
    declared = max(0, len(body) + length_error)
    header = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: 2024-05-01T10:00:00Z\r\n"
        f"WARC-Target-URI: https://example.org/a\r\nContent-Length: {declared}\r\n\r\n"
    ).encode()
    data = header + body + b"\r\n\r\n" + junk
    articles, errors = read_bytes("a.warc", data, SETTINGS)
    check_items("a.warc", articles, errors)


# -- fact extractors --------------------------------------------------------------------------


@PROPERTY
@given(st.one_of(NEWS_TEXT, st.text(max_size=40), st.integers(), st.floats(), st.none()))
@example("0001-11-30")
@example("5")
@example("2019-05-0\ud8001")
def test_property_dates(value: object) -> None:
    moment = parse_published(value)
    assert moment is None or (moment.tzinfo is not None and 1900 <= moment.year <= 2100)


@PROPERTY
@given(NEWS_TEXT, st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2100, 12, 31))))
def test_property_temporal_spans(text: str, published: date | None) -> None:
    when = None if published is None else datetime(published.year, published.month, published.day, tzinfo=UTC)
    for value in normalise_temporal(text, when):
        assert 0 <= value.start <= value.end <= len(text)
        assert text[value.start : value.end] == value.text
        if value.earliest and value.latest:
            assert value.earliest <= value.latest


@PROPERTY
@given(NEWS_TEXT)
def test_property_numbers(text: str) -> None:
    parse_number(text)
    for value in find_numeric(text):
        assert 0 <= value.start <= value.end <= len(text)
        assert text[value.start : value.end] == value.text


@PROPERTY
@given(NEWS_TEXT)
def test_property_quotes(text: str) -> None:
    for quote in find_quotes(text):
        assert 0 <= quote.start < quote.end <= len(text)
        assert text[quote.start : quote.end] == quote.text


# -- defects the hostile-input runs found, kept as regressions ----------------------------------

P = "The harbour board of the invented town met on Monday and agreed to repair the old pier before summer."


def test_property_found_feed_surrogate_char_ref() -> None:
    """``&#xD800;`` in a feed crashed feedparser's lenient parser and lost the whole feed."""
    feed = (
        "<rss version='2.0'><channel><title>T&#xD800;</title><item><title>x&#55296;y&#0;</title>"
        f"<description>{P}</description></item><item><title>two</title><description>{P} Again.</description>"
        "</item></channel></rss>"
    )
    articles, errors = read_bytes("a.rss", feed.encode(), SETTINGS)
    check_items("a.rss", articles, errors)
    assert errors == [] and len(articles) == 2
    assert articles[0].title == "x\ufffdy\ufffd"


def test_property_found_impossible_front_matter_date() -> None:
    """``published: 2024-13-45`` made YAML raise ValueError: now a front-matter error, not a library crash."""
    articles, errors = read_bytes("a.md", f"---\ntitle: ok\npublished: 2024-13-45\n---\n{P}".encode(), SETTINGS)
    assert articles == [] and len(errors) == 1
    assert "front matter holds an impossible value" in str(errors[0])


def test_property_found_infinite_id() -> None:
    """``"id": 1e400`` (infinity in Python's JSON) became the external id "inf"."""
    articles, errors = read_bytes("a.json", json.dumps({"text": P}).replace("}", ', "id": 1e400}').encode(), SETTINGS)
    assert errors == [] and articles[0].external_id is None
