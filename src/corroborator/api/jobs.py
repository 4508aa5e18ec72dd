"""Ingest jobs that survive a restart: the uploaded files, progress and failures are kept in the store.

A job is started with the files a user uploaded; it runs on its own thread (the store serialises writes,
so reads go on meanwhile) and records its progress as it goes. A server that stops mid-job leaves the
job "running" in the store; the next :class:`JobRunner` on that store marks it "interrupted", and
``resume`` runs it again from its recorded files: articles already stored come back as duplicates, so
nothing is stored twice and nothing is lost.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from corroborator.errors import CorroboratorError, InputError, NotFound
from corroborator.model import Article
from corroborator.settings import Settings

if TYPE_CHECKING:
    from corroborator.api.comparisons import RefreshQueue
    from corroborator.pipeline import IngestReport
    from corroborator.store.base import Store

KIND = "ingest"
LIVE = ("queued", "running")
SAVE_EVERY_S = 0.5  # progress written to the store at most this often (and at the end)


@dataclass
class Job:
    id: str
    total: int
    state: str = "queued"  # queued | running | done | failed | interrupted
    read: int = 0
    new: int = 0
    duplicates: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    story_ids: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    finished: float | None = None
    runs: int = 0  # 1 for a job that ran once; each resume adds one

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["progress"] = 1.0 if self.state == "done" else (self.read / self.total if self.total else 0.0)
        out["resumable"] = self.state in ("interrupted", "failed")
        return out

    @classmethod
    def from_json(cls, job_id: str, state: str, data: str) -> Job:
        fields = json.loads(data)
        known = {k: v for k, v in fields.items() if k in cls.__dataclass_fields__ and k not in ("id", "state")}
        return cls(id=job_id, state=state, **known)

    def to_json(self) -> str:
        data = asdict(self)
        data.pop("id")
        data.pop("state")
        data["errors"] = data["errors"][-200:]  # a job of thousands of bad files keeps the last ones
        return json.dumps(data, ensure_ascii=False)


def read_files(files: Sequence[tuple[str, bytes]], settings: Settings) -> list[Article | InputError]:
    """Articles and one-line errors from uploaded (name, bytes); the name only picks the reader."""
    from corroborator.ingest import read_bytes

    items: list[Article | InputError] = []
    for name, data in files:
        got, errs = read_bytes(name, data, settings)
        items.extend(got)
        items.extend(errs)
    return items


class JobRunner:
    """Starts, tracks and resumes ingest jobs on one store (one thread per running job)."""

    def __init__(self, store: Store, settings: Settings | None = None, refresher: RefreshQueue | None = None) -> None:
        self._store = store
        self._settings = settings or Settings()
        self._refresher = refresher
        self._live: dict[str, Job] = {}
        self._threads: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()
        # Jobs left running by a server that stopped are not running any more: say so.
        for job_id in store.jobs(LIVE, limit=10_000):
            found = store.job(job_id)
            if found is not None:
                job = Job.from_json(job_id, "interrupted", found[2])
                store.put_job(job_id, KIND, "interrupted", job.to_json())

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            if job_id in self._live:
                return self._live[job_id]
        found = self._store.job(job_id)
        return None if found is None else Job.from_json(job_id, found[1], found[2])

    def recent(self, limit: int = 20) -> list[Job]:
        return [j for j in (self.get(i) for i in self._store.jobs(limit=limit)) if j is not None]

    def start(self, files: Sequence[tuple[str, bytes]], items: Sequence[Article | InputError] | None = None) -> Job:
        """Record a job for ``files`` and run it; ``items``: the files already read (else read here)."""
        if items is None:
            items = read_files(files, self._settings)
        job = Job(id=uuid.uuid4().hex[:12], total=len(items))
        self._store.put_job(job.id, KIND, job.state, job.to_json(), files=list(files))
        self._launch(job, list(items))
        return job

    def resume(self, job_id: str) -> Job:
        """Run an interrupted (or failed) job again from its recorded files."""
        job = self.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id!r}")
        if job.state not in ("interrupted", "failed"):
            raise CorroboratorError(f"job {job_id} is {job.state}; only an interrupted or failed job can be resumed")
        items = read_files(self._store.job_files(job_id), self._settings)
        again = Job(id=job.id, total=len(items), started=job.started, runs=job.runs)
        self._store.put_job(again.id, KIND, again.state, again.to_json())
        self._launch(again, items)
        return again

    def wait(self, job_id: str, timeout: float | None = None) -> None:
        thread = self._threads.get(job_id)
        if thread is not None:
            thread.join(timeout)

    def _launch(self, job: Job, items: list[Article | InputError]) -> None:
        with self._lock:
            self._live[job.id] = job
        thread = threading.Thread(target=self._run, args=(job, items), name=f"job-{job.id}", daemon=True)
        self._threads[job.id] = thread
        thread.start()

    def _save(self, job: Job) -> None:
        self._store.put_job(job.id, KIND, job.state, job.to_json())

    def _run(self, job: Job, items: list[Article | InputError]) -> None:
        from corroborator.api.comparisons import independent_sources
        from corroborator.pipeline import ingest_articles

        job.state = "running"
        job.runs += 1
        self._save(job)
        last = time.monotonic()

        def hook(report: IngestReport, error: str | None) -> None:
            nonlocal last
            job.read, job.new, job.duplicates, job.failed = (
                report.read + report.failed,
                report.new,
                report.duplicates,
                report.failed,
            )
            if error:
                job.errors.append(error)
            if time.monotonic() - last >= SAVE_EVERY_S:
                last = time.monotonic()
                self._save(job)

        try:
            # In-process analysis: a web server should not fork model-loading workers per upload.
            settings = self._settings.with_overrides({"ingest_workers": "0"})
            ingest_articles(items, self._store, settings, on_progress=hook)
            ids = {a.id for a in items if isinstance(a, Article)}
            job.story_ids = sorted({s for s in (self._store.story_of(i) for i in ids) if s})
            job.state = "done"
            if self._refresher is not None:
                # Stories that now have two independent sources get compared before anyone asks.
                for sid in job.story_ids:
                    if independent_sources(self._store, self._store.story(sid)) >= 2:
                        self._refresher.enqueue(sid)
        except Exception as exc:  # the job reports, the server stays up
            job.errors.append(f"ingest failed: {type(exc).__name__}: {exc}")
            job.state = "failed"
        job.finished = time.time()
        try:
            self._save(job)
        finally:
            with self._lock:
                self._live.pop(job.id, None)
