"""Field mapping, dates, the title rule and format sniffing, on small inputs written here (invented)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from corroborator.errors import InputError
from corroborator.ingest import read_bytes, read_file
from corroborator.ingest.decode import decode, is_binary
from corroborator.ingest.feed import fragment_text
from corroborator.ingest.fields import host_of, parse_published
from corroborator.settings import Settings

SETTINGS = Settings()
BODY = "The invented town of Westerly opened its new library on Saturday, the council said in a statement."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-04T06:10:00Z", datetime(2026, 3, 4, 6, 10, tzinfo=UTC)),
        ("2026-03-04T08:10:00+02:00", datetime(2026, 3, 4, 6, 10, tzinfo=UTC)),
        ("2026-03-04 06:10", datetime(2026, 3, 4, 6, 10, tzinfo=UTC)),  # no zone: UTC
        ("2016-09-20", datetime(2016, 9, 20, tzinfo=UTC)),
        ("9/20/2016", datetime(2016, 9, 20, tzinfo=UTC)),  # AllSides style, month first
        ("Wed, 31 Jan 2018 07:26:05 GMT", datetime(2018, 1, 31, 7, 26, 5, tzinfo=UTC)),
        ("3. März 2024", datetime(2024, 3, 3, tzinfo=UTC)),  # dateparser, other languages
        (date(2026, 3, 4), datetime(2026, 3, 4, tzinfo=UTC)),  # YAML parses dates itself
        (1_772_604_600, datetime(2026, 3, 4, 6, 10, tzinfo=UTC)),  # epoch seconds
        ("0001-11-30", None),  # AllSides junk
        ("9999-01-01", None),
        ("2019", None),  # a bare year is no publication time
        ("March 3", None),  # no year
        ("yesterday", None),  # relative: would depend on the day of reading
        ("not a date", None),
        ("", None),
        (None, None),
    ],
)
def test_ingest_fields_parse_published(value: object, expected: datetime | None) -> None:
    assert parse_published(value) == expected


def test_ingest_fields_host_of() -> None:
    assert host_of("https://www.Example-Wire.test/2026/x") == "example-wire.test"
    assert host_of("not a url") is None and host_of(None) is None


def test_ingest_json_field_mapping(tmp_path: Path) -> None:
    records = [
        {  # AllSides-like
            "ID": "as-1",
            "title": "Library opens",
            "source": "Westerly Gazette",
            "source_url": "www.westerly-gazette.test",
            "url": "https://www.westerly-gazette.test/library",
            "date": "0001-11-30",
            "authors": "A. Writer, B. Writer",
            "content": "tokenised copy , not the text",
            "content_original": BODY,
        },
        {  # GVA-like
            "doc_id": "gva-1",
            "dct": "2014-01-12",
            "outlet_host": "www.westerly-news.test:80",
            "original_url": "http://www.westerly-news.test:80/story/1",
            "content": BODY,
        },
        {  # BASIL-like
            "uuid": "b-1",
            "source": "fox",
            "date": "2019-03-25",
            "body-paragraphs": [["First sentence of a paragraph.", "Second one."], ["A second paragraph here."]],
            "author": [{"name": "C. Writer"}, {"name": "D. Writer"}],
        },
    ]
    path = tmp_path / "records.json"
    path.write_text(json.dumps(records))
    allsides, gva, basil = read_file(path, SETTINGS)
    assert (allsides.text, allsides.external_id, allsides.published) == (BODY, "as-1", None)
    assert allsides.url == "https://www.westerly-gazette.test/library" and allsides.source == "Westerly Gazette"
    assert allsides.byline == "A. Writer, B. Writer" and allsides.title == "Library opens"
    assert allsides.origin == f"{path}#record-1"
    assert gva.source == "westerly-news.test" and gva.external_id == "gva-1"
    assert gva.url == "http://www.westerly-news.test:80/story/1"
    assert gva.published == datetime(2014, 1, 12, tzinfo=UTC)
    assert basil.text == "First sentence of a paragraph. Second one.\n\nA second paragraph here."
    assert basil.byline == "C. Writer, D. Writer" and basil.source == "fox"


def test_ingest_json_single_object_and_container(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps({"text": BODY, "id": 7}))
    [one] = read_file(tmp_path / "one.json", SETTINGS)
    assert one.external_id == "7" and one.source is None
    (tmp_path / "wrapped.json").write_text(json.dumps({"articles": [{"text": BODY}, {"body": BODY + " More."}]}))
    assert len(read_file(tmp_path / "wrapped.json", SETTINGS)) == 2


def test_ingest_json_feed_in_a_json_file() -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Westerly Radio (fictional)",
        "items": [
            {
                "id": "1",
                "url": "https://westerly-radio.test/1",
                "title": "Library opens",
                "content_html": f"<p>{BODY}</p><p>Second paragraph of the item.</p>",
                "date_published": "2026-03-07T10:00:00+01:00",
                "authors": [{"name": "E. Writer"}],
            },
            {"id": "2", "title": "Headline only, long enough to stand as the text of an item"},
            {"id": "3", "title": "Short"},
        ],
    }
    articles, errors = read_bytes("feed.json", json.dumps(feed).encode(), SETTINGS)
    first, headline = articles
    assert first.text == f"{BODY}\n\nSecond paragraph of the item."
    assert first.source == "Westerly Radio (fictional)" and first.byline == "E. Writer"
    assert first.published == datetime(2026, 3, 7, 9, 0, tzinfo=UTC) and first.external_id == "1"
    assert headline.text == headline.title  # documented: a headline-only item is its headline
    assert [e.path for e in errors] == ["feed.json#entry-3"]


def test_ingest_text_title_rule() -> None:
    def title_and_text(raw: str) -> tuple[str | None, str]:
        [article] = read_bytes("a.md", raw.encode(), SETTINGS)[0]
        return article.title, article.text

    assert title_and_text(f"# Library opens\n\n{BODY}") == ("Library opens", BODY)
    assert title_and_text(f"Library opens in Westerly\n\n{BODY}") == ("Library opens in Westerly", BODY)
    assert title_and_text(f"{BODY}\n\n{BODY}") == (None, f"{BODY}\n\n{BODY}")  # a sentence, not a title
    assert title_and_text(f"Library opens\n{BODY}") == (None, f"Library opens\n{BODY}")  # no blank line
    front = f"---\ntitle: From front matter\nsource: Westerly Gazette\n---\n# Heading stays\n\n{BODY}"
    assert title_and_text(front) == ("From front matter", f"Heading stays\n\n{BODY}")  # markup removed


def test_ingest_text_keeps_paragraphs_and_unifies_line_ends() -> None:
    raw = f"{BODY}\r\n\r\n\r\n\r\n{BODY}   \r\nLine two of the paragraph.\r\n"
    [article] = read_bytes("a.txt", raw.encode(), SETTINGS)[0]
    assert article.text == f"{BODY}\n\n{BODY}\nLine two of the paragraph."


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("noext", f"{BODY}".encode(), "text"),
        ("noext", json.dumps({"text": BODY}).encode(), "json"),
        ("noext", (json.dumps({"text": BODY}) + "\n" + json.dumps({"text": BODY + "!"})).encode(), "jsonl"),
        ("noext", f"<html><body><article><p>{BODY}</p></article></body></html>".encode(), "html"),
        ("page.xml", f"<!DOCTYPE html><html><body><article><p>{BODY}</p></article></body></html>".encode(), "html"),
        (
            "noext",
            f'<rss version="2.0"><channel><title>T</title><item><description>{BODY}'
            "</description></item></channel></rss>".encode(),
            "feed",
        ),
    ],
)
def test_ingest_sniffs_content_when_the_name_does_not_say(name: str, data: bytes, kind: str) -> None:
    articles, errors = read_bytes(name, data, SETTINGS)
    assert errors == []
    count = 2 if kind == "jsonl" else 1
    assert len(articles) == count
    assert articles[0].text == BODY


def test_ingest_compressed_inputs(tmp_path: Path) -> None:
    import bz2
    import gzip
    import lzma

    record = (json.dumps({"text": BODY}) + "\n").encode()
    for suffix, compress in ((".gz", gzip.compress), (".xz", lzma.compress), (".bz2", bz2.compress)):
        path = tmp_path / f"records.jsonl{suffix}"
        path.write_bytes(compress(record))
        assert [a.text for a in read_file(path, SETTINGS)] == [BODY]
    (tmp_path / "cut.txt.gz").write_bytes(gzip.compress(BODY.encode() * 50)[:40])
    with pytest.raises(InputError, match="cut off"):
        read_file(tmp_path / "cut.txt.gz", SETTINGS)


def test_ingest_decode_and_binary_detection() -> None:
    assert decode("naïve café".encode("utf-8-sig"), "x") == "naïve café"
    assert decode('<?xml version="1.0" encoding="iso-8859-1"?><a>café</a>'.encode("latin-1"), "x").endswith("café</a>")
    # Valid UTF-8 wins over a wrong declaration (GB2312 would decode it "successfully" as mojibake).
    page = '<meta charset="gb2312"><p>新闻 café</p>'.encode()
    assert "新闻 café" in decode(page, "x")
    assert is_binary(b"\x00\x01\x02text") and not is_binary("text".encode("utf-16"))
    assert not is_binary(b"plain\ttext\r\n\x0cwith a form feed")


def test_ingest_fragment_text_blocks_become_paragraphs() -> None:
    html = "<p>First <b>bold</b> words.</p><div>Second<br>third</div><script>x()</script><ul><li>item</li></ul>"
    assert fragment_text(html) == "First bold words.\n\nSecond\n\nthird\n\nitem"


def test_ingest_markdown_markup_is_removed_but_txt_is_kept() -> None:
    raw = (
        "---\ntitle: Library opens\n---\n# Library opens\n\n"
        f"{BODY} The **new** wing has [a café](https://westerly.test/cafe) and *quiet* rooms.\n\n"
        "> We waited ten years, said one reader.\n- Opening hours: 9 to 5\n\n```\nkeep **this**\n```\n"
    )
    [md] = read_bytes("library.md", raw.encode(), SETTINGS)[0]
    assert md.title == "Library opens"
    assert md.text == (
        f"{BODY} The new wing has a café and quiet rooms.\n\n"
        "We waited ten years, said one reader.\nOpening hours: 9 to 5\n\nkeep **this**"
    )
    [txt] = read_bytes("library.txt", raw.encode(), SETTINGS)[0]
    assert "**new**" in txt.text and "[a café](https://westerly.test/cafe)" in txt.text
    assert not txt.text.startswith("# Library opens")  # a heading repeating the title is dropped
