"""A rewrite found by the comparison is not a second witness when a claim is checked within a story."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corroborator.api import compare_story
from corroborator.cli import app
from corroborator.compare import copies
from corroborator.pipeline import ingest
from corroborator.settings import Settings
from corroborator.store import open_store
from corroborator.store.base import StoryFilter
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow


def test_check_story_counts_the_rewrite_once(tmp_path: Path) -> None:
    db = tmp_path / "ex.db"
    with open_store(db) as store:
        ingest([EXAMPLES / "port-elvan-fire"], store, Settings().with_overrides({"ingest_workers": "0"}))
        story = store.stories(StoryFilter(min_size=3))[0]
        by_source = {store.get_article(a).source: a for a in story.article_ids}
        links = copies(compare_story(store, story.id))
    # examples/README.md: The Daily Lantern rewrote the Example Wire story 4.5 hours later.
    assert (by_source["The Daily Lantern"], by_source["Example Wire"]) in links
    claim = "Residents were evacuated from their homes after the depot fire"
    out = CliRunner().invoke(app, ["check", claim, "--db", str(db), "--story", story.id, "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    supporting = {r["article"] for r in doc["results"] if r["stance"] == "supports"}
    assert {by_source["Example Wire"], by_source["The Daily Lantern"]} <= supporting
    assert doc["supporting_sources"] == len(supporting) - 1
