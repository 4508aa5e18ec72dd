"""Plain text and Markdown (``.txt``, ``.md``), with optional YAML front matter.

Front matter is a YAML mapping between a first line ``---`` and the next ``---`` (or ``...``) line.
Keys read: ``source``, ``url``, ``title``, ``published`` (also ``date``), ``byline`` (also ``author``,
``authors``), ``id`` (kept as ``external_id``); others are ignored, ``language`` included: the
pipeline detects the language from the text itself.

Title rule, when the front matter gives none: the first non-blank line becomes the title (and leaves
the text) if it is a Markdown heading (``# Title``), or if it is short (at most 150 characters), does
not end like a sentence (``. ! ? : ; ,`` or a closing quote after one) and is followed by a blank
line, the way a headline sits above a story. Otherwise the article has no title. A first heading
that repeats the front matter's title is dropped from the text.

Markdown files (``.md``, ``.markdown``) lose their markup (headings, emphasis, links, images, block
quotes, bullets, rules); ``.txt`` is kept as written.
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
# Not a setting: a first line longer than this is a paragraph, not a title (a format heuristic).
_MAX_TITLE_CHARS = 150
_SENTENCE_END = re.compile(r"""[.!?:;,]["'”’)]*$""")


def read_text(data: bytes, origin: str, settings: Settings) -> Iterator[Article | InputError]:
    text = tidy_body(decode(data, origin))
    meta, body = split_front_matter(text, origin)
    title = clean(meta.get("title"))
    if title is None:
        title, body = _leading_title(body)
    else:
        body = _without_repeated_title(body, title)
    if _is_markdown(origin):
        body = markdown_text(body)
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
    except (ValueError, OverflowError) as exc:  # e.g. "date: 2024-13-45": YAML reads it as a date that does not exist
        raise MalformedInput(
            origin, f"front matter holds an impossible value ({exc}); fix the lines between the '---' markers"
        ) from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise MalformedInput(origin, "front matter must be 'key: value' lines (source, title, url, published, byline)")
    return {str(k).lower(): v for k, v in meta.items()}, text[match.end() :]


def _without_repeated_title(body: str, title: str) -> str:
    """Drop a first heading that repeats the front matter's title."""
    first, _, rest = body.lstrip("\n").partition("\n")
    heading = _HEADING.match(first.strip())
    if heading and clean(heading.group(1)) == title:
        return rest
    return body


def _is_markdown(origin: str) -> bool:
    name = origin.lower()
    for suffix in (".gz", ".xz", ".bz2"):
        name = name.removesuffix(suffix)
    return name.endswith((".md", ".markdown"))


# Markdown's markup, reduced to the words a reader sees. Code blocks are kept as they are.
_MD_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_DOUBLE_SPACE = re.compile(r"(?<=\S)  +(?=\S)")
_MD_INLINE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
)
_MD_LINE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\[[^\]]+\]:\s+\S+.*$"), ""),  # reference definitions
    (re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$"), ""),  # rules
    (re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$"), r"\1"),  # headings
    (re.compile(r"^\s{0,3}>\s?"), ""),  # block quotes
    (re.compile(r"^(\s*)[-*+][ \t]+"), r"\1"),  # bullets
)


def markdown_text(text: str) -> str:
    """Markdown to plain text: markup removed, the words and paragraph breaks kept."""
    out: list[str] = []
    in_code = False
    for line in _MD_COMMENT.sub("", text).split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if not in_code:
            for pattern, replacement in (*_MD_LINE, *_MD_INLINE):
                line = pattern.sub(replacement, line)
            line = _DOUBLE_SPACE.sub(" ", line)
        out.append(line)
    return tidy_body("\n".join(out))


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
