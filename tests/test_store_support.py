"""Fixtures and builders shared by the store tests (imported by each tests/test_store_*.py).

``location`` is parametrised over both backends: a fresh SQLite file in tmp_path, and a fresh schema in
the PostgreSQL database named by CORROBORATOR_TEST_PG (skipped with the reason when it is not set).
Articles are built with ``Article.create`` from sentences written here.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from corroborator.model import AnalysedArticle, Article, Sentence
from corroborator.store import Store, open_store

REPO_SRC = str(Path(__file__).resolve().parents[1] / "src")
PG_URL = os.environ.get("CORROBORATOR_TEST_PG", "")
PG_SKIP = 'PostgreSQL store tests need CORROBORATOR_TEST_PG; run: eval "$(bash .ci/postgres.sh)"'

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


def pg_schema_url(schema: str) -> str:
    joiner = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{joiner}options=-csearch_path%3D{schema}"


@contextmanager
def fresh_location(backend: str, directory: Path) -> Iterator[str]:
    """Where a fresh, empty store can be opened: a path or a PostgreSQL URL with its own schema."""
    if backend == "sqlite":
        yield str(directory / "store.db")
        return
    if not PG_URL:
        pytest.skip(PG_SKIP)
    import psycopg

    schema = "test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield pg_schema_url(schema)
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=BACKENDS)
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_location(request.param, tmp_path) as where:
        yield where


@pytest.fixture
def store(location: str) -> Iterator[Store]:
    with open_store(location) as opened:
        yield opened


def raw_execute(location: str, sql: str) -> list[tuple[object, ...]]:
    """Run SQL on the store's database behind the facade's back (to damage or inspect it)."""
    if location.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn:
            cur = conn.execute(sql)
            return list(cur.fetchall()) if cur.description else []
    import sqlite3

    conn = sqlite3.connect(location, isolation_level=None)
    try:
        cur = conn.execute(sql)
        return list(cur.fetchall())
    finally:
        conn.close()


def report_sentences(topic: str, n: int, seed: int = 0) -> list[str]:
    """``n`` distinct sentences of a made-up local report."""
    return [
        f"Report {seed} on the {topic}, part {i}: the council counted {seed * 31 + i * 7} ballots "
        f"at the {['north', 'south', 'east', 'west'][i % 4]} hall before noon on day {i + 1}."
        for i in range(n)
    ]


def make_item(
    parts: Sequence[str],
    *,
    dim: int = 16,
    lead_entities: tuple[str, ...] = ("Council", "North Hall"),
    **meta: object,
) -> AnalysedArticle:
    """An analysed article whose sentences are ``parts`` joined by spaces, with seeded signals."""
    text = " ".join(parts)
    article = Article.create(text, **meta)
    sentences = []
    pos = 0
    for i, part in enumerate(parts):
        start = text.index(part, pos)
        sentences.append(Sentence(article.id, i, start, start + len(part), part))
        pos = start + len(part)
    rng = np.random.default_rng(int(hashlib.sha256(text.encode()).hexdigest()[:8], 16))
    vector = rng.standard_normal(dim).astype(np.float32)
    vector /= np.linalg.norm(vector)
    minhash = rng.integers(0, 2**32 - 1, size=128, dtype=np.uint64)
    return AnalysedArticle(
        article=article,
        sentences=tuple(sentences),
        vector=tuple(float(x) for x in vector),
        minhash=tuple(int(x) for x in minhash),
        lead_entities=lead_entities,
    )


def item_for(topic: str, seed: int = 0, n: int = 4, **meta: object) -> AnalysedArticle:
    return make_item(report_sentences(topic, n, seed), **meta)
