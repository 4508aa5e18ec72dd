"""Story assignment through the real ingest path on real ECB+ articles (models loaded once)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from conftest import shared_path
from corroborator.model import AnalysedArticle, Article
from corroborator.pipeline import analyse_many, ingest_articles
from corroborator.settings import Settings
from corroborator.store import open_store
from corroborator.stories import StoryAssigner, independent_articles, recluster
from corroborator.stories.assigner import BLOB

pytestmark = pytest.mark.slow

SETTINGS = Settings(ingest_workers=0)
TOPIC = 4  # two different events of the same kind, as every ECB+ topic
START = datetime(2020, 3, 2, 9, 0)


def _ecb_topic(topic: int) -> list[tuple[Article, str]]:
    path = shared_path("datasets", "ecbplus", "ecbplus_topics_1-35.jsonl")
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["topic"] == topic:
                out.append((Article.create(rec["text"], external_id=rec["id"]), rec["event"]))
    return out


@pytest.fixture(scope="module")
def topic_articles() -> list[tuple[Article, str]]:
    """The topic's articles with dates: each event's reports spread over three days, events a year apart."""
    rows = _ecb_topic(TOPIC)
    events = sorted({e for _, e in rows})
    dated = []
    for k, (art, event) in enumerate(rows):
        day = START + timedelta(days=365 * events.index(event) + k % 3)
        dated.append((replace(art, published=day), event))
    return dated


@pytest.fixture(scope="module")
def analysed(topic_articles: list[tuple[Article, str]]) -> dict[str, AnalysedArticle]:
    arts = [a for a, _ in topic_articles]
    out = analyse_many(arts, SETTINGS)
    assert all(isinstance(x, AnalysedArticle) for x in out)
    return {x.article.id: x for x in out}  # type: ignore[union-attr]


def _assign_all(db: Path, items: list[AnalysedArticle], settings: Settings = SETTINGS) -> StoryAssigner:
    with open_store(db) as store:
        assigner = StoryAssigner(store, settings)
        for item, outcome in zip(items, store.add(items), strict=True):
            if outcome == "new":
                assigner.assign(item)
        assigner.save()
    return assigner


def _events_by_story(db: Path, gold: dict[str, str]) -> dict[str, Counter[str]]:
    with open_store(db) as store:
        out: dict[str, Counter[str]] = defaultdict(Counter)
        for story in store.stories():
            for aid in story.article_ids:
                out[story.id][gold[aid]] += 1
    return out


def test_same_kind_events_stay_apart(tmp_path: Path, topic_articles, analysed) -> None:
    gold = {a.id: e for a, e in topic_articles}
    _assign_all(tmp_path / "s.db", [analysed[a.id] for a, _ in topic_articles])
    by_story = _events_by_story(tmp_path / "s.db", gold)
    mixed = [dict(c) for c in by_story.values() if len(c) > 1]
    assert not mixed, f"stories mixing the two events: {mixed}"
    for event in set(gold.values()):
        sizes = sorted((c[event] for c in by_story.values() if event in c), reverse=True)
        assert sizes[0] >= 0.5 * sum(sizes), f"{event} split into {sizes}"


def test_same_kind_events_stay_apart_without_dates(tmp_path: Path, topic_articles, analysed) -> None:
    """ECB+ itself has no dates: text and entities alone must keep the events apart."""
    gold = {a.id: e for a, e in topic_articles}
    items = [replace(analysed[a.id], article=replace(a, published=None)) for a, _ in topic_articles]
    _assign_all(tmp_path / "s.db", items)
    mixed = [dict(c) for c in _events_by_story(tmp_path / "s.db", gold).values() if len(c) > 1]
    assert not mixed


def test_reingest_adds_nothing(tmp_path: Path, topic_articles) -> None:
    arts = [a for a, _ in topic_articles[:6]]
    with open_store(tmp_path / "s.db") as store:
        first = ingest_articles(arts, store, SETTINGS)
        stories = store.count_stories()
        second = ingest_articles(arts, store, SETTINGS)
        assert (first.new, second.new, second.duplicates) == (6, 0, 6)
        assert store.count_articles() == 6
        assert store.count_stories() == stories
        assert second.stories_opened == 0


def test_near_copy_is_linked_and_not_independent(tmp_path: Path, topic_articles, analysed) -> None:
    original = max((a for a, _ in topic_articles), key=lambda a: len(a.text))
    words = original.text.split(" ")
    # A syndicated copy: the same report with a new last sentence and one word changed.
    words[len(words) // 2] = "reportedly"
    copy = Article.create(" ".join(words) + " Staff writers contributed.", published=original.published)
    with open_store(tmp_path / "s.db") as store:
        assigner = StoryAssigner(store, SETTINGS)
        first = analysed[original.id]
        store.add([first])
        opened = assigner.assign(first)
        copy_item = analyse_many([copy], SETTINGS)[0]
        assert isinstance(copy_item, AnalysedArticle)
        store.add([copy_item])
        got = assigner.assign(copy_item)
        assert got.duplicate_kind == "near" and got.duplicate_of == original.id
        assert got.story_id == opened.story_id
        links = store.duplicate_links(copy.id)
        assert [(x.article_id, x.original_id, x.kind) for x in links] == [(copy.id, original.id, "near")]
        assert set(store.story(opened.story_id).article_ids) == {original.id, copy.id}
        assert independent_articles(store, opened.story_id) == [original.id]


def test_late_article_joins_old_story(tmp_path: Path, topic_articles, analysed) -> None:
    """An article ingested in a later run, dated a week after the story began, joins that story."""
    event = topic_articles[0][1]
    same = [a for a, e in topic_articles if e == event]
    others = [a for a, e in topic_articles if e != event]
    # The report that joined its story most clearly when ingested in order is the one sent in late.
    with open_store(tmp_path / "probe.db") as store:
        assigner = StoryAssigner(store, SETTINGS)
        scores = {}
        for a in same:
            store.add([analysed[a.id]])
            got = assigner.assign(analysed[a.id])
            if not got.opened:
                scores[a.id] = got.score
    late = next(a for a in same if a.id == max(scores, key=scores.__getitem__))
    early = [a for a in same if a.id != late.id]
    db = tmp_path / "s.db"
    _assign_all(db, [analysed[a.id] for a in early + others])
    late_item = replace(analysed[late.id], article=replace(late, published=START + timedelta(days=8)))
    with open_store(db) as store:
        stories_before = store.count_stories()
        assigner = StoryAssigner(store, SETTINGS)
        store.add([late_item])
        got = assigner.assign(late_item)
        assert not got.opened
        home = Counter(store.story_of(a.id) for a in early).most_common(1)[0][0]
        assert got.story_id == home
        assert store.count_stories() == stories_before


def test_index_persists_across_restarts(tmp_path: Path, topic_articles, analysed) -> None:
    items = [analysed[a.id] for a, _ in topic_articles]
    half = len(items) // 2
    db = tmp_path / "s.db"
    first = _assign_all(db, items[:half])
    assert len(first.index) == half and not first.loaded
    with open_store(db) as store:
        saved = store.get_blob(BLOB)
        assert saved
        second = StoryAssigner(store, SETTINGS)
        # Loaded from the blob: nothing re-indexed, nothing rebuilt.
        assert second.loaded and not second.rebuilt and second.caught_up == 0
        assert len(second.index) == half
        for item, outcome in zip(items[half:], store.add(items[half:]), strict=True):
            assert outcome == "new"
            second.assign(item)
        second.save()
        assert len(second.index) == len(items)
    # Articles stored by a run that crashed before assigning are caught up on the next open.
    extra = analyse_many([Article.create(topic_articles[0][0].text + " Updated.")], SETTINGS)[0]
    assert isinstance(extra, AnalysedArticle)
    with open_store(db) as store:
        store.add([extra])
        third = StoryAssigner(store, SETTINGS)
        assert third.loaded and third.caught_up == 1
        assert store.story_of(extra.article.id) is not None
        assert len(third.index) == len(items) + 1


def test_recluster_after_threshold_change(tmp_path: Path, topic_articles, analysed) -> None:
    items = [analysed[a.id] for a, _ in topic_articles]
    db = tmp_path / "s.db"
    _assign_all(db, items)
    with open_store(db) as store:
        before = store.count_stories()
        strict = recluster(store, replace(SETTINGS, story_min_probability=1.0), progress=False)
        # Nothing reaches the threshold: every article (that is not a near-copy) opens its own story.
        assert strict == store.count_stories() == len(items) - len(store.duplicate_links())
        loose = recluster(store, SETTINGS, progress=False)
        # Publication order may differ from ingest order, so the count may move a little, not a lot.
        assert loose == store.count_stories() < strict
        assert abs(loose - before) <= 2
        assert all(store.story_of(i.article.id) for i in items)
        # The persisted index matches the reclustered stories.
        again = StoryAssigner(store, SETTINGS)
        assert again.loaded and len(again.index) == len(items)


def test_stories_index_saves_its_vectors_streamed_and_loads_them_back(
    tmp_path: Path, analysed: dict[str, AnalysedArticle]
) -> None:
    """The saved index's vector graph is byte for byte usearch's own save, written from a file rather than
    one in-memory copy, and the index loaded back finds the same neighbours."""
    import io

    import numpy as np

    items = list(analysed.values())
    assigner = _assign_all(tmp_path / "s.db", items)
    index = assigner.index
    assert index.ann is not None and len(index.ann) == len(items)
    buf = io.BytesIO()
    index.write(buf)
    saved = np.load(io.BytesIO(buf.getvalue()))["ann"]
    graph = index.ann.save()
    assert graph is not None and saved.dtype == np.uint8 and bytes(saved) == bytes(graph)
    back = type(index).from_bytes(buf.getvalue(), index.params)
    assert back.ann is not None
    probe = np.asarray(items[0].vector, dtype=np.float32)
    assert list(back.ann.search(probe, 5).keys) == list(index.ann.search(probe, 5).keys)
