"""Batch reads for pages that show many articles: one query, the same answers as the one-at-a-time verbs."""

from __future__ import annotations

from corroborator.store import DuplicateLink, Store
from corroborator.store.base import Store as BaseStore
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
