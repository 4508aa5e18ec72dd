"""The server option: PostgreSQL through psycopg 3 (the ``postgres`` extra).

Same behaviour as the SQLite store. Connections run in autocommit mode, so a write is exactly the
transaction the facade opens (nested ``conn.transaction()`` blocks are the per-article savepoints) and a
read sees every committed write. The store lives in the connection's current schema: pass
``?options=-csearch_path%3Dmyschema`` in the URL to keep several stores in one database. Concurrent
writers in other processes are safe: article inserts are ``ON CONFLICT DO NOTHING`` and migrations take
an advisory lock.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from corroborator.errors import MissingExtra, StoreError
from corroborator.store import codec
from corroborator.store.sql import SqlStore
from corroborator.store.tables.articles import INSERT_COLUMNS

if TYPE_CHECKING:
    import psycopg


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise MissingExtra("postgres", "the PostgreSQL store") from None
    return psycopg


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


class PostgresStore(SqlStore):
    backend = "postgres"
    dialect = "postgres"
    _insert_article_sql = (
        f"INSERT INTO articles ({INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO NOTHING"
    )

    def __init__(self, url: str, *, create: bool = True) -> None:
        pg = _psycopg()
        super().__init__()
        self._pg = pg
        self._url = url
        self.location = redact(url)
        self._article_errors = (pg.IntegrityError, pg.DataError)
        self._db_errors = (pg.Error,)
        try:
            self._writer: psycopg.Connection[Any] = self._connect()
        except pg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"cannot connect to {self.location}: {first}") from exc
        try:
            self._migrate(create)
        except BaseException:
            self.close()
            raise

    def _connect(self) -> Any:
        return self._pg.connect(self._url, autocommit=True)

    def _sql(self, sql: str) -> str:
        cached = self._sql_cache.get(sql)
        if cached is None:
            cached = self._sql_cache[sql] = sql.replace("?", "%s")
        return cached

    def _many(self, conn: Any, sql: str, rows: list[tuple[Any, ...]]) -> int:
        with conn.cursor() as cur:
            cur.executemany(self._sql(sql), rows)
            return int(cur.rowcount)

    def _insert_sentences(self, conn: Any, rows: list[tuple[str, int, int, int]]) -> None:
        # One statement with four array parameters: executemany costs ~30 µs of client time per row.
        ids, idx, starts, ends = (list(col) for col in zip(*rows, strict=True))
        conn.execute(
            "INSERT INTO sentences (article_id, idx, start_char, end_char)"
            " SELECT * FROM unnest(%b::text[], %b::int4[], %b::int4[], %b::int4[])",
            (ids, idx, starts, ends),
        )

    def _is_broken(self, conn: Any) -> bool:
        return bool(conn.closed or conn.broken)

    @contextmanager
    def _writer_transaction(self) -> Iterator[Any]:
        if self._is_broken(self._writer):  # a server restart since the last write: reconnect once
            self._writer.close()
            self._writer = self._connect()
        with self._writer.transaction():
            yield self._writer

    @contextmanager
    def _savepoint(self, conn: Any) -> Iterator[None]:
        with conn.transaction():
            yield

    def _close_writer(self) -> None:
        writer = getattr(self, "_writer", None)
        if writer is not None:
            writer.close()

    def _tables(self, conn: Any) -> set[str]:
        schema = conn.execute("SELECT current_schema()").fetchone()[0]
        if schema is None:
            raise StoreError(
                f"{self.location}: the connection's search_path names no existing schema; create the schema first"
            )
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,)
        ).fetchall()
        return {r[0] for r in rows}

    def _migration_lock(self, conn: Any) -> None:
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('corroborator:' || current_schema()))")

    def _time(self, dt: datetime) -> datetime:
        return codec.utc(dt)
