"""JSON records (``.json``: one object, a list, or ``{"articles": [...]}``; ``.jsonl``: one per line).

Field mapping (first present, non-empty field wins):

==============  ===============================================================================
Article field   record fields
==============  ===============================================================================
text            ``text``, ``content_original``, ``content``, ``body``, ``body-paragraphs``
                (a list of paragraphs, each a string or a list of sentences)
title           ``title``, ``headline``
source          ``source``, ``outlet``, ``outlet_host``, ``site`` (a host loses ``www.`` and port)
url             ``url``, ``source_url``, ``original_url``, ``uri``, ``link``
published       ``published``, ``date``, ``dct``, ``datePublished``, ``date_published``
byline          ``byline``, ``author``, ``authors`` (a string, a list of names or of ``{"name"}``)
external_id     ``id``, ``ID``, ``doc_id``, ``uuid``
==============  ===============================================================================

``content_original`` comes before ``content`` because AllSides keeps a tokenised copy in ``content``.
``source_url`` is a URL only when it has a scheme (AllSides stores a bare host there).
A JSON Feed document (``"version": "https://jsonfeed.org/version/1..."``) is read as a feed.
A record that cannot be read is one InputError naming ``path#record-N`` (N counts from 1); the
other records still go in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from corroborator.errors import InputError, MalformedInput
from corroborator.ingest.decode import decode
from corroborator.ingest.fields import byline_of, clean, make_article, parse_published
from corroborator.ingest.limits import check_json_depth, record_too_large, too_many_records
from corroborator.model import Article
from corroborator.settings import Settings

TEXT_FIELDS = ("text", "content_original", "content", "body", "body-paragraphs")
TITLE_FIELDS = ("title", "headline")
SOURCE_FIELDS = ("source", "outlet", "outlet_host", "site")
URL_FIELDS = ("url", "source_url", "original_url", "uri", "link")
DATE_FIELDS = ("published", "date", "dct", "datePublished", "date_published")
BYLINE_FIELDS = ("byline", "author", "authors")
ID_FIELDS = ("id", "ID", "doc_id", "uuid")
_CONTAINERS = ("articles", "items", "records", "data")
_HOST = re.compile(r"^(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d+)?/?$", re.IGNORECASE)


def read_json(data: bytes, origin: str, settings: Settings) -> Iterator[Article | InputError]:
    text = decode(data, origin)
    check_json_depth(data, origin, settings)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedInput(origin, _json_problem(exc, text)) from exc
    del text
    if isinstance(doc, dict) and "jsonfeed.org" in str(doc.get("version", "")):
        from corroborator.ingest.feed import read_json_feed

        yield from read_json_feed(doc, origin, settings)
        return
    records = _records(doc)
    if records is None:
        raise MalformedInput(origin, "expected a JSON object or a list of objects with a 'text' or 'content' field")
    for n, record in enumerate(records, start=1):
        if n > settings.max_records:
            yield too_many_records(origin, settings)
            return
        yield _guarded(record, f"{origin}#record-{n}", settings)


def read_jsonl(data: bytes, origin: str, settings: Settings) -> Iterator[Article | InputError]:
    text = decode(data, origin)
    n = 0
    for line_no, line in enumerate(_lines(text), start=1):
        if not line.strip():
            continue
        n += 1
        where = f"{origin}#record-{n}"
        if n > settings.max_records:
            yield too_many_records(origin, settings)
            return
        # Checked before parsing: a 49 MB line is refused without building a 49 MB object.
        if len(line) > settings.max_record_bytes:
            yield record_too_large(where, len(line), settings.max_record_bytes, f"line {line_no}")
            continue
        try:
            check_json_depth(line.encode("utf-8", "surrogatepass"), where, settings)
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield MalformedInput(where, f"line {line_no} is not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        except InputError as exc:
            yield exc
            continue
        yield _guarded(record, where, settings)


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one at a time (``str.splitlines`` would hold a copy of all of them)."""
    start = 0
    size = len(text)
    while start < size:
        end = text.find("\n", start)
        if end < 0:
            end = size
        yield text[start:end].rstrip("\r")
        start = end + 1


def _records(doc: Any) -> list[Any] | None:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        if _first(doc, TEXT_FIELDS) is None:
            for key in _CONTAINERS:
                if isinstance(doc.get(key), list):
                    return list(doc[key])
        return [doc]
    return None


def _guarded(record: Any, where: str, settings: Settings) -> Article | InputError:
    try:
        return record_article(record, where, settings)
    except InputError as exc:
        return exc
    except Exception as exc:  # one strange record is one error line; the file's other records go on
        detail = " ".join(str(exc).split())[:200]
        return MalformedInput(where, f"could not be read: {type(exc).__name__}: {detail}")


def record_article(record: Any, where: str, settings: Settings) -> Article:
    """One Article from one JSON record (see the module's field mapping)."""
    if not isinstance(record, dict):
        raise MalformedInput(where, f"a record must be a JSON object, not {type(record).__name__}")
    body = _text(_first(record, TEXT_FIELDS))
    url = _url(record)
    return make_article(
        body,
        where,
        settings,
        source=_source(_first(record, SOURCE_FIELDS)),
        url=url,
        title=clean(_first(record, TITLE_FIELDS)),
        byline=byline_of(_first(record, BYLINE_FIELDS)),
        published=parse_published(_first(record, DATE_FIELDS)),
        external_id=clean(_first(record, ID_FIELDS)),
    )


def _first(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        paragraphs = []
        for item in value:
            if isinstance(item, list):  # BASIL: a paragraph is a list of sentences
                paragraphs.append(" ".join(str(s).strip() for s in item if isinstance(s, str)))
            elif isinstance(item, str):
                paragraphs.append(item)
        return "\n\n".join(p.strip() for p in paragraphs if p.strip())
    return ""


def _url(record: dict[str, Any]) -> str | None:
    for name in URL_FIELDS:
        value = clean(record.get(name))
        if value and "://" in value:
            return value
    return None


def _source(value: Any) -> str | None:
    text = clean(value)
    if text is None:
        return None
    host = _HOST.match(text)
    return host.group(1).lower() if host else text


def _json_problem(exc: json.JSONDecodeError, text: str) -> str:
    if exc.pos >= len(text.rstrip()) or not text.rstrip().endswith(("}", "]")):
        return f"JSON ends early at line {exc.lineno}: the file looks cut off; re-export or re-download it"
    return f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
