"""Batch reads for pages that show many articles: one query, the same answers as the one-at-a-time verbs."""

from __future__ import annotations

import random
from pathlib import Path

from corroborator.store import DuplicateLink, Store
from corroborator.store.base import Store as BaseStore
from corroborator.store.base import StoryEvent
from test_store_support import item_for

pytest_plugins = ["test_store_support"]  # the store fixtures, over both backends


def test_store_get_articles_matches_get_article_in_order(store: Store) -> None:
    items = [item_for("harbour", i) for i in range(7)]
    assert store.add(items) == ["new"] * 7
    ids = [it.article.id for it in items]
    wanted = [ids[5], ids[0], "0" * 16, ids[3], ids[0]]  # an unknown id and a repeat
    got = store.get_articles(wanted)
    assert [a.id for a in got] == [ids[5], ids[0], ids[3], ids[0]]
    assert got == [store.get_article(a) for a in (ids[5], ids[0], ids[3], ids[0])]
    # The facade's default (one look-up each) gives the same answer as the backend's one query.
    assert BaseStore.get_articles(store, wanted) == got
    assert store.get_articles([]) == []
    many = [item_for("bridge", i) for i in range(600)]  # more ids than one IN list holds
    store.add(many)
    assert [a.id for a in store.get_articles([m.article.id for m in many])] == [m.article.id for m in many]


def test_store_duplicate_links_from_are_the_copies_links(store: Store) -> None:
    a, b, c, d = (item_for("quay", i) for i in range(4))
    store.add([a, b, c, d])
    ida, idb, idc, idd = (x.article.id for x in (a, b, c, d))
    store.link_duplicate(DuplicateLink(idb, ida, "exact", 1.0))
    store.link_duplicate(DuplicateLink(idc, ida, "near", 0.9))
    store.link_duplicate(DuplicateLink(idd, idc, "near", 0.85))
    got = store.duplicate_links_from([idb, idd, ida])
    assert sorted((x.article_id, x.original_id) for x in got) == [(idb, ida), (idd, idc)]
    assert sorted(got, key=lambda x: x.article_id) == sorted(
        BaseStore.duplicate_links_from(store, [idb, idd, ida]), key=lambda x: x.article_id
    )
    assert store.duplicate_links_from([]) == []


def test_store_story_flags_of_matches_story_flags(store: Store) -> None:
    items = [item_for("ferry", i) for i in range(4)]
    store.add(items)
    sids = [store.new_story(f"story {i}", it.article.id) for i, it in enumerate(items)]
    store.set_story_flag(sids[0], "disputed", "1")
    store.set_story_flag(sids[0], "merged_from", "x,y")
    store.set_story_flag(sids[2], "disputed", "0")
    got = store.story_flags_of([sids[2], sids[0], sids[1], sids[0]])
    assert list(got) == [sids[2], sids[0], sids[1]]
    assert got == {s: store.story_flags(s) for s in (sids[2], sids[0], sids[1])}
    assert got[sids[0]] == {"disputed": "1", "merged_from": "x,y"} and got[sids[1]] == {}
    assert BaseStore.story_flags_of(store, [sids[2], sids[0], sids[1]]) == got
    assert store.story_flags_of([]) == {}


def test_store_story_events_of_matches_story_events(store: Store) -> None:
    items = [item_for("wharf", i) for i in range(5)]
    store.add(items)
    sids = [store.new_story(f"story {i}", it.article.id) for i, it in enumerate(items)]
    aids = [it.article.id for it in items]
    # Events name two stories: each must be listed under both, oldest first, cut at the limit per story.
    store.add_story_event(StoryEvent("merge", sids[0], sids[1], aids[0], 2))
    store.add_story_event(StoryEvent("split", sids[0], sids[2], aids[2], 1))
    store.add_story_event(StoryEvent("merge", sids[3], sids[0], aids[3], 3))
    wanted = [sids[0], sids[1], sids[2], sids[3], sids[4]]
    for limit in (1, 2, 100):
        got = store.story_events_of(wanted, limit)
        assert got == {s: store.story_events(s, limit) for s in wanted}
        assert got == BaseStore.story_events_of(store, wanted, limit)
    got = store.story_events_of(wanted)
    assert [(e.kind, e.story_id, e.other_id) for e in got[sids[0]]] == [
        ("merge", sids[0], sids[1]),
        ("split", sids[0], sids[2]),
        ("merge", sids[3], sids[0]),
    ]
    assert got[sids[4]] == []
    many = [item_for("pier", i) for i in range(300)]  # more ids than one IN list holds, bound twice
    store.add(many)
    more = [store.new_story("m", m.article.id) for m in many]
    store.add_story_event(StoryEvent("merge", more[-1], more[0], many[-1].article.id, 1))
    got = store.story_events_of(more)
    assert len(got[more[0]]) == 1 and len(got[more[-1]]) == 1 and sum(map(len, got.values())) == 2


def test_store_put_blob_streams_a_file_like_the_bytes_it_holds(store: Store, tmp_path: Path) -> None:
    # A story index is saved through a temporary file (stories.assigner.save); SQLite writes it in place in
    # 1 MB pieces, other backends read it whole. Either way the blob must equal the file, replacing any old one.
    rng = random.Random(13)
    big = bytes(rng.getrandbits(8) for _ in range(3 * (1 << 20) + 12345))
    for payload in (big, b"short", b"", big[: 1 << 20]):
        path = tmp_path / "blob.bin"
        path.write_bytes(payload)
        with path.open("rb") as fh:
            fh.read(3)  # not at the start: the store rewinds
            store.put_blob("index", fh)
        assert store.get_blob("index") == payload
    store.put_blob("index", b"bytes again")
    assert store.get_blob("index") == b"bytes again"
