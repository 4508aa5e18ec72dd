"""Plain text and Markdown (``.txt``, ``.md``), with optional YAML front matter.

Front matter is a YAML mapping between a first line ``---`` and the next ``---`` (or ``...``) line.
Keys read: ``source``, ``url``, ``title``, ``published`` (also ``date``), ``byline`` (also ``author``,
``authors``), ``id`` (kept as ``external_id``); others are ignored.

Title rule, when the front matter gives none: the first non-blank line becomes the title (and leaves
the text) if it is a Markdown heading (``# Title``), or if it is short (at most 150 characters), does
not end like a sentence (``. ! ? : ; ,`` or a closing quote after one) and is followed by a blank
line, the way a headline sits above a story. Otherwise the article has no title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from corroborator.errors import InputError, MalformedInput
from corroborator.ingest.decode import decode
from corroborator.ingest.fields import byline_of, clean, make_article, parse_published, tidy_body
from corroborator.model import Article
from corroborator.settings import Settings

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$")
_MAX_TITLE_CHARS = 150
_SENTENCE_END = re.compile(r"""[.!?:;,]["'”’)]*$""")


def read_text(data: bytes, origin: str, settings: Settings) -> Iterator[Article | InputError]:
    text = tidy_body(decode(data, origin))
    meta, body = split_front_matter(text, origin)
    title = clean(meta.get("title"))
    if title is None:
        title, body = _leading_title(body)
    url = clean(meta.get("url"))
    yield make_article(
        body,
        origin,
        settings,
        source=clean(meta.get("source")),
        url=url,
        title=title,
        byline=byline_of(meta.get("byline") or meta.get("author") or meta.get("authors")),
        published=parse_published(meta.get("published", meta.get("date"))),
        external_id=clean(meta.get("id")),
    )


def split_front_matter(text: str, origin: str) -> tuple[dict[str, object], str]:
    """The front matter mapping (empty when there is none) and the text after it."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 2})" if where is not None else ""
        raise MalformedInput(
            origin, f"front matter is not valid YAML{line}; fix the lines between the '---' markers"
        ) from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise MalformedInput(origin, "front matter must be 'key: value' lines (source, title, url, published, byline)")
    return {str(k).lower(): v for k, v in meta.items()}, text[match.end() :]


def _leading_title(body: str) -> tuple[str | None, str]:
    stripped = body.lstrip("\n")
    first, _, rest = stripped.partition("\n")
    heading = _HEADING.match(first.strip())
    if heading:
        return clean(heading.group(1)), rest
    candidate = first.strip()
    if (
        candidate
        and len(candidate) <= _MAX_TITLE_CHARS
        and not _SENTENCE_END.search(candidate)
        and rest.startswith("\n")
        and rest.strip()
    ):
        return clean(candidate), rest
    return None, body
