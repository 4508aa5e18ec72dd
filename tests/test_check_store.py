"""``corroborator check "CLAIM" --db FILE``: stance of stored articles, duplicates counted once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corroborator.check import fnc1
from corroborator.cli import app
from corroborator.model import Article
from tests.conftest import shared_path

store_mod = pytest.importorskip("corroborator.store", reason="needs corroborator.store (the store module)")
pipeline = pytest.importorskip("corroborator.pipeline", reason="needs corroborator.pipeline (analyse)")


@pytest.fixture(scope="module")
def stocked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str, dict[str, str]]:
    """A store with one story: two held-out bodies that agree with a headline, a near-copy of the
    first (linked as a duplicate), and an unrelated body; plus another story holding one more body."""
    pairs = fnc1.read_pairs(shared_path("datasets", "fnc1"), "test")
    by_headline: dict[str, list[fnc1.StancePair]] = {}
    for p in pairs:
        if p.label == "agree":
            by_headline.setdefault(p.headline, []).append(p)
    headline, agreeing = next((h, ps) for h, ps in by_headline.items() if len(ps) >= 2)
    bodies = {p.body_id for p in agreeing}
    unrelated = next(p for p in pairs if p.label == "unrelated" and p.body_id not in bodies)
    first, second = agreeing[0], agreeing[1]
    arts = {
        "first": Article.create(first.body, source="Outlet A", title="first"),
        "copy": Article.create(first.body.rstrip() + "\n\nCopyright Outlet B.", source="Outlet B", title="copy"),
        "second": Article.create(second.body, source="Outlet C", title="second"),
        "unrelated": Article.create(unrelated.body, source="Outlet D", title="unrelated"),
    }
    db = tmp_path_factory.mktemp("check") / "check.db"
    with store_mod.open_store(db) as store:
        store.add([pipeline.analyse(a) for a in arts.values()])
        story = store.new_story(headline, arts["first"].id)
        for key in ("copy", "second", "unrelated"):
            store.assign(arts[key].id, story, 0.9)
        store.link_duplicate(store_mod.DuplicateLink(arts["copy"].id, arts["first"].id, "near", 0.95))
    return db, story, headline, {k: a.id for k, a in arts.items()}


@pytest.mark.slow
def test_check_store_story_json(stocked) -> None:
    db, story, headline, ids = stocked
    result = CliRunner().invoke(app, ["check", headline, "--db", str(db), "--story", story, "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    got = {r["article"]: r for r in doc["results"]}
    assert ids["unrelated"] not in got and doc["unrelated_hidden"] == 1
    supporting = {a for a, r in got.items() if r["stance"] == "supports"}
    assert ids["first"] in supporting or ids["second"] in supporting
    # The near-copy and its original are one source.
    expect = len({ids["first"] if a == ids["copy"] else a for a in supporting})
    assert doc["supporting_sources"] == expect
    for r in doc["results"]:
        assert r["evidence"], "each listed article shows an evidence sentence"
    scores = [r["score"] for r in doc["results"]]
    assert len(scores) == len(got)


@pytest.mark.slow
def test_check_store_text_summary_and_cached_vectors(stocked) -> None:
    db, _, headline, ids = stocked
    result = CliRunner().invoke(app, ["check", headline, "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "independent source" in result.output and "dispute" in result.output
    from corroborator.check import default_stance_model

    with store_mod.open_store(db, create=False) as store:
        name = default_stance_model().encoder.name
        assert store.sentence_vectors(ids["first"], name) is not None


def test_check_store_unknown_story_is_one_line_error(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    store_mod.open_store(db).close()
    result = CliRunner().invoke(app, ["check", "anything", "--db", str(db), "--story", "nope"])
    assert result.exit_code == 1
    assert "error:" in result.output and "Traceback" not in result.output
