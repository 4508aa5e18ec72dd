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
import logging
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from corroborator.errors import CorroboratorError
from corroborator.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Callable

    from corroborator.store.base import Store

log = logging.getLogger(__name__)

NICE = 5  # background work yields the CPU to the server's readers
_STORE: Store | None = None
_SETTINGS = Settings()


def _exit_with_parent(parent: int) -> None:
    # A SIGKILLed server cannot shut its pool down; the orphan is re-parented, sees it, and goes.
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def _start(location: str, settings: Settings, nice: int) -> None:
    global _STORE, _SETTINGS
    from corroborator.store import open_store

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the group; the server stops us cleanly
    if nice:
        with contextlib.suppress(OSError):  # not allowed here: run at the server's priority
            os.nice(nice)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    _SETTINGS = settings
    _STORE = open_store(location, create=False)


def _store() -> Store:
    if _STORE is None:
        raise CorroboratorError("the worker process has no store")
    return _STORE


def compare_in_worker(story_id: str) -> None:
    from corroborator.api.comparisons import COMPARED_FLAG, compare_story, comparison_key

    store = _store()
    story = store.story(story_id)
    if store.story_flags(story_id).get(COMPARED_FLAG) != comparison_key(story, _SETTINGS):
        compare_story(store, story_id, settings=_SETTINGS)


def facts_in_worker(article_id: str) -> int:
    from corroborator.api.articles import make_facts

    return make_facts(_store(), article_id)


def check_in_worker(claim: str, story: str | None) -> dict[str, Any]:
    from corroborator.api.check import check_claim

    return check_claim(_store(), claim, story, _SETTINGS).as_dict()


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
                    initargs=(self.location, self._settings, self._nice),
                )
            return self._pool

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        pool = self._executor()
        try:
            return pool.submit(fn, *args).result()
        except BrokenProcessPool as exc:
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            raise CorroboratorError("the background worker process died; it is restarted for the next request") from exc

    def check(self, claim: str, story: str | None = None) -> dict[str, Any]:
        """:func:`corroborator.api.check_claim` in the process, as its JSON shape (``ClaimCheck.as_dict``)."""
        result: dict[str, Any] = self.call(check_in_worker, claim, story)
        return result

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
