"""The web server's heavy work in a second process: story comparisons, article facts and claim checks.

Comparisons, fact extraction and stance judgements are seconds of Python and model code. On a thread
of the server process they hold the GIL, and every reader thread then waits for it after each store
query: under a busy worker a stories list of a few hundred small queries took seconds. In a process
of their own they cost the readers only a share of the CPU, and the process runs at a lower priority
(``nice``) so readers come first. The process opens the same store (SQLite WAL or PostgreSQL: many
readers, one writer at a time) and writes what it computes there; the server only reads it back.

The process ends with the server: a clean stop shuts it down, and a server killed outright is noticed
by the process itself (its parent changes), which then exits.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import signal
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor, TimeoutError
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from corroborator.errors import CorroboratorError
from corroborator.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Callable

    from corroborator.store.base import Store

NICE = 5  # background work yields the CPU to the server's readers
_STORE: Store | None = None
_SETTINGS = Settings()


def _exit_with_parent(parent: int) -> None:
    # A SIGKILLed server cannot shut its pool down; the orphan is re-parented, sees it, and goes.
    # ``parent`` is the server's pid as the server knew it: read here, after a kill that came while this
    # process was still starting, getppid() would already name the new parent and nothing would change.
    while True:
        if os.getppid() != parent:
            os._exit(0)
        time.sleep(1.0)


def _settings_fields(settings: Settings) -> dict[str, Any]:
    # By name, not a pickled Settings: a pickle of a slotted dataclass is positional, and the process
    # may import a settings module that gained a field since the server started (an upgrade in place).
    return {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)}


def _start(location: str, fields: dict[str, Any], nice: int, parent: int) -> None:
    global _STORE, _SETTINGS
    from corroborator.store import open_store

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the group; the server stops us cleanly
    if nice:
        with contextlib.suppress(OSError):  # not allowed here: run at the server's priority
            os.nice(nice)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    known = {f.name for f in dataclasses.fields(Settings)}
    _SETTINGS = Settings(**{k: v for k, v in fields.items() if k in known})
    _STORE = open_store(location, create=False)


def _store() -> Store:
    if _STORE is None:
        raise CorroboratorError("the worker process has no store")
    return _STORE


def compare_in_worker(story_id: str) -> None:
    from corroborator.api.comparisons import COMPARED_FLAG, compare_story, comparison_key

    store = _store()
    story = store.story(story_id)
    if store.story_flags(story_id).get(COMPARED_FLAG) != comparison_key(story, _SETTINGS, store):
        compare_story(store, story_id, settings=_SETTINGS)


def stale_in_worker() -> list[str]:
    from corroborator.api.comparisons import stale_stories

    return stale_stories(_store(), _SETTINGS)


def facts_in_worker(article_id: str) -> int:
    from corroborator.api.articles import make_facts

    return make_facts(_store(), article_id)


def check_in_worker(claim: str, story: str | None) -> dict[str, Any]:
    from corroborator.api.check import check_claim

    return check_claim(_store(), claim, story, _SETTINGS).as_dict()


DIED = CorroboratorError("the background worker process died; it is restarted for the next request")


class Worker:
    """One spawned process over the store at ``location``; ``call`` runs a function there and waits.

    Calls are served one at a time, in the order made. A process that died (killed, out of memory) is
    replaced on the next call; the call in hand fails with a CorroboratorError.
    """

    def __init__(self, location: str, settings: Settings | None = None, *, nice: int = NICE) -> None:
        self.location = location
        self._settings = settings or Settings()
        self._nice = nice
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start,
                    initargs=(self.location, _settings_fields(self._settings), self._nice, os.getpid()),
                )
            return self._pool

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """Run ``fn(*args)`` in the process; the Future's result is a CorroboratorError when it died."""
        pool = self._executor()
        try:
            inner = pool.submit(fn, *args)
        except BrokenProcessPool:
            inner = self._replace(pool).submit(fn, *args)
        outer: Future[Any] = Future()

        def relay(done: Future[Any]) -> None:
            exc = done.exception()
            if isinstance(exc, BrokenProcessPool):
                self._replace(pool)
                outer.set_exception(DIED)
            elif exc is not None:
                outer.set_exception(exc)
            else:
                outer.set_result(done.result())

        inner.add_done_callback(relay)
        return outer

    def _replace(self, broken: ProcessPoolExecutor) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is broken:
                self._pool = None
        return self._executor()

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        return self.submit(fn, *args).result()

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


class Busy(CorroboratorError):
    """Enough claim checks are running or waiting; ask again later."""


class ClaimChecks:
    """Claim checks run in a worker process, one at a time, each answered as soon as it is done.

    A check of a claim against a store whose sentence vectors are not made yet is minutes of CPU on a
    busy machine, far longer than a reader should hold a connection. So a request waits up to its
    ``wait`` and otherwise gets None ("pending"); the check goes on, and its result is kept (the last
    ``keep`` checks, by claim and story) for the same request made again. At most ``waiting`` checks
    wait behind the one running; beyond that :class:`Busy`.
    """

    def __init__(self, worker: Worker, *, waiting: int = 2, keep: int = 64) -> None:
        self._worker = worker
        self._waiting = waiting
        self._keep = keep
        self._checks: OrderedDict[tuple[str, str | None], Future[Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, claim: str, story: str | None, wait: float) -> dict[str, Any] | None:
        """The check's ``ClaimCheck.as_dict()``, or None while it runs. Raises the check's own errors."""
        key = (claim.strip(), story)
        with self._lock:
            future = self._checks.get(key)
            if future is None:
                if sum(not f.done() for f in self._checks.values()) > self._waiting:
                    raise Busy("too many claim checks at once; try again in a minute")
                future = self._checks[key] = self._worker.submit(check_in_worker, *key)
                while len(self._checks) > self._keep:
                    oldest = next(iter(self._checks))
                    if not self._checks[oldest].done():
                        break
                    del self._checks[oldest]
            self._checks.move_to_end(key)
        try:
            result: dict[str, Any] = future.result(timeout=wait)
        except TimeoutError:
            return None
        except BaseException:
            with self._lock:  # a failed check is not kept: asking again tries again
                if self._checks.get(key) is future:
                    del self._checks[key]
            raise
        return result
