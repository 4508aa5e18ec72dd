"""Beyond one machine: the ingest and comparison stages over many files, on Apache Spark or locally.

    run_batch(inputs, out, settings, engine="spark"|"local", ...) -> BatchReport

Both engines read with ingest's readers, analyse with ``pipeline.analyse_many``, link near-copies and
decide stories with the story index, compare stories with ``compare_articles`` and write the same
Parquet tables (:mod:`corroborator.scale.schema`, docs/batch.md); :func:`corroborator.scale.load.load_batch`
brings them into a store. The Spark engine's distributed form is described in :mod:`corroborator.scale.spark`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corroborator.errors import CorroboratorError
from corroborator.scale.report import BatchReport
from corroborator.settings import Settings

ENGINES = ("spark", "local")

__all__ = ["ENGINES", "BatchReport", "run_batch"]


def run_batch(
    inputs: list[str],
    out: str | Path,
    settings: Settings | None = None,
    *,
    engine: str = "spark",
    master: str = "local[*]",
    compare: bool = True,
    compare_limit: int = 8,
    **spark_options: Any,
) -> BatchReport:
    settings = settings or Settings()
    if engine == "local":
        from corroborator.scale.local import run_local

        if "://" in str(out) or any("://" in str(p) for p in inputs):
            raise CorroboratorError("--engine local reads and writes local paths only; use --engine spark for URIs")
        return run_local(inputs, Path(out), settings, compare=compare, compare_limit=compare_limit)
    if engine == "spark":
        from corroborator.scale.spark import run_spark

        return run_spark(
            inputs, out, settings, master=master, compare=compare, compare_limit=compare_limit, **spark_options
        )
    raise CorroboratorError(f"unknown engine {engine!r}; choose {' or '.join(ENGINES)}")
