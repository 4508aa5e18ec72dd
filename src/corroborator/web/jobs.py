"""Background ingest jobs for uploads, so a page can show progress instead of freezing.

A job runs in one thread per upload; the store serialises writes, so jobs and page reads can overlap.
Finished jobs are kept (bounded) so a page that polls late still gets the outcome.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from corroborator.errors import InputError
from corroborator.model import Article
from corroborator.pipeline import IngestReport, ingest_articles
from corroborator.settings import Settings
from corroborator.store.base import Store


@dataclass
class Job:
    id: str
    total: int
    state: str = "queued"  # queued | running | done | failed
    read: int = 0
    new: int = 0
    duplicates: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    story_ids: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    finished: float | None = None

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["progress"] = 1.0 if self.state == "done" else (self.read / self.total if self.total else 0.0)
        return out


class JobRunner:
    def __init__(self, store: Store, settings: Settings, keep: int = 100) -> None:
        self._store = store
        self._settings = settings
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._keep = keep
        self._lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def start(self, items: Sequence[Article | InputError]) -> Job:
        job = Job(id=uuid.uuid4().hex[:12], total=len(items))
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self._keep:
                self._jobs.popitem(last=False)
        thread = threading.Thread(target=self._run, args=(job, list(items)), daemon=True)
        thread.start()
        return job

    def _run(self, job: Job, items: list[Article | InputError]) -> None:
        job.state = "running"

        def hook(report: IngestReport, error: str | None) -> None:
            job.read, job.new, job.duplicates, job.failed = (
                report.read + report.failed,
                report.new,
                report.duplicates,
                report.failed,
            )
            if error:
                job.errors.append(error)

        try:
            # In-process analysis: a web server should not fork model-loading workers per upload.
            settings = self._settings.with_overrides({"ingest_workers": "0"})
            ingest_articles(items, self._store, settings, on_progress=hook)
            ids = {a.id for a in items if isinstance(a, Article)}
            job.story_ids = sorted({s for s in (self._store.story_of(i) for i in ids) if s})
            job.state = "done"
        except Exception as exc:  # the job reports, the server stays up
            job.errors.append(f"ingest failed: {type(exc).__name__}: {exc}")
            job.state = "failed"
        job.finished = time.time()
