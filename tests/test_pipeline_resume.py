"""A re-run after a crash (issue 13): articles already stored are not analysed again, and stored
articles left without a story are assigned first."""

from __future__ import annotations

import lzma
from pathlib import Path
from typing import Any

import pytest

import corroborator.pipeline as pipeline
from corroborator.model import AnalysedArticle, Article
from corroborator.pipeline import analyse_many, ingest
from corroborator.settings import Settings
from corroborator.store import open_store
from tests.conftest import shared_path

pytestmark = pytest.mark.slow

SETTINGS = Settings().with_overrides({"ingest_workers": "0", "ingest_batch": "8"})


def write_records(path: Path, first: int, count: int) -> Path:
    shard = shared_path("corpus", "allsides", "articles", "articles-03.jsonl.xz")
    with lzma.open(shard, "rt", encoding="utf-8") as f:
        lines = [line for n, line in enumerate(f) if first <= n < first + count]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_pipeline_rerun_analyses_only_what_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = write_records(tmp_path / "a.jsonl", 0, 12)
    with open_store(tmp_path / "s.db") as store:
        done = ingest([first], store, SETTINGS)
        assert done.new == 12 and done.failed == 0
        # The "crash": three more articles were analysed and stored, but never given a story.
        extra = write_records(tmp_path / "b.jsonl", 12, 8)
        from corroborator.ingest import read_paths

        orphans = [i for i in read_paths([extra], SETTINGS) if isinstance(i, Article)][:3]
        analysed = [a for a in analyse_many(orphans, SETTINGS) if isinstance(a, AnalysedArticle)]
        assert store.add(analysed) == ["new"] * 3
        assert all(store.story_of(a.id) is None for a in orphans)

        seen: list[str] = []

        def counting(articles: list[Article], settings: Settings, **kw: Any) -> list[object]:
            seen.extend(a.id for a in articles)
            return analyse_many(articles, settings, **kw)  # type: ignore[return-value]

        monkeypatch.setattr(pipeline, "analyse_many", counting)
        again = ingest([first, extra], store, SETTINGS)
        # Only the five articles never stored went to analysis; the 12 + 3 stored ones were skipped.
        assert sorted(seen) == sorted(
            a.id for a in read_paths([extra], SETTINGS) if isinstance(a, Article) and a not in orphans
        )
        assert again.new == 5 and again.duplicates == 15 and again.failed == 0
        assert store.count_articles() == 20
        assert all(store.story_of(a.id) is not None for a in store.articles())  # the orphans were assigned
