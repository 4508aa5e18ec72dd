"""Web archives (``.warc``, ``.warc.gz``, ``.arc``, ``.arc.gz``) through warcio.

Every successful (2xx) HTML response record goes through the HTML reader, with the record's target
URI as the article's URL and its WARC-Date as the publication date when the page gives none. Other
records (requests, metadata, images, redirects) are skipped without a word. Records are named
``path#N`` (N counts records from 1). An archive damaged part-way yields the articles read before the
damage, then one MalformedInput naming the archive, the record number and the byte offset.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import IO, Any

from corroborator.errors import EmptyInput, InputError, MalformedInput, TooLarge
from corroborator.ingest.decode import header_charset
from corroborator.ingest.fields import clean, parse_published
from corroborator.ingest.html import html_article
from corroborator.ingest.limits import record_too_large, too_many_records
from corroborator.model import Article
from corroborator.settings import Settings

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(stream: IO[bytes], origin: str, settings: Settings) -> Iterator[Article | InputError]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    _check_archive_start(stream, origin)
    records = ArchiveIterator(stream, arc2warc=True)
    n = 0
    offset = 0
    total = 0
    try:
        for record in records:
            n += 1
            offset = records.offset
            if n > settings.max_records:
                yield too_many_records(origin, settings)
                return
            declared = _declared_length(record)
            total += declared
            if total > settings.max_file_bytes:
                # Stop before inflating it: a 1 MB .warc.gz may declare (and hold) gigabytes.
                yield TooLarge(
                    origin,
                    f"decompressed, the archive holds over {settings.max_file_bytes:,} bytes by record {n} "
                    f"(byte offset {offset}), over the limit (setting max_file_bytes); the records before "
                    "it were read",
                )
                return
            where = f"{origin}#{n}"
            try:
                if declared > settings.max_record_bytes:
                    raise record_too_large(where, declared, settings.max_record_bytes)
                page = _html_payload(record, settings.max_record_bytes, where)
            except TooLarge as exc:
                yield exc
                page = None
            records.read_to_end()
            # warcio reads a cut-off record without complaint; what is left of its declared
            # length tells that the archive ends inside it.
            missing = getattr(record.raw_stream, "limit", 0)
            if missing:
                yield MalformedInput(
                    origin,
                    f"archive is cut off inside record {n} (byte offset {offset}): {missing:,} of "
                    "its bytes are missing; the records before it were read",
                )
                return
            if page is not None:
                yield _page_item(record, page, where, settings)
    except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError) as exc:
        yield MalformedInput(origin, _damage(exc, n, offset))
        return
    if n == 0:
        raise MalformedInput(origin, "not a WARC or ARC archive (no records found)")


def _check_archive_start(stream: IO[bytes], origin: str) -> None:
    # warcio reads any text as ARC header lines, so an archive is recognised by its first bytes.
    head = stream.read(512)
    stream.seek(0)
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(wbits=47).decompress(head, 64)
        except zlib.error as exc:
            raise MalformedInput(origin, f"damaged gzip at the start of the archive: {exc}") from exc
    if not head.strip():
        raise MalformedInput(origin, "the archive ends before its first record (is the file cut off?)")
    if not head.lstrip(b"\r\n").startswith((b"WARC/", b"filedesc://")):
        start = head[:20].decode("latin-1").split("\n")[0]
        raise MalformedInput(
            origin, f"not a WARC or ARC archive: it starts with {start!r}, not 'WARC/' or 'filedesc://'"
        )


def _declared_length(record: Any) -> int:
    """The record's block length as its header declares it (what reading it will inflate to)."""
    length = getattr(record, "length", None)
    if not isinstance(length, int):
        try:
            length = int(record.rec_headers.get_header("Content-Length") or 0)
        except ValueError:
            length = 0
    return max(0, length)


def _html_payload(record: Any, limit: int, where: str) -> tuple[bytes, str] | None:
    """The body and Content-Type of a successful HTML response, else None; TooLarge over ``limit`` bytes.

    The body is read with a cap: an HTTP ``Content-Encoding: gzip`` payload can inflate far past
    the record's declared length.
    """
    if record.rec_type not in {"response", "resource"}:
        return None
    if record.rec_type == "response":
        headers = record.http_headers
        if headers is None or not (headers.get_statuscode() or "").startswith("2"):
            return None
        content_type = headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    if not content_type.lower().startswith(_HTML_TYPES):
        return None
    body = record.content_stream().read(limit + 1)
    if len(body) > limit:
        raise record_too_large(where, len(body), limit, "the page")
    return body, content_type


def _page_item(record: Any, page: tuple[bytes, str], where: str, settings: Settings) -> Article | InputError:
    body, content_type = page
    try:
        return html_article(
            body,
            where,
            settings,
            url=clean(record.rec_headers.get_header("WARC-Target-URI")),
            fallback_date=parse_published(record.rec_headers.get_header("WARC-Date")),
            charset=header_charset(content_type),
        )
    except (EmptyInput, MalformedInput) as exc:
        return exc


def _damage(exc: BaseException, n: int, offset: int) -> str:
    detail = " ".join(str(exc).split())
    where = f"after record {n} (byte offset {offset})" if n else "at the start"
    if "non-chunked gzip" in detail:
        return (
            f"damaged archive {where}: the file is one gzip stream instead of one gzip member per "
            "record; fix it with 'warcio recompress IN.warc.gz OUT.warc.gz'"
        )
    return (
        f"damaged archive {where}: {type(exc).__name__}: {detail or 'unexpected end of data'}; "
        "the records before it were read (is the file cut off?)"
    )
