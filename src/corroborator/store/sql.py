"""The store's behaviour, written once in SQL both backends accept.

A backend (``sqlite.py``, ``postgres.py``) supplies connections, transactions, savepoints, how a time is
passed as a parameter and which driver errors mean "this article's data was refused". Statements are
written with ``?`` placeholders; the PostgreSQL backend rewrites them to ``%s``. No statement may contain
a literal ``%`` or ``?`` for that reason: LIKE patterns are always parameters.
"""

from __future__ import annotations

import contextlib
import hashlib
import queue
import threading
from abc import abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import Any, BinaryIO

import numpy as np

from corroborator.errors import NotFound, StoreError
from corroborator.model import AnalysedArticle, Article, Fact, Sentence, Story
from corroborator.store import codec
from corroborator.store.base import (
    DEFAULT_ENCODER,
    AddOutcome,
    AmbiguousReference,
    DuplicateLink,
    Store,
    StoryEvent,
    StoryFilter,
)
from corroborator.store.migrations import MIGRATIONS, TYPES, Dialect, MigrationContext

_ARTICLE_COLUMNS = "id, text, source, url, title, byline, published_raw, language, external_id, origin"
_INSERT_COLUMNS = (
    "id, external_id, source, url, title, byline, published, published_raw, language, text, origin, ingested_at"
)
# Not settings: SQL plumbing (SQLite and PostgreSQL parameter limits) and the shortest id prefix a
# reader may type, which must stay unambiguous across stores.
_NO_LIMIT = 2**62
_BLOB_CHUNK = 1 << 20  # bytes per write when a blob is streamed in from a file
_IN_CHUNK = 500  # ids per "IN (...)" list: under SQLite's 999 bound parameters of old builds
MIN_PREFIX = 6


class _Refused(Exception):
    """The bulk insert cannot be trusted for this batch; redo it article by article."""


def _like_word(word: str) -> str:
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _problem(item: AnalysedArticle) -> str | None:
    """Why an article cannot be stored as given (the same answer on every backend), or None."""
    art = item.article
    if not art.id:
        return "article has an empty id"
    for name in ("text", "source", "url", "title", "byline", "language", "external_id", "origin"):
        value = getattr(art, name)
        if value is None:
            continue
        if not isinstance(value, str):
            return f"article {art.id}: {name} is a {type(value).__name__}, not text"
        if "\x00" in value:
            return f"article {art.id}: {name} contains a NUL character"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate: no database can store it
            return f"article {art.id}: {name} is not valid Unicode ({exc.reason} at character {exc.start + 1})"
    size = len(art.text)
    for s in item.sentences:
        if s.article_id != art.id:
            return f"article {art.id}: sentence {s.index} belongs to article {s.article_id}"
        if not 0 <= s.start <= s.end <= size or art.text[s.start : s.end] != s.text:
            return f"article {art.id}: sentence {s.index} ({s.start}-{s.end}) does not match the article text"
    return None


def _writable(text: str) -> str:
    """A failure's origin or message as text every backend stores: escapes for what UTF-8 cannot encode."""
    text = text.replace("\x00", "\\x00")
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:  # a path with undecodable bytes, a message quoting a lone surrogate
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


