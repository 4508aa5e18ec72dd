"""`corroborator batch --engine spark` against `--engine local` (the single-machine pipeline) on real input.

One WARC from ../shared/fixtures plus AllSides articles and real multi-version CNN Lite articles from
../shared/corpus, through both engines: the articles, later versions, near-copy links and conflicts must be
identical and the stories agree (B-cubed F1 >= 0.98), then `corroborator load` brings the Spark tables into
a store that `stories`/`story`/`history` read.
"""

from __future__ import annotations

import json
import lzma
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import shared_path

pytestmark = pytest.mark.slow

ARTICLES = int(os.environ.get("CORROBORATOR_BATCH_TEST_ARTICLES", "120"))


def _need_spark() -> None:
    pytest.importorskip("pyspark", reason="needs the spark extra: pip install -e '.[spark]'")
    pytest.importorskip("pyarrow", reason="needs the spark extra: pip install -e '.[spark]'")
    if shutil.which("java") is None:
        pytest.skip("needs a Java runtime for Spark (.ci/java.sh installs openjdk-17-jre-headless)")


def allsides_slice(limit: int, out: Path) -> Path:
    """AllSides articles: groups of the same day and topic, so that stories of several outlets (and
    conflicts between them) occur, filled up with the shard's other articles."""
    shard = shared_path("corpus", "allsides", "articles", "articles-00.jsonl.xz")
    with lzma.open(shard, "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    groups: dict[tuple[str, str], list[dict[str, str]]] = {}
    for r in records:
        if r.get("date") and r.get("content_original"):
            groups.setdefault((r["date"], r.get("topic") or ""), []).append(r)
    # Whole groups of 3+ (same day, same topic: often one event told by several outlets), then other
    # articles in shard order up to the limit (mostly single-source stories, as in a real crawl).
    chosen = [r for g in groups.values() if len(g) >= 3 for r in g][:limit]
    taken = {r["ID"] for r in chosen}
    chosen += [r for r in records if r.get("content_original") and r["ID"] not in taken][: max(0, limit - len(chosen))]
    with out.open("w", encoding="utf-8") as dst:
        for r in chosen:
            slim = {
                "id": r["ID"],
                "title": r.get("title"),
                "source": r.get("source"),
                "url": r.get("url"),
                "date": r.get("date"),
                "authors": r.get("authors"),
                "text": r.get("content_original"),
            }
            dst.write(json.dumps(slim) + "\n")
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    _need_spark()
    from corroborator.scale import run_batch
    from corroborator.settings import Settings

    tmp = tmp_path_factory.mktemp("batch")
    warc = shared_path("fixtures", "warc", "resiliparse", "warcfile.warc.gz")
    from tests.test_batch_versions import cnn_slice

    inputs = [str(warc), str(allsides_slice(ARTICLES, tmp / "allsides.jsonl")), str(cnn_slice(tmp / "cnn.jsonl"))]
    settings = Settings().with_overrides({"ingest_workers": "1"})
    local = run_batch(inputs, tmp / "local", settings, engine="local", compare_limit=2)
    spark = run_batch(inputs, tmp / "spark", settings, engine="spark", master="local[2]", compare_limit=2, partitions=2)
    return {"tmp": tmp, "local": local, "spark": spark}


def test_batch_engines_agree(runs: dict[str, object]) -> None:
    from corroborator.scale.agreement import agreement

    tmp = runs["tmp"]
    assert isinstance(tmp, Path)
    local, spark = runs["local"], runs["spark"]
    diff = agreement(tmp / "local", tmp / "spark")
    # Real input: the WARC's pages and the AllSides slice both give articles, some of them multi-source stories.
    assert diff["articles"][0] >= ARTICLES, diff["articles"]
    assert not diff["only_in_a"] and not diff["only_in_b"], diff
    assert diff["differing_columns"] == {}, diff["differing_columns"]
    assert diff["max_vector_difference"] < 1e-4
    assert not diff["links_only_in_a"] and not diff["links_only_in_b"], diff
    assert diff["bcubed"]["f1"] >= 0.98, diff["bcubed"]
    assert diff["conflicts_equal_in_identical_stories"], diff["conflicts"]
    if diff["identical_stories"] == diff["stories"][0] == diff["stories"][1]:
        assert diff["conflicts_equal"], diff["conflicts"]
    assert diff["versions"][0] >= 5 and diff["versions"][0] == diff["versions"][1], diff["versions"]
    assert not diff["versions_only_in_a"] and not diff["versions_only_in_b"], diff
    assert diff["versions_differing_columns"] == {}, diff["versions_differing_columns"]
    assert local.versions == spark.versions == diff["versions"][0]  # type: ignore[attr-defined]
    assert local.compared > 0 and spark.compared > 0  # type: ignore[attr-defined]
    assert local.exact_duplicates == spark.exact_duplicates  # type: ignore[attr-defined]


def test_batch_spark_reports_costs(runs: dict[str, object]) -> None:
    spark = runs["spark"]
    metrics = spark.metrics  # type: ignore[attr-defined]
    stages = {p["stage"] for p in metrics["partitions"]}
    assert {"analyse", "stories", "compare"} <= stages
    assert metrics["shuffle_write_bytes"] > 0
    assert all(p["peak_rss_mb"] > 0 for p in metrics["partitions"])


def test_batch_load_into_store(runs: dict[str, object], tmp_path: Path) -> None:
    from corroborator.scale.parquet import read_table
    from corroborator.store import open_store
    from corroborator.store.codec import utc

    tmp = runs["tmp"]
    assert isinstance(tmp, Path)
    db = tmp_path / "loaded.db"
    cli = [sys.executable, "-m", "corroborator"]
    done = subprocess.run([*cli, "load", str(tmp / "spark"), "--db", str(db)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    stories = read_table(tmp / "spark", "stories")
    with open_store(db) as store:
        assert store.count_articles() == len(read_table(tmp / "spark", "articles"))
        for s in stories:
            assert set(store.story(s["story_id"]).article_ids) == set(s["article_ids"])
        versions = read_table(tmp / "spark", "versions")
        assert versions
        for v in versions:  # every later version loaded under its article, at the time the batch gave it
            loaded = store.versions(v["article_id"])[v["version"]]
            assert loaded.article.id == v["version_id"] and loaded.at is not None
            assert utc(loaded.at) == utc(datetime.fromisoformat(v["at"]))
    listed = subprocess.run([*cli, "stories", "--db", str(db), "--format", "json"], capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == len(stories)
