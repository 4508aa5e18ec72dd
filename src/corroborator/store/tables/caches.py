"""Caches computed after ingest (``facts``, ``sentence_vectors``) and named ``blobs`` (persisted indexes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

import numpy as np

from corroborator.errors import StoreError
from corroborator.model import Fact
from corroborator.store import codec
from corroborator.store.dialect import BLOB_CHUNK
from corroborator.store.sqlbase import SqlBase

# The one statement that writes an article's facts: at ingest with the article (tables/articles.py), or
# later when a read or comparison made them.
UPSERT_FACTS = (
    "INSERT INTO facts (article_id, analyser, data) VALUES (?, ?, ?) "
    "ON CONFLICT (article_id, analyser) DO UPDATE SET data = excluded.data"
)


class CacheTables(SqlBase):
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
            self._x(conn, UPSERT_FACTS, (article_id, analyser, data))

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
                    while chunk := stream.read(BLOB_CHUNK):
                        blob.write(chunk)
