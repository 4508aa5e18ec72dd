"""Versions in the comparison document (corroborator.comparison/3.2): a story's comparison says, for each
article, which stored version was compared (its index, time, the store's count, whether it is the latest)
and, when asked "as of" a time, that time; on both stores, with the example story of the repository."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from corroborator.api.comparisons import compare_story, kept_comparison
from corroborator.model import Article
from corroborator.pipeline import ingest
from corroborator.render.document import to_document
from corroborator.render.schema import validate
from corroborator.settings import Settings
from corroborator.store import open_store
from corroborator.store.base import StoryFilter
from tests.test_compare_support import CosineJudge, FakeEncoder

pytest_plugins = ["test_store_support"]

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "port-elvan-fire"


def _by_id(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in doc["articles"]}


def test_versions_comparison_document_names_the_version_compared(location: str) -> None:
    kw: dict[str, Any] = {"judge": CosineJudge(), "encoder": FakeEncoder()}
    with open_store(location) as store:
        ingest([EXAMPLES], store, Settings(ingest_workers=0))
        story = store.stories(StoryFilter(min_size=2))[0]
        member = store.get_article(story.article_ids[0])

        before = to_document(compare_story(store, story.id, **kw))
        assert validate(before) == [] and "as_of" not in before
        for art in before["articles"]:
            assert art["version"]["article"] == art["id"]
            assert (art["version"]["index"], art["version"]["versions"], art["version"]["latest"]) == (0, 1, True)
        published = {a.id: a.published for a in store.get_articles(story.article_ids)}
        for art in before["articles"]:  # version 0 of an article never changed is its publication time
            when = published[art["id"]]
            assert art["version"]["at"] == (when.isoformat() if when else art["version"]["at"])

        edited = member.text.replace("Port Elvan", "Port Elvan harbour", 1) + "\n\nUpdate: the fire is out."
        assert edited != member.text
        changed = replace(Article.create(edited), url=member.url or "https://x.example/a", source=member.source)
        assert store.add_version(member.id, changed) == "version"
        second = store.versions(member.id)[1]
        assert second.at is not None

        latest = to_document(compare_story(store, story.id, **kw))
        assert validate(latest) == [] and "as_of" not in latest
        read = _by_id(latest)[changed.id]["version"]
        assert read == {"article": member.id, "index": 1, "at": second.at.isoformat(), "versions": 2, "latest": True}
        assert member.id not in _by_id(latest)
        kept = kept_comparison(store, story.id)
        assert kept is not None and kept.fresh
        assert _by_id(kept.document)[changed.id]["version"] == read  # the kept JSON carries it too

        then = second.at - timedelta(days=400)
        old = to_document(compare_story(store, story.id, as_of=then, **kw))
        assert validate(old) == [] and old["as_of"] == then.isoformat()
        first = _by_id(old)[member.id]["version"]
        assert (first["article"], first["index"], first["versions"], first["latest"]) == (member.id, 0, 2, False)
        others = [a for a in old["articles"] if a["id"] != member.id]
        assert others and all(a["version"]["latest"] and a["version"]["versions"] == 1 for a in others)

    # A 3.1 consumer's view: the same document without the fields 3.2 added is still a valid document.
    stripped = copy.deepcopy(old)
    del stripped["as_of"]
    for art in stripped["articles"]:
        del art["version"]
    assert validate(stripped) == []
