"""Whole-process crash safety (issue 13): ``ingest`` and ``watch`` killed with SIGKILL at seeded random
moments over real AllSides articles. After every kill the store holds no half-stored article, no story
pointing at nothing and a story index in step with the tables; the next run completes the job, and
the final store equals an uninterrupted run's (same articles, same stories)."""

from __future__ import annotations

import json
import lzma
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corroborator.settings import Settings
from corroborator.store import open_store
from tests.conftest import REPO, shared_path

pytestmark = pytest.mark.slow

# Fewer with CORROBORATOR_CRASH_ARTICLES on a machine too busy for the full run.
ARTICLES = int(os.environ.get("CORROBORATOR_CRASH_ARTICLES", "100"))
FILES = 3
NEAR_COPIES = max(2, ARTICLES // 12)
SEED = 13
INGEST_KILLS = 10
WATCH_KILLS = 3
COMMON = ["--set", "ingest_workers=0", "--set", "ingest_batch=8"]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shortest AllSides articles of one shard in JSONL files, plus near-copies (so stories have members)."""
    shard = shared_path("corpus", "allsides", "articles", "articles-02.jsonl.xz")
    with lzma.open(shard, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    records.sort(key=lambda r: len(str(r.get("content_original") or "")))
    chosen = records[:ARTICLES]
    rng = random.Random(SEED)
    for n, original in enumerate(rng.sample(chosen[: ARTICLES // 2], NEAR_COPIES)):
        # republished elsewhere: its own address (at the original's URL a changed body is a version)
        copy = dict(original, ID=f"copy-{n}", url=f"https://copies.example/{n}")
        copy["content_original"] = f"{original['content_original']}\n\nThis report was updated with a correction."
        chosen.append(copy)
    folder = tmp_path_factory.mktemp("crash-inputs")
    per_file = len(chosen) // FILES + 1
    for k in range(FILES):
        part = chosen[k * per_file : (k + 1) * per_file]
        (folder / f"part-{k}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in part), encoding="utf-8")
    return folder


def ingest_cmd(folder: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "corroborator", "ingest", str(folder), "--db", str(db), "-q", *COMMON]


def watch_cmd(folder: Path, db: Path, polls: int = 0) -> list[str]:
    cmd = [sys.executable, "-m", "corroborator", "watch", str(folder), "--db", str(db), "-q", "--interval", "0.2"]
    return [*cmd, "--polls", str(polls), "--set", "watch_settle_seconds=0", *COMMON]


def run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600, check=False)


def stored_count(db: Path) -> int:
    """Articles stored so far, read without the store API (no migrations, no write lock)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0  # not created yet


def kill_at(cmd: list[str], db: Path, target: int, delay: float) -> bool:
    """Run ``cmd`` in its own process group; SIGKILL the group ``delay`` seconds after ``target``
    articles are stored. False if it ended first."""
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while stored_count(db) < target and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return True


def partition(db: Path) -> tuple[set[str], set[frozenset[str]]]:
    with open_store(db, create=False) as store:
        ids = {a.id for a in store.articles()}
        stories = {frozenset(s.article_ids) for s in store.stories()}
    return ids, stories


def bcubed(ours: set[frozenset[str]], gold: set[frozenset[str]]) -> float:
    """B-cubed F1 of one partition against another."""
    of_gold = {a: c for c in gold for a in c}
    of_ours = {a: c for c in ours for a in c}
    items = list(of_gold)
    p = sum(len(of_ours[a] & of_gold[a]) / len(of_ours[a]) for a in items) / len(items)
    r = sum(len(of_ours[a] & of_gold[a]) / len(of_gold[a]) for a in items) / len(items)
    return 2 * p * r / (p + r)


def check_consistent(db: Path) -> int:
    """The invariants that must hold at any kill; returns the number of stored articles."""
    from corroborator.stories import StoryAssigner
    from corroborator.stories.assigner import BLOB

    if not db.exists():
        return 0
    with open_store(db, create=False) as store:
        articles = list(store.articles())
        for a in articles:  # no half-stored article: its sentences and signals came with it
            assert store.sentences(a.id), f"article {a.id} stored without its sentences"
            assert store.article_minhash(a.id) is not None, f"article {a.id} stored without its signals"
        stored = {a.id for a in articles}
        for story in store.stories():  # no story pointing at nothing
            assert story.article_ids, f"story {story.id} has no articles"
            assert set(story.article_ids) <= stored
        # The saved story index is in step with the tables: what it holds is stored, in the same stories.
        saved = store.get_blob(BLOB)
        assigner = StoryAssigner(store, Settings(), catch_up=False)
        index = assigner.index
        assert not saved or assigner.loaded, "the saved story index was ahead of the tables (or unreadable)"
        for article_id, pos in index.pos.items():
            assert article_id in stored
            assert index.story_of[pos] == store.story_of(article_id), f"index and tables disagree on {article_id}"
    return len(articles)


@pytest.fixture(scope="module")
def reference(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[set[str], set[frozenset[str]]]:
    db = tmp_path_factory.mktemp("reference") / "ref.db"
    done = run(ingest_cmd(inputs, db))
    assert done.returncode == 0, done.stderr
    ids, stories = partition(db)
    assert len(ids) == ARTICLES + NEAR_COPIES
    assert len(stories) < len(ids)  # the near-copies joined their originals' stories
    return ids, stories


def kill_points(n: int, total: int) -> list[tuple[int, float]]:
    """``n`` seeded (articles stored, then seconds) kill points spread over the job, in order.

    The delay after the target count lands the kill anywhere: reading the next file, analysing the
    next batch, writing it, assigning its stories or saving the index.
    """
    rng = random.Random(SEED)
    # The last target leaves room for a batch or two, and the delay is short: on a quiet machine ingest
    # stores about 25 articles a second, so a longer delay lets a run finish before its kill (seen in CI).
    targets = sorted(rng.randrange(0, total - 20) for _ in range(n))
    return [(t, rng.uniform(0.0, 0.3)) for t in targets]


def assert_same_as_reference(db: Path, reference: tuple[set[str], set[frozenset[str]]]) -> None:
    ids, stories = partition(db)
    ref_ids, ref_stories = reference
    assert ids == ref_ids
    assert all(len(s) > 0 for s in stories)
    assert stories == ref_stories, f"B-cubed against the uninterrupted run: {bcubed(stories, ref_stories):.3f}"


def test_crash_ingest_sigkill_at_random_points(
    inputs: Path, reference: tuple[set[str], set[frozenset[str]]], tmp_path: Path
) -> None:
    db = tmp_path / "crash.db"
    counts: list[int] = []
    for target, delay in kill_points(INGEST_KILLS, len(reference[0])):
        killed = kill_at(ingest_cmd(inputs, db), db, target, delay)
        counts.append(check_consistent(db))
        if not killed:
            break
    assert len(counts) >= INGEST_KILLS, f"ingest finished before {INGEST_KILLS} kills: {counts}"
    assert sum(0 < c < len(reference[0]) for c in counts) >= INGEST_KILLS // 2, f"kills mid-ingest: {counts}"
    done = run(ingest_cmd(inputs, db))
    assert done.returncode == 0, done.stderr
    summary = done.stdout
    # The re-run analyses only what was missing: stored articles count as duplicates, unanalysed.
    assert f"new {len(reference[0]) - counts[-1]}," in summary, (summary, counts)
    check_consistent(db)
    assert_same_as_reference(db, reference)


def test_crash_watch_sigkill_then_resume(
    inputs: Path, reference: tuple[set[str], set[frozenset[str]]], tmp_path: Path
) -> None:
    db = tmp_path / "watch.db"
    counts: list[int] = []
    for target, delay in kill_points(WATCH_KILLS, len(reference[0])):
        kill_at(watch_cmd(inputs, db), db, target, delay)
        counts.append(check_consistent(db))
    done = run(watch_cmd(inputs, db, polls=1))
    assert done.returncode == 0, done.stderr
    check_consistent(db)
    assert_same_as_reference(db, reference)
    again = run(watch_cmd(inputs, db, polls=1))  # every file is now recorded as seen
    assert "stopped: new 0, duplicates 0, failed 0" in again.stdout, again.stdout + again.stderr
