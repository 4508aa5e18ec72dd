"""The ``article_signals`` table: each article's vector, MinHash signature and lead entities."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from corroborator.store import codec
from corroborator.store.dialect import chunks, marks
from corroborator.store.sqlbase import SqlBase


class SignalTables(SqlBase):
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
            for chunk in chunks(article_ids):
                rows = self._x(
                    conn,
                    f"SELECT article_id, vector, encoder FROM article_signals WHERE article_id IN ({marks(chunk)})",
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
