"""What every SQL backend shares: connections, transactions, errors, migrations.

A backend (``sqlite.py``, ``postgres.py``) supplies connections, transactions, savepoints, how a time is
passed as a parameter and which driver errors mean "this article's data was refused". The tables' verbs
are in ``store/tables/`` (one module a concern), composed into :class:`~corroborator.store.sql.SqlStore`;
the rules every statement follows are in ``store/dialect.py``.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from abc import abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import Any

from corroborator.errors import NotFound, StoreError
from corroborator.store.base import Store
from corroborator.store.dialect import read_time, writable
from corroborator.store.migrations import MIGRATIONS, TYPES, Dialect, MigrationContext


class SqlBase(Store):
    """The plumbing under every table module: ``_read``/``_write`` hand out a connection, ``_x``/``_many``
    run a ``?`` statement on it."""

    dialect: Dialect = "sqlite"
    # Driver errors that mean "the database refused this article's data" (the article alone fails).
    _article_errors: tuple[type[Exception], ...] = ()
    # Every driver error (mapped to StoreError at the facade).
    _db_errors: tuple[type[Exception], ...] = ()

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._pool: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._readers: list[Any] = []
        self._closed = False
        self._sql_cache: dict[str, str] = {}

    # -- backend hooks -----------------------------------------------------------------------------
    @abstractmethod
    def _connect(self) -> Any:
        """A new read connection."""

    @abstractmethod
    def _writer_transaction(self) -> AbstractContextManager[Any]:
        """The write connection inside a transaction (the caller holds the lock)."""

    @abstractmethod
    def _savepoint(self, conn: Any) -> AbstractContextManager[None]: ...

    @abstractmethod
    def _close_writer(self) -> None: ...

    @abstractmethod
    def _tables(self, conn: Any) -> set[str]: ...

    def _migration_lock(self, conn: Any) -> None:
        """Serialise concurrent openers of a fresh store (SQLite's write lock already does)."""

    @abstractmethod
    def _time(self, dt: datetime) -> Any:
        """A datetime as this backend's parameter for a ``{time}`` column."""

    def _sql(self, sql: str) -> str:
        return sql

    # -- plumbing ------------------------------------------------------------------------------------
    def _x(self, conn: Any, sql: str, params: Sequence[Any] = ()) -> Any:
        return conn.execute(self._sql(sql), params)

    def _many(self, conn: Any, sql: str, rows: list[tuple[Any, ...]]) -> int:
        """executemany; returns the rows changed."""
        return int(conn.executemany(self._sql(sql), rows).rowcount)

    def _fail(self, exc: Exception) -> StoreError:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "database is locked" in message:
            message += " (another process kept writing to it for too long); retry when it is done"
        return StoreError(f"{self.location}: {message}")

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"{self.location}: the store is closed")

    @contextmanager
    def _write(self) -> Iterator[Any]:
        self._check_open()
        with self._lock:
            try:
                with self._writer_transaction() as conn:
                    yield conn
            except self._db_errors as exc:
                raise self._fail(exc) from exc

    @contextmanager
    def _read(self) -> Iterator[Any]:
        self._check_open()
        try:
            conn = self._pool.get_nowait()
        except queue.Empty:
            try:
                conn = self._connect()
            except self._db_errors as exc:
                raise self._fail(exc) from exc
            with self._lock:
                self._readers.append(conn)
        try:
            yield conn
        except self._db_errors as exc:
            if self._is_broken(conn):  # e.g. the server restarted: the next read opens a new one
                with self._lock, contextlib.suppress(ValueError):
                    self._readers.remove(conn)
                conn = None
            raise self._fail(exc) from exc
        finally:
            if conn is not None:
                self._pool.put(conn)

    def _is_broken(self, conn: Any) -> bool:
        return False

    def _now(self) -> Any:
        return self._time(datetime.now(UTC))

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for conn in self._readers:
                with contextlib.suppress(Exception):  # closing is best effort
                    conn.close()
            self._readers.clear()
            self._close_writer()

    # -- migrations --------------------------------------------------------------------------------
    def _migrate(self, create: bool) -> None:
        with self._write() as conn:
            self._migration_lock(conn)
            tables = self._tables(conn)
            if "migrations" not in tables:
                if tables:
                    raise StoreError(
                        f"{self.location} is not a corroborator store (it holds tables but no migrations "
                        "table); pass a new file name or an empty database"
                    )
                if not create:
                    raise StoreError(f"no corroborator store at {self.location}; ingest articles to create one")
                self._x(
                    conn,
                    "CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at {time} NOT NULL)".format(
                        **TYPES[self.dialect]
                    ),
                )
            try:
                applied = {str(row[0]) for row in self._x(conn, "SELECT name, applied_at FROM migrations").fetchall()}
            except self._db_errors as exc:
                raise StoreError(
                    f"{self.location} is not a corroborator store (its migrations table is another program's)"
                ) from exc
        unknown = sorted(applied - {m.name for m in MIGRATIONS})
        if unknown:
            raise StoreError(
                f"{self.location} records migrations this corroborator does not know ({', '.join(unknown)}); "
                "it was made by a newer corroborator: upgrade to open it"
            )
        for mig in MIGRATIONS:
            if mig.name in applied:
                continue
            with self._write() as conn:
                self._migration_lock(conn)
                done = self._x(conn, "SELECT 1 FROM migrations WHERE name = ?", (mig.name,)).fetchone()
                if done:  # another process applied it while we waited
                    continue

                def run(sql: str, conn: Any = conn) -> None:
                    self._x(conn, sql)

                mig.apply(MigrationContext(self.dialect, run))
                self._x(conn, "INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (mig.name, self._now()))

    def migrations_applied(self) -> list[tuple[str, datetime]]:
        """(name, applied_at) of every applied migration, in the order applied."""
        with self._read() as conn:
            rows = self._x(conn, "SELECT name, applied_at FROM migrations ORDER BY name").fetchall()
        return [(name, read_time(at)) for name, at in rows]

    # -- shared by several tables ----------------------------------------------------------------
    def _require_article(self, conn: Any, article_id: str) -> None:
        if self._x(conn, "SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is None:
            raise NotFound(
                f"no article {article_id!r} in {self.location}; "
                f"run `corroborator stories --db {self.location}` to list ids"
            )

    def _insert_failure(self, conn: Any, origin: str, message: str, now: Any) -> None:
        """Log an input or article that could not be stored (a row of ``failures``) in ``conn``'s transaction."""
        self._x(
            conn,
            "INSERT INTO failures (origin, message, at) VALUES (?, ?, ?)",
            (writable(origin), writable(message), now),
        )
