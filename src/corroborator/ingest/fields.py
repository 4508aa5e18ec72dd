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
* every string is valid Unicode the store can write: control characters (NUL and the other C0
  characters but tab and line ends) are dropped, and a lone surrogate (``"\\ud800"`` in JSON, a
  broken UTF-16 escape) in any field refuses the record with one error naming the field. A metadata
  field longer than ``max_field_chars`` or a text longer than ``max_text_chars`` refuses it too.
  The origin (a path, perhaps with undecodable bytes) is repaired with backslash escapes instead.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterable
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from corroborator.errors import EmptyInput, MalformedInput, TooLarge
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
        return str(value) if math.isfinite(value) else None  # JSON 1e400 is inf: no id
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


# C0 control characters other than tab, line feed and carriage return (and DEL): never text, and
# NUL is refused by PostgreSQL. Vertical tab and form feed become line ends.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def safe_label(text: str) -> str:
    """``text`` with anything UTF-8 cannot encode (a path's undecodable bytes) as a backslash escape."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def checked_string(value: str, name: str, origin: str, limit: int) -> str:
    """``value`` without control characters; raises MalformedInput for a lone surrogate, TooLarge over ``limit``."""
    if len(value) > limit:
        raise _too_long(name, len(value), limit, origin)
    bad = _SURROGATE.search(value)
    if bad is not None:
        raise MalformedInput(
            origin,
            f"field '{name}' is not valid Unicode: a lone surrogate \\u{ord(bad.group()):04x} at character "
            f"{bad.start() + 1} (a broken escape in the source); fix or drop it",
        )
    if _CONTROLS.search(value):
        value = _CONTROLS.sub("", value)
    return value.replace("\x0b", "\n").replace("\x0c", "\n")


def _too_long(name: str, size: int, limit: int, origin: str) -> TooLarge:
    setting = "max_text_chars" if name == "text" else "max_field_chars"
    return TooLarge(
        origin,
        f"field '{name}' has {size:,} characters, over the limit of {limit:,} (setting {setting}: "
        f"raise it with --set {setting}=N)",
    )


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
    """The one way readers build an Article; refuses text under ``settings.min_text_chars``.

    Every field is checked here (see the module's rules), so the store never sees a value it cannot write.
    """
    origin = safe_label(origin)
    meta: dict[str, str | None] = {}
    for name, value in (
        ("source", source),
        ("url", url),
        ("title", title),
        ("byline", byline),
        ("external_id", external_id),
    ):
        meta[name] = None if value is None else clean(checked_string(value, name, origin, settings.max_field_chars))
    # Refused before tidying copies it; the text shrinks by at most its white space when tidied.
    if len(text) > 2 * settings.max_text_chars:
        raise _too_long("text", len(text), settings.max_text_chars, origin)
    body = tidy_body(checked_string(text, "text", origin, 2 * settings.max_text_chars))
    if len(body) > settings.max_text_chars:
        raise _too_long("text", len(body), settings.max_text_chars, origin)
    if len(body) < settings.min_text_chars:
        found = f"only {len(body)} characters of text" if body else "no text"
        raise EmptyInput(
            origin,
            f"{found} found (the minimum is {settings.min_text_chars}, setting min_text_chars)",
        )
    return Article.create(
        body,
        source=meta["source"] or host_of(meta["url"]),
        url=meta["url"],
        title=meta["title"],
        byline=meta["byline"],
        published=published,
        language=None,
        external_id=meta["external_id"],
        origin=origin,
    )
