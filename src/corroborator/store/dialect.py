"""The SQL both backends accept, and the few rules every statement in the store follows.

Statements are written with ``?`` placeholders; the PostgreSQL backend rewrites them to ``%s``. No
statement may contain a literal ``%`` or ``?`` for that reason: LIKE patterns are always parameters
(:func:`like_word`). Long id lists are bound in chunks of :data:`IN_CHUNK` (:func:`chunks`, :func:`marks`).
Column types per backend are in ``migrations.TYPES``; how a time is bound is the backend's ``_time``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

from corroborator.store import codec

# Not settings: SQL plumbing (SQLite and PostgreSQL parameter limits).
NO_LIMIT = 2**62  # LIMIT ? when the caller wants every row
BLOB_CHUNK = 1 << 20  # bytes per write when a blob is streamed in from a file
IN_CHUNK = 500  # ids per "IN (...)" list: under SQLite's 999 bound parameters of old builds

T = TypeVar("T")


def marks(values: Sequence[Any]) -> str:
    """The placeholders of an ``IN (...)`` list binding ``values``."""
    return ", ".join("?" * len(values))


def chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    """``values`` in lists of at most ``size``, for IN lists under the bound-parameter limit."""
    for k in range(0, len(values), size):
        yield list(values[k : k + size])


def like_word(word: str) -> str:
    """A LIKE pattern (with ``ESCAPE '\\'``) matching ``word`` anywhere, case folded."""
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def writable(text: str) -> str:
    """A failure's origin or message as text every backend stores: escapes for what UTF-8 cannot encode."""
    text = text.replace("\x00", "\\x00")
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:  # a path with undecodable bytes, a message quoting a lone surrogate
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def read_time(value: Any) -> datetime:
    """A stored time column as a UTC datetime (``datetime.min`` for none)."""
    return codec.parse_time_key(value) or datetime.min
