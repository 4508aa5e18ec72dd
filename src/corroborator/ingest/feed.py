"""Feeds: RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom through feedparser, JSON Feed read directly.

Each entry is one article, named ``path#entry-N`` (N counts from 1):

* text: the longest ``content`` value, else the ``summary``, as text (HTML fragments lose their
  markup; block elements become paragraphs). A headline-only entry (no body of at least
  ``min_text_chars``) becomes an article whose text is its title, so a headline feed can still be
  compared; shorter than that it is an EmptyInput for that entry.
* source: the entry's own ``<source>`` title, else the feed's title, else the link's host.
* published: the entry's published time, else its updated time (UTC); external_id: the entry id.

Encodings: feedparser honours the XML declaration and falls back to detection itself (it reads a
latin-1 feed without a declaration and a GB2312 one that expat rejects). Only when it still finds no
entries in a document that failed to parse is the text decoded with our own detection and parsed again.
"""

from __future__ import annotations

import re
import xml.sax
from collections.abc import Iterator
from typing import Any

from corroborator.errors import InputError, MalformedInput
from corroborator.ingest.decode import check_not_binary, decode
from corroborator.ingest.fields import (
    byline_of,
    clean,
    join_paragraphs,
    make_article,
    parse_published,
)
from corroborator.ingest.limits import check_xml_depth, too_many_records
from corroborator.model import Article
from corroborator.settings import Settings

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_BLOCKS = frozenset(
    {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre", "dd", "dt"}
    | {"section", "article", "header", "footer", "figcaption"}
)


def read_feed(data: bytes, origin: str, settings: Settings) -> Iterator[Article | InputError]:
    import feedparser

    check_not_binary(data, origin)
    check_xml_depth(data, origin, settings)
    data = _CHAR_REF.sub(_safe_char_ref, data)
    parsed = feedparser.parse(data)
    if not parsed.entries and parsed.get("bozo"):
        # Decode it ourselves and drop a declaration that lies about the charset, then retry.
        text = _XML_DECLARATION.sub("", decode(data, origin))
        retry = feedparser.parse(text.encode("utf-8"))
        if retry.entries:
            parsed = retry
    damage = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not isinstance(damage, xml.sax.SAXException):
        damage = None  # charset overrides and the like: feedparser recovered, nothing is lost
    if not parsed.entries:
        if damage is not None:
            raise MalformedInput(origin, f"not a readable feed: {_one_line(damage)}; the XML may be cut off or invalid")
        if not parsed.get("version"):
            raise MalformedInput(origin, "not an RSS, Atom or RDF feed (no channel or feed element)")
        return  # a valid feed with no items is not an error
    feed_title = clean(parsed.feed.get("title"))
    for n, entry in enumerate(parsed.entries, start=1):
        where = f"{origin}#entry-{n}"
        if n > settings.max_records:
            yield too_many_records(origin, settings, "entries")
            return
        try:
            yield _entry_article(entry, feed_title, where, settings)
        except InputError as exc:
            yield exc
        except Exception as exc:  # one strange entry is one error line; the feed's other entries go on
            yield MalformedInput(where, f"could not be read: {type(exc).__name__}: {_one_line(exc)[:200]}")
    if damage is not None:
        # What came before the damage went in; say so, as for a damaged WARC.
        yield MalformedInput(
            origin,
            f"the feed's XML is damaged ({_one_line(damage)}); the {len(parsed.entries)} entries "
            "before the damage were read, the rest is lost (is the file cut off?)",
        )


# A numeric character reference to a surrogate, NUL or past U+10FFFF: feedparser's lenient parser
# encodes it to UTF-8 and crashes on the whole feed (found by tests/test_property_readers.py).
_CHAR_REF = re.compile(rb"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,10});")


def _safe_char_ref(match: re.Match[bytes]) -> bytes:
    digits = match.group(1)
    value = int(digits[1:], 16) if digits[:1] in (b"x", b"X") else int(digits)
    if value == 0 or 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
        return b"&#xFFFD;"
    return match.group(0)


def _entry_article(entry: Any, feed_title: str | None, where: str, settings: Settings) -> Article:
    contents = [c for c in entry.get("content", []) if c.get("value")]
    best = max(contents, key=lambda c: len(c.get("value", "")), default=None)
    if best is not None:
        body = _as_text(best.get("value", ""), best.get("type", "text/html"))
    else:
        detail = entry.get("summary_detail") or {}
        body = _as_text(entry.get("summary", ""), detail.get("type", "text/html"))
    title = clean(entry.get("title"))
    url = clean(entry.get("link"))
    source = clean((entry.get("source") or {}).get("title")) or feed_title
    published = parse_published(entry.get("published_parsed") or entry.get("updated_parsed"))
    if published is None:
        published = parse_published(entry.get("published") or entry.get("updated"))
    return make_article(
        _body_or_title(body, title, settings),
        where,
        settings,
        source=source,
        url=url,
        title=title,
        byline=byline_of(entry.get("author") or entry.get("authors")),
        published=published,
        external_id=clean(entry.get("id")),
    )


def read_json_feed(doc: dict[str, Any], origin: str, settings: Settings) -> Iterator[Article | InputError]:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1)."""
    items = doc.get("items")
    if not isinstance(items, list):
        raise MalformedInput(origin, "JSON Feed without an 'items' list")
    feed_title = clean(doc.get("title"))
    feed_authors = doc.get("authors") or doc.get("author")
    for n, item in enumerate(items, start=1):
        where = f"{origin}#entry-{n}"
        if n > settings.max_records:
            yield too_many_records(origin, settings, "entries")
            return
        if not isinstance(item, dict):
            yield MalformedInput(where, "a JSON Feed item must be an object")
            continue
        try:
            if item.get("content_html"):
                body = fragment_text(str(item["content_html"]))
            else:
                body = str(item.get("content_text") or "") or fragment_text(str(item.get("summary") or ""))
            title = clean(item.get("title"))
            yield make_article(
                _body_or_title(body, title, settings),
                where,
                settings,
                source=feed_title,
                url=clean(item.get("url")) or clean(item.get("external_url")),
                title=title,
                byline=byline_of(item.get("authors") or item.get("author") or feed_authors),
                published=parse_published(item.get("date_published") or item.get("date_modified")),
                external_id=clean(item.get("id")),
            )
        except InputError as exc:
            yield exc
        except Exception as exc:  # one strange item is one error line; the feed's other items go on
            yield MalformedInput(where, f"could not be read: {type(exc).__name__}: {_one_line(exc)[:200]}")


def _body_or_title(body: str, title: str | None, settings: Settings) -> str:
    if len(body.strip()) >= settings.min_text_chars or not title:
        return body
    return title


def _as_text(value: str, mime: str) -> str:
    if "html" in (mime or "") or "<" in value:
        return fragment_text(value)
    return value


def fragment_text(fragment: str) -> str:
    """Text of an HTML fragment: block elements and ``<br>`` become paragraph breaks."""
    if not fragment.strip():
        return ""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return fragment
    lxml.etree.strip_elements(root, "script", "style", with_tail=False)
    parts: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            parts.append("".join(current))
            current.clear()

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        block = tag in _BLOCKS or tag == "br"
        if block:
            flush()
        if element.text and tag != "br":
            current.append(element.text)
        for child in element:
            walk(child)
        if block:
            flush()
        if element.tail:
            current.append(element.tail)

    walk(root)
    flush()
    return join_paragraphs(parts)


def _one_line(problem: object) -> str:
    return " ".join(str(problem).split()) or type(problem).__name__
