"""Values as both backends store them: times, vectors, MinHash signatures and facts.

Pure functions, no SQL. Times are kept twice for articles: a UTC sort key (what filters and ordering
use) and the datetime's own ISO form (so a naive or offset datetime reads back exactly as written).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

import numpy as np

from corroborator.model import Fact

_FACT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Fact))


def utc(dt: datetime) -> datetime:
    """The instant as an aware UTC datetime; a naive datetime is taken to be UTC already."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    try:
        return dt.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 with an offset: keep the wall time rather than fail
        return dt.replace(tzinfo=UTC)


def time_key(dt: datetime) -> str:
    """Fixed-width ISO text in UTC, so SQLite's text comparison orders instants correctly."""
    return utc(dt).isoformat(timespec="microseconds")


def parse_time_key(value: str | datetime | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):  # PostgreSQL hands back timestamptz as datetime
        return utc(value)
    return datetime.fromisoformat(value)


def parse_raw_time(raw: str | None) -> datetime | None:
    return None if raw is None else datetime.fromisoformat(raw)


def vector_bytes(vector: Sequence[float] | np.ndarray | None) -> bytes | None:
    if vector is None:
        return None
    return np.ascontiguousarray(vector, dtype=np.float32).tobytes()


def vector_from(data: bytes | memoryview | None) -> np.ndarray | None:
    if data is None:
        return None
    return np.frombuffer(bytes(data), dtype=np.float32).copy()


def matrix_from(data: bytes | memoryview, dim: int) -> np.ndarray:
    flat = np.frombuffer(bytes(data), dtype=np.float32)
    return flat.reshape(-1, dim).copy() if dim else np.zeros((0, 0), dtype=np.float32)


def minhash_bytes(values: Sequence[int] | np.ndarray | None) -> bytes | None:
    if values is None:
        return None
    return np.ascontiguousarray(values, dtype=np.uint64).tobytes()


def minhash_from(data: bytes | memoryview | None) -> np.ndarray | None:
    if data is None:
        return None
    return np.frombuffer(bytes(data), dtype=np.uint64).copy()


def facts_json(facts: Sequence[Fact]) -> str:
    return json.dumps([{name: getattr(f, name) for name in _FACT_FIELDS} for f in facts], ensure_ascii=False)


def facts_from(text: str) -> list[Fact]:
    rows: list[dict[str, Any]] = json.loads(text)
    # Fields a later Fact dropped are ignored; fields it added take their defaults.
    return [Fact(**{k: v for k, v in row.items() if k in _FACT_FIELDS}) for row in rows]


def names_json(names: Sequence[str]) -> str:
    return json.dumps(list(names), ensure_ascii=False)


def names_from(text: str | None) -> tuple[str, ...]:
    return () if not text else tuple(json.loads(text))
