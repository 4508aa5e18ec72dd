"""corroborator.once: a shared instance per key, built once when threads ask together, re-entrant."""

from __future__ import annotations

import threading
import time

from corroborator.once import once


def test_once_builds_each_key_once_across_threads_and_may_call_itself() -> None:
    built: list[str] = []

    @once
    def load(name: str) -> object:
        time.sleep(0.05)  # a slow load: the other threads arrive while it runs
        built.append(name)
        return load(name + "-part") if name == "judge" else object()

    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(load("judge"))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(g is got[0] for g in got) and len(got) == 4
    assert built == ["judge", "judge-part"] and load.cache_info().misses == 2
    load.cache_clear()
    assert load("judge") is not got[0]
