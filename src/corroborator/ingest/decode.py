"""Bytes to text: byte-order mark, then the charset the document declares, then detection.

A file that is not text at all (NUL bytes, mostly control characters) is refused as binary before any
decoding is tried, so an image renamed to ``.txt`` gives a clear error instead of mojibake.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from corroborator.errors import BinaryInput, MalformedInput

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16: its BOM starts with UTF-16's
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Where documents declare their charset: an XML declaration, an HTML <meta>, an HTTP header.
_DECLARED = re.compile(
    rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']"""
    rb"""|<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)

# Not settings: encoding detection heuristics (how much to sniff, how many control bytes mean binary).
_SNIFF_BYTES = 8192
# Share of control characters (other than tab, newline, carriage return, form feed) above which a
# file is binary; real text has essentially none.
_MAX_CONTROL_SHARE = 0.05
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13} | {127}


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def is_binary(data: bytes) -> bool:
    """True for data that is not text in any encoding we read (sniffs the first 8 KiB)."""
    if bom_encoding(data) in {"utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"}:
        return False
    head = data[:_SNIFF_BYTES]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b in _CONTROL)
    return controls / len(head) > _MAX_CONTROL_SHARE


def declared_charset(data: bytes) -> str | None:
    """The charset an XML declaration or an HTML <meta> near the top names, if it is a known codec."""
    match = _DECLARED.search(data[:4096])
    if match is None:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii", "replace")
    return _known_codec(name)


def header_charset(content_type: str | None) -> str | None:
    """The charset of an HTTP ``Content-Type`` header value, if it is a known codec."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return _known_codec(match.group(1)) if match else None


def _known_codec(name: str) -> str | None:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    # GB2312 declarations routinely carry GBK/GB18030 characters; GB18030 is a strict superset.
    return "gb18030" if codec in {"gb2312", "gbk"} else codec


def check_not_binary(data: bytes, origin: str) -> None:
    if is_binary(data):
        raise BinaryInput(origin, "binary data, not text (NUL or control bytes); is this the file you meant to read?")


def decode(data: bytes, origin: str, declared: str | None = None) -> str:
    """Decode ``data`` to text; ``declared`` is a charset from outside the bytes (an HTTP header).

    Order: BOM, strict UTF-8, ``declared``, the document's own declaration, then charset_normalizer's
    best guess. Valid UTF-8 wins over a declaration because non-UTF-8 text almost never decodes as
    UTF-8, while declarations are often wrong (a UTF-8 page labelled GB2312 decodes "successfully" as
    GB18030 into mojibake); a declaration that fails to decode is ignored. Raises BinaryInput for
    binary data, MalformedInput when nothing fits.
    """
    check_not_binary(data, origin)
    bom = bom_encoding(data)
    if bom is not None:
        try:
            return data.decode(bom).lstrip("\ufeff")
        except UnicodeDecodeError:
            pass
    for charset in ("utf-8", declared, declared_charset(data)):
        if charset is None:
            continue
        try:
            return data.decode(charset)
        except (UnicodeDecodeError, LookupError):
            continue
    guess = _detect(data)
    if guess is None:
        raise MalformedInput(origin, "cannot detect the text encoding; convert the file to UTF-8 (e.g. with iconv)")
    return guess


# Among equally plausible single-byte guesses, the encoding browsers assume for an undeclared page.
_PREFERRED = ("cp1252", "latin_1", "iso8859_15")


def _detect(data: bytes) -> str | None:
    """charset_normalizer's guess; near-ties go to windows-1252 (short texts tie across code pages)."""
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    for match in matches:
        if (
            match.encoding in _PREFERRED
            and match.chaos <= best.chaos + 0.01
            and match.coherence >= best.coherence - 0.05
        ):
            return str(match)
    return str(best)
