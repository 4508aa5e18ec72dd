"""The store refuses an article it cannot write alone, on SQLite and PostgreSQL (issue 13): a lone
surrogate in any text column of an article built past the readers (an API caller) is one failure row,
and the rest of the batch is stored."""

from __future__ import annotations

from corroborator.model import AnalysedArticle
from corroborator.store import Store
from test_store_support import item_for

pytest_plugins = ["test_store_support"]  # the store fixtures, over both backends

FIELDS = ("source", "url", "title", "byline", "external_id", "origin")


def unwritable(field: str) -> AnalysedArticle:
    return item_for(f"harbour vote {field}", seed=len(field), **{field: "bad \ud800 value"})


def test_ingest_store_refuses_unwritable_article_alone(store: Store) -> None:
    good = [item_for(f"pier repair {n}", seed=n) for n in range(4)]
    bad = [unwritable(field) for field in FIELDS]
    batch = [good[0], *bad[:3], good[1], good[2], *bad[3:], good[3]]
    outcomes = store.add(batch)
    assert [o for o, item in zip(outcomes, batch, strict=True) if item in good] == ["new"] * 4
    assert [o for o, item in zip(outcomes, batch, strict=True) if item in bad] == ["failed"] * len(FIELDS)
    assert store.count_articles() == 4
    messages = [m for _, m, _ in store.failures()]
    assert len(messages) == len(FIELDS) and all("not valid Unicode" in m for m in messages)
    assert all(m.encode("utf-8") for m in messages)
