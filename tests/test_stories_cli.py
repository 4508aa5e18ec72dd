"""``corroborator stories`` / ``recluster`` on a store built by the real ingest path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import shared_path
from corroborator.cli import app
from corroborator.model import Article
from corroborator.pipeline import ingest_articles
from corroborator.settings import Settings
from corroborator.store import open_store

pytestmark = pytest.mark.slow

KEYS = {
    "id",
    "title",
    "articles",
    "size",
    "independent",
    "disputed",
    "contested",
    "first_published",
    "last_published",
    "merged_from",
    "split_from",
    "events",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = shared_path("datasets", "ecbplus", "ecbplus_topics_1-35.jsonl")
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    arts = [Article.create(r["text"], external_id=r["id"]) for r in rows if r["topic"] == 6]
    out = tmp_path_factory.mktemp("cli") / "s.db"
    with open_store(out) as store:
        report = ingest_articles(arts, store, Settings(ingest_workers=0))
        assert report.new == len(arts)
    return out


def _json(args: list[str]) -> list[dict]:
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_stories_json_shape(db: Path) -> None:
    rows = _json(["stories", "--db", str(db), "--format", "json"])
    assert rows and all(set(r) == KEYS for r in rows)
    with open_store(db) as store:
        assert sum(r["size"] for r in rows) == store.count_articles()
        ext = {a.external_id for a in store.iter_articles()}
    for r in rows:
        assert r["size"] == len(r["articles"]) and 1 <= r["independent"] <= r["size"]
        assert set(r["articles"]) <= ext  # external ids, as the input named the articles
        assert r["first_published"] is None  # ECB+ has no dates


def test_stories_min_size_and_query_filter(db: Path) -> None:
    rows = _json(["stories", "--db", str(db), "--format", "json"])
    big = _json(["stories", "--db", str(db), "--format", "json", "--min-size", "2"])
    assert [r["id"] for r in big] == [r["id"] for r in rows if r["size"] >= 2]
    word = rows[0]["title"].split()[0]
    hits = _json(["stories", "--db", str(db), "--format", "json", "--query", word])
    assert rows[0]["id"] in {r["id"] for r in hits}


def test_recluster_command_changes_stories(db: Path) -> None:
    res = CliRunner().invoke(app, ["recluster", "--db", str(db), "--set", "story_min_probability=1.0", "--quiet"])
    assert res.exit_code == 0, res.output
    rows = _json(["stories", "--db", str(db), "--format", "json"])
    assert all(r["size"] == 1 for r in rows if r["independent"] == r["size"])
    res = CliRunner().invoke(app, ["recluster", "--db", str(db), "--quiet"])
    assert res.exit_code == 0
    assert any(r["size"] > 1 for r in _json(["stories", "--db", str(db), "--format", "json"]))


def test_unknown_setting_and_bad_format_are_usage_errors(db: Path) -> None:
    res = CliRunner().invoke(app, ["recluster", "--db", str(db), "--set", "no_such=1"])
    assert res.exit_code == 2
    res = CliRunner().invoke(app, ["stories", "--db", str(db), "--format", "xml"])
    assert res.exit_code == 2 and "--format" in res.output
