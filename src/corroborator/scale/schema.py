"""The Parquet tables ``corroborator batch`` writes: one schema, read by both engines and by ``load``.

Each table is a list of (column, type, meaning). Types are Spark SQL DDL types (``string``, ``bigint``,
``int``, ``double``, ``boolean``, ``array<...>``, ``struct<...>``); :func:`ddl` gives the DDL Spark takes and
:func:`arrow_schema` the same schema for pyarrow, so the local engine writes files Spark would write and
``load`` reads either. docs/batch.md is this table in prose (tests/test_batch_schema.py keeps them equal).
Times are ISO 8601 strings exactly as read (an offset is kept, a naive time stays naive), because Spark's
timestamps would shift them to the session's time zone.
"""

from __future__ import annotations

import re
from typing import Any

Column = tuple[str, str, str]

_SIDE = "struct<article:string,text:string,start:int,end:int,value:string>"

TABLES: dict[str, list[Column]] = {
    "articles": [
        ("id", "string", "content hash of the normalised text (the article's identity)"),
        ("seq", "bigint", "read order: input file number * 2^32 + record number (ties decide as ingest does)"),
        ("external_id", "string", "the input's own id (JSON id, feed entry id), or null"),
        ("source", "string", "outlet"),
        ("url", "string", "address"),
        ("title", "string", "headline"),
        ("byline", "string", "authors"),
        ("published", "string", "publication time, ISO 8601 as read, or null"),
        ("language", "string", "ISO 639-1 code"),
        ("text", "string", "the article text every span points into"),
        ("origin", "string", "where it was read: path, path#record-N, archive#offset"),
        ("sentence_starts", "array<int>", "sentence start offsets into text"),
        ("sentence_ends", "array<int>", "sentence end offsets into text"),
        ("vector", "array<float>", "title + lead embedding (encoder named in column encoder)"),
        ("encoder", "string", "versioned encoder name of vector"),
        ("minhash", "array<bigint>", "MinHash signature (minhash_perm values)"),
        ("lead_entities", "array<string>", "named entities of the title and lead"),
        ("story_id", "string", "the story the article belongs to"),
    ],
    "versions": [
        ("article_id", "string", "the article (a row of articles: version 0) this is a later version of"),
        ("version", "int", "1, 2, ... in read order"),
        ("version_id", "string", "content hash of this version's normalised text (its body hash)"),
        ("seq", "bigint", "read order, as in articles"),
        (
            "at",
            "string",
            "the version's time: its publication time when later than the previous version's, else seen_at",
        ),
        ("seen_at", "string", "when the batch started (ISO 8601, UTC)"),
        ("published", "string", "publication time as read, or null"),
        ("url", "string", "address as read"),
        ("title", "string", "headline of this version"),
        ("byline", "string", "authors"),
        ("text", "string", "this version's text"),
        ("origin", "string", "where it was read"),
        ("changed_claims", "int", "claims added, removed or changed since the version before (refactors not counted)"),
        ("fact_changes", "array<string>", 'typed facts that changed since the version before (number: "12" -> "15")'),
    ],
    "duplicates": [
        ("article_id", "string", "the copy (exact copies are not stored at all; these are near-copies)"),
        ("original_id", "string", "the first article of its copy chain"),
        ("kind", "string", "near"),
        ("similarity", "double", "estimated Jaccard of the two MinHash signatures"),
    ],
    "stories": [
        ("story_id", "string", "story id (the id the store gives it on load may differ)"),
        ("title", "string", "title of the story's first article"),
        ("article_ids", "array<string>", "members in read order"),
        ("size", "int", "number of members"),
        ("independent", "int", "members less near-copies of another member"),
        ("first_published", "string", "earliest member publication time (ISO 8601) or null"),
        ("last_published", "string", "latest member publication time (ISO 8601) or null"),
        ("compared", "boolean", "whether the story was compared (2+ independent sources)"),
    ],
    "claims": [
        ("story_id", "string", "story compared"),
        ("claim_id", "string", "<article>:<start>-<end>"),
        ("article_id", "string", "article the claim is in"),
        ("sentence", "int", "sentence index in the article"),
        ("start", "int", "start offset in the article text"),
        ("end", "int", "end offset in the article text"),
        ("text", "string", "claim text"),
        ("status", "string", "corroborated | single-source | disputed | contested"),
    ],
    "conflicts": [
        ("story_id", "string", "story compared"),
        ("kind", "string", "number | date | entity | attribution | polarity | quote"),
        ("explanation", "string", "one line saying what differs"),
        ("precision_only", "boolean", "one side is only less precise (reported, not a contradiction)"),
        ("claims", "array<string>", "claim ids of the sides"),
        ("sides", f"array<{_SIDE}>", "each side: article, text, span and normalised value"),
    ],
    "rewrites": [
        ("story_id", "string", "story compared"),
        ("a", "string", "article id"),
        ("b", "string", "article id"),
        ("direction", "string", "a->b | b->a | shared origin"),
        ("carried_share", "double", "share of b's claims aligned with a's"),
        ("order_kept", "double", "agreement of the aligned claims' order, 0..1"),
        ("verbatim_runs", "int", "runs of 8 or more identical words"),
        ("evidence", "string", "why it is called a rewrite"),
    ],
    "briefs": [
        ("story_id", "string", "story compared"),
        ("title", "string", "brief title"),
        (
            "sentences",
            "array<struct<text:string,status:string,citations:array<struct<article:string,start:int,end:int>>>>",
            "brief sentences with their status and citations (article, span)",
        ),
        ("left_out", "string", "what the brief left out"),
        ("document", "string", "the whole comparison as JSON (schema corroborator.comparison/3.2)"),
    ],
    "failures": [
        ("origin", "string", "file or record that failed"),
        ("message", "string", "one line: PATH: problem"),
    ],
}


