"""Where articles, stories and cached analyses live: :func:`open_store` and the :class:`Store` facade.

open_store("news.db")                                   # SQLite file (created when missing)
open_store("sqlite:///news.db")                         # the same, as a URL (sqlite:////abs/path.db)
open_store("postgresql://user:pw@host/db")              # PostgreSQL (pip install 'corroborator[postgres]')
"""

from __future__ import annotations

from pathlib import Path

from corroborator.errors import StoreError
from corroborator.store.base import (
    DEFAULT_ENCODER,
    AddOutcome,
    AmbiguousReference,
    ArticleFilter,
    DuplicateLink,
    Store,
    StoryEvent,
    StoryFilter,
)

__all__ = [
    "DEFAULT_ENCODER",
    "AddOutcome",
    "AmbiguousReference",
    "ArticleFilter",
    "DuplicateLink",
    "Store",
    "StoryEvent",
    "StoryFilter",
    "open_store",
]


def open_store(location: str | Path, *, create: bool = True) -> Store:
    """Open (and migrate) the store at ``location``: a file path, ``sqlite:///path`` or ``postgresql://...``.

    ``create=False`` refuses to make a new store, for commands that only read one. Raises StoreError
    when the location is not a corroborator store, MissingExtra when PostgreSQL is asked for without
    psycopg installed.
    """
    if isinstance(location, Path):
        from corroborator.store.sqlite import SQLiteStore

        return SQLiteStore(location, create=create)
    text = str(location).strip()
    if text.startswith(("postgresql://", "postgres://")):
        from corroborator.store.postgres import PostgresStore

        return PostgresStore(text, create=create)
    if text.startswith("sqlite://"):
        # SQLAlchemy's spelling: three slashes then a relative path, four for an absolute one.
        path = text.removeprefix("sqlite:///") if text.startswith("sqlite:///") else ""
        if not path:
            raise StoreError(f"{text}: write sqlite:///relative/path.db or sqlite:////absolute/path.db")
        text = path
    elif "://" in text:
        scheme = text.split("://", 1)[0]
        raise StoreError(f"{text}: unknown store scheme {scheme!r}; use a file path or postgresql://...")
    from corroborator.store.sqlite import SQLiteStore

    return SQLiteStore(text, create=create)
