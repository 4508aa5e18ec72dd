"""Nothing stored is lost or torn: interrupted batches, a writer killed with SIGKILL, threads, two writers."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from corroborator.model import AnalysedArticle
from corroborator.store import Store, open_store
from test_store_support import REPO_SRC, fresh_location, item_for, raw_execute

pytest_plugins = ["test_store_support"]  # the store fixtures, over both backends

# The child commits 5 batches of 20 AllSides-sized articles (44 sentences, 512-d vector), printing the
# running total, then starts one batch of 3,000 and is killed while writing it.
WRITER = r"""
import hashlib
import sys
from corroborator.model import AnalysedArticle, Article, Sentence
from corroborator.store import open_store

location, start = sys.argv[1], int(sys.argv[2])
VECTOR, MINHASH = tuple([0.25] * 512), tuple(range(128))

def probe_id(n):
    return hashlib.sha256(str(n).encode()).hexdigest()[:16]

def item(n):
    # Cheap to build (the child must reach the big batch fast): ids are a hash of n, not of the text.
    parts = [f"Crash probe {n}, sentence {i}: the pumps moved {n * 13 + i} litres." for i in range(44)]
    art = Article(id=probe_id(n), text=" ".join(parts), source="probe", external_id=f"probe-{n}")
    sents, pos = [], 0
    for i, p in enumerate(parts):
        sents.append(Sentence(art.id, i, pos, pos + len(p), p))
        pos += len(p) + 1
    return AnalysedArticle(art, tuple(sents), vector=VECTOR, minhash=MINHASH)

with open_store(location) as store:
    for b in range(5):
        batch = [item(k) for k in range(start + 20 * b, start + 20 * b + 20)]
        assert store.add(batch) == ["new"] * 20
        print(20 * b + 20, flush=True)
    big = [item(k) for k in range(start + 100, start + 3100)]
    print("big", flush=True)
    store.add(big)
    print("finished", flush=True)
"""


class Interrupted(Sequence[AnalysedArticle]):
    """A batch whose reader fails at item ``at`` (as a crashing generator or Ctrl-C would)."""

    def __init__(self, items: list[AnalysedArticle], at: int, exc: BaseException) -> None:
        self._items, self._at, self._exc = items, at, exc

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, i: int | slice) -> AnalysedArticle | Sequence[AnalysedArticle]:  # type: ignore[override]
        if isinstance(i, slice):
            return self._items[i]
        if i == self._at:
            raise self._exc
        return self._items[i]


def _complete(location: str) -> None:
    """Every stored article has all its sentences and its signals (no half-written article)."""
    torn = raw_execute(
        location,
        "SELECT a.id FROM articles a LEFT JOIN sentences s ON s.article_id = a.id"
        " GROUP BY a.id HAVING COUNT(s.idx) <> 44",
    )
    assert torn == []
    assert raw_execute(location, "SELECT COUNT(*) FROM articles") == raw_execute(
        location, "SELECT COUNT(*) FROM article_signals"
    )


@pytest.mark.parametrize("exc", [RuntimeError("reader crashed"), KeyboardInterrupt()], ids=["error", "ctrl-c"])
def test_store_interrupted_batch_rolls_back_and_store_stays_usable(store: Store, exc: BaseException) -> None:
    earlier = [item_for("pier", i) for i in range(3)]
    assert store.add(earlier) == ["new"] * 3
    batch = [item_for("pier", i) for i in range(10, 15)]
    with pytest.raises(type(exc)):
        store.add(Interrupted(batch, 3, exc))
    assert store.count_articles() == 3  # the unfinished batch left nothing
    assert not any(store.has_article(i.article.id) for i in batch)
    for item in earlier:
        assert store.get_article(item.article.id) == item.article
        assert store.sentences(item.article.id) == list(item.sentences)
    assert store.add(batch) == ["new"] * 5  # the lock and the connection were released cleanly
    sid = store.new_story("Pier", batch[0].article.id)
    assert store.story(sid).article_ids == (batch[0].article.id,)


def _probe_ids(start: int, count: int) -> list[str]:
    return [hashlib.sha256(str(n).encode()).hexdigest()[:16] for n in range(start, start + count)]


@pytest.mark.slow
def test_store_survives_a_writer_killed_mid_batch(location: str) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([REPO_SRC, os.environ.get("PYTHONPATH", "")])}
    for round_, delay in enumerate((0.05, 0.25)):
        start = round_ * 100_000
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, location, str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None and child.stderr is not None
        lines = []
        while (line := child.stdout.readline().strip()) and line != "big":
            lines.append(line)
        assert line == "big", child.stderr.read()
        time.sleep(delay)  # the big batch is being written now
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        rest = child.stdout.read()
        assert "finished" not in rest, "the big batch ended before the kill; make it bigger"
        assert lines[-1] == "100"
        if location.startswith("postgresql://"):
            time.sleep(0.2)  # let the server notice the dead client and roll its transaction back
        with open_store(location) as store:
            # Every committed batch, nothing of the killed one.
            assert store.count_articles() == 100 * (round_ + 1)
            for aid in _probe_ids(start, 100):
                assert store.has_article(aid)
            for aid in _probe_ids(start + 100, 3000)[::300]:
                assert not store.has_article(aid)
            store.put_blob(f"after crash {round_}", b"writable again")
        if not location.startswith("postgresql://"):
            assert raw_execute(location, "PRAGMA integrity_check") == [("ok",)]
        _complete(location)


def test_store_threads_share_one_store(store: Store) -> None:
    errors: list[BaseException] = []
    stop = threading.Event()

    def write(worker: int) -> None:
        for b in range(5):
            items = [item_for(f"thread {worker}", b * 10 + k) for k in range(5)]
            assert store.add(items) == ["new"] * 5

    def read() -> None:
        try:
            while not stop.is_set():
                for article in store.articles(limit=5):
                    assert store.get_article(article.id) == article
                store.count_articles()
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for t in readers:
        t.start()
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(write, range(4)))
    finally:
        stop.set()
        for t in readers:
            t.join()
    assert errors == []
    assert store.count_articles() == 100


def test_store_two_writers_on_one_store(location: str) -> None:
    with open_store(location) as one, open_store(location) as two:
        a, b, c = item_for("mill", 1), item_for("mill", 2), item_for("mill", 3)
        assert one.add([a]) == ["new"]
        assert two.add([b, a]) == ["new", "duplicate"]
        assert one.add([c, b]) == ["new", "duplicate"]
        assert one.count_articles() == two.count_articles() == 3
        sid = two.new_story("Mill", a.article.id)
        one.assign(b.article.id, sid, 0.9)
        assert two.story(sid).article_ids == (a.article.id, b.article.id)


@pytest.mark.postgres
def test_store_postgres_recovers_from_lost_connections(tmp_path: Path) -> None:
    from corroborator.errors import StoreError

    a, b = item_for("outage", 1), item_for("outage", 2)
    with fresh_location("postgres", tmp_path) as location, open_store(location) as store:
        store.add([a])
        assert store.count_articles() == 1
        # What a server restart does to the store's sessions (and only to them: tests run in parallel).
        own = {store._writer.info.backend_pid, *(c.info.backend_pid for c in store._readers)}  # type: ignore[attr-defined]
        for pid in own:
            assert raw_execute(location, f"SELECT pg_terminate_backend({pid})") == [(True,)]
        with pytest.raises(StoreError):
            store.count_articles()
        assert store.count_articles() == 1  # a fresh read connection
        with pytest.raises(StoreError):
            store.add([b])
        assert store.add([b]) == ["new"]  # the writer reconnected
        assert store.get_article(b.article.id) == b.article
