"""Writing and reading the batch tables as Parquet folders (``OUT/<table>/part-*.parquet``).

Spark writes a folder of part files per table; the local engine writes one part file in the same
layout with pyarrow, so ``load`` and tests read both the same way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from corroborator.errors import CorroboratorError
from corroborator.scale.schema import TABLES, arrow_schema, columns

Row = dict[str, Any]


def story_id_for(first_article_id: str) -> str:
    """The id the store gives a story opened by this article (store/tables/stories.py), so ids survive ``load``."""
    return "s" + hashlib.sha256(first_article_id.encode("utf-8")).hexdigest()[:10]


def need_pyarrow() -> Any:
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet as pq
    except ImportError:
        raise CorroboratorError(
            "reading and writing Parquet needs pyarrow: pip install 'corroborator[spark]'"
        ) from None
    return pq


def write_table(out: Path, table: str, rows: Iterable[Row]) -> int:
    pq = need_pyarrow()
    import pyarrow as pa

    rows = list(rows)
    names = columns(table)
    data = {name: [r.get(name) for r in rows] for name in names}
    folder = out / table
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("part-*.parquet"):
        old.unlink()
    pq.write_table(pa.Table.from_pydict(data, schema=arrow_schema(table)), folder / "part-00000.parquet")
    return len(rows)


def read_table(out: Path, table: str) -> list[Row]:
    """Every row of a table folder (Spark's or the local engine's), as dicts."""
    pq = need_pyarrow()
    folder = Path(out) / table
    if table not in TABLES:
        raise CorroboratorError(f"unknown batch table {table!r}; tables are {', '.join(TABLES)}")
    parts = sorted(folder.glob("*.parquet"))
    if folder.is_dir() and not parts and (folder / "_SUCCESS").exists():
        return []  # Spark wrote an empty table
    if not folder.is_dir() or not parts:
        raise CorroboratorError(f"{folder}: no Parquet files; is {out} the --out folder of `corroborator batch`?")
    rows: list[Row] = []
    wanted = columns(table)
    for part in parts:
        try:
            data = pq.read_table(part)
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError, a damaged file an OSError
            problem = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CorroboratorError(f"{part}: not a readable Parquet file ({problem})") from None
        missing = [name for name in wanted if name not in data.column_names]
        if missing:
            raise CorroboratorError(
                f"{part}: the {table} table has no column {', '.join(missing)}; was it written by `corroborator batch`?"
            )
        rows.extend(data.select(wanted).to_pylist())
    return rows


def has_table(out: Path, table: str) -> bool:
    """Whether ``out`` holds the table's folder (a batch written before a table existed has none)."""
    return (Path(out) / table).is_dir()
