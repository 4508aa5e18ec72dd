"""``Store.add`` keeps up with ingest: AllSides-sized articles (44 sentences, 512-d vector) in batches of 64.

The full measurement on real AllSides text is bench/store_add.py; this guards against a regression to
row-at-a-time writes (which ran at ~290 articles/s on PostgreSQL and ~1,100 on SQLite here). The best
of three runs is taken because the test machine's cores are shared with the database server and other
tests.
"""

from __future__ import annotations

import time

from corroborator.store import Store
from test_store_support import make_item, report_sentences

pytest_plugins = ["test_store_support"]  # the store fixtures, over both backends

FLOOR = {"sqlite": 500.0, "postgres": 300.0}  # articles/s


def test_store_add_throughput(store: Store) -> None:
    items = [make_item(report_sentences("throughput", 44, i), dim=512) for i in range(3 * 256)]
    rates = []
    for run in range(3):
        chunk = items[run * 256 : (run + 1) * 256]
        started = time.perf_counter()
        for i in range(0, len(chunk), 64):
            assert store.add(chunk[i : i + 64]) == ["new"] * len(chunk[i : i + 64])
        rates.append(len(chunk) / (time.perf_counter() - started))
    best = max(rates)
    print(f"{store.backend}: add() best {best:.0f} articles/s (runs: {', '.join(f'{r:.0f}' for r in rates)})")
    assert store.count_articles() == len(items)
    assert best > FLOOR[store.backend], f"{store.backend} add() at {best:.0f} articles/s"
