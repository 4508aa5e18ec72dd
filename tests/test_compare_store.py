"""A stored story's comparison: computed with the store's caches, kept in the store, refreshed in the background."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborator.api import Refresher, compare_story, kept_comparison, stale_stories, story_comparison
from corroborator.api.comparisons import COMPARED_FLAG
from corroborator.errors import NotFound
from corroborator.pipeline import ingest
from corroborator.settings import Settings
from corroborator.store import open_store
from corroborator.store.base import StoryFilter
from corroborator.text.facts import FACTS_ANALYSER
from tests.conftest import EXAMPLES
from tests.test_compare_support import CosineJudge, FakeEncoder

pytestmark = pytest.mark.slow


def test_compare_store_caches_keeps_and_refreshes(tmp_path: Path) -> None:
    settings = Settings(ingest_workers=0, ingest_facts=False)  # so the comparison makes and keeps them
    with open_store(tmp_path / "s.db") as store:
        ingest([EXAMPLES / "port-elvan-fire"], store, settings)
        story = store.stories(StoryFilter(min_size=2))[0]
        articles = [store.get_article(a) for a in story.article_ids]
        assert all(store.facts(a.id, FACTS_ANALYSER) is None for a in articles)
        assert kept_comparison(store, story.id) is None
        assert story.id in stale_stories(store)

        enc = FakeEncoder()
        first = compare_story(store, story.id, judge=CosineJudge(), encoder=enc)
        for a in articles:
            assert store.facts(a.id, FACTS_ANALYSER) is not None
            vectors = store.sentence_vectors(a.id, enc.name)
            assert vectors is not None and len(vectors) == len(store.sentences(a.id))
        kept = kept_comparison(store, story.id)
        assert kept is not None and kept.fresh and not kept.refreshing
        assert [a["id"] for a in kept.document["articles"]] == [a.id for a in first.articles]
        assert kept.html.lstrip().lower().startswith("<!doctype html")
        flags = store.story_flags(story.id)
        assert flags[COMPARED_FLAG] == kept.key and flags["disputed"] == ("1" if kept.disputed else "0")
        assert story.id not in stale_stories(store)
        again = compare_story(store, story.id, judge=CosineJudge(), encoder=enc)
        assert [c.id for c in again.claims] == [c.id for c in first.claims]
        assert again.conflicts == first.conflicts

        # The story gains a report: the kept comparison is stale, shown as being refreshed, and the
        # request does not compute (the refresher is not started, so nothing could have).
        ingest([EXAMPLES / "dunmere-water" / "01-example-wire.md"], store, settings)
        newcomer = next(a for a in store.articles() if store.story_of(a.id) != story.id)
        store.assign(newcomer.id, story.id, 1.0)
        refresher = Refresher(store, settings)
        shown = story_comparison(store, story.id, settings, refresher)
        assert shown.refreshing and not shown.fresh and shown.document == kept.document
        assert refresher.pending() == 1 and story.id in stale_stories(store)

        with pytest.raises(NotFound):
            compare_story(store, "no-such-story")


def test_compare_store_background_worker_brings_stories_up_to_date(tmp_path: Path) -> None:
    """The real models, in the worker thread: after a sweep every multi-source story has a fresh comparison."""
    settings = Settings(ingest_workers=0)
    with open_store(tmp_path / "s.db") as store:
        ingest([EXAMPLES], store, settings)
        stale = stale_stories(store)
        assert stale, "examples/ has stories with several independent reports"
        refresher = Refresher(store, settings).start()
        try:
            assert refresher.wait_idle(600)
        finally:
            refresher.stop()
        assert refresher.failed == 0 and refresher.done >= len(stale)
        assert stale_stories(store) == []
        for sid in stale:
            kept = kept_comparison(store, sid)
            assert kept is not None and kept.fresh
        disputed = {s.id for s in store.stories(StoryFilter(disputed_only=True))}
        assert disputed == {sid for sid in stale if kept_comparison(store, sid).disputed}  # type: ignore[union-attr]
