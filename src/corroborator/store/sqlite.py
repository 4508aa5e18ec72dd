"""The default, embedded store: one SQLite file in WAL mode.

One write connection, guarded by the facade's lock, so a web server's thread pool can share the store;
reads go to a small pool of separate connections, which WAL lets run beside the writer (":memory:"
stores read on the write connection instead). ``synchronous=NORMAL`` in WAL keeps every committed batch
through a crash of the process; a power cut may lose the last batches, never corrupt the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from corroborator.errors import StoreError
from corroborator.store import codec
from corroborator.store.sql import SqlStore
from corroborator.store.tables.articles import INSERT_COLUMNS

_HEADER = b"SQLite format 3\x00"
# Not a setting: stores are opened without Settings (a path or URL is enough); ten seconds covers the
# longest ingest transaction measured (bench/store_add.py).
BUSY_TIMEOUT_MS = 10_000


def _lower(value: str | None) -> str | None:
    # SQLite's own lower() folds ASCII only; titles and text here are any language.
    return value.lower() if isinstance(value, str) else None


class SQLiteStore(SqlStore):
    backend = "sqlite"
    dialect = "sqlite"
    _article_errors = (sqlite3.IntegrityError, sqlite3.DataError, sqlite3.InterfaceError)
    _db_errors = (sqlite3.Error,)
    _insert_article_sql = (
        f"INSERT INTO articles (seq, {INSERT_COLUMNS}) "
        "VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM articles), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO NOTHING"
    )

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        super().__init__()
        self._memory = str(path) == ":memory:"
        if self._memory:
            self.location = ":memory:"
        else:
            file = Path(path).expanduser()
            self.location = str(file)
            self._check_file(file, create)
            self._path = file
        try:
            self._writer = self._connect()
            self._writer.execute("PRAGMA foreign_keys = ON")
            if not self._memory:
                self._writer.execute("PRAGMA journal_mode = WAL")
                self._writer.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.location} cannot be opened as a corroborator store: {exc}") from exc
        try:
            self._migrate(create)
        except BaseException:
            self.close()
            raise

    def _check_file(self, file: Path, create: bool) -> None:
        if file.is_dir():
            raise StoreError(f"{file} is a directory; pass a store file such as {file / 'corroborator.db'}")
        if not file.exists():
            if not create:
                raise StoreError(f"no corroborator store at {file}; ingest articles to create one")
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create a store at {file}: {exc.strerror}") from exc
            return
        try:
            with file.open("rb") as fh:
                head = fh.read(len(_HEADER))
        except OSError as exc:
            raise StoreError(f"cannot read {file}: {exc.strerror}") from exc
        if head and head != _HEADER:
            raise StoreError(
                f"{file} is not a corroborator store (not an SQLite database);"
                " pass a new file name or an existing store"
            )

    def _connect(self) -> sqlite3.Connection:
        target = ":memory:" if self._memory else str(self._path)
        conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.create_function("lower", 1, _lower, deterministic=True)
        return conn

    @contextmanager
    def _read(self) -> Iterator[Any]:
        if not self._memory:
            with super()._read() as conn:
                yield conn
            return
        self._check_open()
        with self._lock:
            try:
                yield self._writer
            except sqlite3.Error as exc:
                raise self._fail(exc) from exc

    @contextmanager
    def _writer_transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self._writer
        # IMMEDIATE takes the write lock now, so two processes never deadlock upgrading a read lock.
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def _savepoint(self, conn: sqlite3.Connection) -> Iterator[None]:
        conn.execute("SAVEPOINT article")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK TO article")
            conn.execute("RELEASE article")
            raise
        conn.execute("RELEASE article")

    def _close_writer(self) -> None:
        writer = getattr(self, "_writer", None)
        if writer is not None:
            writer.close()

    def _tables(self, conn: sqlite3.Connection) -> set[str]:
        try:
            rows = conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.location} is not a corroborator store ({exc})") from exc
        return {r[0] for r in rows}

    def _time(self, dt: datetime) -> str:
        return codec.time_key(dt)