def ddl(table: str) -> str:
    """Spark DDL of a table, every name quoted (``end`` is a keyword in Spark SQL)."""
    return ", ".join(f"`{name}` {_quote_fields(kind)}" for name, kind, _ in TABLES[table])


def _quote_fields(kind: str) -> str:
    return re.sub(r"([<,])(\w+):", r"\1`\2`:", kind)


def columns(table: str) -> list[str]:
    return [name for name, _, _ in TABLES[table]]


def arrow_schema(table: str) -> Any:
    """The table's pyarrow schema (pyarrow comes with the ``spark`` extra)."""
    import pyarrow as pa

    return pa.schema([pa.field(name, _arrow_type(kind)) for name, kind, _ in TABLES[table]])


_SCALARS = {
    "string": "string",
    "bigint": "int64",
    "int": "int32",
    "double": "float64",
    "float": "float32",
    "boolean": "bool_",
}


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    kind = kind.strip()
    if kind in _SCALARS:
        return getattr(pa, _SCALARS[kind])()
    if kind.startswith("array<") and kind.endswith(">"):
        return pa.list_(_arrow_type(kind[6:-1]))
    if kind.startswith("struct<") and kind.endswith(">"):
        return pa.struct([pa.field(n, _arrow_type(t)) for n, t in _split_fields(kind[7:-1])])
    raise ValueError(f"unknown column type {kind!r}")


def _split_fields(body: str) -> list[tuple[str, str]]:
    """``a:int,b:array<struct<c:int,d:int>>`` -> [(a, int), (b, array<...>)], splitting at top-level commas."""
    out: list[tuple[str, str]] = []
    depth = 0
    start = 0
    for i, ch in enumerate(body + ","):
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        elif ch == "," and depth == 0:
            name, _, kind = body[start:i].partition(":")
            out.append((name.strip(), kind.strip()))
            start = i + 1
    return out


def schema_markdown() -> str:
    """The tables as the Markdown docs/batch.md carries (tests/test_batch_schema.py keeps them in step)."""
    lines: list[str] = []
    for table, cols in TABLES.items():
        lines += [f"### `{table}`", "", "| column | type | meaning |", "|---|---|---|"]
        lines += [f"| `{name}` | `{kind}` | {doc} |" for name, kind, doc in cols]
        lines.append("")
    return "\n".join(lines)