class SqlStore(Store):
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

    _insert_article_sql: str = ""

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
        return [(name, codec.parse_time_key(at) or datetime.min) for name, at in rows]

    # -- articles ----------------------------------------------------------------------------------
    def add(self, items: Sequence[AnalysedArticle], *, encoder: str = DEFAULT_ENCODER) -> list[AddOutcome]:
        if not items:
            return []
        with self._write() as conn:
            now = self._now()
            batch = list(items)
            outcomes: list[AddOutcome | None] = [None] * len(batch)
            for n, item in enumerate(batch):
                problem = _problem(item)
                if problem:
                    outcomes[n] = "failed"
                    self._record_refusal(conn, item, StoreError(problem), now)
            todo = [n for n, o in enumerate(outcomes) if o is None]
            # Fast path: the whole batch in a few bulk statements. When the database refuses anything,
            # undo it and store article by article, each in its own savepoint, so only the bad one fails.
            try:
                with self._savepoint(conn):
                    bulk = self._insert_many(conn, [batch[n] for n in todo], encoder, now)
            except (_Refused, UnicodeError, OverflowError, *self._article_errors):  # type: ignore[misc]
                bulk = None
            for k, n in enumerate(todo):
                if bulk is not None:
                    outcomes[n] = bulk[k]
                    continue
                try:
                    with self._savepoint(conn):
                        outcomes[n] = self._insert_one(conn, batch[n], encoder, now)
                except (UnicodeError, OverflowError, *self._article_errors) as exc:  # type: ignore[misc]
                    outcomes[n] = "failed"
                    self._record_refusal(conn, batch[n], exc, now)
        return [o or "failed" for o in outcomes]

    def _record_refusal(self, conn: Any, item: AnalysedArticle, exc: Exception, now: Any) -> None:
        art = item.article
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if art.id and art.id not in message:
            message = f"article {art.id}: {message}"
        self._x(
            conn,
            "INSERT INTO failures (origin, message, at) VALUES (?, ?, ?)",
            (_writable(art.origin or art.external_id or art.id or "?"), _writable(message), now),
        )

    def _article_row(self, art: Article, now: Any) -> tuple[Any, ...]:
        published = None if art.published is None else self._time(art.published)
        raw = None if art.published is None else art.published.isoformat()
        return (
            art.id,
            art.external_id,
            art.source,
            art.url,
            art.title,
            art.byline,
            published,
            raw,
            art.language,
            art.text,
            art.origin,
            now,
        )

    @staticmethod
    def _signal_row(item: AnalysedArticle, encoder: str) -> tuple[Any, ...]:
        return (
            item.article.id,
            encoder if item.vector is not None else None,
            codec.vector_bytes(item.vector),
            codec.minhash_bytes(item.minhash),
            codec.names_json(item.lead_entities),
        )

    _INSERT_SIGNALS = (
        "INSERT INTO article_signals (article_id, encoder, vector, minhash, lead_entities) VALUES (?, ?, ?, ?, ?)"
    )

    def _insert_sentences(self, conn: Any, rows: list[tuple[str, int, int, int]]) -> None:
        self._many(conn, "INSERT INTO sentences (article_id, idx, start_char, end_char) VALUES (?, ?, ?, ?)", rows)

    def _insert_many(self, conn: Any, items: Sequence[AnalysedArticle], encoder: str, now: Any) -> list[AddOutcome]:
        """Insert a batch with one statement per table; raises _Refused or a driver error to fall back."""
        ids = list(dict.fromkeys(i.article.id for i in items))
        stored: set[str] = set()
        for k in range(0, len(ids), _IN_CHUNK):
            chunk = ids[k : k + _IN_CHUNK]
            marks = ", ".join("?" * len(chunk))
            stored.update(r[0] for r in self._x(conn, f"SELECT id FROM articles WHERE id IN ({marks})", chunk))
        outcomes: list[AddOutcome] = []
        new: list[AnalysedArticle] = []
        seen = set(stored)
        for item in items:
            if item.article.id in seen:
                outcomes.append("duplicate")
            else:
                seen.add(item.article.id)
                new.append(item)
                outcomes.append("new")
        if not new:
            return outcomes
        inserted = self._many(conn, self._insert_article_sql, [self._article_row(i.article, now) for i in new])
        if inserted != len(new):  # another process stored one of them meanwhile (PostgreSQL)
            raise _Refused
        sentence_rows = [(i.article.id, s.index, s.start, s.end) for i in new for s in i.sentences]
        if sentence_rows:
            self._insert_sentences(conn, sentence_rows)
        self._many(conn, self._INSERT_SIGNALS, [self._signal_row(i, encoder) for i in new])
        return outcomes

    def _insert_one(self, conn: Any, item: AnalysedArticle, encoder: str, now: Any) -> AddOutcome:
        art = item.article
        cur = self._x(conn, self._insert_article_sql, self._article_row(art, now))
        if cur.rowcount == 0:
            return "duplicate"
        if item.sentences:
            self._insert_sentences(conn, [(art.id, s.index, s.start, s.end) for s in item.sentences])
        self._x(conn, self._INSERT_SIGNALS, self._signal_row(item, encoder))
        return "new"

    def has_article(self, article_id: str) -> bool:
        with self._read() as conn:
            return self._x(conn, "SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    @staticmethod
    def _article(row: Sequence[Any]) -> Article:
        return Article(
            id=row[0],
            text=row[1],
            source=row[2],
            url=row[3],
            title=row[4],
            byline=row[5],
            published=codec.parse_raw_time(row[6]),
            language=row[7],
            external_id=row[8],
            origin=row[9],
        )

    def get_articles(self, article_ids: Sequence[str]) -> list[Article]:
        ids = list(dict.fromkeys(article_ids))
        found: dict[str, Article] = {}
        with self._read() as conn:
            for i in range(0, len(ids), _IN_CHUNK):
                part = ids[i : i + _IN_CHUNK]
                sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN ({', '.join('?' * len(part))})"
                for row in self._x(conn, sql, part).fetchall():
                    found[row[0]] = self._article(row)
        return [found[a] for a in article_ids if a in found]

    def get_article(self, ref: str) -> Article:
        ref = ref.strip()
        select = f"SELECT {_ARTICLE_COLUMNS} FROM articles"
        with self._read() as conn:
            row = self._x(conn, f"{select} WHERE id = ?", (ref,)).fetchone()
            if row:
                return self._article(row)
            rows = self._x(conn, f"{select} WHERE external_id = ? ORDER BY seq LIMIT 6", (ref,)).fetchall()
            if len(rows) == 1:
                return self._article(rows[0])
            if rows:
                raise AmbiguousReference(self._ambiguous(ref, "external id", rows))
            if len(ref) >= MIN_PREFIX:
                # A range scan on the primary key: every id starting with ref sorts in [ref, ref + max char).
                rows = self._x(
                    conn,
                    f"{select} WHERE id >= ? AND id < ? ORDER BY id LIMIT 6",
                    (ref, ref + "\U0010ffff"),
                ).fetchall()
                rows = [r for r in rows if r[0].startswith(ref)]
                if len(rows) == 1:
                    return self._article(rows[0])
                if rows:
                    raise AmbiguousReference(self._ambiguous(ref, "id prefix", rows))
        hint = f"run `corroborator stories --db {self.location}` to list ids"
        if len(ref) < MIN_PREFIX:
            hint = f"an id prefix needs at least {MIN_PREFIX} characters; {hint}"
        raise NotFound(f"no article {ref!r} in {self.location}; {hint}")

    def _ambiguous(self, ref: str, what: str, rows: Sequence[Sequence[Any]]) -> str:
        names = ", ".join(f"{r[0]} ({r[2] or r[8] or 'no source'})" for r in rows[:5])
        more = ", ..." if len(rows) > 5 else ""
        return f"{what} {ref!r} matches several articles: {names}{more}; give the full id"

    def _article_where(
        self, since: datetime | None, until: datetime | None, source: str | None, query: str | None
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if since is not None:
            clauses.append("published >= ?")
            params.append(self._time(since))
        if until is not None:
            clauses.append("published <= ?")
            params.append(self._time(until))
        if source is not None:
            clauses.append("source = ?")
            params.append(source)
        for word in (query or "").split():
            clauses.append("(lower(title) LIKE ? ESCAPE '\\' OR lower(text) LIKE ? ESCAPE '\\')")
            params += [_like_word(word)] * 2
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def articles(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        source: str | None = None,
        query: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        where, params = self._article_where(since, until, source, query)
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles{where} ORDER BY published NULLS LAST, id LIMIT ? OFFSET ?"
        with self._read() as conn:
            rows = self._x(conn, sql, [*params, _NO_LIMIT if limit is None else limit, offset]).fetchall()
        return [self._article(r) for r in rows]

    def count_articles(self) -> int:
        with self._read() as conn:
            return int(self._x(conn, "SELECT COUNT(*) FROM articles").fetchone()[0])

    def iter_articles(self, batch_size: int = 500) -> Iterator[Article]:
        last = 0
        while True:
            with self._read() as conn:
                rows = self._x(
                    conn,
                    f"SELECT {_ARTICLE_COLUMNS}, seq FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                    (last, batch_size),
                ).fetchall()
            if not rows:
                return
            for row in rows:
                yield self._article(row)
            last = rows[-1][-1]

    def sentences(self, article_id: str) -> list[Sentence]:
        with self._read() as conn:
            row = self._x(conn, "SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                return []
            spans = self._x(
                conn,
                "SELECT idx, start_char, end_char FROM sentences WHERE article_id = ? ORDER BY idx",
                (article_id,),
            ).fetchall()
        text = row[0]
        return [Sentence(article_id, i, s, e, text[s:e]) for i, s, e in spans]

    def _signal(self, article_id: str, column: str) -> Any:
        with self._read() as conn:
            row = self._x(
                conn, f"SELECT {column}, encoder FROM article_signals WHERE article_id = ?", (article_id,)
            ).fetchone()
        return row

    def article_vector(self, article_id: str, encoder: str | None = None) -> np.ndarray | None:
        row = self._signal(article_id, "vector")
        if row is None or (encoder is not None and row[1] != encoder):
            return None
        return codec.vector_from(row[0])

    def article_vectors(self, article_ids: Sequence[str], encoder: str | None = None) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        with self._read() as conn:
            for i in range(0, len(article_ids), _IN_CHUNK):
                chunk = list(article_ids[i : i + _IN_CHUNK])
                marks = ", ".join("?" * len(chunk))
                rows = self._x(
                    conn,
                    f"SELECT article_id, vector, encoder FROM article_signals WHERE article_id IN ({marks})",
                    chunk,
                ).fetchall()
                for aid, blob, enc in rows:
                    if blob is not None and (encoder is None or enc == encoder):
                        vec = codec.vector_from(blob)
                        if vec is not None:
                            out[aid] = vec
        return out

    def vectors_after(
        self, seq: int, encoder: str | None = None, limit: int = 5000
    ) -> list[tuple[int, str, np.ndarray | None]]:
        with self._read() as conn:
            rows = self._x(
                conn,
                "SELECT a.seq, a.id, s.vector, s.encoder FROM articles a"
                " LEFT JOIN article_signals s ON s.article_id = a.id WHERE a.seq > ? ORDER BY a.seq LIMIT ?",
                (seq, limit),
            ).fetchall()
        out: list[tuple[int, str, np.ndarray | None]] = []
        for n, aid, blob, enc in rows:
            vec = codec.vector_from(blob) if blob is not None and (encoder is None or enc == encoder) else None
            out.append((int(n), aid, vec))
        return out

    def article_minhash(self, article_id: str) -> np.ndarray | None:
        row = self._signal(article_id, "minhash")
        return None if row is None else codec.minhash_from(row[0])

    def lead_entities(self, article_id: str) -> tuple[str, ...]:
        row = self._signal(article_id, "lead_entities")
        return () if row is None else codec.names_from(row[0])

    # -- caches ------------------------------------------------------------------------------------
    def _require_article(self, conn: Any, article_id: str) -> None:
        if self._x(conn, "SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is None:
            raise NotFound(
                f"no article {article_id!r} in {self.location}; "
                f"run `corroborator stories --db {self.location}` to list ids"
            )

    def facts(self, article_id: str, analyser: str) -> list[Fact] | None:
        with self._read() as conn:
            row = self._x(
                conn, "SELECT data FROM facts WHERE article_id = ? AND analyser = ?", (article_id, analyser)
            ).fetchone()
        return None if row is None else codec.facts_from(row[0])

    def put_facts(self, article_id: str, analyser: str, facts: Sequence[Fact]) -> None:
        data = codec.facts_json(facts)
        with self._write() as conn:
            self._require_article(conn, article_id)
            self._x(
                conn,
                "INSERT INTO facts (article_id, analyser, data) VALUES (?, ?, ?) "
                "ON CONFLICT (article_id, analyser) DO UPDATE SET data = excluded.data",
                (article_id, analyser, data),
            )

    def sentence_vectors(self, article_id: str, encoder: str) -> np.ndarray | None:
        with self._read() as conn:
            row = self._x(
                conn,
                "SELECT dim, data FROM sentence_vectors WHERE article_id = ? AND encoder = ?",
                (article_id, encoder),
            ).fetchone()
        return None if row is None else codec.matrix_from(row[1], row[0])

    def put_sentence_vectors(self, article_id: str, encoder: str, vectors: np.ndarray) -> None:
        matrix = np.asarray(vectors, dtype=np.float32)
        if matrix.ndim != 2:
            raise StoreError(f"sentence vectors for {article_id} must be a 2-d array, got shape {matrix.shape}")
        with self._write() as conn:
            self._require_article(conn, article_id)
            self._x(
                conn,
                "INSERT INTO sentence_vectors (article_id, encoder, dim, data) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (article_id, encoder) DO UPDATE SET dim = excluded.dim, data = excluded.data",
                (article_id, encoder, int(matrix.shape[1]), codec.vector_bytes(matrix)),
            )

    def get_blob(self, name: str) -> bytes | None:
        with self._read() as conn:
            row = self._x(conn, "SELECT data FROM blobs WHERE name = ?", (name,)).fetchone()
        return None if row is None else bytes(row[0])

    def put_blob(self, name: str, data: bytes | BinaryIO) -> None:
        payload: bytes | None
        stream: BinaryIO | None = None
        if isinstance(data, (bytes, bytearray, memoryview)):
            payload, size = bytes(data), len(data)
        else:
            size = data.seek(0, 2)
            data.seek(0)
            # SQLite writes a blob in place through incremental I/O; the other backends take it whole.
            payload, stream = (None, data) if self.dialect == "sqlite" else (data.read(), None)
        value = "?" if payload is not None else "zeroblob(?)"
        with self._write() as conn:
            self._x(
                conn,
                f"INSERT INTO blobs (name, data, updated_at) VALUES (?, {value}, ?) "
                "ON CONFLICT (name) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                (name, payload if payload is not None else size, self._now()),
            )
            if stream is not None:
                rowid = self._x(conn, "SELECT rowid FROM blobs WHERE name = ?", (name,)).fetchone()[0]
                with conn.blobopen("blobs", "data", rowid) as blob:
                    while chunk := stream.read(_BLOB_CHUNK):
                        blob.write(chunk)

    # -- ingest bookkeeping ------------------------------------------------------------------------
    def record_failure(self, origin: str, message: str) -> None:
        with self._write() as conn:
            self._x(
                conn,
                "INSERT INTO failures (origin, message, at) VALUES (?, ?, ?)",
                (_writable(origin), _writable(message), self._now()),
            )

    def failures(self, limit: int = 100) -> list[tuple[str, str, datetime]]:
        with self._read() as conn:
            rows = self._x(
                conn, "SELECT origin, message, at FROM failures ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [(o, m, codec.parse_time_key(at) or datetime.min) for o, m, at in rows]

    # -- jobs --------------------------------------------------------------------------------------
    def put_job(
        self, job_id: str, kind: str, state: str, data: str, files: Sequence[tuple[str, bytes]] | None = None
    ) -> None:
        with self._write() as conn:
            now = self._now()
            self._x(
                conn,
                "INSERT INTO jobs (id, kind, state, created_at, updated_at, data) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at,"
                " data = excluded.data",
                (job_id, kind, state, now, now, data),
            )
            if files is not None:
                self._x(conn, "DELETE FROM job_files WHERE job_id = ?", (job_id,))
                self._many(
                    conn,
                    "INSERT INTO job_files (job_id, idx, name, data) VALUES (?, ?, ?, ?)",
                    [(job_id, i, name, bytes(blob)) for i, (name, blob) in enumerate(files)],
                )

    def job(self, job_id: str) -> tuple[str, str, str, datetime, datetime] | None:
        with self._read() as conn:
            row = self._x(
                conn, "SELECT kind, state, data, created_at, updated_at FROM jobs WHERE id = ?", (job_id,)
            ).fetchone()
        if row is None:
            return None
        kind, state, data, created, updated = row
        return kind, state, data, _at(created), _at(updated)

    def jobs(self, states: Sequence[str] | None = None, limit: int = 100) -> list[str]:
        where, params = "", []
        if states:
            where = f" WHERE state IN ({', '.join('?' * len(states))})"
            params = list(states)
        with self._read() as conn:
            rows = self._x(
                conn, f"SELECT id FROM jobs{where} ORDER BY created_at DESC, id LIMIT ?", [*params, limit]
            ).fetchall()
        return [r[0] for r in rows]

    def job_files(self, job_id: str) -> list[tuple[str, bytes]]:
        with self._read() as conn:
            rows = self._x(conn, "SELECT name, data FROM job_files WHERE job_id = ? ORDER BY idx", (job_id,)).fetchall()
        return [(name, bytes(data)) for name, data in rows]

    # -- stories -----------------------------------------------------------------------------------
    def _story_id(self, conn: Any, article_id: str) -> str:
        n = 0
        while True:
            seed = article_id if n == 0 else f"{article_id}#{n}"
            sid = "s" + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:10]
            if self._x(conn, "SELECT 1 FROM stories WHERE id = ?", (sid,)).fetchone() is None:
                return sid
            n += 1

    def _current_story(self, conn: Any, article_id: str) -> str | None:
        row = self._x(conn, "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
        return None if row is None else str(row[0])

    def _place(self, conn: Any, article_id: str, story_id: str, score: float) -> None:
        self._x(
            conn,
            "INSERT INTO story_articles (article_id, story_id, score) VALUES (?, ?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, score = excluded.score",
            (article_id, story_id, float(score)),
        )

    def _refresh(self, conn: Any, story_id: str) -> None:
        """Recompute a story's size and publication span; a story left empty is removed."""
        self._x(
            conn,
            "UPDATE stories SET"
            " size = (SELECT COUNT(*) FROM story_articles WHERE story_id = ?),"
            " first_published = (SELECT MIN(a.published) FROM story_articles sa"
            "   JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ?),"
            " last_published = (SELECT MAX(a.published) FROM story_articles sa"
            "   JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ?)"
            " WHERE id = ?",
            (story_id, story_id, story_id, story_id),
        )
        self._x(conn, "DELETE FROM stories WHERE id = ? AND size = 0", (story_id,))

    def new_story(self, title: str, article_id: str, score: float = 1.0) -> str:
        with self._write() as conn:
            self._require_article(conn, article_id)
            old = self._current_story(conn, article_id)
            sid = self._story_id(conn, article_id)
            self._x(
                conn,
                "INSERT INTO stories (id, title, created_at, size) VALUES (?, ?, ?, 0)",
                (sid, title, self._now()),
            )
            self._place(conn, article_id, sid, score)
            self._refresh(conn, sid)
            if old is not None:
                self._refresh(conn, old)
        return sid

    def assign(self, article_id: str, story_id: str, score: float) -> None:
        with self._write() as conn:
            self._require_article(conn, article_id)
            if self._x(conn, "SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is None:
                raise NotFound(self._no_story(story_id))
            old = self._current_story(conn, article_id)
            self._place(conn, article_id, story_id, score)
            self._refresh(conn, story_id)
            if old is not None and old != story_id:
                self._refresh(conn, old)

    def set_story_title(self, story_id: str, title: str) -> None:
        with self._write() as conn:
            cur = self._x(conn, "UPDATE stories SET title = ? WHERE id = ?", (title, story_id))
            if cur.rowcount == 0:
                raise NotFound(self._no_story(story_id))

    def story_of(self, article_id: str) -> str | None:
        with self._read() as conn:
            return self._current_story(conn, article_id)

    def _no_story(self, story_id: str) -> str:
        return f"no story {story_id!r} in {self.location}; run `corroborator stories --db {self.location}` to list ids"

    def _stories_from(self, conn: Any, rows: Sequence[Sequence[Any]]) -> list[Story]:
        members: dict[str, list[str]] = {str(r[0]): [] for r in rows}
        ids = list(members)
        for i in range(0, len(ids), _IN_CHUNK):
            chunk = ids[i : i + _IN_CHUNK]
            marks = ", ".join("?" * len(chunk))
            for sid, aid in self._x(
                conn,
                "SELECT sa.story_id, sa.article_id FROM story_articles sa"
                " JOIN articles a ON a.id = sa.article_id"
                f" WHERE sa.story_id IN ({marks}) ORDER BY a.published NULLS LAST, a.seq",
                chunk,
            ).fetchall():
                members[sid].append(aid)
        return [
            Story(
                id=str(r[0]),
                title=r[1],
                article_ids=tuple(members[str(r[0])]),
                first_published=codec.parse_time_key(r[2]),
                last_published=codec.parse_time_key(r[3]),
            )
            for r in rows
        ]

    def story(self, story_id: str) -> Story:
        with self._read() as conn:
            row = self._x(
                conn,
                "SELECT id, title, first_published, last_published FROM stories WHERE id = ?",
                (story_id,),
            ).fetchone()
            if row is None:
                raise NotFound(self._no_story(story_id))
            return self._stories_from(conn, [row])[0]

    def _story_where(self, flt: StoryFilter) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        in_story = "SELECT 1 FROM story_articles sa JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = s.id"
        if flt.since is not None:
            clauses.append("s.last_published >= ?")
            params.append(self._time(flt.since))
        if flt.until is not None:
            clauses.append("s.first_published <= ?")
            params.append(self._time(flt.until))
        if flt.source is not None:
            clauses.append(f"EXISTS ({in_story} AND a.source = ?)")
            params.append(flt.source)
        if flt.language is not None:
            clauses.append(f"EXISTS ({in_story} AND a.language = ?)")
            params.append(flt.language)
        for word in (flt.query or "").split():
            clauses.append(
                f"(lower(s.title) LIKE ? ESCAPE '\\' OR EXISTS ({in_story} AND lower(a.title) LIKE ? ESCAPE '\\'))"
            )
            params += [_like_word(word)] * 2
        if flt.min_size is not None:
            clauses.append("s.size >= ?")
            params.append(flt.min_size)
        if flt.disputed_only:
            clauses.append(
                "EXISTS (SELECT 1 FROM story_flags f WHERE f.story_id = s.id AND f.name = 'disputed' AND f.value = '1')"
            )
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def stories(self, flt: StoryFilter | None = None) -> list[Story]:
        flt = flt or StoryFilter()
        where, params = self._story_where(flt)
        sql = (
            f"SELECT s.id, s.title, s.first_published, s.last_published FROM stories s{where}"
            " ORDER BY s.last_published DESC NULLS LAST, s.created_at DESC, s.id LIMIT ? OFFSET ?"
        )
        with self._read() as conn:
            rows = self._x(conn, sql, [*params, _NO_LIMIT if flt.limit is None else flt.limit, flt.offset]).fetchall()
            return self._stories_from(conn, rows)

    def count_stories(self, flt: StoryFilter | None = None) -> int:
        where, params = self._story_where(flt or StoryFilter())
        with self._read() as conn:
            return int(self._x(conn, f"SELECT COUNT(*) FROM stories s{where}", params).fetchone()[0])

    def clear_stories(self) -> None:
        with self._write() as conn:
            for table in ("duplicate_links", "story_flags", "story_events", "story_articles", "stories"):
                self._x(conn, f"DELETE FROM {table}")

    def link_duplicate(self, link: DuplicateLink) -> None:
        with self._write() as conn:
            self._require_article(conn, link.article_id)
            self._require_article(conn, link.original_id)
            self._x(
                conn,
                "INSERT INTO duplicate_links (article_id, original_id, kind, similarity) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (article_id, original_id) DO UPDATE SET kind = excluded.kind,"
                " similarity = excluded.similarity",
                (link.article_id, link.original_id, link.kind, float(link.similarity)),
            )

    def duplicate_links_from(self, article_ids: Sequence[str]) -> list[DuplicateLink]:
        ids = list(dict.fromkeys(article_ids))
        out: list[DuplicateLink] = []
        with self._read() as conn:
            for i in range(0, len(ids), _IN_CHUNK):
                part = ids[i : i + _IN_CHUNK]
                rows = self._x(
                    conn,
                    "SELECT article_id, original_id, kind, similarity FROM duplicate_links "
                    f"WHERE article_id IN ({', '.join('?' * len(part))}) ORDER BY article_id, original_id",
                    part,
                ).fetchall()
                out.extend(DuplicateLink(a, o, k, float(s)) for a, o, k, s in rows)
        return out

    def duplicate_links(self, article_id: str | None = None) -> list[DuplicateLink]:
        sql = "SELECT article_id, original_id, kind, similarity FROM duplicate_links"
        params: tuple[Any, ...] = ()
        if article_id is not None:
            sql += " WHERE article_id = ? OR original_id = ?"
            params = (article_id, article_id)
        with self._read() as conn:
            rows = self._x(conn, sql + " ORDER BY article_id, original_id", params).fetchall()
        return [DuplicateLink(a, o, k, float(s)) for a, o, k, s in rows]

    def set_story_flag(self, story_id: str, name: str, value: str) -> None:
        with self._write() as conn:
            if self._x(conn, "SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is None:
                raise NotFound(self._no_story(story_id))
            self._x(
                conn,
                "INSERT INTO story_flags (story_id, name, value) VALUES (?, ?, ?) "
                "ON CONFLICT (story_id, name) DO UPDATE SET value = excluded.value",
                (story_id, name, value),
            )

    def story_flags(self, story_id: str) -> dict[str, str]:
        with self._read() as conn:
            rows = self._x(
                conn, "SELECT name, value FROM story_flags WHERE story_id = ? ORDER BY name", (story_id,)
            ).fetchall()
        return {n: v for n, v in rows}

    def story_flags_of(self, story_ids: Sequence[str]) -> dict[str, dict[str, str]]:
        ids = list(dict.fromkeys(story_ids))
        out: dict[str, dict[str, str]] = {sid: {} for sid in ids}
        with self._read() as conn:
            for i in range(0, len(ids), _IN_CHUNK):
                part = ids[i : i + _IN_CHUNK]
                rows = self._x(
                    conn,
                    f"SELECT story_id, name, value FROM story_flags WHERE story_id IN ({', '.join('?' * len(part))})"
                    " ORDER BY story_id, name",
                    part,
                ).fetchall()
                for sid, name, value in rows:
                    out[sid][name] = value
        return out

    def add_story_event(self, event: StoryEvent) -> None:
        at = self._now() if event.at is None else self._time(event.at)
        with self._write() as conn:
            self._x(
                conn,
                "INSERT INTO story_events (at, kind, story_id, other_id, article_id, articles)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (at, event.kind, event.story_id, event.other_id, event.article_id, int(event.articles)),
            )

    def story_events(self, story_id: str | None = None, limit: int = 100) -> list[StoryEvent]:
        sql = "SELECT kind, story_id, other_id, article_id, articles, at FROM story_events"
        params: tuple[Any, ...] = ()
        if story_id is not None:
            sql += " WHERE story_id = ? OR other_id = ?"
            params = (story_id, story_id)
        with self._read() as conn:
            rows = self._x(conn, sql + " ORDER BY id LIMIT ?", (*params, limit)).fetchall()
        return [StoryEvent(k, s, o, a, int(n), _at(at)) for k, s, o, a, n, at in rows]

    def story_events_of(self, story_ids: Sequence[str], limit: int = 100) -> dict[str, list[StoryEvent]]:
        ids = list(dict.fromkeys(story_ids))
        rows: dict[int, Sequence[Any]] = {}  # by event id: an event naming stories in two chunks comes twice
        with self._read() as conn:
            step = _IN_CHUNK // 2  # the ids are bound twice
            for i in range(0, len(ids), step):
                part = ids[i : i + step]
                marks = ", ".join("?" * len(part))
                for row in self._x(
                    conn,
                    "SELECT id, kind, story_id, other_id, article_id, articles, at FROM story_events"
                    f" WHERE story_id IN ({marks}) OR other_id IN ({marks})",
                    [*part, *part],
                ).fetchall():
                    rows[int(row[0])] = row
        out: dict[str, list[StoryEvent]] = {sid: [] for sid in ids}
        for _, k, s, o, a, n, at in (rows[i] for i in sorted(rows)):
            event = StoryEvent(k, s, o, a, int(n), _at(at))
            for sid in dict.fromkeys((s, o)):  # each story named keeps its first ``limit``, oldest first
                if sid in out and len(out[sid]) < limit:
                    out[sid].append(event)
        return out


def _at(value: Any) -> datetime:
    return codec.parse_time_key(value) or datetime.min
