"""Article versions through ``batch`` and ``load``: real successive versions of CNN Lite articles
(../shared/corpus/cnn_lite_versions.jsonl.xz) read by ``batch --engine local`` become one article each and
a ``versions`` table (Parquet) with each later text, its time and the facts that changed; ``load`` writes
them back into a store (SQLite and PostgreSQL) where ``corroborator history`` reads them; bad tables give a
one-line error naming the file. (Spark against this engine on the same versions: tests/test_batch_engines.py.)"""

from __future__ import annotations

import collections
import json
import lzma
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from corroborator.cli import app
from corroborator.identity import canonical_url
from corroborator.store import open_store
from tests.conftest import shared_path

pytest_plugins = ["test_store_support"]

DEATH_TOLL = "canada-british-columbia-school-shooting"  # a death toll revised between two versions


def cnn_slice(out: Path) -> Path:
    """A few real multi-version articles as JSON lines, in the corpus' order (each URL's versions by time):
    the revised death toll, the shortest article with three or more versions and two short two-version ones."""
    by_url: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    with lzma.open(shared_path("corpus", "cnn_lite_versions.jsonl.xz"), "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            by_url[rec["url"]].append(rec)
    size = {u: max(len(r["text"]) for r in rs) for u, rs in by_url.items()}
    shortest = sorted(by_url, key=lambda u: (size[u], u))
    chosen = [next(u for u in by_url if DEATH_TOLL in u)]
    chosen.append(next(u for u in shortest if len(by_url[u]) >= 3))
    chosen += [u for u in shortest if len(by_url[u]) == 2 and u not in chosen][:2]
    with out.open("w", encoding="utf-8") as dst:
        for url in chosen:
            for r in by_url[url]:
                slim = {k: r.get(k) for k in ("url", "title", "date", "authors", "text")}
                dst.write(json.dumps({**slim, "source": "CNN"}) + "\n")
    return out


def expected_versions(path: Path) -> dict[str, list[str]]:
    """Canonical URL -> the distinct texts' ids in read order, as the product's reader reads the file."""
    from corroborator.ingest import read_paths
    from corroborator.settings import Settings

    out: dict[str, list[str]] = collections.defaultdict(list)
    for a in read_paths([path], Settings()):
        assert not isinstance(a, Exception), a
        ids = out[canonical_url(a.url or "")]
        if a.id not in ids:
            ids.append(a.id)
    return out


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    pytest.importorskip("pyarrow", reason="needs the spark extra: pip install -e '.[spark]'")
    from corroborator.scale import run_batch
    from corroborator.settings import Settings

    tmp = tmp_path_factory.mktemp("versions")
    source = cnn_slice(tmp / "cnn.jsonl")
    report = run_batch([str(source)], tmp / "out", Settings(ingest_workers=0), engine="local", compare=False)
    return {"out": tmp / "out", "report": report, "expected": expected_versions(source)}


def test_batch_versions_table_holds_every_later_text(batch: dict[str, Any]) -> None:
    from corroborator.scale.parquet import read_table

    expected: dict[str, list[str]] = batch["expected"]
    articles = {r["id"]: r for r in read_table(batch["out"], "articles")}
    versions = read_table(batch["out"], "versions")
    assert batch["report"].versions == len(versions) == sum(len(ids) - 1 for ids in expected.values()) >= 5
    assert sorted(articles) == sorted(ids[0] for ids in expected.values())  # one article per URL, no more
    by_article: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for row in versions:
        by_article[row["article_id"]].append(row)
    for ids in expected.values():
        rows = sorted(by_article[ids[0]], key=lambda r: r["version"])
        assert [r["version_id"] for r in rows] == ids[1:] and [r["version"] for r in rows] == list(range(1, len(ids)))
        previous = articles[ids[0]]["published"]
        for r in rows:  # each version's time is its later publication time (the feed's date field here)
            assert r["at"] == r["published"] and r["at"] > previous
            previous = r["at"]
    toll = next(r for r in versions if DEATH_TOLL in (r["url"] or ""))
    assert toll["changed_claims"] > 0 and any(f.startswith("number: ") for f in toll["fact_changes"])
    assert max(r["version"] for r in versions) >= 2


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_batch_versions_load_then_history(batch: dict[str, Any], backend: str, tmp_path: Path) -> None:
    from test_store_support import fresh_location

    expected: dict[str, list[str]] = batch["expected"]
    runner = CliRunner()
    with fresh_location(backend, tmp_path) as db:
        done = runner.invoke(app, ["load", str(batch["out"]), "--db", db])
        assert done.exit_code == 0, done.output
        assert f"{batch['report'].versions} later versions (0 already stored)" in done.stdout
        with open_store(db) as store:
            assert store.count_articles() == len(expected)
            for ids in expected.values():
                assert [v.article.id for v in store.versions(ids[0])] == ids
        url = next(u for u in expected if DEATH_TOLL in u)
        shown = runner.invoke(app, ["history", url, "--db", db, "--format", "json"])
        assert shown.exit_code == 0, shown.output
        doc = json.loads(shown.stdout)
        assert [v["id"] for v in doc["versions"]] == expected[url]
        assert any(f["kind"] == "number" for c in doc["diffs"][0]["changes"] for f in c["facts"])
        again = runner.invoke(app, ["load", str(batch["out"]), "--db", db])  # a second load writes nothing
        assert again.exit_code == 0 and f"0 later versions ({batch['report'].versions} already stored)" in again.stdout


def _broken_copy(batch: dict[str, Any], tmp: Path) -> tuple[Path, Path]:
    import shutil

    out = tmp / "out"
    shutil.copytree(batch["out"], out)
    (part,) = sorted((out / "versions").glob("*.parquet"))
    return out, part


def test_batch_versions_bad_tables_fail_in_one_line_naming_the_file(batch: dict[str, Any], tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    runner = CliRunner()
    cases = []
    out, part = _broken_copy(batch, tmp_path / "damaged")
    part.write_bytes(part.read_bytes()[: len(part.read_bytes()) // 2])  # a file cut short
    cases.append((out, str(part), "not a readable Parquet file"))
    out, part = _broken_copy(batch, tmp_path / "no-text")
    pq.write_table(pq.read_table(part).drop(["text"]), part)
    cases.append((out, str(part), "the versions table has no column text"))
    out, part = _broken_copy(batch, tmp_path / "edited")
    table = pq.read_table(part).to_pylist()
    table[0]["text"] += " An edit after the batch."
    pq.write_table(pa.Table.from_pylist(table, schema=pq.read_schema(part)), part)
    cases.append((out, str(out / "versions"), "is not the hash of its text"))
    for out, where, problem in cases:
        db = out.parent / "s.db"
        done = runner.invoke(app, ["load", str(out), "--db", str(db)])
        assert done.exit_code != 0, done.output
        lines = [line for line in done.output.splitlines() if line.strip()]
        assert len(lines) == 1 and where in lines[0] and problem in lines[0], done.output
