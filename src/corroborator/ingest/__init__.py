"""Reading inputs as Articles: files, folders and uploaded bytes, one reader per format.

    read_paths(paths, settings)       -> Iterator[Article | InputError]   (a batch: never raises)
    read_file(path, settings)         -> list[Article]                    (strict: raises InputError)
    read_bytes(name, data, settings)  -> (list[Article], list[InputError]) (uploads: no file system)

Formats, by extension (a ``.gz``, ``.xz`` or ``.bz2`` suffix is decompressed first):

    .txt .text .md .markdown      text.py   plain text / Markdown, optional YAML front matter
    .html .htm .xhtml             html.py   trafilatura body and metadata
    .json                         jsonl.py  one record, a list of records, or a JSON Feed
    .jsonl .ndjson                jsonl.py  one record per line
    .rss .atom .rdf .xml          feed.py   RSS 1.0/2.0, Atom (an .xml that is an HTML page -> html)
    .warc .arc (.gz)              warc.py   HTML responses in a web archive

A file with no extension is sniffed (WARC header, JSON, feed or HTML markup, else text); any other
extension is an UnsupportedFormat. Walking a folder goes depth-first in name order, skips hidden
files and folders (``.name``) and documentation files (README, LICENSE, COPYING, CHANGELOG, any
extension); name such a file explicitly to read it. Every problem is an InputError whose message is
one line, ``PATH: problem``, and a batch goes on past it.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, cast

from corroborator.errors import EmptyInput, InputError, MalformedInput, TooLarge, UnsupportedFormat
from corroborator.ingest.feed import read_feed
from corroborator.ingest.html import read_html
from corroborator.ingest.jsonl import read_json, read_jsonl
from corroborator.ingest.text import read_text
from corroborator.ingest.warc import read_warc
from corroborator.model import Article
from corroborator.settings import Settings

__all__ = ["FORMATS", "is_document_file", "read_bytes", "read_file", "read_paths"]

Reader = Callable[[bytes, str, Settings], Iterator[Article | InputError]]

FORMATS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
    ".xml": "feed",
    ".warc": "warc",
    ".arc": "warc",
}
_READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "json": read_json,
    "jsonl": read_jsonl,
    "feed": read_feed,
}
_COMPRESSIONS = (".gz", ".xz", ".bz2")
_DECOMPRESS_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError)
_DOC_FILES = re.compile(r"^(readme|license|licence|copying|changelog)([._-].*)?$", re.IGNORECASE)
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML_ROOT = re.compile(rb"<(!doctype html|html)[\s>]", re.IGNORECASE)


def read_paths(paths: Sequence[str | Path], settings: Settings) -> Iterator[Article | InputError]:
    """Every Article in the files and folders given, and one InputError per bad file or record."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, settings, set())
        else:
            yield from _read_path(path, settings)


def read_file(path: Path, settings: Settings) -> list[Article]:
    """The articles in one file; raises the first InputError (use read_paths to keep going)."""
    articles = []
    for item in _read_path(Path(path), settings):
        if isinstance(item, InputError):
            raise item
        articles.append(item)
    return articles


def read_bytes(name: str, data: bytes, settings: Settings) -> tuple[list[Article], list[InputError]]:
    """Read uploaded bytes; ``name`` only picks the format and names the origin."""
    articles: list[Article] = []
    errors: list[InputError] = []
    try:
        if len(data) > settings.max_file_bytes:
            raise _too_large(name, len(data), settings)
        items: Iterator[Article | InputError] = _dispatch(name, io.BytesIO(data), settings)
        for item in _capped(_guard(items, name), name, settings):
            (errors if isinstance(item, InputError) else articles).append(item)  # type: ignore[arg-type]
    except InputError as exc:
        errors.append(exc)
    return articles, errors


# -- files and folders -------------------------------------------------------------------------


def is_document_file(name: str) -> bool:
    """True for README, LICENSE, COPYING, CHANGELOG (any extension): skipped when walking a folder."""
    return bool(_DOC_FILES.match(name))


