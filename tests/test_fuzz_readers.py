"""A bounded fuzz run (issue 13): real fixtures from ../shared mutated by hypothesis (bytes flipped,
cut, repeated, spliced with hostile snippets) and fed to the HTML, feed, WARC, JSON and text readers.

Properties: a reader never raises, never hangs (each example is timed), every problem is one line
naming the input, and every article is one the store can write. Bounded: a fixed number of examples
per format, no deadline per example but a time budget per test, so CI stays within about a minute.
"""

from __future__ import annotations

import gzip
import json
import lzma
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corroborator.ingest import read_bytes
from corroborator.settings import Settings
from tests.conftest import shared_path
from tests.test_property_readers import check_items

SETTINGS = Settings()
EXAMPLES = 12
SECONDS_PER_EXAMPLE = 20.0  # far above a normal read (well under a second): a hang, not slowness
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same mutations every run: a failure in CI reproduces locally
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
HOSTILE = [
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\\ud800",
    b'"\\ud800"',
    b"<![CDATA[",
    b"]]>",
    b"<!ENTITY x 'y'>",
    b"&x;",
    b"<" * 40,
    b"{" * 40,
    b"[" * 40,
    b"\r\n\r\n",
    b"WARC/1.0\r\n",
    b"Content-Length: 99999999\r\n",
    b"\x1f\x8b\x08",
    b"</item>",
    b"<item>",
    b"\xe2\x80",
    b"\n" * 5,
]


def _fixture(*parts: str) -> bytes:
    path = shared_path("fixtures", *parts)
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" and not path.name.endswith(".warc.gz") else data


def _allsides_lines(n: int) -> bytes:
    shard = shared_path("corpus", "allsides", "articles", "articles-00.jsonl.xz")
    with lzma.open(shard, "rt", encoding="utf-8") as f:
        lines = [next(f) for _ in range(n)]
    return "".join(lines).encode("utf-8")


def _first_html() -> bytes:
    folder = shared_path("fixtures", "html", "scrapinghub_aeb", "html")
    return gzip.decompress(sorted(folder.glob("*.html.gz"))[0].read_bytes())


SOURCES = {
    "page.html": _first_html,
    "guardian.rss": lambda: _fixture("feeds", "rss-parser", "guardian.rss")[:40_000],
    "heise.atom": lambda: _fixture("feeds", "rss-parser", "heise.atom"),
    "npr.json": lambda: _fixture("feeds", "trafilatura_npr_feed.json"),
    "archive.warc.gz": lambda: _fixture("warc", "resiliparse", "warcfile.warc.gz"),
    "archive.warc": lambda: gzip.decompress(_fixture("warc", "ukwa", "IAH-urls-wget.warc.gz")),
    "allsides.jsonl": lambda: _allsides_lines(5),
    "seed.txt": lambda: sorted(shared_path("corpus", "seeds").glob("*.txt"))[0].read_bytes(),
}


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` after 1-4 mutations: a flipped byte, a cut, a repeated slice, a hostile snippet spliced in."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "cut", "repeat", "splice", "delete"]))
        pos = draw(st.integers(0, max(0, len(out) - 1)))
        if kind == "flip" and out:
            out[pos] = draw(st.integers(0, 255))
        elif kind == "cut":
            del out[pos:]
        elif kind == "repeat":
            size = draw(st.integers(1, 4096))
            out[pos:pos] = out[pos : pos + size] * draw(st.integers(2, 20))
        elif kind == "splice":
            out[pos:pos] = draw(st.sampled_from(HOSTILE)) * draw(st.integers(1, 50))
        else:
            del out[pos : pos + draw(st.integers(1, 2048))]
    return bytes(out)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_fuzz_reader_mutated_fixture(name: str) -> None:
    original = SOURCES[name]()
    articles, errors = read_bytes(name, original, SETTINGS)
    assert articles, f"the unmutated fixture {name} gives articles: {[str(e) for e in errors][:3]}"

    @FUZZ
    @given(mutated(original))
    def fuzz(data: bytes) -> None:
        start = time.perf_counter()
        articles, errors = read_bytes(name, data, SETTINGS)
        assert time.perf_counter() - start < SECONDS_PER_EXAMPLE
        check_items(name, articles, errors)

    fuzz()


def test_fuzz_json_escapes_in_every_field() -> None:
    """Every JSON escape that decodes to something unstorable, in every mapped field of a real record."""
    record = json.loads(_allsides_lines(1))
    for field in ("ID", "url", "source", "authors", "title", "date", "content_original"):
        for bad in ("\\ud800", "\\udfff", "\\u0000", "\\u0007", "\\ud800\\ud800", "\\uffff"):
            plain = json.dumps(record)
            line = plain.replace(f'"{field}": "', f'"{field}": "{bad}', 1)
            assert line != plain, f"record has no string field {field}"
            articles, errors = read_bytes("a.jsonl", line.encode(), SETTINGS)
            check_items("a.jsonl", articles, errors)
            assert len(articles) + len(errors) == 1
            if "\\ud8" in bad or "\\udf" in bad:
                # A lone surrogate: one error for the record, except in a date, which is junk and dropped.
                assert (field == "date") != bool(errors), (field, bad, [str(e) for e in errors])
