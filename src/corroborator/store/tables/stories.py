"""The ``stories`` tables: membership (``story_articles``), per-story ``story_flags`` and ``story_events``."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from corroborator.errors import NotFound
from corroborator.model import Story
from corroborator.store import codec
from corroborator.store.base import StoryEvent, StoryFilter
from corroborator.store.dialect import IN_CHUNK, NO_LIMIT, chunks, like_word, marks, read_time
from corroborator.store.sqlbase import SqlBase


class StoryTables(SqlBase):
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
        for chunk in chunks(ids):
            for sid, aid in self._x(
                conn,
                "SELECT sa.story_id, sa.article_id FROM story_articles sa"
                " JOIN articles a ON a.id = sa.article_id"
                f" WHERE sa.story_id IN ({marks(chunk)}) ORDER BY a.published NULLS LAST, a.seq",
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
            params += [like_word(word)] * 2
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
            rows = self._x(conn, sql, [*params, NO_LIMIT if flt.limit is None else flt.limit, flt.offset]).fetchall()
            return self._stories_from(conn, rows)

    def count_stories(self, flt: StoryFilter | None = None) -> int:
        where, params = self._story_where(flt or StoryFilter())
        with self._read() as conn:
            return int(self._x(conn, f"SELECT COUNT(*) FROM stories s{where}", params).fetchone()[0])

    def clear_stories(self) -> None:
        with self._write() as conn:
            for table in ("duplicate_links", "story_flags", "story_events", "story_articles", "stories"):
                self._x(conn, f"DELETE FROM {table}")

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
            for part in chunks(ids):
                rows = self._x(
                    conn,
                    f"SELECT story_id, name, value FROM story_flags WHERE story_id IN ({marks(part)})"
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
        return [StoryEvent(k, s, o, a, int(n), read_time(at)) for k, s, o, a, n, at in rows]

    def story_events_of(self, story_ids: Sequence[str], limit: int = 100) -> dict[str, list[StoryEvent]]:
        ids = list(dict.fromkeys(story_ids))
        rows: dict[int, Sequence[Any]] = {}  # by event id: an event naming stories in two chunks comes twice
        with self._read() as conn:
            for part in chunks(ids, IN_CHUNK // 2):  # the ids are bound twice
                for row in self._x(
                    conn,
                    "SELECT id, kind, story_id, other_id, article_id, articles, at FROM story_events"
                    f" WHERE story_id IN ({marks(part)}) OR other_id IN ({marks(part)})",
                    [*part, *part],
                ).fetchall():
                    rows[int(row[0])] = row
        out: dict[str, list[StoryEvent]] = {sid: [] for sid in ids}
        for _, k, s, o, a, n, at in (rows[i] for i in sorted(rows)):
            event = StoryEvent(k, s, o, a, int(n), read_time(at))
            for sid in dict.fromkeys((s, o)):  # each story named keeps its first ``limit``, oldest first
                if sid in out and len(out[sid]) < limit:
                    out[sid].append(event)
        return out
