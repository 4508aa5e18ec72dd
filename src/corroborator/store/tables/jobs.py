"""Ingest bookkeeping: the ``failures`` log and the web app's ``jobs`` with their input ``job_files``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from corroborator.store.dialect import marks, read_time
from corroborator.store.sqlbase import SqlBase


class JobTables(SqlBase):
    def record_failure(self, origin: str, message: str) -> None:
        with self._write() as conn:
            self._insert_failure(conn, origin, message, self._now())

    def failures(self, limit: int = 100) -> list[tuple[str, str, datetime]]:
        with self._read() as conn:
            rows = self._x(
                conn, "SELECT origin, message, at FROM failures ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [(o, m, read_time(at)) for o, m, at in rows]

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
        return kind, state, data, read_time(created), read_time(updated)

    def jobs(self, states: Sequence[str] | None = None, limit: int = 100) -> list[str]:
        where, params = "", []
        if states:
            where = f" WHERE state IN ({marks(states)})"
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
