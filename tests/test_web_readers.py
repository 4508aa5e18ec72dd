"""Readers never wait on analysis: an article's facts are made by the background worker, not in the request;
with the worker in its own process (``serve``), facts, comparisons and claim checks happen there."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from corroborator.api import check_claim
from corroborator.pipeline import ingest
from corroborator.settings import Settings
from corroborator.store import open_store
from corroborator.store.base import Store
from corroborator.text.facts import FACTS_ANALYSER, extract_facts
from corroborator.web.app import create_app
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow
FIRE = EXAMPLES / "port-elvan-fire"


def _store(path: Path, *, facts: bool = False) -> Store:
    """Ingested without facts (a store of an earlier version, or ``ingest_facts`` off) unless ``facts``."""
    store = open_store(path)
    ingest([FIRE], store, Settings(ingest_workers=0, ingest_facts=facts))
    return store


def _facts_until_ready(client: TestClient, article_id: str, timeout: float = 600) -> dict[str, object]:
    deadline = time.time() + timeout  # models load in the worker first; a loaded machine is slow
    while True:
        body: dict[str, object] = client.get(f"/api/articles/{article_id}", params={"wait": 5}).json()
        if body["facts_state"] == "ready":
            return body
        assert time.time() < deadline, "the worker never made the facts"


def _expected_facts(store: Store, article_id: str) -> list[tuple[str, int, int]]:
    article = store.get_article(article_id)
    return [(f.kind, f.start, f.end) for f in extract_facts(article, store.sentences(article_id))]


def test_web_article_page_reads_only_and_facts_come_from_the_worker(tmp_path: Path) -> None:
    with _store(tmp_path / "r.db") as store:
        article_id = next(iter(store.iter_articles())).id
        assert store.facts(article_id, FACTS_ANALYSER) is None
        with TestClient(create_app(store, token=None)) as client:
            started = time.perf_counter()
            first = client.get(f"/api/articles/{article_id}", params={"wait": 0})
            elapsed = time.perf_counter() - started
            assert first.status_code == 200
            body = first.json()
            if body["facts_state"] == "pending":  # the usual case: the worker is still loading its models
                assert body["facts"] == [] and body["text"] and body["sentences"]
                assert elapsed < 2.0, "a pending article is answered at once"
                page = client.get(f"/articles/{article_id}", params={"wait": 0})
                if 'id="facts-pending"' in page.text:
                    assert 'http-equiv="refresh"' in page.text
            ready = _facts_until_ready(client, article_id)
            got = [(f["kind"], f["start"], f["end"]) for f in ready["facts"]]  # type: ignore[attr-defined]
            assert got and got == _expected_facts(store, article_id)
            page = client.get(f"/articles/{article_id}")
            assert 'id="fact-legend"' in page.text and "mark" in page.text
            # Kept now: read again without any wait.
            again = client.get(f"/api/articles/{article_id}", params={"wait": 0}).json()
            assert again["facts_state"] == "ready" and again["facts"] == ready["facts"]


def test_web_article_facts_made_at_ingest_are_ready_at_once(tmp_path: Path) -> None:
    with _store(tmp_path / "f.db", facts=True) as store:
        ids = [a.id for a in store.iter_articles()]
        assert ids and all(store.facts(a, FACTS_ANALYSER) is not None for a in ids)
        with TestClient(create_app(store, token=None)) as client:
            for article_id in ids:
                body = client.get(f"/api/articles/{article_id}", params={"wait": 0}).json()
                assert body["facts_state"] == "ready"
                got = [(f["kind"], f["start"], f["end"]) for f in body["facts"]]
                assert got and got == _expected_facts(store, article_id)


def test_web_worker_process_makes_facts_compares_and_checks(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    with _store(db) as store:
        article_id = next(iter(store.iter_articles())).id
        app = create_app(store, token=None, location=str(db))
        ctx = app.state.ctx
        assert ctx.checks is not None
        with TestClient(app) as client:
            ready = _facts_until_ready(client, article_id)
            got = [(f["kind"], f["start"], f["end"]) for f in ready["facts"]]  # type: ignore[attr-defined]
            assert got == _expected_facts(store, article_id)
            # The startup sweep compares the fire story in the worker process; the list then knows it.
            assert ctx.refresher.wait_idle(900)
            items = client.get("/api/stories", params={"min_size": 2}).json()["items"]
            assert items and all(s["comparison"] == "fresh" for s in items if s["independent"] >= 2)
            claim = "Thousands of residents were evacuated from Port Elvan"
            # The check runs in its own process: asked with wait=0 it answers 202 pending at once.
            started = time.perf_counter()
            first = client.get("/api/check", params={"claim": claim, "limit": 200, "wait": 0})
            assert time.perf_counter() - started < 2.0
            if first.status_code == 202:
                assert first.json()["state"] == "pending" and int(first.headers["retry-after"]) >= 1
            deadline = time.time() + 600
            while (checked := client.get("/api/check", params={"claim": claim, "limit": 200})).status_code == 202:
                assert time.time() < deadline, "the check never finished"
            assert checked.status_code == 200, checked.text
            # The kept answer serves the same request again, unchanged (it once lost its rows to the first).
            again = client.get("/api/check", params={"claim": claim, "limit": 200, "wait": 0})
            assert again.status_code == 200 and again.json()["results"] == checked.json()["results"]
            here = check_claim(store, claim, settings=Settings()).as_dict()
            assert [(r["article"], r["stance"]) for r in checked.json()["results"]] == [
                (r["article"], r["stance"]) for r in here["results"]
            ]


_KILLED_WHILE_STARTING = """
import os, signal, sys, time
from corroborator.api.worker import Worker, stale_in_worker
worker = Worker(sys.argv[1])
worker.submit(stale_in_worker)  # spawns the worker process, which takes seconds to import
while not worker._executor()._processes:
    time.sleep(0.01)
print(*worker._executor()._processes, flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # the server dies before its worker has started
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_worker_exits_when_its_server_is_killed_while_it_starts(tmp_path: Path) -> None:
    """The worker watches the pid the server handed it, not the parent it finds once started: a server
    SIGKILLed while the worker was still importing has left it re-parented already, and it must still go
    (an orphan seen once after the SIGKILL test of test_web_jobs)."""
    import subprocess
    import sys
    import time

    from corroborator.store import open_store

    db = tmp_path / "w.db"
    open_store(str(db)).close()
    server = subprocess.run(
        [sys.executable, "-c", _KILLED_WHILE_STARTING, str(db)], capture_output=True, text=True, timeout=120
    )
    assert server.returncode == -9, server.stderr[-2000:]
    pids = [int(p) for p in server.stdout.split()]
    assert pids
    deadline = time.monotonic() + 60
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not any(_alive(p) for p in pids), f"worker {pids} outlived its killed server"
