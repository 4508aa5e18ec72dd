"""The ``article_versions`` table: later versions of a stored article, each written in one transaction.

The article row is version 0 and stays the story member; a changed body read at the same identity (the
canonical URL, else outlet + external id: :mod:`corroborator.identity`) is one row here.
Writing a version is a single INSERT in its own transaction, so a process killed mid-write leaves either
the whole version or nothing, and the next ingest of the same input writes it then (its id is not
stored, so it is read again).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from corroborator.identity import canonical_url, identity_keys
from corroborator.model import Article
from corroborator.store import codec
from corroborator.store.dialect import chunks, marks, read_time
from corroborator.store.sqlbase import SqlBase
from corroborator.versioning import ArticleVersion

VersionOutcome = Literal["version", "duplicate"]

_VERSION_COLUMNS = "idx, version_id, text, title, byline, url, published_raw, at, seen_at, origin"


class VersionTables(SqlBase):
    def version_of(self, article: Article) -> str | None:
        """The id of the stored article that ``article`` is a version of (the same canonical URL, else
        the same outlet and external id), or None; the oldest such article when several are stored (a
        database from before versions held re-fetches as articles of their own)."""
        url, ext = identity_keys(article)
        with self._read() as conn:
            if url is not None:
                raw = (article.url or "").strip()
                row = self._x(
                    conn, "SELECT id FROM articles WHERE url IN (?, ?, ?) ORDER BY seq LIMIT 1", (raw, url, url + "/")
                ).fetchone()
                if row is None:
                    row = self._x(
                        conn, "SELECT article_id FROM article_versions WHERE url_key = ? LIMIT 1", (url,)
                    ).fetchone()
                return None if row is None else str(row[0])
            if ext is not None:
                source, external_id = ext
                # Two statements, not "source = ? OR (? IS NULL)": PostgreSQL cannot type a bare NULL parameter.
                where = "source IS NULL" if source is None else "source = ?"
                params = (external_id,) if source is None else (external_id, source)
                row = self._x(
                    conn, f"SELECT id FROM articles WHERE external_id = ? AND {where} ORDER BY seq LIMIT 1", params
                ).fetchone()
                return None if row is None else str(row[0])
        return None

    def add_version(
        self, article_id: str, article: Article, *, seen: datetime | None = None, at: datetime | None = None
    ) -> VersionOutcome:
        """Record ``article`` as the next version of stored article ``article_id``; "duplicate" (nothing
        written) when its text is one the article already had. Its time is ``at`` when given (a version
        read back from a batch's tables keeps the time the batch gave it), else the version's publication
        time when that is later than the previous version's (a feed's updated time, a page's modified
        date), else ``seen`` (the ingest time, now by default)."""
        seen = seen or datetime.now(UTC)
        with self._write() as conn:
            if (
                article.id == article_id
                or self._x(
                    conn,
                    "SELECT 1 FROM article_versions WHERE article_id = ? AND version_id = ?",
                    (article_id, article.id),
                ).fetchone()
            ):
                return "duplicate"
            base = self._x(
                conn, "SELECT published_raw, ingested_at FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            if base is None:
                raise self._fail(LookupError(f"no article {article_id} to add a version to"))
            last = self._x(
                conn,
                "SELECT idx, at FROM article_versions WHERE article_id = ? ORDER BY idx DESC LIMIT 1",
                (article_id,),
            ).fetchone()
            idx = 1 if last is None else int(last[0]) + 1
            previous = read_time(last[1]) if last is not None else (codec.parse_raw_time(base[0]) or read_time(base[1]))
            if at is None:
                later = article.published and codec.utc(article.published) > codec.utc(previous)
                at = article.published if later and article.published else seen
            url, _ = identity_keys(article)
            self._x(
                conn,
                "INSERT INTO article_versions (article_id, idx, version_id, url_key, text, title, byline, url,"
                " published, published_raw, at, seen_at, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, idx, article.id, url, article.text, article.title, article.byline, article.url,
                 None if article.published is None else self._time(article.published),
                 None if article.published is None else article.published.isoformat(),
                 self._time(at), self._time(seen), article.origin),
            )  # fmt: skip
        return "version"

    def has_version(self, version_id: str) -> bool:
        """Whether some article has a later version with this content hash."""
        with self._read() as conn:
            return (
                self._x(conn, "SELECT 1 FROM article_versions WHERE version_id = ?", (version_id,)).fetchone()
                is not None
            )

    def versions(self, article_id: str) -> list[ArticleVersion]:
        """Every version of a stored article, oldest first: the article itself (version 0, at its
        publication time, else when it was stored), then each later one. Empty for an unknown id."""
        base = self.get_articles([article_id])
        if not base:
            return []
        first = base[0]
        with self._read() as conn:
            stored = self._x(conn, "SELECT ingested_at FROM articles WHERE id = ?", (article_id,)).fetchone()
            rows = self._x(
                conn,
                f"SELECT {_VERSION_COLUMNS} FROM article_versions WHERE article_id = ? ORDER BY idx",
                (article_id,),
            ).fetchall()
        out = [ArticleVersion(first, 0, first.published or read_time(stored[0]))]
        out += [ArticleVersion(self._version_article(first, r), int(r[0]), read_time(r[7])) for r in rows]
        return out

    @staticmethod
    def _version_article(first: Article, row: Sequence[Any]) -> Article:
        return Article(
            id=row[1], text=row[2], source=first.source, url=row[5] or first.url, title=row[3], byline=row[4],
            published=codec.parse_raw_time(row[6]) or first.published, language=first.language,
            external_id=first.external_id, origin=row[9],
        )  # fmt: skip

    def version_counts(self, article_ids: Sequence[str]) -> dict[str, int]:
        """How many versions each of these articles has (1 for one never changed)."""
        out = dict.fromkeys(article_ids, 1)
        if not article_ids:
            return out
        with self._read() as conn:
            for part in chunks(list(dict.fromkeys(article_ids))):
                where = f"article_id IN ({marks(part)})"
                sql = f"SELECT article_id, COUNT(*) FROM article_versions WHERE {where} GROUP BY article_id"
                for aid, n in self._x(conn, sql, part).fetchall():
                    out[aid] = int(n) + 1
        return out

    def article_of_version(self, version_id: str) -> str | None:
        """The id of the article that has a later version with this content hash, or None."""
        with self._read() as conn:
            row = self._x(conn, "SELECT article_id FROM article_versions WHERE version_id = ? LIMIT 1", (version_id,))
            found = row.fetchone()
        return None if found is None else str(found[0])

    def article_by_url(self, url: str) -> Article | None:
        """The stored article at this URL (or its canonical form), or None."""
        found = self.version_of(Article(id="", text="", url=url))
        return None if found is None else self.get_articles([found])[0]


__all__ = ["VersionOutcome", "VersionTables", "canonical_url"]  # canonical_url: what ``url_key`` holds
