"""The background worker that keeps comparisons fresh and makes the facts readers asked for.

:class:`Refresher` holds one thread and a bounded queue of story ids (and ``facts:<article id>`` entries);
with a :class:`corroborator.api.worker.Worker` the work itself runs in that process. Readers
(:mod:`corroborator.api.comparisons`, ``articles``, ``check``, ``jobs``) see it only as a
:class:`~corroborator.api.comparisons.RefreshQueue`, so they never import this module.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from corroborator.api import worker
from corroborator.api.articles import make_facts
from corroborator.api.comparisons import COMPARED_FLAG, compare_story, comparison_key, stale_stories
from corroborator.errors import CorroboratorError, NotFound
from corroborator.settings import Settings

if TYPE_CHECKING:
    from corroborator.api.worker import Worker
    from corroborator.store.base import Store

log = logging.getLogger(__name__)

FACTS_PREFIX = "facts:"  # a queue entry that makes one article's facts (the rest are story ids)


class Refresher:
    """One background worker that compares stories and keeps the results (a bounded queue of story ids),
    and makes the facts of articles a reader opened (``request_facts``).

    Work a reader is waiting for goes first (``urgent``), then the stories found by ingest jobs and sweeps,
    in the order asked. With a ``worker`` (:class:`corroborator.api.worker.Worker`) the work runs in that
    process, so it never holds this process's GIL while readers are served; otherwise on this thread.
    ``enqueue`` never blocks: when the queue is full the id is dropped and found again by the next
    ``sweep`` (which looks for stale stories in the store). Errors are logged; the worker goes on.
    """

    def __init__(
        self,
        store: Store,
        settings: Settings | None = None,
        *,
        size: int = 256,
        sweep_every: float | None = None,
        worker: Worker | None = None,
    ) -> None:
        """``sweep_every``: seconds between sweeps for stale stories (None: one sweep at start only);
        sweeps find stories changed by another process (a ``corroborator ingest`` on the same store)."""
        self._store = store
        self._worker = worker
        self._sweep_every = sweep_every
        self._settings = settings or Settings()
        self._size = size
        self._queue: queue.PriorityQueue[tuple[int, int, str | None]] = queue.PriorityQueue()
        self._order = itertools.count()
        self._queued: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.done = 0
        self.failed = 0
        self.busy: str | None = None
        self._busy_event: threading.Event | None = None
        self._sweeping = False

    def start(self) -> Refresher:
        if self._thread is None:
            self._sweeping = True  # counted as pending until the first sweep has queued what it found
            self._thread = threading.Thread(target=self._run, name="corroborator-refresher", daemon=True)
            self._thread.start()
        return self

    @property
    def running(self) -> bool:
        return self._thread is not None

    def stop(self, timeout: float = 600.0) -> None:
        """Finish the comparison in hand, then stop (queued ids are dropped; a sweep finds them again).

        Waits for the comparison in hand: a process that exits while native model code runs on a
        daemon thread can abort ("terminate called without an active exception")."""
        self._stopping.set()
        self._queue.put((-1, -1, None))
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def request(self, story_id: str, *, urgent: bool = False) -> threading.Event | None:
        """Ask for a story to be (re)compared; the Event is set when the worker is done with it (None:
        the queue is full). ``urgent``: a reader is waiting, so it goes before the background work."""
        with self._lock:
            if story_id == self.busy and self._busy_event is not None:
                return self._busy_event
            if story_id in self._queued:
                event = self._queued[story_id]
                if urgent:  # asked again by a reader: queue it in front too (the later copy is skipped)
                    self._queue.put((0, next(self._order), story_id))
                return event
            if len(self._queued) >= self._size and not urgent:
                return None
            event = threading.Event()
            self._queued[story_id] = event
            self._queue.put((0 if urgent else 1, next(self._order), story_id))
            return event

    def request_facts(self, article_id: str) -> threading.Event | None:
        """Ask for an article's facts (a reader opened it: in front of the background work)."""
        return self.request(FACTS_PREFIX + article_id, urgent=True)

    def enqueue(self, story_id: str) -> bool:
        """Ask for a story to be (re)compared in the background; True if it is queued or being compared."""
        return self.request(story_id) is not None

    def enqueue_many(self, story_ids: Iterable[str]) -> int:
        return sum(self.enqueue(s) for s in story_ids)

    def sweep(self) -> int:
        """Queue every stale story of the store; returns how many were queued. (With a worker process the
        search, a few queries per story, runs there too.)"""
        if self._worker is not None:
            found: list[str] = self._worker.call(worker.stale_in_worker)
        else:
            found = stale_stories(self._store, self._settings)
        return self.enqueue_many(found)

    def _safe_sweep(self) -> None:
        self._sweeping = True
        try:
            self.sweep()
        except Exception:  # a store that went away: the next sweep or request says so
            log.exception("background sweep for stale comparisons failed")
        finally:
            self._sweeping = False

    def pending(self) -> int:
        with self._lock:
            return len(self._queued) + (self.busy is not None) + self._sweeping

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is queued or running (for tests and the soak bench)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.pending() == 0:
                return True
            time.sleep(0.05)
        return self.pending() == 0

    def _run(self) -> None:
        self._safe_sweep()
        while not self._stopping.is_set():
            try:
                _, _, story_id = self._queue.get(timeout=self._sweep_every)
            except queue.Empty:
                self._safe_sweep()
                continue
            if story_id is None:
                return
            with self._lock:
                event = self._queued.pop(story_id, None)
                if event is None:
                    continue  # a second (urgent) copy of an id already done
                self.busy, self._busy_event = story_id, event
            try:
                self._work(story_id)
                self.done += 1
            except NotFound:
                pass  # the story went away (recluster) or was merged: nothing to compare
            except CorroboratorError as exc:
                self.failed += 1
                log.warning("background comparison of %s: %s", story_id, exc)
            except Exception:  # a bug in one comparison must not stop the worker for every other story
                self.failed += 1
                log.exception("background comparison of %s failed", story_id)
            finally:
                with self._lock:
                    self.busy, self._busy_event = None, None
                event.set()

    def _work(self, key: str) -> None:
        if key.startswith(FACTS_PREFIX):
            article_id = key.removeprefix(FACTS_PREFIX)
            if self._worker is not None:
                self._worker.call(worker.facts_in_worker, article_id)
            else:
                make_facts(self._store, article_id)
        elif self._worker is not None:
            self._worker.call(worker.compare_in_worker, key)
        else:
            story = self._store.story(key)
            if self._store.story_flags(key).get(COMPARED_FLAG) != comparison_key(story, self._settings, self._store):
                compare_story(self._store, key, settings=self._settings)
