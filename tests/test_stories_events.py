"""Story events (self-correction's merges and splits) in the store, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime

from corroborator.store import Store, StoryEvent
from test_store_support import item_for

pytest_plugins = ["test_store_support"]  # the store fixtures, over both backends


def test_story_events_are_recorded_listed_and_cleared(store: Store) -> None:
    a = item_for("harbour fire", 1, title="Fire at the harbour")
    b = item_for("harbour fire", 2, title="Harbour fire spreads")
    c = item_for("harbour fire", 3, title="Dock workers evacuated")
    store.add([a, b, c])
    s1 = store.new_story("Fire at the harbour", a.article.id)
    s2 = store.new_story("Harbour fire spreads", b.article.id)
    s3 = store.new_story("Dock workers evacuated", c.article.id)
    assert store.story_events() == []
    store.add_story_event(StoryEvent("merge", s1, s2, c.article.id, 1))
    at = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    store.add_story_event(StoryEvent("split", s1, s3, None, 2, at=at))
    events = store.story_events()
    assert [(e.kind, e.story_id, e.other_id, e.article_id, e.articles) for e in events] == [
        ("merge", s1, s2, c.article.id, 1),
        ("split", s1, s3, None, 2),
    ]
    assert events[0].at is not None and events[0].at.tzinfo is not None  # "now", in UTC
    assert events[1].at == at
    # A story's history holds the events where it is either side, and nothing else.
    assert [e.kind for e in store.story_events(s2)] == ["merge"]
    assert [e.kind for e in store.story_events(s3)] == ["split"]
    assert len(store.story_events(s1)) == 2
    assert len(store.story_events(limit=1)) == 1
    assert "0003_story_events" in [name for name, _ in store.migrations_applied()]
    store.clear_stories()  # recluster starts from nothing: the events go with the stories
    assert store.story_events() == []
