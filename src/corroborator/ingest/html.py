"""Web pages (``.html``, ``.htm``): trafilatura finds the article body and the page's metadata.

Body: trafilatura's main-content extraction without comments; each block it keeps becomes a paragraph.
Metadata: title, author (as byline), site name (as source), canonical URL and date, all from
trafilatura; when it finds no date, htmldate searches the page more widely, and a caller's
``fallback_date`` (a WARC record's date) is the last resort.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from corroborator.errors import EmptyInput, InputError, MalformedInput
from corroborator.ingest.decode import decode
from corroborator.ingest.fields import clean, host_of, make_article, parse_published
from corroborator.model import Article
from corroborator.settings import Settings

# Keep the time of day when the page gives one: "on Tuesday" in the text is read against it.
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_STAMP_VALUE = r"(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)"
_STAMPS = re.compile(
    r"(?:published_time|datePublished|pubdate)[\"']?\s*(?:content\s*=\s*|:\s*)[\"']"
    + _STAMP_VALUE
    + r"|<time[^>]+datetime\s*=\s*[\"']"
    + _STAMP_VALUE,
    re.IGNORECASE,
)


def _date_params() -> dict[str, Any]:
    # htmldate refuses dates after max_date; a day of slack for time zones, no more: a page "from
    # the future" is a template or copyright date, not a publication date.
    latest = datetime.now(UTC) + timedelta(days=1)
    return {
        "outputformat": _DATE_FORMAT,
        "original_date": True,
        "extensive_search": True,
        "max_date": latest.strftime("%Y-%m-%d"),
    }


def read_html(data: bytes, origin: str, settings: Settings) -> Iterator[Article | InputError]:
    yield html_article(data, origin, settings)


def html_article(
    data: bytes | str,
    origin: str,
    settings: Settings,
    *,
    url: str | None = None,
    fallback_date: datetime | None = None,
    charset: str | None = None,
) -> Article:
    """One Article from one page; ``url`` (e.g. a WARC target URI) wins over the page's own."""
    import trafilatura
    from trafilatura.utils import load_html

    page = decode(data, origin, declared=charset) if isinstance(data, bytes) else data
    tree = load_html(page)
    if tree is None:
        raise MalformedInput(origin, "not an HTML document (no parsable markup)")
    doc: Any = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        date_extraction_params=_date_params(),
    )
    if doc is None or not (doc.text or "").strip():
        raise EmptyInput(
            origin, "no article text found in the page (a page without a main text, or a script-only page)"
        )
    title = _without_site_name(clean(doc.title), clean(doc.sitename), url or clean(doc.url))
    published = parse_published(doc.date) or _htmldate(page) or fallback_date
    if published is not None and _is_date_only(published):
        published = _timed(page, published) or published
    return make_article(
        _body(doc.text, title),
        origin,
        settings,
        source=clean(doc.sitename),
        url=url or clean(doc.url),
        title=title,
        byline=clean(doc.author),
        published=published,
    )


def _htmldate(page: str) -> datetime | None:
    import htmldate

    try:
        found = htmldate.find_date(page, **_date_params())
    except (ValueError, TypeError):
        return None
    return parse_published(found)


def _is_date_only(moment: datetime) -> bool:
    return (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0)


def _timed(page: str, day: datetime) -> datetime | None:
    """The same day with its time, from the page's machine-readable publication stamps.

    htmldate prefers a date in the URL (``/2026/03/04/``), which has no time of day; the page's
    ``article:published_time``, JSON-LD ``datePublished`` or ``<time datetime>`` often has one.
    """
    for match in _STAMPS.finditer(page):
        value = match.group(1) or match.group(2)
        # Compare the page's own calendar day: in UTC a late-evening stamp may fall on the next day.
        if value[:10] != day.date().isoformat():
            continue
        stamp = parse_published(value)
        if stamp is not None and not _is_date_only(stamp):
            return stamp
    return None


_TITLE_PARTS = re.compile(r"\s+[|–—-]\s+|\s+::\s+")
_NUMERIC_DATE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")


def _without_site_name(title: str | None, sitename: str | None, url: str | None) -> str | None:
    """The headline without a trailing "| Site", "- Site.de" or "– DW – 13.06.2023" segment.

    A segment is dropped only when it names the site (its declared name or its host) or is a
    numeric date, so a headline that merely contains a dash keeps it.
    """
    if not title:
        return title
    names = {_fold(sitename)} if sitename else set()
    host = host_of(url)
    if host:
        names |= {_fold(host), _fold(host.rsplit(".", 1)[0])}
    names.discard("")
    parts = _TITLE_PARTS.split(title)
    separators = _TITLE_PARTS.findall(title)
    while len(parts) > 1:
        last = parts[-1].strip()
        folded = _fold(last)
        names_site = folded in names or (len(folded) >= 4 and any(folded in n for n in names))
        if not (names_site or _NUMERIC_DATE.match(last)):
            break
        parts.pop()
        separators.pop()
    kept = parts[0] + "".join(sep + part for sep, part in zip(separators, parts[1:], strict=True))
    return kept.strip() or title


def _fold(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed.casefold() if c.isalnum())


def _body(text: str, title: str | None) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    # trafilatura keeps the <h1> as the first block; the title is metadata, not body.
    if title and lines and lines[0].casefold() == title.casefold():
        lines = lines[1:]
    return "\n\n".join(lines)