def _walk(folder: Path, settings: Settings, seen: set[tuple[int, int]]) -> Iterator[Article | InputError]:
    try:
        info = folder.stat()
        key = (info.st_dev, info.st_ino)
        if key in seen:
            yield InputError(str(folder), "folder loop: a symbolic link leads back to a folder already read; skipped")
            return
        seen.add(key)
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield InputError(str(folder), f"cannot read the folder: {_os_problem(exc)}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
        except OSError as exc:
            yield InputError(str(path), f"cannot read: {_os_problem(exc)}")
            continue
        if is_dir:
            yield from _walk(path, settings, seen)
        elif not _DOC_FILES.match(entry.name):
            yield from _read_path(path, settings)


def _read_path(path: Path, settings: Settings) -> Iterator[Article | InputError]:
    origin = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError(origin, "is a folder, not a file")
        if size > settings.max_file_bytes:
            raise _too_large(origin, size, settings)
        if size == 0:
            raise EmptyInput(origin, "empty file (0 bytes)")
        _format_of(path.name, b"", origin)  # refuse an unknown extension before opening the file
        with path.open("rb") as stream:
            yield from _capped(_guard(_dispatch(origin, stream, settings, name=path.name), origin), origin, settings)
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(origin, f"cannot read: {_os_problem(exc)}")


def _guard(items: Iterator[Article | InputError], origin: str) -> Iterator[Article | InputError]:
    """Map a reader's raised InputError, or a third-party library's failure, to one yielded error."""
    try:
        yield from items
    except InputError as exc:
        yield exc
    except Exception as exc:  # a batch must go on whatever one file does to a library
        detail = " ".join(str(exc).split())[:200]
        yield MalformedInput(origin, f"could not be read: {type(exc).__name__}: {detail}")


def _capped(items: Iterator[Article | InputError], origin: str, settings: Settings) -> Iterator[Article | InputError]:
    """At most ``max_errors_per_file`` errors from one file, then one line counting the rest.

    A hostile file can hold a million bad records; each would be an error line and a failure row.
    Articles and the count of records read go on regardless.
    """
    errors = 0
    for item in items:
        if isinstance(item, InputError):
            errors += 1
            if errors > settings.max_errors_per_file:
                continue
        yield item
    if errors > settings.max_errors_per_file:
        hidden = errors - settings.max_errors_per_file
        yield MalformedInput(
            origin,
            f"{hidden:,} more bad records not listed ({errors:,} in all; setting max_errors_per_file)",
        )


def _dispatch(
    origin: str, stream: IO[bytes], settings: Settings, name: str | None = None
) -> Iterator[Article | InputError]:
    name = name or origin
    inner, suffix = _split_compression(name)
    if suffix and FORMATS.get(Path(inner).suffix.lower()) != "warc":  # warcio reads gzip itself
        stream = _decompressed(suffix, stream, origin, settings)
        name = inner
    head = stream.read(4096)
    stream.seek(0)
    fmt = _format_of(name, head, origin)
    if fmt == "warc":
        yield from read_warc(stream, origin, settings)
        return
    data = stream.read(settings.max_file_bytes + 1)
    if len(data) > settings.max_file_bytes:
        raise _too_large(origin, len(data), settings)
    if not data.strip():
        raise EmptyInput(origin, "empty file (only white space)" if data else "empty file (0 bytes)")
    if fmt == "feed" and _HTML_ROOT.search(head) and not _FEED_ROOT.search(head):
        fmt = "html"  # an .xml that is really a web page
    if fmt in {"text", "html"} and len(data) > settings.max_record_bytes:
        # One file, one article: its size is the record's size.
        raise TooLarge(
            origin,
            f"it is {len(data):,} bytes, over the limit of {settings.max_record_bytes:,} for one article "
            "(setting max_record_bytes: raise it with --set max_record_bytes=N, or split the file)",
        )
    yield from _READERS[fmt](data, origin, settings)


def _split_compression(name: str) -> tuple[str, str | None]:
    lower = name.lower()
    for suffix in _COMPRESSIONS:
        if lower.endswith(suffix):
            return name[: -len(suffix)], suffix
    return name, None


def _decompressed(suffix: str, stream: IO[bytes], origin: str, settings: Settings) -> IO[bytes]:
    # Read at most one byte over the limit, so a small file that inflates hugely is refused too.
    try:
        with _open_compressed(suffix, stream) as inflated:
            data = inflated.read(settings.max_file_bytes + 1)
    except _DECOMPRESS_ERRORS as exc:
        raise MalformedInput(origin, f"cannot decompress: {' '.join(str(exc).split())}; is the file cut off?") from exc
    if len(data) > settings.max_file_bytes:
        raise _too_large(origin, len(data), settings, decompressed=True)
    return io.BytesIO(data)


def _open_compressed(suffix: str, stream: IO[bytes]) -> IO[bytes]:
    if suffix == ".gz":
        return cast(IO[bytes], gzip.GzipFile(fileobj=stream))
    if suffix == ".xz":
        return cast(IO[bytes], lzma.LZMAFile(stream))
    return cast(IO[bytes], bz2.BZ2File(stream))


def _format_of(name: str, head: bytes, origin: str) -> str:
    inner, _ = _split_compression(name)
    suffix = Path(inner).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    if suffix and not _looks_like_no_extension(suffix):
        known = " ".join(sorted(FORMATS))
        raise UnsupportedFormat(
            origin,
            f"unsupported file type '{suffix}'; readable types are {known} (convert it to text or HTML first)",
        )
    return _sniff(head)


def _looks_like_no_extension(suffix: str) -> bool:
    # "report.2024" or "notes.v2": a dot in a name is not always an extension.
    return not suffix[1:].isalpha()


def _sniff(head: bytes) -> str:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith((b"WARC/", b"filedesc://")) or head.startswith(b"\x1f\x8b"):
        return "warc"  # an uncompressed WARC/ARC, or a gzip stream that is most likely one
    if start.startswith((b"{", b"[")):
        lines = [line for line in start.splitlines() if line.strip()]
        many = len(lines) > 1 and all(line.lstrip().startswith(b"{") for line in lines[:2])
        return "jsonl" if many and lines[0].rstrip().endswith(b"}") else "json"
    if start.startswith(b"<"):
        return "feed" if _FEED_ROOT.search(head) else "html"
    return "text"


def _too_large(origin: str, size: int, settings: Settings, decompressed: bool = False) -> TooLarge:
    what = "decompressed, it is" if decompressed else "it is"
    return TooLarge(
        origin,
        f"{what} {size:,} bytes, over the limit of {settings.max_file_bytes:,} "
        "(setting max_file_bytes: raise it with --set max_file_bytes=N, or split the file)",
    )


def _os_problem(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied; check the file's permissions"
    if isinstance(exc, FileNotFoundError):
        return "no such file or folder (a broken link or a typo?)"
    if exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]
    return type(exc).__name__
