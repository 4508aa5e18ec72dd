"""Durable ingest jobs: a server killed mid-job shows the job as interrupted after a restart and resumes it,
storing every article once; the background worker compares stories nobody opened."""

from __future__ import annotations

import lzma
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("uvicorn")
import httpx

from tests.browser_support import free_port
from tests.conftest import EXAMPLES, shared_path

pytestmark = pytest.mark.slow
RECORDS = 150


@contextmanager
def serving(db: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    cmd = [sys.executable, "-m", "corroborator", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 180  # a busy machine starts Python and FastAPI slowly
        while True:
            try:
                httpx.get(f"{base}/api/health", timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.time() > deadline:
                    raise AssertionError(f"serve did not start: {proc.communicate()[0][-2000:]}") from None
                time.sleep(0.2)
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.terminate()  # a clean stop finishes the comparison in hand first
            try:
                proc.wait(timeout=600)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def poll(base: str, job_id: str, until: set[str], timeout: float = 900) -> dict[str, Any]:
    deadline = time.time() + timeout
    while time.time() < deadline:
        job: dict[str, Any] = httpx.get(f"{base}/api/jobs/{job_id}", timeout=10).json()
        if job["state"] in until:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} never reached {until}: {job}")


def test_web_job_survives_a_killed_server_and_resumes(tmp_path: Path) -> None:
    shard = shared_path("corpus", "allsides", "articles", "articles-02.jsonl.xz")
    with lzma.open(shard, "rt", encoding="utf-8") as fh:
        lines = [next(fh) for _ in range(RECORDS)]
    upload = ("allsides.jsonl", "".join(lines).encode("utf-8"), "application/jsonl")
    db = tmp_path / "jobs.db"
    with serving(db) as (base, proc):
        started = httpx.post(f"{base}/api/ingest", files=[("files", upload)], timeout=60)
        assert started.status_code == 202, started.text
        job_id = started.json()["id"]
        total = started.json()["total"]
        assert total == RECORDS
        # Kill the whole server (no clean shutdown) while the job is part way through.
        poll(base, job_id, {"running"})
        proc.kill()
        proc.wait(timeout=30)
    with serving(db) as (base, _):
        job = httpx.get(f"{base}/api/jobs/{job_id}").json()
        assert job["state"] == "interrupted" and job["resumable"] is True
        stored_before = httpx.get(f"{base}/api/health").json()["articles"]
        assert stored_before < total, "the kill should land before the job finished"
        listed = httpx.get(f"{base}/jobs").text
        assert job_id in listed and "interrupted" in listed
        resumed = httpx.post(f"{base}/api/jobs/{job_id}/resume", timeout=60)
        assert resumed.status_code == 202, resumed.text
        done = poll(base, job_id, {"done", "failed"})
        assert done["state"] == "done", done["errors"]
        assert done["runs"] == 2 and done["total"] == total
        # Nothing lost, nothing stored twice: what the first run stored comes back as duplicates.
        stored = httpx.get(f"{base}/api/health").json()["articles"]
        assert done["duplicates"] >= stored_before
        assert stored == done["new"] + stored_before
        assert stored + done["failed"] + (done["duplicates"] - stored_before) == total
        again = httpx.post(f"{base}/api/jobs/{job_id}/resume")
        assert again.status_code == 400  # a finished job is not run again


def test_web_background_comparisons_fill_the_disputed_filter(tmp_path: Path) -> None:
    """Stories ingested by the CLI, never opened: the server's worker compares them and the list knows."""
    from corroborator.pipeline import ingest
    from corroborator.settings import Settings
    from corroborator.store import open_store

    db = tmp_path / "bg.db"
    with open_store(db) as store:
        ingest([EXAMPLES], store, Settings(ingest_workers=0))
    with serving(db) as (base, _):
        deadline = time.time() + 300
        while httpx.get(f"{base}/api/health").json()["comparisons_pending"] and time.time() < deadline:
            time.sleep(0.2)
        items = httpx.get(f"{base}/api/stories", params={"min_size": 2}).json()["items"]
        assert items and all(s["comparison"] == "fresh" for s in items if s["independent"] >= 2)
        disputed = httpx.get(f"{base}/api/stories", params={"disputed": "true"}).json()["items"]
        fire = max(items, key=lambda s: s["size"])
        # examples/README.md plants contradictions in the fire reports (casualty and evacuation figures).
        assert fire["id"] in {s["id"] for s in disputed}
        started = time.perf_counter()
        story = httpx.get(f"{base}/api/stories/{fire['id']}")
        assert story.status_code == 200 and story.json()["conflicts"]
        assert "x-corroborator-refreshing" not in story.headers
        assert time.perf_counter() - started < 2.0, "a kept comparison is served, not computed"


def test_web_story_never_compared_answers_pending_then_the_comparison(tmp_path: Path) -> None:
    """A reader asking with wait=0 is not held while the first comparison runs; with a wait, gets it."""
    from fastapi.testclient import TestClient

    from corroborator.pipeline import ingest
    from corroborator.settings import Settings
    from corroborator.store import open_store
    from corroborator.web.app import create_app

    with open_store(tmp_path / "p.db") as store:
        ingest([EXAMPLES / "port-elvan-fire"], store, Settings(ingest_workers=0))
        with TestClient(create_app(store, token=None)) as client:
            story = client.get("/api/stories", params={"min_size": 2}).json()["items"][0]
            started = time.perf_counter()
            pending = client.get(f"/api/stories/{story['id']}", params={"wait": 0})
            assert time.perf_counter() - started < 2.0
            assert pending.status_code == 202 and pending.json()["state"] == "pending"
            assert int(pending.headers["retry-after"]) >= 1
            page = client.get(f"/stories/{story['id']}", params={"wait": 0})
            assert page.status_code in (200, 202)
            if page.status_code == 202:
                assert 'id="story-pending"' in page.text and 'http-equiv="refresh"' in page.text
            deadline = time.time() + 900  # models load in the worker first; a loaded machine is slow
            while (done := client.get(f"/api/stories/{story['id']}", params={"wait": 60})).status_code == 202:
                assert time.time() < deadline, "the first comparison never came"
            assert done.status_code == 200 and done.json()["articles"]
