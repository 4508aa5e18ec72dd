"""The ``duplicate_links`` table: which article is an exact or near copy of which."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from corroborator.store.base import DuplicateLink
from corroborator.store.dialect import chunks, marks
from corroborator.store.sqlbase import SqlBase


class DuplicateTables(SqlBase):
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
            for part in chunks(ids):
                rows = self._x(
                    conn,
                    "SELECT article_id, original_id, kind, similarity FROM duplicate_links "
                    f"WHERE article_id IN ({marks(part)}) ORDER BY article_id, original_id",
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
