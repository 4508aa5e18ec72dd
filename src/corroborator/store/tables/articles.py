"""The ``articles`` and ``sentences`` tables: adding analysed articles atomically, reading them back."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from corroborator.errors import NotFound, StoreError
from corroborator.model import AnalysedArticle, Article, Sentence
from corroborator.store import codec
from corroborator.store.base import DEFAULT_ENCODER, AddOutcome, AmbiguousReference, ArticleFilter
from corroborator.store.dialect import NO_LIMIT, chunks, like_word, marks
from corroborator.store.sqlbase import SqlBase
from corroborator.store.tables.caches import UPSERT_FACTS

ARTICLE_COLUMNS = "id, text, source, url, title, byline, published_raw, language, external_id, origin"
INSERT_COLUMNS = (
    "id, external_id, source, url, title, byline, published, published_raw, language, text, origin, ingested_at"
)
# Not settings: SQL plumbing (SQLite and PostgreSQL parameter limits) and the shortest id prefix a
# reader may type, which must stay unambiguous across stores.
# The shortest id prefix a reader may type, which must stay unambiguous across stores (not a setting).
MIN_PREFIX = 6


class _Refused(Exception):
    """The bulk insert cannot be trusted for this batch; redo it article by article."""


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


class ArticleTables(SqlBase):
    _insert_article_sql: str = ""  # the backend's INSERT of one article row (how ``seq`` is assigned differs)

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
        self._insert_failure(conn, art.origin or art.external_id or art.id or "?", message, now)

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

    # Facts made at ingest go in with their article, in the same transaction: a reader never finds
    # an article stored and its facts missing (they would be made again on first read).
    @staticmethod
    def _facts_row(item: AnalysedArticle) -> tuple[Any, ...]:
        return (item.article.id, item.facts_analyser, codec.facts_json(item.facts or ()))

    def _insert_sentences(self, conn: Any, rows: list[tuple[str, int, int, int]]) -> None:
        self._many(conn, "INSERT INTO sentences (article_id, idx, start_char, end_char) VALUES (?, ?, ?, ?)", rows)

    def _insert_many(self, conn: Any, items: Sequence[AnalysedArticle], encoder: str, now: Any) -> list[AddOutcome]:
        """Insert a batch with one statement per table; raises _Refused or a driver error to fall back."""
        ids = list(dict.fromkeys(i.article.id for i in items))
        stored: set[str] = set()
        for chunk in chunks(ids):
            stored.update(r[0] for r in self._x(conn, f"SELECT id FROM articles WHERE id IN ({marks(chunk)})", chunk))
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
        facts = [self._facts_row(i) for i in new if i.facts is not None and i.facts_analyser]
        if facts:
            self._many(conn, UPSERT_FACTS, facts)
        return outcomes

    def _insert_one(self, conn: Any, item: AnalysedArticle, encoder: str, now: Any) -> AddOutcome:
        art = item.article
        cur = self._x(conn, self._insert_article_sql, self._article_row(art, now))
        if cur.rowcount == 0:
            return "duplicate"
        if item.sentences:
            self._insert_sentences(conn, [(art.id, s.index, s.start, s.end) for s in item.sentences])
        self._x(conn, self._INSERT_SIGNALS, self._signal_row(item, encoder))
        if item.facts is not None and item.facts_analyser:
            self._x(conn, UPSERT_FACTS, self._facts_row(item))
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
            for part in chunks(ids):
                sql = f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks(part)})"
                for row in self._x(conn, sql, part).fetchall():
                    found[row[0]] = self._article(row)
        return [found[a] for a in article_ids if a in found]

    def get_article(self, ref: str) -> Article:
        ref = ref.strip()
        select = f"SELECT {ARTICLE_COLUMNS} FROM articles"
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

    def _article_where(self, flt: ArticleFilter) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if flt.since is not None:
            clauses.append("published >= ?")
            params.append(self._time(flt.since))
        if flt.until is not None:
            clauses.append("published <= ?")
            params.append(self._time(flt.until))
        if flt.source is not None:
            clauses.append("source = ?")
            params.append(flt.source)
        for word in (flt.query or "").split():
            clauses.append("(lower(title) LIKE ? ESCAPE '\\' OR lower(text) LIKE ? ESCAPE '\\')")
            params += [like_word(word)] * 2
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _articles(self, flt: ArticleFilter) -> list[Article]:
        where, params = self._article_where(flt)
        sql = f"SELECT {ARTICLE_COLUMNS} FROM articles{where} ORDER BY published NULLS LAST, id LIMIT ? OFFSET ?"
        with self._read() as conn:
            limit = NO_LIMIT if flt.limit is None else flt.limit
            rows = self._x(conn, sql, [*params, limit, flt.offset]).fetchall()
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
                    f"SELECT {ARTICLE_COLUMNS}, seq FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
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
