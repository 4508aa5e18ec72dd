"""Metadata normalisation shared by every reader: dates, outlet names, bylines, body text.

Every reader ends in :func:`make_article`, so the rules below hold whatever the format:

* ``published`` is a timezone-aware UTC datetime; input without a zone is taken as UTC. Strings are
  parsed as ISO 8601 first, then by dateutil (English month names, ``M/D/YYYY`` read month first),
  then by dateparser (20 common languages: "3. März 2024"). A value without a year, before 1900 or after
  2100 ("0001-11-30", a bare "5") is junk and becomes None, never an error. Relative phrases
  ("yesterday") are not resolved: the result would depend on the day the file is read.
* ``source`` is the explicit field, else the site name the page declares, else the URL's host without
  ``www.``.
* text keeps paragraphs separated by one blank line; the title is never part of it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from corroborator.errors import EmptyInput
from corroborator.model import Article
from corroborator.settings import Settings

_MIN_YEAR = 1900
_MAX_YEAR = 2100
# dateutil fills missing parts from this default; year 1 marks "no year given" so it is refused.
_NO_YEAR = datetime(1, 1, 1)
_YEAR_ONLY = re.compile(r"^\d{4}$")
_HAS_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
# dateparser tries every locale it knows unless told otherwise (seconds on first use); these cover
# the languages of the news we have seen. A date in another language is None, never an error.
_DATEPARSER_LANGUAGES = (
    *("en", "de", "fr", "es", "pt", "it", "nl", "ru", "pl", "tr", "sv", "da", "nb", "fi", "cs"),
    *("zh", "ja", "ko", "ar", "id"),
)


def parse_published(value: object) -> datetime | None:
    """A publication time as an aware UTC datetime, or None for missing or junk values."""
    if value is None or value == "":
        return None
    if isinstance(value, time.struct_time):  # feedparser's *_parsed fields are UTC
        return _checked(datetime(*value[:6], tzinfo=UTC))
    if isinstance(value, datetime):
        return _checked(value)
    if isinstance(value, date):
        return _checked(datetime(value.year, value.month, value.day))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_timestamp(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or _YEAR_ONLY.match(text):  # a bare year is not a publication time
        return None
    return _parse_string(text)


def _parse_string(text: str) -> datetime | None:
    try:
        return _checked(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    from dateutil import parser as du_parser

    try:
        return _checked(du_parser.parse(text, default=_NO_YEAR))
    except (ValueError, OverflowError, du_parser.ParserError):
        pass
    if not _HAS_YEAR.search(text):
        return None
    import dateparser

    parsed = dateparser.parse(
        text,
        languages=list(_DATEPARSER_LANGUAGES),
        settings={
            "PARSERS": ["custom-formats", "absolute-time"],
            "REQUIRE_PARTS": ["year", "month", "day"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return _checked(parsed) if parsed is not None else None


def _from_timestamp(seconds: float) -> datetime | None:
    if seconds > 1e11:  # milliseconds since the epoch
        seconds /= 1000
    try:
        return _checked(datetime.fromtimestamp(seconds, tz=UTC))
    except (OverflowError, OSError, ValueError):
        return None


def _checked(moment: datetime) -> datetime | None:
    if not _MIN_YEAR <= moment.year <= _MAX_YEAR:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def host_of(url: str | None) -> str | None:
    """The host of a URL without ``www.``, lower case; None when there is no host."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def clean(value: object) -> str | None:
    """A metadata string with white space collapsed, or None when empty or not a string."""
    if isinstance(value, str):
        text = " ".join(value.split())
        return text or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def byline_of(value: object) -> str | None:
    """A byline from a string, a list of names, or a list of ``{"name": ...}`` objects."""
    if isinstance(value, list | tuple):
        names = [byline_of(item) for item in value]
        joined = ", ".join(n for n in names if n)
        return joined or None
    if isinstance(value, dict):
        return clean(value.get("name"))
    return clean(value)


_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_TRAILING = re.compile(r"[ \t]+\n")


def tidy_body(text: str) -> str:
    """Unify line ends, drop trailing spaces, and keep at most one blank line between paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = _TRAILING.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    return "\n\n".join(p for p in (" ".join(part.split()) for part in paragraphs) if p)


def make_article(
    text: str,
    origin: str,
    settings: Settings,
    *,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
    byline: str | None = None,
    published: datetime | None = None,
    external_id: str | None = None,
) -> Article:
    """The one way readers build an Article; refuses text under ``settings.min_text_chars``."""
    body = tidy_body(text)
    if len(body) < settings.min_text_chars:
        found = f"only {len(body)} characters of text" if body else "no text"
        raise EmptyInput(
            origin,
            f"{found} found (the minimum is {settings.min_text_chars}, setting min_text_chars)",
        )
    return Article.create(
        body,
        source=source or host_of(url),
        url=url,
        title=title,
        byline=byline,
        published=published,
        language=None,
        external_id=external_id,
        origin=origin,
    )
