"""``compare_story`` on a stored story: uses and fills the store's caches, flags disputed stories."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborator.compare import compare_articles, compare_story
from corroborator.errors import NotFound
from corroborator.pipeline import ingest
from corroborator.settings import Settings
from corroborator.store import open_store
from corroborator.text.facts import FACTS_ANALYSER
from tests.conftest import EXAMPLES
from tests.test_compare_support import CosineJudge, FakeEncoder

pytestmark = pytest.mark.slow


def test_compare_store_caches_and_story(tmp_path: Path) -> None:
    settings = Settings(ingest_workers=0)
    with open_store(tmp_path / "s.db") as store:
        ingest([EXAMPLES / "port-elvan-fire"], store, settings)
        stories = [s for s in store.stories() if len(s.article_ids) >= 2]
        assert stories
        story = stories[0]
        articles = [store.get_article(a) for a in story.article_ids]
        assert all(store.facts(a.id, FACTS_ANALYSER) is None for a in articles)

        enc = FakeEncoder()
        first = compare_articles(articles, store=store, judge=CosineJudge(), encoder=enc)
        for a in articles:
            cached = store.facts(a.id, FACTS_ANALYSER)
            assert cached is not None
            vectors = store.sentence_vectors(a.id, enc.name)
            assert vectors is not None and len(vectors) == len(store.sentences(a.id))
        again = compare_articles(articles, store=store, judge=CosineJudge(), encoder=enc)
        assert [c.id for c in again.claims] == [c.id for c in first.claims]
        assert again.conflicts == first.conflicts

        with pytest.raises(NotFound):
            compare_story(store, "no-such-story")
